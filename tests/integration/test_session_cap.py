"""The FortiAnalyzer session cap: many playbook hosts logging in at once share it instead of failing.

FortiAnalyzer limits the sessions of one admin (``login-max``); a login past it is refused (-20 here,
see docs/simulator.md). 30 hosts with forks 10 against a cap of 3, each read answered after 0.3-1.5 s:
each module run holds its session for a second or so, so a login refused for the cap backs off with jitter and tries again within
the run's deadline, and every host gets its result. The numbers (refusals, peak, time) are written to
``SECOPS_SESSION_CAP_STATS`` when set, for docs/reliability.md. A cap that never frees:
test_faz_auth.py::test_full_session_cap_fails_with_a_clear_message.
"""

import json
import os
import sys

from tests.integration.helpers import faz_connection

HOSTS = 30
FORKS = 10
CAP = 3


def playbook(sim, hosts, extra=None):
    args = dict(faz_connection(sim), tid=12450)
    args.update(extra or {})
    return [
        {"name": "Make the hosts", "hosts": "localhost", "gather_facts": False, "tasks": [
            {"name": "Add host", "ansible.builtin.add_host": {
                "name": "node{{ item }}", "groups": "nodes", "ansible_connection": "local",
                "ansible_python_interpreter": sys.executable}, "loop": "{{ range(%d) | list }}" % hosts}]},
        {"name": "Every host reads the same task", "hosts": "nodes", "gather_facts": False, "tasks": [
            {"name": "Read", "secops.async_tasks.faz_top_sources_result": args, "delegate_to": "localhost"}]},
    ]


def test_thirty_hosts_share_a_cap_of_three(sim, run_playbook):
    sim.configure(faz_session_cap=CAP)
    # Each read answers after 0.3-1.5 s, as a busy appliance does: every run holds its session that long.
    sim.set_faults(rate=1.0, kinds=["latency"], products=["faz"], methods=["get"])

    run = run_playbook(playbook(sim, HOSTS), env={"ANSIBLE_FORKS": str(FORKS)}, timeout=600)

    reads = [record for record in run.records if record["name"] == "Read"]
    failed = [record["result"].get("msg") for record in reads if record["status"] != "ok"]
    counters = sim.counters()["faz"]
    stats = {"hosts": HOSTS, "forks": FORKS, "cap": CAP, "failed": len(failed), "logins": counters["logins"],
             "cap_refusals": counters["cap_refusals"], "peak_sessions": counters["peak_sessions"],
             "elapsed": round(run.elapsed, 1)}
    if os.environ.get("SECOPS_SESSION_CAP_STATS"):
        with open(os.environ["SECOPS_SESSION_CAP_STATS"], "w", encoding="utf-8") as stream:
            json.dump(stats, stream)
    assert len(reads) == HOSTS, run.describe()
    assert failed == [], "%s\n%s" % (stats, failed[:3])
    assert counters["cap_refusals"] > 0, "the cap was never reached: the test proves nothing (%s)" % stats
    assert counters["peak_sessions"] <= CAP and counters["logins"] == HOSTS, stats
    assert all(record["result"]["status"] == "done" for record in reads)
