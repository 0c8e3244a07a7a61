"""Issue 17 through Ansible, in one playbook run: every point on the simulated firmware it comes from.

The play switches the simulator's profile with its control API (``uri``) between tasks, so that one
``ansible-playbook`` run covers: a FortiView wait and a log search on every FortiAnalyzer profile
(including 7.2, which answers status code 1 while running, 7.6.7, whose pages arrive late and whose
first page re-counts, and 8.0, whose count read says nothing); code 1 without wait; a page that never
arrives; -22 for a wrong API key and a wrong password; the three readings of -20; and a GravityZone
console whose task names more targets than subtasks, with the gz_task_gate role failing on it unless
told to accept it. The cases are checked one by one from the recorded results.
"""

import pytest

from tests.integration.gz_helpers import gz_connection, gz_env, run_gz
from tests.integration.helpers import COLLECTION, FAZ_ADMIN, faz_connection, module_task, sim_call_step
from tests.simulator.profiles import PROFILES

# Three hours of traffic: 1250 logs from 10.0.1.5 (every third of 1250 an hour), two pages of 1000.
HOURS = {"start": "2025-01-01 00:00:00", "end": "2025-01-01 02:59:59"}
HOT = "srcip=10.0.1.5"
MATCHES = 1250
PERIOD = {"start": "2025-01-01 00:00:00", "end": "2025-01-02 00:00:00"}
WRONG_KEY = "wrong-key-0123456789abcdef"
DEAD_SESSION = "ZGVhZC1zZXNzaW9uLTAxMjM0NTY3ODk="


def configure(sim, title, **settings):
    return sim_call_step(sim, title, "/_sim/config", settings)


def faz(module, sim, title, ignore=False, register=None, **args):
    connection = dict(faz_connection(sim), **args.pop("connection", {}))
    task = module_task(module, name=title, **dict(connection, **args))
    if ignore:
        task["ignore_errors"] = True
    if register:
        task["register"] = register
    return task


def faz_login_step(sim, title, register):
    """A session opened by the play itself (to fill a session cap of 1)."""
    body = {"method": "exec", "id": 1, "params": [{"url": "/sys/login/user",
                                                   "data": {"user": FAZ_ADMIN[0], "passwd": FAZ_ADMIN[1]}}]}
    return sim_call_step(sim, title, "/jsonrpc", body, register=register)


def faz_logout_step(sim, title, session_expression):
    body = {"method": "exec", "id": 2, "params": [{"url": "/sys/logout"}], "session": session_expression}
    return sim_call_step(sim, title, "/jsonrpc", body)


def every_profile(sim):
    """A FortiView wait and a log search per profile."""
    tasks = []
    for profile in PROFILES:
        tasks += [
            configure(sim, "profile %s" % profile, faz_profile=profile, faz_task_duration=0.5,
                      faz_logsearch_duration=0.5),
            faz("faz_fortiview_task", sim, "create %s" % profile, register="created", view="top-sources",
                time_range=PERIOD, limit=10),
            faz("faz_top_sources_result", sim, "fortiview wait %s" % profile, tid="{{ created.tid }}", wait=True,
                poll_interval=0.3, wait_timeout=60),
            faz("faz_log_search", sim, "log search %s" % profile, logtype="traffic", filter=HOT, time_range=HOURS,
                max_rows=5000, wait=True, poll_interval=0.3, wait_timeout=60),
        ]
    return tasks


