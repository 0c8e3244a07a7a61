"""The FortiAnalyzer simulator over real HTTPS: seeds, sessions, API key, tasks, both shapes."""

import ipaddress
import json
import threading
import time

import pytest

FAZ_API_KEY = "simfazkey0123456789abcdefghijk"
SEEDS = (
    ("faz_top_sources_12450.request.json", "faz_top_sources_12450.response.json"),
    ("faz_top_applications_12455.request.json", "faz_top_applications_12455.response.json"),
)
VIEW_ROWS = {
    "top-sources": "sources", "top-destinations": "destinations", "top-applications": "applications",
    "top-websites": "websites", "top-threats": "threats", "top-cloud-applications": "cloud_applications",
    "top-countries": "countries", "site-to-site-ipsec": "tunnels", "policy-hits": "policies",
    "policy-line": "timeline",
}


def status_of(answer):
    """(code, message) of a legacy-shape answer."""
    status = answer["result"][0]["status"]
    return status["code"], status["message"]


# -- the seed documents ------------------------------------------------------------------------

@pytest.mark.parametrize("request_name, response_name", SEEDS)
def test_seed_request_with_session_answers_the_seed_response(client, request_name, response_name):
    body = client.seed_request(request_name, session=client.session())
    response = client.faz(body)
    expected = client.fixture(response_name)
    assert response.status_code == 200
    answer = response.json()
    assert list(answer) == ["id", "result"]
    assert answer["id"] == 1
    # byte-equivalent: same keys, values, types and order
    assert json.dumps(answer["result"]) == json.dumps(expected["result"])


@pytest.mark.parametrize("request_name, response_name", SEEDS)
def test_seed_request_with_api_key_answers_the_seed_response(client, request_name, response_name):
    body = client.seed_request(request_name)
    response = client.faz(body, headers={"Authorization": "Bearer " + FAZ_API_KEY})
    assert json.dumps(response.json()["result"]) == json.dumps(client.fixture(response_name)["result"])


def test_seed_request_without_id_answers_without_id(client):
    body = client.seed_request(SEEDS[0][0], session=client.session())
    del body["id"]
    answer = client.faz(body).json()
    assert json.dumps(answer) == json.dumps(client.fixture(SEEDS[0][1]))


def test_jsonrpc_member_is_echoed_when_sent(client):
    body = client.seed_request(SEEDS[0][0], session=client.session())
    body["jsonrpc"] = "2.0"
    answer = client.faz(body).json()
    assert list(answer) == ["jsonrpc", "id", "result"]


@pytest.mark.parametrize("view, tid, percentage", [("top-sources", 12451, 65), ("top-applications", 12456, 72)])
def test_seed_running_tasks_stay_running(client, view, tid, percentage):
    answer = client.fortiview("get", view, tid=tid)
    assert answer["result"] == [{"data": {"tid": tid, "status": "running", "percentage": percentage},
                                 "status": {"code": 0, "message": "OK"}}]


def test_unknown_task_answers_the_seed_error(client):
    answer = client.fortiview("get", "top-sources", tid=99999)
    assert json.dumps(answer["result"]) == json.dumps(client.fixture("faz_invalid_task.response.json")["result"])


@pytest.mark.parametrize("view, adom", [("top-applications", "root"), ("top-sources", "other")])
def test_task_asked_for_with_wrong_view_or_adom_is_unknown(client, view, adom):
    assert status_of(client.fortiview("get", view, tid=12450, adom=adom)) == (-3, "Invalid task ID")


# -- sessions ----------------------------------------------------------------------------------

def test_login_answers_a_random_session_and_counts(client, sim):
    first, second = client.login(), client.login()
    assert list(first) == ["id", "result", "session"]
    assert first["result"] == [{"status": {"code": 0, "message": "OK"}, "url": "/sys/login/user"}]
    assert first["session"] != second["session"] and len(first["session"]) == 44
    counters = sim.counters()["faz"]
    assert (counters["logins"], counters["open_sessions"]) == (2, 2)


@pytest.mark.parametrize("user, password", [("admin", "wrong"), ("nobody", "sim-admin-pass"), ("admin", None)])
def test_bad_login_fails_without_session(client, sim, user, password):
    answer = client.login(user, password)
    assert status_of(answer) == (-22, "Login fail")
    assert "session" not in answer
    assert sim.counters()["faz"]["login_failures"] == 1


def test_logout_ends_the_session(client, sim):
    session = client.session()
    answer = client.faz_call("exec", "/sys/logout", session=session)
    assert answer["result"] == [{"status": {"code": 0, "message": "OK"}, "url": "/sys/logout"}]
    assert status_of(client.fortiview("get", "top-sources", session=session, tid=12450))[0] == -11
    counters = sim.counters()["faz"]
    assert (counters["logouts"], counters["open_sessions"]) == (1, 0)


