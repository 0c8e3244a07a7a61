#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: faz_report_info
short_description: List FortiAnalyzer report layouts and recent report runs
version_added: 0.1.0
description:
  - Lists the report layouts of an ADOM (C(get /report/adom/{adom}/config/layout)), templates apart, and with
    O(runs=true) the runs in progress (C(get /report/adom/{adom}/run)) and the reports generated in
    O(time_range) (C(get /report/adom/{adom}/reports/state)), each with its state.
  - Use a layout's title or id with M(secops.async_tasks.faz_report).
  - Only reads; never reports RV(ignore:changed=true).
author:
  - secops.async_tasks maintainers (@secops-async-tasks)
options:
  adom:
    description:
      - ADOM to read.
    type: str
    default: root
  runs:
    description:
      - Also list running and generated reports.
    type: bool
    default: true
  time_range:
    description:
      - Period of the generated reports listed - O(time_range.last), or O(time_range.start) (and optionally
        O(time_range.end)). Defaults to the last 7 days.
    type: dict
    suboptions:
      start:
        description:
          - Start, in the appliance's time zone.
        type: str
      end:
        description:
          - End. Defaults to now.
        type: str
      last:
        description:
          - A duration ending now, such as V(7d).
        type: str
extends_documentation_fragment:
  - secops.async_tasks.fortianalyzer
  - secops.async_tasks.attributes.read_facts
  - secops.async_tasks.attributes.fortianalyzer_group
seealso:
  - module: secops.async_tasks.faz_report
"""

EXAMPLES = r"""
- name: Layouts of the root ADOM
  secops.async_tasks.faz_report_info:
    host: faz.example.com
    api_key: "{{ vault_faz_api_key }}"
    runs: false
  register: info

- name: Titles
  ansible.builtin.debug:
    msg: "{{ info.layouts | map(attribute='title') | list }}"
"""

RETURN = r"""
adom:
  description: The ADOM read.
  returned: success
  type: str
layouts:
  description: Runnable layouts (C(layout_id), C(title), C(category), C(description), C(template)).
  returned: success
  type: list
  elements: dict
templates:
  description: Templates, in the same form (they cannot be run).
  returned: success
  type: list
  elements: dict
running:
  description: Runs in progress (C(tid), C(state), C(percentage), C(title), C(started)).
  returned: when O(runs=true)
  type: list
  elements: dict
generated:
  description: Reports generated in the period, in the same form.
  returned: when O(runs=true)
  type: list
  elements: dict
ansible_facts:
  description: The result, under C(faz_report_info).
  returned: success
  type: dict
"""

from ansible_collections.secops.async_tasks.plugins.module_utils.common import AsyncTasksModule
from ansible_collections.secops.async_tasks.plugins.module_utils.report_runner import run_faz_report_info
from ansible_collections.secops.async_tasks.plugins.module_utils.specs import FAZ_CONNECTION_BOUNDS, FAZ_CONNECTION_SPEC, merged


def argument_spec():
    return merged(
        FAZ_CONNECTION_SPEC,
        adom=dict(type="str", default="root"),
        runs=dict(type="bool", default=True),
        time_range=dict(type="dict", options=dict(start=dict(type="str"), end=dict(type="str"), last=dict(type="str"))),
    )


def bounds():
    return merged(FAZ_CONNECTION_BOUNDS)


def main():
    run_faz_report_info(AsyncTasksModule(argument_spec=argument_spec(), bounds=bounds()))


if __name__ == "__main__":
    main()
