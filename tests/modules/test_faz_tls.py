"""TLS: the simulator's private CA must be passed with ca_path; validate_certs: false works but warns."""

import pytest
import requests

from tests.integration.helpers import faz_connection, faz_env, module_task
from tests.integration.seed_data import TOP_SOURCES
from tests.simulator.server import Simulator


def fetch_seed(sim, **overrides):
    return [module_task("faz_top_sources_result", tid=TOP_SOURCES.tid, **faz_connection(sim, **overrides))]


def test_ca_path_is_trusted_and_nothing_is_warned(sim, run_tasks):
    run = run_tasks(fetch_seed(sim))

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    assert [row["raw"] for row in result["sources"]] == TOP_SOURCES.rows
    assert result.get("warnings", []) == []
    assert "[WARNING]" not in run.output


def test_without_ca_path_fails_and_names_ca_path(sim, run_tasks):
    run = run_tasks(fetch_seed(sim, ca_path=None))

    assert run.rc == 2, run.describe()
    msg = run.failed_result()["msg"]
    assert "certificate verify failed" in msg
    assert "ca_path" in msg and "FORTIANALYZER_CA_PATH" in msg
    assert sim.counters()["faz"]["requests"] == 0  # refused at the handshake: no credentials were sent


def test_ca_path_of_another_ca_fails(sim, run_tasks):
    run = run_tasks(fetch_seed(sim, ca_path=requests.certs.where()))  # public CAs, not the simulator's

    assert run.rc == 2, run.describe()
    msg = run.failed_result()["msg"]
    assert "certificate verify failed" in msg and "ca_path" in msg
    assert sim.counters()["faz"]["requests"] == 0


def test_ca_path_that_does_not_exist_fails_cleanly(sim, run_tasks):
    missing = "/nonexistent/secops-faz-ca.pem"  # not under tmp_path: its name holds the test's name

    run = run_tasks(fetch_seed(sim, ca_path=missing))

    assert run.rc == 2, run.describe()
    msg = run.failed_result()["msg"]
    assert "ca_path" in msg and missing in msg
    assert sim.counters()["faz"]["requests"] == 0


def test_validate_certs_false_works_with_a_warning(sim, run_tasks):
    run = run_tasks(fetch_seed(sim, ca_path=None, validate_certs=False))

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    assert [row["raw"] for row in result["sources"]] == TOP_SOURCES.rows
    assert len(result["warnings"]) == 1 and "validate_certs is false" in result["warnings"][0]
    # Ansible prints it as a [WARNING]: tests/integration/test_playbook_features.py
    assert "InsecureRequestWarning" not in run.output  # one clear warning, not urllib3's


def test_ca_path_from_the_environment(sim, run_tasks):
    env = faz_env(sim)

    run = run_tasks([module_task("faz_top_sources_result", tid=TOP_SOURCES.tid)], env=env)

    assert run.rc == 0, run.describe()
    assert env["FORTIANALYZER_CA_PATH"] == sim.ca_path


@pytest.mark.parametrize("variant, reason", [
    ("expired", "certificate has expired"),
    ("wrong-host", "127.0.0.1"),
])
def test_bad_server_certificate_fails(sim, run_tasks, variant, reason):
    # The same CA (same state dir), a server certificate that must still be refused.
    with Simulator(sim.state_dir, cert_variant=variant) as broken:
        run = run_tasks(fetch_seed(broken))
        port = broken.port
        assert broken.counters()["faz"]["requests"] == 0

    assert run.rc == 2, run.describe()
    msg = run.failed_result()["msg"]
    assert msg.startswith("TLS verification of https://127.0.0.1:%d failed" % port)
    assert reason in msg and "ca_path" in msg
