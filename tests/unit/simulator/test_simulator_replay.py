"""Replay mode over real HTTPS: a recorded transcript is served back exactly as recorded."""

import json
import os

import pytest
import requests

from tests.simulator import replay

TRANSCRIPTS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                           "fixtures", "transcripts")
LOGIN = {"method": "exec", "params": [{"url": "/sys/login/user", "data": {"user": "admin", "passwd": "<redacted>"}}],
         "id": 1}
LOGIN_REPLY = {"id": 1, "result": [{"status": {"code": 0, "message": "OK"}, "url": "/sys/login/user"}],
               "session": "<redacted>"}
FETCH = {"method": "get", "params": [{"url": "/fortiview/adom/root/top-sources/run/77", "apiver": 3}],
         "session": "<redacted>", "id": 2}
FETCH_REPLY = {"jsonrpc": "2.0", "id": 2, "result": {"status": {"code": -1, "message": "boom"}, "percentage": 100,
                                                     "data": []}}


def entry(url, params, status=200, body=None, **extra):
    item = {"v": 1, "time": "2026-11-30T12:00:00.000Z", "method": "POST", "url": url, "params": params,
            "status": status, "body": body}
    item.update(extra)
    return item


def faz_entries():
    return [entry("https://faz.example.com/jsonrpc", LOGIN, body=LOGIN_REPLY),
            entry("https://faz.example.com/jsonrpc", FETCH, body=FETCH_REPLY)]


def test_requests_get_the_recorded_answers_in_order(client, sim):
    assert sim.replay(entries=faz_entries())["total"] == 2
    first = client.faz(dict(LOGIN, params=[{"url": "/sys/login/user", "data": {"user": "admin", "passwd": "x"}}]))
    assert first.status_code == 200 and first.json() == LOGIN_REPLY
    second = client.faz(dict(FETCH, session="anything"))
    assert second.content == json.dumps(FETCH_REPLY).encode("utf-8")  # exactly as recorded
    status = sim.replay_status()
    assert (status["served"], status["remaining"], status["mismatches"]) == (2, 0, [])
    assert sim.counters()["faz"]["requests"] == 0  # the simulated appliance was not asked


def test_a_request_that_differs_is_a_mismatch(client, sim):
    sim.replay(entries=faz_entries())
    client.faz(LOGIN)
    other = dict(FETCH, params=[{"url": "/fortiview/adom/root/top-sources/run/78"}])
    answer = client.faz(other)
    assert answer.status_code == 500 and "replay mismatch" in answer.json()["error"]
    mismatch = sim.replay_status()["mismatches"][0]
    assert "run/77" in mismatch["problem"] and mismatch["url"] == "/fortiview/adom/root/top-sources/run/78"
    assert sim.replay_status()["served"] == 1  # the mismatch did not use up the entry


def test_past_the_end_is_a_mismatch(client, sim):
    sim.replay(entries=faz_entries()[:1])
    client.faz(LOGIN)
    assert client.faz(FETCH).status_code == 500
    assert "only 1 entries" in sim.replay_status()["mismatches"][0]["problem"]


def test_gravityzone_version_and_text_bodies_and_headers(client, sim):
    url = "https://cloudgz.gravityzone.bitdefender.com/api/v1.0/jsonrpc/network"
    body = {"jsonrpc": "2.0", "method": "createScanTask", "id": 1, "params": {"targetIds": ["a" * 24], "type": 1}}
    sim.replay(entries=[entry(url, body, status=429, body="<html>slow down</html>", headers={"Retry-After": "60, 60"}),
                        entry(url, body, body={"jsonrpc": "2.0", "id": 1, "result": True})])
    wrong_version = client.gz(body, version="1.1")
    assert wrong_version.status_code == 500 and "GravityZone v1.0" in wrong_version.json()["error"]
    limited = client.gz(body, version="1.0")
    assert limited.status_code == 429 and limited.text == "<html>slow down</html>"
    assert limited.headers["Retry-After"] == "60, 60" and limited.headers["Content-Type"].startswith("text/html")
    assert client.gz(body, version="1.0").json()["result"] is True


def test_connection_error_entries_break_the_connection(client, sim):
    sim.replay(entries=[dict(entry("https://faz.example.com/jsonrpc", LOGIN), error="connection")])
    with pytest.raises(requests.exceptions.ConnectionError):
        client.faz(LOGIN)
    assert sim.replay_status()["served"] == 1


def test_control_api_and_reset(client, sim, tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(json.dumps(item) for item in faz_entries()) + "\n", encoding="utf-8")
    started = client.control("POST", "replay", {"path": str(path)}).json()
    assert started["active"] is True and started["total"] == 2 and started["source"] == str(path)
    assert client.control("GET", "replay").json()["remaining"] == 2
    assert client.control("DELETE", "replay").json()["active"] is False
    assert client.control("GET", "replay").json() == {"active": False}
    sim.replay(entries=faz_entries())
    sim.reset()
    assert sim.replay_status() == {"active": False}
    assert client.login()["result"][0]["status"]["code"] == 0  # the simulated appliance answers again


@pytest.mark.parametrize("body, problem", [
    ({"entries": [{"url": "https://x/jsonrpc"}]}, "'params'"),
    ({"entries": [dict(entry("https://x/other", {}))]}, "'url'"),
    ({"entries": [dict(entry("https://x/jsonrpc", {}), status="200")]}, "'status'"),
    ({"entries": [dict(entry("https://x/jsonrpc", {}), v=2)]}, "version"),
    ({"entries": [dict(entry("https://x/jsonrpc", {}), error="timeout")]}, "'error'"),
    ({"path": "/nonexistent/transcript.jsonl"}, "No such file"),
    ({"entries": [], "path": "x"}, "either"),
])
def test_bad_transcripts_are_refused(client, sim, body, problem):
    answer = client.control("POST", "replay", body)
    assert answer.status_code == 400 and problem in answer.json()["error"]
    assert sim.replay_status() == {"active": False}


def test_parse_lines_names_the_bad_line():
    good = json.dumps(faz_entries()[0])
    with pytest.raises(replay.TranscriptError, match="line 3 is not JSON"):
        replay.parse_lines(good + "\n\n{not json\n")


def test_every_shipped_transcript_can_be_replayed():
    names = [name for name in os.listdir(TRANSCRIPTS) if name.endswith(".jsonl")]
    assert names, "tests/fixtures/transcripts/ holds no transcript"
    for name in names:
        entries = replay.load(os.path.join(TRANSCRIPTS, name))
        assert entries, name
        with open(os.path.join(TRANSCRIPTS, name[:-len(".jsonl")] + ".expect.json"), encoding="utf-8") as stream:
            assert "module" in json.load(stream), name
