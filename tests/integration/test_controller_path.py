"""The in-controller path beyond parity: live progress, the task ``timeout:``, and rows written to ``dest``.

Progress and the task timeout need Ansible itself: one playbook at ``-v`` waits for a FortiView task
and a log search that take several seconds (their progress lines are read from its output), and one
task whose ``timeout:`` ends it while it waits (its session must still be logged out: the fixture in
conftest.py checks the simulator's open sessions after every test). ``dest`` is tested in-process
through the same controller-side module class the action plugins use.
"""

import csv
import hashlib
import json
import os
import re
import stat

import pytest

from tests.integration.helpers import COLLECTION, faz_connection
from tests.integration.reliability_helpers import run_module

DAY = {"start": "2025-12-16 00:00:00", "end": "2025-12-16 23:59:59"}
HOT = "srcip=10.0.1.5"  # 10,000 of the day's 30,000 traffic logs
SECRET = "sim-admin-pass"
PROGRESS = re.compile(r"secops\.async_tasks\.(\w+): (.*) \((\d+) s so far, (\d+) s left\)")


@pytest.mark.changing_modules("faz_log_search")
def test_progress_lines_at_v_and_a_task_timeout_still_logs_out(sim, run_playbook):
    # A task that stays at 40 %: no finish estimate moves the polls, so they fall at 0, 1, 2.5, 4.75 and 8 s
    # and the one at 4.75 s reports; the wait then ends at wait_timeout. The search finishes after 9 s.
    sim.configure(faz_logsearch_duration=9)
    endless = sim.faz_create_task(view="top-sources", status="running", percentage=40)
    tasks = [
        {"name": "wait for a FortiView task", COLLECTION + ".faz_fortiview_result":
            faz_connection(sim, view="top-sources", tid=endless, wait=True, poll_interval=1, wait_timeout=8),
         "ignore_errors": True},
        {"name": "a log search that scans for a while", COLLECTION + ".faz_log_search":
            faz_connection(sim, logtype="traffic", filter=HOT, time_range=DAY, max_rows=10, poll_interval=1)},
        {"name": "a wait the task timeout ends", COLLECTION + ".faz_fortiview_result":
            faz_connection(sim, view="top-sources", tid=endless, wait=True, poll_interval=1), "timeout": 4,
         "ignore_errors": True},
    ]

    run = run_playbook(tasks, verbosity=1)

    by_task = progress_lines(run.stdout)
    fortiview = by_task["wait for a FortiView task"]
    searches = by_task["a log search that scans for a while"]
    assert fortiview and searches, run.describe()
    assert all("FortiView task %d: 40%%" % endless in text for _module, text, _so_far, _left in fortiview)
    assert all(re.search(r"\d+%, \d+ of \d+ logs scanned", text) for _module, text, _so_far, _left in searches)
    for group in (fortiview, searches):
        so_far = [line[2] for line in group]
        assert so_far[0] >= 3 and all(later - earlier >= 10 for earlier, later in zip(so_far, so_far[1:]))
        assert all(0 <= line[3] <= 300 + 60 for line in group)
    assert SECRET not in run.output
    waited = run.record("wait for a FortiView task")
    assert waited["status"] == "failed" and "still running at 40%" in waited["result"]["msg"], waited
    timed_out = run.record("a wait the task timeout ends")
    assert timed_out["status"] == "failed" and "timed out" in timed_out["result"]["msg"].lower(), timed_out


def progress_lines(stdout):
    """{task name: [(module, text, seconds so far, seconds left)]} of the progress lines under each task."""
    found, task = {}, None
    for line in stdout.splitlines():
        header = re.match(r"TASK \[(.*)\]", line)
        if header:
            task = header.group(1)
            found.setdefault(task, [])
            continue
        match = PROGRESS.search(line)
        if match and task is not None:
            found[task].append((match.group(1), match.group(2), int(match.group(3)), int(match.group(4))))
    return found


def log_search_to(sim, dest, **options):
    args = faz_connection(sim, logtype="traffic", filter=HOT, time_range=DAY, max_rows=2000, dest=str(dest))
    args.update(options)
    return run_module("faz_log_search", args)


@pytest.mark.changing_modules("faz_log_search")
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_dest_holds_the_rows_and_the_result_only_their_summary(sim, tmp_path, fmt):
    dest = tmp_path / ("rows." + fmt)
    first = log_search_to(sim, dest, format=fmt, fields=["id", "srcip", "dstip"])
    assert first.crash is None and first.rc == 0, first.output
    result = first.result
    assert "rows" not in result and "rows" not in result["ansible_facts"]["faz_log_search"]
    data = dest.read_bytes()
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    assert result["dest"] == {"path": str(dest), "format": fmt, "size": len(data),
                              "sha256": hashlib.sha256(data).hexdigest(), "rows": 2000}
    assert result["ansible_facts"]["faz_log_search"]["dest"] == result["dest"]
    assert (result["returned"], result["changed"]) == (2000, True)
    if fmt == "jsonl":
        rows = [json.loads(line) for line in data.decode().splitlines()]
        assert [sorted(row) for row in rows[:1]] == [["dstip", "id", "srcip"]]
    else:
        rows = list(csv.DictReader(data.decode().splitlines()))
        assert list(rows[0]) == ["id", "srcip", "dstip"]
    assert len(rows) == 2000 and {row["srcip"] for row in rows} == {"10.0.1.5"}
    assert [name for name in os.listdir(tmp_path) if name != dest.name] == []  # no temporary file left

    again = log_search_to(sim, dest, format=fmt, fields=["id", "srcip", "dstip"])
    assert again.result["changed"] is False and again.result["dest"] == result["dest"]


@pytest.mark.changing_modules("faz_log_search")
def test_dest_never_holds_a_secret_the_appliance_quoted(sim, tmp_path):
    sim.echo_secrets(where="rows")
    dest = tmp_path / "rows.jsonl"
    run = log_search_to(sim, dest, max_rows=50)
    assert run.crash is None and run.rc == 0, run.output
    assert sim.tamper_report()["echoed"]
    text = dest.read_text(encoding="utf-8")
    assert SECRET not in text and "********" in text


def test_dest_refusals_name_the_option(sim, tmp_path):
    missing = log_search_to(sim, tmp_path / "no-such-dir" / "rows.jsonl")
    batch = log_search_to(sim, tmp_path / "rows.jsonl", searches=[{"name": "one"}])
    directory = log_search_to(sim, tmp_path)
    for run in (missing, batch, directory):
        assert run.crash is None and run.rc == 1 and run.msg.startswith("dest "), run.msg
    assert "does not exist" in missing.msg and "one search" in batch.msg and "directory" in directory.msg
    assert sim.counters()["faz"]["logsearches_created"] == 0
