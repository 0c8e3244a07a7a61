#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: faz_fortiview_result
short_description: Fetch the result of a FortiAnalyzer FortiView task of any view
version_added: 0.1.0
description:
  - Reads the result of a FortiView task by its task id (C(get /fortiview/adom/{adom}/{view}/run/{tid}),
    JSON-RPC apiver 3), for any FortiView view, optionally waiting until it has finished.
  - The same code as M(secops.async_tasks.faz_top_sources_result) and
    M(secops.async_tasks.faz_top_applications_result), which name their rows C(sources) and C(applications);
    this module returns them as RV(rows).
  - Always reports RV(ignore:changed=false); safe under C(--check).
author:
  - secops.async_tasks maintainers (@secops-async-tasks)
options:
  view:
    description:
      - FortiView view the task was created for.
    type: str
    required: true
    choices: [top-sources, top-destinations, top-applications, top-websites, top-threats, top-cloud-applications,
              top-countries, site-to-site-ipsec, policy-hits, policy-line]
extends_documentation_fragment:
  - secops.async_tasks.fortianalyzer
  - secops.async_tasks.fortianalyzer.result
  - secops.async_tasks.wait
  - secops.async_tasks.attributes.read_facts
  - secops.async_tasks.attributes.fortianalyzer_group
seealso:
  - module: secops.async_tasks.faz_fortiview_task
  - module: secops.async_tasks.faz_top_sources_result
  - module: secops.async_tasks.faz_top_applications_result
  - module: fortinet.fortianalyzer.faz_fact
    description: >-
      Fortinet's own collection reads a FortiView result through this module's C(fortiview_run) selector
      (ADOM, view name, task id) and returns the reply as it came. This module also waits for a running task,
      reads many task ids over one session, returns one row shape for both reply shapes, fails loudly on a
      non-zero status, and logs out on every path.
"""

EXAMPLES = r"""
- name: Create a top-destinations task and wait for its result, no loop needed
  module_defaults:
    group/secops.async_tasks.fortianalyzer:
      host: faz.example.com
      api_key: "{{ vault_faz_api_key }}"
  block:
    - name: Create the task
      secops.async_tasks.faz_fortiview_task:
        view: top-destinations
        time_range:
          last: 24h
      register: created

    - name: Wait for it
      secops.async_tasks.faz_fortiview_result:
        view: top-destinations
        tid: "{{ created.tid }}"
        wait: true
      register: destinations

    - name: Show the busiest destination
      ansible.builtin.debug:
        msg: "{{ destinations.rows[0].dstip }} received {{ destinations.rows[0].raw.bandwidth }}"
"""

RETURN = r"""
tid:
  description: Task id.
  returned: with O(tid)
  type: int
  sample: 13002
adom:
  description: ADOM of the task.
  returned: with O(tid)
  type: str
  sample: root
view:
  description: FortiView view of the task.
  returned: with O(tid)
  type: str
  sample: top-destinations
status:
  description: Task status, C(done), C(running) or C(error) (a task in error makes the module fail).
  returned: with O(tid)
  type: str
  sample: done
done:
  description: Whether the task has finished and RV(rows) holds its result.
  returned: with O(tid)
  type: bool
  sample: true
percentage:
  description: Completion percentage, 0-100.
  returned: with O(tid)
  type: int
  sample: 100
total:
  description: Number of rows the appliance reports; the number of rows when it does not say. Null while running.
  returned: with O(tid)
  type: int
  sample: 10
rows:
  description:
    - Result rows, in the appliance's order. While the task runs, the rows the appliance has so far (some firmware
      sends partial counts, others none), with RV(done) false.
    - For C(top-sources) and C(top-applications), the normalised rows of M(secops.async_tasks.faz_top_sources_result)
      and M(secops.async_tasks.faz_top_applications_result). For other views, the row's own fields, with counts
      sent as numeric strings (such as C(bandwidth), C(sessions), C(traffic_in)) made numbers.
    - Every row also has C(raw), the row exactly as the appliance sent it.
  returned: with O(tid)
  type: list
  elements: dict
  sample: [{"dstip": "93.184.216.34", "sessions": 1200, "raw": {"dstip": "93.184.216.34", "sessions": 1200}}]
results:
  description:
    - With O(tids), one entry per task id, in the same order, each with the keys returned for O(tid).
    - An entry of a task that failed has C(failed=true) and C(msg) instead of the result.
  returned: with O(tids)
  type: list
  elements: dict
  sample: [{"tid": 13002, "status": "done", "done": true, "percentage": 100, "total": 10, "rows": []}]
ansible_facts:
  description: The same keys as above, for branching in later tasks.
  returned: success
  type: complex
  contains:
    faz_fortiview:
      description:
        - With O(tid), a dict with RV(tid), RV(adom), RV(view), RV(status), RV(done), RV(percentage), RV(total) and RV(rows).
        - With O(tids), a dict with RV(results).
      type: dict
      sample: {"tid": 13002, "view": "top-destinations", "done": true}
"""

from ansible_collections.secops.async_tasks.plugins.module_utils.common import AsyncTasksModule
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_runner import run_result
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_views import VIEWS
from ansible_collections.secops.async_tasks.plugins.module_utils.specs import FAZ_CONNECTION_SPEC, FAZ_RESULT_SPEC, WAIT_SPEC, merged
from ansible_collections.secops.async_tasks.plugins.module_utils.specs import FAZ_CONNECTION_BOUNDS, FAZ_RESULT_BOUNDS, WAIT_BOUNDS


def argument_spec():
    return merged(FAZ_CONNECTION_SPEC, FAZ_RESULT_SPEC, WAIT_SPEC,
                  view=dict(type="str", required=True, choices=list(VIEWS)))


def bounds():
    return merged(FAZ_CONNECTION_BOUNDS, FAZ_RESULT_BOUNDS, WAIT_BOUNDS)


def main():
    run_result(AsyncTasksModule.reading_one_or_many(argument_spec(), "tid", "tids", bounds=bounds()))


if __name__ == "__main__":
    main()
