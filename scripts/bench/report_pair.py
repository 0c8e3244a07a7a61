# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pair 8: one FortiAnalyzer report run, waited for and downloaded: faz_report against the uri chain.

Both use the API key, run layout 10001 for one day, wait for the simulator's run (``RUN_SECONDS``), fetch
the report as CSV (``REPORT_BYTES`` of text, base64 in the JSON reply), write it and delete the report's
entry. Each run is checked: one run started and deleted, the file's bytes the same in every run of both
variants (sha256), and the requests counted.
"""

from __future__ import annotations

import hashlib
import os

from harness import BenchError, spread

REPORT_BYTES = 2 * 1024 * 1024
RUN_SECONDS = 3
PERIOD = {"period_start": "2026-11-30 00:00:00", "period_end": "2026-11-30 23:59:59"}
VARIANTS = {"faz_report": "report_module.yml", "uri chain": "report_uri.yml"}
TIME_GOAL = 0.5


def _sha256(path):
    with open(path, "rb") as stream:
        return hashlib.sha256(stream.read()).hexdigest()


def report_run(bench, repetitions):
    """Both variants alternately, ``repetitions`` times each, with the module's peak RSS."""
    bench.sim.configure(faz_report_duration=RUN_SECONDS, faz_report_zip=False, faz_report_text=True,
                        faz_report_size=REPORT_BYTES)
    out = os.path.join(bench.runner.work_dir, "reports")
    os.makedirs(out, exist_ok=True)
    measure_rss = bench.runner.can_measure_rss()
    variants = [("empty", "empty.yml", {}, False)]
    for label, playbook in VARIANTS.items():
        dest = os.path.join(out, label.replace(" ", "_") + ".csv")
        variants.append((label, playbook, dict(PERIOD, layout_id=10001, report_dest=dest), measure_rss))
    try:
        runs = bench.alternate(variants, repetitions)
    finally:
        bench.sim.configure(faz_report_duration=1, faz_report_zip=True, faz_report_text=False, faz_report_size=20000)
    result = {"report_bytes": REPORT_BYTES, "run_seconds": RUN_SECONDS, "rss_measured": measure_rss}
    digests = set()
    for label, _playbook in VARIANTS.items():
        requests = []
        for run in runs[label]:
            counters = run.counters
            if (counters.get("faz.report_runs"), counters.get("faz.reports_deleted")) != (1, 1):
                raise BenchError("%s: expected one report run started and deleted, counters say %s; see %s"
                                 % (label, counters, run.run_dir))
            requests.append(counters.get("faz.requests", 0))
        dest = os.path.join(out, label.replace(" ", "_") + ".csv")
        if os.path.getsize(dest) != REPORT_BYTES:
            raise BenchError("%s wrote %d bytes, expected %d" % (label, os.path.getsize(dest), REPORT_BYTES))
        digests.add(_sha256(dest))
        rss = [max(run.rss_kib) for run in runs[label] if run.rss_kib]
        result[label] = {
            "runs": len(runs[label]),
            "wall": spread([run.wall for run in runs[label]]),
            "walls": [run.wall for run in runs[label]],
            "requests": spread(requests),
            "polls": spread([count - 3 for count in requests]),  # start, data and delete are the other three
            "module_max_rss_kib": spread(rss),
        }
    if len(digests) != 1:
        raise BenchError("the variants wrote different bytes: %s" % sorted(digests))
    result["sha256"] = digests.pop()
    result["empty"] = {"wall": spread([run.wall for run in runs["empty"]])}
    return result


def ratio(results, baseline):
    """faz_report's task time / the uri chain's (task time: median wall minus the empty playbook)."""
    ours = results["faz_report"]["wall"][0] - baseline
    theirs = results["uri chain"]["wall"][0] - baseline
    return ours / theirs if theirs > 0 else None


def _seconds(value):
    return "n/a" if value is None else "%.2f s" % value


def _triple(triple):
    middle, low, high = triple
    if middle is None:
        return "n/a"
    return "%g" % middle if low == high else "%g (%g-%g)" % (middle, low, high)


def _mib(triple):
    middle, low, high = triple
    return "n/a" if middle is None else "%.1f MiB (%.1f-%.1f)" % (middle / 1024.0, low / 1024.0, high / 1024.0)


def goal(results, baseline):
    """The summary table's entry for this pair."""
    ours, theirs = results["faz_report"], results["uri chain"]
    value = ratio(results, baseline)
    return {
        "pair": "7. report run, %d MiB CSV" % (results["report_bytes"] // 1048576),
        "ours": "faz_report %s" % _seconds(ours["wall"][0] - baseline),
        "theirs": "uri chain %s" % _seconds(theirs["wall"][0] - baseline),
        "ratio": "n/a" if value is None else "%.2f x the time" % value,
        "requests": "%s / %s" % (_triple(ours["requests"]), _triple(theirs["requests"])),
        "goal": "<= %.1f x the time, no more requests" % TIME_GOAL,
        "met": value is not None and value <= TIME_GOAL and ours["requests"][0] <= theirs["requests"][0],
    }


def section(results, baseline, table):
    """The Markdown section of the pair; ``table(header, rows)`` formats a table."""
    lines = [
        "## 8. A report run, waited for and downloaded",
        "",
        "One FortiAnalyzer report (layout 10001, one day, API key) that the simulator generates in %d s, fetched as"
        % results["run_seconds"],
        "a %d MiB CSV (base64 inside the JSON reply): `faz_report` (`scripts/bench/playbooks/report_module.yml`)"
        % (results["report_bytes"] // 1048576),
        "against the `uri` chain a user writes (`report_uri.yml`: start; poll with `until`, `retries`, `delay: 2`;",
        "fetch; `b64decode` and `copy`; delete in `always`). Both files have sha256 `%s`." % results["sha256"],
        "",
    ]
    lines += table(("variant", "wall time", "task time", "polls", "requests", "peak RSS of a module process"), [
        (label, _seconds(results[label]["wall"][0]), _seconds(results[label]["wall"][0] - baseline),
         _triple(results[label]["polls"]), _triple(results[label]["requests"]), _mib(results[label]["module_max_rss_kib"]))
        for label in VARIANTS if label in results])
    value = ratio(results, baseline)
    lines += [
        "",
        "- Task time: median wall time minus the empty playbook's (%s); `faz_report` takes %s of the chain's."
        % (_seconds(baseline), "n/a" if value is None else "**%.2f x**" % value),
        "- The chain can only write a text report unchanged: `b64decode` returns text, so a PDF or a zip written",
        "  with `copy` would not be the appliance's bytes. `faz_report` writes any report byte for byte.",
    ]
    return lines
