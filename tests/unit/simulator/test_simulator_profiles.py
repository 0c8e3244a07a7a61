"""Firmware profiles over real HTTPS: what each kind of FortiAnalyzer (and an older GravityZone) answers."""

import pytest

FAZ_API_KEY = "simfazkey0123456789abcdefghijk"
GZ_TARGET = "5ba8e0dbb1a43d0f2b7b23c1"
PERIOD = {"start": "2025-01-01 00:00:00", "end": "2025-01-02 00:00:00"}
FIRMWARE = ("7.4", "7.6", "8.0", "old")


def created_tid(answer):
    """The tid of a FortiView `add` answer, wherever the profile put it."""
    result = answer["result"]
    if isinstance(result, list):
        item = result[0]
        return item["data"]["tid"] if "data" in item else item["tid"]
    return result["data"]["tid"] if "data" in result else result["tid"]


def run(client, view="top-sources", **params):
    params.setdefault("time-range", PERIOD)
    params.setdefault("device", [{"devname": "All_Device"}])
    return client.fortiview("add", view, **params)


def fetch_done(client, view, tid):
    """The answer once the task is done (the profile decides how 'done' looks)."""
    def done(answer):
        result = answer.get("result")
        if isinstance(result, list):
            return result[0].get("data", {}).get("status") != "running"
        return result is not None and str(result.get("percentage")) == "100"
    return client.eventually(lambda: client.fortiview("get", view, tid=tid), done)


@pytest.fixture
def profile(sim, request):
    sim.configure(faz_profile=request.param, faz_task_duration=0.3)
    return request.param


# -- where a created task's id sits ------------------------------------------------------------

@pytest.mark.parametrize("profile, where", [
    ("seed", "result[0].data.tid"), ("old", "result[0].tid"), ("7.4", "result.tid"),
    ("7.6", "result.data.tid"), ("8.0", "result.tid")], indirect=["profile"])
def test_created_tid_placement(client, sim, profile, where):
    answer = run(client)
    result = answer["result"]
    tid = {"result[0].data.tid": lambda: result[0]["data"]["tid"], "result[0].tid": lambda: result[0]["tid"],
           "result.tid": lambda: result["tid"], "result.data.tid": lambda: result["data"]["tid"]}[where]()
    assert tid == 13000
    if isinstance(result, dict):
        assert result["status"] == {"code": 0, "message": "succeeded"}
    else:
        assert result[0]["status"]["code"] == 0


# -- progress and rows -------------------------------------------------------------------------

@pytest.mark.parametrize("profile", ["7.4"], indirect=True)
def test_74_running_answer_has_partial_rows_and_string_numbers(client, sim, profile):
    tid = sim.faz_create_task(status="running", percentage=40, rows=10)
    result = client.fortiview("get", "top-sources", tid=tid)["result"]
    assert result["status"] == {"code": 0, "message": "succeeded"} and result["percentage"] == "40"
    assert 1 <= len(result["data"]) < 10
    assert all(isinstance(row["sessions"], str) and row["sessions"].isdigit() for row in result["data"])


@pytest.mark.parametrize("profile", ["7.6", "8.0"], indirect=True)
def test_76_80_running_answer_has_no_rows(client, sim, profile):
    tid = sim.faz_create_task(status="running", percentage=40)
    result = client.fortiview("get", "top-sources", tid=tid)["result"]
    assert "data" not in result and str(result["percentage"]) == "40"
    assert isinstance(result["percentage"], str if profile == "8.0" else int)


@pytest.mark.parametrize("profile", ["old"], indirect=True)
def test_old_build_sends_no_percentage(client, sim, profile):
    running = sim.faz_create_task(status="running", percentage=40)
    item = client.fortiview("get", "top-sources", tid=running)["result"][0]
    assert item == {"status": {"code": 0, "message": "OK"}, "data": {"tid": running, "status": "running"}}
    tid = created_tid(run(client))
    item = fetch_done(client, "top-sources", tid)["result"][0]
    assert item["status"]["code"] == 0 and "percentage" not in item["data"] and "status" not in item["data"]
    assert len(item["data"]["sources"]) == 10 and item["data"]["total"] == 10


