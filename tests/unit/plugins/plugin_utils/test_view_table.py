# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The FortiView view table (faz_views.VIEW_TABLE) is the one list of views, and everything that
names views agrees with it: the modules' documented ``choices``, the dedicated result modules'
returned keys, the fortiview_report role's view list and argument spec, the report filters, and the
simulator. A view the table lists without measured sort fields takes ``sort_by`` (it raised KeyError).
"""

from __future__ import annotations

import json
import os

import pytest
import yaml

from ansible_collections.secops.async_tasks.tests.unit.module_args import patch_module_args
from ansible_collections.secops.async_tasks.plugins.module_utils import faz_views
from ansible_collections.secops.async_tasks.plugins.module_utils.errors import InvalidInput
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_views import REPORT_VIEWS, VIEW_TABLE, VIEWS, View
from ansible_collections.secops.async_tasks.plugins.modules import (
    faz_fortiview_result,
    faz_fortiview_task,
    faz_top_applications_result,
    faz_top_sources_result,
)
from ansible_collections.secops.async_tasks.plugins.plugin_utils import fortiview
from tests.simulator import faz as simulated_faz
from tests.simulator.server import Simulator

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
ROLE = os.path.join(ROOT, "roles", "fortiview_report")
DEDICATED = {"top-sources": faz_top_sources_result, "top-applications": faz_top_applications_result}


def documentation(module):
    return yaml.safe_load(module.DOCUMENTATION)


def read_yaml(*parts):
    with open(os.path.join(ROLE, *parts), encoding="utf-8") as stream:
        return yaml.safe_load(stream)


@pytest.mark.parametrize("module", [faz_fortiview_task, faz_fortiview_result], ids=lambda module: module.__name__)
def test_the_modules_document_and_accept_the_views_of_the_table(module):
    assert documentation(module)["options"]["view"]["choices"] == list(VIEW_TABLE)
    assert module.argument_spec()["view"]["choices"] == list(VIEW_TABLE)


@pytest.mark.parametrize("view", sorted(DEDICATED))
def test_a_dedicated_result_module_documents_the_keys_the_table_gives_it(view):
    record, returned = VIEW_TABLE[view], yaml.safe_load(DEDICATED[view].RETURN)
    assert record.rows_key in returned
    assert record.facts_key in returned["ansible_facts"]["contains"]
    assert [name for name, other in VIEW_TABLE.items() if other.facts_key] == sorted(DEDICATED, key=VIEWS.index)


def test_the_role_reports_on_the_views_the_table_titles():
    assert REPORT_VIEWS == tuple(name for name, view in VIEW_TABLE.items() if view.title)
    assert read_yaml("vars", "main.yml")["fortiview_report__known_views"] == list(REPORT_VIEWS), (
        "roles/fortiview_report/vars/main.yml must list the views VIEW_TABLE gives a title:\n%s"
        % yaml.safe_dump({"fortiview_report__known_views": list(REPORT_VIEWS)}))
    options = read_yaml("meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    assert options["fortiview_report_views"]["choices"] == list(REPORT_VIEWS)
    assert set(options["fortiview_report_views"]["default"]) <= set(REPORT_VIEWS)
    with open(os.path.join(ROLE, "README.md"), encoding="utf-8") as stream:
        assert "views: %s;" % ", ".join(REPORT_VIEWS) in stream.read()


@pytest.mark.parametrize("name", list(VIEW_TABLE))
def test_every_record_is_whole(name):
    view = VIEW_TABLE[name]
    assert view.name == name and callable(view.normalise)
    for fields in (view.filter_fields, view.sort_fields):
        assert fields is None or (isinstance(fields, tuple) and fields and all(isinstance(f, str) for f in fields))
    assert (view.title is None) == (view.column is None)
    assert view.name_fields or view.title is None, "a reported view needs the fields that name its entries"
    assert fortiview.view_heading(name) == ((view.title, view.column) if view.title else
                                            (name.replace("-", " ").capitalize(), "Name"))


@pytest.mark.parametrize("name", list(VIEW_TABLE))
def test_the_simulator_serves_every_view_of_the_table(name):
    assert name in simulated_faz.VIEWS, "a new view is one VIEW_TABLE entry plus its simulator data"
    if VIEW_TABLE[name].rows_key:
        assert simulated_faz.VIEWS[name].rows_key == VIEW_TABLE[name].rows_key


def test_the_task_module_documents_the_filter_fields_of_the_table():
    text = " ".join(documentation(faz_fortiview_task)["options"]["filter"]["description"])
    for name, view in VIEW_TABLE.items():
        for field in view.filter_fields or ():
            assert "%s C(%s)" % (name, field) in text


# -- a view without measured sort fields -----------------------------------------------------
NEW_VIEW = View("top-vpn-users")


@pytest.fixture
def table_with_a_new_view(monkeypatch):
    """The table with one more view, listed without filter or sort fields (not measured)."""
    table = dict(VIEW_TABLE, **{NEW_VIEW.name: NEW_VIEW})
    monkeypatch.setattr(faz_views, "VIEW_TABLE", table)
    monkeypatch.setattr(faz_views, "VIEWS", tuple(table))
    monkeypatch.setattr(faz_fortiview_task, "VIEWS", tuple(table))
    return table


def test_sort_by_on_a_view_without_sort_fields_passes_through(table_with_a_new_view):
    assert faz_views.validate_sort(NEW_VIEW.name, ["users", {"field": "bandwidth", "order": "asc"}]) == [
        {"field": "users", "order": "desc"}, {"field": "bandwidth", "order": "asc"}]
    with pytest.raises(InvalidInput) as caught:
        faz_views.validate_sort(NEW_VIEW.name, ["users; drop"])
    assert caught.value.details["option"] == "sort_by"


def test_sort_by_on_a_view_not_in_the_table_names_the_view():
    with pytest.raises(InvalidInput) as caught:
        faz_views.validate_sort("top-nothing", ["bandwidth"])
    assert caught.value.details["option"] == "view"


def test_the_task_module_takes_sort_by_for_a_view_without_sort_fields(table_with_a_new_view, tmp_path, capsys):
    """Through main(), in check mode against the simulator: the request it would send, no KeyError."""
    with Simulator(str(tmp_path)) as sim:
        args = dict(host="127.0.0.1", port=sim.port, validate_certs=False, username="admin",
                    password="sim-admin-pass", view=NEW_VIEW.name, sort_by=["users:asc"], _ansible_check_mode=True)
        with patch_module_args(args):
            with pytest.raises(SystemExit) as exited:
                faz_fortiview_task.main()
        result = json.loads(capsys.readouterr().out)
        assert exited.value.code == 0, result
        assert result["request"]["params"]["sort-by"] == [{"field": "users", "order": "asc"}]
        assert sim.counters()["faz"]["open_sessions"] == 0
