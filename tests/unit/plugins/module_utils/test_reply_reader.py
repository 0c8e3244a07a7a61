"""The one reply reader (replies.py): one integer reader, and every FortiAnalyzer parser reading through
``field``, so that a reply field of the wrong kind is a MalformedResponse naming the field instead of a
value passed on as if it were right (or silently dropped)."""

import pytest

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import MalformedResponse
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_logsearch import _page_state, _progress_state
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_views import (
    RESULT_LIST,
    RESULT_OBJECT,
    created_tid,
    normalise_task,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.replies import describe_json, field, to_int


@pytest.mark.parametrize("value, loose, exact", [
    (7, 7, 7), (-3, -3, -3), (7.0, 7, 7), (7.9, 7, None), ("12", 12, 12), (" 12.0 ", 12, 12), ("12.5", 12, None),
    (True, None, None), (None, None, None), ("n/a", None, None), ("", None, None), ([1], None, None),
    ({"a": 1}, None, None), (float("nan"), None, None), (float("inf"), None, None), ("1e999", None, None),
    (2 ** 70, 2 ** 70, 2 ** 70),
])
def test_one_integer_reader(value, loose, exact):
    assert to_int(value) == loose
    assert to_int(value, exact=True) == exact


@pytest.mark.parametrize("value, kind, expected", [
    ("12", "count", 12), ("12.5", "count", None), ("12.5", "int", None), (12, "id", 12), ("abc", "id", "abc"), (1.5, "id", None),
])
def test_count_and_int_kinds(value, kind, expected):
    if expected is None:
        with pytest.raises(MalformedResponse, match="'x' is "):
            field({"x": value}, "x", kind, "here")
    else:
        assert field({"x": value}, "x", kind, "here") == expected


@pytest.mark.parametrize("data, named", [
    ({"status": "running", "percentage": [40]}, "'percentage' is a list"),
    ({"status": "running", "percentage": True}, "'percentage' is a boolean"),
    ({"percentage": 100, "total": {"rows": 3}, "data": []}, "'total' is an object"),
    ({"percentage": 100, "tid": "four", "data": []}, "'tid' is text"),
    ({"percentage": 100, "tid": 7.5, "data": []}, "'tid' is a number, expected an integer"),
])
def test_fortiview_task_field_of_the_wrong_kind_is_named(data, named):
    with pytest.raises(MalformedResponse) as caught:
        normalise_task("top-sources", 7, data, RESULT_OBJECT)
    assert named in caught.value.msg and "task 7" in caught.value.msg


def test_fortiview_percentage_text_that_is_no_number_stays_unknown():
    state = normalise_task("top-sources", 7, {"status": "running", "percentage": "n/a"}, RESULT_LIST)
    assert (state["status"], state["percentage"]) == ("running", 0)


@pytest.mark.parametrize("data", [{"tid": "4410.5"}, {"data": {"tid": 4410.5}}, {"tid": [4410]}])
def test_created_tid_with_a_fraction_or_a_list_is_refused_not_truncated(data):
    with pytest.raises(MalformedResponse, match="'tid' is"):
        created_tid(data, "top-sources")


@pytest.mark.parametrize("data, named", [
    ({"progress-percent": 100, "matched-logs": {"n": 3}}, "'matched-logs' is an object"),
    ({"progress-percent": 50, "scanned-logs": [10]}, "'scanned-logs' is a list"),
    ({"progress-percent": [50]}, "'progress-percent' is a list"),
    ({"total-logs": True, "scanned-logs": 5}, "'total-logs' is a boolean"),
])
def test_log_search_progress_field_of_the_wrong_kind_is_named(data, named):
    with pytest.raises(MalformedResponse) as caught:
        _progress_state(data, 12)
    assert named in caught.value.msg and "log search 12" in caught.value.msg


@pytest.mark.parametrize("data, named", [
    ({"data": [], "total-count": [5]}, "'total-count' is a list"),
    ({"data": [], "total_lines": "many"}, "'total_lines' is text"),
    ({"data": [], "percentage": {"p": 1}}, "'percentage' is an object"),
])
def test_log_search_page_field_of_the_wrong_kind_is_named(data, named):
    with pytest.raises(MalformedResponse) as caught:
        _page_state(data, 12)
    assert named in caught.value.msg


def test_log_search_counts_read_as_before():
    assert _progress_state({"scanned-logs": "50", "total-logs": 200.0, "matched-logs": "3"}, 1) == {
        "percentage": 25, "matched": 3, "scanned": 50, "total": 200}
    page = _page_state({"data": [{"a": 1}], "total-count": "9", "percentage": "250"}, 1)
    assert (page["matched"], page["percentage"]) == (9, 100)


def test_excerpts_hide_every_secret_looking_key():
    text = describe_json({"session": "s3cr3t", "Authorization": "Bearer k", "sid": "x1", "data": {"x-api-key": "k2"}})
    assert "s3cr3t" not in text and "Bearer" not in text and "x1" not in text and "k2" not in text
