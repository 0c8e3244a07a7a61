"""Masking at -vvv/-vvvv: what ansible-playbook prints of module arguments and results holds no secret.

ansible-core prints the module invocation (no_log values masked) and every result at -vvvv; only a
real playbook run shows what a user would see there. The behaviour behind each case (messages, the
requests sent) is tested in-process in tests/modules/ (test_faz_auth.py, test_gz_errors.py,
test_secret_forms.py); test_reliability_secrets.py adds every module's failure paths at -vvvv.
"""

import pytest

from tests.integration.gz_helpers import (
    GZ_NOAPI_KEY,
    GZ_WRONG_KEY,
    SEED_V11_TASK,
    UNKNOWN_TASK,
    gz_log,
    ignoring_errors,
    run_gz,
    status_task,
)
from tests.integration.helpers import FAZ_API_KEY, faz_connection, faz_log, module_task, shows_invocation
from tests.integration.property_helpers import baseline_args, product_of
from tests.integration.secret_helpers import leaked_forms
from tests.integration.seed_data import TOP_SOURCES
from tests.integration.reliability_helpers import SessionRecorder
from tests.modules.test_secret_forms import FAILING, GZ_API_KEY, MODULES, ODD_PASSWORD, SPECS

NO_LOG_MARKER = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def faz_counters(sim):
    return sim.counters()["faz"]


@pytest.fixture
def issued_sessions(sim):
    """Every session id the simulator hands out during the test (it never logs them itself)."""
    recorder = SessionRecorder(sim)
    yield recorder.sessions
    recorder.undo()


def test_wrong_password_at_vvvv_is_not_shown(sim, run_playbook):
    password = "Not-The-Admin-Pa55word"

    run = run_playbook([module_task("faz_top_sources_result", tid=TOP_SOURCES.tid,
                                    **faz_connection(sim, password=password))], verbosity=4)

    assert run.rc == 2, run.describe()
    result = run.failed_result()
    assert "refused the login of user 'admin'" in result["msg"]
    assert "check username and password" in result["msg"]
    assert password not in run.output
    if shows_invocation(run):  # -vvvv prints the arguments: the check above looked there
        assert NO_LOG_MARKER in run.stdout
    counters = faz_counters(sim)
    assert (counters["logins"], counters["login_failures"], counters["logouts"]) == (0, 1, 0)
    assert faz_log(sim, "get") == []


@pytest.mark.parametrize("in_controller", ["true", "false"], ids=["in-controller", "shipped"])
@pytest.mark.parametrize("credential", ["password", "api_key"])
def test_secrets_do_not_appear_in_verbose_output(sim, run_playbook, faz_requests, credential, in_controller):
    # -vvvv on both paths: the module run in the controller process, and shipped
    options = faz_connection(sim) if credential == "password" else faz_connection(
        sim, username=None, password=None, api_key=FAZ_API_KEY)

    run = run_playbook([module_task("faz_top_sources_result", tid=TOP_SOURCES.tid, **options)], verbosity=4,
                       env={"SECOPS_ASYNC_TASKS_IN_CONTROLLER": in_controller})

    assert run.rc == 0, run.describe()
    assert NO_LOG_MARKER in run.stdout or not shows_invocation(run)
    secrets = [options.get("password") or options["api_key"]]
    secrets += [body["session"] for body in faz_requests if body.get("session")]  # learnt at run time
    for secret in secrets:
        assert secret not in run.output


def test_console_refusals_name_the_cause_without_the_key(sim, run_playbook):
    # -vvvv prints the module arguments and results: the keys must be masked there too.
    run = run_gz(run_playbook, [
        ignoring_errors(status_task(sim, "bad key", task_id=SEED_V11_TASK, api_key=GZ_WRONG_KEY)),
        ignoring_errors(status_task(sim, "api not enabled", task_id=SEED_V11_TASK, api_key=GZ_NOAPI_KEY)),
        ignoring_errors(status_task(sim, "unknown task", task_id=UNKNOWN_TASK)),
        ignoring_errors(status_task(sim, "not the access url", task_id=SEED_V11_TASK,
                                    api_url=sim.gz_api_url[:-len("/api")])),
    ], verbosity=4)

    assert GZ_WRONG_KEY not in run.output and GZ_NOAPI_KEY not in run.output
    if any("invocation" in record["result"] for record in run.module_records()):  # ansible-core < 2.21
        assert run.stdout.count('"api_key": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"') >= 4  # shown, masked
    bad_key = run.failed_result("bad key")
    assert "HTTP 401" in bad_key["msg"] and "api_key" in bad_key["msg"]
    assert bad_key["http_status"] == 401
    no_api = run.failed_result("api not enabled")
    assert "HTTP 403" in no_api["msg"] and "enable the Network API" in no_api["msg"]
    assert no_api["http_status"] == 403
    unknown = run.failed_result("unknown task")
    assert "GravityZone task %s was not found" % UNKNOWN_TASK in unknown["msg"]
    assert "The specified task does not exist" in unknown["msg"]  # the console's data.details
    assert unknown["task_id"] == UNKNOWN_TASK
    wrong_url = run.failed_result("not the access url")
    assert "HTTP 404" in wrong_url["msg"] and "/api" in wrong_url["msg"]
    # One request each, none retried: the 404 never reached the GravityZone endpoint.
    assert [(entry["http_status"], entry["taskId"]) for entry in gz_log(sim)] == [
        (401, None), (403, None), (200, UNKNOWN_TASK)]


@pytest.mark.changing_modules("faz_fortiview_task", "gz_scan_task")
@pytest.mark.parametrize("in_controller", ["true", "false"], ids=["in-controller", "shipped"])
def test_secret_forms_through_ansible_playbook(sim, run_playbook, issued_sessions, tmp_path, in_controller):
    sim.configure(gz_rate=0, gz_scan_rate_per_minute=0, **FAILING)
    sim.echo_secrets()
    tasks = []
    for name in MODULES:
        args = baseline_args(sim, name, SPECS[name])
        if product_of(SPECS[name]) == "faz":
            args["password"] = "{{ lookup('env', 'ODD_PASSWORD') }}"
        else:
            args["api_key"] = "{{ lookup('env', 'GZ_KEY') }}"
        # built here, not with module_task: a module may have an option called name (gz_scan_task_info)
        tasks.append({"name": "%s quoted back" % name, "secops.async_tasks." + name: args, "ignore_errors": True})

    run = run_playbook(tasks, env={"ODD_PASSWORD": ODD_PASSWORD, "GZ_KEY": GZ_API_KEY,
                                   "ANSIBLE_LOG_PATH": str(tmp_path / "ansible.log"),
                                   "SECOPS_ASYNC_TASKS_IN_CONTROLLER": in_controller}, verbosity=3)

    assert all(record["status"] == "failed" for record in run.module_records()), run.describe()
    written = run.output + (tmp_path / "ansible.log").read_text(encoding="utf-8")
    assert leaked_forms(written, {ODD_PASSWORD, GZ_API_KEY} | issued_sessions) == []
    assert sim.tamper_report()["echoed"] >= len(MODULES)
