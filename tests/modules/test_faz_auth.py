"""Credentials and sessions: password, API key, someone else's session, -11, and where options come from."""

import pytest

from tests.integration.helpers import (
    FAZ_API_KEY,
    FAZ_VIEWER,
    faz_connection,
    faz_env,
    faz_log,
    module_task,
)
from tests.integration.seed_data import SEED_TASKS, TOP_SOURCES

NO_LOG_MARKER = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def faz_counters(sim):
    return sim.counters()["faz"]


def delta(after, before, *names):
    return dict((name, after[name] - before[name]) for name in names)


def seed_rows_of(result):
    return [row["raw"] for row in result["sources"]]


def test_wrong_password_fails_clearly_without_showing_it(sim, run_tasks):
    password = "Not-The-Admin-Pa55word"

    run = run_tasks([module_task("faz_top_sources_result", tid=TOP_SOURCES.tid,
                                    **faz_connection(sim, password=password))])

    assert run.rc == 2, run.describe()
    result = run.failed_result()
    assert "refused the login of user 'admin'" in result["msg"]
    assert "check username and password" in result["msg"]
    assert password not in run.output
    counters = faz_counters(sim)
    assert (counters["logins"], counters["login_failures"], counters["logouts"]) == (0, 1, 0)
    assert faz_log(sim, "get") == []


def test_api_key_uses_bearer_and_no_session(sim, run_tasks, faz_requests):
    run = run_tasks([module_task("faz_top_sources_result", tid=TOP_SOURCES.tid,
                                    **faz_connection(sim, username=None, password=None, api_key=FAZ_API_KEY))])

    assert run.rc == 0, run.describe()
    assert seed_rows_of(run.ok_result()) == TOP_SOURCES.rows
    counters = faz_counters(sim)
    assert (counters["logins"], counters["logouts"]) == (0, 0)
    assert [(entry["method"], entry["auth"], entry["code"]) for entry in sim.log("faz")] == [("get", "bearer", 0)]
    # Bearer together with a session is refused by the appliance: none may be sent.
    assert [body.get("session") for body in faz_requests] == [None]


def test_api_key_takes_precedence_over_password(sim, run_tasks):
    run = run_tasks([module_task("faz_top_sources_result", tid=TOP_SOURCES.tid,
                                    **faz_connection(sim, api_key=FAZ_API_KEY))])

    assert run.rc == 0, run.describe()
    assert faz_counters(sim)["logins"] == 0
    assert [entry["auth"] for entry in sim.log("faz")] == ["bearer"]


def test_given_session_is_used_and_left_open(sim, run_tasks, faz_requests, faz_sessions):
    session = faz_sessions.login()

    run = run_tasks([module_task("faz_top_sources_result", tid=TOP_SOURCES.tid,
                                    **faz_connection(sim, username=None, password=None, session_id=session))])

    assert run.rc == 0, run.describe()
    assert seed_rows_of(run.ok_result()) == TOP_SOURCES.rows
    counters = faz_counters(sim)
    assert (counters["logins"], counters["logouts"], counters["open_sessions"]) == (1, 0, 1)  # the test's login only
    fetches = [body for body in faz_requests if body["method"] == "get"]
    assert [body["session"] for body in fetches] == [session]
    assert session not in run.output
    # Still alive: the module did not log it out. The test owns it and logs it out itself.
    assert faz_sessions.logout(session) == 0
    assert faz_counters(sim)["open_sessions"] == 0


def test_given_session_takes_precedence_over_api_key(sim, run_tasks, faz_requests, faz_sessions):
    session = faz_sessions.login()

    run = run_tasks([module_task("faz_top_sources_result", tid=TOP_SOURCES.tid,
                                    **faz_connection(sim, session_id=session, api_key=FAZ_API_KEY))])

    assert run.rc == 0, run.describe()
    assert seed_rows_of(run.ok_result()) == TOP_SOURCES.rows
    # A Bearer key together with a session is refused by the appliance: only the session is sent.
    assert [(entry["method"], entry["auth"], entry["code"]) for entry in sim.log("faz")][1:] == [("get", "session", 0)]
    assert [body.get("session") for body in faz_requests[1:]] == [session]
    assert faz_sessions.logout(session) == 0


