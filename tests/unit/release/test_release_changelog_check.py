# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""scripts/release-changelog-check.py: what it finds in a changelog, and that the release the repo's own
fragments make passes it (antsibull-changelog run on a copy, as `make release-check` does)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SPEC = importlib.util.spec_from_file_location("release_changelog_check",
                                              os.path.join(ROOT, "scripts", "release-changelog-check.py"))
check = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(check)

BAD = """\
=========================
example.thing Release Notes
=========================

v0.1.0
======

Release Summary
---------------

First release: the ``alpha`` role with two playbooks, ``site``.

Major Changes
-------------

- do_it - new module that does it.

Minor Changes
-------------

- do_it - the C(force) option is new.

Bugfixes
--------

- do_it - no longer crashes.

New Modules
-----------

- secops.async_tasks.do_it - Do it.

New Roles
---------

- secops.async_tasks.alpha - Alpha.
- secops.async_tasks.beta - Beta.
"""


def tree(tmp_path, changelog, releases=("0.1.0",)):
    for directory, names in (("plugins/modules", ["do_it.py"]), ("roles", ["alpha", "beta"]),
                             ("playbooks", ["site.yml", "other.yml"])):
        os.makedirs(os.path.join(str(tmp_path), directory))
        for name in names:
            path = os.path.join(str(tmp_path), directory, name)
            os.mkdir(path) if "." not in name else open(path, "w").close()
    os.makedirs(os.path.join(str(tmp_path), "changelogs"))
    with open(os.path.join(str(tmp_path), "changelogs", "changelog.yaml"), "w") as handle:
        handle.write("ancestor: null\nreleases:\n" + "".join("  %s: {}\n" % version for version in releases))
    with open(os.path.join(str(tmp_path), "CHANGELOG.rst"), "w") as handle:
        handle.write(changelog)
    return str(tmp_path)


def test_finds_every_kind_of_problem(tmp_path):
    found = "\n".join(check.problems(tree(tmp_path, BAD), "0.1.0"))
    for words in ["does not name the role ``beta``", "does not name the playbook ``other``",
                  "Major Changes: do_it announced as new again", "no 'Bugfixes' section",
                  "Ansible markup printed literally", "C(force)"]:
        assert words in found, found
    assert "says 'two' playbooks" not in found  # two is the true count


def test_a_later_release_may_carry_fixes(tmp_path):
    found = check.problems(tree(tmp_path, BAD, releases=("0.1.0", "0.2.0")), "0.1.0")
    assert not [problem for problem in found if "Bugfixes" in problem]


def test_a_wrong_count_is_named(tmp_path):
    text = BAD.replace("with two playbooks, ``site``", "with three playbooks, ``site`` and ``other``")
    found = check.problems(tree(tmp_path, text), "0.1.0")
    assert "the Release Summary says 'three' playbooks; there are 2" in found


@pytest.mark.skipif(shutil.which("antsibull-changelog", path=os.path.dirname(sys.executable)) is None,
                    reason="antsibull-changelog is not installed beside this Python")
def test_the_fragments_of_this_repo_make_a_release_that_passes(tmp_path):
    copy = str(tmp_path / "copy")
    ignored = shutil.ignore_patterns(".git", ".tmp", ".venv*", "dist", "tests", "collections", ".ansible", "docs")
    shutil.copytree(ROOT, copy, ignore=ignored)
    subprocess.run(["git", "init", "-q", copy], check=True)
    tool = os.path.join(os.path.dirname(sys.executable), "antsibull-changelog")
    version = "0.1.0"
    env = dict(os.environ, PATH=os.pathsep.join([os.path.dirname(tool), os.environ.get("PATH", "")]))  # ansible-doc
    run = subprocess.run([tool, "release", "--version", version], cwd=copy, capture_output=True, text=True, env=env,
                         check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert check.problems(copy, version) == []
