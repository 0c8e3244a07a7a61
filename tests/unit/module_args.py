# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""``patch_module_args(args)``: run a module's ``main()`` with ``args`` as Ansible would pass them.

ansible-core 2.19 and later ship it (``ansible.module_utils.testing``); on 2.16 to 2.18, which the
collection supports too, the same is done the way those versions read their arguments.
"""

from __future__ import annotations

import contextlib
import json

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    from ansible.module_utils import basic
    from ansible.module_utils.common.text.converters import to_bytes

    @contextlib.contextmanager
    def patch_module_args(args=None):
        """AnsibleModule reads its arguments from ``basic._ANSIBLE_ARGS`` before 2.19."""
        saved = basic._ANSIBLE_ARGS  # pylint: disable=protected-access
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args or {}}))  # pylint: disable=protected-access
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved  # pylint: disable=protected-access

__all__ = ["patch_module_args"]
