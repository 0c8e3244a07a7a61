# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pair 6: a log search with 10,000 matching rows, faz_log_search against the uri loop a user writes.

Both run with the API key (no login), search the simulator's traffic logs of one day for
``srcip=10.0.1.5`` (exactly 10,000 of its 30,000 logs) and read every row, 1,000 a request. Each run
is checked: 10,000 rows, the search deleted, and requests = polls + ceil(rows / 1000) + 2.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import time

from harness import BenchError, clean_environment, counter_delta, median, spread

ROWS = 10000
PAGE_LIMIT = 1000
SEARCH = {"logtype": "traffic", "search_filter": "srcip=10.0.1.5", "time_start": "2025-12-16 00:00:00",
          "time_end": "2025-12-16 23:59:59", "max_rows": ROWS}
# The columns an investigation reads most (the third variant: what `fields` saves; not part of the goal).
FIELDS = ["date", "time", "srcip", "dstip", "dstport", "service", "action", "sentbyte", "rcvdbyte"]
VARIANTS = {
    "faz_log_search": ("logsearch_module.yml", "Search the logs", {}),
    "uri loop": ("logsearch_uri.yml", "Fetch the rows page by page", {}),
    "faz_log_search, 9 fields": ("logsearch_module.yml", "Search the logs", {"fields": FIELDS}),
}
SPEEDUP_GOAL = 5.0


def _check(run, label):
    """The run's counters, checked: one search, deleted, every row fetched, requests as the formula says."""
    counters = run.counters
    polls = counters.get("faz.logsearch_counts", 0)
    pages = counters.get("faz.logsearch_fetches", 0)
    requests = counters.get("faz.requests", 0)
    if (counters.get("faz.logsearches_created"), counters.get("faz.logsearches_deleted")) != (1, 1) or \
            counters.get("faz.logsearches_open", 0) != 0:
        raise BenchError("%s: expected one search created and deleted, counters say %s; see %s"
                         % (label, counters, run.run_dir))
    if pages != math.ceil(ROWS / PAGE_LIMIT) or requests != polls + pages + 2:
        raise BenchError("%s: %d requests for %d polls and %d pages (expected polls + %d + 2); see %s"
                         % (label, requests, polls, pages, math.ceil(ROWS / PAGE_LIMIT), run.run_dir))
    return {"polls": polls, "pages": pages, "requests": requests}


def log_search(bench, repetitions):
    """Both variants alternately, ``repetitions`` times each, with the module's peak RSS."""
    measure_rss = bench.runner.can_measure_rss()
    variants = [("empty", "empty.yml", {}, False)]
    variants += [(label, playbook, dict(SEARCH, **extra), measure_rss)
                 for label, (playbook, _task, extra) in VARIANTS.items()]
    runs = bench.alternate(variants, repetitions)
    result = {"rows": ROWS, "page_limit": PAGE_LIMIT, "search": dict(SEARCH), "rss_measured": measure_rss}
    for label, (_playbook, task, _extra) in VARIANTS.items():
        checked = [_check(run, label) for run in runs[label]]
        for run in runs[label]:
            rows = run.record("Count the rows")["summary"].get("msg")
            if rows != "%d rows" % ROWS:
                raise BenchError("%s: the playbook said %r, expected %d rows; see %s" % (label, rows, ROWS, run.run_dir))
        rss = [max(run.rss_kib) for run in runs[label] if run.rss_kib]
        result[label] = {
            "runs": len(runs[label]),
            "wall": spread([run.wall for run in runs[label]]),
            "walls": [run.wall for run in runs[label]],
            "task_s": median([run.record(task)["end"] - run.record(task)["start"] for run in runs[label]]),
            "polls": spread([entry["polls"] for entry in checked]),
            "pages": spread([entry["pages"] for entry in checked]),
            "requests": spread([entry["requests"] for entry in checked]),
            "module_max_rss_kib": spread(rss),
        }
    result["empty"] = {"wall": spread([run.wall for run in runs["empty"]])}
    result["alone"] = module_alone(bench, repetitions)
    return result


def module_alone(bench, repetitions):
    """faz_log_search run as ``python MODULE ARGS.json``, without Ansible: its time and the size of its output."""
    sim = bench.sim
    work = os.path.join(bench.runner.work_dir, "processes")
    os.makedirs(work, exist_ok=True)
    module_file = os.path.join(bench.collections_path, "ansible_collections", "secops", "async_tasks", "plugins",
                               "modules", "faz_log_search.py")
    args_file = os.path.join(work, "logsearch.json")
    args = dict(host="127.0.0.1", port=sim.port, api_key=bench.runner.extra_vars["faz_api_key"], ca_path=sim.ca_path,
                logtype=SEARCH["logtype"], filter=SEARCH["search_filter"], max_rows=ROWS,
                time_range={"start": SEARCH["time_start"], "end": SEARCH["time_end"]})
    with open(args_file, "w", encoding="utf-8") as stream:
        json.dump({"ANSIBLE_MODULE_ARGS": args}, stream)
    env = clean_environment(bench.python)
    env["PYTHONPATH"] = bench.collections_path
    env["HOME"] = bench.runner.home
    seconds, sizes = [], []
    for repetition in range(repetitions):
        before = sim.counters()
        started = time.monotonic()
        done = subprocess.run([bench.python, module_file, args_file], env=env, cwd=work, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=300, check=False)
        seconds.append(time.monotonic() - started)
        returned = len(json.loads(done.stdout).get("rows", [])) if done.returncode == 0 else None
        if returned != ROWS or counter_delta(before, sim.counters()).get("faz.logsearches_deleted") != 1:
            raise BenchError("faz_log_search alone (repetition %d) exited %d with %s rows: %s"
                             % (repetition + 1, done.returncode, returned, done.stderr[-500:]))
        sizes.append(len(done.stdout))
    return {"seconds": spread(seconds), "output_bytes": median(sizes)}


