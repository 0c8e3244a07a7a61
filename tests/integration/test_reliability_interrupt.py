"""Interruption: SIGTERM or SIGINT while a module waits for a task still logs its session out (and a
log search deletes its searches).

``ansible-playbook`` runs in its own process group; once the simulator shows the module's session
open and polled, the test signals the whole group (as Ctrl-C in a terminal or a cancelled CI job
does) and watches the simulator's counters: the session must be logged out promptly, nothing
may log in again afterwards, and no process of the group may outlive the playbook.
"""

import signal
import time

import pytest

from tests.integration.helpers import faz_connection, faz_log, module_task
from tests.integration.reliability_helpers import BackgroundPlaybook, wait_for

# Far below the 120 s the module would wait, far above what a signal and a logout take even on a loaded
# machine (measured: well under 1 s when quiet): the bound proves a prompt clean-up, not the machine's speed.
LOGOUT_WITHIN = 10.0
STARTUP = 60  # ansible-playbook start, on a busy 2-core machine
SIGNALS = pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])


def waiting_task(sim, module, **args):
    return module_task(module, wait=True, wait_timeout=120, poll_interval=1, **faz_connection(sim, **args))


def interrupt_while_waiting(sim, tmp_path, task, signum, polls=1, env=None):
    """Start the playbook, wait until the module polls, signal the group; returns what happened.

    Whatever happens, nothing is left behind for the next test: a process this playbook started that
    still runs after it ended is killed, a session left open is expired - both after being noted in
    the outcome.
    """
    playbook = BackgroundPlaybook(str(tmp_path), [task], env=env)
    try:
        polling = wait_for(lambda: sim.counters()["faz"]["open_sessions"] == 1 and len(faz_log(sim, "get")) >= polls,
                           STARTUP)
        assert polling is not None, "the module never started polling:\n%s" % (playbook.finish(5),)
        playbook.note_worker_groups()
        playbook.signal(signum)
        logged_out = wait_for(lambda: sim.counters()["faz"]["open_sessions"] == 0, LOGOUT_WITHIN, interval=0.02)
        gets_at_logout = len(faz_log(sim, "get"))
        time.sleep(1.5)  # a poll due now (poll_interval 1) would have come, and a re-login with it
        counters = sim.counters()["faz"]
        gets_after = len(faz_log(sim, "get")) - gets_at_logout
    finally:
        rc, stdout, stderr, records = playbook.finish(30)
        left_running = wait_for(lambda: not playbook.left_behind(), LOGOUT_WITHIN) is None
        playbook.kill_all()
        if sim.counters()["faz"]["open_sessions"]:
            sim.faz_expire_sessions()
    return dict(logged_out=logged_out, counters=counters, gets_after=gets_after, left_running=left_running, rc=rc,
                output=stdout + stderr, records=records)


def assert_interrupted_cleanly(outcome, signum):
    name = signal.Signals(signum).name
    assert outcome["logged_out"] is not None, "session still open %.0f s after %s:\n%s" % (
        LOGOUT_WITHIN, name, outcome["output"])
    counters = outcome["counters"]
    assert (counters["logins"], counters["logouts"], counters["open_sessions"]) == (1, 1, 0), counters
    assert outcome["gets_after"] == 0, "%d poll(s) after the logout" % outcome["gets_after"]
    assert not outcome["left_running"], "a process of the playbook still ran after it ended"
    assert "Traceback" not in outcome["output"], outcome["output"]
    assert outcome["rc"] != 0
    # When Ansible lived long enough to record the module's answer, it says what happened.
    for record in outcome["records"]:
        if record["action"].startswith("secops.async_tasks."):
            assert record["result"]["msg"].startswith("interrupted by %s" % name), record["result"]


@SIGNALS
@pytest.mark.parametrize("in_controller", ["true", "false"], ids=["in-controller", "shipped"])
def test_signal_while_waiting_logs_the_session_out(sim, tmp_path, signum, in_controller):
    # on both paths: the module run in the worker process (the worker gets the signal), and shipped
    tid = sim.faz_create_task(view="top-sources", duration=300)

    outcome = interrupt_while_waiting(sim, tmp_path, waiting_task(sim, "faz_top_sources_result", tid=tid), signum,
                                      env={"SECOPS_ASYNC_TASKS_IN_CONTROLLER": in_controller})

    assert_interrupted_cleanly(outcome, signum)


@SIGNALS
def test_signal_while_a_batch_waits_logs_the_session_out(sim, tmp_path, signum):
    tids = [sim.faz_create_task(view="top-applications", duration=300) for index in range(3)]
    task = waiting_task(sim, "faz_top_applications_result", tids=tids)

    outcome = interrupt_while_waiting(sim, tmp_path, task, signum, polls=len(tids))

    assert_interrupted_cleanly(outcome, signum)


# -- faz_log_search ----------------------------------------------------------------------------------
DAY = {"start": "2025-12-16 00:00:00", "end": "2025-12-16 23:59:59"}


def search(sim, **options):
    return module_task("faz_log_search", **dict(faz_connection(sim), **options))


def log_urls(sim, method):
    return [entry["url"] for entry in faz_log(sim, method=method)]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_interrupted_while_waiting_deletes_the_search_and_logs_out(sim, tmp_path, signum):
    sim.configure(faz_logsearch_duration=120)
    playbook = BackgroundPlaybook(str(tmp_path), [search(sim, logtype="traffic", time_range=DAY, poll_interval=1)])
    try:
        polling = wait_for(lambda: len([url for url in log_urls(sim, "get") if "/count/" in url]) >= 1, 60)
        assert polling is not None, "the module never polled:\n%s" % (playbook.finish(5),)
        playbook.note_worker_groups()
        playbook.signal(signum)
        cleaned = wait_for(lambda: sim.counters()["faz"]["logsearches_open"] == 0
                           and sim.counters()["faz"]["open_sessions"] == 0, LOGOUT_WITHIN, interval=0.02)
    finally:
        rc, stdout, stderr, _records = playbook.finish(30)
        playbook.kill_all()
    assert cleaned is not None, "search or session still open after %s:\n%s%s" % (signum, stdout, stderr)
    counters = sim.counters()["faz"]
    assert (counters["logsearches_deleted"], counters["logouts"]) == (1, 1) and rc != 0
    assert "Traceback" not in stdout + stderr
    time.sleep(0.5)
    assert sim.counters()["faz"]["logsearches_created"] == 1


def test_interrupted_batch_deletes_every_search(sim, tmp_path):
    sim.configure(faz_logsearch_duration=120)
    task = search(sim, logtype="traffic", time_range=DAY, poll_interval=1,
                  searches=[{"filter": "srcip=10.0.1.%d" % host} for host in (5, 6, 7)])
    playbook = BackgroundPlaybook(str(tmp_path), [task])
    try:
        started = wait_for(lambda: sim.counters()["faz"]["logsearches_open"] == 3, 60)
        assert started is not None, "the searches never started:\n%s" % (playbook.finish(5),)
        playbook.note_worker_groups()
        playbook.signal(signal.SIGTERM)
        cleaned = wait_for(lambda: sim.counters()["faz"]["logsearches_open"] == 0
                           and sim.counters()["faz"]["open_sessions"] == 0, LOGOUT_WITHIN, interval=0.02)
    finally:
        rc, stdout, stderr, _records = playbook.finish(30)
        playbook.kill_all()
    assert cleaned is not None, "searches %s or a session still open:\n%s%s" % (
        sim.faz_open_logsearches(), stdout, stderr)
    assert sim.counters()["faz"]["logsearches_deleted"] == 3 and rc != 0
