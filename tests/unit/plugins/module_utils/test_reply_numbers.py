# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""One rule for numbers from both products (issue 20): counts, totals and percentages are not negative,
integers fit in 64 bits, and a fraction where an integer belongs is malformed, naming the field."""

from __future__ import annotations

import pytest

from ansible_collections.secops.async_tasks.plugins.module_utils import faz_logsearch, faz_views, gz_tasks
from ansible_collections.secops.async_tasks.plugins.module_utils.errors import MalformedResponse


def malformed(call, *words):
    with pytest.raises(MalformedResponse) as caught:
        call()
    for word in words:
        assert word in caught.value.msg, caught.value.msg


@pytest.mark.parametrize("key, value, words", [
    ("percentage", -5, "negative"), ("percentage", "-5", "negative"), ("percentage", 12.5, "a count"),
    ("percentage", "12.5", "a count"), ("total", -1, "negative"),
    ("total", 2 ** 65, "64 bits"), ("tid", 2 ** 70, "64 bits"),
])
def test_fortiview_task_numbers(key, value, words):
    data = {"status": "done", "percentage": 100, "total": 1, "data": [{"srcip": "10.0.0.1", "sessions": 1}]}
    data[key] = value
    malformed(lambda: faz_views.normalise_task("top-sources", 7, data, faz_views.RESULT_OBJECT), repr(key), words)


@pytest.mark.parametrize("key, value, words", [
    ("progress-percent", -1, "negative"), ("scanned-logs", -10, "negative"), ("total-logs", 10 ** 20, "64 bits"),
    ("matched-logs", 1.5, "a count"),
])
def test_log_search_progress_numbers(key, value, words):
    data = {"progress-percent": 50, "scanned-logs": 5, "total-logs": 10, "matched-logs": 2}
    data[key] = value
    malformed(lambda: faz_logsearch._progress_state(data, 9), repr(key), words)  # pylint: disable=protected-access


def test_log_search_page_numbers():
    malformed(lambda: faz_logsearch._page_state({"data": [], "percentage": -3}, 9),  # pylint: disable=protected-access
              "'percentage'", "negative")
    malformed(lambda: faz_logsearch._page_state({"data": [], "total-count": -3}, 9),  # pylint: disable=protected-access
              "'total-count'", "negative")


@pytest.mark.parametrize("key, value, words", [
    ("totalTargetsCount", -2, "negative"), ("status", 2 ** 64, "64 bits"), ("totalTargetsCount", 4.5, "a count"),
])
def test_gravityzone_task_numbers(key, value, words):
    result = {"status": 3, "type": 1, "name": "scan", "totalTargetsCount": 2}
    result[key] = value
    malformed(lambda: gz_tasks.normalise_task("t1", result, [], "1.1", True), repr(key), words)
