# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The controller-side module class: a run leaves the process as it found it, and a crash is masked.

Each test runs a small module of its own (an AnsibleModule with a no_log option) through
``ControllerModule``; the collection's real modules run through it in the integration tests.
"""

from __future__ import annotations

import json
import os
import signal
import types

from ansible.module_utils import basic
from ansible.module_utils.common import warnings as core_warnings

from ansible_collections.secops.async_tasks.plugins.plugin_utils.controller import ControllerModule

PASSWORD = "s3cret p\u00e4ss"
SPEC = dict(password=dict(type="str", no_log=True), mode=dict(type="str", default="ok"))


def module(body):
    """A module object whose main() builds an AnsibleModule and hands it to ``body``."""
    def main():
        body(basic.AnsibleModule(argument_spec=SPEC))
    return types.SimpleNamespace(main=main)


def test_answer_warnings_and_progress_and_nothing_carried_over():
    said = []

    def body(ansible_module):
        ansible_module.warn("careful")
        ansible_module.progress("half way")
        ansible_module.exit_json(changed=False, mode=ansible_module.params["mode"])

    first = ControllerModule(module(body)).run({"password": PASSWORD}, progress=said.append)
    second = ControllerModule(module(body)).run({"password": PASSWORD, "mode": "again"}, progress=said.append)
    assert (first.rc, first.crash, first.result()["mode"]) == (0, None, "ok")
    # one warning each, not two: the globals start empty each run (2.19+ send it as a WarningSummary)
    for run in (first, second):
        assert len(run.result()["warnings"]) == 1 and "careful" in json.dumps(run.result()["warnings"])
    assert said == ["half way", "half way"]
    assert PASSWORD not in first.stdout


def test_validation_failure_is_the_answer_ansible_core_gives():
    run = ControllerModule(module(lambda ansible_module: None)).run({"password": PASSWORD, "colour": 1})
    result = run.result()
    assert run.rc == 1 and result["failed"] and "Unsupported parameters" in result["msg"] and "colour" in result["msg"]


def test_a_crash_is_a_failed_result_with_every_form_of_the_secret_masked():
    def body(ansible_module):
        raise ValueError("could not use %s (%s)" % (PASSWORD, PASSWORD.replace(" ", "%20").replace("\u00e4", "%C3%A4")))

    run = ControllerModule(module(body)).run({"password": PASSWORD})
    result = run.result()
    assert result["failed"] is True and result["msg"].startswith("MODULE FAILURE")
    assert "ValueError" in result["msg"] and "s3cret" not in result["msg"] and "p%C3%A4ss" not in result["msg"]
    assert "Traceback" in run.traceback  # kept for tests, never shown


def test_the_process_is_put_back_after_the_run():
    marker = "SECOPS_CONTROLLER_TEST_%d" % os.getpid()
    seen = {}
    before_handler = signal.getsignal(signal.SIGTERM)
    before_args = basic._ANSIBLE_ARGS
    before_warnings = core_warnings._global_warnings
    cwd = os.getcwd()

    def body(ansible_module):
        seen["environ"] = os.environ.get(marker)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a module that forgets to put a handler back
        os.environ["LEFT_BEHIND_%d" % os.getpid()] = "1"
        ansible_module.warn("left behind?")
        os.chdir("/")
        ansible_module.exit_json(changed=False)

    ControllerModule(module(body)).run({"password": PASSWORD}, environment={marker: "from the task"})
    assert seen["environ"] == "from the task"
    assert marker not in os.environ and "LEFT_BEHIND_%d" % os.getpid() not in os.environ
    assert signal.getsignal(signal.SIGTERM) is before_handler
    assert basic._ANSIBLE_ARGS is before_args and core_warnings._global_warnings is before_warnings
    assert os.getcwd() == cwd
    assert basic.AnsibleModule.__init__.__qualname__ == "AnsibleModule.__init__"
