"""Issue 11 on every simulated firmware: each behaviour proven on the shape it comes in.

The simulator's profiles (tests/simulator/profiles.py, docs/appliance-behaviour.md): seed, 7.4,
7.6, 8.0 and old for FortiAnalyzer, and a legacy GravityZone console that answers createScanTask with
``true``. FortiView result, creation and errors run against every FortiAnalyzer profile.
"""

import json
import os
import stat

import pytest

from tests.integration.gz_helpers import GZ_API_KEY, gz_connection, run_gz
from tests.integration.helpers import faz_connection, faz_log, module_task
from tests.simulator import replay

PROFILES = ("seed", "7.4", "7.6", "8.0", "old")
CREATED = pytest.mark.changing_modules("faz_fortiview_task")
SCANNED = pytest.mark.changing_modules("gz_scan_task")
TARGET = "65f466d8c9dd23034805aaaa"
PERIOD_ISO = {"start": "2025-01-01T00:00", "end": "2025-01-02T00:00"}
PERIOD_SENT = {"start": "2025-01-01 00:00:00", "end": "2025-01-02 00:00:00"}


@pytest.fixture(params=PROFILES)
def profile(request, sim):
    sim.configure(faz_profile=request.param, faz_task_duration=1)
    return request.param


def faz(module, sim, name=None, **args):
    return module_task(module, name=name, **dict(faz_connection(sim), **args))


def gz(module, sim, title=None, **args):
    """A GravityZone task; built by hand because these modules have an option called ``name``."""
    return {"name": title or module, "secops.async_tasks." + module: dict(gz_connection(sim), **args)}


# -- FortiView creation and result ---------------------------------------------------------------------
@CREATED
def test_create_and_fetch(sim, run_tasks, profile):
    run = run_tasks([
        dict(faz("faz_fortiview_task", sim, view="top-sources", time_range=PERIOD_ISO, limit=10), register="created"),
        faz("faz_top_sources_result", sim, tid="{{ created.tid }}", wait=True, poll_interval=0.3),
    ])
    created = run.ok_result("faz_fortiview_task")
    assert created["tid"] == 13000 and created["time_range"] == PERIOD_SENT
    assert created["device"] == [{"devname": "All_Device"}]
    assert faz_log(sim, method="add")[0]["time_range"] == PERIOD_SENT
    result = run.ok_result("faz_top_sources_result")
    assert (result["done"], result["status"], result["percentage"], len(result["sources"])) == (True, "done", 100, 10)
    for row in result["sources"]:
        assert isinstance(row["bytes"], int) and isinstance(row["sessions"], int)
        assert row["hostname"] != row["srcip"]
    if profile in ("7.4", "7.6", "8.0"):
        assert any(row["hostname"] is None for row in result["sources"])  # srcip_hostname repeated the IP


def test_applications_real_fields(sim, run_tasks, profile):
    tid = sim.faz_create_task(view="top-applications", status="done", rows=5)
    run = run_tasks([faz("faz_top_applications_result", sim, tid=tid)])
    result = run.ok_result()
    rows = result["applications"]
    assert len(rows) == 5 and all(isinstance(row["app"], str) and isinstance(row["bytes"], int) for row in rows)
    real = profile in ("7.4", "7.6", "8.0")
    assert all(("traffic_in" in row and "traffic_out" in row) == real for row in rows)  # only where sent
    if real:
        assert all(row["traffic_in"] + row["traffic_out"] == row["bytes"] for row in rows)


def test_running_task_reports_progress_and_partial_rows(sim, run_tasks, profile):
    tid = sim.faz_create_task(status="running", percentage=40, rows=10)
    result = run_tasks([faz("faz_top_sources_result", sim, tid=tid)]).ok_result()
    assert (result["done"], result["status"]) == (False, "running")
    assert result["percentage"] == (0 if profile == "old" else 40)
    assert (len(result["sources"]) > 0) == (profile == "7.4")


# -- errors -----------------------------------------------------------------------------------------------
def test_unknown_tid_is_not_found(sim, run_tasks, profile):
    result = run_tasks([dict(faz("faz_top_sources_result", sim, tid=99999), ignore_errors=True)]).failed_result()
    assert "task 99999 not found" in result["msg"]


