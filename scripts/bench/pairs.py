# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The measured pairs of issue 4: each runs its variants alternately and returns plain data."""

from __future__ import annotations

import json
import math
import os
import pstats
import subprocess
import time

from harness import (
    FAZ_PASSWORD,
    FAZ_USER,
    GZ_API_KEY,
    TIME_BINARY,
    BenchError,
    clean_environment,
    counter_delta,
    median,
    spread,
)

SEED_TID = 12450  # top-sources, root, done: the seed document's task
# Seconds a pair-2 task runs: long enough that both waiters poll it more than once even when
# ansible-playbook starts slowly on a busy machine.
# Pair 2's task durations spread evenly over one period of the uri loop's 2 s delay, so neither waiter
# gains from where its polls happen to fall relative to the finish (real tasks take any time).
WAIT_DURATION = 5.0
WAIT_SPREAD = 2.0
BATCH_SIZE = 50
GZ_BIG_TASK = "6500000000000000000f5000"  # finished, 5,000 subtasks
GZ_SUBTASKS = 5000
CONSOLE_PER_PAGE = 30  # the GravityZone console's default page size
MAX_PER_PAGE = 1000
MODULE_DEFAULT_PER_PAGE = 100
GZ_MAX_PAGES = 200  # per_page 30 needs 167 pages; the module's default max_pages is 100


class Bench:
    """What every pair needs: the simulator, the playbook runner, and the empty-playbook times."""

    def __init__(self, sim, runner, collections_path, python, progress):
        self.sim = sim
        self.runner = runner
        self.collections_path = collections_path
        self.python = python
        self.progress = progress
        self.empty_walls = []
        # Called after each run, before the counters are read (pair 9: waits for the processes a run
        # left behind); what it returns is kept as ``run.settled``.
        self.settle = None

    def run(self, label, playbook, extra_vars=None, measure_rss=False):
        """One playbook run that must succeed, with the simulator's counter changes it caused."""
        before = self.sim.counters()
        run = self.runner.run(playbook, label, extra_vars, measure_rss).check()
        run.settled = self.settle() if self.settle else None
        run.counters = counter_delta(before, self.sim.counters())
        if run.counters.get("faz.open_sessions"):
            raise BenchError("%s left %d FortiAnalyzer session(s) open; see %s"
                             % (label, run.counters["faz.open_sessions"], run.run_dir))
        if label == "empty":
            self.empty_walls.append(run.wall)
        return run

    def alternate(self, variants, repetitions, warm_up=False):
        """Run ``(label, playbook, extra_vars, measure_rss)`` variants in turn, reversing the order every repetition.

        Returns ``{label: [PlaybookRun, ...]}``.
        """
        if warm_up:
            for label, playbook, extra_vars, measure_rss in variants:
                self.runner.run(playbook, "warm-up-" + label, extra_vars, measure_rss).check()
        runs = dict((variant[0], []) for variant in variants)
        for repetition in range(repetitions):
            order = variants if repetition % 2 == 0 else list(reversed(variants))
            for label, playbook, extra_vars, measure_rss in order:
                runs[label].append(self.run(label, playbook, extra_vars, measure_rss))
            self.progress("  repetition %d/%d done" % (repetition + 1, repetitions))
        return runs

    def baseline(self):
        """Median wall time of every empty playbook run so far."""
        return median(self.empty_walls)


def _task_seconds(runs, name):
    return [run.record(name)["end"] - run.record(name)["start"] for run in runs]


def _walls(runs):
    return [run.wall for run in runs]


def _counter(runs, name):
    return [run.counters.get(name, 0) for run in runs]


def _variant_summary(runs, request_counter, task_names):
    """Wall times, requests and per-task times of one variant's runs."""
    wall = spread(_walls(runs))
    summary = {
        "runs": len(runs),
        "wall": wall,
        "walls": _walls(runs),
        "requests": spread(_counter(runs, request_counter)),
        "callback_task_s": dict((name, median(_task_seconds(runs, name))) for name in task_names),
    }
    for name in ("faz.logins", "faz.logouts", "gz.rate_limited"):
        if any(run.counters.get(name) for run in runs):
            summary[name] = spread(_counter(runs, name))
    rss = [max(run.rss_kib) for run in runs if run.rss_kib]
    if rss:
        summary["module_max_rss_kib"] = spread(rss)
    return summary


def _expect(run, task, **facts):
    summary = run.record(task)["summary"]
    for key, wanted in facts.items():
        if summary.get(key) != wanted:
            raise BenchError("%s: task %r returned %s=%r, expected %r; see %s"
                             % (run.label, task, key, summary.get(key), wanted, run.run_dir))


