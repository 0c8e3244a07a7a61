"""Fault injection and the "always" modes, each observed from a client over real HTTPS."""

import json
import socket
import ssl
import threading
import time

import pytest
import requests

FAZ_API_KEY = "simfazkey0123456789abcdefghijk"
GZ_API_KEY = "simgzkey0123456789abcdef0123456789abcdef"
BIG_TASK = "6500000000000000000f5000"
TARGET = "5ba8e0dbb1a43d0f2b7b23c1"
FAST_KINDS = ["http500", "http502", "http503", "http504", "nonjson", "html", "429", "429_no_retry_after",
              "expire_session"]


def big_task_status(client):
    """getTaskStatus of the 5,000-subtask task; returns the HTTP response."""
    return client.gz({"jsonrpc": "2.0", "method": "getTaskStatus", "id": 1, "params": {"taskId": BIG_TASK}})


def faz_add(client):
    """A FortiView `add` with the API key; returns the HTTP response."""
    body = {"method": "add", "params": [{"url": "/fortiview/adom/root/top-sources/run", "apiver": 3}], "id": 3}
    return client.faz(body, headers={"Authorization": "Bearer " + FAZ_API_KEY})


def faz_get_with(client, session):
    """The seed task 12450 with a session; returns the HTTP response."""
    return client.faz({"method": "get", "session": session, "params": [{"url": "/fortiview/adom/root/top-sources/run/12450"}]})


def scan(client):
    """createScanTask; returns the HTTP response."""
    return client.gz({"method": "createScanTask", "id": 2, "params": {"targetIds": [TARGET], "type": 1}}, version="1.0")


def tls_connection(sim, timeout=10):
    """A TLS socket to the simulator, verified against its CA."""
    context = ssl.create_default_context(cafile=sim.ca_path)
    plain = socket.create_connection(("127.0.0.1", sim.port), timeout=timeout)
    return context.wrap_socket(plain, server_hostname="127.0.0.1")


