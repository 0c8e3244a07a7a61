#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Benchmark of issue 4: our modules against what a user would write instead, side by side.

Starts the simulator on 127.0.0.1, runs every pair's playbooks alternately, prints a table of
ratios and request counts, and writes docs/benchmarks.md (and the raw numbers to
.tmp/bench/results.json). Run it with the project venv's Python after `make install`:

    .venv/bin/python scripts/bench/run.py --collections-path .tmp/collections

``--report-only FILE`` rewrites the document from a saved results.json without measuring.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import time

import controller_pair
import fortinet_pair
import harness
import normalise_cost
import logsearch_pair
import report_pair
import pairs
import report

PAIRS = ("fetch_one", "wait_for_task", "many_tasks", "gz_paging", "log_search", "normalise", "controller", "report",
         "fortinet")


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Benchmark the collection's modules against the simulator.")
    parser.add_argument("--collections-path", default=os.path.join(harness.ROOT, ".tmp", "collections"),
                        help="where the collection is installed (make install; default .tmp/collections)")
    parser.add_argument("--fortinet-collections-path", default=os.environ.get(fortinet_pair.ENV_VAR),
                        help="where fortinet.fortianalyzer, ansible.netcommon and ansible.utils are installed, for "
                             "pair 9 (default $%s; without them the pair is skipped; docs/benchmarks.md, section 9)"
                             % fortinet_pair.ENV_VAR)
    parser.add_argument("--repetitions", type=int, default=6,
                        help="repetitions of pairs 1, 2 and 5 (default 6: each order of a pair equally often)")
    parser.add_argument("--long-repetitions", type=int, default=3,
                        help="repetitions of pairs 3, 4 and 6, whose loops and pages take minutes (default 3)")
    parser.add_argument("--pairs", default=",".join(PAIRS),
                        help="comma-separated subset of: %s (default all)" % ", ".join(PAIRS))
    parser.add_argument("--work-dir", default=os.path.join(harness.ROOT, ".tmp", "bench"),
                        help="run directories, simulator state and results.json (default .tmp/bench)")
    parser.add_argument("--output", default=os.path.join(harness.ROOT, "docs", "benchmarks.md"),
                        help="the document to write (default docs/benchmarks.md); '-' writes none")
    parser.add_argument("--report-only", metavar="RESULTS_JSON", help="only rewrite the document from saved results")
    args = parser.parse_args(argv)
    args.pairs = [name.strip() for name in args.pairs.split(",") if name.strip()]
    unknown = sorted(set(args.pairs) - set(PAIRS))
    if unknown:
        parser.error("unknown pair(s): %s" % ", ".join(unknown))
    if args.repetitions < 1 or args.long_repetitions < 1:
        parser.error("--repetitions and --long-repetitions must be at least 1")
    return args


def progress(message):
    print(message, file=sys.stderr, flush=True)


def _first_line(path, prefix):
    try:
        with open(path, encoding="utf-8") as stream:
            for line in stream:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def _load():
    try:
        return "%.2f" % os.getloadavg()[0]
    except OSError:
        return "unknown"


def machine_info(installed, collections_path):
    import ansible.release  # pylint: disable=import-outside-toplevel  # the venv's ansible-core
    import requests  # pylint: disable=import-outside-toplevel

    manifest = os.path.join(collection_dir(collections_path), "MANIFEST.json")
    try:
        with open(manifest, encoding="utf-8") as stream:
            info = json.load(stream)["collection_info"]
        collection = "%s.%s %s (installed in %s)" % (
            info["namespace"], info["name"], info["version"], os.path.relpath(installed, harness.ROOT))
    except (OSError, ValueError, KeyError):
        collection = "unknown"
    memory = _first_line("/proc/meminfo", "MemTotal")
    if memory.endswith(" kB") and memory[:-3].strip().isdigit():
        memory = "%.1f GiB" % (int(memory[:-3]) / 1024.0 / 1024.0)
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "cpu": _first_line("/proc/cpuinfo", "model name"),
        "cores": os.cpu_count(),
        "memory": memory,
        "platform": platform.platform(),
        "python": "%s (%s)" % (platform.python_version(), os.path.relpath(sys.executable, harness.ROOT)),
        "ansible_core": ansible.release.__version__,
        "requests": requests.__version__,
        "collection": collection,
        "source": _source(),
        "load_start": _load(),
    }


