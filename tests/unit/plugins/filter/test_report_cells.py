# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Cells of the reports people open: markdown_cell (ip_investigation summary), csv_cell (fortiview_report
CSV), byte_size (report and demo figures), and the checks of the ip_investigation inputs (ip_address,
time_window's durations). The Markdown is rendered by GitHub's own renderer (cmark-gfm, with its autolink
and table extensions, raw HTML allowed) and by markdown-it with linkify, as a summary's reader would."""

from __future__ import annotations

import csv
import io
import re

import cmarkgfm
import pytest
from ansible.errors import AnsibleFilterError
from cmarkgfm.cmark import Options
from markdown_it import MarkdownIt

from ansible_collections.secops.async_tasks.plugins.filter.byte_size import byte_size
from ansible_collections.secops.async_tasks.plugins.filter.counts_text import counts_text
from ansible_collections.secops.async_tasks.plugins.filter.csv_cell import csv_cell
from ansible_collections.secops.async_tasks.plugins.filter.ip_address import ip_address
from ansible_collections.secops.async_tasks.plugins.filter.markdown_cell import markdown_cell
from ansible_collections.secops.async_tasks.plugins.filter.time_window import time_window

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "[click](javascript:alert(1))",
    "![x](http://evil.example/t.png)",
    "<http://evil.example/>",
    "http://evil.example/path",
    "www.evil.example",
    "mail@evil.example",
    "a | b | c",
    "a \\| b",
    "ends with a backslash \\",
    "x\r\n| 1 | forged | row |",
    "x\n\n# Forged heading",
    "x\u2028# line separator",
    "`code` and ``two``",
    "`",
    "*bold* _em_ ~~strike~~",
    "&lt;script&gt; &amp;",
    "\u202eevil\u202c",
    "   ",
    "",
    None,
    12345,
]


def _table(cells):
    lines = ["| value | after |", "| --- | --- |"]
    lines += ["| %s | end |" % markdown_cell(cell) for cell in cells]
    return "\n".join(lines) + "\n"


def _renderings(markdown):
    github = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    linkify = MarkdownIt("gfm-like", {"html": True, "linkify": True}).render(markdown)
    return {"cmark-gfm": github, "markdown-it": linkify}


@pytest.mark.parametrize("renderer", ["cmark-gfm", "markdown-it"])
def test_hostile_cells_stay_one_cell_of_one_row_and_no_markup(renderer):
    html = _renderings(_table(HOSTILE))[renderer]
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    assert len(rows) == 1 + len(HOSTILE), html
    for row in rows[1:]:
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        assert len(cells) == 2 and cells[1] == "end", row
    body = html.split("</thead>")[1]
    tags = set(re.findall(r"<(/?[A-Za-z][A-Za-z0-9]*)", body))
    assert tags <= {"tbody", "/tbody", "tr", "/tr", "td", "/td", "code", "/code", "/table"}, (tags, html)


def test_cell_text_is_what_the_log_said():
    html = _renderings(_table(["<b>&amp; x</b>", "a | b"]))["cmark-gfm"]
    assert "<code>&lt;b&gt;&amp;amp; x&lt;/b&gt;</code>" in html
    assert "<code>a | b</code>" in html


def test_line_breaks_are_shown_not_obeyed():
    assert markdown_cell("a\r\nb") == "`a\\r\\nb`"
    assert "\n" not in markdown_cell("x\n\n# h") and "\r" not in markdown_cell("x\r")


def test_plain_values():
    assert markdown_cell("10.0.1.5") == "`10.0.1.5`"
    assert markdown_cell(None) == "" and markdown_cell("  ") == ""
    assert markdown_cell(443) == "`443`"
    assert markdown_cell("a`b") == "``a`b``"
    assert markdown_cell("`") == "`` ` ``"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx", "\uff1dcmd()", "\uff0b1", "\uff0d1",
                                   "\uff20x", "  =HYPERLINK(\"http://evil\")", "\n=1"])
def test_csv_formulas_are_neutralised(value):
    cell = csv_cell(value)
    (read,) = next(csv.reader(io.StringIO(cell)))
    assert read.startswith("'"), cell
    assert read[1:] == value


@pytest.mark.parametrize("value, cell", [
    ("plain", '"plain"'), ('say "hi"', '"say ""hi"""'), ("a,b", '"a,b"'), (None, '""'), ("", '""'),
    ("10.0.1.5", '"10.0.1.5"'), (5, "5"), (-5, "-5"), (10 ** 400, str(10 ** 400)), ("x=1", '"x=1"'),
])
def test_csv_cells(value, cell):
    assert csv_cell(value) == cell


def test_csv_line_breaks_inside_a_cell_stay_inside_it():
    row = ",".join([csv_cell("a\r\nb"), csv_cell("c")])
    assert list(csv.reader(io.StringIO(row + "\r\n"))) == [["a\r\nb", "c"]]


@pytest.mark.parametrize("value, text", [
    (0, "0 Bytes"), (1, "1 Byte"), (1023, "1023 Bytes"), (1024, "1.0 KiB"), (1536, "1.5 KiB"),
    (1610612736, "1.5 GiB"), ("2147483648", "2.0 GiB"), (-2048, "-2.0 KiB"), (1024 ** 8, "1.0 YiB"),
])
def test_byte_size(value, text):
    assert byte_size(value) == text


def test_byte_size_of_absurd_numbers_is_text_not_an_overflow():
    assert byte_size(10 ** 400).endswith(" YiB")
    with pytest.raises(AnsibleFilterError, match="byte_size: 'lots' is not a number of bytes"):
        byte_size("lots")
    with pytest.raises(AnsibleFilterError, match="not a number of bytes"):
        byte_size(True)


@pytest.mark.parametrize("value, address", [
    ("10.0.1.5", "10.0.1.5"), (" 10.0.1.5 ", "10.0.1.5"), ("2001:DB8::1", "2001:db8::1"), ("::1", "::1"),
    ("::ffff:10.0.0.1", "::ffff:10.0.0.1"),
])
def test_ip_address_accepts(value, address):
    assert ip_address(value) == address


@pytest.mark.parametrize("value", ["10.0.1.999", "::::", "...", "10.0.1", "1.2.3.4/32", "10.0.1.5 or srcip=1.1.1.1",
                                   "fe80::1%eth0", "", None, 167772165, "0x0a.0.0.1"])
def test_ip_address_refuses(value):
    with pytest.raises(AnsibleFilterError) as err:
        ip_address(value, name="ip_investigation_ip")
    assert "ip_investigation_ip" in str(err.value) and "not an IPv4 or IPv6 address" in str(err.value)


@pytest.mark.parametrize("before", ["3000000w", "99999999999999999999d", "-1h", "1.5h", "1y"])
def test_time_window_durations_are_bounded(before):
    with pytest.raises(AnsibleFilterError, match="before"):
        time_window("2026-11-20 14:05:00", before=before)


def test_counts_text():
    counts = {"pending": 0, "in_progress": 1, "finished": 4999, "unknown": 0, "failed": 1}
    assert counts_text(counts) == "1 in progress, 4999 finished, 1 failed"
    assert counts_text({"pending": 0}) == "none" and counts_text({}) == "none"
    with pytest.raises(AnsibleFilterError, match="counts_text: failed is 'x', not a whole number"):
        counts_text({"failed": "x"})
    with pytest.raises(AnsibleFilterError, match="expected a dictionary"):
        counts_text([1])