def _seconds(value):
    return "n/a" if value is None else "%.2f s" % value


def _triple(triple, unit=""):
    middle, low, high = triple
    if middle is None:
        return "n/a"
    if low == high:
        return "%g%s" % (middle, unit)
    return "%g%s (%g-%g)" % (middle, unit, low, high)


def _spread(triple):
    middle, low, high = triple
    return "n/a" if middle is None else "%.2f s (%.2f-%.2f)" % (middle, low, high)


def _mib(triple):
    middle, low, high = triple
    if middle is None:
        return "n/a"
    return "%.1f MiB (%.1f-%.1f)" % (middle / 1024.0, low / 1024.0, high / 1024.0)


def speedup(results, baseline):
    """uri loop task time / faz_log_search task time (task time: median wall minus the empty playbook)."""
    ours = results["faz_log_search"]["wall"][0] - baseline
    theirs = results["uri loop"]["wall"][0] - baseline
    return theirs / ours if ours > 0 else None


def goal(results, baseline):
    """The summary table's entry for this pair."""
    ours, theirs = results["faz_log_search"], results["uri loop"]
    ratio = speedup(results, baseline)
    fewer = ours["requests"][0] <= theirs["requests"][0]
    return {
        "pair": "6. log search, {:,} rows".format(results["rows"]),
        "ours": "faz_log_search %s" % _seconds(ours["wall"][0] - baseline),
        "theirs": "uri loop %s" % _seconds(theirs["wall"][0] - baseline),
        "ratio": "n/a" if ratio is None else "%.1f x faster" % ratio,
        "requests": "%s / %s" % (_triple(ours["requests"]), _triple(theirs["requests"])),
        "goal": ">= %.0f x faster, no more requests" % SPEEDUP_GOAL,
        "met": ratio is not None and ratio >= SPEEDUP_GOAL and fewer,
    }


def section(results, baseline, table):
    """The Markdown section of the pair; ``table(header, rows)`` formats a table."""
    lines = [
        "## 6. Log search: {:,} matching rows".format(results["rows"]),
        "",
        "One FortiAnalyzer log search whose filter matches {:,} traffic logs (`srcip=10.0.1.5` over one day of the"
        .format(results["rows"]),
        "simulator's 30,000), every row read, API key, against the simulator's default search time (2 s):",
        "`faz_log_search` (`scripts/bench/playbooks/logsearch_module.yml`) against the `uri` playbook a user writes",
        "(`logsearch_uri.yml`: create; poll the count with `until`, `retries`, `delay: 2`; fetch the pages with",
        "`loop`; `set_fact` the rows; delete in `always`). Both read %d rows a request, the appliance's maximum."
        % results["page_limit"],
        "",
    ]
    lines += table(("variant", "wall time", "task time", "polls", "pages", "requests", "peak RSS of a module process"), [
        (label, _seconds(entry["wall"][0]), _seconds(entry["wall"][0] - baseline), _triple(entry["polls"]),
         _triple(entry["pages"]), _triple(entry["requests"]), _mib(entry["module_max_rss_kib"]))
        for label, entry in [(label, results[label]) for label in VARIANTS if label in results]])
    ratio = speedup(results, baseline)
    lines += [
        "",
        "- Task time: median wall time minus the empty playbook's (%s); %s."
        % (_seconds(baseline), "n/a" if ratio is None else "`faz_log_search` is **%.1f x** faster" % ratio),
        "- Requests = polls + ceil(rows / %d) + 2 (create and delete), checked on every run of both variants."
        % results["page_limit"],
        "- Peak RSS: GNU time's maximum resident set size of the module process (for the uri loop, the largest of",
        "  its `uri` processes), as in pair 4.",
        "- The third row is not part of the goal: the same search keeping %d columns with `fields`, to show what"
        % len(FIELDS),
        "  keeping only the columns a play needs saves (%s)." % ", ".join(FIELDS),
    ]
    alone = results.get("alone")
    if alone:
        lines += [
            "- The module alone (`python faz_log_search.py ARGS.json`, no Ansible, same search): %s, printing"
            % _spread(alone["seconds"]),
            "  %.1f MiB of JSON. The rest of its task time is Ansible receiving, checking and registering that"
            % (alone["output_bytes"] / 1048576.0),
            "  result; the uri loop pays the same for its ten pages, and more for `set_fact` over the rows.",
        ]
    return lines
