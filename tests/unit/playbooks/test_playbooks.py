# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a newcomer meets first in the playbooks: every play runs the modules with the Python that runs Ansible
(requests is there), and the demo's messages show sizes as the report does (GiB) and counts in words, not raw
byte counts or a Python dictionary. The demo runs against the simulator with `make demo`."""

from __future__ import annotations

import glob
import os
import re

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PLAYBOOKS = sorted(glob.glob(os.path.join(ROOT, "playbooks", "*.yml")))


def plays(path):
    with open(path, encoding="utf-8") as stream:
        return yaml.safe_load(stream)


@pytest.mark.parametrize("path", PLAYBOOKS, ids=os.path.basename)
def test_every_play_runs_locally_with_ansibles_python(path):
    for play in plays(path):
        assert play.get("connection") == "local", play["name"]
        assert play.get("vars", {}).get("ansible_python_interpreter") == "{{ ansible_playbook_python }}", play["name"]


def _messages(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "ansible.builtin.debug":
                yield str(value.get("msg", ""))
            else:
                yield from _messages(value)
    elif isinstance(node, list):
        for item in node:
            yield from _messages(item)


def test_the_demo_says_sizes_and_counts_in_words():
    messages = list(_messages(plays(os.path.join(ROOT, "playbooks", "demo.yml"))))
    assert messages
    for message in messages:
        # Every byte count through byte_size; no dictionary of counts printed as it is.
        for expression in re.findall(r"\{\{(.*?)\}\}", message, re.S):
            if re.search(r"\bbytes\b", expression):
                assert "secops.async_tasks.byte_size" in expression, message
            if "subtask_counts" in expression:
                assert "secops.async_tasks.counts_text" in expression, message
        assert " bytes\"" not in message and "%.2f GiB" not in message, message
