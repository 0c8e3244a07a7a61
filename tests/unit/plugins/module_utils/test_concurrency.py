# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""concurrency.py: run_batch (order, duplicates, interruption on Python 3.8 terms) and RateGate's lock."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from ansible_collections.secops.async_tasks.plugins.module_utils.common import signals_as_interrupts
from ansible_collections.secops.async_tasks.plugins.module_utils.concurrency import BATCH_PARALLEL, RateGate, run_batch
from ansible_collections.secops.async_tasks.plugins.module_utils.errors import Interrupted
from ansible_collections.secops.async_tasks.plugins.module_utils.gz import DEFAULT_BURST, DEFAULT_RATE, GravityZoneClient
from ansible_collections.secops.async_tasks.plugins.module_utils.client import Product
from ansible_collections.secops.async_tasks.plugins.module_utils.transport import (
    Deadline,
    JsonRpcTransport,
    TransportStopped,
)


def test_run_batch_answers_in_the_order_asked_and_runs_each_key_once():
    calls = []
    lock = threading.Lock()

    def one(key):
        with lock:
            calls.append(key)
        time.sleep(0.01 * (5 - key % 5))  # later keys finish first
        return key * 10

    assert run_batch([3, 1, 2, 3, 4, 1], one) == [30, 10, 20, 30, 40, 10]
    assert sorted(calls) == [1, 2, 3, 4]


def test_an_interrupted_batch_cancels_the_work_not_yet_started():
    started = []

    def one(key):
        started.append(key)
        if key == 0:
            raise Interrupted("SIGTERM")
        time.sleep(0.2)
        return key

    with pytest.raises(Interrupted):
        run_batch(list(range(40)), one)
    time.sleep(0.5)  # whatever was still queued would have started by now
    assert len(started) <= 2 * BATCH_PARALLEL, started


# A signal the kernel hands to another thread than the main one (a batch worker; in the controller,
# Ansible's queue feeder) is only noted there: Python runs the handler when the main thread next runs
# bytecode. Before the main thread waited in slices, it sat in one wait until every task of the batch
# had ended, the playbook's workers outlived ansible-playbook, and the session stayed open.
NOT_UNTIL_THE_WORK_ENDS = 10.0  # the work below would take 30 s; acting on the signal takes about SIGNAL_SLICE


def signal_thread_when_known(idents, signum=signal.SIGTERM):
    def send():
        while not idents:
            time.sleep(0.01)
        signal.pthread_kill(idents[0], signum)
    threading.Thread(target=send, daemon=True).start()


def test_a_signal_taken_by_a_batch_thread_interrupts_the_batch_at_once():
    release, idents = threading.Event(), []

    def one(key):
        idents.append(threading.get_ident())
        release.wait(30)
        return key

    signal_thread_when_known(idents)
    started = time.monotonic()
    try:
        with pytest.raises(Interrupted), signals_as_interrupts():
            run_batch([1, 2], one)
        elapsed = time.monotonic() - started
    finally:
        release.set()
    assert elapsed < NOT_UNTIL_THE_WORK_ENDS


def test_a_signal_taken_by_another_thread_cuts_a_pause_short():
    transport = JsonRpcTransport("https://127.0.0.1:9/api", Product("FortiAnalyzer", "FORTIANALYZER"), Deadline(60))
    pausing, idents = threading.Event(), []

    def helper():  # the thread that takes the signal, once the main thread has settled into its pause
        pausing.wait(30)
        time.sleep(0.3)
        idents.append(threading.get_ident())
        time.sleep(1)

    threading.Thread(target=helper, daemon=True).start()
    signal_thread_when_known(idents)
    started = time.monotonic()
    with pytest.raises(Interrupted), signals_as_interrupts():
        pausing.set()
        transport.pause(30)
    assert time.monotonic() - started < NOT_UNTIL_THE_WORK_ENDS
    transport.close()


def test_a_second_signal_does_not_interrupt_the_clean_up_of_the_first():
    # Ansible sends SIGTERM to a worker right after forwarding SIGINT; the logout must not be cut short.
    cleaned = []
    with pytest.raises(Interrupted), signals_as_interrupts():
        try:
            signal.raise_signal(signal.SIGINT)
        finally:
            signal.raise_signal(signal.SIGTERM)
            cleaned.append(True)
    assert cleaned == [True]


def test_rate_gate_sleeps_outside_its_lock():
    # Two threads over an empty bucket: the second reserves its slot while the first still sleeps.
    release = threading.Event()
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        release.wait(5)

    gate = RateGate(rate=8.0, burst=1, sleep=sleep, clock=lambda: 100.0)
    gate.acquire()  # the one token of the burst
    threads = [threading.Thread(target=gate.acquire) for dummy in range(2)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 5
    while len(waits) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    for thread in threads:
        thread.join(5)
    assert sorted(waits) == [pytest.approx(0.125), pytest.approx(0.25)]


def test_the_gravityzone_pacer_sleeps_through_the_transport_so_stop_wakes_it():
    transport = JsonRpcTransport("https://127.0.0.1:9/api", Product("GravityZone", "GRAVITYZONE"), Deadline(30))
    client = GravityZoneClient(transport, "a-key-for-the-test-0000")
    for dummy in range(int(DEFAULT_BURST)):
        client._gate.acquire()  # pylint: disable=protected-access
    transport.stop()
    started = time.monotonic()
    with pytest.raises(TransportStopped):
        client._gate.acquire()  # pylint: disable=protected-access
    assert time.monotonic() - started < 1.0 / DEFAULT_RATE
    transport.close()
