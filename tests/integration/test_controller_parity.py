"""Parity of the two paths a task takes: the module run in the controller process, and the module shipped.

One corpus of tasks (every module succeeding, tasks still running, errors, batches, check mode, bad
input, no_log, the task's ``environment:``, a row an appliance filled with a Jinja expression) runs as
one playbook on each path; the results must be the same task by task: status, keys, messages,
warnings, ``changed``, ``ansible_facts`` and ``invocation`` (present exactly when ansible-core shows
it). Values that move while a task runs (its percentage, how long it took) are left out only for the
tasks that are still running. The path each task took is read from the ``-vvv`` output, so the corpus
cannot pass by running the same path twice. The matrix runs this file on every ansible-core.
"""

import json
import re

import pytest

from tests.integration.gz_helpers import GZ_API_KEY
from tests.integration.helpers import COLLECTION, faz_connection, faz_env

PATHS = {"controller": {"SECOPS_ASYNC_TASKS_IN_CONTROLLER": "true"},
         "shipped": {"SECOPS_ASYNC_TASKS_IN_CONTROLLER": "false"}}
SAID = {"controller": "running the module in the controller process", "shipped": "shipping the module"}
# Keys whose values move between two reads of a task that is still running.
MOVING = frozenset(("percentage", "scanned", "matched", "start_date", "end_date"))
JINJA_ROW = "{{ lookup('pipe', 'id') }}"
TASK_ID = "65f46d08c6d2865b32048ba3"
NIGHT = {"start": "2026-11-20 00:00:00", "end": "2026-11-20 06:00:00"}
# A run of each reading module that succeeds against the simulator (the creating ones run in check mode).
READS = {
    "faz_top_sources_result": {"tid": 12450},
    "faz_top_applications_result": {"tid": 12455},
    "faz_fortiview_result": {"view": "top-sources", "tid": 12450},
    "faz_log_search": {"logtype": "traffic", "filter": "srcip=10.0.1.5", "time_range": NIGHT, "max_rows": 50},
    "gz_task_status": {"task_id": TASK_ID},
    "gz_scan_task_info": {"status": "in_progress"},
}


def task(name, module, args, **extra):
    entry = {"name": name, COLLECTION + "." + module: args, "ignore_errors": True, "register": "out"}
    entry.update(extra)
    return entry


def corpus(sim, running_tid, jinja_tid, running_gz):
    """(tasks, {task name: the keys whose values may differ between two correct runs})."""
    gz = dict(api_url=sim.gz_api_url, api_key=GZ_API_KEY, ca_path=sim.ca_path)
    tasks = []
    for name, args in READS.items():
        connection = dict(gz) if name.startswith("gz_") else faz_connection(sim)
        tasks.append(task("success %s" % name, name, dict(connection, **args)))
    tasks += [
        task("running fortiview", "faz_fortiview_result", faz_connection(sim, view="top-sources", tid=running_tid)),
        task("running gz task", "gz_task_status", dict(gz, task_id=running_gz)),
        task("unknown tid", "faz_top_sources_result", faz_connection(sim, tid=2000000)),
        task("wrong password", "faz_top_sources_result", faz_connection(sim, password="not-the-password", tid=12450)),
        task("batch with an unknown tid", "faz_top_sources_result", faz_connection(sim, tids=[12450, 2000001])),
        task("batch of gz tasks", "gz_task_status", dict(gz, task_ids=[TASK_ID] * 2)),
        task("check mode scan", "gz_scan_task", dict(gz, target_ids=["5ba8e0dbb1a43d0f2b7b23c1"], name="parity scan"),
             check_mode=True),
        task("check mode fortiview task", "faz_fortiview_task",
             faz_connection(sim, view="top-sources", time_range=NIGHT), check_mode=True),
        task("check mode log search", "faz_log_search",
             faz_connection(sim, logtype="traffic", time_range=NIGHT), check_mode=True),
        task("bad input: missing tid", "faz_top_sources_result", faz_connection(sim)),
        task("bad input: port not a number", "faz_top_sources_result", faz_connection(sim, port="abc", tid=12450)),
        task("bad input: timeout out of bounds", "faz_top_sources_result", faz_connection(sim, timeout=0, tid=12450)),
        task("bad input: unknown option", "gz_task_status", dict(gz, task_id=TASK_ID, colour=1)),
        task("bad input: both ids", "gz_task_status", dict(gz, task_id=TASK_ID, task_ids=[TASK_ID])),
        task("bad input: a choice", "gz_task_status", dict(gz, task_id=TASK_ID, api_version="9")),
        task("no certificate check warns", "gz_task_status",
             dict(gz, task_id=TASK_ID, validate_certs=False, ca_path=None)),
        task("no_log task", "faz_top_sources_result", faz_connection(sim, tid=12450), no_log=True),
        task("options from the task environment", "faz_top_sources_result", {"tid": 12450},
             environment=faz_env(sim)),
        task("the environment did not leak", "faz_top_sources_result", {"tid": 12450}),
        task("a row holding a Jinja expression", "faz_top_sources_result", faz_connection(sim, tid=jinja_tid)),
        {"name": "template the row", "ansible.builtin.debug": {"msg": "{{ out.sources[0].hostname }}"}},
    ]
    for entry in tasks:
        module_args = entry.get(COLLECTION + ".gz_task_status")
        if module_args is not None and module_args.get("ca_path") is None:
            module_args.pop("ca_path", None)
    # a search is created anew on each run: its tid is new
    return tasks, {"running fortiview": MOVING, "running gz task": MOVING, "success faz_log_search": {"tid"}}


