"""Connection options: TLS (ca_path, validate_certs), the GRAVITYZONE_* environment.

module_defaults groups: tests/integration/test_playbook_features.py."""

from tests.integration.gz_helpers import (
    SEED_V10_RESULT,
    SEED_V10_TASK,
    assert_task_result,
    gz_connection,
    gz_env,
    gz_log,
    ignoring_errors,
    run_gz,
)
from tests.integration.helpers import module_task


def read_seed_v10(name=None, **connection):
    """A gz_task_status task reading the v1.0 seed with only ``connection`` as connection options."""
    return module_task("gz_task_status", name=name, task_id=SEED_V10_TASK, api_version="1.0", **connection)


def test_without_ca_path_or_api_key_fails_before_sending_anything(sim, run_tasks):
    run = run_gz(run_tasks, [
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


def test_validate_certs_false_works_with_a_warning(sim, run_tasks):
    run = run_gz(run_tasks, [read_seed_v10(**gz_connection(sim, ca_path=None, validate_certs=False))])

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    assert_task_result(result, SEED_V10_RESULT)
    assert len(result["warnings"]) == 1 and "validate_certs is false" in result["warnings"][0]
    assert "GravityZone" in result["warnings"][0]
    # Ansible prints it as a [WARNING]: tests/integration/test_playbook_features.py
    assert "InsecureRequestWarning" not in run.output


def test_environment_only(sim, run_tasks):
    env = gz_env(sim)
    env["GRAVITYZONE_TIMEOUT"] = "7"  # every option can come from there, numbers too

    run = run_gz(run_tasks, [read_seed_v10()], env=env)

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    assert_task_result(result, SEED_V10_RESULT)
    assert result.get("warnings", []) == []
    assert gz_log(sim, version="1.0", http_status=200) == gz_log(sim) and len(gz_log(sim)) == 1
