"""Connection options: TLS (ca_path, validate_certs), GRAVITYZONE_* environment, module_defaults groups."""

import yaml

from tests.integration.gz_helpers import (
    GZ_WRONG_KEY,
    SEED_V10_RESULT,
    SEED_V10_TASK,
    assert_task_result,
    gz_connection,
    gz_env,
    gz_log,
    ignoring_errors,
    key_option,
    run_gz,
)
from tests.integration.helpers import COLLECTION, module_task


def read_seed_v10(name=None, **connection):
    """A gz_task_status task reading the v1.0 seed with only ``connection`` as connection options."""
    return module_task("gz_task_status", name=name, task_id=SEED_V10_TASK, api_version="1.0", **connection)


def test_without_ca_path_or_api_key_fails_before_sending_anything(sim, run_playbook):
    run = run_gz(run_playbook, [
        ignoring_errors(read_seed_v10("no ca_path", **gz_connection(sim, ca_path=None))),
        ignoring_errors(read_seed_v10("no api_key", **gz_connection(sim, api_key=None))),
        ignoring_errors(read_seed_v10("missing ca file", **gz_connection(sim, ca_path="/nonexistent/gz-ca.pem"))),
    ])

    no_ca = run.failed_result("no ca_path")["msg"]
    assert "certificate verify failed" in no_ca
    assert "ca_path" in no_ca and "GRAVITYZONE_CA_PATH" in no_ca
    no_key = run.failed_result("no api_key")["msg"]
    assert "no GravityZone API key" in no_key and "GRAVITYZONE_API_KEY" in no_key
    missing = run.failed_result("missing ca file")["msg"]
    assert "ca_path /nonexistent/gz-ca.pem does not exist" in missing
    # Refused at the TLS handshake or before: the key was never sent.
    assert sim.counters()["gz"]["requests"] == 0


def test_validate_certs_false_works_with_a_warning(sim, run_playbook):
    run = run_gz(run_playbook, [read_seed_v10(**gz_connection(sim, ca_path=None, validate_certs=False))])

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    assert_task_result(result, SEED_V10_RESULT)
    assert len(result["warnings"]) == 1 and "validate_certs is false" in result["warnings"][0]
    assert "GravityZone" in result["warnings"][0]
    assert "[WARNING]: validate_certs is false" in run.output
    assert "InsecureRequestWarning" not in run.output


def test_environment_only(sim, run_playbook):
    env = gz_env(sim)
    env["GRAVITYZONE_TIMEOUT"] = "7"  # every option can come from there, numbers too

    run = run_gz(run_playbook, [read_seed_v10()], env=env)

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    assert_task_result(result, SEED_V10_RESULT)
    assert result.get("warnings", []) == []
    assert gz_log(sim, version="1.0", http_status=200) == gz_log(sim) and len(gz_log(sim)) == 1


def test_module_defaults_group_beats_the_environment_and_task_options_beat_both(sim, run_playbook):
    play = {
        "name": "module_defaults for the gravityzone group",
        "hosts": "localhost",
        "gather_facts": False,
        "module_defaults": {"group/%s.gravityzone" % COLLECTION: gz_connection(sim)},
        "tasks": [
            read_seed_v10("from module_defaults"),
            ignoring_errors(read_seed_v10("own api_key", api_key=key_option(GZ_WRONG_KEY))),
        ],
    }
    # A wrong key in the environment: module_defaults set the option, so the fallback is not used.
    env = dict(GRAVITYZONE_API_KEY=GZ_WRONG_KEY)

    run = run_gz(run_playbook, yaml.safe_dump([play], sort_keys=False), env=env)

    assert_task_result(run.ok_result("from module_defaults"), SEED_V10_RESULT)
    assert "HTTP 401" in run.failed_result("own api_key")["msg"]
    assert [entry["http_status"] for entry in gz_log(sim)] == [200, 401]
