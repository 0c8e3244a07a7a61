"""playbooks/investigate_ip.yml and the role ip_investigation, through ansible-playbook against the simulator."""

import calendar
import datetime
import os
import re

import cmarkgfm
import pytest
import yaml
from cmarkgfm.cmark import Options

from tests.integration.gz_helpers import gz_env
from tests.integration.helpers import collections_path, faz_env
from tests.simulator.faz_logsearch import STORES, compile_filter

IP = "10.0.1.5"
AROUND = "2025-12-16 12:00:00"
ENDPOINT = "65f466d8c9dd23034805aaaa"
SCAN = pytest.mark.changing_modules("gz_scan_task")
# What a device may write into a log field: markup, a link, and line breaks that would forge table rows
# and a heading in a summary that pasted it as it is.
HOSTILE = "<script>alert(1)</script> | 9 | forged |\r\n| 1 | 6.6.6.6 | 999 |\n\n# Forged [x](javascript:alert(1)) www.evil.example"


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
    sim.configure(faz_logsearch_duration=0.5, faz_logsearch_row_text={"attack": HOSTILE, "service": HOSTILE})
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
    assert "| 1 | `%s` | %d |" % ranked[0] in markdown and "| 2 | `%s` | %d |" % ranked[1] in markdown
    assert "Botnet.C&amp;C.Server" in html or "Botnet" not in markdown
    assert "Scan task `67" in markdown and "`LAPTOP-FIN12`" in markdown
    # The hostile text is shown as text in its own cell, in both files, and obeyed in neither.
    rendered = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    layout = {"h1", "h2", "p", "table", "thead", "tbody", "tr", "th", "td", "code"}
    assert set(tag.lstrip("/") for tag in re.findall(r"<(/?[a-z0-9]+)", rendered)) <= layout, rendered
    assert rendered.count("<h1>") == 1 and "Forged" not in "".join(re.findall(r"<h[12]>.*?</h[12]>", rendered))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | 9 | forged |\\r\\n| 1 | 6.6.6.6" in rendered
    for line in markdown.splitlines():
        assert not line.startswith(("| 1 | 6.6.6.6", "# Forged")), line
        if line.startswith("| ") and HOSTILE[:8] in line:
            assert len(re.findall(r"(?<!\\)\|", line)) in (5, 6), line  # the cells the table's header has
    assert "&lt;script&gt;" in html and "<script" not in html
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


REFUSED = [
    (dict(ip_investigation_ip="10.0.1.999"), "ip_investigation_ip '10.0.1.999' is not an IPv4 or IPv6 address"),
    (dict(ip_investigation_ip="::::"), "ip_investigation_ip '::::' is not an IPv4 or IPv6 address"),
    (dict(ip_investigation_ip="..."), "ip_investigation_ip '...' is not an IPv4 or IPv6 address"),
    (dict(ip_investigation_ip="10.0.1.5 or srcip=1.1.1.1"), "is not an IPv4 or IPv6 address"),
    (dict(ip_investigation_before="3000000w"), "before '3000000w' is longer than the maximum"),
    (dict(ip_investigation_after="99999999999999999999d"), "after '99999999999999999999d' is longer than the maximum"),
]


def test_bad_addresses_and_durations_are_refused_before_any_search(sim, run_playbook, tmp_path):
    # One playbook run: each case in a block whose rescue notes the message.
    tasks = []
    for index, (variables, _words) in enumerate(REFUSED):
        settings = dict(ip_investigation_ip=IP, ip_investigation_around=AROUND, ip_investigation_dir=str(tmp_path))
        settings.update(variables)
        tasks.append({"name": "Case %d" % index, "block": [
            {"ansible.builtin.include_role": {"name": "secops.async_tasks.ip_investigation"}, "vars": settings},
            {"ansible.builtin.fail": {"msg": "case %d was accepted" % index}}],
            "rescue": [{"ansible.builtin.set_fact": {"refusals": "{{ refusals + [ansible_failed_result.msg] }}"}}]})
    tasks.append({"ansible.builtin.debug": {"var": "refusals"}})
    run = run_playbook([{"hosts": "localhost", "gather_facts": False, "vars": {"refusals": []}, "tasks": tasks}],
                       env=faz_env(sim))

    assert run.rc == 0, run.describe()
    assert "was accepted" not in run.output
    for _variables, words in REFUSED:
        assert words in run.output, (words, run.describe())
    assert sim.counters()["faz"]["requests"] == 0
