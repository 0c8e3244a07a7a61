# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: byte_size
short_description: A byte count as people read it, such as 1.5 GiB
version_added: 0.1.0
author:
  - SecOps Automation Team
description:
  - Writes a number of bytes in powers of 1024 with one decimal (C(1.5 GiB), C(980.0 KiB)), or in bytes below
    1024 (C(512 Bytes)) - what the C(secops.async_tasks.fortiview_report) page shows.
  - Exact for numbers of any size, unlike C(filesizeformat), which fails on a number too large for a float;
    a negative count keeps its sign. Text that is not a number fails, quoting it.
positional: _input
options:
  _input:
    description: The number of bytes, an integer, a float or numeric text.
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: What a source sent
  ansible.builtin.debug:
    msg: "{{ item.srcip }} sent {{ item.bytes | secops.async_tasks.byte_size }}"
  loop: "{{ sources.sources }}"
  # 10.0.1.5 sent 1.5 GiB
"""

RETURN = r"""
_value:
  description: The size, a number and a unit (C(Bytes), C(KiB), C(MiB), C(GiB), C(TiB), C(PiB), C(EiB), C(ZiB), C(YiB)).
  type: str
  sample: 1.5 GiB
"""

from ansible_collections.secops.async_tasks.plugins.plugin_utils.cells import byte_size


class FilterModule:
    """secops.async_tasks.byte_size"""

    def filters(self):
        return {"byte_size": byte_size}
