# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The action plugin every module of the collection has: run the module in the controller when it would run there.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.

A task of this collection nearly always runs on the controller (``hosts: localhost``, ``delegate_to:
localhost``, an AWX execution environment). Shipping the module there costs more than its work:
AnsiballZ builds a payload, a new Python starts and imports ansible-core and requests, its JSON
answer is parsed. ``ModuleAction`` runs the module's own ``main()`` in the worker process instead
(plugin_utils/controller.py), when all of these hold:

* the connection, delegated or not, is ``local``;
* no ``become`` and no ``async``;
* ``requests`` can be imported by the controller's Python;
* neither the variable ``secops_async_tasks_in_controller`` nor, when that variable is not set,
  the environment variable ``SECOPS_ASYNC_TASKS_IN_CONTROLLER`` turns the path off.

Otherwise the module is shipped exactly as without this plugin (ansible.builtin.normal). At
``-vvv`` the task says which path it took and why. The arguments reach the module with the same
internal keys, the same JSON and the same serialisation profile as on the shipped path, and its
answer is read back by ansible-core's own parser, so validation, messages, ``invocation``,
warnings and ``no_log`` are ansible-core's on either path. On ansible-core 2.16 to 2.18 the result
is wrapped as unsafe (2.19 and later never trust a module's strings): nothing an appliance sent
is ever templated.
"""

from __future__ import annotations

import os

from ansible import release
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.plugins.action.normal import ActionModule as NormalAction
from ansible.utils.display import Display

try:  # ansible-core 2.16 to 2.20; 2.21 parses into a UnifiedTaskResult that removes them itself
    from ansible.vars.clean import remove_internal_keys
except ImportError:
    remove_internal_keys = None

from ansible_collections.secops.async_tasks.plugins.plugin_utils.controller import (
    DEFAULT_PROFILE,
    ControllerModule,
    load_module,
)

display = Display()

SWITCH_VARIABLE = "secops_async_tasks_in_controller"
SWITCH_ENVIRONMENT = "SECOPS_ASYNC_TASKS_IN_CONTROLLER"
CORE_VERSION = tuple(int(part) for part in release.__version__.split(".")[:2])
# Before 2.19, results are trusted unless wrapped; 2.19 and later trust no module result.
WRAP_UNSAFE = CORE_VERSION < (2, 19)


def requests_importable():
    try:
        import requests  # noqa: F401 pylint: disable=import-outside-toplevel,unused-import
    except ImportError:
        return False
    return True


class ModuleAction(NormalAction):
    """The action of a module with the same name (the last part of this plugin's Python module name)."""

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        name = self.__class__.__module__.rsplit(".", 1)[-1]
        host = task_vars.get("inventory_hostname")
        reason = self.shipped_because(task_vars)
        if reason:
            display.vvv("secops.async_tasks.%s: shipping the module to run as a separate process, because %s"
                        % (name, reason), host=host)
            return super().run(tmp, task_vars)
        display.vvv("secops.async_tasks.%s: running the module in the controller process (local connection, no "
                    "become, no async, requests importable; %s=false turns this off)" % (name, SWITCH_VARIABLE),
                    host=host)
        result = ActionBase.run(self, tmp, task_vars)
        result.update(self.run_in_controller(name, task_vars, host))
        return result

    def shipped_because(self, task_vars):
        """Why the module must be shipped, or None when it runs in the controller."""
        switch = task_vars.get(SWITCH_VARIABLE)
        if switch is not None:
            if not boolean(self._templar.template(switch), strict=False):
                return "the variable %s is false" % SWITCH_VARIABLE
        elif not boolean(os.environ.get(SWITCH_ENVIRONMENT, "true"), strict=False):
            return "the environment variable %s is false" % SWITCH_ENVIRONMENT
        transport = getattr(self._connection, "transport", None)
        if transport != "local":
            return "the connection is %s, not local" % transport
        if self._play_context.become:
            return "the task uses become"
        if self._task.async_val:
            return "the task uses async"
        if not requests_importable():
            return "the controller's Python cannot import requests"
        return None

    def run_in_controller(self, name, task_vars, host):
        """The module's result, run in this process, read back as ansible-core reads a shipped module's."""
        module_args = dict(self._task.args)
        self._update_module_args(self._task.action, module_args, task_vars)
        module_args["_ansible_tmpdir"] = None
        environment = {}
        self._compute_environment_string(environment)
        progress = None
        if display.verbosity >= 1:
            def progress(line):
                display.v("secops.async_tasks.%s: %s" % (name, line), host=host)
        output = ControllerModule(load_module(name)).run(module_args, environment=environment, progress=progress)
        data = dict(output.crash) if output.crash is not None else self.parse_output(output)
        if WRAP_UNSAFE:
            from ansible.utils.unsafe_proxy import wrap_var  # pylint: disable=import-outside-toplevel
            data = wrap_var(data)
        return data

    def parse_output(self, output):
        """The module's printed answer read as ``_execute_module`` reads a shipped module's, on each core."""
        raw = {"rc": output.rc, "stdout": output.stdout, "stdout_lines": output.stdout.splitlines(),
               "stderr": output.stderr, "stderr_lines": output.stderr.splitlines()}
        if CORE_VERSION >= (2, 19):
            parsed = self._parse_returned_data(raw, DEFAULT_PROFILE)
        else:
            parsed = self._parse_returned_data(raw)
        if hasattr(parsed, "as_result_dict"):  # 2.21 and later
            parsed.remove_internal_keys()
            return parsed.as_result_dict(for_round_trip=True)
        parsed.pop("_ansible_suppress_tmpdir_delete", None)
        remove_internal_keys(parsed)
        return parsed
