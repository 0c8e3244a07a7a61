# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Benchmark plumbing: the simulator in a child process, and timed ansible-playbook runs.

Every request goes to 127.0.0.1. Every wait here is bounded in time.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import time

import requests

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(BENCH_DIR))
PLAYBOOK_DIR = os.path.join(BENCH_DIR, "playbooks")
CALLBACK_DIR = os.path.join(BENCH_DIR, "callback_plugins")
TIME_BINARY = "/usr/bin/time"

# Inherited from the caller's shell, these would change what a run does.
_DROPPED_PREFIXES = ("ANSIBLE_", "FORTIANALYZER_", "GRAVITYZONE_")
_DROPPED_NAMES = frozenset((
    "PYTHONPATH", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR",
    "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy", "no_proxy",
))

FAZ_USER = "admin"
FAZ_PASSWORD = "sim-admin-pass"
FAZ_API_KEY = "simfazkey0123456789abcdefghijk"
GZ_API_KEY = "simgzkey0123456789abcdef0123456789abcdef"


class BenchError(Exception):
    """Something made a measurement meaningless: stop and say what."""


def median(values):
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def spread(values):
    """``(median, min, max)`` of the values that are not None."""
    values = [value for value in values if value is not None]
    if not values:
        return None, None, None
    return statistics.median(values), min(values), max(values)


