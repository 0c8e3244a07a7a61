# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every module's argument spec and its DOCUMENTATION (doc fragments merged) say the same thing.

Modules are discovered from plugins/modules, so a module added later is covered without
touching this file. Each must define ``argument_spec()`` beside its DOCUMENTATION.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
import yaml

from ansible_collections.secops.async_tasks.plugins import modules as modules_package

COLLECTION = "secops.async_tasks."
FRAGMENTS = "ansible_collections.secops.async_tasks.plugins.doc_fragments."
# Option names that hold a secret: these, and only these, must be no_log.
SECRET_NAME = re.compile(r"(password|passwd|api_key|token|secret|session_id)$")


def module_names():
    folders = list(modules_package.__path__)  # a namespace package: no __file__
    return sorted(info.name for info in pkgutil.iter_modules(folders) if not info.name.startswith("_"))


def fragment_options(name):
    """The options of doc fragment ``secops.async_tasks.<file>[.<section>]``."""
    if not name.startswith(COLLECTION):
        raise AssertionError("doc fragment %s is not of this collection; teach this test to read it" % name)
    file_name, _dot, section = name[len(COLLECTION):].partition(".")
    fragment = importlib.import_module(FRAGMENTS + file_name).ModuleDocFragment
    return yaml.safe_load(getattr(fragment, (section or "documentation").upper())).get("options") or {}


def documented_options(module):
    doc = yaml.safe_load(module.DOCUMENTATION)
    options = {}
    for name in doc.get("extends_documentation_fragment") or []:
        options.update(fragment_options(name))
    options.update(doc.get("options") or {})
    return options


def disagreements(spec, docs, where=""):
    """Every way ``spec`` (an argument spec) and ``docs`` (documented options) differ, as sentences."""
    problems = []
    for name in sorted(set(spec) - set(docs)):
        problems.append("%s%s is in the argument spec but not documented" % (where, name))
    for name in sorted(set(docs) - set(spec)):
        problems.append("%s%s is documented but not in the argument spec" % (where, name))
    for name in sorted(set(spec) & set(docs)):
        problems.extend(option_disagreements(spec[name], docs[name], where + name))
    return problems


def option_disagreements(spec, doc, name):
    problems = []
    pairs = (
        ("type", spec.get("type", "str"), doc.get("type", "str")),
        ("default", spec.get("default"), doc.get("default")),
        ("choices", spec.get("choices"), doc.get("choices")),
        ("required", bool(spec.get("required")), bool(doc.get("required"))),
        ("elements", spec.get("elements"), doc.get("elements")),
        ("aliases", sorted(spec.get("aliases") or []), sorted(doc.get("aliases") or [])),
    )
    for what, in_spec, in_doc in pairs:
        if in_spec != in_doc:
            problems.append("%s: %s is %r in the argument spec but %r in the docs" % (name, what, in_spec, in_doc))
    if bool(spec.get("no_log")) != bool(SECRET_NAME.search(name.rsplit(".", 1)[-1])):
        problems.append("%s: no_log is %r in the argument spec, but the name %s a secret"
                        % (name, bool(spec.get("no_log")), "says" if SECRET_NAME.search(name) else "does not say"))
    sub_spec, sub_doc = spec.get("options"), doc.get("suboptions")
    if sub_spec or sub_doc:
        problems.extend(disagreements(sub_spec or {}, sub_doc or {}, name + "."))
    return problems


def test_every_module_is_found():
    names = module_names()
    assert "faz_top_sources_result" in names and "gz_task_status" in names, names


@pytest.mark.parametrize("name", module_names())
def test_argument_spec_agrees_with_documentation(name):
    module = importlib.import_module("%s.%s" % (modules_package.__name__, name))
    assert callable(getattr(module, "argument_spec", None)), \
        "%s must define argument_spec() beside its DOCUMENTATION" % name
    assert disagreements(module.argument_spec(), documented_options(module)) == []


def test_the_comparison_sees_every_kind_of_drift():
    docs = {
        "host": {"type": "str"},
        "port": {"type": "int", "default": 443},
        "mode": {"type": "str", "choices": ["a", "b"]},
        "ids": {"type": "list", "elements": "int", "required": True},
        "password": {"type": "str"},
        "window": {"type": "dict", "suboptions": {"start": {"type": "str"}}},
        "documented_only": {"type": "str"},
    }
    spec = {
        "host": dict(type="int"),
        "port": dict(type="int", default=8443),
        "mode": dict(type="str", choices=["a", "c"]),
        "ids": dict(type="list", elements="str"),
        "password": dict(type="str"),
        "window": dict(type="dict", options=dict(end=dict(type="str"))),
        "spec_only": dict(type="str"),
    }
    problems = "\n".join(disagreements(spec, docs))
    for expected in ("host: type", "port: default", "mode: choices", "ids: required", "ids: elements",
                     "password: no_log", "window.end is in the argument spec", "window.start is documented",
                     "documented_only is documented", "spec_only is in the argument spec"):
        assert expected in problems, expected
