"""Bounded behaviour: servers that never get better, creating calls under faults, the run's deadline.

Modules run in-process through ``main()`` (reliability_helpers.run_module) against the session
simulator: the same code Ansible runs, at a fraction of the cost of one ansible-playbook each.
"""

import pytest

from ansible_collections.secops.async_tasks.plugins.module_utils.transport import RetryPolicy
from tests.integration.helpers import faz_log
from tests.integration.reliability_helpers import (
    FAZ_API_KEY,
    PROCESSED_KINDS,
    clear_message,
    faz_args,
    gz_args,
    run_module,
)
from tests.simulator.faults import peek

ATTEMPTS = RetryPolicy().attempts  # what the transport allows one request
FAZ_READERS = (
    ("faz_top_sources_result", dict(tid=12450)),
    ("faz_top_applications_result", dict(tid=12455)),
    ("faz_fortiview_result", dict(view="top-sources", tid=12450)),
    ("faz_fortiview_result", dict(view="top-sources", tids=[12450, 12451])),
    ("faz_fortiview_task", dict(view="top-sources", time_range={"last": "1h"})),
)
GZ_TASK = "65f46d08c6d2865b32048ba3"
GZ_TARGETS = ["5ba8e0dbb1a43d0f2b7b23c1"]


def fault_first(sim, monkeypatch, kind, matches, count=1):
    """Fault the first ``count`` requests for which ``matches(method, url)``; returns the faults decided.

    The injector picks requests by method only: a logout and a login are both "exec".
    """
    sim.set_faults(rate=1.0, kinds=[kind])
    injector = sim._app.faults  # pylint: disable=protected-access  # the simulator runs in this process
    decide = injector.decide
    faulted = []

    def first_matching(product, raw):
        if len(faulted) >= count or not matches(*peek(raw)):
            return None
        fault = decide(product, raw)
        faulted.append(fault)
        return fault

    monkeypatch.setattr(injector, "decide", first_matching)
    return faulted


def assert_clean_failure(run, *words):
    assert run.crash is None, run.crash
    assert run.rc == 1 and run.result["failed"] is True, run.result
    assert clear_message(run.msg), run.msg
    for word in words:
        assert word in run.msg, run.msg


# -- -11 forever: one re-login, never more ----------------------------------------------------

@pytest.mark.parametrize("module, args", FAZ_READERS, ids=lambda value: value if isinstance(value, str) else "")
def test_always_no_permission_means_exactly_two_logins(sim, module, args):
    sim.configure(faz_always_code=-11)

    run = run_module(module, faz_args(sim, timeout=5, **args))

    assert_clean_failure(run, "refused", "-11", "rights")
    counters = sim.counters()["faz"]
    assert (counters["logins"], counters["logouts"], counters["open_sessions"]) == (2, 2, 0)
    assert counters["tasks_created"] == 0


def test_always_no_permission_with_an_api_key_logs_in_never(sim):
    sim.configure(faz_always_code=-11)

    run = run_module("faz_top_sources_result", faz_args(sim, tid=12450, username=None, password=None,
                                                        api_key=FAZ_API_KEY))

    assert_clean_failure(run, "refused", "-11")
    counters = sim.counters()["faz"]
    assert (counters["logins"], counters["requests"]) == (0, 1)


# -- 429 / 503 forever: given up at the deadline, a bounded number of requests -----------------

@pytest.mark.parametrize("status, words", [
    (503, ("kept answering HTTP 503", "deadline")),
    (429, ("HTTP 429", "deadline")),
])
def test_faz_always_failing_http_is_given_up_at_the_deadline(sim, status, words):
    sim.configure(faz_always_http=status)

    run = run_module("faz_top_sources_result", faz_args(sim, tid=12450, timeout=1))

    assert_clean_failure(run, "FortiAnalyzer", *words)
    counters = sim.counters()["faz"]
    assert 2 <= counters["requests"] <= ATTEMPTS  # the login, retried, and nothing after it
    assert counters["logins"] == 0 and counters["open_sessions"] == 0
    assert run.elapsed <= 3 + 1  # timeout 1 without wait: a 3 s deadline


