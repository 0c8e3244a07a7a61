"""playbooks/investigate_ip.yml and the role ip_investigation, through ansible-playbook against the simulator."""

import calendar
import datetime
import os

import pytest
import yaml

from tests.integration.gz_helpers import gz_env
from tests.integration.helpers import collections_path, faz_env
from tests.simulator.faz_logsearch import STORES, compile_filter

IP = "10.0.1.5"
AROUND = "2025-12-16 12:00:00"
ENDPOINT = "65f466d8c9dd23034805aaaa"
SCAN = pytest.mark.changing_modules("gz_scan_task")


def expected_logs(logtype):
    """What the simulator holds for the address from 11:00 to 13:00 (the filter the role sends)."""
    store = STORES[logtype]
    start = calendar.timegm(datetime.datetime(2025, 12, 16, 11).timetuple())
    first, last = store.numbers(start, start + 7200)
    predicate = compile_filter("srcip=%s or dstip=%s" % (IP, IP), store.fields)
    return [row for row in (store.row(number) for number in range(first, last + 1)) if predicate(row)]


def role_play(report_dir, **extra):
    variables = dict(ip_investigation_ip=IP, ip_investigation_around=AROUND, ip_investigation_dir=str(report_dir),
                     ip_investigation_top=5)
    variables.update(extra)
    return [{"name": "Investigate", "hosts": "localhost", "gather_facts": False,
             "roles": [{"role": "secops.async_tasks.ip_investigation", "vars": variables}]}]


@SCAN
def test_the_role_searches_ranks_writes_and_scans(sim, run_playbook, tmp_path):
    sim.configure(faz_logsearch_duration=0.5)
    report_dir = tmp_path / "reports"
    run = run_playbook(role_play(report_dir, ip_investigation_gz_scan=True, ip_investigation_gz_endpoint_id=ENDPOINT,
                                 ip_investigation_gz_endpoint_name="LAPTOP-FIN12"),
                       env=dict(faz_env(sim), **gz_env(sim)))

    assert run.rc == 0, run.describe()
    traffic, attacks = expected_logs("traffic"), expected_logs("attack")
    markdown = (report_dir / "ip-10.0.1.5.md").read_text(encoding="utf-8")
    html = (report_dir / "ip-10.0.1.5.html").read_text(encoding="utf-8")
    assert "| traffic logs | %d | %d |" % (len(traffic), len(traffic)) in markdown
    assert "| attack logs | %d | %d |" % (len(attacks), len(attacks)) in markdown
    outbound = [row for row in traffic if row["srcip"] == IP]
    counts = dict((dstip, sum(row["dstip"] == dstip for row in outbound)) for dstip in set(r["dstip"] for r in outbound))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    assert "| 1 | %s | %d |" % ranked[0] in markdown and "| 2 | %s | %d |" % ranked[1] in markdown
    assert "Botnet.C&amp;C.Server" in html or "Botnet" not in markdown
    assert "Scan task 67" in markdown and "LAPTOP-FIN12" in markdown
    assert sim.gz_scan_tasks_created() == 1
    counters = sim.counters()["faz"]
    assert (counters["logsearches_created"], counters["logsearches_open"], counters["logins"]) == (2, 0, 1)


def test_the_collection_playbook_in_check_mode_writes_nothing(sim, run_playbook, tmp_path):
    report_dir = tmp_path / "reports"
    installed = os.path.join(collections_path(), "ansible_collections", "secops", "async_tasks", "playbooks",
                             "investigate_ip.yml")
    with open(installed, encoding="utf-8") as stream:
        playbook = yaml.safe_load(stream)
    playbook[0]["vars"].update(ip_investigation_ip=IP, ip_investigation_dir=str(report_dir))
    run = run_playbook(yaml.safe_dump(playbook), env=faz_env(sim), check=True)

    assert run.rc == 0, run.describe()
    assert not os.path.exists(str(report_dir))
    assert "add" not in sim.counters()["faz"]["by_method"]


def test_a_bad_address_is_refused_before_any_search(sim, run_playbook, tmp_path):
    run = run_playbook(role_play(tmp_path, ip_investigation_ip="10.0.1.5; rm"), env=faz_env(sim))

    assert run.rc != 0
    assert "must be an IPv4 or IPv6 address" in run.output
    assert sim.counters()["faz"]["requests"] == 0
