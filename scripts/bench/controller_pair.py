# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pair 7: the modules run in the controller process (issue 18) against the same modules shipped.

Every playbook runs twice in one interleaved series: as installed (the action plugins run the
module in the worker process: "after") and with ``secops_async_tasks_in_controller: false`` as an
extra variable (the module shipped as a separate process, as before issue 18: "before"), beside
the alternatives the goals name: ``ansible.builtin.ping``, the four-task ``uri`` chain and the
``uri`` log search loop. Besides wall time, each run's CPU time (user + system of ansible-playbook
and every process it waited for) is taken from ``getrusage(RUSAGE_CHILDREN)``.
"""

from __future__ import annotations

import os
import resource

from harness import BenchError, median, spread
from logsearch_pair import ROWS, SEARCH

SEED_TID = 12450
GZ_TASK = "65f46d08c6d2865b32048ba3"
SHIPPED = {"secops_async_tasks_in_controller": False}
# (label, playbook, extra vars, the task whose result is checked, facts it must report)
FETCHES = [
    ("empty", "empty.yml", {}, None),
    ("ping", "ping.yml", {}, None),
    ("API key, shipped", "fetch_module_key.yml", dict(SHIPPED, tid=SEED_TID), "Fetch the task"),
    ("API key, in the controller", "fetch_module_key.yml", {"tid": SEED_TID}, "Fetch the task"),
    ("password, shipped", "fetch_module.yml", dict(SHIPPED, tid=SEED_TID), "Fetch the task"),
    ("password, in the controller", "fetch_module.yml", {"tid": SEED_TID}, "Fetch the task"),
    ("uri chain", "fetch_uri.yml", {"tid": SEED_TID}, None),
    ("10 fetches, shipped", "fetch_ten.yml", dict(SHIPPED, tid=SEED_TID), None),
    ("10 fetches, in the controller", "fetch_ten.yml", {"tid": SEED_TID}, None),
]
LONG = [
    ("empty", "empty.yml", {}, None),
    ("50 gz_task_status, shipped", "gz_status_loop.yml", dict(SHIPPED, gz_task_id=GZ_TASK), None),
    ("50 gz_task_status, in the controller", "gz_status_loop.yml", {"gz_task_id": GZ_TASK}, None),
    ("log search uri loop", "logsearch_uri.yml", dict(SEARCH), None),
    ("log search registered, shipped", "logsearch_module.yml", dict(SEARCH, **SHIPPED), None),
    ("log search registered, in the controller", "logsearch_module.yml", dict(SEARCH), None),
    ("log search dest, in the controller", "logsearch_dest.yml", dict(SEARCH), None),
]
GOALS = [
    # (label, ours, theirs, goal as "ours <= factor x theirs")
    ("API-key fetch vs ansible.builtin.ping", "API key, in the controller", "ping", 0.3),
    ("password fetch vs the 4-task uri chain", "password, in the controller", "uri chain", 0.3),
    ("50 gz_task_status reads, controller vs shipped", "50 gz_task_status, in the controller",
     "50 gz_task_status, shipped", 1 / 3.0),
    ("10k-row log search with dest vs the uri loop", "log search dest, in the controller", "log search uri loop", 0.1),
    ("10k-row log search, rows registered, vs the uri loop", "log search registered, in the controller",
     "log search uri loop", 0.2),
]


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def alternate(bench, variants, repetitions, cpu=children_cpu):
    """Each variant ``repetitions`` times, the order reversed every repetition; ``{label: [(run, cpu)]}``.

    ``cpu()`` is read before and after each run (by default the children's CPU time of this process)."""
    runs = dict((variant[0], []) for variant in variants)
    for repetition in range(repetitions):
        order = variants if repetition % 2 == 0 else list(reversed(variants))
        for label, playbook, extra, task in order:
            before = cpu()
            run = bench.run(label, playbook, extra)
            runs[label].append((run, cpu() - before))
            if task and run.record(task)["summary"].get("failed"):
                raise BenchError("%s: task %r failed; see %s" % (label, task, run.run_dir))
        bench.progress("  repetition %d/%d done" % (repetition + 1, repetitions))
    return runs


def _check_rows(runs, label):
    for run, _cpu_s in runs[label]:
        said = run.record("Count the rows")["summary"].get("msg")
        if said != "%d rows" % ROWS:
            raise BenchError("%s: the playbook said %r, expected %d rows; see %s" % (label, said, ROWS, run.run_dir))


def controller_path(bench, repetitions, long_repetitions):
    """Both series; the result holds wall and CPU spreads per variant (task times are taken in the report)."""
    dest_dir = os.path.join(bench.runner.work_dir, "dest")
    os.makedirs(dest_dir, exist_ok=True)
    long_variants = [(label, playbook, dict(extra, dest=os.path.join(dest_dir, "rows.jsonl"))
                      if playbook == "logsearch_dest.yml" else extra, task) for label, playbook, extra, task in LONG]
    runs = alternate(bench, FETCHES, repetitions)
    runs_long = alternate(bench, long_variants, long_repetitions)
    for label in ("log search uri loop", "log search registered, shipped", "log search registered, in the controller",
                  "log search dest, in the controller"):
        _check_rows(runs_long, label)
    return summarise(runs, {"repetitions": repetitions, "long_repetitions": long_repetitions}, runs_long)


def summarise(runs, result, runs_long=None):
    """``result`` with ``variants``: wall and CPU spreads and median requests of each label's runs."""
    result["variants"] = {}
    for series in (runs, runs_long or {}):
        for label, entries in series.items():
            key = label if label != "empty" or "empty" not in result["variants"] else "empty (long series)"
            result["variants"][key] = {"wall": spread([run.wall for run, _cpu_s in entries]),
                                       "cpu": spread([cpu for _run, cpu in entries]),
                                       "requests": median([run.counters.get("faz.requests", 0) +
                                                           run.counters.get("gz.requests", 0) for run, _c in entries])}
    return result


def _task(variants, label, empty="empty"):
    """(task wall, task CPU): the variant's medians minus the empty playbook's of its series."""
    entry, base = variants[label], variants[empty]
    return entry["wall"][0] - base["wall"][0], entry["cpu"][0] - base["cpu"][0]


def _empty_of(label):
    return "empty" if any(label == name for name, _p, _e, _t in FETCHES) else "empty (long series)"


def goal_entry(variants, ours, theirs, factor, our_empty="empty", their_empty="empty"):
    """One goal: task times (wall and CPU) of both variants, their ratio and whether it is <= ``factor``."""
    our_wall, our_cpu = _task(variants, ours, our_empty)
    their_wall, their_cpu = _task(variants, theirs, their_empty)
    ratio = our_wall / their_wall if their_wall > 0 else None
    return {
        "ours": "%s %.2f s (CPU %.2f s)" % (ours, our_wall, our_cpu),
        "theirs": "%s %.2f s (CPU %.2f s)" % (theirs, their_wall, their_cpu),
        "ratio": "n/a" if ratio is None else "%.2f x (%.1f x faster)" % (ratio, 1 / ratio if ratio > 0 else 0),
        "requests": "%s / %s" % (variants[ours]["requests"], variants[theirs]["requests"]),
        "goal": "<= %.2f x (%.0f x faster)" % (factor, 1 / factor),
        "met": ratio is not None and ratio <= factor,
    }


def goal_entries(result):
    entries = []
    for title, ours, theirs, factor in GOALS:
        entry = goal_entry(result["variants"], ours, theirs, factor, _empty_of(ours), _empty_of(theirs))
        entry["pair"] = "7. " + title
        entries.append(entry)
    return entries


def variant_table(variants, table, empty_of):
    """The table of every variant: wall, task time, CPU and task CPU, requests."""
    rows = []
    for label, entry in variants.items():
        if label.startswith("empty"):
            rows.append((label, "%.2f s" % entry["wall"][0], "-", "%.2f s" % entry["cpu"][0], "-", entry["requests"]))
            continue
        wall, cpu = _task(variants, label, empty_of(label))
        rows.append((label, "%.2f s (%.2f-%.2f)" % tuple(entry["wall"]), "%.2f s" % wall, "%.2f s" % entry["cpu"][0],
                     "%.2f s" % cpu, entry["requests"]))
    return table(("variant", "wall (median, min-max)", "task time", "CPU", "task CPU", "requests"), rows)


def goal_table(entries, table, prefix_length=3):
    return table(("goal", "ours", "theirs", "ratio", "target", "result"), [
        (entry["pair"][prefix_length:], entry["ours"], entry["theirs"], entry["ratio"], entry["goal"],
         "met" if entry["met"] else "MISSED") for entry in entries])


def measured_line(machine):
    return ("Measured %s UTC with ansible-core %s on %s cores, load average %s at the start and %s at the end."
            % (machine["date"], machine["ansible_core"], machine["cores"], machine["load_start"], machine["load_end"]))


def section(result, table, machine=None):
    variants = result["variants"]
    lines = [
        "## 7. In the controller process against shipped (issue 18)",
        "",
        "The same playbooks run as installed (the action plugins run the module in the worker process) and with",
        "`-e secops_async_tasks_in_controller=false` (the module shipped as a separate process, as before), in one",
        "interleaved series beside `ansible.builtin.ping`, the four-task `uri` chain (pair 1) and the `uri` log",
        "search loop (pair 6). Short series: %d runs of each; long series (loops, log searches): %d runs of each."
        % (result["repetitions"], result["long_repetitions"]),
        "Task time = median wall minus the empty playbook's of the same series; CPU = user + system time of",
        "`ansible-playbook` and every process it waited for (`getrusage(RUSAGE_CHILDREN)`), minus the empty",
        "playbook's.",
        "",
    ]
    if machine:
        lines += [
            measured_line(machine),
            "Under a load well above the core count the wall times of short runs are noisy (a negative task time",
            "means a variant's median came in under the empty playbook's); the CPU columns are the steadier figure.",
            "",
        ]
    lines += variant_table(variants, table, _empty_of)
    lines += ["", "Goals:", ""]
    lines += goal_table(goal_entries(result), table)
    lines += [
        "",
        "Fortinet's collection (`fortinet.fortianalyzer` over HttpApi) is compared in section 9, a pair of its own",
        "(`run.py --pairs fortinet`), since it needs that collection built from its sources.",
    ]
    return lines


def splice(document, lines, heading="## 7. ", before="## Findings"):
    """``document`` with its section ``heading`` replaced by ``lines`` (when it has none: added before the
    section ``before``, or at the end)."""
    text = document.split("\n")
    start = next((index for index, line in enumerate(text) if line.startswith(heading)), None)
    if start is None:
        start = next((index for index, line in enumerate(text) if before and line.startswith(before)), len(text))
        end = start
    else:
        end = next((index for index in range(start + 1, len(text)) if text[index].startswith("## ")), len(text))
    return "\n".join(text[:start] + lines + [""] + text[end:])