def faz_cases(sim):
    return [
        # 1: code 1 without wait: done false, with the percentage
        configure(sim, "profile 7.2 again", faz_profile="7.2"),
        sim_call_step(sim, "a task stuck at 40 %", "/_sim/faz/tasks",
                      {"status": "running", "percentage": 40, "rows": 5}, register="stuck"),
        faz("faz_top_sources_result", sim, "code 1 without wait", tid="{{ stuck.json.tid }}"),
        # 2: a page that never arrives within the deadline
        configure(sim, "pages never arrive", faz_profile="7.6.7", faz_logsearch_late_reads=1000000),
        faz("faz_log_search", sim, "late page at the deadline", logtype="traffic", filter=HOT, time_range=HOURS,
            max_rows=5000, wait=True, poll_interval=0.3, wait_timeout=4, timeout=2),
        # 4: -22 for a wrong API key, on a FortiView and a log search URL; -22 at login
        configure(sim, "profile 8.0 for keys", faz_profile="8.0", faz_logsearch_late_reads=None),
        faz("faz_top_sources_result", sim, "wrong key on fortiview", ignore=True, tid=12450,
            connection={"username": None, "password": None, "api_key": WRONG_KEY}),
        faz("faz_log_search", sim, "wrong key on logview", ignore=True, tid=512753999,
            connection={"username": None, "password": None, "api_key": WRONG_KEY}),
        faz("faz_top_sources_result", sim, "wrong password", ignore=True, tid=12450,
            connection={"password": "not-the-password-0"}),
        # 5: -20 read as invalid credentials at login: no retry, the appliance's message quoted
        configure(sim, "profile 7.2 for -20", faz_profile="7.2"),
        faz("faz_top_sources_result", sim, "-20 invalid credentials", ignore=True, tid=12450,
            connection={"password": "not-the-password-1"}),
        # 5: -20 on a call with a (dead) session: one login with username and password, then the answer
        configure(sim, "profile 7.6.7 for -20", faz_profile="7.6.7"),
        faz("faz_top_sources_result", sim, "-20 session gone", tid=12450, connection={"session_id": DEAD_SESSION}),
        # 5: -20 speaking of the session cap: retried with backoff until the deadline
        configure(sim, "a cap of one session", faz_session_cap=1),
        faz_login_step(sim, "hold the only session", register="held"),
        faz("faz_top_sources_result", sim, "-20 session cap", ignore=True, tid=12450, timeout=1),
        faz_logout_step(sim, "free the session", "{{ held.json.session }}"),
    ]


def gz_cases(sim):
    gate = "secops.async_tasks.gz_task_gate"
    role_vars = {"gz_task_gate_task_ids": ["{{ sparse.json.taskId }}"], "gz_task_gate_wait_timeout": 30,
                 "gz_task_gate_poll_interval": 0.3, "gz_task_gate_set_stats": False}
    return [
        configure(sim, "a sparse console", gz_profile="sparse"),
        sim_call_step(sim, "a task of 3 subtasks", "/_sim/gz/tasks", {"subtasks": 3, "duration": 0}, register="sparse"),
        {"name": "unaccounted targets", COLLECTION + ".gz_task_status": dict(
            gz_connection(sim), task_id="{{ sparse.json.taskId }}", wait=True, poll_interval=0.3)},
        {"name": "gate by default", "block": [{"ansible.builtin.include_role": {"name": gate}, "vars": role_vars}],
         "rescue": [{"name": "gate default outcome", "ansible.builtin.set_fact": {
             "gate_default": {"failed": True, "msg": "{{ ansible_failed_result.msg }}"}}}]},
        {"name": "gate accepting", "ansible.builtin.include_role": {"name": gate},
         "vars": dict(role_vars, gz_task_gate_accept_unaccounted_targets=True)},
        {"name": "gate accepting outcome", "ansible.builtin.set_fact": {"gate_accepting": "{{ gz_task_gate_passed }}"}},
    ]


@pytest.fixture(scope="module")
def issue17_run(sim, tmp_path_factory):
    """The one playbook run of this file (the simulator is reset before and checked after it)."""
    from tests.integration.helpers import PlaybookRunner

    sim.reset()
    runner = PlaybookRunner(tmp_path_factory.mktemp("issue17"))
    run = run_gz(runner, every_profile(sim) + faz_cases(sim) + gz_cases(sim), env=gz_env(sim), timeout=900)
    yield run
    assert sim.counters()["faz"]["open_sessions"] == 0, "FortiAnalyzer sessions left open"
    assert "Traceback" not in run.output, run.describe()


