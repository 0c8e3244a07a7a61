"""plugins/filter/fortiview_rank.py and fortiview_report_views.py: FortiView rows as ranked report entries."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.secops.async_tasks.plugins.filter.fortiview_chart import FilterModule as ChartFilters
from ansible_collections.secops.async_tasks.plugins.filter.fortiview_chart import fortiview_chart
from ansible_collections.secops.async_tasks.plugins.filter.fortiview_rank import FilterModule as RankFilters
from ansible_collections.secops.async_tasks.plugins.filter.fortiview_rank import fortiview_rank
from ansible_collections.secops.async_tasks.plugins.filter.fortiview_report_views import FilterModule as ViewFilters
from ansible_collections.secops.async_tasks.plugins.filter.fortiview_report_views import fortiview_report_views

SOURCES = [
    {"srcip": "10.0.1.150", "hostname": "LAPTOP-USER01", "bytes": 2147483648, "sessions": 4523},
    {"srcip": "10.0.1.151", "hostname": "", "srcip_hostname": "ws-151", "bytes": 900, "sessions": 9000},
    {"srcip": "10.0.1.152", "hostname": "10.0.1.152", "country": "France", "bytes": "900", "sessions": "12"},
]


def test_ranks_by_bytes_largest_first_ties_in_the_appliances_order():
    entries = fortiview_rank(SOURCES, "top-sources")
    assert entries == [
        {"rank": 1, "name": "10.0.1.150", "detail": "LAPTOP-USER01", "bytes": 2147483648, "sessions": 4523},
        {"rank": 2, "name": "10.0.1.151", "detail": "ws-151", "bytes": 900, "sessions": 9000},
        # the host name equal to the IP is not a detail: the next field is taken
        {"rank": 3, "name": "10.0.1.152", "detail": "France", "bytes": 900, "sessions": 12},
    ]


def test_ranks_by_sessions_with_a_limit():
    entries = fortiview_rank(SOURCES, "top-sources", by="sessions", limit=2)
    assert [(entry["rank"], entry["name"], entry["sessions"]) for entry in entries] \
        == [(1, "10.0.1.151", 9000), (2, "10.0.1.150", 4523)]


def test_takes_a_result_with_rows_and_leaves_the_input_alone():
    rows = [dict(row) for row in SOURCES]
    assert fortiview_rank({"tid": 5, "rows": rows}, "top-sources") == fortiview_rank(SOURCES, "top-sources")
    assert rows == SOURCES
    assert fortiview_rank({"tid": 5, "rows": None}, "top-sources") == []
    assert fortiview_rank([], "top-countries") == []


def test_apiver3_bandwidth_is_bytes_and_missing_numbers_are_zero():
    rows = [{"app": "HTTPS.BROWSER", "appcat": "Web.Client", "bandwidth": 5000, "sessions": None},
            {"app_group": "DNS", "appcat": None}]
    assert fortiview_rank(rows, "top-applications") == [
        {"rank": 1, "name": "HTTPS.BROWSER", "detail": "Web.Client", "bytes": 5000, "sessions": 0},
        {"rank": 2, "name": "DNS", "detail": None, "bytes": 0, "sessions": 0},
    ]


def test_an_entry_without_a_name_is_unknown():
    assert fortiview_rank([{"bytes": 1, "sessions": 1}], "top-countries")[0]["name"] == "(unknown)"


def test_fields_of_a_view_without_built_in_ones():
    rows = [{"threat": "Mirai", "threatlevel": "critical", "bytes": 1, "sessions": 3},
            {"threat": "Emotet", "threatlevel": "high", "bytes": 2, "sessions": 1}]
    entries = fortiview_rank(rows, "top-threats", name_fields=["threat"], detail_fields=["threatlevel"])
    assert [(entry["name"], entry["detail"]) for entry in entries] == [("Emotet", "high"), ("Mirai", "critical")]
    assert fortiview_rank(SOURCES, "top-sources", detail_fields=[])[0]["detail"] is None
    with pytest.raises(AnsibleFilterError, match="view 'top-threats' has no built-in fields; give name_fields"):
        fortiview_rank(rows, "top-threats")


@pytest.mark.parametrize("kwargs, rows, words", [
    ({"by": "packets"}, SOURCES, "by must be one of bytes, sessions"),
    ({"limit": 0}, SOURCES, "limit must be 1 or more"),
    ({"limit": "ten"}, SOURCES, "limit 'ten' is not a whole number"),
    ({"limit": True}, SOURCES, "limit True is not a whole number"),
    ({"limit": float("inf")}, SOURCES, "limit inf is not a whole number"),
    ({}, [{"srcip": "a", "bytes": "lots"}], "row 1: bytes is 'lots', not a number"),
    ({}, [{"srcip": "a", "bytes": 1, "sessions": True}], "row 1: sessions is True"),
    ({}, [{"srcip": "a", "bytes": 1, "sessions": float("inf")}], "row 1: sessions is inf"),
])
def test_refused(kwargs, rows, words):
    with pytest.raises(AnsibleFilterError) as caught:
        fortiview_rank(rows, "top-sources", **kwargs)
    assert words in str(caught.value)


@pytest.mark.parametrize("rows", ["10.0.1.150", 5, [["10.0.1.150"]]])
def test_wrong_types(rows):
    with pytest.raises(AnsibleFilterError):
        fortiview_rank(rows, "top-sources")


def _created(view, by, tid, shape="list"):
    item = [view, by] if shape == "list" else {"view": view, "by": by}
    return {"changed": False, "view": view, "tid": tid, "item": item, "ansible_loop_var": "item"}


def _fetched(view, tasks):
    return {"item": view, "changed": False, "results": [{"tid": tid, "rows": rows} for tid, rows in tasks]}


APPS = [{"app": "SSL", "appcat": "Network.Service", "bytes": 10, "sessions": 50},
        {"app": "DNS", "appcat": "Network.Service", "bytes": 20, "sessions": 5}]


def test_report_views_pair_tasks_and_rows_by_tid():
    created = [_created("top-sources", "bytes", 101), _created("top-sources", "sessions", 102),
               _created("top-applications", "bytes", 103, shape="dict"), _created("top-applications", "sessions", 104)]
    # rows come back in another order than created, and one view's tasks in one batch
    fetched = [_fetched("top-applications", [(104, APPS), (103, APPS[::-1])]),
               _fetched("top-sources", [(102, SOURCES), (101, SOURCES[:1])])]
    views = fortiview_report_views(created, fetched, filters={"top-sources": "srcip==10.0.1.150"})
    assert [(view["view"], view["title"], view["column"], view["filter"]) for view in views] == [
        ("top-sources", "Top sources", "Source", "srcip==10.0.1.150"),
        ("top-applications", "Top applications", "Application", None)]
    assert [[ranking["by"] for ranking in view["rankings"]] for view in views] == [["bytes", "sessions"]] * 2
    sources_by_bytes, sources_by_sessions = views[0]["rankings"]
    assert [entry["name"] for entry in sources_by_bytes["entries"]] == ["10.0.1.150"]
    assert [entry["name"] for entry in sources_by_sessions["entries"]] == ["10.0.1.151", "10.0.1.150", "10.0.1.152"]
    assert [entry["name"] for entry in views[1]["rankings"][0]["entries"]] == ["DNS", "SSL"]
    assert [entry["name"] for entry in views[1]["rankings"][1]["entries"]] == ["SSL", "DNS"]


def test_report_views_take_flat_results_and_explicit_keys():
    created = [{"view": "top-countries", "by": "bytes", "tid": "7"}]
    fetched = [{"tid": 7, "rows": [{"country": "France", "bytes": 3, "sessions": 1}]}]
    views = fortiview_report_views(created, fetched)
    assert views[0]["title"] == "Top countries"
    assert views[0]["rankings"][0]["entries"][0]["name"] == "France"
    assert fortiview_report_views([], []) == []


def test_report_views_refuse_a_task_without_rows():
    created = [_created("top-sources", "bytes", 101), _created("top-sources", "sessions", 102)]
    with pytest.raises(AnsibleFilterError, match=r"no rows were fetched for task 102 \(top-sources by sessions\)"):
        fortiview_report_views(created, [_fetched("top-sources", [(101, SOURCES)])])


@pytest.mark.parametrize("task", [{"tid": 1}, {"item": ["top-sources"], "tid": 1}, {"view": "top-sources", "by": "bytes"}])
def test_report_views_refuse_a_task_they_cannot_place(task):
    with pytest.raises(AnsibleFilterError, match="created task 1 has no view, ranking"):
        fortiview_report_views([task], [])


def test_report_views_wrong_types():
    with pytest.raises(AnsibleFilterError):
        fortiview_report_views(["top-sources"], [])
    with pytest.raises(AnsibleFilterError):
        fortiview_report_views([], ["rows"])


def test_registered_under_their_names():
    assert RankFilters().filters() == {"fortiview_rank": fortiview_rank}
    assert ViewFilters().filters() == {"fortiview_report_views": fortiview_report_views}
    assert ChartFilters().filters() == {"fortiview_chart": fortiview_chart}


def test_chart_scales_to_the_largest_number():
    entries = fortiview_rank(SOURCES, "top-sources", by="sessions")
    plot = fortiview_chart(entries, "sessions", width=290)
    assert (plot["scale_max"], plot["width"]) == (9000, 290)
    assert [shown["value"] for shown in plot["bars"]] == [9000, 4523, 12]
    assert [shown["width"] for shown in plot["bars"]] == [290.0, round(4523 / 9000 * 290, 2), 0.39]
    assert plot["bars"][0]["entry"] is entries[0]
    by_bytes = fortiview_chart(entries)  # by bytes, default width: the second entry has the most bytes
    assert [shown["width"] for shown in by_bytes["bars"]] == [0.0, 290.0, 0.0]
    assert by_bytes["scale_max"] == 2147483648


def test_chart_without_data():
    assert fortiview_chart([], "bytes") == {"scale_max": 0, "width": 290, "bars": [], "out_of_range": 0}
    zeros = [{"name": "a", "bytes": 0, "sessions": 0}]
    assert fortiview_chart(zeros)["bars"][0]["width"] == 0


@pytest.mark.parametrize("entries, kwargs, words", [
    ([], {"by": "packets"}, "by must be one of"),
    ([], {"width": 0}, "width must be 1 or more"),
    ("rows", {}, "expected entries"),
    ([{"name": "a", "bytes": "12"}], {}, "each with an integer bytes"),
    ([{"name": "a"}], {}, "each with an integer bytes"),
])
def test_chart_refused(entries, kwargs, words):
    with pytest.raises(AnsibleFilterError, match=words):
        fortiview_chart(entries, **kwargs)


def test_absurd_numbers_are_charted_clamped_never_a_crash_or_a_negative_bar():
    rows = [{"srcip": "10.0.0.1", "bytes": 10 ** 400, "sessions": "1e400"},
            {"srcip": "10.0.0.2", "bytes": -5, "sessions": -1},
            {"srcip": "10.0.0.3", "bytes": "1048576", "sessions": 3}]
    entries = fortiview_rank(rows, "top-sources")
    assert [entry["bytes"] for entry in entries] == [10 ** 400, 1048576, -5]
    assert entries[0]["sessions"] == 10 ** 400
    plot = fortiview_chart(entries, "bytes", width=290)
    assert [drawn["width"] for drawn in plot["bars"]] == [290, 0, 0]
    assert plot["out_of_range"] == 2
    negative_only = fortiview_chart(fortiview_rank(rows[1:2], "top-sources"), "sessions")
    assert negative_only["bars"][0]["width"] == 0 and negative_only["scale_max"] == 0


@pytest.mark.parametrize("value", ["inf", "nan", "-Infinity", "lots"])
def test_numbers_that_are_not_numbers_are_named(value):
    with pytest.raises(AnsibleFilterError, match="row 1: bytes is '%s', not a number" % value):
        fortiview_rank([{"srcip": "10.0.0.1", "bytes": value}], "top-sources")
