# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""gz_runner.py: option helpers, and the modules' main() against a local HTTPS server (no key in the output)."""

from __future__ import annotations

import base64
import json

import pytest

from ansible_collections.secops.async_tasks.tests.unit.module_args import patch_module_args

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import InvalidInput
from ansible_collections.secops.async_tasks.plugins.module_utils.gz_runner import (
    check_paging,
    custom_scan_settings,
    describe_failures,
    subtask_filters,
)
from ansible_collections.secops.async_tasks.plugins.modules import gz_scan_task, gz_task_status

API_KEY = "gzModuleK3y9f8e7d6c5b4a3"
TASK_ID = "65f46d08c6d2865b32048ba3"
TARGET = "5ba8e0dbb1a43d0f2b7b23c1"


def status_params(**overrides):
    params = dict(subtask_status=None, ended_after=None, ended_before=None, per_page=100, page=None, max_pages=100,
                  api_version="1.1", return_subtasks=True)
    params.update(overrides)
    return params


# -- option helpers -----------------------------------------------------------------------------
def test_subtask_filters():
    assert subtask_filters(status_params()) is None
    assert subtask_filters(status_params(subtask_status="finished", ended_after="2024-03-14 19:45:10",
                                         ended_before="2024-03-16T19:45:00")) == {
        "status": 3, "endedAfter": "2024-03-14T19:45:10", "endedBefore": "2024-03-16T19:45:00"}


def test_subtask_filters_rejects_an_empty_window():
    with pytest.raises(InvalidInput) as caught:
        subtask_filters(status_params(ended_after="2024-03-16T00:00:00", ended_before="2024-03-15T00:00:00"))
    assert caught.value.details["option"] == "ended_after"


# per_page, page and max_pages bounds: the modules' bounds() (test_inputs.py), checked for every module before this.
@pytest.mark.parametrize("overrides, option", [
    ({"subtask_status": "finished", "api_version": "1.0"}, "subtask_status"),
    ({"page": 2, "return_subtasks": False}, "page"),
])
def test_check_paging_rejects(overrides, option):
    with pytest.raises(InvalidInput) as caught:
        check_paging(status_params(**overrides))
    assert caught.value.details["option"] == option


def test_check_paging_accepts_the_limits():
    assert check_paging(status_params(per_page=1000, page=3, max_pages=1)) is None


@pytest.mark.parametrize("params, expected", [
    ({"type": "quick", "custom_scan_depth": None, "custom_scan_paths": None}, None),
    ({"type": "custom", "custom_scan_depth": "normal", "custom_scan_paths": ["LocalDrives"]},
     {"scanDepth": 2, "scanPath": ["LocalDrives"]}),
])
def test_custom_scan_settings(params, expected):
    assert custom_scan_settings(params) == expected


@pytest.mark.parametrize("params, option", [
    ({"type": "quick", "custom_scan_depth": "normal", "custom_scan_paths": None}, "custom_scan_depth"),
    ({"type": "custom", "custom_scan_depth": "normal", "custom_scan_paths": None}, "custom_scan_paths"),
    ({"type": "custom", "custom_scan_depth": None, "custom_scan_paths": ["LocalDrives"]}, "custom_scan_depth"),
])
def test_custom_scan_settings_rejects(params, option):
    with pytest.raises(InvalidInput) as caught:
        custom_scan_settings(params)
    assert caught.value.details["option"] == option


def test_describe_failures_lists_five_then_counts():
    failed = [{"endpoint_name": "host-%d" % n, "endpoint_id": "id-%d" % n, "error_code": str(n), "error_message": None}
              for n in range(1, 8)]
    failed[0]["endpoint_name"] = None
    failed[1]["error_message"] = "went offline"
    text = describe_failures({"failed_subtasks": failed})
    assert text == ("id-1 (error 1: no message); host-2 (error 2: went offline); host-3 (error 3: no message); "
                    "host-4 (error 4: no message); host-5 (error 5: no message) and 2 more")


# -- main() against the scripted HTTPS server ---------------------------------------------------
def run_main(module, args, capsys):
    with patch_module_args(args):
        with pytest.raises(SystemExit) as exited:
            module.main()
    out = capsys.readouterr().out
    return exited.value.code, json.loads(out), out


def connection(server, **extra):
    args = dict(api_url=server.url + "/api", api_key=API_KEY, validate_certs=False, timeout=30)  # load-proof
    args.update(extra)
    return args


def assert_no_key(out):
    assert API_KEY not in out
    assert base64.b64encode((API_KEY + ":").encode()).decode() not in out


def seed_answer(fixture_json):
    seed = fixture_json("seed_gz_get_task_status_v1_1.response.json")
    return lambda request: dict(seed, id=request.json["id"])


