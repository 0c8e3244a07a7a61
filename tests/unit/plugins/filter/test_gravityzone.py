"""plugins/filter/gz_task_summary.py, gz_failure_lines.py and gz_gate_message.py: the gate's verdict."""

import copy

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.secops.async_tasks.plugins.filter.gz_failure_lines import FilterModule as LineFilters
from ansible_collections.secops.async_tasks.plugins.filter.gz_failure_lines import gz_failure_lines
from ansible_collections.secops.async_tasks.plugins.filter.gz_gate_message import FilterModule as MessageFilters
from ansible_collections.secops.async_tasks.plugins.filter.gz_gate_message import gz_gate_message
from ansible_collections.secops.async_tasks.plugins.filter.gz_task_summary import FilterModule as SummaryFilters
from ansible_collections.secops.async_tasks.plugins.filter.gz_task_summary import gz_task_summary

CLEAN_ID = "6600000242aaaaaaaaaaaaaa"
FAILING_ID = "6600000242bbbbbbbbbbbbbb"
SLOW_ID = "6600000242cccccccccccccc"


def _subtask(name, code=None, message=None):
    return {"endpoint_id": "ep-" + name, "endpoint_name": name, "status": 3, "status_name": "finished",
            "error_code": code, "error_message": message}


CLEAN = {"task_id": CLEAN_ID, "name": "Clean scan", "status": 3, "status_name": "finished", "finished": True,
         "succeeded": True, "type": 1, "type_name": "scan", "total_targets": 2,
         "subtasks": [_subtask("pc-1"), _subtask("pc-2")], "subtask_counts": {"finished": 2, "failed": 0},
         "failed_subtasks": []}
FAILING = {"task_id": FAILING_ID, "name": "Quick Scan 2026-11-22", "status": 3, "status_name": "finished",
           "finished": True, "succeeded": False, "type": 1, "type_name": "scan", "total_targets": 3,
           "subtask_counts": {"finished": 3, "failed": 2},
           "failed_subtasks": [_subtask("pc-it-309", "7", "Not enough free disk space to complete the task [7]"),
                               _subtask("pc-ops-394", "3", "The endpoint went offline during the scan [3]")]}
# What gz_task_status puts in its results for a task that did not finish within wait_timeout.
TIMED_OUT = {"task_id": SLOW_ID, "status": 2, "finished": False, "failed": True,
             "msg": "GravityZone task %s was still in_progress after 1 s (wait_timeout=1); raise wait_timeout, or read "
                    "it later with wait: false" % SLOW_ID}


def _batch(*tasks, **extra):
    result = {"changed": False, "results": [copy.deepcopy(task) for task in tasks]}
    result.update(extra)
    return result


def test_a_clean_batch_passes():
    summary = gz_task_summary(_batch(CLEAN), task_ids=[CLEAN_ID])
    assert summary == {"passed": True, "failed_endpoints": [], "unread": [], "error": None, "results": [{
        "task_id": CLEAN_ID, "name": "Clean scan", "type_name": "scan", "status_name": "finished", "finished": True,
        "succeeded": True, "total_targets": 2, "unaccounted_targets": 0, "subtask_counts": {"finished": 2, "failed": 0},
        "failed_endpoints": [], "error": None}]}
    assert gz_failure_lines(summary) == []
    assert gz_gate_message(summary) == "GravityZone gate passed: 1 task(s), every endpoint succeeded"


def test_failed_endpoints_fail_the_gate_with_one_line_each():
    summary = gz_task_summary(_batch(CLEAN, FAILING))
    assert not summary["passed"]
    assert summary["failed_endpoints"][0] == {
        "task_id": FAILING_ID, "task_name": "Quick Scan 2026-11-22", "endpoint_name": "pc-it-309",
        "endpoint_id": "ep-pc-it-309", "error_code": "7", "error_message": "Not enough free disk space to complete the task [7]"}
    assert summary["results"][1]["failed_endpoints"] == summary["failed_endpoints"]
    assert gz_failure_lines(summary) == [
        "pc-it-309: error 7: Not enough free disk space to complete the task [7] (task %s, Quick Scan 2026-11-22)"
        % FAILING_ID,
        "pc-ops-394: error 3: The endpoint went offline during the scan [3] (task %s, Quick Scan 2026-11-22)"
        % FAILING_ID]
    message = gz_gate_message(summary)
    assert message.splitlines()[0] == "GravityZone gate failed: 2 endpoint(s) failed in 1 of 2 task(s)"
    assert message.splitlines()[1:] == ["  - " + line for line in gz_failure_lines(summary)]


def test_a_single_task_result_and_a_list_of_tasks():
    assert gz_task_summary(copy.deepcopy(FAILING))["results"][0]["task_id"] == FAILING_ID
    assert gz_task_summary([CLEAN])["passed"]
    # a gate that saw no task does not open
    assert gz_task_summary([])["passed"] is False
    assert gz_task_summary(_batch())["passed"] is False


def test_a_timeout_is_summarised_and_always_blocks():
    # gz_task_status failed: the registered result (ansible_failed_result) keeps every task's entry.
    status = _batch(CLEAN, TIMED_OUT, failed=True, msg="1 of 2 GravityZone tasks failed: " + TIMED_OUT["msg"])
    summary = gz_task_summary(status, task_ids=[CLEAN_ID, SLOW_ID])
    assert not summary["passed"]
    assert summary["unread"] == [SLOW_ID]
    slow = summary["results"][1]
    assert (slow["finished"], slow["succeeded"], slow["error"]) == (False, None, TIMED_OUT["msg"])
    assert gz_failure_lines(summary) == ["task %s: could not be read: %s" % (SLOW_ID, TIMED_OUT["msg"])]
    assert gz_gate_message(summary).splitlines()[0] \
        == "GravityZone gate failed: 0 endpoint(s) failed in 0 of 2 task(s); 1 task(s) could not be read"


