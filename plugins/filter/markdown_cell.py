# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: markdown_cell
short_description: A value from a log as one Markdown table cell that is shown and never obeyed
version_added: 0.1.0
author:
  - SecOps Automation Team
description:
  - Writes a value (a host name, a signature, a service from a log row) as the text of one cell of a Markdown
    table, safe for the Markdown itself and for the HTML a renderer (GitHub, GitLab, a wiki) makes of it.
  - The text goes in a code span, which renderers show as it is - no link or autolink (C(javascript:), C(http://),
    C(www.)), no emphasis, no HTML (C(<script>) is shown, not run).
  - Line breaks and other control or invisible characters become visible escapes (as P(secops.async_tasks.one_line#filter)
    writes them), so a value cannot end the row, forge another one or start a heading; C(|) is escaped.
  - Null and blank values give an empty cell.
positional: _input
options:
  _input:
    description: The value; not a string is converted with C(str()).
    type: raw
    required: true
seealso:
  - plugin: secops.async_tasks.one_line
    plugin_type: filter
  - plugin: secops.async_tasks.csv_cell
    plugin_type: filter
"""

EXAMPLES = r"""
- name: A table of the signatures seen, whatever the logs hold
  ansible.builtin.copy:
    dest: /tmp/signatures.md
    mode: "0644"
    content: |
      | signature | events |
      | --- | ---: |
      {% for entry in signatures %}
      | {{ entry.attack | secops.async_tasks.markdown_cell }} | {{ entry.count }} |
      {% endfor %}
"""

RETURN = r"""
_value:
  description: The cell's text, such as C(`10.0.1.5`); empty for null or blank values.
  type: str
"""

from ansible_collections.secops.async_tasks.plugins.plugin_utils.cells import markdown_cell


class FilterModule:
    """secops.async_tasks.markdown_cell"""

    def filters(self):
        return {"markdown_cell": markdown_cell}
