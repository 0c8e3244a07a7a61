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
  - secops.async_tasks contributors
options:
  tid:
    description:
      - Task id returned when the FortiView top-applications task was created.
      - Must be a positive integer. Tasks expire 15-30 minutes after they finish.
    type: int
    required: true
  adom:
    description:
      - ADOM the task was created in.
    type: str
    default: root
extends_documentation_fragment:
  - secops.async_tasks.fortianalyzer
  - secops.async_tasks.fortianalyzer.wait
  - secops.async_tasks.attributes.read_facts
  - secops.async_tasks.attributes.fortianalyzer_group
seealso:
  - module: secops.async_tasks.faz_top_sources_result
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
  returned: success
  type: int
  sample: 12455
adom:
  description: ADOM of the task.
  returned: success
  type: str
  sample: root
view:
  description: FortiView view of the task.
  returned: success
  type: str
  sample: top-applications
status:
  description: Task status, C(done), C(running) or C(error) (a task in error makes the module fail).
  returned: success
  type: str
  sample: done
done:
  description: Whether the task has finished and RV(applications) holds its result.
  returned: success
  type: bool
  sample: true
percentage:
  description: Completion percentage, 0-100 (coerced from a string when the appliance sends one).
  returned: success
  type: int
  sample: 100
total:
  description: Number of applications the appliance reports; the number of rows when it does not say. Null while running.
  returned: success
  type: int
  sample: 15
applications:
  description: Top applications, in the appliance's order. Empty while the task is running.
  returned: success
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
ansible_facts:
  description: The same keys as above, for branching in later tasks.
  returned: success
  type: complex
  contains:
    faz_top_applications:
      description: Dict with RV(tid), RV(adom), RV(view), RV(status), RV(done), RV(percentage), RV(total) and RV(applications).
      type: dict
      sample: {"tid": 12455, "adom": "root", "status": "done", "done": true, "percentage": 100}
"""

from ansible_collections.secops.async_tasks.plugins.module_utils.faz_module import run_result_module


def main():
    run_result_module(view="top-applications", rows_key="applications", facts_key="faz_top_applications")


if __name__ == "__main__":
    main()
