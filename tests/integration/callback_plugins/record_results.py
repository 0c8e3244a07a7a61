# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Test-only callback: write every task result, as the module returned it, to a JSON-lines file.

The integration harness (tests/integration/helpers.py) enables it; the stdout callback stays
the default one, so the tests also see the output a user would see.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: record_results
type: aggregate
short_description: Record every task result to a JSON-lines file (integration tests only)
description:
  - Appends one JSON object per task result to the file named by E(SECOPS_TEST_RESULTS).
requirements:
  - enabled in callbacks_enabled
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


def _warning_text(warning):
    event = getattr(warning, "event", None)
    return str(getattr(event, "msg", warning))


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "record_results"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._path = os.environ.get("SECOPS_TEST_RESULTS")
        self._started = {}

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._started[task._uuid] = time.monotonic()

    def _record(self, status, result):
        if not self._path:
            return
        # ansible-core 2.19 names them task/result; older releases _task/_result.
        task = getattr(result, "task", None) or result._task
        data = dict(getattr(result, "result", None) or result._result)
        # Warnings are objects in 2.19 and plain strings before; record their text.
        warnings = getattr(result, "warnings", None)
        if warnings is not None:
            data["warnings"] = [_warning_text(warning) for warning in warnings]
        started = self._started.get(task._uuid)
        entry = {
            "name": task.get_name(),
            "action": task.action,
            "status": status,
            "duration": None if started is None else time.monotonic() - started,
            "result": data,
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
