# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pair 9: our faz_top_sources_result against Fortinet's own collection (issue 18).

Fortinet's way, from its module docs: ``fortinet.fortianalyzer.faz_fact`` with the ``fortiview_run``
selector, over ``ansible.netcommon``'s HttpApi connection and Fortinet's ``fortianalyzer`` HttpApi
plugin (password login). One fetch (``fetch_fortinet.yml``) and ten in a loop on the same persistent
connection (``fetch_fortinet_ten.yml``), against our module with one ``tid`` (``fetch_module.yml``)
and ten ``tids`` in one task (``batch_tids.yml``), both with a password, interleaved with the empty
playbook. Every run is checked: the task ok, no session left open, and the rows (srcip, sessions,
bytes, in order) the same on both sides, compared by the digest the timing callback takes.

The collections are not on Galaxy's reach here: they are built from their GitHub sources and
installed into a directory named by ``--fortinet-collections-path`` or the environment variable
below (docs/benchmarks.md, section 9, has the commands). Without them the pair is skipped.

CPU time: Fortinet's login, requests and logout run in ``ansible-connection``, a daemon that
ansible-playbook's worker forks off and does not wait for, so ``getrusage(RUSAGE_CHILDREN)`` alone
would miss it. While the pair runs, the bench process is a child subreaper (``PR_SET_CHILD_SUBREAPER``):
orphaned descendants are handed to it, and after each run it waits for them, which adds their CPU
time to its children's.
"""

from __future__ import annotations

import ctypes
import json
import os
import time

import controller_pair
from harness import BenchError, spread

ENV_VAR = "SECOPS_BENCH_FORTINET_COLLECTIONS"
# The sources measured (their default branches on 2026-12-03): (directory, repository, commit).
SOURCES = (
    ("fortianalyzer", "fortinet-ansible-dev/ansible-galaxy-fortianalyzer-collection",
     "a37f6bcb63855b4be2962ffc8d90b3da7c780f4a"),
    ("netcommon", "ansible-collections/ansible.netcommon", "3c1482f295d0746033db268aad986bc1648d20f8"),
    ("utils", "ansible-collections/ansible.utils", "5da6c512d42dcb68f78ef35545a098a1a9592a13"),
)
NEEDED = ("fortinet.fortianalyzer", "ansible.netcommon", "ansible.utils")
SEED_TID = controller_pair.SEED_TID
TEN = 10
ROWS_EACH = 10
PR_SET_CHILD_SUBREAPER = 36
# Seconds an ansible-connection daemon gets to exit after its playbook. After a loop ansible-core does
# not reset the persistent connection, so the daemon idles until persistent_connect_timeout (30 s by
# default) and only then logs out.
ORPHAN_WAIT = 90.0
VARIANTS = (
    # (label, playbook, task, rows and digest group)
    ("empty", "empty.yml", None, None),
    ("ours, one tid", "fetch_module.yml", "Fetch the task", "one"),
    ("Fortinet, one fetch", "fetch_fortinet.yml", "Fetch the task", "one"),
    ("ours, ten tids in one task", "batch_tids.yml", "Fetch the tasks", "ten"),
    ("Fortinet, ten fetches in a loop", "fetch_fortinet_ten.yml", "Fetch the tasks", "ten"),
)
GOALS = (
    ("one fetch", "ours, one tid", "Fortinet, one fetch", 0.25),
    ("ten fetches", "ours, ten tids in one task", "Fortinet, ten fetches in a loop", 0.25),
)


def unusable(path):
    """None when ``path`` holds the three collections, else why the pair is skipped."""
    if not path:
        return ("no path to Fortinet's collections: pass --fortinet-collections-path or set %s "
                "(docs/benchmarks.md, section 9, says how to build them)" % ENV_VAR)
    missing = [name for name in NEEDED if not os.path.isfile(_manifest(path, name))]
    if missing:
        return "%s not installed in %s (docs/benchmarks.md, section 9, says how)" % (", ".join(missing), path)
    return None


def _manifest(path, name):
    namespace, collection = name.split(".")
    return os.path.join(path, "ansible_collections", namespace, collection, "MANIFEST.json")


def versions(path):
    found = {}
    for name in NEEDED:
        try:
            with open(_manifest(path, name), encoding="utf-8") as stream:
                found[name] = json.load(stream)["collection_info"]["version"]
        except (OSError, ValueError, KeyError):
            found[name] = "unknown"
    return found


def _set_subreaper(on):
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1 if on else 0, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _adopted(known):
    """Pids of this process's children that it did not start itself (orphans handed to it)."""
    mine, pids = os.getpid(), []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in known:
            continue
        try:
            with open("/proc/%s/stat" % entry, encoding="utf-8") as stream:
                fields = stream.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == mine:
            pids.append(int(entry))
    return pids


