# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""GravityZone task outcomes as a gate summary and its lines of text, for the controller-side
filters (gz_task_summary, gz_failure_lines, gz_gate_message). Nothing here runs on a managed node."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.secops.async_tasks.plugins.plugin_utils.text import one_line
from ansible_collections.secops.async_tasks.plugins.plugin_utils.values import whole_number

_TASK_FIELDS = ("name", "type_name", "status_name", "total_targets")


def _unaccounted(task):
    """Targets of the task no subtask accounts for (0 when unknown)."""
    return task.get("unaccounted_targets") if isinstance(task.get("unaccounted_targets"), int) else 0


def _endpoints(task):
    return [{"task_id": task.get("task_id"), "task_name": task.get("name"),
             "endpoint_name": subtask.get("endpoint_name"), "endpoint_id": subtask.get("endpoint_id"),
             "error_code": subtask.get("error_code"), "error_message": subtask.get("error_message")}
            for subtask in task.get("failed_subtasks") or []]


def _task(task):
    """One task's summary; a task the module could not read carries its message in ``error``."""
    unread = bool(task.get("failed"))
    summary = {"task_id": task.get("task_id")}
    summary.update((field, task.get(field)) for field in _TASK_FIELDS)
    summary.update(finished=bool(task.get("finished")), succeeded=None if unread else task.get("succeeded"),
                   unaccounted_targets=_unaccounted(task),
                   subtask_counts=task.get("subtask_counts") or {}, failed_endpoints=_endpoints(task),
                   error=(task.get("msg") or "the task could not be read") if unread else None)
    return summary


def _tasks(status):
    """(task results, the run's error message or None) from what gz_task_status returned."""
    if isinstance(status, Mapping):
        error = (status.get("msg") or "gz_task_status failed") if status.get("failed") else None
        if "results" in status:
            return status.get("results") or [], error
        return ([status] if status.get("task_id") else []), error
    if isinstance(status, Sequence) and not isinstance(status, (str, bytes)):
        return status, None
    raise AnsibleFilterError("gz_task_summary: expected what gz_task_status returned (a dictionary) or a list of "
                             "its task results; got %s" % type(status).__name__)


def _passes(task, accept_unaccounted):
    """A task passes when it succeeded; with ``accept_unaccounted``, also when its one fault is unaccounted targets."""
    if task["succeeded"] is True:
        return True
    return bool(accept_unaccounted and task["succeeded"] is False and task["finished"] and task["unaccounted_targets"]
                and not task["failed_endpoints"] and task["error"] is None)


def summarise(status, task_ids=None, accept_unaccounted=False):
    """The gate summary of gz_task_status's result (see the gz_task_summary filter)."""
    tasks, error = _tasks(status)
    for index, task in enumerate(tasks, 1):
        if not isinstance(task, Mapping):
            raise AnsibleFilterError("gz_task_summary: task result %d is a %s, not a dictionary"
                                     % (index, type(task).__name__))
    results = [_task(task) for task in tasks]
    seen = set(str(task["task_id"]) for task in results)
    for task_id in task_ids or []:
        if str(task_id) not in seen:
            seen.add(str(task_id))
            results.append(_task({"task_id": task_id, "failed": True, "msg": error or "gz_task_status did not return it"}))
    failed_endpoints = [endpoint for task in results for endpoint in task["failed_endpoints"]]
    passed = error is None and bool(results) and all(_passes(task, accept_unaccounted) for task in results)
    return {"passed": passed,
            "results": results, "failed_endpoints": failed_endpoints,
            "unread": [task["task_id"] for task in results if task["error"] is not None], "error": error}


def _summary(summary, who):
    if not isinstance(summary, Mapping) or not isinstance(summary.get("results"), list):
        raise AnsibleFilterError("%s: expected what gz_task_summary returns (a dictionary with results)" % who)
    return summary


def _task_label(task):
    name = one_line(task.get("name"))
    return "task %s%s" % (one_line(task.get("task_id")), " (%s)" % name if name else "")


def failure_lines(summary):
    """One line per failed endpoint, per unread task, and per task whose outcome is unknown."""
    summary = _summary(summary, "gz_failure_lines")
    lines = []
    for endpoint in summary.get("failed_endpoints") or []:
        task_name = one_line(endpoint.get("task_name"))
        lines.append("%s: error %s: %s (task %s%s)" % (
            one_line(endpoint.get("endpoint_name") or endpoint.get("endpoint_id") or "(no name)"),
            one_line(endpoint.get("error_code") or "?"), one_line(endpoint.get("error_message") or "no message"),
            one_line(endpoint.get("task_id")), ", " + task_name if task_name else ""))
    for task in summary["results"]:
        if task.get("unaccounted_targets"):
            lines.append("%s: %s of its %s target(s) have no subtask, so their outcome is unknown"
                         % (_task_label(task), one_line(task["unaccounted_targets"]), one_line(task.get("total_targets"))))
        if task.get("error") is not None:
            lines.append("%s: could not be read: %s" % (_task_label(task), one_line(task["error"])))
        elif task.get("succeeded") is None:
            lines.append("%s: its outcome could not be told from its subtasks (status %s)"
                         % (_task_label(task), one_line(task.get("status_name") or "unknown")))
    if summary.get("error") and not any(task.get("error") is not None for task in summary["results"]):
        lines.append("the tasks could not be read: %s" % one_line(summary["error"]))
    return lines


def gate_message(summary, max_listed=50):
    """The verdict in words: a headline, then up to ``max_listed`` failure lines and how many more."""
    summary, limit = _summary(summary, "gz_gate_message"), whole_number(max_listed, "gz_gate_message: max_listed", 0)
    results = summary["results"]
    if summary.get("passed"):
        accepted = sum(task.get("unaccounted_targets") or 0 for task in results)
        if accepted:
            return ("GravityZone gate passed: %d task(s), no endpoint failed; %d target(s) without a subtask were "
                    "accepted (accept_unaccounted)" % (len(results), accepted))
        return "GravityZone gate passed: %d task(s), every endpoint succeeded" % len(results)
    headline = "GravityZone gate failed: %d endpoint(s) failed in %d of %d task(s)" % (
        len(summary.get("failed_endpoints") or []), sum(1 for task in results if task.get("succeeded") is False),
        len(results))
    unread = sum(1 for task in results if task.get("error") is not None)
    unknown = sum(1 for task in results if task.get("error") is None and task.get("succeeded") is None)
    unaccounted = sum(task.get("unaccounted_targets") or 0 for task in results)
    headline += "".join(("; %d task(s) could not be read" % unread if unread else "",
                         "; the outcome of %d task(s) could not be told" % unknown if unknown else "",
                         "; %d target(s) have no subtask" % unaccounted if unaccounted else ""))
    lines = failure_lines(summary)
    text = [headline] + ["  - " + line for line in lines[:limit]]
    if len(lines) > limit:
        text.append("  ... and %d more (every failed endpoint is in the summary's failed_endpoints)"
                    % (len(lines) - limit))
    return "\n".join(text)