@pytest.mark.parametrize("profile", ["7.4", "7.6", "8.0"], indirect=True)
def test_real_row_field_names(client, sim, profile):
    sources = fetch_done(client, "top-sources", created_tid(run(client, limit=40)))["result"]["data"]
    assert set(sources[0]) == {"srcip", "srcip_hostname", "bandwidth", "sessions", "threatweight"}
    unresolved = [row for row in sources if row["srcip_hostname"] == row["srcip"]]
    assert unresolved and len(unresolved) < len(sources)  # some names do not resolve: the IP is repeated
    apps = fetch_done(client, "top-applications", created_tid(run(client, view="top-applications")))["result"]["data"]
    assert {"app_group", "traffic_in", "traffic_out"} <= set(apps[0]) and "app" not in apps[0]
    for row in apps:
        assert int(row["traffic_in"]) + int(row["traffic_out"]) == int(row["bandwidth"])
    strings = profile == "7.4"
    assert all(isinstance(row["bandwidth"], str) == strings for row in sources + apps)


# -- errors --------------------------------------------------------------------------------------

@pytest.mark.parametrize("profile", ["7.4", "7.6", "8.0", "old"], indirect=True)
def test_failed_task_is_a_non_zero_status_beside_data(client, sim, profile):
    tid = sim.faz_create_task(status="error", duration=0)
    answer = client.fortiview("get", "top-sources", tid=tid)
    if profile == "old":
        item = answer["result"][0]
        assert item["status"]["code"] == -1 and item["data"] == {"tid": tid, "sources": []}
    else:
        result = answer["result"]
        assert result["status"]["code"] == -1 and result["data"] == [] and str(result["percentage"]) == "100"


@pytest.mark.parametrize("profile", ["7.4"], indirect=True)
def test_74_errors_sit_inside_the_result_object(client, sim, profile):
    answer = client.fortiview("get", "top-sources", tid=99999)
    assert "error" not in answer
    assert answer["result"] == {"status": {"code": -3, "message": "Invalid tid 99999 for fetching result."},
                                "percentage": "100", "data": []}


@pytest.mark.parametrize("profile", ["7.6", "8.0"], indirect=True)
def test_76_80_errors_are_a_top_level_error(client, sim, profile):
    answer = client.fortiview("get", "top-sources", tid=99999)
    assert answer["error"] == {"code": -3, "message": "Invalid tid 99999 for fetching result."}


@pytest.mark.parametrize("profile", FIRMWARE, indirect=True)
@pytest.mark.parametrize("other", [{"view": "top-destinations"}, {"adom": "branch"}])
def test_tid_of_another_view_or_adom_answers_minus_10(client, sim, profile, other):
    tid = sim.faz_create_task(view="top-sources", status="done")
    answer = client.fortiview("get", other.get("view", "top-sources"), tid=tid, adom=other.get("adom", "root"))
    assert _code(answer) == -10
    assert "The data is invalid for selected url" in str(answer)
    assert sim.log("faz")[-1]["code"] == -10


@pytest.mark.parametrize("profile", ["seed"], indirect=True)
def test_seed_profile_keeps_minus_3_for_another_view(client, sim, profile):
    tid = sim.faz_create_task(view="top-sources", status="done")
    assert _code(client.fortiview("get", "top-destinations", tid=tid)) == -3


def _code(answer):
    if "error" in answer:
        return answer["error"]["code"]
    result = answer["result"]
    return result[0]["status"]["code"] if isinstance(result, list) else result["status"]["code"]


@pytest.mark.parametrize("profile", ["seed"] + list(FIRMWARE), indirect=True)
def test_login_of_an_admin_without_rpc_permit_answers_minus_11(client, sim, profile):
    answer = client.login("norpc", "sim-norpc-pass")
    assert answer["result"][0]["status"] == {"code": -11, "message": "No permission for the resource"}
    assert "session" not in answer
    counters = sim.counters()["faz"]
    assert counters["login_failures"] == 1 and counters["logins"] == 0 and counters["open_sessions"] == 0


# -- devices and time ranges ---------------------------------------------------------------------

@pytest.mark.parametrize("profile, rows", [("seed", 10), ("7.4", 10), ("7.6", 0), ("8.0", 0), ("old", 10)],
                         indirect=["profile"])
