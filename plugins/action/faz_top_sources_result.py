# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs secops.async_tasks.faz_top_sources_result in the controller process when it would run on the controller anyway.

Which path a task takes, and how to turn this off: plugins/plugin_utils/action.py, docs/design.md.
"""

from __future__ import annotations

from ansible_collections.secops.async_tasks.plugins.plugin_utils.action import ModuleAction


class ActionModule(ModuleAction):
    """The action of the module faz_top_sources_result (same name; docs, FQCN and module_defaults unchanged)."""
