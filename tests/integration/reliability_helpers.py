"""Reliability harness: modules run in-process through ``main()``, and the soak under injected faults.

A soak of hundreds of module runs cannot start ``ansible-playbook`` for each (3 s apiece on a
small machine). ``run_module`` calls the module's ``main()`` in this process instead, with the
arguments Ansible would pass (``patch_module_args``), and captures what Ansible would have read:
the JSON on stdout and the exit status - or the exception that would have been a traceback.

``soak`` splits the runs over a few worker processes; each starts its own simulator, so every
request in a simulator's log belongs to the one run in progress there. A worker runs a seeded,
repeatable mix of FortiAnalyzer and GravityZone runs (reads, waits, batches, creates, a cancel)
with faults injected at ``rate``, then turns the faults off and checks each run:

* a run that succeeded returned exactly what the same run returns without faults (the seeded rows
  are deterministic per task), or for a create, the task its own request created;
* a run that failed has a clear message (a product named, no traceback) and at least one of its own
  requests was faulted;
* no module run raised (a traceback), no output holds a password, API key or session id;
* no create made more than one task, and every successful create exactly one
  (``tasks_created`` / ``scan_tasks_created`` counted before and after each run);
* FortiAnalyzer sessions left open (counters) are zero, or in the phase that also faults login and
  logout, each one is explained by a request the fault made unanswerable (see ``explain_leaks``).
"""

import collections
import json
import multiprocessing
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

from tests.integration.helpers import (
    CALLBACK_DIR, ansible_playbook, clean_environment, collections_path, count_playbook_run, playbook_text,
)
from tests.modules.harness import ModuleHarness
from tests.simulator.server import Simulator


FAZ_PASSWORD = "sim-admin-pass"
FAZ_VIEWER_PASSWORD = "sim-viewer-pass"
FAZ_API_KEY = "simfazkey0123456789abcdefghijk"
GZ_API_KEY = "simgzkey0123456789abcdef0123456789abcdef"
GZ_NOAPI_KEY = "simgzkeyNOAPI0123456789abcdef0123456789ab"
STATIC_SECRETS = (FAZ_PASSWORD, FAZ_VIEWER_PASSWORD, FAZ_API_KEY, GZ_API_KEY, GZ_NOAPI_KEY)

GZ_SEED_V11 = "65f46d08c6d2865b32048ba3"
GZ_SEED_V10 = "21a295eeb1a43d8b497b23b7"
GZ_BIG = "6500000000000000000f5000"
GZ_TARGETS = ["5ba8e0dbb1a43d0f2b7b23c1", "5ba8e0dbb1a43d0f2b7b23c2"]

ALL_KINDS = ("latency", "http500", "http502", "http503", "http504", "reset", "truncated", "nonjson", "html", "429",
             "429_no_retry_after", "expire_session", "slow_drip")
# The simulator handles these requests before the fault hits the answer (docs/simulator.md).
PROCESSED_KINDS = frozenset(("latency", "slow_drip", "truncated", "reset", "expire_session"))
# Processed, and the answer never arrives whole: the client cannot know what the server did.
LOST_ANSWER_KINDS = frozenset(("slow_drip", "truncated", "reset"))
FAZ_AUTH_URLS = ("/sys/login/user", "/sys/logout")
PRODUCT_WORDS = re.compile(r"FortiAnalyzer|GravityZone|FortiView")
# What a result may differ in between a run and its fault-free reference.
VOLATILE_KEYS = ("invocation", "warnings", "deprecations")


# -- one module run, in-process ---------------------------------------------------------------

_HARNESS = ModuleHarness()


def run_module(module, args):
    """Run ``plugins/modules/<module>.py``'s ``main()`` with ``args`` as Ansible would; never raises.

    A ``ModuleResult`` (tests/modules/harness.py): ``crash`` holds the traceback text when ``main()``
    raised something other than SystemExit, which under Ansible is a "MODULE FAILURE".
    """
    return _HARNESS.run(module, args)


