# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""transcript.py: redaction, file mode, appending, and that what it writes can be replayed."""

from __future__ import annotations

import json
import os
import stat
import threading

import pytest

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import InvalidInput
from ansible_collections.secops.async_tasks.plugins.module_utils.transcript import MARK, TranscriptWriter, scrub
from tests.simulator import replay

PASSWORD = "Sup3r-secret-pass"
API_KEY = "faz-api-key-0123456789abcdef"
SESSION = "c2Vzc2lvbi1pZC0wMTIzNDU2Nzg5YWJjZGVm"
FAZ = "https://faz.example.com/jsonrpc"


def login_exchange(writer):
    request = {"method": "exec", "params": [{"url": "/sys/login/user", "data": {"user": "admin", "passwd": PASSWORD}}],
               "id": 1}
    reply = {"id": 1, "result": [{"status": {"code": 0, "message": "OK"}, "url": "/sys/login/user"}],
             "session": SESSION}
    writer.record("POST", FAZ, json.dumps(request), status=200, reply_text=json.dumps(reply),
                  headers={"Content-Type": "application/json"})


def lines(path):
    with open(path, encoding="utf-8") as stream:
        return [json.loads(line) for line in stream]


def test_no_secret_reaches_the_file(tmp_path):
    path = str(tmp_path / "run.jsonl")
    secrets = {PASSWORD, API_KEY}  # the session is not known yet when its login reply is written
    writer = TranscriptWriter(path, secrets)
    login_exchange(writer)
    secrets.add(SESSION)
    fetch = {"method": "get", "params": [{"url": "/fortiview/adom/root/top-sources/run/1"}], "session": SESSION,
             "id": 2}
    echo = {"id": 2, "result": [{"status": {"code": -1, "message": "bad key %s for %s" % (API_KEY, SESSION)}}]}
    writer.record("POST", FAZ, json.dumps(fetch), status=200, reply_text=json.dumps(echo))
    writer.record("POST", FAZ + "?access_token=" + API_KEY, "not json " + PASSWORD, status=500,
                  reply_text="<html>Authorization: Bearer %s</html>" % API_KEY, headers={"Content-Type": "text/html"})
    writer.close()
    text = open(path, encoding="utf-8").read()
    for secret in (PASSWORD, API_KEY, SESSION):
        assert secret not in text
    first, second, third = lines(path)
    assert first["params"]["params"][0]["data"] == {"user": "admin", "passwd": MARK}
    assert first["body"]["session"] == MARK and first["body"]["result"][0]["status"]["code"] == 0
    assert second["params"]["session"] == MARK and second["body"]["result"][0]["status"]["message"].count(MARK) == 2
    assert third["headers"] == {"Content-Type": "text/html"} and third["status"] == 500


def test_file_is_private_and_appended_to(tmp_path):
    path = tmp_path / "run.jsonl"
    path.write_text("", encoding="utf-8")
    os.chmod(str(path), 0o644)
    for _run in range(2):
        writer = TranscriptWriter(str(path), set())
        login_exchange(writer)
        writer.close()
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600
    assert len(lines(str(path))) == 2
    fresh = tmp_path / "fresh.jsonl"
    TranscriptWriter(str(fresh), set()).close()
    assert stat.S_IMODE(os.stat(str(fresh)).st_mode) == 0o600


def test_what_is_written_can_be_replayed(tmp_path):
    path = str(tmp_path / "run.jsonl")
    writer = TranscriptWriter(path, {PASSWORD})
    login_exchange(writer)
    writer.record("POST", FAZ, json.dumps({"method": "get", "params": [{"url": "/x"}]}), error="ReadTimeout")
    writer.record("POST", "https://gz.example.com/api/v1.0/jsonrpc/network",
                  json.dumps({"method": "createScanTask", "params": {}}), status=429, reply_text="slow down",
                  headers={"Retry-After": "60, 60", "Content-Type": "text/plain"})
    writer.close()
    entries = replay.load(path)
    assert [entry.get("error") for entry in entries] == [None, "connection", None]
    assert entries[2]["headers"] == {"Retry-After": "60, 60", "Content-Type": "text/plain"}
    assert entries[0]["time"].endswith("Z") and entries[0]["v"] == 1


