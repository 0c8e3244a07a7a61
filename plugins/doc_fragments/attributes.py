# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Attributes shared by the collection's modules."""

    # Read-only modules that return facts.
    READ_FACTS = r"""
attributes:
  check_mode:
    description: Can run in check mode.
    support: full
    details: The module only reads, so it does the same in check mode and always reports RV(ignore:changed=false).
  diff_mode:
    description: Returns details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: none
  facts:
    description: Returns data under C(ansible_facts) as well as at the top level of the result.
    support: full
"""

    FORTIANALYZER_GROUP = r"""
attributes:
  action_group:
    description: Use C(group/secops.async_tasks.fortianalyzer) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - secops.async_tasks.fortianalyzer
"""

    GRAVITYZONE_GROUP = r"""
attributes:
  action_group:
    description: Use C(group/secops.async_tasks.gravityzone) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - secops.async_tasks.gravityzone
"""
