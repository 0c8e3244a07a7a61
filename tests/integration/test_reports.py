"""The four report modules through ansible-playbook, in one run: files, idempotence, check mode, a refusal,
the _info modules, file modes, and no secret in any output, sidecar or transcript."""

import os

import pytest

from tests.integration.gz_helpers import GZ_API_KEY, gz_connection, run_gz
from tests.integration.helpers import FAZ_ADMIN, faz_connection, module_task

PERIOD = {"start": "2026-11-30 00:00:00", "end": "2026-11-30 23:59:59"}
TARGET = "5b6b1ba6b1a43d4b7e8b4567"


@pytest.mark.changing_modules("faz_report", "gz_report")
def test_reports_through_ansible(sim, run_playbook, tmp_path):
    sim.configure(faz_report_duration=0.5, gz_report_duration=0.5)
    out = str(tmp_path / "reports")
    os.makedirs(out)
    transcript = os.path.join(out, "faz.jsonl")
    faz = faz_connection(sim)
    gz = gz_connection(sim)
    faz_run = dict(faz, poll_interval=0.25, layout="Security Analysis", time_range=PERIOD, dest=out + "/faz.zip", unpack=True)
    gz_run = dict(gz, poll_interval=0.25, report_type="Malware Status", target_ids=[TARGET], period="2026-W48", dest=out + "/gz.zip",
                  mode="0640", unpack=True)
    tasks = [
        dict(module_task("faz_report", "faz run", transcript=transcript, **faz_run), register="faz"),
        dict(module_task("faz_report", "faz again", **faz_run), register="faz_again"),
        dict(module_task("faz_report", "faz check", **dict(faz_run, dest=out + "/check.zip")), check_mode=True,
             register="faz_check"),
        dict(module_task("faz_report", "faz ambiguous", **dict(faz_run, layout="Weekly Summary", dest=out + "/w.zip")),
             ignore_errors=True),
        dict(module_task("faz_report_info", "faz info", **faz), register="faz_info"),
        dict(module_task("gz_report", "gz run", **gz_run), register="gz"),
        dict(module_task("gz_report", "gz again", **gz_run), register="gz_again"),
        dict(module_task("gz_report_info", "gz info", **gz), register="gz_info"),
        {"name": "modes", "ansible.builtin.stat": {"path": out + "/faz.zip"}, "register": "faz_stat"},
        {"name": "checks", "ansible.builtin.assert": {"that": [
            "faz.changed and not faz_again.changed and faz_again.sha256 == faz.sha256",
            "faz.files | length == 2 and faz.deleted",
            "faz_check.changed and faz_check.msg is search('check mode: would run report layout')",
            "faz_info.layouts | length == 4 and faz_info.templates | length == 1",
            "gz.changed and not gz_again.changed and gz.files | length == 2 and gz.deleted",
            "gz_info.total == 0",
            "faz_stat.stat.mode == '0600'",
        ]}},
    ]
    run = run_gz(run_playbook, tasks)
    assert run.rc == 0, run.describe()
    refused = run.failed_result("faz ambiguous")
    assert "2 report layouts are titled 'Weekly Summary'" in refused["msg"]
    assert not os.path.exists(out + "/check.zip")
    assert oct(os.stat(out + "/gz.zip").st_mode & 0o777) == "0o640"
    counters = sim.counters()
    assert counters["faz"]["report_runs"] == 1 and counters["faz"]["report_runs_open"] == 0
    assert counters["gz"]["reports_created"] == 1 and counters["gz"]["reports_open"] == 0
    texts = [run.output] + [open(os.path.join(out, name), errors="replace").read()
                            for name in ("faz.jsonl", "faz.zip.report.json", "gz.zip.report.json")]
    for secret in (FAZ_ADMIN[1], GZ_API_KEY):
        assert all(secret not in text for text in texts)
