# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The roles' report templates, rendered in-process by Ansible's own templar with the collection's filters,
from report data no appliance should send but a log or a broken reply can: host names that are formulas,
markup and line breaks, counts of 10**400 and negative byte counts. (The roles' runs against the simulator
are in tests/integration and extensions/molecule.)"""

from __future__ import annotations

import csv
import io
import os
import re

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

try:  # ansible-core 2.19+: only trusted text is a template
    from ansible.template import trust_as_template
except ImportError:
    def trust_as_template(text):
        return text

ROLES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))),
                     "roles")
HOSTILE_NAMES = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1", "-2+3", "@SUM(1)", "\tcmd", "\rcmd",
                 "\uff1dcmd", "  =1+1", "<script>alert(1)</script>", "a,\"b\"\r\nc"]


@pytest.fixture(scope="module")
def render():
    def render_template(role, name, variables):
        with open(os.path.join(ROLES, role, "templates", name), encoding="utf-8") as stream:
            source = stream.read()
        templar = Templar(loader=DataLoader(), variables=variables)
        return templar.template(trust_as_template(source), preserve_trailing_newlines=True, escape_backslashes=False)
    return render_template


def report(entries):
    return {"fortiview_report_result": {
        "title": "Report", "adom": "root", "period": {"start": "2026-11-20 08:00:00", "end": "2026-11-20 20:00:00"},
        "top": 10, "devices": [],
        "views": [{"view": "top-sources", "title": "Top sources", "column": "Source", "filter": None,
                   "rankings": [{"by": "bytes", "entries": entries}]}]}}


def entry(rank, name, size=1, sessions=1, detail=None):
    return {"rank": rank, "name": name, "detail": detail, "bytes": size, "sessions": sessions}


def test_csv_cells_never_start_a_formula(render):
    entries = [entry(rank, name, detail=name) for rank, name in enumerate(HOSTILE_NAMES, 1)]
    text = render("fortiview_report", "report.csv.j2", report(entries))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["view", "ranked_by", "rank", "name", "detail", "bytes", "sessions"]
    assert len(rows) == 1 + len(HOSTILE_NAMES)
    for row, name in zip(rows[1:], HOSTILE_NAMES):
        assert row[3] == row[4]
        assert row[3] == ("'" + name if name.lstrip(" ")[:1] in "=+-@\t\r\uff1d" else name), row
        assert row[2].isdigit() and row[5] == "1"


def test_absurd_numbers_give_a_clamped_chart_and_a_note(render):
    entries = [entry(1, "huge", 10 ** 400, 10 ** 400), entry(2, "fine", 1610612736, 3), entry(3, "negative", -5, -1)]
    html = render("fortiview_report", "report.html.j2", report(entries))
    widths = [float(width) for width in re.findall(r'<rect class="bar"[^>]* width="([^"]+)"', html)]
    assert widths[0] == 290 and all(0 <= width <= 290 for width in widths), widths
    assert "2 of these numbers cannot be counts" in html
    assert "1.5 GiB" in html and "YiB" in html and "-5 Bytes" in html
    text = render("fortiview_report", "report.csv.j2", report(entries))
    assert text.splitlines()[1].endswith(",%d,%d" % (10 ** 400, 10 ** 400))
    assert text.splitlines()[3].endswith(",-5,-1")


def test_a_plain_report_has_no_note(render):
    html = render("fortiview_report", "report.html.j2", report([entry(1, "10.0.0.1", 2048, 3)]))
    assert "cannot be counts" not in html and "2.0 KiB" in html