def test_login_and_logout_without_leading_slash_as_fortinets_httpapi_plugin_sends_them(client, sim):
    """fortinet.fortianalyzer's HttpApi plugin sends "sys/login/user" and "sys/logout", with "verbose"."""
    login = client.faz({"method": "exec", "id": 1, "session": None, "verbose": 1, "params": [
        {"url": "sys/login/user", "data": {"user": "admin", "passwd": "sim-admin-pass"}}]}).json()
    assert login["result"] == [{"status": {"code": 0, "message": "OK"}, "url": "/sys/login/user"}]
    session = login["session"]
    assert status_of(client.fortiview("get", "top-sources", session=session, tid=12450)) == (0, "OK")
    wrong = client.faz({"method": "exec", "id": 2, "params": [
        {"url": "sys/login/user", "data": {"user": "admin", "passwd": "wrong"}}]}).json()
    assert status_of(wrong) == (-22, "Login fail") and "session" not in wrong
    answer = client.faz_call("exec", "sys/logout", session=session)
    assert answer["result"] == [{"status": {"code": 0, "message": "OK"}, "url": "/sys/logout"}]
    assert status_of(client.fortiview("get", "top-sources", session=session, tid=12450))[0] == -11
    counters = sim.counters()["faz"]
    assert (counters["logins"], counters["login_failures"], counters["logouts"], counters["open_sessions"]) == \
        (1, 1, 1, 0)


def test_other_urls_without_leading_slash_stay_invalid(client):
    session = client.session()
    assert status_of(client.faz_call("get", "fortiview/adom/root/top-sources/run/12450", session=session))[0] == -6


def test_session_cap_refuses_one_login_too_many(client, sim):
    sim.configure(faz_session_cap=2)
    first = client.session()
    client.session()
    assert status_of(client.login()) == (-20, "Maximum number of admin sessions reached")
    client.faz_call("exec", "/sys/logout", session=first)
    assert status_of(client.login())[0] == 0
    assert client.session("viewer", "sim-viewer-pass")  # the cap is per admin
    status_of(client.login("admin", "wrong"))
    counters = sim.counters()["faz"]
    # a refusal for the cap is counted apart from wrong passwords; the peak is per admin
    assert (counters["cap_refusals"], counters["login_failures"], counters["peak_sessions"]) == (1, 2, 2)


def test_idle_session_expires(client, sim):
    sim.configure(faz_session_idle=0.5)
    session = client.session()
    assert status_of(client.fortiview("get", "top-sources", session=session, tid=12450))[0] == 0
    time.sleep(0.6)
    assert status_of(client.fortiview("get", "top-sources", session=session, tid=12450)) == (
        -11, "No permission for the resource")
    assert sim.counters()["faz"]["open_sessions"] == 0


def test_expire_sessions_makes_every_session_answer_minus_11(client, sim):
    session = client.session()
    sim.faz_expire_sessions()
    assert status_of(client.fortiview("get", "top-sources", session=session, tid=12450))[0] == -11


def test_viewer_logs_in_but_fortiview_answers_minus_11(client):
    session = client.session("viewer", "sim-viewer-pass")
    assert status_of(client.fortiview("get", "top-sources", session=session, tid=12450))[0] == -11


@pytest.mark.parametrize("headers, session", [
    ({"Authorization": "Bearer " + FAZ_API_KEY}, "some-session"),  # key plus session
    ({"Authorization": "Bearer wrong-key"}, None),
    ({}, None),  # nothing
    ({}, "no-such-session"),
    ({"Authorization": "Basic c2ltOmtleQ=="}, None),
])
def test_bad_authentication_answers_minus_11(client, headers, session):
    body = {"method": "get", "params": [{"url": "/fortiview/adom/root/top-sources/run/12450"}], "id": 3}
    if session is not None:
        body["session"] = session
    answer = client.faz(body, headers=headers).json()
    assert answer == {"id": 3, "result": [{"status": {"code": -11, "message": "No permission for the resource"}}]}


def test_access_token_query_is_not_accepted(client, sim):
    body = {"method": "get", "params": [{"url": "/fortiview/adom/root/top-sources/run/12450"}], "id": 3}
    response = client.http.post(sim.faz_url + "/jsonrpc?access_token=" + FAZ_API_KEY, json=body, timeout=10)
    assert status_of(response.json())[0] == -11


# -- tasks -------------------------------------------------------------------------------------

