# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: one_line
short_description: Text that prints as exactly one line, whatever a server put in it
version_added: 0.1.0
author:
  - SecOps Automation Team
description:
  - Turns a value into text that cannot start a new line or disguise one in a message, a log or a CI job's
    output. Carriage returns, line feeds and tabs become C(\r), C(\n) and C(\t); other control characters,
    Unicode line and paragraph separators and bidirectional overrides become C(\xNN) or C(\uNNNN).
  - Use it on names and messages that come from an appliance (endpoint names, task names, error messages) before
    putting them into a line of text.
  - Printable text, non-ASCII letters included, is returned as it is. Backslashes are not doubled, so the
    result is for people to read, not to be parsed back.
positional: _input
options:
  _input:
    description: The value; not a string is converted with C(str()), null gives an empty string.
    type: raw
    required: true
seealso:
  - plugin: secops.async_tasks.gz_failure_lines
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Report an endpoint name from GravityZone on one line
  ansible.builtin.debug:
    msg: "failed: {{ endpoint.endpoint_name | secops.async_tasks.one_line }}"
  vars:
    endpoint: {endpoint_name: "pc-01\r\nok: everything passed"}
  # failed: pc-01\r\nok: everything passed
"""

RETURN = r"""
_value:
  description: The text, with every line-breaking or invisible control character written as a visible escape.
  type: str
"""

from ansible_collections.secops.async_tasks.plugins.plugin_utils.text import one_line


class FilterModule:
    """secops.async_tasks.one_line"""

    def filters(self):
        return {"one_line": one_line}