# -- pair 1 -------------------------------------------------------------------------------------
def fetch_one(bench, repetitions):
    """Pair 1: one finished task: ping (the floor), the module with a password and with an API key, and the
    four-task uri chain (login, get, assert, logout)."""
    variants = [
        ("empty", "empty.yml", {}, False),
        ("ping", "ping.yml", {}, False),
        ("module", "fetch_module.yml", {"tid": SEED_TID}, False),
        ("module api key", "fetch_module_key.yml", {"tid": SEED_TID}, False),
        ("uri chain", "fetch_uri.yml", {"tid": SEED_TID}, False),
    ]
    runs = bench.alternate(variants, repetitions, warm_up=True)
    for run in runs["module"] + runs["module api key"]:
        _expect(run, "Fetch the task", done=True, status="done")
    for run in runs["uri chain"]:
        _expect(run, "Get the task", rpc_code=0, rpc_status="done")
    return {
        "tid": SEED_TID,
        "empty": _variant_summary(runs["empty"], "faz.requests", []),
        "ping": _variant_summary(runs["ping"], "faz.requests", ["Ping"]),
        "module": _variant_summary(runs["module"], "faz.requests", ["Fetch the task"]),
        "module api key": _variant_summary(runs["module api key"], "faz.requests", ["Fetch the task"]),
        "uri chain": _variant_summary(runs["uri chain"], "faz.requests",
                                      ["Log in", "Get the task", "Assert the status code", "Log out"]),
        "processes": module_processes(bench, repetitions),
    }


def module_processes(bench, repetitions):
    """The module and uri processes alone, without ansible-playbook: where a task's time goes.

    Each is run as ``python MODULE ARGS.json`` (AnsibleModule reads its arguments from that
    file), the collection importable from the installed path. ``imports`` only imports what the
    module imports; ``python`` starts the interpreter and exits.
    """
    sim = bench.sim
    work = os.path.join(bench.runner.work_dir, "processes")
    os.makedirs(work, exist_ok=True)
    module_file = os.path.join(bench.collections_path, "ansible_collections", "secops", "async_tasks", "plugins",
                               "modules", "faz_top_sources_result.py")
    module_args = dict(host="127.0.0.1", port=sim.port, username=FAZ_USER, password=FAZ_PASSWORD,
                       ca_path=sim.ca_path, tid=SEED_TID)
    uri_args = dict(url=sim.faz_url + "/jsonrpc", method="POST", body_format="json", ca_path=sim.ca_path,
                    body={"id": 1, "method": "exec",
                          "params": [{"url": "/sys/login/user", "data": {"user": FAZ_USER, "passwd": FAZ_PASSWORD}}]})
    paths = {}
    for name, args in (("module", module_args), ("uri", uri_args)):
        paths[name] = os.path.join(work, name + ".json")
        with open(paths[name], "w", encoding="utf-8") as stream:
            json.dump({"ANSIBLE_MODULE_ARGS": args}, stream)
    commands = [
        ("python", [bench.python, "-c", "pass"]),
        ("import ansible.module_utils.basic", [bench.python, "-c", "import ansible.module_utils.basic"]),
        ("import requests", [bench.python, "-c", "import requests"]),
        ("module imports", [bench.python, "-c",
                            "import ansible_collections.secops.async_tasks.plugins.module_utils.faz_runner"]),
        ("module run", [bench.python, module_file, paths["module"]]),
        ("uri login run", [bench.python, "-m", "ansible.modules.uri", paths["uri"]]),
    ]
    env = clean_environment(bench.python)
    env["PYTHONPATH"] = bench.collections_path
    env["HOME"] = bench.runner.home
    times = dict((name, []) for name, argv in commands)
    requests = dict((name, []) for name, argv in commands)
    for repetition in range(repetitions):
        order = commands if repetition % 2 == 0 else list(reversed(commands))
        for name, argv in order:
            before = sim.counters()
            started = time.monotonic()
            done = subprocess.run(argv, env=env, cwd=work, stdin=subprocess.DEVNULL, capture_output=True, timeout=60,
                                  check=False)
            times[name].append(time.monotonic() - started)
            requests[name].append(counter_delta(before, sim.counters()).get("faz.requests", 0))
            if done.returncode != 0:
                raise BenchError("%s exited %d: %s" % (name, done.returncode, done.stdout[-500:] + done.stderr[-500:]))
        # The uri login above opened a session nobody logs out; it expires on its own, but the
        # session cap must not fill up during the bench.
        sim.control("POST", "/_sim/faz/expire-sessions")
    return dict((name, {"seconds": spread(times[name]), "requests": median(requests[name])}) for name, argv in commands)


# -- pair 2 -------------------------------------------------------------------------------------
WAITERS = {
    "module wait": ("wait_module.yml", "Wait for the task"),
    "uri until": ("wait_uri.yml", "Poll the task until it is no longer running"),
}