@pytest.mark.parametrize("profile", PROFILES)
def test_a_fortiview_wait_and_a_log_search_finish_on_every_profile(issue17_run, profile):
    view = issue17_run.ok_result("fortiview wait %s" % profile)
    assert (view["done"], view["status"], view["percentage"], len(view["sources"])) == (True, "done", 100, 10)
    search = issue17_run.ok_result("log search %s" % profile)
    outcome = (search["done"], search["matched"], search["returned"], search["truncated"])
    assert outcome == (True, MATCHES, MATCHES, False)
    assert len({row["id"] for row in search["rows"]}) == MATCHES and search["deleted"] is True
    if profile == "7.6.7":  # the first page re-counted: the latest count won, and the result says so
        assert search["recounts"] == [MATCHES, MATCHES - 7, MATCHES]
        assert any("re-counted" in warning for warning in search.get("warnings", []))
    else:
        assert search["recounts"] == [] and not search.get("warnings")


def test_code_1_without_wait_is_not_done_with_its_percentage(issue17_run):
    result = issue17_run.ok_result("code 1 without wait")
    assert (result["done"], result["status"], result["percentage"]) == (False, "running", 40)


def test_a_page_that_never_arrives_is_truncated_with_a_warning(issue17_run):
    result = issue17_run.ok_result("late page at the deadline")
    assert (result["done"], result["truncated"], result["matched"], result["returned"]) == (True, True, MATCHES, 0)
    warning = " ".join(result["warnings"])
    assert "1250 row(s) from offset 0 to 1249 had not arrived" in warning and "deliver pages late" in warning


@pytest.mark.parametrize("title", ["wrong key on fortiview", "wrong key on logview"])
def test_a_refused_api_key_in_an_http_200(issue17_run, title):
    result = issue17_run.failed_result(title)
    assert "refused the API key (code -22: Login fail" in result["msg"]
    assert "api_key" in result["msg"] and "FORTIANALYZER_API_KEY" in result["msg"] and WRONG_KEY not in result["msg"]


def test_a_refused_password_names_the_user(issue17_run):
    result = issue17_run.failed_result("wrong password")
    assert "refused the login of user 'admin' (code -22: Login fail): the credentials were refused" in result["msg"]


def test_minus_20_invalid_credentials_is_a_login_failure_quoting_it(issue17_run):
    result = issue17_run.failed_result("-20 invalid credentials")
    assert "(code -20: Invalid credentials): the credentials were refused" in result["msg"]
    assert "session limit" not in result["msg"]


def test_minus_20_on_a_dead_session_logs_in_once(issue17_run, sim):
    result = issue17_run.ok_result("-20 session gone")
    assert result["done"] is True and len(result["sources"]) > 0


def test_minus_20_speaking_of_the_cap_is_retried_until_the_deadline(issue17_run):
    result = issue17_run.failed_result("-20 session cap")
    assert "the admin's session limit is reached (code -20: Maximum number of admin sessions reached)" in result["msg"]
    attempts = int(result["msg"].split(" attempts)")[0].rsplit("(", 1)[1])
    assert attempts > 1


def test_targets_no_subtask_accounts_for(issue17_run):
    task = issue17_run.ok_result("unaccounted targets")
    assert (task["finished"], task["succeeded"], task["total_targets"], len(task["subtasks"])) == (True, False, 5, 3)
    assert task["unaccounted_targets"] == 2 and task["failed_subtasks"] == []
    assert any("5 target(s) (totalTargetsCount) but only 3 subtask(s)" in warning for warning in task["warnings"])
    default = issue17_run.ok_result("gate default outcome")["ansible_facts"]["gate_default"]
    assert default["failed"] is True and "2 of its 5 target(s) have no subtask" in default["msg"]
    accepting = issue17_run.ok_result("gate accepting outcome")["ansible_facts"]["gate_accepting"]
    assert accepting is True