def raw_faz_request(body, key=FAZ_API_KEY):
    """The bytes of a POST /jsonrpc with a JSON body and a Bearer key."""
    data = json.dumps(body).encode("utf-8")
    head = ("POST /jsonrpc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "Authorization: Bearer %s\r\nContent-Length: %d\r\n\r\n" % (key, len(data)))
    return head.encode("ascii") + data


def read_until_closed(connection):
    """Everything the server sends until it closes the connection."""
    chunks = []
    while True:
        chunk = connection.recv(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def serves_connection_from(sim, address):
    """True while the server still holds the connection whose peer is `address`."""
    for connection in list(sim._server._connections):  # pylint: disable=protected-access
        try:
            if connection.getpeername() == address:
                return True
        except OSError:
            continue
    return False


def wait_until(condition, timeout):
    """Wait until condition() is true (every 50 ms, at most `timeout` s)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in %s s" % timeout
        time.sleep(0.05)


# -- off by default, settings, control API -----------------------------------------------------

def test_faults_are_off_by_default(client, sim):
    assert sim.fault_settings() == {"rate": 0}
    assert [big_task_status(client).status_code for attempt in range(20)] == [200] * 20
    assert sim.counters()["faults"] == {"total": 0, "by_kind": {}}
    assert all("fault" not in entry for entry in sim.log("gz"))


def test_control_api_sets_reads_and_clears_faults(client, sim):
    body = {"rate": 1, "kinds": ["http503"], "seed": 7, "products": ["gz"], "methods": ["getTaskStatus"],
            "exclude_auth": True}
    answer = client.control("POST", "faults", body)
    assert answer.status_code == 200 and answer.json() == body
    assert client.control("GET", "faults").json() == body
    assert big_task_status(client).status_code == 503
    assert client.control("DELETE", "faults").json() == {"rate": 0}
    assert big_task_status(client).status_code == 200
    client.control("POST", "faults", dict(body, rate=0))
    assert big_task_status(client).status_code == 200 and sim.fault_settings() == {"rate": 0}
    assert client.control("POST", "faults", {}).json()["kinds"] == sim.set_faults()["kinds"]  # all kinds
    assert client.control("GET", "counters").json()["faults"] == {"total": 1, "by_kind": {"http503": 1}}


@pytest.mark.parametrize("body", [
    {"rate": 2}, {"rate": "0.5"}, {"rate": True}, {"kinds": ["boom"]}, {"kinds": "reset"}, {"kinds": []},
    {"products": ["fmg"]}, {"products": []}, {"methods": "get"}, {"methods": [1]}, {"seed": True}, {"seed": 1.5},
    {"exclude_auth": "yes"}, {"colour": "red"},
])
def test_control_api_rejects_bad_fault_settings(client, sim, body):
    response = client.control("POST", "faults", body)
    assert response.status_code == 400 and response.json()["error"]
    assert sim.fault_settings() == {"rate": 0}
    with pytest.raises((ValueError, TypeError)):
        sim.set_faults(**body)


def test_clear_keeps_counters_and_reset_zeroes_them(client, sim):
    sim.set_faults(rate=1, kinds=["http500"])
    big_task_status(client)
    sim.clear_faults()
    assert sim.counters()["faults"] == {"total": 1, "by_kind": {"http500": 1}}
    sim.set_faults(rate=1, kinds=["http500"])
    sim.reset()
    assert sim.fault_settings() == {"rate": 0} and sim.counters()["faults"]["total"] == 0


# -- each kind, seen by a client ------------------------------------------------------------------

@pytest.mark.parametrize("kind, status", [("http500", 500), ("http502", 502), ("http503", 503), ("http504", 504)])
def test_http_errors_are_not_processed(client, sim, kind, status):
    sim.set_faults(rate=1, kinds=[kind])
    bodies = set()
    for attempt in range(6):
        response = faz_add(client)
        assert response.status_code == status
        bodies.add(response.text)
        assert scan(client).status_code == status
    assert "" in bodies and any("<html>" in body for body in bodies)  # empty or a short HTML page
    counters = sim.counters()
    assert (counters["faz"]["tasks_created"], counters["gz"]["scan_tasks_created"]) == (0, 0)
    assert (counters["faz"]["requests"], counters["gz"]["requests"]) == (6, 6)
    assert counters["faz"]["by_method"] == {} and counters["gz"]["by_method"] == {}
    assert counters["faults"] == {"total": 12, "by_kind": {kind: 12}}
    assert sim.log("faz")[0] == {"method": "add", "url": "/fortiview/adom/root/top-sources/run", "auth": "bearer",
                                 "code": None, "http_status": status, "fault": kind}
    assert sim.log("gz")[0]["fault"] == kind and sim.log("gz")[0]["method"] == "createScanTask"


@pytest.mark.parametrize("kind, retry_after", [("429", "1"), ("429_no_retry_after", None)])
def test_429(client, sim, kind, retry_after):
    sim.set_faults(rate=1, kinds=[kind])
    gz_answer = big_task_status(client)
    assert (gz_answer.status_code, gz_answer.headers.get("Retry-After")) == (429, retry_after)
    assert gz_answer.json()["error"]["code"] == -32003
    faz_answer = faz_add(client)
    assert (faz_answer.status_code, faz_answer.headers.get("Retry-After")) == (429, retry_after)
    assert sim.faz_tasks_created() == 0 and sim.counters()["gz"]["rate_limited"] == 0


def test_nonjson_answers_200_with_plain_text(client, sim):
    sim.set_faults(rate=1, kinds=["nonjson"])
    types = set()
    for attempt in range(6):
        response = big_task_status(client)
        assert response.status_code == 200
        with pytest.raises(ValueError):
            response.json()
        types.add(response.headers["Content-Type"].split(";")[0])
    assert types == {"text/plain", "application/json"}  # some proxies claim JSON


def test_html_error_page_with_200_or_500(client, sim):
    sim.set_faults(rate=1, kinds=["html"])
    statuses = set()
    for attempt in range(6):
        response = faz_add(client)
        assert response.headers["Content-Type"].startswith("text/html") and "<html>" in response.text
        statuses.add(response.status_code)
    assert statuses == {200, 500} and sim.faz_tasks_created() == 0


def test_reset_after_processing(client, sim):
    sim.set_faults(rate=1, kinds=["reset"])
    with pytest.raises(requests.exceptions.ConnectionError):
        faz_add(client)
    with pytest.raises(requests.exceptions.ConnectionError):
        scan(client)
    counters = sim.counters()
    assert (counters["faz"]["tasks_created"], counters["gz"]["scan_tasks_created"]) == (1, 1)  # applied
    assert sim.log("faz")[0]["fault"] == "reset" and sim.log("faz")[0]["code"] == 0
    sim.clear_faults()
    assert faz_add(client).json()["result"][0]["data"]["tid"] == 13001  # the server keeps serving


def test_reset_is_a_real_rst(sim):
    sim.set_faults(rate=1, kinds=["reset"])
    with tls_connection(sim) as connection:
        connection.sendall(raw_faz_request({"method": "get", "id": 1, "params": [
            {"url": "/fortiview/adom/root/top-sources/run/12450"}]}))
        # read below TLS (OpenSSL reports a reset as a plain EOF): TLS records, then the RST
        with socket.fromfd(connection.fileno(), socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.settimeout(10)
            with pytest.raises(ConnectionResetError):
                while tcp.recv(65536):
                    pass


def cut_short(call):
    """True when the reply of `call` ends before its Content-Length: urllib3 2 raises for that,
    urllib3 1.26 (which requirements.txt still allows) hands back the short body."""
    try:
        response = call()
    except requests.exceptions.RequestException:
        return True
    return len(response.content) < int(response.headers["Content-Length"])


def test_truncated_body_after_processing(client, sim):
    sim.set_faults(rate=1, kinds=["truncated"])
    assert cut_short(lambda: faz_add(client))
    assert cut_short(lambda: scan(client))
    assert (sim.faz_tasks_created(), sim.gz_scan_tasks_created()) == (1, 1)
    with tls_connection(sim) as connection:
        connection.sendall(raw_faz_request({"method": "get", "id": 1, "params": [
            {"url": "/fortiview/adom/root/top-sources/run/12450"}]}))
        answer = read_until_closed(connection)
    head, body = answer.split(b"\r\n\r\n", 1)
    declared = int([line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")][0][15:])
    assert head.startswith(b"HTTP/1.1 200 ") and 0 < len(body) < declared


def test_latency_then_a_normal_answer(client, sim):
    sim.set_faults(rate=1, kinds=["latency"])
    started = time.monotonic()
    response = faz_add(client)
    elapsed = time.monotonic() - started
    assert 0.3 <= elapsed < 2.5
    assert response.json()["result"][0]["data"]["tid"] == 13000 and sim.faz_tasks_created() == 1
    assert sim.log("faz")[0]["fault"] == "latency"


def test_expire_session_answers_minus_11_on_faz_and_nothing_on_gz(client, sim):
    session = client.session()
    sim.set_faults(rate=1, kinds=["expire_session"])
    answer = client.fortiview("get", "top-sources", session=session, tid=12450)
    assert answer["result"][0]["status"]["code"] == -11
    assert sim.counters()["faz"]["open_sessions"] == 0
    assert client.fortiview("get", "top-sources", tid=12450)["result"][0]["status"]["code"] == 0  # API key: no session
    assert big_task_status(client).json()["result"]["status"] == 3
    assert [entry["fault"] for entry in sim.log("faz")[1:]] == ["expire_session"] * 2
    assert sim.log("gz")[0]["fault"] == "expire_session"
    assert session not in json.dumps([sim.log("faz"), sim.counters()])


def test_slow_drip_is_slow_serves_others_and_stops_when_the_client_leaves(client, sim):
    sim.set_faults(rate=1, kinds=["slow_drip"], products=["faz"])
    connection = tls_connection(sim)
    try:
        address = connection.getsockname()
        connection.sendall(raw_faz_request({"method": "add", "id": 1, "params": [
            {"url": "/fortiview/adom/root/top-sources/run"}]}))
        connection.settimeout(0.25)
        received, started = b"", time.monotonic()
        other_took = None
        while time.monotonic() - started < 1.0:
            try:
                received += connection.recv(65536)
            except socket.timeout:
                pass
            if other_took is None:
                other_started = time.monotonic()
                assert big_task_status(client).status_code == 200  # GZ is not faulted, and not held up
                other_took = time.monotonic() - other_started
        assert received.startswith(b"HTTP/1.1 200") and b"\r\n\r\n" not in received  # a few bytes, no more
        assert other_took < 5.0  # not held up behind the drip, which lasts far longer (a bound load keeps)
        assert sim.faz_tasks_created() == 1  # processed before the drip started
        assert serves_connection_from(sim, address)
    finally:
        connection.close()
    wait_until(lambda: not serves_connection_from(sim, address), timeout=30)


# -- choosing requests ------------------------------------------------------------------------------

def statuses_of_a_run(client, sim, seed, count=40):
    sim.reset()
    sim.configure(gz_rate=0)
    sim.set_faults(rate=0.3, kinds=["http500", "http503", "429"], seed=seed)
    return [big_task_status(client).status_code for attempt in range(count)]


def test_same_seed_same_faults(client, sim):
    first = statuses_of_a_run(client, sim, seed=1234)
    assert first == statuses_of_a_run(client, sim, seed=1234)
    assert first != statuses_of_a_run(client, sim, seed=99)
    faulted = [status for status in first if status != 200]
    assert 4 <= len(faulted) <= 24 and len(set(faulted)) == 3
    statuses_of_a_run(client, sim, seed=1234)
    faults = sim.counters()["faults"]
    assert faults["total"] == len(faulted) == sum(faults["by_kind"].values())
    assert faults["by_kind"]["http503"] == first.count(503)


def test_methods_restrict_faults(client, sim):
    sim.set_faults(rate=1, kinds=["http503"], methods=["getTaskStatus", "get"])
    assert scan(client).status_code == 200
    assert big_task_status(client).status_code == 503
    session = client.session()  # exec: not faulted
    assert faz_get_with(client, session).status_code == 503
    client.faz_call("exec", "/sys/logout", session=session)
    assert client.faz(b"not json").status_code == 200  # no method: not faulted
    assert sim.counters()["faults"]["total"] == 2


def test_exclude_auth_spares_login_and_logout(client, sim):
    sim.set_faults(rate=1, kinds=["http502"], exclude_auth=True)
    session = client.session()
    assert faz_get_with(client, session).status_code == 502
    assert client.faz_call("exec", "/sys/logout", session=session)["result"][0]["status"]["code"] == 0
    assert sim.counters()["faz"]["open_sessions"] == 0
    assert big_task_status(client).status_code == 502  # GZ has no login: every call is fair game


def test_exclude_auth_spares_login_and_logout_without_leading_slash(client, sim):
    sim.set_faults(rate=1, kinds=["http502"], exclude_auth=True)
    login = client.faz({"method": "exec", "id": 1, "params": [
        {"url": "sys/login/user", "data": {"user": "admin", "passwd": "sim-admin-pass"}}]})
    assert login.status_code == 200
    session = login.json()["session"]
    assert faz_get_with(client, session).status_code == 502
    assert client.faz_call("exec", "sys/logout", session=session)["result"][0]["status"]["code"] == 0
    assert sim.counters()["faz"]["open_sessions"] == 0


def test_products_restrict_faults(client, sim):
    sim.set_faults(rate=1, kinds=["http500"], products=["gz"])
    assert faz_add(client).status_code == 200
    assert big_task_status(client).status_code == 500
    assert client.control("GET", "counters").status_code == 200  # the control API is never faulted


def test_parallel_clients_with_faults(sim, new_client):
    sim.set_faults(rate=0.3, kinds=FAST_KINDS, seed=5)
    outcomes = []

    def worker():
        http_client = new_client()
        for attempt in range(15):
            outcomes.append(big_task_status(http_client).status_code)
            outcomes.append(faz_add(http_client).status_code)

    threads = [threading.Thread(target=worker) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    counters = sim.counters()
    assert len(outcomes) == 120 and counters["faz"]["requests"] + counters["gz"]["requests"] == 120
    assert counters["faults"]["total"] == sum(counters["faults"]["by_kind"].values())
    assert 10 <= counters["faults"]["total"] <= 60
    assert len(sim.log("faz")) + len(sim.log("gz")) == 120
    assert sum(1 for entry in sim.log("faz") + sim.log("gz") if "fault" in entry) == counters["faults"]["total"]


@pytest.mark.parametrize("raw, status", [
    (b"[" * 100000, 200), (b"\xff\xfe", 200), (b'{"method": 5}', 200), (b'{"method": "get", "params": "x"}', 503),
    (b'{"method": "exec", "params": [{"url": ["/sys/login/user"]}]}', 503),  # not a login: faulted
])
def test_odd_bodies_with_a_methods_filter_do_not_break_anything(client, sim, raw, status):
    sim.set_faults(rate=1, kinds=["http503"], methods=["get", "exec"], exclude_auth=True)
    assert client.faz(raw).status_code == status
    assert client.gz(raw).status_code == status
    assert big_task_status(client).status_code == 200


# -- always modes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", ["seed", "real"])
def test_faz_always_code(client, sim, shape):
    sim.configure(faz_always_code=-11, faz_shape=shape)
    session = client.session()  # login works
    answer = client.faz_call("get", "/fortiview/adom/root/top-sources/run/12450", session=session)
    code = answer["error"]["code"] if shape == "real" else answer["result"][0]["status"]["code"]
    assert code == -11
    assert client.fortiview("add", "top-sources")  # the API key too
    assert client.faz_call("exec", "/sys/logout", session=session)["result"][0]["status"]["code"] == 0
    counters = sim.counters()["faz"]
    assert (counters["logins"], counters["logouts"], counters["tasks_created"]) == (1, 1, 0)
    assert [entry["code"] for entry in sim.log("faz")] == [0, -11, -11, 0]


def test_faz_always_http(client, sim):
    sim.configure(faz_always_http=503)
    login = {"method": "exec", "params": [{"url": "/sys/login/user", "data": {"user": "admin", "passwd": "sim-admin-pass"}}]}
    assert client.faz(login).status_code == 503
    assert faz_add(client).status_code == 503
    counters = sim.counters()["faz"]
    assert (counters["requests"], counters["logins"], counters["tasks_created"]) == (2, 0, 0)
    assert [entry["http_status"] for entry in sim.log("faz")] == [503, 503]
    assert "sim-admin-pass" not in json.dumps(sim.log("faz"))


@pytest.mark.parametrize("status", [429, 503])
def test_gz_always_http(client, sim, status):
    sim.configure(gz_always_http=status)
    for key in (GZ_API_KEY, "wrong-key"):
        response = client.gz({"method": "getTaskStatus", "params": {"taskId": BIG_TASK}}, key=key)
        assert response.status_code == status
        assert response.headers.get("Retry-After") == ("1" if status == 429 else None)
    assert scan(client).status_code == status and sim.gz_scan_tasks_created() == 0
    assert sim.counters()["gz"]["requests"] == 3
    sim.reset()
    assert big_task_status(client).status_code == 200


@pytest.mark.parametrize("setting, value", [
    ("faz_always_code", 0), ("faz_always_code", "-11"), ("faz_always_http", 200), ("gz_always_http", 600),
    ("gz_always_http", True),
])
def test_always_settings_are_checked(client, setting, value):
    assert client.control("POST", "config", {setting: value}).status_code == 400