def _reap_orphans(known):
    """Wait for every adopted orphan (at most ORPHAN_WAIT s), so that its CPU time is counted and its
    logout seen; the seconds it took."""
    started = time.monotonic()
    deadline = started + ORPHAN_WAIT
    while True:
        pids = _adopted(known)
        if not pids:
            return time.monotonic() - started
        for pid in pids:
            try:
                done, _status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                continue
            if done == 0 and time.monotonic() > deadline:
                raise BenchError("process %d (an orphan of a playbook run) did not exit within %.0f s"
                                 % (pid, ORPHAN_WAIT))
        time.sleep(0.05)


def fortinet(bench, repetitions, fortinet_path):
    """The interleaved series; wall and CPU spreads per variant, the rows' digests and the versions used."""
    tids = [bench.sim.faz_create_task(view="top-sources", status="done", rows=ROWS_EACH)[0] for _index in range(TEN)]
    extras = {"one": {"tid": SEED_TID}, "ten": {"tids": tids}, None: {}}
    variants = [(label, playbook, extras[group], task) for label, playbook, task, group in VARIANTS]
    known = {bench.sim.process.pid} if getattr(bench.sim, "process", None) else set()
    runner = bench.runner
    saved_path = runner.collections_path
    # Both sides search the same collection path: ours, then Fortinet's and its dependencies.
    runner.collections_path = os.pathsep.join([saved_path, os.path.abspath(fortinet_path)])
    subreaper = _set_subreaper(True)
    bench.settle = lambda: _reap_orphans(known)
    try:
        runs = controller_pair.alternate(bench, variants, repetitions)
    finally:
        bench.settle = None
        runner.collections_path = saved_path
        if subreaper:
            _set_subreaper(False)
    digests = _check_rows(runs)
    result = controller_pair.summarise(runs, {"repetitions": repetitions})
    result.update(digests=digests, tids=len(tids), versions=versions(fortinet_path),
                  orphans_counted=subreaper,
                  settled=dict((label, spread([run.settled for run, _cpu in entries]))
                               for label, entries in runs.items()))
    return result


def _check_rows(runs):
    """Every run of a group returned the same rows, on both sides; ``{group: [rows, digest]}``."""
    seen = {}
    for label, _playbook, task, group in VARIANTS:
        if task is None:
            continue
        for run, _cpu in runs[label]:
            summary = run.record(task)["summary"]
            found = (summary.get("n_rows"), summary.get("rows_digest"))
            if not found[0]:
                raise BenchError("%s: no rows in the result of %r; see %s" % (label, task, run.run_dir))
            if seen.setdefault(group, found) != found:
                raise BenchError("%s: rows %s differ from the other side's %s; see %s"
                                 % (label, found, seen[group], run.run_dir))
    return dict((group, list(found)) for group, found in seen.items())


def goal_entries(result):
    entries = []
    for title, ours, theirs, factor in GOALS:
        entry = controller_pair.goal_entry(result["variants"], ours, theirs, factor, "empty", "empty")
        entry["pair"] = "9. Fortinet's collection, " + title
        entries.append(entry)
    return entries


