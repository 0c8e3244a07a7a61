"""The simulator's server: control API, settings, TLS material, the CLI and stopping."""

import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time

import pytest
import requests

from tests.simulator import tlsgen
from tests.simulator.server import Simulator

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DEFAULTS = {
    "faz_shape": "seed", "faz_session_cap": 20, "faz_session_idle": 300, "faz_task_duration": 4,
    "faz_task_ttl": 1800, "gz_rate": 10, "gz_burst": 10, "gz_retry_after": 1, "gz_retry_after_style": "plain",
    "gz_429_body": "json", "gz_pending_as_zero": True, "gz_scan_duration": 4, "gz_scan_rate_per_minute": 30,
    "faz_always_code": None, "faz_always_http": None, "gz_always_http": None,
    "faz_logsearch_duration": 2, "faz_logsearch_cap": 10, "faz_logsearch_ttl": 300,
    "faz_logsearch_count_url": True, "faz_logsearch_single_use": False, "faz_logsearch_late_reads": None,
    "faz_logsearch_row_text": {},
    "task_clock": "wall", "task_poll_step": 1,
    "faz_report_tid": "uuid", "faz_report_zip": True, "faz_report_text": False, "faz_report_needs_schedule": False,
    "faz_report_fail": False, "faz_report_duration": 1, "faz_report_size": 20000, "gz_report_duration": 1,
    "gz_report_size": 20000, "gz_report_link_host": "self", "gz_report_expired": False, "report_cut": 0,

    "faz_profile": "seed", "gz_profile": "current",
}


def plain_session():
    """A requests session that ignores the environment's CA bundle and proxies."""
    session = requests.Session()
    session.trust_env = False
    return session


# -- control API ---------------------------------------------------------------------------------

def test_control_api_counters_and_log(client):
    client.session()
    client.task_status("6500000000000000000f5000")
    counters = client.control("GET", "counters").json()
    assert counters["faz"]["logins"] == 1 and counters["gz"]["requests"] == 1
    assert set(counters["faz"]) == {"requests", "logins", "login_failures", "logouts", "tasks_created", "cap_refusals",
                                    "peak_sessions", "open_sessions", "by_method", "logsearches_created",
                                    "logsearches_deleted", "logsearches_expired", "logsearches_refused",
                                    "logsearches_open", "logsearch_fetches", "logsearch_counts", "report_runs",
                                    "report_runs_open", "reports_deleted"}
    assert set(counters["gz"]) == {"requests", "rate_limited", "scan_tasks_created", "by_method", "reports_created",
                                   "reports_open", "reports_deleted", "report_downloads"}
    assert client.control("GET", "log?product=faz").json()[0]["url"] == "/sys/login/user"
    assert client.control("GET", "log?product=gz").json()[0]["taskId"] == "6500000000000000000f5000"
    assert client.control("GET", "log?product=other").status_code == 400


def test_control_api_tasks_and_sessions(client):
    tid = client.control("POST", "faz/tasks", {"view": "top-threats", "status": "done", "rows": 2}).json()["tid"]
    assert tid == 13000
    data = client.fortiview("get", "top-threats", tid=tid)["result"][0]["data"]
    assert len(data["threats"]) == 2
    task_id = client.control("POST", "gz/tasks", {"subtasks": 2, "duration": 0, "type": 16}).json()["taskId"]
    result = client.task_status(task_id)["result"]
    assert (result["type"], result["status"], result["totalTargetsCount"]) == (16, 3, 2)
    session = client.session()
    assert client.control("POST", "faz/expire-sessions").status_code == 200
    assert client.fortiview("get", "top-sources", session=session, tid=12450)["result"][0]["status"]["code"] == -11


@pytest.mark.parametrize("path, body", [
    ("faz/tasks", {"view": "top-nothing"}), ("faz/tasks", {"colour": "red"}), ("faz/tasks", {"rows": -1}),
    ("faz/tasks", {"status": "lost"}), ("gz/tasks", {"subtasks": 0}), ("gz/tasks", {"failures": 9}),
    ("gz/tasks", {"type": 99}), ("config", {"gz_rate": -1}), ("config", {"faz_shape": "odd"}),
    ("config", {"no_such_setting": 1}), ("config", {"gz_pending_as_zero": "yes"}),
    ("config", {"faz_logsearch_row_text": "x"}), ("config", {"faz_logsearch_row_text": {"attack": 1}}),
])
def test_control_api_rejects_bad_input(client, path, body):
    response = client.control("POST", path, body)
    assert response.status_code == 400 and response.json()["error"]


def test_control_api_unknown_paths_and_methods(client, sim):
    assert client.control("GET", "nothing").status_code == 404
    assert client.control("GET", "reset").status_code == 405
    assert client.http.post(sim.faz_url + "/_sim/config", data=b"[1]", timeout=10).status_code == 400
    assert client.http.get(sim.faz_url + "/elsewhere", timeout=10).status_code == 404
    assert client.http.get(sim.faz_url + "/jsonrpc", timeout=10).status_code == 405