def test_failed_task_is_an_error_even_beside_rows(sim, run_tasks, profile):
    tid = sim.faz_create_task(status="error", duration=0)
    result = run_tasks([dict(faz("faz_top_sources_result", sim, tid=tid), ignore_errors=True)]).failed_result()
    if profile == "seed":
        assert "ended with status 'error'" in result["msg"]
    else:
        assert "code -1" in result["msg"] and "Task failed" in result["msg"]


def test_tid_of_another_view_is_a_request_error(sim, run_tasks, profile):
    tid = sim.faz_create_task(view="top-sources", status="done")
    run = run_tasks([dict(faz("faz_fortiview_result", sim, view="top-destinations", tid=tid), ignore_errors=True)])
    message = run.failed_result()["msg"]
    if profile == "seed":
        assert "not found" in message
    else:
        assert "-10" in message and "view (top-destinations), ADOM (root) and task id (%d)" % tid in message
        assert "permission" not in message.lower()
    assert sim.counters()["faz"]["logins"] == 1  # no second login


def test_minus_11_in_any_shape_logs_in_again_once(sim, run_tasks, profile):
    sim.configure(faz_always_code=-11)
    result = run_tasks([dict(faz("faz_top_sources_result", sim, tid=12450), ignore_errors=True)]).failed_result()
    assert "-11" in result["msg"]
    counters = sim.counters()["faz"]
    assert (counters["logins"], counters["logouts"]) == (2, 2)


def test_login_without_rpc_permit_says_how_to_fix_it(sim, run_tasks):
    task = faz("faz_top_sources_result", sim, tid=12450, username="norpc", password="sim-norpc-pass")
    result = run_tasks([dict(task, ignore_errors=True)]).failed_result()
    assert "rpc-permit" in result["msg"] and "set rpc-permit read" in result["msg"]
    assert "sim-norpc-pass" not in json.dumps(result)


# -- devices and times ----------------------------------------------------------------------------------------
@CREATED
def test_all_fortigate_empty_result_comes_with_a_warning(sim, run_tasks, profile):
    run = run_tasks([
        dict(faz("faz_fortiview_task", sim, view="top-sources", device=["All_FortiGate"]), register="created"),
        faz("faz_top_sources_result", sim, tid="{{ created.tid }}", device="{{ created.device }}", wait=True,
            poll_interval=0.3),
    ])
    result = run.ok_result("faz_top_sources_result")
    empty = profile in ("7.6", "8.0")
    assert (len(result["sources"]) == 0) == empty
    warnings = " ".join(result.get("warnings", []))
    assert ("All_Device" in warnings) == empty


@CREATED
@pytest.mark.parametrize("start, end, zone, sent", [
    ("2025-01-01T08:00:00Z", "2025-01-01T10:00Z", "Europe/Paris", ("2025-01-01 09:00:00", "2025-01-01 11:00:00")),
    ("2025-07-01T08:00:00+02:00", "2025-07-01 18:00", "Asia/Tokyo", ("2025-07-01 15:00:00", "2025-07-01 18:00:00")),
])
def test_times_with_a_zone_are_converted(sim, run_tasks, start, end, zone, sent):
    run = run_tasks([faz("faz_fortiview_task", sim, view="top-sources", timezone=zone,
                            time_range={"start": start, "end": end})])
    assert run.ok_result()["time_range"] == {"start": sent[0], "end": sent[1]}
    assert faz_log(sim, method="add")[0]["time_range"] == {"start": sent[0], "end": sent[1]}


@CREATED
def test_a_time_with_a_zone_needs_timezone(sim, run_tasks):
    run = run_tasks([dict(faz("faz_fortiview_task", sim, view="top-sources",
                                 time_range={"start": "2025-01-01T08:00:00Z"}), ignore_errors=True)])
    message = run.failed_result()["msg"]
    assert "timezone is not set" in message and "time_range.start" in message
    assert sim.faz_tasks_created() == 0 and sim.counters()["faz"]["logins"] == 0