@pytest.mark.parametrize("status, words", [
    (503, ("kept answering HTTP 503", "deadline")),
    (429, ("HTTP 429", "deadline")),
])
@pytest.mark.parametrize("module, args", [
    ("gz_task_status", dict(task_id=GZ_TASK)),
    ("gz_task_status", dict(task_ids=[GZ_TASK, "21a295eeb1a43d8b497b23b7"])),
    ("gz_scan_task", dict(target_ids=GZ_TARGETS)),
], ids=["task_id", "task_ids", "scan"])
def test_gz_always_failing_http_is_given_up_at_the_deadline(sim, status, words, module, args):
    sim.configure(gz_always_http=status)

    run = run_module(module, gz_args(sim, timeout=1, **args))

    assert run.crash is None and run.rc == 1, run
    assert clear_message(run.msg) and "GravityZone" in run.msg, run.msg
    tasks = len(args.get("task_ids", [None]))
    requests = sim.counters()["gz"]["requests"]
    if module == "gz_scan_task" and status == 503:
        # A creating call answered 503 may have been applied behind a proxy: it is not resent blindly. The
        # module looks the task up by its unique name first, and that lookup keeps getting 503 too.
        assert "GravityZone" in run.msg and ("HTTP 503" in run.msg or "no complete answer" in run.msg), run.msg
        assert requests <= 1 + ATTEMPTS  # one create, then the lookup's retries
    else:
        for word in words:
            assert word in run.msg, run.msg
        assert 2 <= requests <= ATTEMPTS * tasks
    assert sim.counters()["gz"]["scan_tasks_created"] == 0
    assert run.elapsed <= 3 + 1


def test_gz_rate_limited_wait_gives_up_within_wait_timeout_and_timeouts(sim):
    task_id = sim.gz_create_task(duration=60)
    sim.configure(gz_always_http=429)

    args = gz_args(sim, task_id=task_id, wait=True, wait_timeout=2, poll_interval=0.5, timeout=1)

    run = run_module("gz_task_status", args)

    assert run.crash is None and run.rc == 1, run
    assert "GravityZone" in run.msg and "429" in run.msg, run.msg
    assert sim.counters()["gz"]["requests"] <= ATTEMPTS
    assert run.elapsed <= 2 + 2 * 1 + 1  # wait_timeout + 2 x timeout


# -- creating calls: sent once, whatever answers them -----------------------------------------

# slow_drip: the answer dribbles in for 10-60 s and is cut at the 2 s timeout - a reply that times out,
# after the server has made the task. It must not be sent again either.
CREATE_FAULTS = ["http500", "http502", "http503", "http504", "reset", "truncated", "nonjson", "html", "slow_drip"]


@pytest.mark.parametrize("kind", CREATE_FAULTS)
def test_faz_create_is_never_sent_twice(sim, kind):
    sim.set_faults(rate=1.0, kinds=[kind], methods=["add"], seed=kind)

    run = run_module("faz_fortiview_task", faz_args(sim, view="top-sources", time_range={"last": "1h"}, timeout=2))

    assert_clean_failure(run, "FortiAnalyzer")
    adds = faz_log(sim, "add")
    assert len(adds) == 1, adds
    assert adds[0]["fault"] == kind
    # Processed kinds made the task before the answer was lost; the module says it did not resend.
    assert sim.counters()["faz"]["tasks_created"] == (1 if kind in PROCESSED_KINDS else 0)
    if kind in ("http502", "http503", "http504", "reset", "truncated", "slow_drip"):
        assert "not resent" in run.msg, run.msg


def test_faz_create_refused_with_429_is_resent_and_made_once(sim, monkeypatch):
    # 429 is the one answer that says the request was not acted on: it is safe to send again.
    fault_first(sim, monkeypatch, "429", lambda method, url: method == "add", count=2)

    run = run_module("faz_fortiview_task", faz_args(sim, view="top-sources", time_range={"last": "1h"}, timeout=5))

    assert run.rc == 0, run
    assert [entry.get("fault") for entry in faz_log(sim, "add")] == ["429", "429", None]
    assert sim.counters()["faz"]["tasks_created"] == 1 and run.result["tid"] >= 13000


def test_faz_create_with_an_expired_session_logs_in_again_and_makes_one_task(sim, monkeypatch):
    # expire_session ends the session before the add is handled: -11, nothing made, so the add is
    # sent again after one new login - and makes exactly one task.
    fault_first(sim, monkeypatch, "expire_session", lambda method, url: method == "add")

    run = run_module("faz_fortiview_task", faz_args(sim, view="top-sources", time_range={"last": "1h"}))

    assert run.rc == 0, run
    assert [entry["code"] for entry in faz_log(sim, "add")] == [-11, 0]
    counters = sim.counters()["faz"]
    assert (counters["tasks_created"], counters["logins"], counters["open_sessions"]) == (1, 2, 0)


