"""The transcript option against real HTTP: a path that is not our own file is refused before any request,
and a transcript whose writes start failing mid-run costs neither the result nor the session.

Writes are made to fail for real with RLIMIT_FSIZE (root ignores permission bits, not this limit):
the file may grow to a few hundred bytes, so the login exchange fits and the next one does not.
"""

import json
import os
import resource
import signal

import pytest

from tests.integration.reliability_helpers import FAZ_PASSWORD, faz_args, gz_args, run_module


def warning_texts(result):
    """The warnings of a result as text (ansible-core 2.19+ returns them as structured events)."""
    return [item["event"]["msg"] if isinstance(item, dict) else item for item in result.get("warnings", [])]


@pytest.fixture
def file_size_limit():
    """``limit(size)`` caps the size of any file this process writes; undone after the test."""
    saved_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    saved_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of the signal

    def limit(size):
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, saved_limit[1]))

    yield limit
    resource.setrlimit(resource.RLIMIT_FSIZE, saved_limit)
    signal.signal(signal.SIGXFSZ, saved_handler)


def test_failing_transcript_writes_keep_result_and_logout(sim, tmp_path, file_size_limit):
    path = tmp_path / "run.jsonl"
    reference = run_module("faz_top_sources_result", faz_args(sim, tid=12450))
    assert not reference.failed, reference
    path.write_bytes(b"")
    file_size_limit(700)
    try:
        run = run_module("faz_top_sources_result", faz_args(sim, tid=12450, transcript=str(path)))
    finally:
        file_size_limit(resource.RLIM_INFINITY)
    assert not run.failed, run
    assert run.result["sources"] == reference.result["sources"] and run.result["sources"]
    warned = [text for text in warning_texts(run.result) if "could not be written" in text]
    assert len(warned) == 1 and str(path) in warned[0] and "File too large" in warned[0], run.result.get("warnings")
    assert FAZ_PASSWORD not in run.output
    assert sim.counters()["faz"]["open_sessions"] == 0
    assert [entry for entry in sim.log("faz") if "/sys/logout" in json.dumps(entry)], "no logout was sent"
    written = path.read_bytes()
    assert 0 < len(written) <= 700 and FAZ_PASSWORD.encode() not in written


@pytest.mark.parametrize("kind", ["symlink", "fifo", "device", "other-user"])
def test_a_path_that_is_not_our_file_is_refused_before_any_request(sim, tmp_path, kind):
    path = tmp_path / "run.jsonl"
    victim = tmp_path / "victim"
    victim.write_text("keep\n", encoding="utf-8")
    if kind == "symlink":
        path.symlink_to(victim)
    elif kind == "fifo":
        os.mkfifo(str(path))
    elif kind == "device":
        path = "/dev/full"
    else:
        if os.geteuid() != 0:
            pytest.skip("only root can give a file to another user")
        path.write_text("", encoding="utf-8")
        os.chown(str(path), 65534, 65534)
    sim.reset()
    for module, args in (("faz_top_sources_result", faz_args(sim, tid=12450, transcript=str(path))),
                         ("gz_task_status", gz_args(sim, task_id="65f46d08c6d2865b32048ba3", transcript=str(path)))):
        run = run_module(module, args)
        assert run.failed and run.crash is None, run
        assert run.msg.startswith("transcript %s" % path), run.msg
    assert sim.log("faz") == [] and sim.log("gz") == []
    assert victim.read_text(encoding="utf-8") == "keep\n"