def wait_for_task(bench, repetitions):
    """Pair 2: both waiters started together on tasks created together, alternating who goes first."""
    sim = bench.sim
    samples = dict((name, []) for name in WAITERS)
    for repetition in range(repetitions):
        order = list(WAITERS) if repetition % 2 == 0 else list(reversed(list(WAITERS)))
        duration = WAIT_DURATION + WAIT_SPREAD * repetition / repetitions
        tasks = {}
        for name in order:
            tasks[name] = sim.faz_create_task(view="top-sources", duration=duration)
        before = sim.counters()
        running = {}
        for name in order:
            running[name] = bench.runner.start(WAITERS[name][0], name, {"tid": tasks[name][0]})
        finished = dict((name, running[name].finish().check()) for name in order)
        delta = counter_delta(before, sim.counters())
        log = sim.log("faz")
        polls_total = 0
        for name in order:
            tid, created = tasks[name]
            run, task_name = finished[name], WAITERS[name][1]
            summary = run.record(task_name)["summary"]
            if summary.get("status") != "done" and summary.get("rpc_status") != "done":
                raise BenchError("%s did not see task %d done: %s; see %s" % (name, tid, summary, run.run_dir))
            task_url = "/fortiview/adom/root/top-sources/run/%d" % tid
            polls = sum(1 for entry in log if entry.get("method") == "get" and entry.get("url") == task_url)
            polls_total += polls
            done_at = created + duration
            samples[name].append({
                "polls": polls,
                "requests": polls + 2,  # one login and one logout each: checked on the totals below
                "result_delay": run.record(task_name)["end"] - done_at,
                "exit_delay": run.ended - done_at,
                "started_after_create": run.started - created,
                "wall": run.wall,
                "callback_task_s": run.record(task_name)["end"] - run.record(task_name)["start"],
            })
        if delta.get("faz.logins") != 2 or delta.get("faz.logouts") != 2 or delta.get("faz.requests") != polls_total + 4:
            raise BenchError("pair 2 repetition %d: expected 2 logins, 2 logouts and %d requests, counters say %s"
                             % (repetition + 1, polls_total + 4, delta))
        bench.progress("  repetition %d/%d done" % (repetition + 1, repetitions))
    result = {"duration": "%.1f-%.1f" % (WAIT_DURATION, WAIT_DURATION + WAIT_SPREAD * (repetitions - 1) / repetitions)}
    for name, entries in samples.items():
        result[name] = dict((key, spread([entry[key] for entry in entries]))
                            for key in ("polls", "requests", "result_delay", "exit_delay", "started_after_create", "wall",
                                        "callback_task_s"))
        result[name]["samples"] = entries
    return result


# -- pair 3 -------------------------------------------------------------------------------------
def many_tasks(bench, repetitions):
    """Pair 3: fifty finished tasks: tids vs a loop over the module vs a loop over uri."""
    tids = [bench.sim.faz_create_task(view="top-sources", status="done", rows=10)[0] for index in range(BATCH_SIZE)]
    variants = [
        ("empty", "empty.yml", {}, False),
        ("tids", "batch_tids.yml", {"tids": tids}, False),
        ("module loop", "batch_module_loop.yml", {"tids": tids}, False),
        ("uri loop", "batch_uri_loop.yml", {"tids": tids}, False),
    ]
    runs = bench.alternate(variants, repetitions)
    for run in runs["tids"]:
        _expect(run, "Fetch the tasks", n_results=BATCH_SIZE, n_done=BATCH_SIZE)
    for run in runs["module loop"]:
        _expect(run, "Fetch each task", n_results=BATCH_SIZE, n_done=BATCH_SIZE)
    for run in runs["uri loop"]:
        _expect(run, "Get each task", n_results=BATCH_SIZE, n_done=BATCH_SIZE)
    return {
        "tasks": BATCH_SIZE,
        "empty": _variant_summary(runs["empty"], "faz.requests", []),
        "tids": _variant_summary(runs["tids"], "faz.requests", ["Fetch the tasks"]),
        "module loop": _variant_summary(runs["module loop"], "faz.requests", ["Fetch each task"]),
        "uri loop": _variant_summary(runs["uri loop"], "faz.requests", ["Log in", "Get each task", "Log out"]),
    }