@pytest.mark.parametrize("kind", CREATE_FAULTS)
def test_gz_scan_with_its_own_name_is_never_sent_twice(sim, kind):
    sim.set_faults(rate=1.0, kinds=[kind], methods=["createScanTask"], seed=kind)

    run = run_module("gz_scan_task", gz_args(sim, target_ids=GZ_TARGETS, timeout=2, name="Nightly"))

    assert run.crash is None and run.rc == 1, run
    assert clear_message(run.msg) and "GravityZone" in run.msg, run.msg
    creates = [entry for entry in sim.log("gz") if entry.get("method") == "createScanTask"]
    assert len(creates) == 1, creates
    assert sim.counters()["gz"]["scan_tasks_created"] == (1 if kind in PROCESSED_KINDS else 0)
    if kind == "slow_drip":
        assert "not resent" in run.msg and "no complete answer" in run.msg, run.msg


@pytest.mark.parametrize("kind", CREATE_FAULTS)
def test_gz_scan_with_a_unique_name_recovers_a_lost_answer_and_makes_one_task(sim, kind):
    # Without a name the module gives a unique one and, when the answer is lost, looks the task up by
    # it: made (the answer was lost after the console acted) -> its id; not made after an HTTP 5xx ->
    # sent once more (faulted again here: every createScanTask is); otherwise -> not sent again.
    sim.set_faults(rate=1.0, kinds=[kind], methods=["createScanTask"], seed=kind)

    run = run_module("gz_scan_task", gz_args(sim, target_ids=GZ_TARGETS, timeout=2))

    assert run.crash is None, run
    methods = [entry.get("method") for entry in sim.log("gz")]
    made = sim.counters()["gz"]["scan_tasks_created"]
    assert made <= 1 and methods[:2] == ["createScanTask", "getScanTasksList"], methods
    if kind in PROCESSED_KINDS:
        assert run.rc == 0 and made == 1 and methods.count("createScanTask") == 1, run
        assert run.result["task_ids"] and run.result["task_id"] == run.result["task_ids"][0], run.result
    else:
        sent = {"nonjson": (1,), "html": (1, 2)}.get(kind, (2,))  # html answers 200 or 500 (then resent)
        assert run.rc == 1 and made == 0 and methods.count("createScanTask") in sent, (run, methods)
        assert clear_message(run.msg), run.msg


# -- the run's deadline and the session under the slowest answers ------------------------------

def test_slow_drip_from_the_first_byte_ends_by_the_deadline(sim):
    # Seed 116 makes this drip last 10.4 s (the shortest cheap reproduction); a small answer is mostly headers.
    sim.set_faults(rate=1.0, kinds=["slow_drip"], methods=["get"], seed=116)

    run = run_module("faz_top_sources_result", faz_args(sim, tid=12451, timeout=1))

    assert run.rc == 1 and clear_message(run.msg), run
    assert sim.counters()["faz"]["open_sessions"] == 0
    assert run.elapsed <= 3 + 1, "a timeout=1 run (3 s deadline) took %.1f s" % run.elapsed


@pytest.mark.parametrize("kind", ["http502", "http503", "reset", "truncated", "expire_session", "latency"])
def test_logout_answered_badly_once_still_closes_the_session(sim, monkeypatch, kind):
    fault_first(sim, monkeypatch, kind, lambda method, url: url == "/sys/logout")

    run = run_module("faz_top_sources_result", faz_args(sim, tid=12450))

    assert run.rc == 0, run
    assert sim.counters()["faz"]["open_sessions"] == 0


@pytest.mark.parametrize("kind", ["http500", "html", "nonjson"])
def test_logout_answered_http_500_once_still_closes_the_session(sim, monkeypatch, kind):
    faulted = fault_first(sim, monkeypatch, kind, lambda method, url: url == "/sys/logout")

    run = run_module("faz_top_sources_result", faz_args(sim, tid=12450))
    left_open = sim.counters()["faz"]["open_sessions"]
    sim.faz_expire_sessions()  # the invariants fixture checks sessions after the test: start the next one clean

    assert [fault.kind for fault in faulted] == [kind]
    assert run.rc == 0, run
    assert left_open == 0, "%d session(s) left open after a logout answered %s once" % (left_open, kind)