def comparable(result, moving):
    """The result without the keys in ``moving`` (at the top and in its facts).

    A traceback (``exception``, shown at -vvv by older cores) names the files it passed through:
    the shipped module's are inside its AnsiballZ payload, so only their base names are compared.
    """
    result = dict(result)
    if isinstance(result.get("exception"), str):
        result["exception"] = re.sub(r'File "[^"]*/([^/"]+)"', r'File "\1"', result["exception"])
    if moving:
        result = dict((key, value) for key, value in result.items() if key not in moving)
        facts = result.get("ansible_facts") or {}
        result["ansible_facts"] = dict(
            (name, dict((key, value) for key, value in fact.items() if key not in moving) if isinstance(fact, dict)
             else fact) for name, fact in facts.items())
    return result


@pytest.mark.changing_modules("faz_fortiview_task", "gz_scan_task", "faz_log_search")
def test_both_paths_give_the_same_results(sim, run_playbook):
    running_tid = sim.faz_create_task(view="top-sources", status="running", percentage=40)
    jinja_tid = sim.faz_create_task(view="top-sources", status="done", rows=[
        {"srcip": "10.0.9.9", "hostname": JINJA_ROW, "bytes": 1, "sessions": 1, "threatweight": 0}])
    running_gz = sim.gz_create_task(subtasks=2, duration=3600)
    tasks, moving = corpus(sim, running_tid, jinja_tid, running_gz)

    runs = {}
    for path, env in PATHS.items():
        run = run_playbook(tasks, env=env, verbosity=3)
        assert run.rc == 0, run.describe()
        said = [line for line in run.stdout.splitlines() if "secops.async_tasks." in line and ": " in line
                and ("shipping the module" in line or "in the controller process" in line)]
        assert len(said) == len(run.module_records()) and all(SAID[path] in line for line in said), run.describe()
        runs[path] = run

    controller, shipped = runs["controller"].records, runs["shipped"].records
    assert [record["name"] for record in controller] == [record["name"] for record in shipped]
    compared = 0
    for left, right in zip(controller, shipped):
        assert left["status"] == right["status"], (left["name"], left["result"], right["result"])
        if left["action"] == "ansible.builtin.debug":
            assert left["result"]["msg"] == right["result"]["msg"] == JINJA_ROW
            continue
        assert comparable(left["result"], moving.get(left["name"])) == comparable(right["result"], moving.get(left["name"])), \
            left["name"]
        compared += 1
    assert compared == len(runs["controller"].module_records())

    by_name = dict((record["name"], record) for record in controller)
    assert by_name["running fortiview"]["result"]["status"] == "running"
    assert by_name["options from the task environment"]["status"] == "ok"
    assert by_name["the environment did not leak"]["status"] == "failed"
    assert "port" in by_name["bad input: port not a number"]["result"]["msg"]
    assert "validate_certs is false" in json.dumps(by_name["no certificate check warns"]["result"].get("warnings"))
    assert "uid=" not in runs["controller"].output
