#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: faz_top_applications_result
short_description: Fetch the result of a FortiAnalyzer FortiView top-applications task
version_added: 0.1.0
description:
  - Reads the result of a FortiView C(top-applications) task by its task id
    (C(get /fortiview/adom/{adom}/top-applications/run/{tid}), JSON-RPC apiver 3) and returns its top applications.
  - Optionally waits until the task has finished.
  - Accepts both reply shapes FortiAnalyzer uses (a C(result) list with C(data.applications), and the apiver 3
    C(result) object with rows under C(data)) and returns one normalised row shape, with the row as the
    appliance sent it under C(raw).
  - Always reports RV(ignore:changed=false); safe under C(--check).
author:
  - secops.async_tasks maintainers (@secops-async-tasks)
extends_documentation_fragment:
  - secops.async_tasks.fortianalyzer
  - secops.async_tasks.fortianalyzer.result
  - secops.async_tasks.wait
  - secops.async_tasks.attributes.read_facts
  - secops.async_tasks.attributes.fortianalyzer_group
seealso:
  - module: secops.async_tasks.faz_fortiview_task
  - module: secops.async_tasks.faz_top_sources_result
  - module: secops.async_tasks.faz_fortiview_result
  - module: fortinet.fortianalyzer.faz_fact
    description: >-
      Fortinet's own collection reads a FortiView result through this module's C(fortiview_run) selector
      (ADOM, view name, task id) and returns the reply as it came. This module also waits for a running task,
      reads many task ids over one session, returns one row shape for both reply shapes, fails loudly on a
      non-zero status, and logs out on every path.
"""

EXAMPLES = r"""
- name: Fetch a finished top-applications task with an API key
  secops.async_tasks.faz_top_applications_result:
    host: faz.example.com
    api_key: "{{ vault_faz_api_key }}"
    ca_path: /etc/pki/faz-ca.pem
    tid: 12455
  register: top

- name: List video applications above 1 GiB
  ansible.builtin.debug:
    msg: "{{ item.app }} ({{ item.appcat }}) used {{ item.bytes }} bytes under policy {{ item.policyname }}"
  loop: "{{ top.applications | selectattr('appcat', 'equalto', 'Video/Audio') | selectattr('bytes', 'gt', 1073741824) }}"

- name: Wait for a task that is still running, logging in with a password
  secops.async_tasks.faz_top_applications_result:
    host: faz.example.com
    username: automation
    password: "{{ vault_faz_password }}"
    tid: "{{ created_tid }}"
    adom: branch-offices
    wait: true
    wait_timeout: 600

- name: Credentials once for every FortiAnalyzer task of the play (AWX can inject FORTIANALYZER_* instead)
  module_defaults:
    group/secops.async_tasks.fortianalyzer:
      host: faz.example.com
      api_key: "{{ vault_faz_api_key }}"
  block:
    - name: Read without waiting and branch on the facts
      secops.async_tasks.faz_top_applications_result:
        tid: 12456

    - name: Report progress
      ansible.builtin.debug:
        msg: "still {{ ansible_facts.faz_top_applications.status }} at {{ ansible_facts.faz_top_applications.percentage }}%"
      when: not ansible_facts.faz_top_applications.done
"""

RETURN = r"""
tid:
  description: Task id.
  returned: with O(tid)
  type: int
  sample: 12455
adom:
  description: ADOM of the task.
  returned: with O(tid)
  type: str
  sample: root
view:
  description: FortiView view of the task.
  returned: with O(tid)
  type: str
  sample: top-applications
status:
  description: Task status, C(done), C(running) or C(error) (a task in error makes the module fail).
  returned: with O(tid)
  type: str
  sample: done
done:
  description: Whether the task has finished and RV(applications) holds its result.
  returned: with O(tid)
  type: bool
  sample: true
percentage:
  description: Completion percentage, 0-100 (coerced from a string when the appliance sends one; 100 for a finished
    task of an older build that sends none).
  returned: with O(tid)
  type: int
  sample: 100
total:
  description: Number of applications the appliance reports; the number of rows when it does not say. Null while running.
  returned: with O(tid)
  type: int
  sample: 15
applications:
  description:
    - Top applications, in the appliance's order.
    - While the task runs, the rows the appliance has so far (some firmware sends partial counts, others none),
      with RV(done) false.
  returned: with O(tid)
  type: list
  elements: dict
  contains:
    app:
      description: Application name (the C(app_group) of apiver 3 appliances).
      type: str
      sample: YouTube
    appcat:
      description: Application category.
      type: str
      sample: Video/Audio
    sessions:
      description: Number of sessions.
      type: int
      sample: 8932
    bytes:
      description: Total bytes transferred (apiver 3 appliances report this as C(bandwidth); it is moved here).
      type: int
      sample: 4294967296
    bandwidth:
      description: Bandwidth in bits per second; null when the appliance reports only totals.
      type: int
      sample: 89456789
    traffic_in:
      description: Bytes received; only where the appliance sends C(traffic_in).
      type: int
      sample: 3865470566
    traffic_out:
      description: Bytes sent; only where the appliance sends C(traffic_out).
      type: int
      sample: 429496730
    policyid:
      description: Firewall policy id.
      type: int
      sample: 46
    policyname:
      description: Firewall policy name.
      type: str
      sample: Internet_Access
    raw:
      description: The row exactly as the appliance sent it.
      type: dict
      sample: {"app": "YouTube", "appcat": "Video/Audio", "sessions": 8932}
results:
  description:
    - With O(tids), one entry per task id, in the same order, each with the keys returned for O(tid).
    - An entry of a task that failed has C(failed=true) and C(msg) instead of the result.
  returned: with O(tids)
  type: list
  elements: dict
  sample: [{"tid": 12450, "status": "done", "done": true, "percentage": 100, "total": 10, "applications": []}]
ansible_facts:
  description: The same keys as above, for branching in later tasks.
  returned: success
  type: complex
  contains:
    faz_top_applications:
      description:
        - With O(tid), a dict with RV(tid), RV(adom), RV(view), RV(status), RV(done), RV(percentage), RV(total) and RV(applications).
        - With O(tids), a dict with RV(results).
      type: dict
      sample: {"tid": 12455, "adom": "root", "status": "done", "done": true, "percentage": 100}
"""

from ansible_collections.secops.async_tasks.plugins.module_utils.common import AsyncTasksModule
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_runner import run_result
from ansible_collections.secops.async_tasks.plugins.module_utils.specs import FAZ_CONNECTION_SPEC, FAZ_RESULT_SPEC, WAIT_SPEC, merged
from ansible_collections.secops.async_tasks.plugins.module_utils.specs import FAZ_CONNECTION_BOUNDS, FAZ_RESULT_BOUNDS, WAIT_BOUNDS


def argument_spec():
    return merged(FAZ_CONNECTION_SPEC, FAZ_RESULT_SPEC, WAIT_SPEC)


def bounds():
    return merged(FAZ_CONNECTION_BOUNDS, FAZ_RESULT_BOUNDS, WAIT_BOUNDS)


def main():
    module = AsyncTasksModule.reading_one_or_many(argument_spec(), "tid", "tids", bounds=bounds())
    run_result(module, view="top-applications")


if __name__ == "__main__":
    main()