def test_task_runs_then_is_done_with_rows(client, sim):
    sim.configure(faz_task_duration=0.8)
    session = client.session()
    created = client.fortiview("add", "top-sources", session=session, **{
        "time-range": {"start": "2025-12-16 00:00:00", "end": "2025-12-16 23:59:59"},
        "device": [{"devname": "All_Device"}], "filter": "srcip==10.0.1.5", "limit": 5,
        "sort-by": [{"field": "bandwidth", "order": "desc"}]})
    assert created == {"id": 1, "result": [{"data": {"tid": 13000}, "status": {"code": 0, "message": "OK"}}]}
    running = client.fortiview("get", "top-sources", session=session, tid=13000)["result"][0]["data"]
    assert running["status"] == "running" and 0 <= running["percentage"] < 100
    assert set(running) == {"tid", "status", "percentage"}
    done = client.eventually(
        lambda: client.fortiview("get", "top-sources", session=session, tid=13000)["result"][0]["data"],
        lambda data: data["status"] != "running")
    assert list(done) == ["tid", "status", "percentage", "total", "sources"]
    assert (done["status"], done["percentage"], done["total"], len(done["sources"])) == ("done", 100, 5, 5)
    row = done["sources"][0]
    assert list(row) == ["srcip", "hostname", "sessions", "bytes", "bandwidth", "country"]
    assert ipaddress.ip_address(row["srcip"]).is_private
    assert [r["bandwidth"] for r in done["sources"]] == sorted((r["bandwidth"] for r in done["sources"]), reverse=True)


def test_tasks_created_counts_add_calls_only(client, sim):
    sim.faz_create_task()  # a control-API task is not an `add`
    client.fortiview("add", "top-sources")
    client.fortiview("add", "top-threats", limit=0)  # refused: nothing created
    client.fortiview("get", "top-sources", tid=12450)
    assert sim.counters()["faz"]["tasks_created"] == 1 and sim.faz_tasks_created() == 1
    sim.reset()
    assert sim.faz_tasks_created() == 0


def test_generated_rows_are_deterministic_per_tid(client, sim):
    first = sim.faz_create_task(view="top-applications", status="done")
    rows = client.fortiview("get", "top-applications", tid=first)["result"][0]["data"]["applications"]
    sim.reset()
    again = sim.faz_create_task(view="top-applications", status="done")
    assert again == first == 13000
    assert client.fortiview("get", "top-applications", tid=again)["result"][0]["data"]["applications"] == rows
    assert len(rows) == 10 and all(row["policyid"] > 0 for row in rows)


@pytest.mark.parametrize("view", sorted(VIEW_ROWS))
def test_every_view_answers_rows_in_both_shapes(client, sim, view):
    tid = sim.faz_create_task(view=view, rows=4, status="done")
    data = client.fortiview("get", view, tid=tid)["result"][0]["data"]
    assert data["total"] == 4 and len(data[VIEW_ROWS[view]]) == 4
    sim.configure(faz_shape="real")
    result = client.fortiview("get", view, tid=tid)["result"]
    assert result["percentage"] == "100" and len(result["data"]) == 4


@pytest.mark.parametrize("view", sorted(VIEW_ROWS))
def test_many_rows_keep_their_types_and_unique_keys(client, sim, view):
    tid = sim.faz_create_task(view=view, rows=50, status="done")
    rows = client.fortiview("get", view, tid=tid)["result"][0]["data"][VIEW_ROWS[view]]
    assert len(rows) == 50
    for field, value in rows[0].items():
        assert all(type(row[field]) is type(value) for row in rows), field
    key = next(iter(rows[0]))  # srcip, app, policyid, timestamp, ...
    assert len({row[key] for row in rows}) == 50


def test_done_task_expires_after_its_ttl(client, sim):
    sim.configure(faz_task_ttl=0.5)
    tid = sim.faz_create_task(status="done")
    assert client.fortiview("get", "top-sources", tid=tid)["result"][0]["data"]["status"] == "done"
    time.sleep(0.6)
    assert status_of(client.fortiview("get", "top-sources", tid=tid)) == (-3, "Invalid task ID")
    assert status_of(client.fortiview("get", "top-sources", tid=12450))[0] == 0  # seeds never expire


def test_delete_cancels_a_task(client, sim):
    tid = sim.faz_create_task(duration=60)
    assert status_of(client.fortiview("delete", "top-sources", tid=tid)) == (0, "OK")
    assert status_of(client.fortiview("get", "top-sources", tid=tid))[0] == -3


