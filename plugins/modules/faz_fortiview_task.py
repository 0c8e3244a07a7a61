#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: faz_fortiview_task
short_description: Create or cancel a FortiAnalyzer FortiView task
version_added: 0.1.0
description:
  - Creates a FortiView task (C(add /fortiview/adom/{adom}/{view}/run), JSON-RPC apiver 3) for any view and
    returns its task id, to be read with M(secops.async_tasks.faz_fortiview_result) (or the named result modules).
  - With O(state=absent), cancels a task (C(delete)).
  - Option values the view does not accept (a filter field, a sort column) fail before anything is sent, and the
    message lists the accepted values.
author:
  - secops.async_tasks maintainers (@secops-async-tasks)
options:
  view:
    description:
      - FortiView view to run.
    type: str
    required: true
    choices: [top-sources, top-destinations, top-applications, top-websites, top-threats, top-cloud-applications,
              top-countries, site-to-site-ipsec, policy-hits, policy-line]
  adom:
    description:
      - ADOM to run the task in.
    type: str
    default: root
  state:
    description:
      - V(present) creates a new task every time (reported as changed).
      - V(absent) cancels the task O(tid); a task that no longer exists is reported unchanged.
    type: str
    choices: [present, absent]
    default: present
  tid:
    description:
      - With O(state=absent), the task to cancel.
    type: int
  filter:
    description:
      - Filter expression such as V(srcip==10.0.1.150). Terms may be joined with C(and)/C(or).
      - Fields accepted, as measured on FortiAnalyzer 7.6/8.0, are checked before sending - top-sources C(srcip),
        top-destinations C(dstip), policy-hits C(policyid), top-countries C(dstcountry), top-threats C(threat).
        Other views pass the filter to the appliance unchecked.
      - At most 8192 characters; a longer one is refused before any request.
    type: str
  limit:
    description:
      - Number of rows, 1 to 10000. The appliance's default applies when not set.
    type: int
  sort_by:
    description:
      - Sort columns in order, each a column name (descending), C(column:asc) or C(column:desc), or a dict with
        C(field) and C(order).
      - Columns are checked against the view's row fields before sending.
    type: list
    elements: raw
extends_documentation_fragment:
  - secops.async_tasks.fortianalyzer
  - secops.async_tasks.fortianalyzer.scope
  - secops.async_tasks.attributes.fortianalyzer_group
attributes:
  check_mode:
    description: Can run in check mode.
    support: full
    details:
      - The module logs in and does the reads that validate the request - that the ADOM exists, and with
        O(state=absent) that the task to cancel exists - but does not send the C(add) or C(delete).
      - It returns RV(msg) and, in RV(request), the call it would have sent; RV(tid) stays null.
  diff_mode:
    description: Returns details on what has changed.
    support: none
seealso:
  - module: secops.async_tasks.faz_fortiview_result
  - module: secops.async_tasks.faz_top_sources_result
  - module: secops.async_tasks.faz_top_applications_result
  - module: fortinet.fortianalyzer.faz_fact
    description: >-
      Fortinet's own collection creates FortiView tasks only as raw calls and reads them with this module's
      C(fortiview_run) selector; it checks no filter fields or sort columns before sending and does not wait.
notes:
  - Creating a task is not idempotent; every run with O(state=present) creates a new task. When the answer to
    the C(add) is lost (connection reset, truncated reply, HTTP 502/503/504) it is not sent again, since the
    task may exist already.
"""

EXAMPLES = r"""
- name: Top 20 sources of the last 24 hours in the branch ADOM, by bytes
  secops.async_tasks.faz_fortiview_task:
    host: faz.example.com
    api_key: "{{ vault_faz_api_key }}"
    adom: branch
    view: top-sources
    time_range:
      last: 24h
    limit: 20
    sort_by:
      - bandwidth
  register: created

- name: Read it when done
  secops.async_tasks.faz_top_sources_result:
    host: faz.example.com
    api_key: "{{ vault_faz_api_key }}"
    adom: branch
    tid: "{{ created.tid }}"
    wait: true

- name: One host's threats on two FortiGates during an incident window
  secops.async_tasks.faz_fortiview_task:
    view: top-threats
    device:
      - FGT60F1234567890
      - devname: dc-edge
        vdom: root
    filter: threat==Eicar-Test-File
    time_range:
      start: "2026-11-20 08:00:00"
      end: "2026-11-20 12:00:00"

- name: Cancel a task no longer needed
  secops.async_tasks.faz_fortiview_task:
    view: top-sources
    state: absent
    tid: "{{ created.tid }}"
"""

RETURN = r"""
msg:
  description: In check mode, what the module would have done.
  returned: in check mode, when a change would be made
  type: str
  sample: "check mode: would create a top-sources task in ADOM root (nothing was changed)"
request:
  description: In check mode, the JSON-RPC call that would have been sent (C(method), C(target), C(params)).
  returned: in check mode, when a change would be made
  type: dict
  sample: {"method": "add", "target": "/fortiview/adom/root/top-sources/run", "params": {"limit": 10}}
tid:
  description: Id of the new task (V(state=present)), or of the task cancelled. Null in check mode when creating.
  returned: success
  type: int
  sample: 13001
view:
  description: The view.
  returned: success
  type: str
  sample: top-sources
adom:
  description: The ADOM.
  returned: success
  type: str
  sample: root
time_range:
  description: The period sent, as naive C(YYYY-MM-DD HH:MM:SS) times.
  returned: when O(state=present)
  type: dict
  sample: {"start": "2026-11-21 09:00:00", "end": "2026-11-22 09:00:00"}
device:
  description: The device list sent.
  returned: when O(state=present)
  type: list
  elements: dict
  sample: [{"devname": "All_Device"}]
cancelled:
  description: Whether a task was cancelled (false when it was already gone; null in check mode).
  returned: when O(state=absent)
  type: bool
  sample: true
"""

from ansible_collections.secops.async_tasks.plugins.module_utils.common import AsyncTasksModule
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_runner import run_task
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_views import MAX_LIMIT, VIEWS
from ansible_collections.secops.async_tasks.plugins.module_utils.inputs import Bound
from ansible_collections.secops.async_tasks.plugins.module_utils.specs import FAZ_CONNECTION_SPEC, FAZ_SCOPE_SPEC, merged
from ansible_collections.secops.async_tasks.plugins.module_utils.specs import FAZ_CONNECTION_BOUNDS, FILTER_BOUND, TID


def argument_spec():
    return merged(
        FAZ_CONNECTION_SPEC, FAZ_SCOPE_SPEC,
        view=dict(type="str", required=True, choices=list(VIEWS)),
        adom=dict(type="str", default="root"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        tid=dict(type="int"),
        filter=dict(type="str"),
        limit=dict(type="int"),
        sort_by=dict(type="list", elements="raw"),
    )


def bounds():
    return merged(FAZ_CONNECTION_BOUNDS, tid=TID, filter=FILTER_BOUND, limit=Bound(1, MAX_LIMIT, "between 1 and %d" % MAX_LIMIT))


def main():
    run_task(AsyncTasksModule(argument_spec=argument_spec(), bounds=bounds(), required_if=[("state", "absent", ["tid"])]))


if __name__ == "__main__":
    main()
