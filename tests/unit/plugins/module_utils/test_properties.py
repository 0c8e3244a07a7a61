# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Property tests: whatever JSON a server sends, parsing gives data or a typed error, never a crash.

A module turns ``AsyncTasksError`` into a clean ``fail_json``; any other exception reaches the user
as a Python traceback. So every reply the clients parse - FortiAnalyzer in both shapes (the seed
``result`` list and the apiver-3 ``result`` object), GravityZone getTaskStatus and createScanTask -
is fed arbitrary JSON (``strategies.recursive``) and structured near-valid envelopes, through the
real client code (a fake transport hands the body over as the HTTP layer would), and must give
either a result of the documented shape or an ``AsyncTasksError`` subclass.

The crashes these properties found (1e999 parsed as infinity, an unhashable endpointId, a session
that is not a string, JSON nested past the parser's depth) are fixed; each keeps an explicit example
at the end.
"""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ansible_collections.secops.async_tasks.plugins.module_utils import faz, faz_views, gz, gz_tasks
from ansible_collections.secops.async_tasks.plugins.module_utils.errors import AsyncTasksError
from ansible_collections.secops.async_tasks.plugins.module_utils.transport import Deadline, HttpReply

# make test draws the same 100 examples per property every run; make reliability draws 1000, new each run.
EXAMPLES = settings(max_examples=int(os.environ.get("SECOPS_UNIT_PROPERTY_EXAMPLES", "100")), deadline=None,
                    derandomize=os.environ.get("SECOPS_PROPERTY_RANDOM") != "1",
                    suppress_health_check=[HealthCheck.too_slow])
SESSION = "c2Vzc2lvbi1pZC1mb3ItcHJvcGVydHktdGVzdHM="
GZ_KEY = "propertyTestKey0123456789abcdef"
TASK_ID = "65f46d08c6d2865b32048ba3"
TASK_STATUSES = ("done", "running", "error")

# Keys the parsers look for, mixed into random objects so that random replies reach deep code paths.
FAZ_KEYS = ("result", "error", "status", "code", "message", "data", "tid", "percentage", "total", "session",
            "sources", "applications", "srcip", "hostname", "srcip_hostname", "bytes", "bandwidth", "sessions",
            "app", "app_group", "appcat", "policyid", "url", "jsonrpc", "id")
GZ_KEYS = ("result", "error", "code", "message", "data", "details", "name", "startDate", "status", "type",
           "owner", "company", "hasMoreSubtasks", "subtasks", "totalTargetsCount", "endpointName", "endpointType",
           "endpointId", "endDate", "errorCode", "errorMessage", "userName", "id", "jsonrpc")

# Floats include inf and nan: json.loads turns 1e999 into inf (and accepts NaN).
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats()
           | st.text(max_size=12) | st.sampled_from(["0", "100", "65", "done", "running", "error", "-11", " 7 "]))


def json_values(keys):
    """Any JSON value; objects often use the given keys, so parsers see near-valid replies too."""
    key = st.sampled_from(keys) | st.text(max_size=8)
    return st.recursive(SCALARS, lambda children: st.lists(children, max_size=4)
                        | st.dictionaries(key, children, max_size=5), max_leaves=16)


FAZ_JSON = json_values(FAZ_KEYS)
GZ_JSON = json_values(GZ_KEYS)
VIEWS = st.sampled_from(faz_views.VIEWS)


class FakeTransport:
    """What the clients need of ``JsonRpcTransport``; ``post`` answers the scripted bodies in turn."""

    base_url = "https://appliance.invalid/api"

    def __init__(self, bodies, status=200):
        self.bodies = list(bodies)
        self.status = status
        self.secrets = set()
        self.session = type("Session", (), {"auth": None})()
        self.sent = []
        self.deadline = Deadline(0.5)  # a login refused for the session cap is retried within it

    def post(self, path, payload, idempotent=True, headers=None, auth=None, budget=None, even_when_stopped=False):
        self.sent.append((path, payload))
        body = self.bodies.pop(0) if len(self.bodies) > 1 else self.bodies[0]
        text = body if isinstance(body, str) else json.dumps(body)
        return HttpReply(self.status, {}, text)

    def close(self):
        pass

    def stop(self):
        pass

    def pause(self, seconds):
        pass

    def pause_quietly(self, seconds):
        pass


class NoGate:
    """A rate gate that never waits."""

    def acquire(self):
        pass


def assert_faz_task(task, view):
    assert set(task) == {"tid", "view", "status", "done", "percentage", "total", "rows", "shape"}
    assert task["view"] == view
    assert task["status"] in TASK_STATUSES
    assert task["done"] is (task["status"] == "done")
    assert isinstance(task["percentage"], int) and 0 <= task["percentage"] <= 100
    assert task["total"] is None or isinstance(task["total"], int)
    assert isinstance(task["tid"], int)
    assert task["shape"] in (faz_views.RESULT_LIST, faz_views.RESULT_OBJECT)
    assert all(isinstance(row, dict) and isinstance(row["raw"], dict) for row in task["rows"])
    json.dumps(task)  # what exit_json must be able to serialise


def assert_gz_task(task, task_id):
    assert task["task_id"] == task_id
    assert task["status"] is None or isinstance(task["status"], int)
    assert task["status_name"] in ("pending", "in_progress", "finished", "unknown")
    assert task["finished"] is (task["status"] == 3)
    assert task["succeeded"] in (None, True, False)
    assert all(isinstance(sub["failed"], bool) for sub in task["subtasks"])
    counts = task["subtask_counts"]
    assert sum(counts[name] for name in ("pending", "in_progress", "finished", "unknown")) == len(task["subtasks"])
    assert counts["failed"] == len(task["failed_subtasks"])
    json.dumps(task)


def data_or_typed_error(call, *args, **kwargs):
    """``call(...)``'s value, or None when it raised an AsyncTasksError; anything else fails the test.

    ``faz._unwrap`` also raises ``_SessionRejected`` for -11, -20 and -22: the client catches it (log in
    again once, else a typed error), which test_faz_client_fetch_gives_a_task_or_a_typed_error covers.
    """
    try:
        return call(*args, **kwargs)
    except faz._SessionRejected as rejected:  # pylint: disable=protected-access
        assert rejected.code in (faz.CODE_NO_PERMISSION, faz.CODE_MINUS_20, faz.CODE_LOGIN_FAIL)
        return None
    except AsyncTasksError as err:
        assert isinstance(err.msg, str) and err.msg
        assert "Traceback" not in err.msg
        json.dumps(err.details, default=str)
        return None


# -- FortiAnalyzer -----------------------------------------------------------------------------

@EXAMPLES
@given(envelope=st.dictionaries(st.sampled_from(FAZ_KEYS) | st.text(max_size=8), FAZ_JSON, max_size=5),
       view=VIEWS, tid=st.integers(min_value=1, max_value=2 ** 31))
def test_faz_unwrap_and_normalise_any_object(envelope, view, tid):
    unwrapped = data_or_typed_error(faz._unwrap, envelope)  # pylint: disable=protected-access
    if unwrapped is not None:
        data, shape = unwrapped
        task = data_or_typed_error(faz_views.normalise_task, view, tid, data, shape)
        if task is not None:
            assert_faz_task(task, view)


def status_objects():
    code = st.sampled_from([0, -3, -6, -8, -10, -11, -20, "0", "-3", None, "x"]) | SCALARS
    return st.fixed_dictionaries({}, optional={"code": code, "message": SCALARS})


def row_values(fields):
    return st.dictionaries(st.sampled_from(fields) | st.text(max_size=6), SCALARS | FAZ_JSON, max_size=8)


SOURCE_FIELDS = ("srcip", "hostname", "srcip_hostname", "sessions", "bytes", "bandwidth", "country", "threatweight")
APP_FIELDS = ("app", "app_group", "appname", "appcat", "sessions", "bytes", "bandwidth", "policyid", "policyname")


def task_data(rows_key=None):
    """A near-valid FortiView task state: the right keys, values of any JSON type."""
    percentage = st.integers(-50, 150) | st.sampled_from(["65", "100", "", "n/a", " 99 "]) | SCALARS
    status = st.sampled_from(list(TASK_STATUSES) + ["finished", "failed", "queued", "DONE", ""]) | SCALARS | FAZ_JSON
    rows = st.lists(row_values(SOURCE_FIELDS + APP_FIELDS) | FAZ_JSON, max_size=6)
    optional = {"tid": SCALARS, "status": status, "percentage": percentage, "total": SCALARS, "data": rows | FAZ_JSON}
    if rows_key:
        optional[rows_key] = rows | FAZ_JSON
    return st.fixed_dictionaries({}, optional=optional)


@st.composite
def faz_envelopes(draw):
    """Near-valid replies in both shapes: the seed list shape, the apiver-3 object shape, top-level errors."""
    kind = draw(st.sampled_from(["seed", "real", "error", "odd"]))
    view = draw(VIEWS)
    drawn_key = draw(st.text(max_size=8))
    rows_key = faz_views.VIEW_TABLE[view].rows_key or drawn_key
    if kind == "seed":
        item = draw(st.fixed_dictionaries({}, optional={"status": status_objects() | FAZ_JSON,
                                                        "data": task_data(rows_key) | FAZ_JSON,
                                                        "url": SCALARS}))
        extra = draw(st.lists(FAZ_JSON, max_size=2))
        return view, {"id": 1, "result": [item] + extra}
    if kind == "real":
        result = draw(task_data())
        if draw(st.booleans()):
            result["status"] = draw(status_objects())
        return view, {"jsonrpc": "2.0", "id": draw(SCALARS), "result": result}
    if kind == "error":
        return view, {"jsonrpc": "2.0", "id": 1, "error": draw(status_objects() | FAZ_JSON)}
    return view, {"result": draw(FAZ_JSON), "error": draw(st.none() | FAZ_JSON)}


@EXAMPLES
@given(case=faz_envelopes(), tid=st.integers(min_value=1, max_value=99999))
def test_faz_near_valid_envelopes_give_a_task_or_a_typed_error(case, tid):
    view, envelope = case
    unwrapped = data_or_typed_error(faz._unwrap, envelope)  # pylint: disable=protected-access
    if unwrapped is not None:
        task = data_or_typed_error(faz_views.normalise_task, view, tid, *unwrapped)
        if task is not None:
            assert_faz_task(task, view)


def faz_client(bodies):
    return faz.FortiAnalyzerClient(FakeTransport(bodies), session_id=SESSION)


@EXAMPLES
@given(body=FAZ_JSON | faz_envelopes().map(lambda case: case[1]) | st.text(max_size=40),
       view=VIEWS, tid=st.integers(min_value=1, max_value=99999))
def test_faz_client_fetch_gives_a_task_or_a_typed_error(body, view, tid):
    # Any JSON value or text as the HTTP body: the client's own checks (not an object, not JSON) included.
    with faz_client([body]) as client:
        task = data_or_typed_error(client.fetch_view_result, view, "root", tid)
    if task is not None:
        assert_faz_task(task, view)


@EXAMPLES
@given(body=FAZ_JSON | faz_envelopes().map(lambda case: case[1]), view=VIEWS)
def test_faz_create_gives_a_positive_tid_or_a_typed_error(body, view):
    with faz_client([body]) as client:
        tid = data_or_typed_error(client.create_view_task, view, "root", {"start": "2026-01-01 00:00:00",
                                                                          "end": "2026-01-02 00:00:00"},
                                  [{"devname": "All_Device"}])
    assert tid is None or (isinstance(tid, int) and tid > 0)


@EXAMPLES
@given(status=status_objects() | FAZ_JSON, session=st.none() | st.text(max_size=40) | FAZ_JSON, extra=FAZ_JSON)
def test_faz_login_reply_gives_a_session_or_a_typed_error(status, session, extra):
    reply = {"id": 1, "result": [{"status": status, "url": "/sys/login/user"}], "session": session, "x": extra}
    client = faz.FortiAnalyzerClient(FakeTransport([reply]), username="admin", password="property-pass")
    try:
        client.login()
    except AsyncTasksError as err:
        assert isinstance(err.msg, str) and err.msg and client.logins == 0
    else:
        assert client.logins == 1 and isinstance(session, str) and session


# -- GravityZone -------------------------------------------------------------------------------

ENDPOINT_IDS = st.text(max_size=24) | GZ_JSON


def subtask_records():
    fields = {"endpointName": SCALARS, "endpointType": st.sampled_from([260, 262, 265, "262"]) | SCALARS,
              "startDate": SCALARS, "status": st.sampled_from([0, 1, 2, 3, "3", 9]) | SCALARS,
              "endDate": SCALARS, "errorCode": SCALARS, "errorMessage": SCALARS}
    return st.fixed_dictionaries({}, optional=dict(fields, endpointId=ENDPOINT_IDS)) | GZ_JSON


def task_results():
    """A near-valid getTaskStatus result: the documented keys with values of any JSON type."""
    return st.fixed_dictionaries({}, optional={
        "name": SCALARS, "startDate": SCALARS, "status": st.sampled_from([1, 2, 3, "3", 0, 7]) | SCALARS,
        "type": st.sampled_from([1, 7, 16, 99]) | SCALARS, "owner": GZ_JSON, "company": GZ_JSON,
        "hasMoreSubtasks": st.booleans() | SCALARS, "subtasks": st.lists(subtask_records(), max_size=4) | GZ_JSON,
        "totalTargetsCount": SCALARS})


@EXAMPLES
@given(result=task_results(), pages=st.lists(task_results(), max_size=2), version=st.sampled_from(gz_tasks.API_VERSIONS),
       complete=st.booleans())
def test_gz_normalise_task_gives_a_task_or_a_typed_error(result, pages, version, complete):
    task = data_or_typed_error(gz_tasks.normalise_task, TASK_ID, result, pages, version, complete)
    if task is not None:
        assert_gz_task(task, TASK_ID)


def gz_envelopes():
    error = st.fixed_dictionaries({}, optional={"code": st.sampled_from([-32602, -32601, -32001, -32002]) | SCALARS,
                                                "message": SCALARS, "data": GZ_JSON})
    return (st.fixed_dictionaries({"id": SCALARS, "jsonrpc": st.just("2.0"), "result": task_results() | GZ_JSON})
            | st.fixed_dictionaries({"id": SCALARS, "jsonrpc": st.just("2.0"), "error": error | GZ_JSON})
            | GZ_JSON | st.text(max_size=40))


def gz_client(bodies, status=200):
    return gz.GravityZoneClient(FakeTransport(bodies, status), GZ_KEY, rate_gate=NoGate())


@EXAMPLES
@given(bodies=st.lists(gz_envelopes(), min_size=1, max_size=4),
       status=st.sampled_from([200, 200, 200, 400, 401, 403, 404, 405, 500]),
       version=st.sampled_from(gz_tasks.API_VERSIONS), page=st.none() | st.integers(1, 3), filtered=st.booleans())
def test_gz_client_task_status_gives_a_task_or_a_typed_error(bodies, status, version, page, filtered):
    # The whole path a reply takes: HTTP status, envelope, error mapping, paging (at most 3 pages), normalising.
    filters = {"status": 3} if filtered else None
    with gz_client(bodies, status) as client:
        task = data_or_typed_error(client.task_status, TASK_ID, version, True, page, 100, filters, 3)
    if task is not None:
        assert_gz_task(task, TASK_ID)


@EXAMPLES
@given(result=GZ_JSON | st.sampled_from([True, False, TASK_ID, [TASK_ID], [TASK_ID, 5], "not-an-id", []]),
       error=st.booleans())
def test_gz_create_scan_gives_task_ids_or_a_typed_error(result, error):
    body = {"id": "1", "jsonrpc": "2.0", ("error" if error else "result"): result}
    with gz_client([body]) as client:
        task_ids = data_or_typed_error(client.create_scan_task, [TASK_ID], "quick", name="property")
    assert task_ids is None or (isinstance(task_ids, list) and all(isinstance(item, str) for item in task_ids))


# -- the HTTP body ---------------------------------------------------------------------------

@EXAMPLES
@given(text=st.text(max_size=200) | FAZ_JSON.map(json.dumps) | GZ_JSON.map(lambda value: json.dumps(value)[:-1]))
def test_reply_body_of_any_text_parses_or_is_not_json(text):
    reply = HttpReply(200, {}, text)
    assert reply.json is None or json.dumps(reply.json, allow_nan=True)


# -- the crashes these properties found, as explicit examples --------------------------------

@pytest.mark.parametrize("envelope", [
    {"jsonrpc": "2.0", "id": 1, "error": {"code": 1e999, "message": "x"}},
    {"id": 1, "result": [{"status": {"code": 1e999, "message": "x"}}]},
], ids=["real-error", "seed-status"])
def test_faz_infinite_status_code_is_a_typed_error(envelope):
    # 1e999 is valid JSON; Python parses it as inf, and int(inf) raises OverflowError.
    assert data_or_typed_error(faz._unwrap, json.loads(json.dumps(envelope))) is None  # pylint: disable=protected-access


def test_gz_infinite_status_is_a_typed_error():
    # Under the reply model (replies.field) a status that is no whole number is malformed, not "unknown".
    result = json.loads('{"name": "Quick Scan", "status": 1e999, "type": 1}')
    assert data_or_typed_error(gz_tasks.normalise_task, TASK_ID, result, [], "1.0", False) is None


def test_gz_unhashable_endpoint_id_is_a_typed_error():
    twins = [{"endpointId": ["a"], "status": 3}, {"endpointId": ["a"], "status": 3}]
    page = {"status": 3, "hasMoreSubtasks": False, "subtasks": twins}
    assert data_or_typed_error(gz_tasks.normalise_task, TASK_ID, page, [page], "1.1", True) is None


def test_faz_login_session_that_is_a_list_is_a_typed_error():
    reply = {"id": 1, "result": [{"status": {"code": 0, "message": "OK"}}], "session": ["not", "a", "string"]}
    client = faz.FortiAnalyzerClient(FakeTransport([reply]), username="admin", password="property-pass")
    assert data_or_typed_error(client.login) is None and client.logins == 0


def test_deeply_nested_reply_is_not_json():
    reply = HttpReply(200, {}, "[" * 100000 + "]" * 100000)
    assert reply.json is None
