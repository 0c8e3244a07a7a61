# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: csv_cell
short_description: One CSV field that a spreadsheet shows as text, never runs as a formula
version_added: 0.1.0
author:
  - SecOps Automation Team
description:
  - Writes a value as one field of an RFC 4180 CSV line. An integer is written as it is; anything else is quoted,
    with its quotes doubled, so commas and line breaks stay inside the field.
  - Text that starts (also after leading spaces) with C(=), C(+), C(-), C(@), a tab, a carriage return or a line
    feed, or with the full-width C(＝), C(＋), C(－) or C(＠), gets an apostrophe in front, as OWASP advises
    against CSV injection - a spreadsheet then shows a hostile host name instead of running it.
positional: _input
options:
  _input:
    description: The value; null gives an empty quoted field.
    type: raw
    required: true
seealso:
  - plugin: secops.async_tasks.markdown_cell
    plugin_type: filter
  - name: OWASP - CSV Injection
    link: https://owasp.org/www-community/attacks/CSV_Injection
    description: The characters a spreadsheet takes as the start of a formula.
"""

EXAMPLES = r"""
- name: Sources as CSV
  ansible.builtin.copy:
    dest: /tmp/sources.csv
    mode: "0644"
    content: |
      source,bytes
      {% for entry in sources %}
      {{ entry.srcip | secops.async_tasks.csv_cell }},{{ entry.bytes | secops.async_tasks.csv_cell }}
      {% endfor %}
  # "=HYPERLINK(""http://x"")" is written as "'=HYPERLINK(""http://x"")"
"""

RETURN = r"""
_value:
  description: The field, such as C("10.0.1.5"), C("'=1+1") or C(1024).
  type: str
"""

from ansible_collections.secops.async_tasks.plugins.plugin_utils.cells import csv_cell


class FilterModule:
    """secops.async_tasks.csv_cell"""

    def filters(self):
        return {"csv_cell": csv_cell}
