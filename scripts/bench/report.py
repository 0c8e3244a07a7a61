# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Turn one bench run's results (plain data) into the summary table and docs/benchmarks.md."""

from __future__ import annotations

import controller_pair
import fortinet_pair
import logsearch_pair
import report_pair

RATIO_GOAL_FETCH = 0.5
# One fetch with an API key, as a multiple of ansible.builtin.ping's task time (the floor).
PING_MULTIPLE_GOAL = 1.5
SPEEDUP_GOAL_BATCH = 10.0


def _seconds(value):
    return "n/a" if value is None else "%.2f s" % value


def _ms(value):
    return "n/a" if value is None else "%.0f ms" % (value * 1000.0)


def _spread_s(triple):
    middle, low, high = triple
    if middle is None:
        return "n/a"
    return "%.2f s (%.2f-%.2f)" % (middle, low, high)


def _count(triple):
    middle, low, high = triple
    if middle is None:
        return "n/a"
    if low == high:
        return "%g" % middle
    return "%g (%g-%g)" % (middle, low, high)


def _mib(kib):
    return "n/a" if kib is None else "%.1f MiB" % (kib / 1024.0)


def _yes(flag):
    return "**met**" if flag else "**missed**"


def task_time(variant, baseline):
    """Median wall time minus the empty playbook's median wall time."""
    return variant["wall"][0] - baseline


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for column in header) + "|"]
    lines.extend("| " + " | ".join(str(cell) for cell in row) + " |" for row in rows)
    return lines


