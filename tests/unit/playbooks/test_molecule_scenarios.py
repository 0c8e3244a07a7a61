# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The molecule scenarios `make molecule` runs (scripts/molecule.sh): molecule 26 looks for the `default`
scenario before any other and logs "CRITICAL ... default/molecule.yml glob failed" without one; every role
has a scenario with converge and verify, and idempotence where a run changes nothing on an appliance. No
scenario has a syntax step (`make lint` syntax-checks every playbook) or a prerun (scripts/molecule.sh gives
them the installed tarball instead of a copy built and installed once per scenario)."""

from __future__ import annotations

import os

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SCENARIOS = os.path.join(ROOT, "extensions", "molecule")
# Roles whose run changes something on an appliance each time (a scan) are tested without idempotence.
IDEMPOTENT_ROLES = ("fortiview_report", "gz_task_gate", "ip_investigation")


def config(name):
    with open(os.path.join(SCENARIOS, name, "molecule.yml"), encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def sequence(name):
    return config(name)["scenario"]["test_sequence"]


def test_there_is_a_default_scenario():
    assert {"converge", "verify"} <= set(sequence("default"))


def test_every_role_has_a_scenario_of_its_own():
    for role in sorted(os.listdir(os.path.join(ROOT, "roles"))):
        steps = sequence(role)
        assert {"converge", "verify"} <= set(steps), (role, steps)
        for name in ("converge.yml", "verify.yml"):
            assert os.path.isfile(os.path.join(SCENARIOS, role, name)), (role, name)
        if role in IDEMPOTENT_ROLES:
            assert steps.index("idempotence") > steps.index("converge"), (role, steps)


def test_no_scenario_has_a_prerun_or_a_syntax_step():
    names = [name for name in sorted(os.listdir(SCENARIOS)) if os.path.isfile(os.path.join(SCENARIOS, name, "molecule.yml"))]
    assert "default" in names
    for name in names:
        assert config(name).get("prerun") is False, name
        assert "syntax" not in sequence(name), name
