#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: gz_report
short_description: Create a Bitdefender GravityZone instant report, wait for it and save the file
version_added: 0.1.0
description:
  - Creates an instant report of O(report_type) for O(target_ids) (C(createReport) on
    C({api_url}/v1.0/jsonrpc/reports)), waits until C(getDownloadLinks) says C(readyForDownload), downloads the
    last instance (a zip holding a CSV and a PDF) to O(dest), and deletes the report unless O(keep=true).
  - With O(report_id) or O(name), an existing report's last instance is downloaded instead.
  - The download link is followed only when it points at the console's own scheme, host and port (those of
    O(api_url)), with the same TLS settings; the API key is never sent anywhere else, and redirects are not
    followed.
  - O(dest) is written atomically (a temporary file in its directory, renamed once complete), mode V(0600)
    unless O(mode) says otherwise. A sidecar, O(dest) plus C(.report.json), records type, targets, O(period)
    and checksum; with O(force=false) a run whose O(dest) already holds the same report sends nothing.
author:
  - secops.async_tasks maintainers (@secops-async-tasks)
options:
  report_type:
    description:
      - Type of the report to create, by name (V(malware_status), V(Malware Status)) or number (V(12)). A name
        the module does not know fails listing the known ones; a type the console does not offer fails too.
    type: str
  target_ids:
    description:
      - Companies, groups or endpoints the report covers (24-character ids). Required with O(report_type).
    type: list
    elements: str
  name:
    description:
      - Name of the report to create (a unique one is made when not given), or, without O(report_type), the
        exact name of the existing report to download.
    type: str
  report_id:
    description:
      - Download this existing report instead of creating one.
    type: str
  period:
    description:
      - A label of the period the report is for (such as V(2026-W48)), recorded in the sidecar so that a second
        run for the same period finds O(dest) up to date. Instant reports cover the console's own interval.
    type: str
extends_documentation_fragment:
  - secops.async_tasks.gravityzone
  - secops.async_tasks.report_file
  - secops.async_tasks.attributes.gravityzone_group
attributes:
  check_mode:
    description: Can run in check mode.
    support: full
    details: Reads what validates the request, checks that O(dest) can be written, creates nothing and says what it
      would do.
  diff_mode:
    description: Returns details on what has changed.
    support: none
  facts:
    description: Returns the result under C(ansible_facts.gz_report) too.
    support: full
seealso:
  - module: secops.async_tasks.gz_report_info
"""

EXAMPLES = r"""
- name: This week's malware status
  secops.async_tasks.gz_report:
    api_key: "{{ vault_gz_api_key }}"
    report_type: malware_status
    target_ids: ["5b6b1ba6b1a43d4b7e8b4567"]
    period: "{{ now().strftime('%G-W%V') }}"
    dest: "/srv/reports/malware-{{ now().strftime('%G-W%V') }}.zip"
    unpack: true
"""

RETURN = r"""
report_id:
  description: The report's id.
  returned: success
  type: str
name:
  description: The report's name.
  returned: success
  type: str
report_type:
  description: Its type, by name.
  returned: when a file was written
  type: str
path:
  description: The file written (O(dest)).
  returned: success
  type: str
size:
  description: Its size in bytes.
  returned: when a file was written
  type: int
sha256:
  description: Its SHA-256.
  returned: success
  type: str
files:
  description: The files unpacked (C(path), C(size), C(sha256)).
  returned: when a file was written
  type: list
  elements: dict
deleted:
  description: Whether the report was deleted from the console.
  returned: when a file was written
  type: bool
request:
  description: In check mode, the call that would have been sent.
  returned: check mode
  type: dict
ansible_facts:
  description: The result, under C(gz_report).
  returned: when a file was written
  type: dict
"""

from ansible_collections.secops.async_tasks.plugins.module_utils.common import AsyncTasksModule
from ansible_collections.secops.async_tasks.plugins.module_utils.report_runner import run_gz_report
from ansible_collections.secops.async_tasks.plugins.module_utils.specs import (
    GZ_CONNECTION_BOUNDS,
    GZ_CONNECTION_SPEC,
    REPORT_FILE_BOUNDS,
    REPORT_FILE_SPEC,
    merged,
)


def argument_spec():
    return merged(
        GZ_CONNECTION_SPEC,
        REPORT_FILE_SPEC,
        report_type=dict(type="str"),
        target_ids=dict(type="list", elements="str"),
        name=dict(type="str"),
        report_id=dict(type="str"),
        period=dict(type="str"),
    )


def bounds():
    return merged(GZ_CONNECTION_BOUNDS, REPORT_FILE_BOUNDS)


def main():
    run_gz_report(AsyncTasksModule(argument_spec=argument_spec(), bounds=bounds(), mutually_exclusive=[("report_type", "report_id")]))


if __name__ == "__main__":
    main()
