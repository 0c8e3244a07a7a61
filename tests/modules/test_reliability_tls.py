"""TLS: broken server certificates are refused by default, for every module; validate_certs: false works, warns.

test_faz_tls.py covers FortiAnalyzer's CA handling (ca_path, another CA, a missing file, the
environment) and the expired / wrong-host refusals of faz_top_sources_result; test_gz_connection.py
covers GravityZone without ca_path and validate_certs: false. This adds the rest of the matrix in one
playbook, against two extra simulators signed by the same CA as the session's: one serving an expired
certificate, one a certificate for another host name. A refusal must say how to pass ca_path, and
nothing may reach the server; validate_certs: false must work against both and warn once.
"""

import pytest

from tests.integration.helpers import faz_connection, module_task
from tests.integration.reliability_helpers import GZ_API_KEY
from tests.simulator.server import Simulator

GZ_TASK = "21a295eeb1a43d8b497b23b7"
TARGET = "5ba8e0dbb1a43d0f2b7b23c1"
REASONS = {"expired": "certificate has expired", "wrong-host": "127.0.0.1", "unknown-ca": "certificate verify failed"}


def gz_connection(sim, **overrides):
    options = dict(api_url=sim.gz_api_url, api_key=GZ_API_KEY, ca_path=sim.ca_path)
    options.update(overrides)
    return dict((name, value) for name, value in options.items() if value is not None)


def case(name, module, args, variant, refused):
    entry = module_task(module, name=name, **args)
    entry["ignore_errors"] = True
    return dict(task=entry, variant=variant, refused=refused, product="GravityZone" if module.startswith("gz_")
                else "FortiAnalyzer")


@pytest.fixture
def broken_sims(sim):
    with Simulator(sim.state_dir, cert_variant="expired") as expired:
        with Simulator(sim.state_dir, cert_variant="wrong-host") as wrong_host:
            yield {"expired": expired, "wrong-host": wrong_host, "unknown-ca": sim}


def matrix(sims):
    expired, wrong, good = sims["expired"], sims["wrong-host"], sims["unknown-ca"]
    insecure = dict(ca_path=None, validate_certs=False)
    return [
        case("faz_top_applications_result wrong host", "faz_top_applications_result",
             dict(tid=12455, **faz_connection(wrong)), "wrong-host", True),
        case("faz_fortiview_result expired", "faz_fortiview_result",
             dict(view="top-sources", tid=12450, **faz_connection(expired)), "expired", True),
        case("faz_fortiview_task unknown CA", "faz_fortiview_task",
             dict(view="top-sources", time_range={"last": "1h"}, **faz_connection(good, ca_path=None)),
             "unknown-ca", True),
        case("faz_fortiview_task expired", "faz_fortiview_task",
             dict(view="top-sources", state="absent", tid=12450, **faz_connection(expired)), "expired", True),
        case("gz_task_status expired", "gz_task_status", dict(task_id=GZ_TASK, **gz_connection(expired)),
             "expired", True),
        case("gz_task_status wrong host", "gz_task_status", dict(task_id=GZ_TASK, **gz_connection(wrong)),
             "wrong-host", True),
        case("gz_scan_task unknown CA", "gz_scan_task", dict(target_ids=[TARGET], **gz_connection(good, ca_path=None)),
             "unknown-ca", True),
        case("gz_scan_task wrong host", "gz_scan_task", dict(target_ids=[TARGET], **gz_connection(wrong)),
             "wrong-host", True),
        case("faz_top_sources_result expired, validate_certs false", "faz_top_sources_result",
             dict(tid=12450, **faz_connection(expired, **insecure)), "expired", False),
        case("faz_fortiview_result wrong host, validate_certs false", "faz_fortiview_result",
             dict(view="top-applications", tid=12455, **faz_connection(wrong, **insecure)), "wrong-host", False),
        case("gz_task_status expired, validate_certs false", "gz_task_status",
             dict(task_id=GZ_TASK, api_version="1.0", **gz_connection(expired, **insecure)), "expired", False),
        case("gz_scan_task wrong host, validate_certs false", "gz_scan_task",
             dict(target_ids=[TARGET], **gz_connection(wrong, **insecure)), "wrong-host", False),
    ]


@pytest.mark.changing_modules("gz_scan_task")
def test_broken_certificates_are_refused_and_validate_certs_false_warns(sim, broken_sims, run_tasks):
    cases = matrix(broken_sims)

    run = run_tasks([item["task"] for item in cases])

    for item in cases:
        name = item["task"]["name"]
        record = run.record(name)
        result = record["result"]
        if item["refused"]:
            assert record["status"] == "failed", (name, result)
            msg = result["msg"]
            assert msg.startswith("TLS verification of https://127.0.0.1:"), msg
            assert REASONS[item["variant"]] in msg, msg
            assert "ca_path (or %s_CA_PATH)" % item["product"].upper() in msg, msg
            assert "validate_certs: false" in msg, msg
        else:
            assert record["status"] == "ok", (name, result.get("msg"))
            assert len(result["warnings"]) == 1 and "validate_certs is false" in result["warnings"][0], result
    # A refused handshake sends nothing: the broken simulators saw only the validate_certs: false runs.
    for variant in ("expired", "wrong-host"):
        counters = broken_sims[variant].counters()
        insecure = [item for item in cases if item["variant"] == variant and not item["refused"]]
        faz_runs = sum(1 for item in insecure if item["product"] == "FortiAnalyzer")
        gz_runs = sum(1 for item in insecure if item["product"] == "GravityZone")
        assert counters["faz"]["logins"] == faz_runs and counters["faz"]["open_sessions"] == 0, counters
        assert counters["gz"]["requests"] == gz_runs, counters
    assert sim.counters()["faz"]["requests"] == 0 and sim.counters()["gz"]["requests"] == 0
    assert "InsecureRequestWarning" not in run.output
