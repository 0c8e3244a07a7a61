# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Test-only callback: one line per ansible-playbook start, in the file named by SECOPS_PLAYBOOK_TALLY_FILE.

scripts/molecule.sh enables it for every scenario. The environment reaches the ansible-playbook runs
that a verify step starts itself, so those are counted too, and `make molecule` holds the total to
its limit as tests/conftest.py does for `make integration`.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: playbook_tally
type: aggregate
short_description: Count ansible-playbook runs in a file (molecule only)
description:
  - Appends the playbook's path to the file named by E(SECOPS_PLAYBOOK_TALLY_FILE) when a run starts.
requirements:
  - enabled in callbacks_enabled
"""

import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "playbook_tally"
    CALLBACK_NEEDS_ENABLED = True

    def v2_playbook_on_start(self, playbook):
        tally = os.environ.get("SECOPS_PLAYBOOK_TALLY_FILE")
        if tally:
            with open(tally, "a", encoding="utf-8") as stream:
                stream.write("%s\n" % getattr(playbook, "_file_name", "?"))