# -- pair 4 -------------------------------------------------------------------------------------
def gz_paging(bench, repetitions, with_module_default=True):
    """Pair 4: 5,000 subtasks with per_page 1000 vs the console's 30 (and the module's default 100)."""
    measure_rss = bench.runner.can_measure_rss()
    sizes = [MAX_PER_PAGE, CONSOLE_PER_PAGE] + ([MODULE_DEFAULT_PER_PAGE] if with_module_default else [])
    variants = [("empty", "empty.yml", {}, False)]
    for per_page in sizes:
        variants.append(("per_page %d" % per_page, "gz_subtasks.yml",
                         {"gz_task_id": GZ_BIG_TASK, "per_page": per_page, "max_pages": GZ_MAX_PAGES}, measure_rss))
    runs = bench.alternate(variants, repetitions)
    result = {"alone": gz_module_alone(bench, repetitions),
              "subtasks": GZ_SUBTASKS, "task_id": GZ_BIG_TASK, "rss_measured": measure_rss, "max_pages": GZ_MAX_PAGES,
              "empty": _variant_summary(runs["empty"], "gz.requests", []), "sizes": sizes}
    for per_page in sizes:
        label = "per_page %d" % per_page
        for run in runs[label]:
            _expect(run, "Read the task with all its subtasks", n_subtasks=GZ_SUBTASKS, finished=True,
                    pages_fetched=math.ceil(GZ_SUBTASKS / per_page))
        result[label] = _variant_summary(runs[label], "gz.requests", ["Read the task with all its subtasks"])
    return result


def gz_module_alone(bench, repetitions):
    """gz_task_status with per_page 1000 run as ``python MODULE ARGS.json``: time, output size, peak RSS."""
    sim = bench.sim
    work = os.path.join(bench.runner.work_dir, "processes")
    os.makedirs(work, exist_ok=True)
    module_file = os.path.join(bench.collections_path, "ansible_collections", "secops", "async_tasks", "plugins",
                               "modules", "gz_task_status.py")
    args_file = os.path.join(work, "gz.json")
    with open(args_file, "w", encoding="utf-8") as stream:
        json.dump({"ANSIBLE_MODULE_ARGS": dict(api_url=sim.gz_api_url, api_key=GZ_API_KEY, ca_path=sim.ca_path,
                                               task_id=GZ_BIG_TASK, per_page=MAX_PER_PAGE)}, stream)
    rss_file = os.path.join(work, "gz.rss")
    argv = [bench.python, module_file, args_file]
    if bench.runner.can_measure_rss():
        argv = [TIME_BINARY, "-f", "%M", "-o", rss_file] + argv
    env = clean_environment(bench.python)
    env["PYTHONPATH"] = bench.collections_path
    env["HOME"] = bench.runner.home
    seconds, sizes, rss = [], [], []
    for repetition in range(repetitions):
        started = time.monotonic()
        done = subprocess.run(argv, env=env, cwd=work, stdin=subprocess.DEVNULL, capture_output=True, timeout=120,
                              check=False)
        seconds.append(time.monotonic() - started)
        if done.returncode != 0:
            raise BenchError("gz_task_status alone exited %d (repetition %d): %s"
                             % (done.returncode, repetition + 1, done.stdout[-500:] + done.stderr[-500:]))
        output = json.loads(done.stdout)
        if len(output.get("subtasks", [])) != GZ_SUBTASKS:
            raise BenchError("gz_task_status alone returned %d subtasks" % len(output.get("subtasks", [])))
        sizes.append(len(done.stdout))
        if os.path.exists(rss_file):
            with open(rss_file, encoding="utf-8") as stream:
                rss.extend(int(line) for line in (raw.strip() for raw in stream) if line.isdigit())
    result = {"seconds": spread(seconds), "output_bytes": median(sizes), "max_rss_kib": spread(rss),
              "facts_repeat_subtasks": "subtasks" in output.get("ansible_facts", {}).get("gz_task", {})}
    result["profile"] = profile_module(bench, module_file, args_file, env, work)
    return result


# Functions whose cumulative time the profile reports: (label, file name ending, function name).
PROFILED = (
    ("main()", "gz_task_status.py", "main"),
    ("reading the pages and normalising (read_task)", "gz_runner.py", "read_task"),
    ("exit_json", "basic.py", "exit_json"),
    ("no_log scrubbing of the result (remove_values)", "parameters.py", "remove_values"),
    ("JSON encoding of the result", "basic.py", "_record_module_result"),
)


def profile_module(bench, module_file, args_file, env, work):
    """One run of the module under cProfile: cumulative seconds of the functions in PROFILED.

    cProfile slows Python code down, so these are shares of a profiled run, not times.
    """
    profile_file = os.path.join(work, "gz.prof")
    done = subprocess.run([bench.python, "-m", "cProfile", "-o", profile_file, module_file, args_file], env=env, cwd=work,
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=120, check=False)
    if done.returncode != 0:
        raise BenchError("gz_task_status under cProfile exited %d" % done.returncode)
    stats = pstats.Stats(profile_file).stats
    total = max(entry[3] for entry in stats.values())
    shares = {"total": total}
    for label, file_suffix, function in PROFILED:
        shares[label] = sum(entry[3] for (filename, line, name), entry in stats.items()
                            if filename.endswith(file_suffix) and name == function)
    return shares
