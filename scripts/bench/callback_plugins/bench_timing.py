# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Benchmark-only callback: when each task started and when its result reached the controller.

Writes one JSON line per task result to the file named by BENCH_TIMING_FILE, with times on the
monotonic clock (the simulator stamps its tasks on the same clock), and a few small facts of the
result for the benchmark to check that the run did what it should. Results themselves are not
written: copying a large result would add its cost to the playbook being timed.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: bench_timing
type: aggregate
short_description: Record task start and result times (scripts/bench only)
description:
  - Appends one JSON object per task result to the file named by E(BENCH_TIMING_FILE).
requirements:
  - enabled in callbacks_enabled
"""

import hashlib
import json
import os
import time

from ansible.plugins.callback import CallbackBase

SCALARS = ("failed", "done", "finished", "succeeded", "status", "pages_fetched", "total_targets", "attempts")
LISTS = ("sources", "results", "subtasks")
MESSAGE_LENGTH = 300


def _rpc_facts(payload):
    """Status code and task status of a FortiAnalyzer JSON-RPC reply that ansible.builtin.uri parsed."""
    facts = {}
    result = payload.get("result") if isinstance(payload, dict) else None
    if isinstance(result, list) and result and isinstance(result[0], dict):
        status = result[0].get("status")
        if isinstance(status, dict):
            facts["rpc_code"] = status.get("code")
        data = result[0].get("data")
        if isinstance(data, dict):
            facts["rpc_status"] = data.get("status")
    return facts


def _is_done(item):
    if not isinstance(item, dict):
        return False
    return item.get("done") is True or _rpc_facts(item.get("json")).get("rpc_status") == "done"


ROW_FIELDS = ("srcip", "sessions", "bytes")


def _source_lists(value):
    """Every list under a "sources" key, depth first in the result's order (our modules' rows, and the
    rows inside the raw reply Fortinet's faz_fact returns under meta.response_data), each once."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "sources" and isinstance(item, list):
                yield item
            elif key not in ("invocation", "ansible_facts"):  # the module's arguments; a copy of the result
                yield from _source_lists(item)
    elif isinstance(value, list):
        for item in value:
            yield from _source_lists(item)


def rows_digest(data):
    """(rows, digest) of the FortiView source rows in a result, by the fields both collections return."""
    rows = [[row.get(field) for field in ROW_FIELDS] for found in _source_lists(data) for row in found
            if isinstance(row, dict)]
    return len(rows), hashlib.sha256(json.dumps(rows).encode("utf-8")).hexdigest()[:16]


def summarise(data):
    """The few facts of a task result the benchmark checks."""
    summary = dict((key, data[key]) for key in SCALARS if key in data)
    if "msg" in data:
        summary["msg"] = str(data["msg"])[:MESSAGE_LENGTH]
    for key in LISTS:
        if isinstance(data.get(key), list):
            summary["n_" + key] = len(data[key])
    if isinstance(data.get("results"), list):
        summary["n_done"] = sum(1 for item in data["results"] if _is_done(item))
    summary.update(_rpc_facts(data.get("json")))
    summary["n_rows"], summary["rows_digest"] = rows_digest(data)
    return summary


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timing"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._path = os.environ.get("BENCH_TIMING_FILE")
        self._started = {}

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._started[task.get_name()] = time.monotonic()

    def _record(self, status, result):
        ended = time.monotonic()
        if not self._path:
            return
        # ansible-core 2.19 names them task/result; older releases _task/_result.
        task = getattr(result, "task", None) or getattr(result, "_task")
        data = getattr(result, "result", None) or getattr(result, "_result") or {}
        entry = {
            "name": task.get_name(),
            "action": task.action,
            "status": status,
            "start": self._started.get(task.get_name()),
            "end": ended,
            "summary": summarise(data),
        }
        with open(self._path, "a", encoding="utf-8") as stream:
            stream.write(json.dumps(entry, default=str) + "\n")

    def v2_runner_on_ok(self, result):
        self._record("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record("failed", result)

    def v2_runner_on_skipped(self, result):
        self._record("skipped", result)

    def v2_runner_on_unreachable(self, result):
        self._record("unreachable", result)
