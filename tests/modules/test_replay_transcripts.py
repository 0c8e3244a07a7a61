"""Every transcript in tests/fixtures/transcripts/ is served back exactly as recorded; the module's result is checked.

A transcript (`NAME.jsonl`, see docs/transcripts.md) comes with `NAME.expect.json`:
    {"behaviour": "...", "origin": "recorded on ... / hand-written from ...",
     "module": "faz_top_sources_result", "args": {...}, "auth": "api_key" | "password" (FortiAnalyzer only),
     "changed": true (modules that create something),
     "expect": {"failed": bool, "msg_contains": [...], "msg_lacks": [...], "result": {...subset...},
                "rows": N, "first_row": {...subset...}, "last_row": {...subset...}, "warnings_contain": [...]}}
The replay must use up the whole transcript with no request the transcript did not record next: a module
that logs in once more, skips a page or asks another URL fails here.
"""

import json
import os

import pytest

from tests.integration.gz_helpers import gz_env
from tests.integration.helpers import COLLECTION, FAZ_API_KEY, faz_env

TRANSCRIPTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "transcripts")
# Behaviours the modules do not handle yet (issue 11); each must fail until it is fixed, then leave this list.
NOT_YET = frozenset()
ROWS_KEYS = ("sources", "applications", "rows")


def transcript_names():
    return sorted(name[:-len(".jsonl")] for name in os.listdir(TRANSCRIPTS) if name.endswith(".jsonl"))


def transcript_params():
    return [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason="issue 11: not handled yet"))
            if name in NOT_YET else name for name in transcript_names()]


def load_expectation(name):
    with open(os.path.join(TRANSCRIPTS, name + ".expect.json"), encoding="utf-8") as stream:
        return json.load(stream)


def connection_env(sim, expectation):
    """Where the module connects: the simulator, with the credential kind the transcript was recorded with."""
    if expectation["module"].startswith("gz_"):
        return gz_env(sim)
    if expectation.get("auth") == "password":
        return faz_env(sim)
    return faz_env(sim, username=None, password=None, api_key=FAZ_API_KEY)


def rows_of(result):
    for key in ROWS_KEYS:
        if isinstance(result.get(key), list):
            return result[key]
    return None


def check_result(result, failed, expect):
    assert failed == expect["failed"], "failed=%s, expected %s: %s" % (failed, expect["failed"], result.get("msg"))
    message = str(result.get("msg", ""))
    for text in expect.get("msg_contains", ()):
        assert text in message, "%r not in the message: %s" % (text, message)
    for text in expect.get("msg_lacks", ()):
        assert text.lower() not in message.lower(), "%r in the message: %s" % (text, message)
    for key, value in expect.get("result", {}).items():
        assert result.get(key) == value, "%s=%r, expected %r" % (key, result.get(key), value)
    if "rows" in expect:
        rows = rows_of(result)
        assert rows is not None and len(rows) == expect["rows"], rows
        for which, index in (("first_row", 0), ("last_row", -1)):
            for key, value in expect.get(which, {}).items():
                assert rows[index].get(key) == value, "%s %s=%r, expected %r" % (which, key, rows[index].get(key), value)
    warnings = " ".join(result.get("warnings", []))
    for text in expect.get("warnings_contain", ()):
        assert text in warnings, "%r not in the warnings: %s" % (text, warnings)


@pytest.mark.changing_modules("faz_fortiview_task", "gz_scan_task")
@pytest.mark.parametrize("name", transcript_params())
def test_transcript_replay(sim, run_tasks, name):
    expectation = load_expectation(name)
    sim.replay(path=os.path.join(TRANSCRIPTS, name + ".jsonl"))
    try:
        # built by hand: gz_scan_task has an option called name, which module_task takes as the task's title
        task = {"name": expectation["module"], COLLECTION + "." + expectation["module"]: expectation["args"]}
        run = run_tasks([dict(task, ignore_errors=True)], env=connection_env(sim, expectation))
        record = run.record()
        check_result(record["result"], record["status"] == "failed", expectation["expect"])
        if not expectation["expect"]["failed"]:
            assert record["result"]["changed"] is bool(expectation.get("changed")), record["result"]
        status = sim.replay_status()
        assert status["mismatches"] == [], status["mismatches"]
        assert status["remaining"] == 0, "the module stopped after %d of %d recorded requests" % (
            status["served"], status["total"])
    finally:
        sim.stop_replay()
