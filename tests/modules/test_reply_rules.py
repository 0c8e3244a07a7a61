"""Reply rules of issue 20 through a whole module run (in-process, real HTTP, replayed answers).

A GravityZone task status is recorded with ``transcript``, one value of the recorded answer is
changed, and the simulator replays it: a lone surrogate in a name is a warning naming the field and
the result still comes back; a negative count is a malformed reply naming the field.
"""

from tests.integration.reliability_helpers import gz_args, run_module
from tests.modules.test_transcript_safety import warning_texts
from tests.simulator import replay

TASK = "65f46d08c6d2865b32048ba3"


def recorded(sim, tmp_path):
    path = tmp_path / "recorded.jsonl"
    run = run_module("gz_task_status", gz_args(sim, task_id=TASK, transcript=str(path)))
    assert not run.failed, run
    return run, replay.load(str(path))


def replayed(sim, entries):
    sim.replay(entries=entries)
    try:
        return run_module("gz_task_status", gz_args(sim, task_id=TASK))
    finally:
        status = sim.stop_replay()
        assert not status.get("mismatches"), status


def test_a_lone_surrogate_is_a_warning_and_the_result_comes_back(sim, tmp_path):
    reference, entries = recorded(sim, tmp_path)
    entries[0]["body"]["result"]["name"] = "scan \ud800 nightly"
    run = replayed(sim, entries)
    assert not run.failed, run
    assert run.result["name"] == "scan \ufffd nightly"
    assert run.result["subtasks"] == reference.result["subtasks"]
    warned = [text for text in warning_texts(run.result) if "U+FFFD" in text]
    assert len(warned) == 1 and "result.name" in warned[0], warning_texts(run.result)


def test_a_negative_count_is_malformed_naming_the_field(sim, tmp_path):
    _reference, entries = recorded(sim, tmp_path)
    entries[0]["body"]["result"]["totalTargetsCount"] = -4
    run = replayed(sim, entries)
    assert run.failed and run.crash is None, run
    assert "'totalTargetsCount'" in run.msg and "negative" in run.msg, run.msg
