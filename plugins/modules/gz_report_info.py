#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: gz_report_info
short_description: List Bitdefender GravityZone reports
version_added: 0.1.0
description:
  - Lists the reports of the account through C(getReportsList) (C({api_url}/v1.0/jsonrpc/reports)), every page,
    filtered by name and type.
  - Download one with M(secops.async_tasks.gz_report) and O(secops.async_tasks.gz_report#module:report_id).
  - Only reads; never reports RV(ignore:changed=true).
author:
  - secops.async_tasks maintainers (@secops-async-tasks)
options:
  name:
    description:
      - Only reports with this name (the console's filter).
    type: str
  report_type:
    description:
      - Only reports of this type, by name (V(malware_status)) or number (V(12)).
    type: str
  per_page:
    description:
      - Reports asked for per request, 1 to 100.
    type: int
    default: 100
  max_pages:
    description:
      - Most pages to read; the module fails rather than return a partial list.
    type: int
    default: 100
extends_documentation_fragment:
  - secops.async_tasks.gravityzone
  - secops.async_tasks.attributes.read_facts
  - secops.async_tasks.attributes.gravityzone_group
seealso:
  - module: secops.async_tasks.gz_report
"""

EXAMPLES = r"""
- name: Every malware status report
  secops.async_tasks.gz_report_info:
    api_key: "{{ vault_gz_api_key }}"
    report_type: malware_status
  register: found
"""

RETURN = r"""
reports:
  description: The reports (C(report_id), C(name), C(type), C(report_type), C(occurrence)).
  returned: success
  type: list
  elements: dict
total:
  description: How many reports RV(reports) holds.
  returned: success
  type: int
pages:
  description: How many pages were read.
  returned: success
  type: int
ansible_facts:
  description: The result, under C(gz_report_info).
  returned: success
  type: dict
"""

from ansible_collections.secops.async_tasks.plugins.module_utils.common import AsyncTasksModule
from ansible_collections.secops.async_tasks.plugins.module_utils.gz_reports import LIST_PER_PAGE_MAX
from ansible_collections.secops.async_tasks.plugins.module_utils.inputs import Bound
from ansible_collections.secops.async_tasks.plugins.module_utils.report_runner import run_gz_report_info
from ansible_collections.secops.async_tasks.plugins.module_utils.specs import (
    GZ_CONNECTION_BOUNDS,
    GZ_CONNECTION_SPEC,
    MAX_PAGES_BOUND,
    merged,
)


def argument_spec():
    return merged(
        GZ_CONNECTION_SPEC,
        name=dict(type="str"),
        report_type=dict(type="str"),
        per_page=dict(type="int", default=LIST_PER_PAGE_MAX),
        max_pages=dict(type="int", default=100),
    )


def bounds():
    return merged(GZ_CONNECTION_BOUNDS, max_pages=MAX_PAGES_BOUND,
                  per_page=Bound(1, LIST_PER_PAGE_MAX, "between 1 and %d (getReportsList's most)" % LIST_PER_PAGE_MAX))


def main():
    run_gz_report_info(AsyncTasksModule(argument_spec=argument_spec(), bounds=bounds()))


if __name__ == "__main__":
    main()
