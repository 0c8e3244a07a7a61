"""faz_report, faz_report_info, gz_report and gz_report_info: main() in-process (harness.py) against the simulator."""

import hashlib
import json
import os
import zipfile

import pytest

from tests.simulator.faz import API_KEY as FAZ_KEY, USERS
from tests.simulator.gz import API_KEY as GZ_KEY

TARGET = "5b6b1ba6b1a43d4b7e8b4567"
PERIOD = {"start": "2026-11-30 00:00:00", "end": "2026-11-30 23:59:59"}


@pytest.fixture(autouse=True)
def quick_reports(sim):
    """Reports the simulator makes in 0.3 s."""
    sim.configure(faz_report_duration=0.3, gz_report_duration=0.3)


@pytest.fixture
def run_module(harness):
    """``run_module(name, args, check_mode=False)``: the module's result through the in-process harness."""
    def run(name, args, check_mode=False):
        done = harness.run(name, args, check_mode=check_mode)
        assert done.crash is None, done.crash
        return done.result
    return run


def faz(sim, **args):
    base = {"host": "127.0.0.1", "port": sim.port, "ca_path": sim.ca_path, "username": "admin",
            "password": USERS["admin"], "poll_interval": 0.25, "wait_timeout": 60}
    base.update(args)
    return base


def gz(sim, **args):
    base = {"api_url": sim.gz_api_url, "api_key": GZ_KEY, "ca_path": sim.ca_path, "poll_interval": 0.25,
            "wait_timeout": 60}
    base.update(args)
    return base