@pytest.mark.parametrize("how", ["expired", "unknown"])
def test_dead_session_with_password_logs_in_once(sim, run_tasks, faz_sessions, how):
    if how == "expired":
        session = faz_sessions.login()
        sim.faz_expire_sessions()
    else:
        session = "c2Vzc2lvbi10aGF0LW5ldmVyLWV4aXN0ZWQ="
    before = faz_counters(sim)
    logged = len(sim.log("faz"))

    run = run_tasks([module_task("faz_top_sources_result", tid=TOP_SOURCES.tid,
                                    **faz_connection(sim, session_id=session))])

    assert run.rc == 0, run.describe()
    assert seed_rows_of(run.ok_result()) == TOP_SOURCES.rows
    assert delta(faz_counters(sim), before, "logins", "logouts") == {"logins": 1, "logouts": 1}
    assert [(entry["method"], entry["url"], entry["code"]) for entry in sim.log("faz")[logged:]] == [
        ("get", TOP_SOURCES.url, -11),  # the given session is dead
        ("exec", "/sys/login/user", 0),  # one login with username/password
        ("get", TOP_SOURCES.url, 0),  # one retry
        ("exec", "/sys/logout", 0),  # its own session, logged out
    ]


def test_dead_session_without_password_is_a_permission_error(sim, run_tasks):
    run = run_tasks([module_task("faz_top_sources_result", tid=TOP_SOURCES.tid,
                                    **faz_connection(sim, username=None, password=None, session_id="bm8tc3VjaA=="))])

    assert run.rc == 2, run.describe()
    result = run.failed_result()
    assert "-11" in result["msg"] and "session" in result["msg"]
    counters = faz_counters(sim)
    assert (counters["logins"], counters["logouts"]) == (0, 0)
    assert len(faz_log(sim, "get")) == 1


def test_viewer_gets_a_permission_error_after_one_retry(sim, run_tasks):
    user, password = FAZ_VIEWER

    run = run_tasks([module_task("faz_top_sources_result", tid=TOP_SOURCES.tid,
                                    **faz_connection(sim, username=user, password=password))])

    assert run.rc == 2, run.describe()
    result = run.failed_result()
    assert "-11" in result["msg"] and "permission" in result["msg"].lower()
    assert result["code"] == -11
    counters = faz_counters(sim)
    # -11 may be an expired session: log in again once, retry once, then give up; log both sessions out.
    assert (counters["logins"], counters["logouts"], counters["open_sessions"]) == (2, 2, 0)
    assert [entry["code"] for entry in faz_log(sim, "get")] == [-11, -11]


def test_every_run_logs_out_so_the_session_cap_never_fills(sim, run_tasks):
    sim.configure(faz_session_cap=1)
    tasks = [module_task(seed.module, name="Fetch %d" % tid, tid=tid, **faz_connection(sim))
             for seed in SEED_TASKS for tid in (seed.tid, seed.running_tid)]

    run = run_tasks(tasks)

    assert run.rc == 0, run.describe()
    assert [record["status"] for record in run.module_records()] == ["ok"] * 4
    counters = faz_counters(sim)
    assert (counters["logins"], counters["logouts"], counters["login_failures"]) == (4, 4, 0)


def test_full_session_cap_fails_with_a_clear_message(sim, run_tasks, faz_sessions):
    # The admin's only session slot stays taken for the whole run: the login is tried again with
    # backoff until the run's deadline (3 x timeout), then the message names the cap and the remedies.
    sim.configure(faz_session_cap=1)
    session = faz_sessions.login()

    run = run_tasks([module_task("faz_top_sources_result", tid=TOP_SOURCES.tid, **faz_connection(sim, timeout=2))])

    assert run.rc == 2, run.describe()
    msg = run.failed_result()["msg"]
    assert "refused the login of user 'admin': the admin's session limit is reached (code -20: Maximum number " \
           "of admin sessions reached), and no session was freed within the run's 6 s deadline" in msg
    assert "tids" in msg and "api_key" in msg and "login-max" in msg
    assert faz_counters(sim)["cap_refusals"] >= 3  # tried again, not given up at the first refusal
    assert faz_log(sim, "get") == []
    assert faz_sessions.logout(session) == 0


@pytest.mark.parametrize("credential", ["password", "api_key"])
def test_connection_options_from_environment_variables(sim, run_tasks, credential):
    if credential == "password":
        env = faz_env(sim)
    else:
        env = faz_env(sim, username=None, password=None, api_key=FAZ_API_KEY)

    run = run_tasks([module_task("faz_top_sources_result", tid=TOP_SOURCES.tid)], env=env)

    assert run.rc == 0, run.describe()
    assert seed_rows_of(run.ok_result()) == TOP_SOURCES.rows
    expected_auth = "session" if credential == "password" else "bearer"
    assert [entry["auth"] for entry in faz_log(sim, "get")] == [expected_auth]
