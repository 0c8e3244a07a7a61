# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The time options of the modules, through their main() against the simulator.

A duration past the documented maximum (``times.MAX_DURATION``) is a failure that names the option,
never a traceback (``time_range: {last: 3000000w}`` was an OverflowError), and no session stays open.
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.secops.async_tasks.tests.unit.module_args import patch_module_args
from ansible_collections.secops.async_tasks.plugins.modules import faz_fortiview_task, faz_log_search
from tests.simulator.server import Simulator

FAZ_USER = "admin"
FAZ_PASSWORD = "sim-admin-pass"


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    with Simulator(str(tmp_path_factory.mktemp("simulator"))) as simulator:
        yield simulator


def run_main(module, args, capsys):
    with patch_module_args(args):
        with pytest.raises(SystemExit) as exited:
            module.main()
    out = capsys.readouterr().out
    return exited.value.code, json.loads(out)


def faz_args(sim, **extra):
    args = dict(host="127.0.0.1", port=sim.port, validate_certs=False, username=FAZ_USER, password=FAZ_PASSWORD,
                timeout=5)
    args.update(extra)
    return args


CASES = [
    (faz_fortiview_task, dict(view="top-sources")),
    (faz_log_search, dict(logtype="traffic")),
]


@pytest.mark.parametrize("module, own", CASES, ids=lambda value: getattr(value, "__name__", "").rpartition(".")[2])
@pytest.mark.parametrize("last", ["3000000w", "99999999999999999999d", "3651d"])
def test_a_duration_past_the_maximum_names_the_option(sim, capsys, module, own, last):
    code, result = run_main(module, faz_args(sim, time_range={"last": last}, **own), capsys)
    assert code == 1 and result["failed"] is True
    assert "Traceback" not in json.dumps(result) and "OverflowError" not in json.dumps(result)
    assert result["msg"].startswith("time_range.last %r is longer than" % last), result["msg"]
    assert "3650d" in result["msg"]
    assert result.get("option") == "time_range"
    assert sim.counters()["faz"]["open_sessions"] == 0


@pytest.mark.parametrize("module, own", CASES, ids=lambda value: getattr(value, "__name__", "").rpartition(".")[2])
def test_the_maximum_itself_is_accepted(sim, capsys, module, own):
    """In check mode: the period is resolved and shown, and no simulated search over ten years is made."""
    code, result = run_main(module, faz_args(sim, time_range={"last": "3650d"}, _ansible_check_mode=True, **own),
                            capsys)
    assert code == 0, result
    assert result["time_range"]["start"] < result["time_range"]["end"]
    assert sim.counters()["faz"]["open_sessions"] == 0