def test_a_run_that_failed_before_any_task_names_every_task():
    status = {"failed": True, "msg": "GravityZone refused the API key (401); check api_key"}
    summary = gz_task_summary(status, task_ids=[CLEAN_ID, FAILING_ID, CLEAN_ID])
    assert summary["unread"] == [CLEAN_ID, FAILING_ID]
    assert summary["error"] == status["msg"]
    assert all(task["error"] == status["msg"] for task in summary["results"])
    assert not summary["passed"]
    # without the ids, the run's error is still a line of its own
    alone = gz_task_summary(status)
    assert (alone["results"], alone["passed"]) == ([], False)
    assert gz_failure_lines(alone) == ["the tasks could not be read: " + status["msg"]]


def test_an_outcome_that_cannot_be_told_does_not_pass():
    unknown = dict(CLEAN, succeeded=None, status_name="finished", name=None)
    summary = gz_task_summary(_batch(unknown))
    assert not summary["passed"]
    assert summary["unread"] == []
    assert gz_failure_lines(summary) == [
        "task %s: its outcome could not be told from its subtasks (status finished)" % CLEAN_ID]
    assert gz_gate_message(summary).endswith("; the outcome of 1 task(s) could not be told\n  - "
                                             + gz_failure_lines(summary)[0])


def test_control_characters_cannot_forge_lines():
    hostile = copy.deepcopy(FAILING)
    hostile["name"] = "scan\nGravityZone gate passed"
    hostile["failed_subtasks"] = [
        _subtask("pc-1\r\n  - pc-2: error 0: fine (task x)", "7\n", "disk\x1b[2K\u2028full"),
        {"endpoint_id": "ep-\r9", "endpoint_name": "", "error_code": None, "error_message": None}]
    summary = gz_task_summary(_batch(hostile))
    assert summary["failed_endpoints"][0]["endpoint_name"] == "pc-1\r\n  - pc-2: error 0: fine (task x)"  # data kept
    lines = gz_failure_lines(summary)
    assert lines == [
        "pc-1\\r\\n  - pc-2: error 0: fine (task x): error 7\\n: disk\\x1b[2K\\u2028full "
        "(task %s, scan\\nGravityZone gate passed)" % FAILING_ID,
        "ep-\\r9: error ?: no message (task %s, scan\\nGravityZone gate passed)" % FAILING_ID]
    message = gz_gate_message(summary)
    assert len(message.splitlines()) == 3
    assert all(line.startswith("  - ") for line in message.splitlines()[1:])


def test_max_listed():
    many = dict(FAILING, failed_subtasks=[_subtask("pc-%d" % index, "7", "full") for index in range(5)])
    summary = gz_task_summary(_batch(many))
    message = gz_gate_message(summary, max_listed=2).splitlines()
    assert len(message) == 4
    assert message[3] == "  ... and 3 more (every failed endpoint is in the summary's failed_endpoints)"
    assert gz_gate_message(summary, max_listed="0").splitlines()[1] == "  ... and 5 more (every failed endpoint is in " \
                                                                       "the summary's failed_endpoints)"
    assert len(gz_gate_message(summary, max_listed=5).splitlines()) == 6
    for bad in (-1, "many", None, True, float("nan")):
        with pytest.raises(AnsibleFilterError, match="max_listed"):
            gz_gate_message(summary, max_listed=bad)


@pytest.mark.parametrize("status", ["65f46d08c6d2865b32048ba3", 3, None, [1]])
def test_summary_wrong_types(status):
    with pytest.raises(AnsibleFilterError, match="gz_task_summary"):
        gz_task_summary(status)


@pytest.mark.parametrize("summary", [None, [], {"passed": False}])
def test_lines_and_message_want_a_summary(summary):
    with pytest.raises(AnsibleFilterError, match="gz_task_summary returns"):
        gz_failure_lines(summary)
    with pytest.raises(AnsibleFilterError, match="gz_task_summary returns"):
        gz_gate_message(summary)


def test_registered_under_their_names():
    assert SummaryFilters().filters() == {"gz_task_summary": gz_task_summary}
    assert LineFilters().filters() == {"gz_failure_lines": gz_failure_lines}
    assert MessageFilters().filters() == {"gz_gate_message": gz_gate_message}


# A finished task that names 5 targets but returned 2 subtasks and no more pages (issue 17, 6).
SPARSE = dict(CLEAN, task_id="6600000242dddddddddddddd", name="Sparse scan", succeeded=False, total_targets=5,
              unaccounted_targets=3)


def test_targets_without_a_subtask_fail_the_gate_by_default_with_both_counts():
    summary = gz_task_summary(_batch(CLEAN, SPARSE))
    assert summary["passed"] is False and summary["results"][1]["unaccounted_targets"] == 3
    assert gz_failure_lines(summary) == [
        "task 6600000242dddddddddddddd (Sparse scan): 3 of its 5 target(s) have no subtask, so their outcome is unknown"]
    assert "3 target(s) have no subtask" in gz_gate_message(summary).splitlines()[0]


def test_targets_without_a_subtask_can_be_accepted():
    summary = gz_task_summary(_batch(CLEAN, SPARSE), accept_unaccounted=True)
    assert summary["passed"] is True
    assert "3 target(s) without a subtask were accepted" in gz_gate_message(summary)
    failing = gz_task_summary(_batch(dict(FAILING, unaccounted_targets=1)), accept_unaccounted=True)
    assert failing["passed"] is False  # accepting unaccounted targets never hides a failed endpoint