def test_threads_write_whole_lines(tmp_path):
    path = str(tmp_path / "run.jsonl")
    writer = TranscriptWriter(path, set())

    def write_many():
        for dummy in range(50):
            login_exchange(writer)

    threads = [threading.Thread(target=write_many) for dummy in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writer.close()
    assert len(lines(path)) == 200


def test_unwritable_path_names_the_option(tmp_path):
    with pytest.raises(InvalidInput) as caught:
        TranscriptWriter(str(tmp_path / "missing-dir" / "run.jsonl"), set())
    assert caught.value.details["option"] == "transcript" and "cannot be written" in caught.value.msg


def test_scrub_keeps_empty_values_and_non_secret_keys():
    assert scrub({"session": None, "passwd": "", "user": "admin", "Authorization": "Basic abc"}, set()) == \
        {"session": None, "passwd": "", "user": "admin", "Authorization": MARK}


# -- issue 20: the transcript only ever writes its own regular file ---------------------------

def refused(path, *words, **kwargs):
    with pytest.raises(InvalidInput) as caught:
        TranscriptWriter(str(path), set(), **kwargs).close()
    assert caught.value.details["option"] == "transcript"
    for word in words:
        assert word in caught.value.msg, caught.value.msg
    return caught.value.msg


def test_a_symlink_is_refused_and_its_target_untouched(tmp_path):
    target = tmp_path / "target.txt"
    target.write_text("keep me\n", encoding="utf-8")
    os.chmod(str(target), 0o644)
    link = tmp_path / "run.jsonl"
    link.symlink_to(target)
    refused(link, "symbolic link")
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert stat.S_IMODE(os.stat(str(target)).st_mode) == 0o644
    dangling = tmp_path / "dangling.jsonl"
    dangling.symlink_to(tmp_path / "not-there")
    refused(dangling, "symbolic link")
    assert not (tmp_path / "not-there").exists()


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "run.jsonl"
    os.mkfifo(str(fifo))
    outcome = {}

    def attempt():
        try:
            TranscriptWriter(str(fifo), set()).close()
        except InvalidInput as err:
            outcome["msg"] = err.msg

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "opening a FIFO blocked"
    assert "not a regular file" in outcome["msg"]


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full", "/dev/stdout"])
def test_devices_and_standard_streams_are_refused(device):
    if not os.path.exists(device):
        pytest.skip("%s does not exist here" % device)
    refused(device, device)


def test_a_directory_is_refused(tmp_path):
    refused(tmp_path, "not a regular file")


def test_a_file_of_another_user_is_refused_and_keeps_its_mode(tmp_path):
    other = tmp_path / "theirs.jsonl"
    other.write_text("", encoding="utf-8")
    os.chmod(str(other), 0o644)
    if os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")
    os.chown(str(other), 65534, 65534)
    refused(other, "owned by another user")
    assert stat.S_IMODE(os.stat(str(other)).st_mode) == 0o644 and other.read_text(encoding="utf-8") == ""


def test_a_world_writable_directory_without_sticky_bit_is_refused(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(str(shared), 0o777)
    refused(shared / "run.jsonl", "world-writable", "sticky")
    assert not (shared / "run.jsonl").exists()


def test_a_sticky_world_writable_directory_is_used_with_a_warning(tmp_path):
    shared = tmp_path / "sticky"
    shared.mkdir()
    os.chmod(str(shared), 0o1777)
    warnings = []
    TranscriptWriter(str(shared / "run.jsonl"), set(), warn=warnings.append).close()
    assert (shared / "run.jsonl").exists()
    assert len(warnings) == 1 and "world-writable" in warnings[0] and str(shared) in warnings[0]


def test_a_relative_path_is_resolved_against_the_home_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir("/")
    writer = TranscriptWriter("run.jsonl", set())
    login_exchange(writer)
    writer.close()
    assert writer.path == str(tmp_path / "run.jsonl") and len(lines(writer.path)) == 1


# -- issue 20: a transcript that cannot be written is a warning, never a lost run ---------------

class FailingWrites:
    """os.write that fails with ``errno`` from the ``after``-th call on (as a full disk would)."""

    def __init__(self, error, after=0):
        self.error = error
        self.after = after
        self.calls = 0

    def __call__(self, descriptor, data):
        self.calls += 1
        if self.calls > self.after:
            raise OSError(self.error, os.strerror(self.error))
        return os.write(descriptor, data)


@pytest.mark.parametrize("error", [28, 13, 5])  # ENOSPC, EACCES, EIO
def test_a_failed_write_is_one_warning_and_the_run_goes_on(tmp_path, monkeypatch, error):
    from ansible_collections.secops.async_tasks.plugins.module_utils import transcript
    path = str(tmp_path / "run.jsonl")
    warnings = []
    writer = TranscriptWriter(path, {PASSWORD}, warn=warnings.append)
    login_exchange(writer)
    monkeypatch.setattr(transcript, "_write", FailingWrites(error))
    for dummy in range(3):
        login_exchange(writer)  # never raises
    writer.close()
    assert len(warnings) == 1, warnings
    assert path in warnings[0] and os.strerror(error) in warnings[0] and PASSWORD not in warnings[0]
    assert len(lines(path)) == 1


def test_a_short_write_is_completed(tmp_path, monkeypatch):
    from ansible_collections.secops.async_tasks.plugins.module_utils import transcript
    path = str(tmp_path / "run.jsonl")
    monkeypatch.setattr(transcript, "_write", lambda descriptor, data: os.write(descriptor, data[:7]))
    writer = TranscriptWriter(path, set())
    login_exchange(writer)
    writer.close()
    assert len(lines(path)) == 1
