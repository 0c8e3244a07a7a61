# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: ip_address
short_description: One IPv4 or IPv6 address, checked and in its canonical form
version_added: 0.1.0
author:
  - SecOps Automation Team
description:
  - Returns the address as Python's C(ipaddress) module writes it (C(2001:DB8::5) becomes C(2001:db8::5)), and
    fails for anything that is not one address - C(10.0.1.999), C(::::), C(...), a network such as C(10.0.0.0/8),
    an IPv6 zone index, a number, or text with more in it (C(10.0.1.5 or srcip=1.1.1.1)).
  - Use it before an address goes into a log search filter or a file name.
positional: _input
options:
  _input:
    description: The address; surrounding spaces are ignored.
    type: raw
    required: true
  name:
    description: What the value is called in the failure message, such as the variable that holds it.
    type: str
    default: address
"""

EXAMPLES = r"""
- name: Refuse anything but an address, naming the variable
  ansible.builtin.set_fact:
    address: "{{ investigate | secops.async_tasks.ip_address(name='investigate') }}"
  # investigate '10.0.1.999' is not an IPv4 or IPv6 address: give one address such as 10.0.1.5 or 2001:db8::5 ...
"""

RETURN = r"""
_value:
  description: The address, canonical.
  type: str
  sample: 2001:db8::5
"""

from ansible_collections.secops.async_tasks.plugins.plugin_utils.addresses import ip_address


class FilterModule:
    """secops.async_tasks.ip_address"""

    def filters(self):
        return {"ip_address": ip_address}
