"""plugins/filter/one_line.py: text from a server cannot start a line of its own."""

import pytest

from ansible_collections.secops.async_tasks.plugins.filter.one_line import FilterModule, one_line


@pytest.mark.parametrize("value, expected", [
    ("pc-01", "pc-01"),
    ("pc-01\r\nok: every endpoint passed", "pc-01\\r\\nok: every endpoint passed"),
    ("tab\there", "tab\\there"),
    ("\x1b[2Kcleared", "\\x1b[2Kcleared"),
    ("nul\x00", "nul\\x00"),
    ("c1\x85next", "c1\\x85next"),
    ("sep\u2028par\u2029", "sep\\u2028par\\u2029"),
    ("\u202egnp.exe", "\\u202egnp.exe"),
    ("isolate\u2066d\u2069", "isolate\\u2066d\\u2069"),
    ("Ordinateur-é 日本 C:\\Temp", "Ordinateur-é 日本 C:\\Temp"),
    ("no\u00a0break", "no\u00a0break"),
    (None, ""),
    (7, "7"),
])
def test_escapes(value, expected):
    assert one_line(value) == expected


@pytest.mark.parametrize("char", [chr(code) for code in list(range(0, 32)) + [127] + list(range(0x80, 0xA0))]
                         + ["\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"])
def test_nothing_that_splits_lines_survives(char):
    text = one_line("a%sb" % char)
    assert len(text.splitlines()) == 1
    assert char not in text


def test_registered_under_its_name():
    assert FilterModule().filters() == {"one_line": one_line}
