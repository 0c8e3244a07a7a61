# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every rule about threads in the collection, and the two pieces that run on several threads.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.

Threads exist only in a batch (``tids`` / ``task_ids``): ``run_batch`` runs ``BATCH_PARALLEL``
worker threads over ONE client of the run. A single id never starts a thread (the pool is only
imported for a batch).

Shared between the worker threads, and what guards it:

* ``JsonRpcTransport`` (transport.py): one ``requests.Session`` (its connection pool is
  thread-safe) and ``_exchanges``, the requests in flight, guarded by ``_exchanges_lock``.
  ``requests_sent`` is a counter for tests and benchmarks only (no lock: a lost increment
  changes no behaviour).
* ``_Exchange`` (transport.py): one request in flight and its socket. ``_lock`` guards the
  socket and the ``cut`` flag, so that a watchdog or ``stop()`` racing with the connect
  always shuts the socket down.
* ``FortiAnalyzerClient`` (faz.py): the session id. ``_relogin_lock`` makes a ``-11`` seen by
  several threads at once lead to one re-login; a thread whose session was renewed meanwhile
  retries with the new one.
* ``RateGate`` (below): the token count, guarded by ``_lock``. The lock is held only to
  reserve a slot, never while sleeping.
* The run's ``Deadline``: read-only after it is made.

How stop reaches a thread, whatever it is doing:

* Every sleep in the collection (retry backoff, polling, rate pacing) is
  ``JsonRpcTransport.pause``: ``time.sleep`` in slices of ``SIGNAL_SLICE`` that end as soon
  as the transport's ``_stopped`` event is set. ``stop()`` sets the event: every sleeper wakes
  within a slice and raises ``TransportStopped``.
* A thread blocked reading a socket is woken by ``stop()`` (or its request's watchdog timer)
  shutting that socket down; the read fails at once. The socket timeout alone is not enough: a
  server dripping its status line or headers one byte at a time never trips it, and those reads
  happen inside ``http.client`` where no deadline check can run between them. That is why
  transport.py attaches each request's socket to its ``_Exchange`` through a thin
  ``getresponse`` hook on urllib3's connection classes (the same hook on urllib3 1.26 and 2.x);
  the body is read in our own loop with a deadline check between reads.
* Signals (SIGTERM/SIGINT) become ``Interrupted`` in the main thread only; the client's
  ``close()`` in ``finally`` calls ``stop()``, then logs out. The kernel may hand a signal to
  any thread of the process (a batch worker, or in the controller Ansible's queue feeder):
  Python then only notes it, and runs the handler when the main thread next runs bytecode. A
  main thread blocked in one long wait would not, until the wait ended (a batch: when every
  task had finished). So the main thread never waits longer than ``SIGNAL_SLICE`` at a time,
  in ``run_batch`` and in ``JsonRpcTransport.pause``.
"""

from __future__ import annotations

import threading
import time

# Requests of one batch in flight at once: enough to hide latency, gentle on the appliance.
BATCH_PARALLEL = 4

# The longest the main thread waits in one go: how late a signal taken by another thread is acted on.
SIGNAL_SLICE = 0.2


def run_batch(keys, one):
    """``one(key)`` for every distinct key, BATCH_PARALLEL at a time; answers in the order of ``keys``.

    ``one`` turns a task's own failure into an entry with ``failed`` and ``msg`` so that the
    other tasks still count. When the batch is interrupted, work not yet started is cancelled
    (by hand: ``shutdown(cancel_futures=...)`` needs Python 3.9) and the pool is not waited for:
    the client's ``stop()`` ends what is running.
    """
    from concurrent.futures import ThreadPoolExecutor  # only a batch pays for the pool

    unique = list(dict.fromkeys(keys))
    pool = ThreadPoolExecutor(max_workers=min(BATCH_PARALLEL, len(unique)))
    futures = []
    try:
        futures = [pool.submit(one, key) for key in unique]
        # Polled with time.sleep, not futures.wait: a signal is acted on within a slice (see the module's
        # docstring), and its Interrupted never lands inside a Condition and leaves its lock held.
        while True:
            finished = [future for future in futures if future.done()]
            for future in finished:
                future.result()  # a failure raises now, without waiting for the others
            if len(finished) == len(futures):
                break
            time.sleep(SIGNAL_SLICE / 4)
        answers = dict((key, future.result()) for key, future in zip(unique, futures))
    finally:
        for future in futures:
            future.cancel()
        pool.shutdown(wait=False)
    return [answers[key] for key in keys]


class RateGate:
    """Token bucket shared by the threads of a run: ``acquire()`` before each request.

    A caller reserves its slot under the lock, then sleeps outside it through ``sleep``,
    which for a real run is the transport's ``pause``: ``stop()`` wakes it at once.
    """

    def __init__(self, rate, burst, sleep, clock=time.monotonic):
        self.rate = float(rate)
        self.burst = float(burst)
        self._tokens = float(burst)
        self._clock = clock
        self._sleep = sleep
        self._last = clock()
        self._lock = threading.Lock()

    def acquire(self):
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
            self._last = now
            self._tokens -= 1.0
            wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
        if wait > 0:
            self._sleep(wait)