def _git(*args):
    try:
        done = subprocess.run(["git", "-C", harness.ROOT] + list(args), capture_output=True, text=True, timeout=30,
                              check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _source():
    """The commit the work tree is at, and whether plugins/ differs from it (the tarball is built from the tree)."""
    commit = _git("rev-parse", "--short", "HEAD")
    if not commit:
        return "unknown"
    changed = _git("status", "--porcelain", "--", "plugins")
    return "git %s%s" % (commit, ", with uncommitted changes in plugins/" if changed else "")


def check_setup(collections_path):
    if not os.path.isfile(os.path.join(collection_dir(collections_path), "MANIFEST.json")):
        raise harness.BenchError("the collection is not installed in %s: run `make install` first (or pass "
                                 "--collections-path)" % collections_path)
    playbook = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    if not os.access(playbook, os.X_OK):
        raise harness.BenchError("%s not found: run this script with the project venv's Python (.venv/bin/python)"
                                 % playbook)


def collection_dir(collections_path):
    return os.path.join(collections_path, "ansible_collections", "secops", "async_tasks")


def snapshot(collections_path, work_dir):
    """A copy of the installed collection for this run, so that a `make install` meanwhile changes nothing."""
    copy = os.path.join(work_dir, "collections")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(collection_dir(collections_path), collection_dir(copy),
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return copy


def measure(args):
    installed = os.path.abspath(args.collections_path)
    check_setup(installed)
    work_dir = os.path.abspath(args.work_dir)
    shutil.rmtree(os.path.join(work_dir, "runs"), ignore_errors=True)
    os.makedirs(work_dir, exist_ok=True)
    collections_path = snapshot(installed, work_dir)
    results = {"machine": machine_info(installed, collections_path), "pairs": args.pairs,
               "repetitions": {"short": args.repetitions, "long": args.long_repetitions}}
    started = time.monotonic()
    with harness.SimulatorProcess(os.path.join(work_dir, "sim")) as sim:
        progress("simulator on 127.0.0.1:%d" % sim.port)
        runner = harness.PlaybookRunner(work_dir, collections_path, extra_vars={
            "faz_url": sim.faz_url, "faz_port": sim.port, "faz_username": harness.FAZ_USER,
            "faz_password": harness.FAZ_PASSWORD, "faz_api_key": harness.FAZ_API_KEY, "ca_path": sim.ca_path,
            "gz_api_url": sim.gz_api_url, "gz_api_key": harness.GZ_API_KEY,
        })
        bench = pairs.Bench(sim, runner, collections_path, sys.executable, progress)
        steps = (
            ("fetch_one", "pair 1: fetch one finished task", pairs.fetch_one, args.repetitions),
            ("wait_for_task", "pair 2: wait for a running task", pairs.wait_for_task, args.repetitions),
            ("many_tasks", "pair 3: fifty finished tasks", pairs.many_tasks, args.long_repetitions),
            ("gz_paging", "pair 4: GravityZone task with 5,000 subtasks", pairs.gz_paging, args.long_repetitions),
            ("log_search", "pair 6: log search, 10,000 rows", logsearch_pair.log_search, args.long_repetitions),
            ("controller", "pair 7: in the controller process against shipped",
             lambda bench, repetitions: controller_pair.controller_path(bench, repetitions, args.long_repetitions),
             args.repetitions),
            ("report", "pair 8: a report run, waited for and downloaded", report_pair.report_run, args.repetitions),
        )
        if "fortinet" in args.pairs:
            skipped = fortinet_pair.unusable(args.fortinet_collections_path)
            if skipped:
                progress("pair 9 skipped: %s" % skipped)
                results["fortinet_skipped"] = skipped
            else:
                steps += (("fortinet", "pair 9: against Fortinet's collection",
                           lambda bench, repetitions: fortinet_pair.fortinet(bench, repetitions,
                                                                             args.fortinet_collections_path),
                           args.repetitions),)
        for key, title, function, repetitions in steps:
            if key in args.pairs:
                progress(title)
                step_started = time.monotonic()
                results[key] = function(bench, repetitions)
                progress("  %.0f s" % (time.monotonic() - step_started))
        if not bench.empty_walls:
            progress("empty playbook baseline")
            bench.alternate([("empty", "empty.yml", {}, False)], args.repetitions)
        results["baseline"] = bench.baseline()
        results["empty_walls"] = bench.empty_walls
    if "normalise" in args.pairs:
        progress("pair 5: normalising 1k, 10k, 100k rows")
        sys.path.insert(0, collections_path)
        results["normalise"] = normalise_cost.measure(repetitions=args.repetitions)
    results["machine"]["load_end"] = _load()
    results["elapsed"] = time.monotonic() - started
    results["notes"] = report.findings(results)
    with open(os.path.join(work_dir, "results.json"), "w", encoding="utf-8") as stream:
        json.dump(results, stream, indent=1, default=str)
    return results


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        if args.report_only:
            with open(args.report_only, encoding="utf-8") as stream:
                results = json.load(stream)
            results["notes"] = report.findings(results)
        else:
            results = measure(args)
    except harness.BenchError as err:
        print("bench: %s" % err, file=sys.stderr)
        return 1
    print("\n".join(report.summary_table(results)))
    if args.pairs == ["controller"] and args.output != "-" and os.path.exists(args.output):
        # Pair 7 alone: only its section of the existing document is replaced.
        with open(args.output, encoding="utf-8") as stream:
            section = controller_pair.section(results["controller"], report._table, results["machine"])
            document = controller_pair.splice(stream.read(), section)
        with open(args.output, "w", encoding="utf-8") as stream:
            stream.write(document)
        print("wrote section 7 of %s" % os.path.relpath(args.output, os.getcwd()))
        return 0
    if args.pairs == ["fortinet"] and args.output != "-" and os.path.exists(args.output):
        # Pair 9 alone: its section and its rows of the summary table are replaced, nothing else.
        if "fortinet" not in results:
            print("pair 9 was skipped: %s is unchanged" % os.path.relpath(args.output, os.getcwd()))
            return 1
        with open(args.output, encoding="utf-8") as stream:
            document = stream.read()
        document = report.splice_summary(document, fortinet_pair.goal_entries(results["fortinet"]), "9. ")
        document = controller_pair.splice(document, fortinet_pair.section(results["fortinet"], report._table,
                                                                          results["machine"]),
                                          heading="## 9. ", before=None)
        with open(args.output, "w", encoding="utf-8") as stream:
            stream.write(document)
        print("wrote section 9 of %s" % os.path.relpath(args.output, os.getcwd()))
        return 0
    print("\nbaseline (empty playbook): %.2f s; bench took %.0f s" % (results["baseline"], results["elapsed"]))
    if args.output != "-":
        with open(args.output, "w", encoding="utf-8") as stream:
            stream.write(report.markdown(results))
        print("wrote %s" % os.path.relpath(args.output, os.getcwd()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