def test_control_tasks_can_stay_running_or_fail(client, sim):
    stuck = sim.faz_create_task(status="running", percentage=30)
    failed = sim.faz_create_task(status="error", duration=0)
    given = sim.faz_create_task(view="top-countries", rows=[{"country": "Germany", "bytes": 5}], status="done")
    assert client.fortiview("get", "top-sources", tid=stuck)["result"][0]["data"]["percentage"] == 30
    assert client.fortiview("get", "top-sources", tid=failed)["result"][0]["data"]["status"] == "error"
    rows = client.fortiview("get", "top-countries", tid=given)["result"][0]["data"]["countries"]
    assert rows == [{"country": "Germany", "sessions": 0, "bytes": 5, "bandwidth": 0}]


@pytest.mark.parametrize("view, expression", [
    ("top-sources", "dstip==1.2.3.4"), ("top-destinations", "srcip==10.0.0.1"),
    ("policy-hits", "srcip==10.0.0.1"), ("top-countries", "country==France"), ("top-threats", "srcip==10.0.0.1"),
    ("top-sources", "srcip==10.0.0.1 and dstport==443"),
])
def test_filter_on_a_field_the_view_refuses(client, sim, view, expression):
    field = expression.split(" and ")[-1].split("==")[0]
    message = "Invalid params: filter '%s' not supported" % field
    assert status_of(client.fortiview("add", view, filter=expression)) == (-8, message)
    sim.configure(faz_shape="real")
    assert client.fortiview("add", view, filter=expression)["error"] == {"code": -8, "message": message}


@pytest.mark.parametrize("view, expression", [
    ("top-sources", "srcip==10.0.0.1"), ("top-destinations", "dstip!=192.0.2.1"), ("policy-hits", "policyid==46"),
    ("top-countries", "dstcountry==France"), ("top-threats", "threat~Eicar"), ("top-applications", "app==YouTube"),
])
def test_filter_on_an_accepted_field(client, view, expression):
    assert status_of(client.fortiview("add", view, filter=expression))[0] == 0


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": "10"}, {"time-range": "today"}, {"sort-by": "bytes"},
                                    {"sort-by": [1]}, {"filter": 5}, {"device": "All"}, {"limit": 10001}])
def test_invalid_run_params(client, params):
    assert status_of(client.fortiview("add", "top-sources", **params))[0] == -8


@pytest.mark.parametrize("sort_by", [[{"field": ["x"]}], [{"field": {"a": 1}}], [{"field": "nothing"}], []])
def test_odd_sort_by_keeps_the_default_order(client, sort_by):
    assert status_of(client.fortiview("add", "top-sources", **{"sort-by": sort_by}))[0] == 0


def test_unknown_view_is_an_invalid_url(client, sim):
    assert status_of(client.fortiview("add", "top-nothing")) == (-6, "Invalid url")
    sim.configure(faz_shape="real")
    assert client.fortiview("add", "top-nothing")["error"] == {"code": -6, "message": "Cannot find FortiView 'top-nothing'"}


def test_unknown_url_is_an_invalid_url(client):
    answer = client.faz_call("get", "/cli/global/system/status", bearer=FAZ_API_KEY)
    assert answer["result"] == [{"status": {"code": -6, "message": "Invalid url"}, "url": "/cli/global/system/status"}]


# -- the real apiver-3 shape -------------------------------------------------------------------

def test_real_shape_task_lifecycle(client, sim):
    sim.configure(faz_shape="real", faz_task_duration=0.6)
    created = client.fortiview("add", "top-applications", limit=3)
    assert created == {"jsonrpc": "2.0", "id": 1, "result": {"tid": 13000}}
    running = client.fortiview("get", "top-applications", tid=13000)["result"]
    assert running["status"] == "running" and isinstance(running["percentage"], str)
    assert "data" not in running
    done = client.eventually(lambda: client.fortiview("get", "top-applications", tid=13000),
                             lambda answer: answer["result"]["status"] != "running")
    assert list(done) == ["jsonrpc", "id", "result"]
    assert list(done["result"]) == ["tid", "status", "percentage", "data"]
    assert done["result"]["percentage"] == "100"
    assert list(done["result"]["data"][0]) == ["app_group", "appcat", "bandwidth", "sessions", "policyid"]


def test_real_shape_seed_task_uses_real_field_names(client, sim):
    sim.configure(faz_shape="real")
    result = client.fortiview("get", "top-sources", tid=12450)["result"]
    assert result["data"][0] == {"srcip": "10.0.1.150", "srcip_hostname": "LAPTOP-USER01", "bandwidth": 2147483648,
                                 "sessions": 4523, "threatweight": 0}


