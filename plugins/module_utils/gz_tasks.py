# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""GravityZone without the wire: ids, task and scan shapes, and their normalisation.

The analogue of faz_views.py: what the console's task replies mean, in the documented shapes the
modules return. No requests needed.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
"""

from __future__ import annotations

import re

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import InvalidInput, MalformedResponse
from ansible_collections.secops.async_tasks.plugins.module_utils.replies import field
from ansible_collections.secops.async_tasks.plugins.module_utils.times import ISO_FORMAT, format_time, parse_time
from ansible_collections.secops.async_tasks.plugins.module_utils.replies import to_int

API_VERSIONS = ("1.1", "1.0")
TASK_ID_PATTERN = re.compile(r"^[0-9a-fA-F]{24}$")
STATUS_NAMES = {1: "pending", 2: "in_progress", 3: "finished"}
# Real consoles send a pending subtask as 0; anything else unknown is reported as "unknown".
STATUS_ALIASES = {0: "pending"}
STATUS_NUMBERS = dict((name, number) for number, name in STATUS_NAMES.items())
TYPE_NAMES = {
    1: "scan", 7: "reconfigure", 9: "remove_quarantine", 10: "restore_quarantine",
    14: "remove_all_quarantine", 15: "remove_all_quarantine_exchange", 16: "isolate", 17: "restore",
    18: "remove_quarantine_exchange", 19: "restore_quarantine_exchange", 20: "add_quarantine",
}
ENDPOINT_TYPE_NAMES = {260: "active_directory", 262: "best_agent", 265: "aws_ec2"}
SCAN_TYPES = {"quick": 1, "full": 2, "memory": 3, "custom": 4}
SCAN_DEPTHS = {"aggressive": 1, "normal": 2, "permissive": 3}
# getScanTasksList pages hold at most 100 tasks.
SCAN_LIST_PER_PAGE_MAX = 100


def status_name(value):
    number = to_int(value)
    if number in STATUS_NAMES:
        return STATUS_NAMES[number]
    return STATUS_ALIASES.get(number, "unknown")


def validate_task_id(task_id, option="task_id"):
    if not isinstance(task_id, str) or not TASK_ID_PATTERN.match(task_id.strip()):
        raise InvalidInput("%s %r is not a GravityZone task id: expected 24 hexadecimal characters, as returned "
                           "by createScanTask or shown in the console's task URL" % (option, task_id), option=option)
    return task_id.strip().lower()


def validate_target_id(target_id, option="target_ids"):
    if not isinstance(target_id, str) or not TASK_ID_PATTERN.match(target_id.strip()):
        raise InvalidInput("%s: %r is not a GravityZone endpoint or group id: expected 24 hexadecimal characters, as "
                           "returned by getEndpointsList or getCustomGroupsList" % (option, target_id), option=option)
    return target_id.strip().lower()


def validate_date(value, option, zone=None):
    """``YYYY-MM-DDTHH:MM:SS`` for the console from a time in the forms times.py reads (None stays None)."""
    if value is None:
        return None
    return format_time(parse_time(value, option, zone), ISO_FORMAT)


SCAN_LIST = "GravityZone's getScanTasksList result"
SUBTASK = "GravityZone's getTaskStatus subtask"
TASK = "GravityZone's getTaskStatus result"


def scan_task(item):
    """One getScanTasksList item in the documented shape (every field of its kind: replies.field)."""
    status = field(item, "status", "int", SCAN_LIST)
    return {"task_id": field(item, "id", "text", SCAN_LIST, required=True), "name": field(item, "name", "text", SCAN_LIST),
            "status": status, "status_name": status_name(status), "start_date": field(item, "startDate", "text", SCAN_LIST)}


def _subtask(raw):
    error_code = field(raw, "errorCode", "id", SUBTASK)
    error_message = field(raw, "errorMessage", "text", SUBTASK)
    failed = error_code not in (None, "", 0, "0") or bool(error_message)
    endpoint_type = field(raw, "endpointType", "int", SUBTASK)
    status = field(raw, "status", "int", SUBTASK, required=True)
    return {
        "endpoint_id": field(raw, "endpointId", "text", SUBTASK, required=True),
        "endpoint_name": field(raw, "endpointName", "text", SUBTASK),
        "endpoint_type": endpoint_type,
        "endpoint_type_name": ENDPOINT_TYPE_NAMES.get(endpoint_type, "unknown"),
        "status": status,
        "status_name": status_name(status),
        "start_date": field(raw, "startDate", "text", SUBTASK),
        "end_date": field(raw, "endDate", "text", SUBTASK),
        "failed": failed,
        "error_code": error_code,
        "error_message": error_message,
    }


def _subtasks_of(pages):
    """Subtasks of every page, in order, each endpoint once (a later page wins)."""
    seen = {}
    ordered = []
    for page in pages:
        items = field(page, "subtasks", "list", TASK, required=True)
        for item in items:
            if not isinstance(item, dict):
                raise MalformedResponse("%s is not an object" % SUBTASK)
            subtask = _subtask(item)
            key = subtask["endpoint_id"]
            if key is not None and key in seen:
                ordered[seen[key]] = subtask
                continue
            if key is not None:
                seen[key] = len(ordered)
            ordered.append(subtask)
    return ordered


def _owner(result):
    raw = field(result, "owner", "object", TASK)
    if raw is None:
        return None
    return {"id": field(raw, "id", "text", TASK + " owner"), "user_name": field(raw, "userName", "text", TASK + " owner")}


def _company(result):
    raw = field(result, "company", "object", TASK)
    if raw is None:
        return None
    return {"id": field(raw, "id", "text", TASK + " company"), "name": field(raw, "name", "text", TASK + " company")}


def normalise_task(task_id, result, pages, api_version, complete):
    """The documented task dict from getTaskStatus ``result`` (task fields) and its subtask ``pages``.

    ``complete`` says whether ``pages`` hold every subtask of the task (no filter, no single page):
    only then can ``succeeded`` be decided.
    """
    status = field(result, "status", "int", TASK, required=True)
    task_type = field(result, "type", "int", TASK)
    subtasks = _subtasks_of(pages)
    counts = {"pending": 0, "in_progress": 0, "finished": 0, "unknown": 0, "failed": 0}
    for subtask in subtasks:
        counts[subtask["status_name"]] += 1
        counts["failed"] += subtask["failed"]
    failed = [subtask for subtask in subtasks if subtask["failed"]]
    finished = status == 3
    with_subtasks = api_version != "1.0" and bool(pages)
    total_targets = field(result, "totalTargetsCount", "count", TASK)
    # Targets no subtask accounts for: only countable when every subtask was read (no filter, no more pages).
    # Bitdefender's own example answers totalTargetsCount 5 with 2 subtasks: no outcome is known for the other 3.
    unaccounted = max(0, total_targets - len(subtasks)) if with_subtasks and complete and total_targets else 0
    succeeded = None
    if finished and (failed or unaccounted):
        succeeded = False
    elif finished and with_subtasks and complete:
        succeeded = True
    return {
        "task_id": task_id,
        "name": field(result, "name", "text", TASK),
        "status": status,
        "status_name": status_name(status),
        "finished": finished,
        "type": task_type,
        "type_name": TYPE_NAMES.get(task_type, "unknown"),
        "start_date": field(result, "startDate", "text", TASK),
        "owner": _owner(result),
        "company": _company(result),
        "total_targets": total_targets,
        "unaccounted_targets": unaccounted,
        "api_version": api_version,
        "subtasks": subtasks,
        "subtask_counts": counts,
        "failed_subtasks": failed,
        "subtasks_complete": bool(with_subtasks and complete),
        "pages_fetched": len(pages),
        "succeeded": succeeded,
    }