def faz_args(sim, **args):
    """Connection options for the simulator (admin with password, the simulator's CA) plus ``args``."""
    options = dict(host="127.0.0.1", port=sim.port, username="admin", password=FAZ_PASSWORD, ca_path=sim.ca_path)
    options.update(args)
    return dict((name, value) for name, value in options.items() if value is not None)


def gz_args(sim, **args):
    options = dict(api_url=sim.gz_api_url, api_key=GZ_API_KEY, ca_path=sim.ca_path)
    options.update(args)
    return dict((name, value) for name, value in options.items() if value is not None)


def deadline_of(args):
    """The module run's deadline in seconds (docs/design.md): 3 x timeout, or wait_timeout + 2 x timeout."""
    timeout = args.get("timeout", 30)
    if args.get("wait"):
        return args.get("wait_timeout", 300) + 2 * timeout
    return 3 * timeout


def comparable(result):
    """A result without what may differ between two correct runs."""
    return dict((key, value) for key, value in (result or {}).items() if key not in VOLATILE_KEYS)


def clear_message(msg):
    """True for a failure message a user can act on: a product named, no Python internals."""
    return (isinstance(msg, str) and bool(msg.strip()) and "Traceback" not in msg and " object at 0x" not in msg
            and PRODUCT_WORDS.search(msg) is not None)


def secrets_in(text, secrets):
    """The secrets (four characters or more) found in ``text``."""
    return sorted(secret for secret in secrets if secret and len(secret) >= 4 and secret in text)


# -- a playbook in the background (to interrupt it) ------------------------------------------

