# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Values from logs and appliances as cells of the reports people open - a Markdown table (and the HTML a
Markdown renderer makes of it), a CSV file a spreadsheet opens - and byte counts as people read them.
For the controller-side filters markdown_cell, csv_cell, byte_size and counts_text. Nothing here runs on a managed node.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.secops.async_tasks.plugins.plugin_utils.text import one_line

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV Injection"), the
# full-width forms included: some spreadsheets fold them to ASCII before they look.
FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
_BACKTICKS = re.compile(r"`+")
BINARY_UNITS = ("KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB")


def markdown_cell(value):
    """``value`` as the text of one Markdown table cell that is shown, never obeyed.

    The text goes in a code span: a Markdown renderer shows what is in one as it is - no link, no
    autolink, no emphasis, no HTML (it escapes ``<`` and ``&``). Around it: line breaks and other control
    or invisible characters become visible escapes (``one_line``), so a value cannot end the row or start
    a heading; ``|`` is escaped, the one character GFM tables split on even inside a code span. The fence
    is one backtick longer than the longest run in the text. ``None`` and blank text give an empty cell.
    """
    text = one_line(value).strip()
    if not text:
        return ""
    text = text.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    if text[0] == "`" or text[-1] == "`":
        text = " %s " % text  # a renderer removes one space each side again
    return fence + text + fence


def csv_cell(value):
    """One RFC 4180 field: an integer as it is; anything else as quoted text (quotes doubled), with an
    apostrophe in front when the text (past leading spaces) starts like a formula."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    if text.lstrip(" \u00a0\u3000")[:1] in FORMULA_STARTS or text[:1] in FORMULA_STARTS:
        text = "'" + text
    return '"%s"' % text.replace('"', '""')


def _exact(value, where):
    """``value`` (int, float or numeric text) as a Decimal; AnsibleFilterError when it is not a number."""
    if isinstance(value, bool) or value is None:
        raise AnsibleFilterError("%s: %r is not a number of bytes" % (where, value))
    try:
        number = decimal.Decimal(value if isinstance(value, int) else str(value).strip())
    except (decimal.InvalidOperation, ValueError, TypeError):
        raise AnsibleFilterError("%s: %r is not a number of bytes" % (where, value)) from None
    if not number.is_finite():
        raise AnsibleFilterError("%s: %r is not a number of bytes" % (where, value))
    return number


def byte_size(value):
    """Bytes as people read them, in powers of 1024 as the report shows them: ``1.5 GiB``, ``512 Bytes``.

    Exact for any integer (no float on the way, so 10**400 is a very large number of YiB, not an
    OverflowError); negative counts keep their sign.
    """
    number = _exact(value, "byte_size")
    sign, size = ("-" if number < 0 else ""), abs(number)
    if size < 1024:
        whole = int(size)
        return "%s%d Byte%s" % (sign, whole, "" if whole == 1 else "s")
    unit, scaled = BINARY_UNITS[0], size / 1024
    for unit in BINARY_UNITS:
        if scaled < 1024 or unit == BINARY_UNITS[-1]:
            break
        scaled /= 1024
    with decimal.localcontext() as context:
        context.prec = max(28, len(str(int(scaled))) + 4)
        return "%s%s %s" % (sign, scaled.quantize(decimal.Decimal("0.1"), rounding=decimal.ROUND_HALF_EVEN), unit)


def counts_text(counts):
    """Counts by name as words, in their order, zeros left out: ``{"finished": 2, "in_progress": 1}`` gives
    ``2 finished, 1 in progress``; ``none`` when all are 0."""
    if not isinstance(counts, Mapping):
        raise AnsibleFilterError("counts_text: expected a dictionary of counts (such as subtask_counts), got %s"
                                 % type(counts).__name__)
    words = []
    for name, count in counts.items():
        if isinstance(count, bool) or not isinstance(count, int):
            raise AnsibleFilterError("counts_text: %s is %r, not a whole number" % (one_line(name), count))
        if count:
            words.append("%d %s" % (count, one_line(name).replace("_", " ")))
    return ", ".join(words) or "none"