def section(result, table, machine=None):
    versions = result["versions"]
    lines = [
        "## 9. Against Fortinet's collection (issue 18)",
        "",
        "`faz_top_sources_result` (as installed: it runs in the controller process) against Fortinet's own",
        "collection the way its module docs show: `fortinet.fortianalyzer.faz_fact` with the `fortiview_run`",
        "selector over the HttpApi connection (`ansible_network_os: fortinet.fortianalyzer.fortianalyzer`,",
        "TLS verified with `ansible_httpapi_ca_path`, password login). One fetch: our `tid` against one",
        "`faz_fact` task (`scripts/bench/playbooks/fetch_fortinet.yml`); ten: our `tids` with ten task ids in",
        "one task (`batch_tids.yml`) against `faz_fact` in a loop on one persistent connection",
        "(`fetch_fortinet_ten.yml`). Both sides log in with a password and log out; each run is checked for",
        "no session left open and for the same rows (srcip, sessions, bytes, in order) on both sides.",
        "Versions: %s (built from their GitHub sources; see below)."
        % ", ".join("%s %s" % (name, versions[name]) for name in NEEDED),
        "",
        "%d runs of each, interleaved (the order reverses every repetition). Task time = median wall minus the"
        % result["repetitions"],
        "empty playbook's; CPU = user + system time of `ansible-playbook` and every process it started,",
        "the `ansible-connection` daemon of the HttpApi connection included (the bench adopts it as a child",
        "subreaper and waits for it), minus the empty playbook's.",
        "",
    ]
    if not result.get("orphans_counted"):
        lines += ["**The daemon's CPU was not counted** (PR_SET_CHILD_SUBREAPER unavailable): Fortinet's CPU "
                  "figures are too low.", ""]
    if machine:
        lines += [controller_pair.measured_line(machine), ""]
    lines += controller_pair.variant_table(result["variants"], table, lambda label: "empty")
    lines += ["", "Goals (issue 18: at most 0.25 x Fortinet's collection):", ""]
    lines += controller_pair.goal_table(goal_entries(result), table, prefix_length=len("9. "))
    lines += [
        "",
        "Rows compared: %s." % "; ".join("%s: %d rows, digest %s" % (group, rows, digest)
                                         for group, (rows, digest) in sorted(result["digests"].items())),
        "",
        "After `ansible-playbook` exited, its `ansible-connection` daemon ran on (median, min-max) %s with one"
        % _seconds(result["settled"]["Fortinet, one fetch"]),
        "fetch and %s with the loop, and logged out only then: after a loop ansible-core does not reset the"
        % _seconds(result["settled"]["Fortinet, ten fetches in a loop"]),
        "persistent connection, so the daemon waits out `persistent_connect_timeout` (30 s) with the session",
        "open. Wall and task times above end when `ansible-playbook` exits; the CPU times include the daemon.",
        "",
        "Where the difference comes from (counted once with `strace -f -e trace=execve`, 2026-12-03, not by",
        "this run): every `faz_fact` task, and every item of the loop, starts two Python processes, the",
        "`ansible-connection` stub that finds the running daemon and the AnsiballZ module, and with the",
        "shell commands for its temporary directory 19 programs in all; the daemon itself starts once. Our",
        "module runs inside the worker process and starts none; ten `tids` are one task, one login and one",
        "logout, the gets sent over one session a few at a time.",
        "",
    ]
    return lines + HOW_TO


def _seconds(values):
    return "%.1f s (%.1f-%.1f)" % tuple(values)


def skipped_section(reason):
    """Section 9 of a run without Fortinet's collections: why, and how to get them."""
    return ["## 9. Against Fortinet's collection (issue 18)", "", "Not measured in this run: %s." % reason, ""] + HOW_TO


HOW_TO = [
    "To measure this pair, build Fortinet's collection and its dependencies from their GitHub sources",
    "(Galaxy is not needed) and install them into a directory of the bench's own:",
    "",
    "```sh",
    "mkdir -p .tmp/fortinet-src .tmp/fortinet-build",
] + [line for directory, repository, commit in SOURCES for line in (
    "git clone -q https://github.com/%s .tmp/fortinet-src/%s" % (repository, directory),
    "git -C .tmp/fortinet-src/%s checkout -q %s" % (directory, commit))] + [
    "for source in utils netcommon fortianalyzer; do",
    "    .venv/bin/ansible-galaxy collection build --force --output-path .tmp/fortinet-build \\",
    "        .tmp/fortinet-src/$source",
    "done",
    "(cd .tmp/fortinet-build && ../../.venv/bin/ansible-galaxy collection install --offline \\",
    "    -p ../fortinet-collections ansible-utils-*.tar.gz ansible-netcommon-*.tar.gz \\",
    "    fortinet-fortianalyzer-*.tar.gz)",
    ".venv/bin/python scripts/bench/run.py --pairs fortinet --repetitions 4 \\",
    "    --fortinet-collections-path .tmp/fortinet-collections",
    "```",
    "",
    "(or set `%s`). Without them, `make bench` skips this pair and says why. The commits are those" % ENV_VAR,
    "measured; Fortinet's `galaxy.yml` asks for any `ansible.netcommon`, which asks for `ansible.utils` >= 3.0.0.",
]