def test_real_shape_errors(client, sim):
    sim.configure(faz_shape="real")
    assert client.fortiview("get", "top-sources", tid=4242) == {
        "jsonrpc": "2.0", "id": 1, "error": {"code": -3, "message": "Invalid tid 4242 for fetching result."}}
    assert client.fortiview("get", "top-sources", tid=12450, bearer="bad")["error"]["code"] == -11
    assert status_of(client.login("admin", "bad"))[0] == -22  # /sys calls keep the legacy shape


# -- bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize("body, code", [
    (b"{not json", -32700), (b"\xff\xfe", -32700), (b"[1, 2]", -32600), (b"{}", -32600),
    (b'{"method": "get", "id": 7}', -32600), (b'{"method": "get", "params": [], "id": 7}', -32600),
    (b'{"method": "get", "params": [{"apiver": 3}], "id": 7}', -32600),
    (b'{"method": "frobnicate", "params": [{"url": "/sys/status"}], "id": 7}', -32601),
])
def test_bad_requests_get_json_rpc_errors_not_500(client, body, code):
    response = client.faz(body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    answer = response.json()
    assert status_of(answer)[0] == code
    if b'"id": 7' in body:
        assert answer["id"] == 7


def test_log_and_counters_hold_no_secrets(client, sim):
    session = client.session()
    client.login("admin", "wrong")
    client.fortiview("get", "top-sources", session=session, tid=12450)
    client.fortiview("get", "top-sources", tid=12450)
    log = sim.log("faz")
    assert [(entry["method"], entry["auth"], entry["code"]) for entry in log] == [
        ("exec", "none", 0), ("exec", "none", -22), ("get", "session", 0), ("get", "bearer", 0)]
    assert log[2]["url"] == "/fortiview/adom/root/top-sources/run/12450"
    text = json.dumps([log, sim.counters()])
    for secret in (session, "sim-admin-pass", "wrong", FAZ_API_KEY):
        assert secret not in text
    assert sim.counters()["faz"]["by_method"] == {"exec": 2, "get": 2}
    assert sim.counters()["faz"]["requests"] == 4


def test_parallel_clients_keep_counters_consistent(sim, new_client):
    def worker():
        http_client = new_client()
        for attempt in range(10):
            session = http_client.session()
            http_client.faz_call("exec", "/sys/logout", session=session)

    threads = [threading.Thread(target=worker) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    counters = sim.counters()["faz"]
    assert (counters["requests"], counters["logins"], counters["logouts"], counters["open_sessions"]) == (120, 60, 60, 0)


def _rows_of_added_task(client, sim, **params):
    sim.configure(faz_task_duration=0)
    tid = client.fortiview("add", "top-sources", **params)["result"][0]["data"]["tid"]
    return client.fortiview("get", "top-sources", tid=tid)["result"][0]["data"]["sources"]


def test_added_tasks_of_one_query_rank_the_same_traffic(client, sim):
    period = {"time-range": {"start": "2026-11-20 08:00:00", "end": "2026-11-20 20:00:00"}}
    by_bytes = _rows_of_added_task(client, sim, limit=60, **period)
    by_sessions = _rows_of_added_task(client, sim, limit=60, **{"sort-by": [{"field": "sessions"}]}, **period)
    top_by_sessions = _rows_of_added_task(client, sim, limit=5, **{"sort-by": [{"field": "sessions"}]}, **period)

    # One population per query, as an appliance ranks the same logs: only the order differs.
    assert sorted(map(repr, by_bytes)) == sorted(map(repr, by_sessions))
    assert [row["sessions"] for row in by_sessions] == sorted((row["sessions"] for row in by_bytes), reverse=True)
    assert top_by_sessions == by_sessions[:5]
    other_period = {"time-range": {"start": "2026-11-21 08:00:00", "end": "2026-11-21 20:00:00"}}
    assert _rows_of_added_task(client, sim, limit=60, **other_period) != by_bytes


# -- ADOMs ---------------------------------------------------------------------------------------

def test_known_adom_is_read_and_an_unknown_one_does_not_exist(client, sim):
    root = client.faz_call("get", "/dvmdb/adom/root", bearer=FAZ_API_KEY)
    assert status_of(root) == (0, "OK")
    assert root["result"][0]["data"]["name"] == "root"
    assert status_of(client.faz_call("get", "/dvmdb/adom/nowhere", bearer=FAZ_API_KEY)) == (-3, "Object does not exist")
    sim.faz_create_task(view="top-sources", adom="branch")
    assert status_of(client.faz_call("get", "/dvmdb/adom/branch", bearer=FAZ_API_KEY)) == (0, "OK")


def test_adom_read_needs_authentication(client):
    assert status_of(client.faz_call("get", "/dvmdb/adom/root"))[0] == -11