def test_all_fortigate_per_firmware(client, sim, profile, rows):
    tid = created_tid(run(client, device=[{"devid": "All_FortiGate"}]))
    answer = fetch_done(client, "top-sources", tid)
    result = answer["result"]
    data = result[0]["data"]["sources"] if isinstance(result, list) else result["data"]
    assert len(data) == rows
    all_device = fetch_done(client, "top-sources", created_tid(run(client)))["result"]
    assert len(all_device[0]["data"]["sources"] if isinstance(all_device, list) else all_device["data"]) == 10


@pytest.mark.parametrize("profile", FIRMWARE, indirect=True)
@pytest.mark.parametrize("start, end", [
    ("2025-01-01T00:00:00", "2025-01-02T00:00:00"), ("2025-01-01 00:00", "2025-01-01 12:30"),
    ("2025-01-01T08:15", "2025-01-01 09:00:59")])
def test_time_forms_the_appliance_reads(client, sim, profile, start, end):
    answer = run(client, **{"time-range": {"start": start, "end": end}})
    assert created_tid(answer) == 13000
    entry = sim.log("faz")[-1]
    assert entry["time_range"] == {"start": start, "end": end}
    assert entry["device"] == [{"devname": "All_Device"}]


@pytest.mark.parametrize("profile", FIRMWARE, indirect=True)
@pytest.mark.parametrize("start, end, problem", [
    ("2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z", "time-range 'start'"),
    ("2025-01-01T00:00:00+01:00", "2025-01-02 00:00:00", "time-range 'start'"),
    ("2025-01-01 00:00:00", "01/02/2025", "time-range 'end'"),
    ("2025-01-02 00:00:00", "2025-01-01 00:00:00", "'start' is after 'end'")])
def test_time_forms_the_appliance_refuses(client, sim, profile, start, end, problem):
    answer = run(client, **{"time-range": {"start": start, "end": end}})
    assert _code(answer) == -8 and problem in str(answer)
    assert sim.faz_tasks_created() == 0


@pytest.mark.parametrize("profile", ["seed"], indirect=True)
def test_seed_profile_does_not_check_time_text(client, sim, profile):
    assert created_tid(run(client, **{"time-range": {"start": "whenever", "end": "later"}})) == 13000


def test_profiles_are_settings_and_reset_restores_them(client, sim):
    assert sim.settings()["faz_profile"] == "seed" and sim.settings()["gz_profile"] == "current"
    assert client.control("POST", "config", {"faz_profile": "9.9"}).status_code == 400
    assert client.control("POST", "config", {"faz_profile": "7.6", "gz_profile": "legacy"}).status_code == 200
    sim.reset()
    assert (sim.settings()["faz_profile"], sim.settings()["gz_profile"]) == ("seed", "current")


# -- GravityZone consoles ------------------------------------------------------------------------

@pytest.mark.parametrize("gz_profile, answer", [("current", list), ("legacy", bool)])
def test_create_scan_task_answer_per_console(client, sim, gz_profile, answer):
    sim.configure(gz_profile=gz_profile)
    body = {"jsonrpc": "2.0", "method": "createScanTask", "id": 1,
            "params": {"targetIds": [GZ_TARGET], "type": 1, "name": "nightly", "returnAllTaskIds": True}}
    result = client.gz(body, version="1.0").json()["result"]
    assert isinstance(result, answer)
    assert result is True or len(result) == 1
    assert sim.gz_scan_tasks_created() == 1
    listed = client.gz({"jsonrpc": "2.0", "method": "getScanTasksList", "id": 2, "params": {"name": "nightly"}},
                       version="1.0").json()["result"]
    assert [item["name"] for item in listed["items"]] == ["nightly"]


# -- issue 17: still running, refused keys, -20 readings, late pages, empty progress ----------------------

LOGS = "/logview/adom/root/logsearch/"


def status_of(answer):
    """The status object of an answer in any shape: list item, apiver-3 object, or top-level error."""
    if "error" in answer:
        return answer["error"]
    result = answer["result"]
    return result[0]["status"] if isinstance(result, list) else result["status"]


