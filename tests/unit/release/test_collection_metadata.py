# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What Galaxy and the docs site show a newcomer about the collection: galaxy.yml's description covers what
the collection does (log search and the IP investigation included), and no address is a placeholder that
leads nowhere (galaxy.yml, the docs site's links). galaxy-importer and ansible-lint on the tarball are in
`make release-check`."""

from __future__ import annotations

import os
import re

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PLACEHOLDER = re.compile(r"\.(invalid|example|test|localhost)\b|\bexample\.(com|org|net)\b", re.I)


def load(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def test_the_description_covers_what_the_collection_does():
    description = " ".join(load("galaxy.yml")["description"].split()).lower()
    for words in ("fortianalyzer", "fortiview", "log search", "gravityzone", "scan", "investigation of one ip"):
        assert words in description, words


def _urls(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _urls(value)
    elif isinstance(node, list):
        for value in node:
            yield from _urls(value)
    elif isinstance(node, str) and re.match(r"^[a-z]+://", node):
        yield node


def test_no_address_is_a_placeholder():
    galaxy = load("galaxy.yml")
    urls = list(_urls(galaxy)) + list(_urls(load("docs", "docsite", "links.yml")))
    assert not [url for url in urls if PLACEHOLDER.search(url)], urls
    for key in ("repository", "documentation", "homepage", "issues"):
        assert galaxy.get(key) is None or re.match(r"^https://", galaxy[key]), key


def _set_stats_keys(role):
    keys = []
    for path in (os.path.join(ROOT, "roles", role, "tasks", name) for name in os.listdir(
            os.path.join(ROOT, "roles", role, "tasks"))):
        with open(path, encoding="utf-8") as stream:
            for task in _tasks(yaml.safe_load(stream) or []):
                keys.extend((task.get("ansible.builtin.set_stats") or {}).get("data", {}))
    return keys


def _tasks(tasks):
    for task in tasks:
        yield task
        for key in ("block", "rescue", "always"):
            yield from _tasks(task.get(key) or [])


def test_the_awx_guide_covers_every_role_playbook_and_what_it_hands_on():
    with open(os.path.join(ROOT, "docs", "awx.md"), encoding="utf-8") as stream:
        guide = stream.read()
    playbooks = sorted(name for name in os.listdir(os.path.join(ROOT, "playbooks")) if name != "demo.yml")
    for name in playbooks:
        assert "`playbooks/%s`" % name in guide, name
    for role in sorted(os.listdir(os.path.join(ROOT, "roles"))):
        assert "secops.async_tasks.%s" % role in guide, role
        for key in _set_stats_keys(role):
            assert "`%s`" % key in guide, (role, key)
    assert "when its job fails" in guide
