#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: faz_report
short_description: Run a FortiAnalyzer report layout, wait for it and save the file
version_added: 0.1.0
description:
  - Runs a report layout (C(add /report/adom/{adom}/run)) for a period (O(time_range), the last hour by
    default) and devices (O(device)), waits for it with progress-aware polling, downloads it in O(format)
    (C(get /report/adom/{adom}/reports/data/{tid}), base64 decoded as it arrives, never held whole in memory)
    and saves it to O(dest).
  - O(dest) is written atomically - to a temporary file in its directory, renamed once complete - so it never
    holds part of a report; an interrupted download leaves the previous file (or none).
  - A small sidecar file, O(dest) plus C(.report.json), records the layout, period, format and checksum. With
    O(force=false), a run whose O(dest) already holds the same report sends nothing and reports
    RV(ignore:changed=false). Give the period as explicit O(time_range.start)/O(time_range.end) for this, because a
    O(time_range.last) period moves with the clock.
  - The report's entry on the appliance is deleted after the download unless O(keep=true).
  - With O(tid), an existing run is downloaded instead (no new run).
author:
  - secops.async_tasks maintainers (@secops-async-tasks)
options:
  adom:
    description:
      - ADOM of the layout.
    type: str
    default: root
  layout:
    description:
      - Title of the layout to run, matched exactly (templates are left out). No match, or several, fails with
        the candidates listed.
    type: str
  layout_id:
    description:
      - Id of the layout to run, instead of O(layout).
    type: int
  tid:
    description:
      - Download the report of this existing run (a number or a UUID) instead of running one.
    type: str
  format:
    description:
      - Format of the file.
    type: str
    default: pdf
    choices: [pdf, html, csv, xml]
  ensure_schedule:
    description:
      - Make a schedule for the layout when it has none (some builds run a layout only then). The schedule is
        named after the layout id and is left in place.
    type: bool
    default: true
  wait:
    description:
      - With O(tid), wait for the run to finish before downloading (a new run is always waited for).
    type: bool
    default: true
extends_documentation_fragment:
  - secops.async_tasks.fortianalyzer
  - secops.async_tasks.fortianalyzer.scope
  - secops.async_tasks.report_file
  - secops.async_tasks.attributes.fortianalyzer_group
attributes:
  check_mode:
    description: Can run in check mode.
    support: full
    details: Logs in, resolves the layout and checks that O(dest) can be written, sends no run and says what it
      would do.
  diff_mode:
    description: Returns details on what has changed.
    support: none
  facts:
    description: Returns the result under C(ansible_facts.faz_report) too.
    support: full
seealso:
  - module: secops.async_tasks.faz_report_info
"""

EXAMPLES = r"""
- name: Yesterday's security report as a PDF
  secops.async_tasks.faz_report:
    host: faz.example.com
    api_key: "{{ vault_faz_api_key }}"
    layout: Security Analysis
    time_range:
      start: "{{ '%Y-%m-%d' | strftime(now().timestamp() - 86400) }} 00:00:00"
      end: "{{ '%Y-%m-%d' | strftime(now().timestamp() - 86400) }} 23:59:59"
    dest: "/srv/reports/security-{{ '%Y-%m-%d' | strftime(now().timestamp() - 86400) }}.pdf"
  register: report

- name: Download a run someone started from the GUI
  secops.async_tasks.faz_report:
    host: faz.example.com
    api_key: "{{ vault_faz_api_key }}"
    tid: 97c1a1c2-d11a-11f0-9ae2-bc2411fc5515
    format: csv
    dest: /srv/reports/run.zip
    unpack: true
"""

RETURN = r"""
tid:
  description: The run's task id, as text (a number or a UUID).
  returned: success
  type: str
  sample: 97c1a1c2-d11a-11f0-9ae2-bc2411fc5515
layout_id:
  description: The layout that was run.
  returned: when a report was run
  type: int
  sample: 10042
layout:
  description: Its title (null when it was given by O(layout_id), which is sent as given without a look-up).
  returned: when a report was run
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
format:
  description: Its format.
  returned: when a file was written
  type: str
zip:
  description: Whether the appliance sent a zip archive.
  returned: when a file was written
  type: bool
files:
  description: The files unpacked from the archive (C(path), C(size), C(sha256)).
  returned: when a file was written
  type: list
  elements: dict
report_name:
  description: The appliance's own name of the report.
  returned: when a file was written
  type: str
started:
  description: When the run started, as the appliance says.
  returned: when a file was written
  type: str
finished:
  description: When it finished, as the appliance says.
  returned: when a file was written
  type: str
deleted:
  description: Whether the report's entry was deleted from the appliance.
  returned: when a file was written
  type: bool
checksum_verified:
  description: Whether the MD5 checksum the appliance sent matches the data (null when it sent none).
  returned: when a file was written
  type: bool
request:
  description: In check mode, the run that would have been sent.
  returned: check mode
  type: dict
ansible_facts:
  description: The result, under C(faz_report).
  returned: when a file was written
  type: dict
"""

from ansible_collections.secops.async_tasks.plugins.module_utils.common import AsyncTasksModule
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_reports import FORMATS
from ansible_collections.secops.async_tasks.plugins.module_utils.inputs import MAX_TID, Bound
from ansible_collections.secops.async_tasks.plugins.module_utils.report_runner import run_faz_report
from ansible_collections.secops.async_tasks.plugins.module_utils.specs import (
    FAZ_CONNECTION_BOUNDS,
    FAZ_CONNECTION_SPEC,
    FAZ_SCOPE_SPEC,
    REPORT_FILE_BOUNDS,
    REPORT_FILE_SPEC,
    merged,
)


def argument_spec():
    return merged(
        FAZ_CONNECTION_SPEC,
        FAZ_SCOPE_SPEC,
        REPORT_FILE_SPEC,
        adom=dict(type="str", default="root"),
        layout=dict(type="str"),
        layout_id=dict(type="int"),
        tid=dict(type="str"),
        format=dict(type="str", default="pdf", choices=list(FORMATS)),
        ensure_schedule=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
    )


def bounds():
    return merged(FAZ_CONNECTION_BOUNDS, REPORT_FILE_BOUNDS, layout_id=Bound(1, MAX_TID, "a positive layout id"))


def main():
    run_faz_report(AsyncTasksModule(argument_spec=argument_spec(), bounds=bounds(), supports_check_mode=True,
                                    mutually_exclusive=[("layout", "layout_id", "tid")]))


if __name__ == "__main__":
    main()