def test_task_status_returns_the_task(tls_server, capsys, fixture_json):
    tls_server.always(tls_server.act.json_of(seed_answer(fixture_json)))
    code, result, out = run_main(gz_task_status, connection(tls_server, task_id=TASK_ID), capsys)
    assert code == 0, result
    assert result["changed"] is False
    assert result["finished"] is True
    assert result["succeeded"] is False
    assert result["ansible_facts"]["gz_task"]["task_id"] == TASK_ID
    assert [sub["endpoint_name"] for sub in result["failed_subtasks"]] == ["bdvm-virtual-machine"]
    assert_no_key(out)


def test_task_status_fails_on_subtask_error_when_asked(tls_server, capsys, fixture_json):
    tls_server.always(tls_server.act.json_of(seed_answer(fixture_json)))
    code, result, out = run_main(gz_task_status, connection(tls_server, task_id=TASK_ID, fail_on_subtask_error=True),
                                 capsys)
    assert code == 1
    assert result["msg"] == ("GravityZone task %s: 1 of its endpoints failed: bdvm-virtual-machine (error 1: Endpoint "
                             "client has lost connection with Security Server [1])" % TASK_ID)
    assert result["succeeded"] is False
    assert_no_key(out)


def test_task_status_error_echoing_the_key_is_not_printed(tls_server, capsys):
    def answer(request):
        return {"id": request.json["id"], "jsonrpc": "2.0",
                "error": {"code": -32602, "message": "Invalid params", "data": {"details": "key %s is disabled" % API_KEY}}}
    tls_server.always(tls_server.act.json_of(answer))
    code, result, out = run_main(gz_task_status, connection(tls_server, task_id=TASK_ID), capsys)
    assert code == 1
    assert result["code"] == -32602
    assert "is disabled" in result["msg"]
    assert_no_key(out)


def test_task_status_401_fails_without_the_key(tls_server, capsys):
    tls_server.always(tls_server.act.text(401, "<html>Unauthorized</html>"))
    code, result, out = run_main(gz_task_status, connection(tls_server, task_id=TASK_ID), capsys)
    assert code == 1
    assert result["http_status"] == 401
    assert "api_key" in result["msg"]
    assert_no_key(out)


def test_task_status_batch_reports_each_task(tls_server, capsys, fixture_json):
    seed = seed_answer(fixture_json)
    other = "65f46d08c6d2865b32048ba4"

    def answer(request):
        if request.json["params"]["taskId"] == other:
            return {"id": request.json["id"], "jsonrpc": "2.0",
                    "error": {"code": -32602, "message": "Invalid params", "data": {"details": "Task does not exist"}}}
        return seed(request)
    tls_server.always(tls_server.act.json_of(answer))
    code, result, out = run_main(gz_task_status, connection(tls_server, task_ids=[TASK_ID, other]), capsys)
    assert code == 1
    assert result["msg"].startswith("1 of 2 GravityZone tasks failed")
    assert [item.get("failed", False) for item in result["results"]] == [False, True]
    assert result["results"][1]["task_id"] == other
    assert_no_key(out)


def test_scan_task_check_mode_reads_but_creates_nothing(tls_server, capsys):
    listing = {"page": 1, "pagesCount": 0, "perPage": 1, "total": 0, "items": []}
    tls_server.always(tls_server.act.json_of(lambda request: {"id": request.json["id"], "jsonrpc": "2.0",
                                                              "result": listing}))
    args = connection(tls_server, target_ids=[TARGET], _ansible_check_mode=True)
    code, result, out = run_main(gz_scan_task, args, capsys)
    assert code == 0, result
    assert (result["changed"], result["task_ids"], result["task_id"]) == (True, [], None)
    name = result["request"]["params"].pop("name")
    assert name == result["name"] and name.startswith("Quick scan ")  # generated: findable on consoles that answer true
    assert result["request"] == {"method": "createScanTask", "target": "1.0",
                                 "params": {"targetIds": [TARGET], "type": 1, "returnAllTaskIds": True}}
    assert "would start a quick scan" in result["msg"]
    assert [request.json["method"] for request in tls_server.requests] == ["getScanTasksList"]
    assert_no_key(out)


def test_scan_task_check_mode_fails_on_a_refused_key(tls_server, capsys):
    tls_server.always(tls_server.act.text(401, "<html>Unauthorized</html>"))
    code, result, out = run_main(gz_scan_task, connection(tls_server, target_ids=[TARGET], _ansible_check_mode=True),
                                 capsys)
    assert code == 1 and result["http_status"] == 401
    assert [request.json["method"] for request in tls_server.requests] == ["getScanTasksList"]
    assert_no_key(out)


def test_scan_task_creates_and_returns_the_id(tls_server, capsys):
    tls_server.always(tls_server.act.json_of(lambda request: {"id": request.json["id"], "jsonrpc": "2.0", "result": [TASK_ID]}))
    code, result, out = run_main(gz_scan_task, connection(tls_server, target_ids=[TARGET], name="Nightly"), capsys)
    assert code == 0, result
    assert result["changed"] is True
    assert (result["task_id"], result["task_ids"]) == (TASK_ID, [TASK_ID])
    assert len(tls_server.requests) == 1
    assert tls_server.requests[0].path == "/api/v1.0/jsonrpc/network"
    assert_no_key(out)