# -- GravityZone consoles that answer true ----------------------------------------------------------------------
@SCANNED
def test_legacy_console_task_is_found_by_its_name(sim, run_tasks):
    sim.configure(gz_profile="legacy", gz_rate=0)
    for number in range(120):  # many tasks whose names start like ours: two pages to read
        sim.gz_create_task(name="nightly %03d" % number, subtasks=1)
    run = run_gz(run_tasks, [
        dict(gz("gz_scan_task", sim, target_ids=[TARGET], name="nightly"), register="scan"),
        gz("gz_task_status", sim, task_id="{{ scan.task_id }}"),
    ])
    scan = run.ok_result("gz_scan_task")
    assert sim.gz_scan_tasks_created() == 1
    status = run.ok_result("gz_task_status")
    assert status["name"] == "nightly" and scan["task_ids"] == [scan["task_id"]]
    pages = [entry for entry in sim.log("gz") if entry["method"] == "getScanTasksList"]
    assert len(pages) == 2


@SCANNED
def test_legacy_console_without_a_name_gets_a_unique_one(sim, run_tasks):
    sim.configure(gz_profile="legacy", gz_rate=0)
    run = run_gz(run_tasks, [gz("gz_scan_task", sim, "first", target_ids=[TARGET]),
                                gz("gz_scan_task", sim, "second", target_ids=[TARGET])])
    first, second = run.ok_result("first"), run.ok_result("second")
    assert first["name"].startswith("Quick scan ") and first["name"] != second["name"]
    assert first["task_id"] != second["task_id"] and sim.gz_scan_tasks_created() == 2


@SCANNED
def test_legacy_console_several_matches_fail_listing_them(sim, run_tasks):
    sim.configure(gz_profile="legacy", gz_rate=0)
    other = sim.gz_create_task(name="weekly", subtasks=1)
    run = run_gz(run_tasks, [dict(gz("gz_scan_task", sim, target_ids=[TARGET], name="weekly"), ignore_errors=True)])
    message = run.failed_result()["msg"]
    assert other in message and "2 scan tasks are named 'weekly'" in message
    assert sim.gz_scan_tasks_created() == 1  # not sent again


# -- gz_scan_task_info ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("check", [False, True])
def test_scan_task_info_reads_every_page(sim, run_tasks, check):
    sim.configure(gz_rate=0)
    ids = [sim.gz_create_task(name="audit %02d" % number, subtasks=1, duration=0) for number in range(25)]
    sim.gz_create_task(name="other", subtasks=1)
    tasks = [gz("gz_scan_task_info", sim, "Prefix", name="audit", per_page=10),
             gz("gz_scan_task_info", sim, "Exact", name="audit 07", exact=True, status="finished")]
    run = run_gz(run_tasks, tasks, check=check)
    found = run.ok_result("Prefix")
    assert (found["total"], found["pages_fetched"]) == (25, 3)
    assert sorted(task["task_id"] for task in found["tasks"]) == sorted(ids)
    assert found["ansible_facts"]["gz_scan_tasks"]["total"] == 25
    exact = run.ok_result("Exact")
    assert [task["name"] for task in exact["tasks"]] == ["audit 07"]


# -- transcripts ----------------------------------------------------------------------------------------------------
def test_transcript_holds_no_secret_and_replays(sim, run_tasks, tmp_path):
    path = str(tmp_path / "faz.jsonl")
    sim.configure(faz_profile="7.4")
    run = run_tasks([faz("faz_top_sources_result", sim, tid=12450, transcript=path)])
    first = run.ok_result()
    sim_sessions = [entry for entry in sim.log("faz") if entry["url"] == "/sys/login/user"]
    assert len(sim_sessions) == 1
    text = open(path, encoding="utf-8").read()
    assert "sim-admin-pass" not in text and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    entries = replay.load(path)
    assert [entry["params"]["params"][0]["url"] for entry in entries] == [
        "/sys/login/user", "/fortiview/adom/root/top-sources/run/12450", "/sys/logout"]
    assert entries[0]["body"]["session"] == "<redacted>" and entries[1]["params"]["session"] == "<redacted>"
    sim.replay(path=path)
    again = run_tasks([faz("faz_top_sources_result", sim, tid=12450)]).ok_result()
    assert again["sources"] == first["sources"]
    assert sim.stop_replay()["mismatches"] == []


def test_gravityzone_transcript_holds_no_key(sim, run_tasks, tmp_path):
    path = str(tmp_path / "gz.jsonl")
    run_gz(run_tasks, [gz("gz_task_status", sim, task_id="65f46d08c6d2865b32048ba3", transcript=path)]).ok_result()
    text = open(path, encoding="utf-8").read()
    assert GZ_API_KEY not in text and '"method":"getTaskStatus"' in text