class BackgroundPlaybook:
    """``ansible-playbook`` started in its own process group, as the harness runs it but without waiting.

    ``signal(SIGTERM)`` sends to that group, as a terminal's Ctrl-C or a CI runner's cancel does.
    Ansible's workers call setsid(), so the module runs in a worker's group, not this one: Ansible
    passes the signal on (TaskQueueManager -> WorkerProcess -> killpg of the worker's group).
    ``note_worker_groups()`` remembers those groups while they exist, so that ``left_behind()`` can
    tell whether anything outlived the playbook, and ``kill_all()`` can end it.
    """

    def __init__(self, workdir, tasks, env=None, verbosity=0):
        os.makedirs(os.path.join(workdir, "home"))
        playbook = os.path.join(workdir, "playbook.yml")
        with open(playbook, "w", encoding="utf-8") as stream:
            stream.write(playbook_text(tasks))
        inventory = os.path.join(workdir, "inventory.ini")
        with open(inventory, "w", encoding="utf-8") as stream:
            stream.write("localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable)
        config = os.path.join(workdir, "ansible.cfg")
        open(config, "w", encoding="utf-8").close()
        self.results_path = os.path.join(workdir, "results.jsonl")
        argv = [sys.executable, ansible_playbook(), "-i", inventory, playbook]
        if verbosity:
            argv.append("-" + "v" * verbosity)
        run_env = clean_environment()
        run_env.update(
            HOME=os.path.join(workdir, "home"), ANSIBLE_CONFIG=config,
            ANSIBLE_LOCAL_TEMP=os.path.join(workdir, "local-tmp"), ANSIBLE_REMOTE_TEMP=os.path.join(workdir, "remote-tmp"),
            ANSIBLE_COLLECTIONS_PATH=collections_path(), ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="False",
            ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default", ANSIBLE_CALLBACK_PLUGINS=CALLBACK_DIR,
            ANSIBLE_CALLBACKS_ENABLED="record_results", ANSIBLE_LOCALHOST_WARNING="False",
            ANSIBLE_INVENTORY_UNPARSED_WARNING="False", ANSIBLE_RETRY_FILES_ENABLED="False", ANSIBLE_NOCOLOR="True",
            ANSIBLE_PYTHON_INTERPRETER=sys.executable, SECOPS_TEST_RESULTS=self.results_path)
        run_env.update(env or {})
        self.argv = argv
        count_playbook_run()
        self.process = subprocess.Popen(argv, cwd=workdir, env=run_env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        start_new_session=True)

        self.groups = {self.process.pid}

    def signal(self, signum):
        os.killpg(self.process.pid, signum)

    def note_worker_groups(self):
        """Remember the process group of every child of ansible-playbook (its workers, after setsid)."""
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open("/proc/%s/stat" % entry, encoding="ascii", errors="replace") as stream:
                        fields = stream.read().rsplit(")", 1)[1].split()
                except OSError:  # gone meanwhile
                    continue
                if int(fields[1]) == self.process.pid:  # ppid
                    self.groups.add(int(fields[2]))  # pgrp

    def finish(self, timeout=60):
        """(rc, stdout, stderr, records); the group is killed if it is still there after ``timeout``."""
        try:
            stdout, stderr = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            stdout, stderr = self.process.communicate()
            raise AssertionError("ansible-playbook still running %d s after the signal\n%s\n%s"
                                 % (timeout, stdout, stderr)) from None
        records = []
        if os.path.exists(self.results_path):
            with open(self.results_path, encoding="utf-8") as stream:
                records = [json.loads(line) for line in stream if line.strip()]
        return self.process.returncode, stdout, stderr, records

    def left_behind(self):
        """The noted process groups that still have a process (the module of an orphaned worker, say)."""
        alive = []
        for group in sorted(self.groups):
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                continue
            alive.append(group)
        return alive

    def kill_all(self):
        """SIGKILL to every noted group still there: whatever this playbook started ends now."""
        for group in self.left_behind():
            try:
                os.killpg(group, signal.SIGKILL)
            except ProcessLookupError:
                pass


def wait_for(condition, timeout, interval=0.05):
    """Poll ``condition()`` until it is true or ``timeout`` seconds pass; returns the seconds it took, or None."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(interval)
    return None


# -- the soak -----------------------------------------------------------------------------------

class SessionRecorder:
    """Remembers every FortiAnalyzer session id the simulator hands out (it never logs them)."""

    def __init__(self, sim):
        self.sessions = set()
        self._appliance = sim._app.faz  # pylint: disable=protected-access  # the simulator runs in this process
        login = self._appliance._login  # pylint: disable=protected-access

        def recording_login(call, now):
            body, code = login(call, now)
            if isinstance(body, dict) and body.get("session"):
                self.sessions.add(body["session"])
            return body, code

        self._appliance._login = recording_login  # pylint: disable=protected-access

    def undo(self):
        """Back to the simulator's own login."""
        del self._appliance._login  # pylint: disable=protected-access


class Operation:
    """One planned module run: ``kind`` (for the report), module, args, and what checks it."""

    def __init__(self, kind, module, args, product, creates=None, cancels=None):
        self.kind = kind
        self.module = module
        self.args = args
        self.product = product
        self.creates = creates  # "faz" or "gz" for a creating call
        self.cancels = cancels  # (view, tid) for a cancel


# (kind, weight): reads most, then waits, batches and creates, as playbooks use the modules.
MIX = (("faz_read", 16), ("faz_read_view", 10), ("faz_batch", 7), ("faz_wait", 6), ("faz_batch_wait", 3),
       ("faz_create", 8), ("faz_cancel", 2), ("faz_api_key_read", 5),
       ("gz_read", 14), ("gz_read_pages", 6), ("gz_read_v10", 4), ("gz_read_big", 2), ("gz_batch", 6),
       ("gz_wait", 5), ("gz_create", 6))
FAZ_VIEWS = ("top-sources", "top-destinations", "top-applications", "policy-hits", "top-threats")
TASK_SECONDS = 0.8  # how long a task waited on runs


class SoakWorker:
    """One worker's simulator, task pool and runs (see the module docstring)."""

    def __init__(self, config):
        self.config = config
        self.rng = random.Random("soak:%s:%s" % (config["seed"], config["worker"]))
        self.timeout = config["timeout"]
        self.sim = Simulator(config["state_dir"], gz_rate=0, gz_scan_rate_per_minute=0, faz_session_cap=1000, faz_task_duration=0,
                             gz_scan_duration=0)
        self.records = []
        self.done_faz = {}
        self.done_gz = []
        self.recorder = None

    # -- set-up ------------------------------------------------------------------------------
    def prepare(self):
        for view in FAZ_VIEWS:
            self.done_faz[view] = [self.sim.faz_create_task(view=view, status="done", rows=self.rng.randint(3, 12))
                                   for index in range(3)]
        self.done_gz = [self.sim.gz_create_task(subtasks=self.rng.randint(2, 8), duration=0,
                                                failures=index % 2) for index in range(3)]

    def plan(self, kind):
        """The Operation of one run of ``kind`` (tasks it waits on are made now, through the control API)."""
        rng, sim, timeout = self.rng, self.sim, self.timeout
        wait = dict(wait=True, wait_timeout=10, poll_interval=0.3, timeout=timeout)
        if kind == "faz_read":
            module, tid = rng.choice((("faz_top_sources_result", 12450), ("faz_top_applications_result", 12455)))
            return Operation(kind, module, faz_args(sim, tid=tid, timeout=timeout), "faz")
        if kind == "faz_api_key_read":
            view = rng.choice(FAZ_VIEWS)
            args = faz_args(sim, view=view, tid=rng.choice(self.done_faz[view]), timeout=timeout, username=None,
                            password=None, api_key=FAZ_API_KEY)
            return Operation(kind, "faz_fortiview_result", args, "faz")
        if kind == "faz_read_view":
            view = rng.choice(FAZ_VIEWS)
            return Operation(kind, "faz_fortiview_result",
                             faz_args(sim, view=view, tid=rng.choice(self.done_faz[view]), timeout=timeout), "faz")
        if kind == "faz_batch":
            view = rng.choice(FAZ_VIEWS)
            return Operation(kind, "faz_fortiview_result",
                             faz_args(sim, view=view, tids=list(self.done_faz[view]), timeout=timeout), "faz")
        if kind == "faz_wait":
            tid = sim.faz_create_task(view="top-sources", duration=TASK_SECONDS, rows=rng.randint(1, 10))
            return Operation(kind, "faz_top_sources_result", faz_args(sim, tid=tid, **wait), "faz")
        if kind == "faz_batch_wait":
            view = rng.choice(FAZ_VIEWS)
            tids = [sim.faz_create_task(view=view, duration=TASK_SECONDS * (index + 1)) for index in range(2)]
            return Operation(kind, "faz_fortiview_result", faz_args(sim, view=view, tids=tids, **wait), "faz")
        if kind == "faz_create":
            view = rng.choice(FAZ_VIEWS)
            args = faz_args(sim, view=view, time_range={"last": rng.choice(("1h", "24h", "7d"))},
                            limit=rng.randint(1, 20), timeout=timeout)
            return Operation(kind, "faz_fortiview_task", args, "faz", creates="faz")
        if kind == "faz_cancel":
            tid = sim.faz_create_task(view="top-sources", status="done")
            return Operation(kind, "faz_fortiview_task", faz_args(sim, view="top-sources", state="absent", tid=tid,
                                                                  timeout=timeout), "faz", cancels=("top-sources", tid))
        if kind == "gz_read":
            return Operation(kind, "gz_task_status", gz_args(sim, task_id=rng.choice(self.done_gz + [GZ_SEED_V11]),
                                                             timeout=timeout), "gz")
        if kind == "gz_read_pages":
            args = gz_args(sim, task_id=rng.choice((GZ_SEED_V11, self.done_gz[-1])), per_page=rng.choice((1, 2)),
                           timeout=timeout)
            return Operation(kind, "gz_task_status", args, "gz")
        if kind == "gz_read_v10":
            return Operation(kind, "gz_task_status", gz_args(sim, task_id=GZ_SEED_V10, api_version="1.0",
                                                             timeout=timeout), "gz")
        if kind == "gz_read_big":
            args = gz_args(sim, task_id=GZ_BIG, per_page=1000, timeout=timeout)
            return Operation(kind, "gz_task_status", args, "gz")
        if kind == "gz_batch":
            task_ids = rng.sample(self.done_gz + [GZ_SEED_V11], 3)
            return Operation(kind, "gz_task_status", gz_args(sim, task_ids=task_ids, timeout=timeout), "gz")
        if kind == "gz_wait":
            task_id = sim.gz_create_task(subtasks=rng.randint(1, 4), duration=TASK_SECONDS)
            return Operation(kind, "gz_task_status", gz_args(sim, task_id=task_id, **wait), "gz")
        if kind == "gz_create":
            args = gz_args(sim, target_ids=GZ_TARGETS[:rng.randint(1, 2)], type="quick",
                           name="Soak scan %d" % len(self.records), timeout=timeout)
            return Operation(kind, "gz_scan_task", args, "gz", creates="gz")
        raise ValueError(kind)

    # -- running -----------------------------------------------------------------------------
    def run(self):
        config = self.config
        with self.sim:
            self.recorder = SessionRecorder(self.sim)
            self.prepare()
            mix = [(kind, weight) for kind, weight in MIX if kind in config.get("mix", dict(MIX))]
            kinds = [kind for kind, weight in mix]
            weights = [weight for kind, weight in mix]
            if config["drip_cap"] == 0:
                config["kinds"] = [kind for kind in config["kinds"] if kind != "slow_drip"]
            self.set_faults(config["kinds"], config["seed"])
            for index in range(config["runs"]):
                if index == config["runs"] // 2:
                    self.sim.configure(faz_shape="real")  # the second half in the apiver-3 reply shape
                self.records.append(self.run_one(self.plan(self.rng.choices(kinds, weights)[0])))
                self.limit_drips(index)
            counters_with_faults = self.sim.counters()
            self.sim.clear_faults()
            self.check_against_references()
            counters = self.sim.counters()
            return self.summary(counters_with_faults, counters)

    def set_faults(self, kinds, seed):
        self.sim.set_faults(rate=self.config["rate"], kinds=list(kinds), seed=seed,
                            exclude_auth=self.config["exclude_auth"], methods=self.config.get("methods"))

    def limit_drips(self, index):
        """After ``drip_cap`` slow drips, go on without them (each one costs a whole timeout or more)."""
        kinds = self.config["kinds"]
        drips = self.sim.counters()["faults"]["by_kind"].get("slow_drip", 0)
        if "slow_drip" in kinds and drips >= self.config["drip_cap"] and not self.config.get("drips_stopped"):
            self.config["drips_stopped"] = True
            self.set_faults([kind for kind in kinds if kind != "slow_drip"], "%s:%d" % (self.config["seed"], index))

    def run_one(self, operation):
        sim = self.sim
        before = sim.counters()
        shape = sim.settings()["faz_shape"]
        run = run_module(operation.module, operation.args)
        after = sim.counters()
        window = {}
        for product in ("faz", "gz"):
            new = after[product]["requests"] - before[product]["requests"]
            window[product] = sim.log(product)[-new:] if new else []
        faulted = [entry["fault"] for product in ("faz", "gz") for entry in window[product] if entry.get("fault")]
        spared = 0
        if self.config["exclude_auth"]:
            spared = sum(1 for entry in window["faz"] if entry.get("url") in FAZ_AUTH_URLS)
        secrets = set(STATIC_SECRETS) | self.recorder.sessions
        return {
            "kind": operation.kind, "module": operation.module, "args": operation.args, "product": operation.product,
            "creates": operation.creates, "cancels": operation.cancels, "shape": shape,
            "rc": run.rc, "result": run.result, "crash": run.crash, "elapsed": round(run.elapsed, 3),
            "deadline": deadline_of(operation.args), "faults": faulted,
            "requests": len(window["faz"]) + len(window["gz"]),
            "eligible": len(window["faz"]) + len(window["gz"]) - spared,
            "created": (after["faz"]["tasks_created"] - before["faz"]["tasks_created"]
                        + after["gz"]["scan_tasks_created"] - before["gz"]["scan_tasks_created"]),
            "window": window,
            "secrets_found": len(secrets_in(run.output, secrets)),
            "traceback_in_output": "Traceback" in run.output,
        }

    # -- checking ------------------------------------------------------------------------------
    def check_against_references(self):
        """Give every record its ``outcome`` and, when wrong, its ``problem`` (faults are off now)."""
        references = {}
        for record in self.records:
            record["problem"] = None
            if record["crash"] or record["traceback_in_output"]:
                record["outcome"] = "traceback"
                record["problem"] = "traceback: %s" % (record["crash"] or record["result"])
            elif record["rc"] != 0:
                self.check_failure(record)
            elif record["creates"]:
                self.check_create(record)
            elif record["cancels"]:
                self.check_cancel(record)
            else:
                self.check_read(record, references)
            if record["creates"] and record["created"] > 1:
                record["problem"] = "one create made %d tasks" % record["created"]
            if not record["creates"] and record["created"]:
                record["problem"] = "a run that creates nothing made %d task(s)" % record["created"]
            if record["secrets_found"]:
                record["problem"] = "%d secret(s) in the output" % record["secrets_found"]
            slow = record["elapsed"] > record["deadline"] + 3 and "slow_drip" not in record["faults"]
            if slow:
                record["problem"] = "took %.1f s, past its %d s deadline" % (record["elapsed"], record["deadline"])

    def check_failure(self, record):
        msg = (record["result"] or {}).get("msg")
        record["msg"] = msg
        if not clear_message(msg):
            record["outcome"] = "unclear_failure"
            record["problem"] = "unclear failure message: %r" % (msg,)
        elif not record["faults"]:
            record["outcome"] = "unexplained_failure"
            record["problem"] = "failed although none of its requests was faulted: %s" % msg
        else:
            record["outcome"] = "clean_failure"

    def check_read(self, record, references):
        args = dict(record["args"], wait=False)
        for name in ("wait_timeout", "poll_interval"):
            args.pop(name, None)
        key = (record["module"], json.dumps(args, sort_keys=True), record["shape"])
        if key not in references:
            self.sim.configure(faz_shape=record["shape"])
            references[key] = run_module(record["module"], args)
        reference = references[key]
        if reference.failed:
            record["outcome"] = "wrong"
            record["problem"] = "the fault-free reference run failed: %s" % (reference.crash or reference.msg)
        elif comparable(record["result"]) != comparable(reference.result):
            record["outcome"] = "wrong"
            record["problem"] = "result differs from the fault-free run"
        else:
            record["outcome"] = "correct"

    def check_create(self, record):
        result = record["result"]
        if record["created"] != 1:
            record["outcome"] = "wrong"
            record["problem"] = "create reported success but made %d tasks" % record["created"]
            return
        if record["creates"] == "gz":
            made = [entry["taskId"] for entry in record["window"]["gz"] if entry.get("method") == "createScanTask"
                    and entry.get("taskId")]
            correct = result.get("task_ids") == made and result.get("task_id") == made[0] and result["changed"]
        else:
            args = record["args"]
            check = run_module("faz_fortiview_result", dict(faz_args(self.sim, view=args["view"], tid=result["tid"])))
            correct = (not check.failed and result["changed"] and check.result["tid"] == result["tid"]
                       and len(check.result["rows"]) == args["limit"])
        record["outcome"] = "correct" if correct else "wrong"
        if not correct:
            record["problem"] = "the create's answer does not name the task it made: %r" % (result,)

    def check_cancel(self, record):
        view, tid = record["cancels"]
        check = run_module("faz_fortiview_result", dict(faz_args(self.sim, view=view, tid=tid)))
        gone = check.failed and "not found" in (check.msg or "")
        # A delete is retried when its answer was lost; the retry finds the task gone and says so
        # (cancelled: false). The task is cancelled either way, which is what the run is for.
        record["cancel_reported"] = record["result"].get("cancelled")
        record["outcome"] = "correct" if gone else "wrong"
        if not gone:
            record["problem"] = "task %d still exists after a successful cancel" % tid

    def summary(self, counters_with_faults, counters):
        leaks = self.leaks_explained()
        for record in self.records:
            record.pop("window", None)
        return {"worker": self.config["worker"], "records": self.records, "counters": counters,
                "faults": counters_with_faults["faults"], "open_sessions": counters["faz"]["open_sessions"],
                "leaks_explained": leaks, "sessions_seen": len(self.recorder.sessions)}

    def leaks_explained(self):
        """FortiAnalyzer sessions that faults left open, by how.

        ``login_lost``: the simulator made the session but its answer never arrived whole (a
        processed fault: slow_drip, truncated, reset), so the client never learnt the id: nothing a
        client can do. ``logout_unanswered``: the run's last logout was answered in the appliance's
        place, so the session is still there - given up after retries, or (HTTP 500, an HTML page,
        non-JSON) not retried at all: see test_logout_answered_http_500_once_still_closes_the_session.
        """
        login_lost = logout_unanswered = 0
        for record in self.records:
            entries = record["window"]["faz"]
            login_lost += sum(1 for entry in entries if entry.get("url") == FAZ_AUTH_URLS[0]
                              and entry.get("code") == 0 and entry.get("fault") in LOST_ANSWER_KINDS)
            logouts = [entry for entry in entries if entry.get("url") == FAZ_AUTH_URLS[1]]
            if logouts and logouts[-1].get("code") is None:
                logout_unanswered += 1
        return {"login_lost": login_lost, "logout_unanswered": logout_unanswered}


def soak_worker(config):
    """Entry point of one worker process (spawned, so importable); returns a JSON-able summary."""
    return SoakWorker(config).run()


def soak(runs, workers=3, rate=0.2, seed=1234, kinds=ALL_KINDS, drips=1, timeout=2, exclude_auth=True,
         methods=None, mix=None, workdir=None):
    """Run ``runs`` module runs over ``workers`` processes; returns the merged report (see ``merge``).

    ``drips``: how many workers keep slow_drip among the kinds until it happened once (each drip
    costs a timeout or, see test_reliability_bounded.py, more). ``mix``: the run kinds to draw
    from (default all of MIX). The other arguments are the simulator's ``set_faults``.
    """
    workdir = workdir or tempfile.mkdtemp(prefix="secops-soak-")
    shares = [runs // workers + (1 if index < runs % workers else 0) for index in range(workers)]
    configs = [dict(worker=index, runs=share, rate=rate, seed="%s-%d" % (seed, index), kinds=list(kinds),
                    drip_cap=1 if index < drips else 0, timeout=timeout, exclude_auth=exclude_auth, methods=methods,
                    mix=list(mix or dict(MIX)), state_dir=os.path.join(workdir, "sim-%d" % index))
               for index, share in enumerate(shares)]
    started = time.monotonic()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        summaries = list(pool.map(soak_worker, configs))
    return merge(summaries, time.monotonic() - started, dict(runs=runs, workers=workers, rate=rate, seed=seed,
                                                             kinds=list(kinds), drips=drips, timeout=timeout,
                                                             exclude_auth=exclude_auth, methods=methods))


def merge(summaries, elapsed, settings):
    """One report from the workers' summaries: totals, faults by kind, outcomes, problems."""
    records = [record for summary in summaries for record in summary["records"]]
    faults = collections.Counter()
    for summary in summaries:
        faults.update(summary["faults"]["by_kind"])
    outcomes = collections.Counter(record["outcome"] for record in records)
    by_kind = collections.defaultdict(collections.Counter)
    for record in records:
        by_kind[record["kind"]][record["outcome"]] += 1
    failures = collections.Counter(_message_family(record["msg"]) for record in records
                                   if record["outcome"] == "clean_failure")
    creates = [record for record in records if record["creates"]]
    drips = [record for record in records if "slow_drip" in record["faults"]]
    return {
        "settings": settings,
        "elapsed": round(elapsed, 1),
        "runs": len(records),
        "requests": sum(record["requests"] for record in records),
        "eligible_requests": sum(record["eligible"] for record in records),
        "faulted_runs": sum(1 for record in records if record["faults"]),
        "faults_total": sum(faults.values()),
        "faults_by_kind": dict(sorted(faults.items())),
        "outcomes": dict(outcomes),
        "by_kind": dict((kind, dict(counts)) for kind, counts in sorted(by_kind.items())),
        "failure_messages": dict(failures.most_common()),
        "tracebacks": outcomes.get("traceback", 0),
        "secrets_found": sum(record["secrets_found"] for record in records),
        "sessions_seen": sum(summary["sessions_seen"] for summary in summaries),
        "open_sessions": sum(summary["open_sessions"] for summary in summaries),
        "leaks_explained": dict(sum((collections.Counter(summary["leaks_explained"]) for summary in summaries),
                                    collections.Counter())),
        "creates": len(creates),
        "creates_succeeded": sum(1 for record in creates if record["rc"] == 0),
        "creates_failed_after_applied": sum(1 for record in creates if record["rc"] != 0 and record["created"] == 1),
        "tasks_created": sum(summary["counters"]["faz"]["tasks_created"] + summary["counters"]["gz"]["scan_tasks_created"]
                             for summary in summaries),
        "created_twice": sum(1 for record in records if record["created"] > 1),
        "cancels_reported_already_gone": sum(1 for record in records
                                             if record["cancels"] and record.get("cancel_reported") is False),
        "slow_drip_runs": [dict(elapsed=record["elapsed"], deadline=record["deadline"], outcome=record["outcome"])
                           for record in drips],
        "longest_run": max((record["elapsed"] for record in records if "slow_drip" not in record["faults"]),
                           default=0),
        "problems": [dict(kind=record["kind"], problem=record["problem"], faults=record["faults"],
                          args=_public_args(record["args"]))
                     for record in records if record["problem"]],
    }


def _public_args(args):
    return dict((key, value) for key, value in args.items() if key not in ("password", "api_key", "session_id"))


_FAMILIES = (
    ("was not resent", "not resent: the request may already have taken effect"),
    ("may already have taken effect", "not resent: the request may already have taken effect"),
    ("stopped answering after the request was sent", "not resent: the request may already have taken effect"),
    ("cannot reach", "cannot reach (retries used up)"),
    ("kept answering HTTP 429", "rate limited until the deadline"),
    ("kept answering", "server error until the deadline"),
    ("was not a JSON object", "reply not JSON / an HTML page"),
    ("not JSON", "reply not JSON / an HTML page"),
    ("answered HTTP 500", "HTTP 500 (not retried)"),
    ("answered HTTP", "other HTTP error"),
    ("refused", "refused (permission)"),
    ("still running", "wait timed out"),
    ("still ", "wait timed out"),
    ("deadline", "deadline passed"),
)


def _message_family(msg):
    """A short family name of a failure message, for the report's table."""
    msg = msg or ""
    batch = re.match(r"^\d+ of \d+ (FortiView|GravityZone) tasks failed: (.*)$", msg)
    if batch:
        return "batch: " + _message_family(batch.group(2))
    for marker, family in _FAMILIES:
        if marker in msg:
            return family
    return msg[:60]


if __name__ == "__main__":  # pragma: no cover - a quick manual run: python -m tests.integration.reliability_helpers
    print(json.dumps(soak(int(sys.argv[1]) if len(sys.argv) > 1 else 30), indent=1)[:4000])
