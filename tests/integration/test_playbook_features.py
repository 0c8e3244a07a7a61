"""What only ansible-playbook does, batched into one playbook run (kubernetes.core integration-target style).

One playbook of several plays runs once per test module; each test then checks its own tasks:

* a smoke run of every module of the collection (plugins/modules/) through Ansible;
* ``module_defaults`` groups of both products, and that they beat the GRAVITYZONE_* environment
  while a task's own option beats both;
* connection options from the FORTIANALYZER_* / GRAVITYZONE_* environment of the module (a task's
  ``environment:``, as AWX injects credentials);
* ``validate_certs: false``: one warning, printed by Ansible as ``[WARNING]``, not urllib3's;
* later tasks branching on the ``ansible_facts`` a module sets (``when:`` and a Jinja template).

The behaviour of each module is tested in-process (tests/modules/); here it is Ansible's part.
"""

import pytest
import yaml

from tests.integration.gz_helpers import (
    GZ_API_KEY,
    GZ_WRONG_KEY,
    KEY_VARIABLES,
    SEED_V10_RESULT,
    SEED_V10_TASK,
    assert_no_secret,
    assert_task_result,
    gz_connection,
    gz_env,
    ignoring_errors,
    key_option,
)
from tests.integration.helpers import (
    COLLECTION,
    FAZ_API_KEY,
    PlaybookRunner,
    faz_connection,
    faz_env,
    module_crashed,
    module_task,
)
from tests.integration.property_helpers import baseline_args, module_names, module_spec
from tests.integration.seed_data import SEED_TASKS, TOP_SOURCES

# Modules that create something when they succeed (the others must report changed: false).
CREATING = frozenset(("faz_fortiview_task", "gz_scan_task", "faz_report", "gz_report"))
SMOKE = ["smoke %s" % name for name in module_names()]
FAZ_DEFAULTS = ["faz defaults %s" % seed.module for seed in SEED_TASKS]
BRANCHES = {  # module task, the debug task taken and its message, the one skipped
    "done": (TOP_SOURCES.tid, "Report the result (done)", "3 sources", "Report progress (done)"),
    "running": (TOP_SOURCES.running_tid, "Report progress (running)", "still running at 65%",
                "Report the result (running)"),
}


def read_seed_v10(name, **connection):
    return module_task("gz_task_status", name=name, task_id=SEED_V10_TASK, api_version="1.0", **connection)


def branch_tasks(sim, case, tid):
    return [
        module_task("faz_top_sources_result", name="facts (%s)" % case, tid=tid, **faz_connection(sim)),
        {"name": "Report the result (%s)" % case, "when": "ansible_facts.faz_top_sources.done",
         "ansible.builtin.debug": {"msg": "{{ ansible_facts.faz_top_sources.sources | length }} sources"}},
        {"name": "Report progress (%s)" % case, "when": "not ansible_facts.faz_top_sources.done",
         "ansible.builtin.debug": {"msg": "still {{ ansible_facts.faz_top_sources.status }} at "
                                          "{{ ansible_facts.faz_top_sources.percentage }}%"}},
    ]


def smoke_tasks(sim):
    tasks = []
    for name in module_names():
        args = baseline_args(sim, name, module_spec(name)["argument_spec"])
        if "api_key" in args:
            args["api_key"] = key_option(args["api_key"])
        tasks.append(ignoring_errors({"name": "smoke %s" % name, "%s.%s" % (COLLECTION, name): args}))
    return tasks


def playbook(sim):
    play = {"hosts": "localhost", "gather_facts": False}
    return [
        dict(play, name="Smoke: every module once", tasks=smoke_tasks(sim)),
        dict(play, name="module_defaults for the fortianalyzer group",
             module_defaults={"group/%s.fortianalyzer" % COLLECTION: faz_connection(sim)},
             tasks=[module_task(seed.module, name="faz defaults %s" % seed.module, tid=seed.tid)
                    for seed in SEED_TASKS]),
        # A wrong key in the run's environment: module_defaults set the option, so the fallback is not used.
        dict(play, name="module_defaults for the gravityzone group",
             module_defaults={"group/%s.gravityzone" % COLLECTION: gz_connection(sim)},
             tasks=[read_seed_v10("gz defaults"),
                    ignoring_errors(read_seed_v10("gz own api_key", api_key=key_option(GZ_WRONG_KEY)))]),
        dict(play, name="Connection options from the environment", tasks=[
            dict(module_task("faz_top_sources_result", name="faz env password", tid=TOP_SOURCES.tid),
                 environment=faz_env(sim)),
            dict(module_task("faz_top_sources_result", name="faz env api_key", tid=TOP_SOURCES.tid),
                 environment=faz_env(sim, username=None, password=None, api_key=FAZ_API_KEY)),
            dict(read_seed_v10("gz env"), environment=dict(gz_env(sim), GRAVITYZONE_TIMEOUT="7")),
        ]),
        dict(play, name="validate_certs: false", tasks=[
            module_task("faz_top_sources_result", name="faz no verify", tid=TOP_SOURCES.tid,
                        **faz_connection(sim, ca_path=None, validate_certs=False)),
            read_seed_v10("gz no verify", **gz_connection(sim, ca_path=None, validate_certs=False)),
        ]),
        dict(play, name="Branching on the facts",
             tasks=[task for case, (tid, *_others) in BRANCHES.items() for task in branch_tasks(sim, case, tid)]),
    ]