def sha256(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def no_leftovers(directory):
    return [name for name in os.listdir(str(directory)) if name.endswith(".part")]


def test_faz_run_downloads_unpacks_deletes_and_is_idempotent(sim, run_module, tmp_path):
    dest = str(tmp_path / "security.zip")
    result = run_module("faz_report", faz(sim, layout="Security Analysis", time_range=PERIOD, dest=dest,
                                          unpack=True))
    assert result.get("failed") is not True, result
    assert result["changed"] is True and result["layout_id"] == 10001 and result["zip"] is True
    assert result["tid"].count("-") == 4  # a UUID tid
    assert result["sha256"] == sha256(dest) and result["size"] == os.path.getsize(dest)
    assert result["mode"] == "0600" and oct(os.stat(dest).st_mode & 0o777) == "0o600"
    assert zipfile.is_zipfile(dest)
    assert sorted(os.path.basename(item["path"]) for item in result["files"]) == ["report.csv", "report.pdf"]
    assert result["checksum_verified"] is True and result["deleted"] is True
    assert result["ansible_facts"]["faz_report"]["sha256"] == result["sha256"]
    counters = sim.counters()["faz"]
    assert counters["report_runs"] == 1 and counters["report_runs_open"] == 0
    sidecar = open(dest + ".report.json").read()
    assert USERS["admin"] not in sidecar and json.loads(sidecar)["layout_id"] == 10001
    # the same report again: nothing is sent
    requests = sim.counters()["faz"]["requests"]
    again = run_module("faz_report", faz(sim, layout="Security Analysis", time_range=PERIOD, dest=dest))
    assert again["changed"] is False and again["sha256"] == result["sha256"]
    assert sim.counters()["faz"]["requests"] == requests
    forced = run_module("faz_report", faz(sim, layout="Security Analysis", time_range=PERIOD, dest=dest, force=True))
    assert forced["changed"] is True and sim.counters()["faz"]["report_runs"] == 2
    assert no_leftovers(tmp_path) == []


def test_faz_numeric_tid_plain_body_schedule_needed_api_key(sim, run_module, tmp_path):
    sim.configure(faz_report_tid="number", faz_report_zip=False, faz_report_needs_schedule=True)
    dest = str(tmp_path / "bw.pdf")
    args = faz(sim, layout_id=10002, time_range={"last": "7d"}, dest=dest, mode="0640", keep=True, unpack=True)
    args.pop("username"), args.pop("password")
    args["api_key"] = FAZ_KEY
    result = run_module("faz_report", args)
    assert result.get("failed") is not True, result
    assert result["tid"].isdigit() and result["zip"] is False and result["files"] == []
    assert result["schedule_created"] is True and result["deleted"] is False
    assert oct(os.stat(dest).st_mode & 0o777) == "0o640"
    assert FAZ_KEY not in json.dumps(result) and FAZ_KEY not in open(dest + ".report.json").read()
    assert sim.counters()["faz"]["report_runs_open"] == 1
    # the kept run is downloaded again by tid (no new run)
    other = str(tmp_path / "again.pdf")
    for name in ("layout_id", "time_range", "mode", "unpack", "keep"):
        args.pop(name)
    by_tid = run_module("faz_report", dict(args, tid=result["tid"], dest=other, delete=True))
    assert by_tid.get("failed") is not True, by_tid
    assert by_tid["sha256"] == result["sha256"] and by_tid["deleted"] is True
    assert sim.counters()["faz"]["report_runs"] == 1 and sim.counters()["faz"]["report_runs_open"] == 0


def test_faz_layout_errors_and_check_mode(sim, run_module, tmp_path):
    dest = str(tmp_path / "r.pdf")
    twice = run_module("faz_report", faz(sim, layout="Weekly Summary", dest=dest))
    assert twice["failed"] and "2 report layouts are titled 'Weekly Summary'" in twice["msg"]
    assert "10003" in twice["msg"] and "10004" in twice["msg"]
    none = run_module("faz_report", faz(sim, layout="Security", dest=dest))
    assert none["failed"] and "close titles" in none["msg"] and "Security Analysis" in none["msg"]
    missing_dir = run_module("faz_report", faz(sim, layout="Security Analysis", dest=str(tmp_path / "no" / "r.pdf")))
    assert missing_dir["failed"] and "dest" in missing_dir["msg"]
    check = run_module("faz_report", faz(sim, layout="Security Analysis", dest=dest), check_mode=True)
    assert check["changed"] is True and check["msg"].startswith("check mode: would run report layout")
    assert check["request"]["method"] == "add" and not os.path.exists(dest)
    assert sim.counters()["faz"]["report_runs"] == 0 and sim.counters()["faz"]["logins"] == 3


def test_faz_failed_run_and_interrupted_download_leave_nothing(sim, run_module, tmp_path):
    dest = str(tmp_path / "r.pdf")
    sim.configure(faz_report_fail=True)
    failed = run_module("faz_report", faz(sim, layout="Security Analysis", dest=dest))
    assert failed["failed"] and "ended failed" in failed["msg"] and "no data" in failed["msg"]
    assert sim.counters()["faz"]["report_runs_open"] == 0  # deleted on the way out
    sim.configure(faz_report_fail=False, report_cut=0.5, faz_report_size=3000000, faz_report_zip=False)
    with open(dest, "wb") as old:
        old.write(b"previous report")
    cut = run_module("faz_report", faz(sim, layout="Security Analysis", dest=dest, timeout=5))
    assert cut["failed"], cut
    assert open(dest, "rb").read() == b"previous report"
    assert no_leftovers(tmp_path) == []
    assert sim.counters()["faz"]["report_runs_open"] == 0


def test_faz_report_info(sim, run_module, tmp_path):
    run_module("faz_report", faz(sim, layout="Security Analysis", dest=str(tmp_path / "a.zip"), keep=True))
    args = faz(sim)
    del args["poll_interval"], args["wait_timeout"]
    info = run_module("faz_report_info", args)
    assert info["changed"] is False
    assert [item["layout_id"] for item in info["templates"]] == [9001]
    assert 10001 in [item["layout_id"] for item in info["layouts"]]
    assert info["running"] == [] and len(info["generated"]) == 1 and info["generated"][0]["state"] == "generated"


def test_gz_report_created_waited_downloaded_deleted(sim, run_module, tmp_path):
    dest = str(tmp_path / "malware.zip")
    transcript = str(tmp_path / "gz.jsonl")
    result = run_module("gz_report", gz(sim, report_type="Malware Status", target_ids=[TARGET], dest=dest,
                                        unpack=True, period="2026-W48", transcript=transcript))
    assert result.get("failed") is not True, result
    assert result["type"] == 12 and result["report_type"] == "malware_status" and result["deleted"] is True
    assert result["sha256"] == sha256(dest) and len(result["files"]) == 2
    counters = sim.counters()["gz"]
    assert counters["reports_created"] == 1 and counters["reports_open"] == 0 and counters["report_downloads"] == 1
    for path in (dest + ".report.json", transcript):
        assert GZ_KEY not in open(path).read()
    assert GZ_KEY not in json.dumps(result)
    again = run_module("gz_report", gz(sim, report_type="malware_status", target_ids=[TARGET], dest=dest,
                                       period="2026-W48"))
    assert again["changed"] is False and sim.counters()["gz"]["reports_created"] == 1


def test_gz_report_refusals(sim, run_module, tmp_path):
    dest = str(tmp_path / "r.zip")
    unknown = run_module("gz_report", gz(sim, report_type="malware stats", target_ids=[TARGET], dest=dest))
    assert unknown["failed"] and "did you mean" in unknown["msg"]
    not_offered = run_module("gz_report", gz(sim, report_type="27", target_ids=[TARGET], dest=dest))
    assert not_offered["failed"] and "does not know report type" in not_offered["msg"]
    sim.configure(gz_report_link_host="other")
    elsewhere = run_module("gz_report", gz(sim, report_type="malware_status", target_ids=[TARGET], dest=dest))
    assert elsewhere["failed"] and "not followed" in elsewhere["msg"] and "elsewhere.invalid" in elsewhere["msg"]
    assert sim.counters()["gz"]["report_downloads"] == 0 and not os.path.exists(dest)
    sim.configure(gz_report_link_host="self", gz_report_expired=True)
    expired = run_module("gz_report", gz(sim, report_type="malware_status", target_ids=[TARGET], dest=dest))
    assert expired["failed"] and "less than 24 hours" in expired["msg"]
    assert sim.counters()["gz"]["reports_open"] == 0 and no_leftovers(tmp_path) == []
    check = run_module("gz_report", gz(sim, report_type="malware_status", target_ids=[TARGET], dest=dest),
                       check_mode=True)
    assert check["changed"] is True and check["request"]["method"] == "createReport"


def test_gz_existing_report_and_info(sim, run_module, tmp_path):
    kept = run_module("gz_report", gz(sim, report_type="network_status", target_ids=[TARGET], name="weekly net",
                                      dest=str(tmp_path / "a.zip"), keep=True))
    assert kept.get("failed") is not True, kept
    args = gz(sim, report_type="network_status")
    del args["poll_interval"], args["wait_timeout"]
    info = run_module("gz_report_info", args)
    assert info["changed"] is False and info["total"] == 1 and info["reports"][0]["name"] == "weekly net"
    by_name = run_module("gz_report", gz(sim, name="weekly net", dest=str(tmp_path / "b.zip"), delete=True))
    assert by_name.get("failed") is not True, by_name
    assert by_name["sha256"] == kept["sha256"] and by_name["deleted"] is True
