"""tests/simulator/control.py: the control API from a playbook's pipe lookup, run as a process by path."""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SCRIPT = os.path.join(ROOT, "tests", "simulator", "control.py")


def control(sim, *args, url=None):
    env = dict(os.environ, SIM_FAZ_URL=sim.faz_url if url is None else url, SIM_CA_PATH=sim.ca_path)
    return subprocess.run([sys.executable, SCRIPT] + list(args), env=env, capture_output=True, text=True, timeout=60,
                          check=False)


def test_post_then_get_through_the_script(sim):
    made = control(sim, "POST", "/_sim/gz/tasks", json.dumps({"subtasks": 2, "duration": 0}))
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["taskId"]
    config = control(sim, "POST", "/_sim/config", json.dumps({"faz_task_duration": 7}))
    assert json.loads(config.stdout)["faz_task_duration"] == 7
    assert json.loads(control(sim, "get", "/_sim/config").stdout)["faz_task_duration"] == 7


def test_a_refused_setting_fails_with_the_answer(sim):
    run = control(sim, "POST", "/_sim/config", json.dumps({"no_such_setting": 1}))
    assert run.returncode == 1 and run.stdout == ""
    assert "answered HTTP 400" in run.stderr and "no_such_setting" in run.stderr


@pytest.mark.parametrize("args, words", [
    (("POST", "/_sim/config", "{not json"), "the body is not JSON (Expecting property name"),
    (("GET", "/_sim/config", "{}"), "usage: control.py"),
    (("DELETE", "/_sim/config"), "usage: control.py"),
    (("GET", "_sim/config"), "is not a path on the simulator"),
    (("GET",), "usage: control.py"),
])
def test_a_mistaken_call_says_what_is_wrong(sim, args, words):
    run = control(sim, *args)
    assert run.returncode != 0 and words in run.stderr and "Traceback" not in run.stderr, run.stderr


def test_without_an_address_it_says_how_to_get_one(sim):
    run = control(sim, "GET", "/_sim/counters", url="")
    assert run.returncode == 1 and "SIM_FAZ_URL is not set" in run.stderr