class SimulatorProcess:
    """``python -m tests.simulator`` in a child process of its own, stopped by ``stop()``."""

    def __init__(self, state_dir, python=sys.executable, start_timeout=30.0):
        self.state_dir = state_dir
        self.python = python
        self.start_timeout = start_timeout
        self.ready_file = os.path.join(state_dir, "ready.%d.json" % os.getpid())
        self.log_file = os.path.join(state_dir, "simulator.%d.log" % os.getpid())
        self.process = None
        self.info = None
        self.http = None

    def start(self):
        os.makedirs(self.state_dir, exist_ok=True)
        if os.path.exists(self.ready_file):
            os.remove(self.ready_file)
        with open(self.log_file, "wb") as log:
            self.process = subprocess.Popen(
                [self.python, "-m", "tests.simulator", "--port", "0", "--state-dir", self.state_dir,
                 "--ready-file", self.ready_file],
                cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.start_timeout
        while self.info is None:
            if self.process.poll() is not None:
                raise BenchError("the simulator exited with %s before it was ready; see %s"
                                 % (self.process.returncode, self.log_file))
            if time.monotonic() > deadline:
                self.stop()
                raise BenchError("the simulator was not ready after %.0f s; see %s" % (self.start_timeout, self.log_file))
            try:
                with open(self.ready_file, encoding="utf-8") as handle:
                    self.info = json.load(handle)
            except (OSError, ValueError):
                time.sleep(0.1)
        if self.info["host"] != "127.0.0.1":
            self.stop()
            raise BenchError("the simulator listens on %s, not 127.0.0.1" % self.info["host"])
        self.http = requests.Session()
        self.http.trust_env = False  # no proxy, no CA bundle from the environment
        return self

    def stop(self):
        """SIGTERM, then SIGKILL after 5 s; a second call does nothing."""
        if self.http is not None:
            self.http.close()
            self.http = None
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def port(self):
        return self.info["port"]

    @property
    def ca_path(self):
        return os.path.join(ROOT, self.info["ca_path"])  # stays as is when absolute

    @property
    def faz_url(self):
        return self.info["faz_url"]

    @property
    def gz_api_url(self):
        return self.info["gz_api_url"]

    # -- control API --------------------------------------------------------------------------
    def control(self, method, path, body=None):
        reply = self.http.request(method, self.faz_url + path, json=body, verify=self.ca_path, timeout=30)
        if reply.status_code != 200:
            raise BenchError("simulator control %s %s answered %d: %s" % (method, path, reply.status_code, reply.text))
        return reply.json()

    def counters(self):
        return self.control("GET", "/_sim/counters")

    def log(self, product):
        return self.control("GET", "/_sim/log?product=%s" % product)

    def configure(self, **settings):
        return self.control("POST", "/_sim/config", settings)

    def faz_create_task(self, **fields):
        """``(tid, created)``: ``created`` is this machine's monotonic clock when the simulator made the task.

        The simulator stamps tasks with ``time.monotonic()`` (one clock for every process on Linux);
        the middle of the control request is within a few milliseconds of that stamp.
        """
        before = time.monotonic()
        tid = self.control("POST", "/_sim/faz/tasks", fields)["tid"]
        after = time.monotonic()
        return tid, (before + after) / 2.0


def counter_delta(before, after):
    """Counters that changed between two ``counters()`` snapshots, flattened (``faz.requests``, ...)."""
    delta = {}
    for product in ("faz", "gz"):
        for name, value in after[product].items():
            if isinstance(value, dict):
                for method, count in value.items():
                    changed = count - before[product].get(name, {}).get(method, 0)
                    if changed:
                        delta["%s.%s.%s" % (product, name, method)] = changed
            elif isinstance(value, int):
                delta["%s.%s" % (product, name)] = value - before[product].get(name, 0)
    return delta


def clean_environment(python):
    """os.environ without what would change a run, with the venv's bin dir first on PATH."""
    env = dict((name, value) for name, value in os.environ.items()
               if not name.startswith(_DROPPED_PREFIXES) and name not in _DROPPED_NAMES)
    env["PATH"] = os.pathsep.join((os.path.dirname(python), env.get("PATH", os.defpath)))
    return env


class PlaybookRun:
    """One finished ansible-playbook run: exit status, wall time, per-task timings, module peak RSS."""

    def __init__(self, label, rc, started, ended, records, rss_kib, run_dir):
        self.label = label
        self.rc = rc
        self.started = started
        self.ended = ended
        self.records = records
        self.rss_kib = rss_kib
        self.run_dir = run_dir
        self.counters = {}

    @property
    def wall(self):
        return self.ended - self.started

    def record(self, name):
        found = [record for record in self.records if record["name"] == name]
        if len(found) != 1:
            raise BenchError("%s: expected one result of task %r, found %d; see %s"
                             % (self.label, name, len(found), self.run_dir))
        return found[0]

    def check(self):
        """Fail the bench when the playbook failed: its time would not mean anything."""
        failed = [record for record in self.records if record["status"] != "ok"]
        if self.rc != 0 or failed:
            detail = failed[0]["summary"] if failed else {}
            raise BenchError("%s: ansible-playbook exited %d (%s); output in %s"
                             % (self.label, self.rc, detail.get("msg", "see output"), self.run_dir))
        return self


class RunningPlaybook:
    """An ansible-playbook process started by ``PlaybookRunner.start``; ``finish()`` waits for it."""

    def __init__(self, runner, label, process, started, run_dir, timeout):
        self.runner = runner
        self.label = label
        self.process = process
        self.started = started
        self.run_dir = run_dir
        self.timeout = timeout

    def finish(self):
        try:
            rc = self.process.wait(timeout=max(1.0, self.started + self.timeout - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the group this run started: ansible and its workers
            self.process.wait(timeout=10)
            raise BenchError("%s did not finish within %d s; output in %s" % (self.label, self.timeout, self.run_dir)) \
                from None
        ended = time.monotonic()
        return PlaybookRun(self.label, rc, self.started, ended, _read_jsonl(os.path.join(self.run_dir, "timing.jsonl")),
                           _read_rss(os.path.join(self.run_dir, "rss.txt")), self.run_dir)


class PlaybookRunner:
    """Runs the playbooks of scripts/bench/playbooks with the venv's ansible-playbook, one directory a run."""

    def __init__(self, work_dir, collections_path, python=sys.executable, ansible_playbook=None, extra_vars=None,
                 timeout=300):
        self.work_dir = work_dir
        self.collections_path = collections_path
        self.python = python
        self.ansible_playbook = ansible_playbook or os.path.join(os.path.dirname(python), "ansible-playbook")
        self.extra_vars = dict(extra_vars or {})
        self.timeout = timeout
        self.count = 0
        self.home = os.path.join(work_dir, "home")
        self.config = os.path.join(work_dir, "ansible.cfg")  # empty: nothing from /etc/ansible or a cwd file
        self.inventory = os.path.join(work_dir, "inventory.ini")
        self.rss_python = os.path.join(work_dir, "bin", "python3")
        os.makedirs(self.home, exist_ok=True)
        os.makedirs(os.path.dirname(self.rss_python), exist_ok=True)
        with open(self.config, "w", encoding="utf-8"):
            pass
        with open(self.inventory, "w", encoding="utf-8") as stream:
            stream.write("localhost ansible_connection=local\n")
        # The interpreter Ansible runs the module with, under /usr/bin/time: its maximum RSS is
        # that of the module process exactly as Ansible runs it (AnsiballZ wrapper included).
        with open(self.rss_python, "w", encoding="utf-8") as stream:
            stream.write('#!/bin/sh\nexec %s -f %%M -a -o "$BENCH_RSS_FILE" %s "$@"\n' % (TIME_BINARY, python))
        os.chmod(self.rss_python, 0o755)

    @staticmethod
    def can_measure_rss():
        return os.access(TIME_BINARY, os.X_OK)

    def start(self, playbook, label=None, extra_vars=None, measure_rss=False):
        self.count += 1
        label = label or playbook
        run_dir = os.path.join(self.work_dir, "runs", "%04d-%s" % (self.count, label.replace(" ", "_").replace("/", "_")))
        os.makedirs(run_dir)
        variables = dict(self.extra_vars)
        variables.update(extra_vars or {})
        vars_file = os.path.join(run_dir, "vars.json")
        with open(vars_file, "w", encoding="utf-8") as stream:
            json.dump(variables, stream)
        env = clean_environment(self.python)
        env.update(
            HOME=self.home,
            ANSIBLE_CONFIG=self.config,
            ANSIBLE_COLLECTIONS_PATH=self.collections_path,
            ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="False",
            ANSIBLE_CALLBACK_PLUGINS=CALLBACK_DIR,
            ANSIBLE_CALLBACKS_ENABLED="bench_timing",
            ANSIBLE_LOCALHOST_WARNING="False",
            ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
            ANSIBLE_RETRY_FILES_ENABLED="False",
            ANSIBLE_NOCOLOR="True",
            ANSIBLE_PYTHON_INTERPRETER=self.rss_python if measure_rss else self.python,
            BENCH_TIMING_FILE=os.path.join(run_dir, "timing.jsonl"),
            BENCH_RSS_FILE=os.path.join(run_dir, "rss.txt"),
        )
        argv = [self.ansible_playbook, "-i", self.inventory, os.path.join(PLAYBOOK_DIR, playbook), "-e", "@" + vars_file]
        with open(os.path.join(run_dir, "output.txt"), "wb") as output:
            started = time.monotonic()
            process = subprocess.Popen(argv, cwd=run_dir, env=env, stdin=subprocess.DEVNULL, stdout=output,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        return RunningPlaybook(self, label, process, started, run_dir, self.timeout)

    def run(self, playbook, label=None, extra_vars=None, measure_rss=False):
        return self.start(playbook, label, extra_vars, measure_rss).finish()


def _read_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


def _read_rss(path):
    """Maximum RSS values (KiB) /usr/bin/time wrote, one per module process."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as stream:
        return [int(line) for line in (raw.strip() for raw in stream) if line.isdigit()]