@pytest.fixture(scope="module")
def features(sim, tmp_path_factory):
    """(run, FortiAnalyzer request log, counters), taken right after the one playbook run."""
    sim.reset()
    env = dict((variable, key) for key, variable in KEY_VARIABLES.items())
    env["GRAVITYZONE_API_KEY"] = GZ_WRONG_KEY
    run = PlaybookRunner(tmp_path_factory.mktemp("features"))(yaml.safe_dump(playbook(sim), sort_keys=False),
                                                              env=env)
    return run, sim.log("faz"), sim.counters()


def test_the_playbook_ran_every_task_without_a_crash_or_a_secret(features):
    run, counters = features[0], features[2]
    assert "Traceback" not in run.output, run.describe()
    assert_no_secret(run)
    assert FAZ_API_KEY not in run.output and GZ_API_KEY not in run.output
    for record in run.module_records():
        assert not module_crashed(record["result"]), record
    assert counters["faz"]["open_sessions"] == 0


@pytest.mark.parametrize("task", SMOKE)
def test_smoke_every_module_through_ansible(features, task):
    run = features[0]
    result = run.ok_result(task)
    module = task[len("smoke "):]
    assert result["changed"] is (module in CREATING), result


@pytest.mark.parametrize("task", FAZ_DEFAULTS)
def test_fortianalyzer_options_from_module_defaults_group(features, task):
    run, faz = features[:2]
    seed = next(seed for seed in SEED_TASKS if task.endswith(seed.module))
    assert [row["raw"] for row in run.ok_result(task)[seed.rows_key]] == seed.rows
    assert run.ok_result(task)["changed"] is False
    assert len([entry for entry in faz if entry.get("url") == "/sys/login/user"]) >= len(SEED_TASKS)


def test_gravityzone_module_defaults_beat_the_environment_and_task_options_beat_both(features):
    run = features[0]
    assert_task_result(run.ok_result("gz defaults"), SEED_V10_RESULT)
    assert "HTTP 401" in run.failed_result("gz own api_key")["msg"]


def test_connection_options_from_the_environment(features):
    run, faz = features[:2]
    for task in ("faz env password", "faz env api_key"):
        assert [row["raw"] for row in run.ok_result(task)["sources"]] == TOP_SOURCES.rows
    result = run.ok_result("gz env")
    assert_task_result(result, SEED_V10_RESULT)
    assert result.get("warnings", []) == []
    assert {entry["auth"] for entry in faz if entry.get("method") == "get"} >= {"session", "bearer"}


def test_validate_certs_false_works_with_one_ansible_warning(features):
    run = features[0]
    faz_result = run.ok_result("faz no verify")
    assert [row["raw"] for row in faz_result["sources"]] == TOP_SOURCES.rows
    gz_result = run.ok_result("gz no verify")
    assert_task_result(gz_result, SEED_V10_RESULT)
    for result in (faz_result, gz_result):
        assert len(result["warnings"]) == 1 and "validate_certs is false" in result["warnings"][0]
    assert "GravityZone" in gz_result["warnings"][0]
    assert (run.stdout + run.stderr).count("[WARNING]: validate_certs is false") >= 2  # shown by Ansible
    assert "InsecureRequestWarning" not in run.output  # one clear warning, not urllib3's


@pytest.mark.parametrize("case", sorted(BRANCHES))
def test_next_task_branches_on_the_facts(features, case):
    run = features[0]
    taken, message, skipped = BRANCHES[case][1:]
    assert run.record(taken)["status"] == "ok"
    assert run.record(skipped)["status"] == "skipped"
    assert run.record(taken)["result"]["msg"] == message