@pytest.mark.parametrize("profile", ["7.2"], indirect=True)
def test_72_running_reads_answer_status_code_1(client, sim, profile):
    tid = sim.faz_create_task(status="running", percentage=40, rows=5)
    answer = client.fortiview("get", "top-sources", tid=tid)
    assert answer["result"][0]["status"] == {"code": 1, "message": "in progress"}
    assert answer["result"][0]["data"]["percentage"] == 40
    search = sim.faz_create_logsearch(rows=10, percentage=30)
    count = client.faz_call("get", LOGS + "count/%d" % search, bearer=FAZ_API_KEY)
    assert status_of(count)["code"] == 1 and count["result"][0]["data"]["progress-percent"] == 30
    done = sim.faz_create_logsearch(rows=10, duration=0)
    assert status_of(client.faz_call("get", LOGS + "count/%d" % done, bearer=FAZ_API_KEY))["code"] == 0


@pytest.mark.parametrize("profile, code", [("seed", -11), ("old", -11), ("7.2", -22), ("7.4", -22), ("7.6", -22),
                                           ("7.6.7", -22), ("8.0", -22)], indirect=["profile"])
def test_a_wrong_api_key_per_firmware_on_any_url(client, sim, profile, code):
    for url in ("/fortiview/adom/root/top-sources/run/12450", LOGS + "count/1", "/dvmdb/adom/root"):
        answer = client.faz_call("get", url, bearer="wrong-key-0123456789")
        assert status_of(answer)["code"] == code, (url, answer)


@pytest.mark.parametrize("profile, wrong_password, dead_session", [
    ("seed", (-22, "Login fail"), -11), ("7.2", (-20, "Invalid credentials"), -11),
    ("7.6.7", (-22, "Login fail"), -20)], indirect=["profile"])
def test_the_readings_of_minus_20(client, sim, profile, wrong_password, dead_session):
    answer = client.login("admin", "not-the-password")
    assert answer["result"][0]["status"] == dict(zip(("code", "message"), wrong_password)) and "session" not in answer
    session = client.session()
    sim.faz_expire_sessions()
    gone = client.faz_call("get", "/fortiview/adom/root/top-sources/run/12450", session=session)
    assert status_of(gone)["code"] == dead_session
    sim.configure(faz_session_cap=1)
    client.session()
    cap = client.login()
    assert cap["result"][0]["status"] == {"code": -20, "message": "Maximum number of admin sessions reached"}


@pytest.mark.parametrize("profile", ["8.0"], indirect=True)
def test_80_count_reads_carry_no_progress(client, sim, profile):
    search = sim.faz_create_logsearch(rows=10, duration=0)
    count = client.faz_call("get", LOGS + "count/%d" % search, bearer=FAZ_API_KEY)
    assert count["result"] == {"status": {"code": 0, "message": "succeeded"}}
    page = client.faz_call("get", LOGS + "%d" % search, bearer=FAZ_API_KEY, offset=0, limit=5)
    assert page["result"]["percentage"] == 100 and len(page["result"]["data"]) == 5


@pytest.mark.parametrize("profile", ["7.6.7"], indirect=True)
def test_767_pages_arrive_late_and_the_first_page_recounts(client, sim, profile):
    search = sim.faz_create_logsearch(rows=1500, duration=0)

    def page(offset):
        return client.faz_call("get", LOGS + "%d" % search, bearer=FAZ_API_KEY, offset=offset, limit=1000)["result"]
    reads = [page(0) for read in range(3)]
    assert [len(read["data"]) for read in reads] == [0, 0, 1000]
    assert [read["total-count"] for read in reads] == [1500, 1500, 1493] and reads[0]["percentage"] == 100
    assert [len(page(1000)["data"]) for read in range(3)] == [0, 0, 500] and page(1000)["total-count"] == 1500
    sim.configure(faz_logsearch_late_reads=0)
    other = sim.faz_create_logsearch(rows=10, duration=0)
    assert len(client.faz_call("get", LOGS + "%d" % other, bearer=FAZ_API_KEY, offset=0, limit=5)["result"]["data"]) == 5


def test_sparse_console_names_more_targets_than_subtasks(client, sim):
    sim.configure(gz_profile="sparse")
    task_id = sim.gz_create_task(subtasks=3, duration=0)
    result = client.task_status(task_id, options={"returnSubtasks": True})["result"]
    assert (len(result["subtasks"]), result["totalTargetsCount"], result["hasMoreSubtasks"]) == (3, 5, False)