# -- goals ---------------------------------------------------------------------------------------
def goals(results):
    """One entry per pair: what was compared, the numbers, the goal and whether it was met."""
    baseline = results["baseline"]
    entries = []
    fetch = results.get("fetch_one")
    if fetch:
        entries.extend(_fetch_goals(fetch, baseline))
    wait = results.get("wait_for_task")
    if wait:
        ours, theirs = wait["module wait"], wait["uri until"]
        fewer = ours["requests"][0] <= theirs["requests"][0]
        sooner = ours["result_delay"][0] < theirs["result_delay"][0]
        entries.append({
            "pair": "2. wait for a %s s task" % wait["duration"],
            "ours": "wait: true, result %s after done" % _ms(ours["result_delay"][0]),
            "theirs": "uri until, result %s after done" % _ms(theirs["result_delay"][0]),
            "ratio": "delay %+.0f ms" % ((ours["result_delay"][0] - theirs["result_delay"][0]) * 1000.0),
            "requests": "%s / %s" % (_count(ours["requests"]), _count(theirs["requests"])),
            "goal": "no more requests, smaller delay (medians)",
            "met": fewer and sooner,
            "caveat": _more_requests_caveat(wait),
        })
    many = results.get("many_tasks")
    if many:
        ours = task_time(many["tids"], baseline)
        loop, uri = task_time(many["module loop"], baseline), task_time(many["uri loop"], baseline)
        speedup = loop / ours if ours > 0 else None
        entries.append({
            "pair": "3. %d finished tasks" % many["tasks"],
            "ours": "tids %s" % _seconds(ours),
            "theirs": "module loop %s; uri loop %s" % (_seconds(loop), _seconds(uri)),
            "ratio": "n/a" if speedup is None else "%.1f x faster than the module loop, %.1f x than uri"
            % (speedup, uri / ours),
            "requests": "%s / %s / %s" % (_count(many["tids"]["requests"]), _count(many["module loop"]["requests"]),
                                          _count(many["uri loop"]["requests"])),
            "goal": ">= %.0f x faster than the module loop" % SPEEDUP_GOAL_BATCH,
            "met": speedup is not None and speedup >= SPEEDUP_GOAL_BATCH,
        })
    paging = results.get("gz_paging")
    if paging:
        big, small = paging["per_page 1000"], paging["per_page 30"]
        ours, theirs = task_time(big, baseline), task_time(small, baseline)
        entries.append({
            "pair": "4. GravityZone task, {:,} subtasks".format(paging["subtasks"]),
            "ours": "per_page 1000 %s, RSS %s" % (_seconds(ours), _mib(big.get("module_max_rss_kib", (None,))[0])),
            "theirs": "per_page 30 %s, RSS %s" % (_seconds(theirs), _mib(small.get("module_max_rss_kib", (None,))[0])),
            "ratio": "%.2f x" % (ours / theirs) if theirs > 0 else "n/a",
            "requests": "%s / %s" % (_count(big["requests"]), _count(small["requests"])),
            "goal": "(measure; no target)",
            "met": None,
        })
    if results.get("log_search"):
        entries.append(logsearch_pair.goal(results["log_search"], baseline))
    if results.get("report"):
        entries.append(report_pair.goal(results["report"], baseline))
    if results.get("controller"):
        entries.extend(controller_pair.goal_entries(results["controller"]))
    if results.get("fortinet"):
        entries.extend(fortinet_pair.goal_entries(results["fortinet"]))
    normalise = results.get("normalise")
    if normalise:
        seed = dict((entry["rows"], entry) for entry in normalise if entry["shape"] == "seed")
        sizes = sorted(seed)
        entries.append({
            "pair": "5. normalise FortiView rows (seed shape)",
            "ours": ", ".join("%dk %s" % (rows // 1000, _ms(seed[rows]["normalise_s"])) for rows in sizes),
            "theirs": "-",
            "ratio": "%.1f us/row at %dk" % (seed[sizes[-1]]["us_per_row"], sizes[-1] // 1000),
            "requests": "-",
            "goal": "(measure; growth visible)",
            "met": None,
        })
    return entries


def _fetch_goals(fetch, baseline):
    ours, theirs = task_time(fetch["module"], baseline), task_time(fetch["uri chain"], baseline)
    ratio = ours / theirs if theirs > 0 else None
    entries = [{
        "pair": "1. fetch one finished task (password)",
        "ours": "module %s" % _seconds(ours),
        "theirs": "4-task uri chain %s" % _seconds(theirs),
        "ratio": "n/a" if ratio is None else "%.2f x" % ratio,
        "requests": "%s / %s" % (_count(fetch["module"]["requests"]), _count(fetch["uri chain"]["requests"])),
        "goal": "<= %.1f x the chain's time" % RATIO_GOAL_FETCH,
        "met": ratio is not None and ratio <= RATIO_GOAL_FETCH,
    }]
    if "ping" in fetch and "module api key" in fetch:
        keyed, floor = task_time(fetch["module api key"], baseline), task_time(fetch["ping"], baseline)
        multiple = keyed / floor if floor > 0 else None
        entries.append({
            "pair": "1. fetch one finished task (API key)",
            "ours": "module %s" % _seconds(keyed),
            "theirs": "ansible.builtin.ping %s" % _seconds(floor),
            "ratio": "n/a" if multiple is None else "%.2f x ping" % multiple,
            "requests": "%s / 0" % _count(fetch["module api key"]["requests"]),
            "goal": "<= %.1f x ping's time" % PING_MULTIPLE_GOAL,
            "met": multiple is not None and multiple <= PING_MULTIPLE_GOAL,
        })
    return entries


def _more_requests(wait):
    """``(repetitions in which the module sent more requests than the uri loop, repetitions)``."""
    ours = [sample["requests"] for sample in wait["module wait"]["samples"]]
    theirs = [sample["requests"] for sample in wait["uri until"]["samples"]]
    return sum(1 for mine, other in zip(ours, theirs) if mine > other), len(ours)


def _more_requests_caveat(wait):
    more, count = _more_requests(wait)
    return "; 1+ more requests in %d of %d repetitions" % (more, count) if more else ""


def _summary_row(entry):
    met = "-" if entry["met"] is None else ("met" if entry["met"] else "MISSED")
    met += entry.get("caveat", "")
    return (entry["pair"], entry["ours"], entry["theirs"], entry["ratio"], entry["requests"], entry["goal"], met)


def summary_table(results):
    rows = [_summary_row(entry) for entry in goals(results)]
    return _table(("pair", "ours", "alternative", "ratio", "requests (ours / alternative)", "goal", "result"), rows)


def splice_summary(document, entries, prefix):
    """``document`` with the Summary table's rows of pair ``prefix`` (e.g. "9. ") replaced by ``entries``."""
    text = document.split("\n")
    start = next((index for index, line in enumerate(text) if line == "## Summary"), None)
    if start is None:
        return document
    first = next(index for index in range(start, len(text)) if text[index].startswith("|"))
    end = next((index for index in range(first, len(text)) if not text[index].startswith("|")), len(text))
    kept = [line for line in text[first:end] if not line.startswith("| " + prefix)]
    added = ["| " + " | ".join(str(cell) for cell in _summary_row(entry)) + " |" for entry in entries]
    return "\n".join(text[:first] + kept + added + text[end:])


# -- the document ----------------------------------------------------------------------------------
def markdown(results):
    machine = results["machine"]
    baseline = results["baseline"]
    lines = [
        "# Benchmarks",
        "",
        "Generated by `scripts/bench/run.py` (`make bench`) from one real run; do not edit by hand, run it again.",
        "Every number below comes from the run described here, against the built-in simulator on 127.0.0.1",
        "(`docs/simulator.md`), so it measures the client side - Ansible, the modules, the HTTP and TLS",
        "work - not a real appliance's speed.",
        "",
        "## Machine and run",
        "",
    ]
    lines += _table(("what", "value"), [
        ("date (UTC)", machine["date"]),
        ("CPU", machine["cpu"]),
        ("cores", machine["cores"]),
        ("memory", machine["memory"]),
        ("OS", machine["platform"]),
        ("Python", machine["python"]),
        ("ansible-core", machine["ansible_core"]),
        ("requests", machine["requests"]),
        ("collection", machine["collection"]),
        ("repetitions", "pairs 1, 2 and 5: %d; pairs 3 and 4: %d (each variant)"
         % (results["repetitions"]["short"], results["repetitions"]["long"])),
        ("source", machine.get("source", "unknown")),
        ("load average at start / end (1 min)", "%s / %s" % (machine["load_start"], machine["load_end"])),
        ("bench duration", _seconds(results["elapsed"])),
    ])
    lines += [
        "",
        "A load average well above the core count means other work shared the machine during the run:",
        "every variant of a pair ran alternately, so they shared it alike, but absolute times are then higher",
        "and noisier than on an idle machine.",
        "",
        "## Summary",
        "",
    ]
    lines += summary_table(results)
    lines += [
        "",
        "Ratios compare **task time**: a playbook's median wall time minus the median wall time of an empty",
        "playbook (one play, `gather_facts: false`, no task) measured in the same run, %s over %d runs."
        % (_seconds(baseline), len(results["empty_walls"])),
        "",
        "## How it was measured",
        "",
        "- The simulator runs in a child process (`python -m tests.simulator`) on 127.0.0.1; every playbook",
        "  verifies its certificate with `ca_path` (the modules and `ansible.builtin.uri` alike).",
        "- Each playbook is run by the project venv's `ansible-playbook` with `ANSIBLE_COLLECTIONS_PATH` set",
        "  to the installed collection (`make install`; copied to `.tmp/bench/collections` when the bench starts,",
        "  so that an install during the run changes nothing), an empty `ansible.cfg`, local connection, no facts.",
        "  Every run is checked: exit status 0, every task ok, the task done, the expected number of results or",
        "  subtasks, no session left open.",
        "- Variants of a pair run alternately (the order reverses every repetition); tables give the median",
        "  and, in brackets, the minimum and maximum.",
        "- Wall time: `time.monotonic()` around the `ansible-playbook` process, start to exit.",
        "- Callback task time: from the task's start to its result reaching the controller, recorded by",
        "  `scripts/bench/callback_plugins/bench_timing.py` (a cross-check that needs no subtraction).",
        "- Requests: the simulator's counters (`GET /_sim/counters`) before and after each run; pair 2 counts",
        "  each waiter's polls in the simulator's request log by its task's URL.",
        "- Peak memory of a module process (pair 4): the interpreter Ansible runs the module with is a",
        "  wrapper `exec /usr/bin/time -f %M python`, so the figure is GNU time's maximum resident set size",
        "  of the module process exactly as Ansible runs it (AnsiballZ wrapper included).",
        "- Pair 5 calls `normalise_task` of `plugins/module_utils/faz.py` in-process: `time.perf_counter()`",
        "  around the call (median of the repetitions) and tracemalloc's peak during a separate call.",
        "",
    ]
    lines += _fetch_section(results, baseline)
    lines += _wait_section(results)
    lines += _many_section(results, baseline)
    lines += _paging_section(results, baseline)
    lines += _normalise_section(results)
    if results.get("log_search"):
        lines += logsearch_pair.section(results["log_search"], baseline, _table) + [""]
    if results.get("report"):
        lines += report_pair.section(results["report"], baseline, _table) + [""]
    if results.get("controller"):
        lines += controller_pair.section(results["controller"], _table, machine) + [""]
    if results.get("fortinet"):
        lines += fortinet_pair.section(results["fortinet"], _table, machine) + [""]
    elif results.get("fortinet_skipped"):
        lines += fortinet_pair.skipped_section(results["fortinet_skipped"]) + [""]
    lines += _analysis_section(results)
    return "\n".join(lines) + "\n"


def _variant_rows(results_part, labels, baseline, tasks=False):
    rows = []
    for label in labels:
        variant = results_part[label]
        task = "-" if label == "empty" else _seconds(task_time(variant, baseline))
        callback = ", ".join("%s %s" % (name, _seconds(value)) for name, value in variant["callback_task_s"].items())
        row = [label, _spread_s(variant["wall"]), task, _count(variant["requests"])]
        if tasks:
            row.append(callback or "-")
        rows.append(row)
    return rows


def _fetch_section(results, baseline):
    fetch = results.get("fetch_one")
    if not fetch:
        return []
    lines = [
        "## 1. Fetch one finished task",
        "",
        "Task %d (the seed's finished top-sources task). The module (`faz_top_sources_result`) with a password"
        % fetch["tid"],
        "login and with an API key, against four tasks a user writes instead: `ansible.builtin.uri` log in",
        "(`no_log`), get, `ansible.builtin.assert` on the JSON-RPC status code, log out in `always`",
        "(`scripts/bench/playbooks/fetch_uri.yml`). `ansible.builtin.ping` (`ping.yml`) is the floor: the",
        "cheapest module task there is; the last column gives each variant's task time as a multiple of it.",
        "",
    ]
    labels = [label for label in ("empty", "ping", "module", "module api key", "uri chain") if label in fetch]
    rows = _variant_rows(fetch, labels, baseline, tasks=True)
    floor = task_time(fetch["ping"], baseline) if "ping" in fetch else None
    for label, row in zip(labels, rows):
        multiple = task_time(fetch[label], baseline) / floor if floor and label != "empty" else None
        row.append("-" if multiple is None else "%.2f x" % multiple)
    lines += _table(("variant", "wall", "task time", "requests", "callback task time", "x ping"), rows)
    processes = fetch.get("processes")
    if processes:
        lines += [
            "",
            "The processes alone, without `ansible-playbook` (`python MODULE ARGS.json`, alternating, same",
            "repetitions): where the module's time goes.",
            "",
        ]
        rows = [(name, _spread_s(entry["seconds"]), "%g" % entry["requests"]) for name, entry in processes.items()]
        lines += _table(("process", "time", "requests"), rows)
    lines.append("")
    return lines


def _wait_section(results):
    wait = results.get("wait_for_task")
    if not wait:
        return []
    lines = [
        "## 2. Wait for a task that finishes after %s s" % wait["duration"],
        "",
        "Each repetition creates two tasks through the control API (`POST /_sim/faz/tasks`, durations %s s, spread "
        "evenly over one 2 s period of the uri loop's delay across repetitions, the same for both waiters),"
        % wait["duration"],
        "one per waiter, back to back, then starts both playbooks at once (which one is started first",
        "alternates). The task is done at its creation time plus its duration (the simulator's monotonic",
        "clock, the same clock as this machine's); the result delay is the time from then until the result",
        "reached the controller (the waiting task's callback), the exit delay until `ansible-playbook` exited.",
        "The module uses its defaults (`wait: true`, `poll_interval: 2`); the uri loop is",
        "`until` / `retries: 30` / `delay: 2` (`scripts/bench/playbooks/wait_uri.yml`). The duration is long",
        "enough that both waiters poll more than once even when ansible-playbook starts slowly on a busy machine.",
        "",
    ]
    rows = []
    for name in ("module wait", "uri until"):
        entry = wait[name]
        rows.append((name, _spread_s(entry["result_delay"]), _spread_s(entry["exit_delay"]), _count(entry["polls"]),
                     _count(entry["requests"]), _spread_s(entry["started_after_create"])))
    lines += _table(("waiter", "result delay", "exit delay", "polls", "requests", "playbook start after create"), rows)
    lines.append("")
    return lines


def _many_section(results, baseline):
    many = results.get("many_tasks")
    if not many:
        return []
    lines = [
        "## 3. Fifty finished tasks",
        "",
        "%d tasks created done (10 rows each). `tids` in one module task; a `loop:` over the module (one login"
        % many["tasks"],
        "and logout per task); a `loop:` over `ansible.builtin.uri` the way a careful user writes it - one",
        "login, a loop of gets over that session, one logout (`scripts/bench/playbooks/batch_uri_loop.yml`).",
        "",
    ]
    lines += _table(("variant", "wall", "task time", "requests", "callback task time"),
                    _variant_rows(many, ("empty", "tids", "module loop", "uri loop"), baseline, tasks=True))
    lines.append("")
    return lines


def _paging_section(results, baseline):
    paging = results.get("gz_paging")
    if not paging:
        return []
    lines = [
        "## 4. GravityZone task with {:,} subtasks".format(paging["subtasks"]),
        "",
        "Task `%s` (finished, {:,} subtasks), every page, `gz_task_status` with `max_pages: %d` (per_page 30"
        .format(paging["subtasks"]) % (paging["task_id"], paging["max_pages"]),
        "needs 167 pages, more than the default `max_pages` of 100). The simulator limits the key to 10",
        "requests per second (burst 10), as the console does; the module paces itself under that.",
        "",
    ]
    rows = []
    for label in ["empty"] + ["per_page %d" % size for size in paging["sizes"]]:
        variant = paging[label]
        rss = variant.get("module_max_rss_kib")
        limited = variant.get("gz.rate_limited", (0, 0, 0))
        rows.append((label, _spread_s(variant["wall"]),
                     "-" if label == "empty" else _seconds(task_time(variant, baseline)),
                     _count(variant["requests"]), _count(limited),
                     "-" if not rss else "%s (%s-%s)" % (_mib(rss[0]), _mib(rss[1]), _mib(rss[2]))))
    lines += _table(("variant", "wall", "task time", "requests", "HTTP 429", "module peak RSS"), rows)
    if not paging["rss_measured"]:
        lines += ["", "/usr/bin/time was not found: peak RSS was not measured."]
    lines.append("")
    return lines


def _normalise_section(results):
    normalise = results.get("normalise")
    if not normalise:
        return []
    lines = [
        "## 5. Normalising FortiView rows",
        "",
        "`normalise_task('top-sources', ...)` on a done task's decoded reply, generated rows in the seed shape",
        "(`srcip, hostname, sessions, bytes, bandwidth, country`) and the real apiver-3 shape (`srcip,",
        "srcip_hostname, bandwidth, sessions, threatweight`). Peak is tracemalloc's peak during the call",
        "(what normalising allocates on top of the decoded reply, which is shown for scale). JSON encode is",
        "`json.dumps` of the normalised rows, which the module's `exit_json` also pays. A FortiView task returns",
        "at most 10,000 rows (`limit`); 100k shows the growth.",
        "",
    ]
    rows = []
    for entry in normalise:
        rows.append(("{:,}".format(entry["rows"]), entry["shape"],
                     "%s (%s-%s)" % (_ms(entry["normalise_s"]), _ms(entry["normalise_min_s"]), _ms(entry["normalise_max_s"])),
                     "%.2f" % entry["us_per_row"], "%.1f MiB" % entry["peak_mib"], "%.1f MiB" % entry["decode_peak_mib"],
                     "%.1f MiB" % entry["reply_mib"], _ms(entry["encode_s"]), "%.1f MiB" % entry["encoded_mib"]))
    lines += _table(("rows", "shape", "normalise", "us/row", "peak", "decoded reply", "reply JSON", "JSON encode",
                     "result JSON"), rows)
    lines.append("")
    return lines


def _analysis_section(results):
    notes = results.get("notes") or []
    if not notes:
        return []
    lines = ["## Findings", ""]
    lines += ["- " + note for note in notes]
    lines.append("")
    return lines


def findings(results):
    """Observations drawn from this run's numbers, for the document and the console."""
    notes = []
    for finder in (_fetch_findings, _wait_findings, _many_findings, _paging_findings, _normalise_findings):
        notes.extend(finder(results))
    return notes


def _fetch_findings(results):
    fetch = results.get("fetch_one")
    if not fetch:
        return []
    baseline = results["baseline"]
    ours, theirs = task_time(fetch["module"], baseline), task_time(fetch["uri chain"], baseline)
    ratio = ours / theirs if theirs > 0 else float("inf")
    verdict = "met" if ratio <= RATIO_GOAL_FETCH else "missed"
    notes = ["Pair 1 (goal %s): the module's task time is %s against %s for the four uri/assert tasks (%.2f x). Every "
             "task pays the controller's fixed cost (templating, a worker fork, a temporary directory) and most a "
             "fresh Python process that imports its libraries: the chain pays it four times, the module once."
             % (verdict, _seconds(ours), _seconds(theirs), ratio)]
    if "ping" in fetch and "module api key" in fetch:
        floor, keyed = task_time(fetch["ping"], baseline), task_time(fetch["module api key"], baseline)
        notes.append("With an API key (one request, no session) the module's task time is %s, %.2f x the %s of "
                     "ansible.builtin.ping (goal <= %.1f x)." % (_seconds(keyed), keyed / floor if floor > 0 else 0.0,
                                                                 _seconds(floor), PING_MULTIPLE_GOAL))
    processes = fetch.get("processes")
    if processes:
        seconds = dict((name, entry["seconds"][0]) for name, entry in processes.items())
        run, imports = seconds["module run"], seconds["module imports"]
        callback = fetch["module"]["callback_task_s"].get("Fetch the task")
        notes.append(
            "Where the module's time goes: run alone (no ansible-playbook) its process takes %s, of which %s is "
            "Python starting and importing what the module imports (alone: ansible.module_utils.basic %s, requests "
            "%s, a bare interpreter %s), leaving about %s for its three HTTPS requests, normalising and output. One "
            "uri process (one request) takes %s. The module's callback task time (%s) minus its process alone is "
            "the controller's share, about %s: templating, a worker fork, the temporary directory, and building the "
            "AnsiballZ payload, which the first task of a module in a run pays and later tasks of the same module "
            "reuse (the uri chain's first task took %s, its next uri tasks %s and %s)."
            % (_seconds(run), _seconds(imports), _seconds(seconds["import ansible.module_utils.basic"]),
               _seconds(seconds["import requests"]), _seconds(seconds["python"]), _seconds(max(run - imports, 0.0)),
               _seconds(seconds["uri login run"]), _seconds(callback),
               _seconds(callback - run) if callback is not None else "n/a",
               _seconds(fetch["uri chain"]["callback_task_s"]["Log in"]),
               _seconds(fetch["uri chain"]["callback_task_s"]["Get the task"]),
               _seconds(fetch["uri chain"]["callback_task_s"]["Log out"])))
    return notes


def _wait_findings(results):
    wait = results.get("wait_for_task")
    if not wait:
        return []
    ours, theirs = wait["module wait"], wait["uri until"]
    fewer = ours["requests"][0] <= theirs["requests"][0]
    sooner = ours["result_delay"][0] < theirs["result_delay"][0]
    verdict = "met on the medians" if fewer and sooner else "missed"
    notes = ["Pair 2 (goal %s): the module had the result %s after the task was done, the uri loop %s; the module "
             "sent %s requests (%s polls), the uri loop %s (%s polls), medians."
             % (verdict, _ms(ours["result_delay"][0]), _ms(theirs["result_delay"][0]), _count(ours["requests"]),
                _count(ours["polls"]), _count(theirs["requests"]), _count(theirs["polls"]))]
    more, count = _more_requests(wait)
    if more or not fewer:
        notes.append("Repetition by repetition the module sent more requests than the uri loop %d time(s) out of %d "
                     "(both waiters run at the same moment, each on its own task). Once the module has seen the "
                     "percentage grow it polls at the estimated finish (at least 0.25 s apart) instead of waiting its "
                     "whole interval, which buys the shorter delay with an extra poll now and then; the uri loop sleeps "
                     "a fixed 2 s plus the time each poll's uri task takes, so it can see the end that much late (%s at "
                     "worst here, the module %s)." % (more, count, _ms(theirs["result_delay"][2]),
                                                      _ms(ours["result_delay"][2])))
    if not sooner:
        notes.append("The module was not sooner: its first poll comes only once ansible-playbook has started the "
                     "module, like the uri loop's, and its interval grows by half after every poll.")
    return notes


def _many_findings(results):
    many = results.get("many_tasks")
    if not many:
        return []
    baseline = results["baseline"]
    ours = task_time(many["tids"], baseline)
    loop, uri = task_time(many["module loop"], baseline), task_time(many["uri loop"], baseline)
    count = many["tasks"]
    verdict = "met" if ours > 0 and loop / ours >= SPEEDUP_GOAL_BATCH else "missed"
    note = ("Pair 3 (goal %s): %d tasks took %s with tids, %s with a loop over the module (%s a task: a whole "
            "module task, login and logout each time) and %s with the uri loop (%s a task: one uri task per get)."
            % (verdict, count, _seconds(ours), _seconds(loop), _seconds(loop / count), _seconds(uri),
               _seconds(uri / count)))
    fetch = results.get("fetch_one")
    if fetch:
        single = task_time(fetch["module"], baseline)
        note += (" A single fetch's task time was %s, so the 49 more tasks of the tids run cost %s in all: one login, "
                 "requests four at a time over one session, one result." % (_seconds(single), _seconds(ours - single)))
    return [note]


def _paging_findings(results):
    paging = results.get("gz_paging")
    if not paging:
        return []
    baseline = results["baseline"]
    big, small = paging["per_page 1000"], paging["per_page 30"]
    notes = ["Pair 4: per_page 1000 read the %s subtasks in %s requests and %s of task time, per_page 30 in %s "
             "requests and %s. The module paces GravityZone calls at 8 a second (burst 4) to stay under the "
             "console's 10 a second, so 167 pages cannot take much less than 20 s; %s HTTP 429 answers were seen."
             % ("{:,}".format(paging["subtasks"]), _count(big["requests"]), _seconds(task_time(big, baseline)),
                _count(small["requests"]), _seconds(task_time(small, baseline)),
                _count(small.get("gz.rate_limited", (0, 0, 0))))]
    default = paging.get("per_page 100")
    if default:
        notes.append("Without per_page the module uses 100 a page: %s requests and %s of task time here."
                     % (_count(default["requests"]), _seconds(task_time(default, baseline))))
    if big.get("module_max_rss_kib") and small.get("module_max_rss_kib"):
        notes.append("Peak RSS of the module process: %s with per_page 1000, %s with per_page 30; every page is kept "
                     "until the end and normalised at once, so the page size barely changes the peak."
                     % (_mib(big["module_max_rss_kib"][0]), _mib(small["module_max_rss_kib"][0])))
    alone = paging.get("alone")
    if alone:
        notes.append("Run alone (no ansible-playbook), the module with per_page 1000 takes %s and prints %.1f MiB of "
                     "JSON%s; as an Ansible task it took %s, the difference being the controller's fixed cost plus "
                     "receiving, parsing and registering that result."
                     % (_seconds(alone["seconds"][0]), alone["output_bytes"] / 1024.0 / 1024.0,
                        " (the subtasks appear twice: in the result and again under ansible_facts.gz_task)"
                        if alone.get("facts_repeat_subtasks") else "",
                        _seconds(task_time(big, baseline))))
        profile = alone.get("profile")
        if profile and profile.get("main()"):
            main = profile["main()"]
            parts = ", ".join("%s %.0f%%" % (label, 100.0 * value / main) for label, value in profile.items()
                              if label not in ("total", "main()", "exit_json"))
            notes.append("Under cProfile (one run, per_page 1000), main() spends %.0f%% of its time in exit_json: %s. "
                         "Reading the task is the small part; the size of the result is the large one."
                         % (100.0 * profile["exit_json"] / main, parts))
    return notes


def _normalise_findings(results):
    normalise = results.get("normalise")
    if not normalise:
        return []
    seed = dict((entry["rows"], entry) for entry in normalise if entry["shape"] == "seed")
    sizes = sorted(seed)
    growth = ", ".join("%.2f us/row at %s rows" % (seed[rows]["us_per_row"], "{:,}".format(rows)) for rows in sizes)
    rise = seed[sizes[-1]]["us_per_row"] / seed[sizes[0]]["us_per_row"]
    shape = ("about linearly with the rows" if rise < 1.5 else
             "faster than the rows: the cost per row rises %.1f x from the smallest to the largest" % rise)
    middle = seed[sizes[len(sizes) // 2]]
    return ["Pair 5: the time to normalise grows %s (%s, seed shape, medians). At %s rows the call peaks at %.1f MiB "
            "on top of the %.1f MiB decoded reply: each row gets a new dict, the original is kept under raw by "
            "reference. Encoding the result as JSON took %s against %s for normalising it: every row is written "
            "twice, once normalised and once as raw."
            % (shape, growth, "{:,}".format(middle["rows"]), middle["peak_mib"], middle["decode_peak_mib"],
               _ms(middle["encode_s"]), _ms(middle["normalise_s"]))]