def test_config_merges_and_reset_restores_defaults(client, sim):
    sim.reset()
    assert client.control("GET", "config").json() == DEFAULTS
    merged = client.control("POST", "config", {"faz_shape": "real", "gz_rate": 2.5}).json()
    assert (merged["faz_shape"], merged["gz_rate"], merged["faz_session_cap"]) == ("real", 2.5, 20)
    sim.faz_create_task()
    client.session()
    assert client.control("POST", "reset").status_code == 200
    assert sim.settings() == DEFAULTS
    counters = sim.counters()
    assert counters["faz"]["requests"] == 0 and counters["faz"]["open_sessions"] == 0 and sim.log("faz") == []
    assert sim.faz_create_task() == 13000  # created tasks gone, tids start again
    assert client.fortiview("get", "top-sources", tid=12450)["result"][0]["status"]["code"] == 0


def test_start_settings_are_what_reset_restores(tmp_path):
    with Simulator(str(tmp_path), faz_shape="real", gz_rate=0) as sim:
        sim.configure(faz_shape="seed")
        sim.reset()
        assert sim.settings()["faz_shape"] == "real" and sim.settings()["gz_rate"] == 0


def test_bad_start_setting_is_refused(tmp_path):
    with pytest.raises(ValueError):
        Simulator(str(tmp_path), faz_shape="odd")


# -- HTTP edge cases -----------------------------------------------------------------------------

def raw_exchange(sim, request_bytes):
    """Send bytes over TLS and return what the server answers before closing."""
    context = ssl.create_default_context(cafile=sim.ca_path)
    with socket.create_connection(("127.0.0.1", sim.port), timeout=10) as plain:
        with context.wrap_socket(plain, server_hostname="127.0.0.1") as tls:
            tls.sendall(request_bytes)
            chunks = []
            while True:
                chunk = tls.recv(65536)
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)


def test_oversized_and_unsized_bodies(client, sim):
    answer = raw_exchange(sim, b"POST /jsonrpc HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 413 ") and b"Connection: close" in answer
    answer = raw_exchange(sim, b"POST /jsonrpc HTTP/1.1\r\nHost: x\r\nContent-Length: many\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 ")
    chunked = iter([b'{"method": "exec", "params": [{"url": "/sys/login/user", ', b'"data": {}}], "id": 4}'])
    response = client.http.post(sim.faz_url + "/jsonrpc", data=chunked, timeout=10)
    assert response.json()["result"][0]["status"]["code"] == -22  # chunked bodies are read
    assert client.faz(b"").json()["result"][0]["status"]["code"] == -32700


def test_head_has_no_body(client, sim):
    response = client.http.head(sim.gz_api_url + "/v1.1/jsonrpc/network", timeout=10)
    assert response.status_code == 405 and response.content == b""


# -- TLS -----------------------------------------------------------------------------------------

def test_binds_to_loopback_only(sim):
    assert sim._server.server_address[0] == "127.0.0.1"  # pylint: disable=protected-access


def test_clients_without_the_ca_are_refused(sim):
    with pytest.raises(requests.exceptions.SSLError):
        plain_session().post(sim.faz_url + "/jsonrpc", json={}, timeout=10, verify=True)
    # the server survives the failed handshake
    assert plain_session().get(sim.faz_url + "/_sim/counters", verify=sim.ca_path, timeout=10).status_code == 200


def test_tls_material_is_reused(tmp_path):
    first = tlsgen.ensure_tls_material(str(tmp_path))
    with open(first.ca_cert, "rb") as handle:
        ca_pem = handle.read()
    with open(first.server_cert, "rb") as handle:
        server_pem = handle.read()
    again = tlsgen.ensure_tls_material(str(tmp_path))
    with open(again.ca_cert, "rb") as handle:
        assert handle.read() == ca_pem
    with open(again.server_cert, "rb") as handle:
        assert handle.read() == server_pem
    assert oct(os.stat(os.path.join(str(tmp_path), "ca-key.pem")).st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("variant, reason", [("expired", "expired"), ("wrong-host", "match")])
def test_broken_certificates_fail_verification(tmp_path, variant, reason):
    with Simulator(str(tmp_path), cert_variant=variant) as sim:
        with pytest.raises(requests.exceptions.SSLError, match=reason):
            plain_session().get(sim.faz_url + "/_sim/counters", verify=sim.ca_path, timeout=10)


def test_stop_closes_kept_alive_connections(tmp_path):
    sim = Simulator(str(tmp_path)).start()
    session = plain_session()
    url = sim.faz_url + "/_sim/counters"
    assert session.get(url, verify=sim.ca_path, timeout=10).status_code == 200
    sim.stop()
    with pytest.raises(requests.exceptions.ConnectionError):
        session.get(url, verify=sim.ca_path, timeout=10)
    sim.stop()  # a second stop is harmless


# -- the command line ----------------------------------------------------------------------------

def test_cli_writes_the_ready_file_and_stops_on_sigterm(tmp_path):
    ready = tmp_path / "ready.json"
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, "-m", "tests.simulator", "--port", "0", "--state-dir", str(tmp_path / "state"),
         "--ready-file", str(ready), "--faz-shape", "real"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 15
        while not ready.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        info = json.loads(ready.read_text())
        assert set(info) == {"pid", "port", "host", "ca_path", "faz_url", "gz_api_url"}
        assert (info["pid"], info["host"]) == (process.pid, "127.0.0.1")
        assert info["gz_api_url"] == "https://127.0.0.1:%d/api" % info["port"]
        shape = plain_session().get(info["faz_url"] + "/_sim/config", verify=info["ca_path"], timeout=10).json()
        assert shape["faz_shape"] == "real"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert not ready.exists()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()
