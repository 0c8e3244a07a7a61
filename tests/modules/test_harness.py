"""The in-process harness itself: it runs the checkout's code, as a managed node would, one run at a time."""

import importlib
import os

import pytest

from tests.conftest import ROOT
from tests.integration.helpers import faz_connection, module_task
from tests.integration.seed_data import TOP_SOURCES
from tests.modules.harness import COLLECTION_MODULES
from tests.modules.tasks import NeedsAnsible


def test_the_module_run_is_the_checkouts_code():
    code = importlib.import_module(COLLECTION_MODULES + "faz_top_sources_result")
    assert os.path.realpath(code.__file__) == os.path.join(os.path.realpath(ROOT), "plugins", "modules",
                                                          "faz_top_sources_result.py")


def test_a_read_returns_the_modules_json_and_exit_status(sim, harness):
    run = harness.run("faz_top_sources_result", dict(tid=TOP_SOURCES.tid, **faz_connection(sim)))
    assert (run.rc, run.crash) == (0, None)
    assert run.result["changed"] is False and run.result["done"] is True
    assert [row["raw"] for row in run.result["sources"]] == TOP_SOURCES.rows


def test_a_failure_is_fail_json_with_exit_status_1(sim, harness):
    run = harness.run("faz_top_sources_result", dict(tid=99999, **faz_connection(sim)))
    assert (run.rc, run.crash, run.result["failed"]) == (1, None, True)
    assert "99999" in run.msg


def test_the_test_process_environment_does_not_reach_the_module(sim, harness, monkeypatch):
    # A variable of the test process would give the module a host; on a node the harness makes, it is absent.
    monkeypatch.setenv("FORTIANALYZER_HOST", "127.0.0.1")
    run = harness.run("faz_top_sources_result", dict(tid=TOP_SOURCES.tid, username="admin", password="x"))
    assert run.rc == 1 and "host" in run.msg, run.msg
    assert os.environ["FORTIANALYZER_HOST"] == "127.0.0.1"  # put back afterwards


def test_env_given_to_the_run_is_what_the_module_sees(sim, harness):
    env = dict(("FORTIANALYZER_" + name.upper(), str(value)) for name, value in faz_connection(sim).items())
    run = harness.run("faz_top_sources_result", dict(tid=TOP_SOURCES.tid), env=env)
    assert run.rc == 0, run.msg
    assert "FORTIANALYZER_HOST" not in os.environ


def test_check_mode_reaches_the_module(sim, harness):
    run = harness.run("faz_fortiview_task", dict(view="top-sources", time_range={"last": "1h"},
                                                 **faz_connection(sim)), check_mode=True)
    assert run.rc == 0, run.msg
    assert run.result["changed"] is True and sim.faz_tasks_created() == 0  # would create; created nothing


def test_a_warning_belongs_to_its_own_run(sim, harness):
    insecure = dict(tid=TOP_SOURCES.tid, **faz_connection(sim, ca_path=None, validate_certs=False))
    assert len(harness.run("faz_top_sources_result", insecure).result["warnings"]) == 1
    assert "warnings" not in harness.run("faz_top_sources_result", dict(tid=TOP_SOURCES.tid,
                                                                       **faz_connection(sim))).result


def test_a_module_that_raises_is_a_crash_with_its_traceback(sim, harness, monkeypatch):
    code = importlib.import_module(COLLECTION_MODULES + "faz_top_sources_result")

    def broken():
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(code, "main", broken)
    run = harness.run("faz_top_sources_result", {})
    assert run.result is None and "RuntimeError: broken on purpose" in run.crash


def test_the_task_runner_refuses_what_only_ansible_does(sim, run_tasks):
    with pytest.raises(NeedsAnsible):
        run_tasks([{"name": "a debug task", "ansible.builtin.debug": {"msg": "hi"}}])
    with pytest.raises(NeedsAnsible):
        run_tasks([module_task("faz_top_sources_result", tid="{{ 12450 | int }}", **faz_connection(sim))])
    with pytest.raises(NeedsAnsible):
        run_tasks([module_task("faz_top_sources_result", tid=12450, **faz_connection(sim))], verbosity=4)


def test_a_failed_task_stops_the_run_unless_errors_are_ignored(sim, run_tasks):
    bad = module_task("faz_top_sources_result", name="unknown", tid=99999, **faz_connection(sim))
    good = module_task("faz_top_sources_result", name="seed", tid=TOP_SOURCES.tid, **faz_connection(sim))
    stopped = run_tasks([bad, good])
    assert stopped.rc == 2 and [record["name"] for record in stopped.records] == ["unknown"]
    went_on = run_tasks([dict(bad, ignore_errors=True), good])
    assert went_on.rc == 0 and went_on.ok_result("seed")["done"] is True
