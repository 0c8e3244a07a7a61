# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Module code runs as on a managed node, whatever other tests imported before."""

from __future__ import annotations

import pytest
from ansible.module_utils import _internal


@pytest.fixture(autouse=True)
def managed_node(monkeypatch):
    """Importing controller code (ansible.errors, as the filter tests do) marks the process as the controller,
    and AnsibleModule.warn then prints instead of returning warnings with the result: undo that here."""
    monkeypatch.setattr(_internal, "is_controller", False)
