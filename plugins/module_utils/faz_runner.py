# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The FortiAnalyzer runners: what the main() of each FortiAnalyzer module calls.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
Each module declares its own options (specs.FAZ_CONNECTION_SPEC and its own) beside its
DOCUMENTATION, makes an ``AsyncTasksModule`` and hands it to a runner here.
"""

from __future__ import annotations

from ansible_collections.secops.async_tasks.plugins.module_utils.common import (
    check_mode_result,
    failed_entry,
    ids_to_read,
    params_deadline,
    run_one_or_many,
    wait_options,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.errors import (
    ApiError,
    InvalidInput,
    TaskWaitTimeout,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.faz import (
    FORTIANALYZER,
    FortiAnalyzerClient,
    view_task_call,
    view_task_url,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_views import (
    ALL_FORTIGATE_HINT,
    VIEW_TABLE,
    device_list,
    names_all_fortigate,
    validate_adom,
    validate_filter,
    validate_sort,
    validate_tid,
    validate_view,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.inputs import split_host
from ansible_collections.secops.async_tasks.plugins.module_utils.polling import wait_or_raise
from ansible_collections.secops.async_tasks.plugins.module_utils.times import resolve_time_range, zone_of

# Options of faz_fortiview_task that only mean something when a task is created.
CREATE_ONLY = ("time_range", "device", "filter", "limit", "sort_by")


def base_url(params):
    """``https://host:port`` from ``host`` (a name, an address, or a URL someone pasted) and ``port``."""
    host, port = split_host(params.get("host"), params.get("port") or 443)
    return "https://%s:%d" % (host, port)


def faz_client(module, deadline):
    """A ``FortiAnalyzerClient`` for this run (not yet logged in: use it in ``with``)."""
    params = module.params
    transport = module.transport(base_url(params), FORTIANALYZER, deadline)
    return FortiAnalyzerClient(transport, username=params["username"], password=params["password"],
                               api_key=params["api_key"], session_id=params["session_id"],
                               check_mode=module.check_mode)


def fetch_task(client, tid, view, adom, waiting):
    """The task's state; with ``waiting.wait``, polled until it is no longer running."""
    if not waiting.wait:
        return client.fetch_view_result(view, adom, tid)

    def timed_out(outcome):
        state = outcome.state
        return TaskWaitTimeout(
            "FortiView task %d in ADOM %s was still %s at %d%% after %.0f s (wait_timeout=%d); raise wait_timeout, "
            "or fetch it later with wait: false"
            % (tid, adom, state["status"], state["percentage"], outcome.waited, waiting.timeout),
            tid=tid, adom=adom, status=state["status"], percentage=state["percentage"], done=False)

    return wait_or_raise(fetch=lambda: client.fetch_view_result(view, adom, tid),
                         is_done=lambda state: state["status"] != "running", waiting=waiting,
                         sleep=client.transport.pause, timed_out=timed_out,
                         progress=lambda state: state["percentage"], report=client.transport.report,
                         describe=lambda state: "FortiView task %d: %s%%" % (tid, state["percentage"])).state


def public_result(state, adom, rows_key):
    return {
        "tid": state["tid"],
        "adom": adom,
        "view": state["view"],
        "status": state["status"],
        "done": state["done"],
        "percentage": state["percentage"],
        "total": state["total"],
        rows_key: state["rows"],
    }


def fetch_one(client, tid, view, adom, waiting, rows_key):
    """One task's public result; a task in error is a failure."""
    state = fetch_task(client, tid, view=view, adom=adom, waiting=waiting)
    result = public_result(state, adom, rows_key)
    if state["status"] == "error":
        raise ApiError("FortiView task %d in ADOM %s ended with status 'error' at %d%%; create the task again"
                       % (tid, adom, state["percentage"]), **result)
    return result


def run_result(module, view=None):
    """Run a FortiView result module: fetch one task (``tid``) or many (``tids``).

    With ``view`` (a view's dedicated module) the rows and facts keys are the view's own (VIEW_TABLE);
    with None the view comes from the module's ``view`` option (faz_fortiview_result), and the rows
    are returned under ``rows``, the facts under ``faz_fortiview``.
    """
    rows_key, facts_key = (VIEW_TABLE[view].rows_key, VIEW_TABLE[view].facts_key) if view else ("rows", "faz_fortiview")

    def work():
        params = module.params
        the_view = validate_view(view or params["view"])
        adom = validate_adom(params["adom"])
        tids, batch = ids_to_read(params, "tid", "tids", validate_tid)
        waiting = wait_options(params)

        def failed(err, tid):
            entry = failed_entry(err, tid=tid, adom=adom, view=the_view)
            entry.setdefault(rows_key, [])
            return entry

        devices = device_list(params.get("device")) if params.get("device") else None
        with faz_client(module, waiting.deadline) as client:
            def read_one(tid):
                return fetch_one(client, tid, view=the_view, adom=adom, waiting=waiting, rows_key=rows_key)

            result = run_one_or_many(tids, batch, noun="FortiView tasks", facts_key=facts_key, failed=failed,
                                     read_one=read_one)
        warn_if_all_fortigate_empty(module, devices, result.get("results", [result]), rows_key)
        return result

    module.run(work)


def warn_if_all_fortigate_empty(module, devices, results, rows_key):
    """Explain finished tasks without rows whose request named All_FortiGate (7.6.7 and 8.0 find nothing)."""
    if not names_all_fortigate(devices):
        return
    empty = [str(item["tid"]) for item in results if item.get("done") and not item.get(rows_key)]
    if empty:
        module.warn("FortiView task(s) %s finished with no rows: %s" % (", ".join(empty), ALL_FORTIGATE_HINT))


def run_task(module):
    """Run faz_fortiview_task: create a FortiView task, or cancel one (``state: absent``)."""
    def work():
        params = module.params
        view = validate_view(params["view"])
        adom = validate_adom(params["adom"])
        if params["state"] == "absent":
            return cancel_task(module, view, adom, validate_tid(params["tid"]))
        return create_task(module, view, adom)

    module.run(work)


def task_request(params, view):
    """The validated options of a new task, as ``create_view_task`` keywords."""
    if params["tid"] is not None:
        raise InvalidInput("tid is only for state: absent (cancelling a task); a new task gets its own", option="tid")
    return dict(time_range=resolve_time_range(params["time_range"], zone=zone_of(params["timezone"])),
                device=device_list(params["device"]),
                filter_expression=validate_filter(view, params["filter"]), limit=params["limit"],
                sort_by=validate_sort(view, params["sort_by"]))


def create_task(module, view, adom):
    """Create the task; in check mode log in, check the ADOM and say what would have been sent."""
    request = task_request(module.params, view)
    result = dict(changed=True, view=view, adom=adom, time_range=request["time_range"], device=request["device"],
                  tid=None)
    with faz_client(module, params_deadline(module.params)) as client:
        if module.check_mode:
            client.check_adom(adom)
            return check_mode_result(client, view_task_call(view, adom, **request),
                                     "create a %s task in ADOM %s" % (view, adom), **result)
        result["tid"] = client.create_view_task(view, adom, **request)
    return result


def cancel_task(module, view, adom, tid):
    """Cancel the task; in check mode read it and say whether it would have been cancelled."""
    params = module.params
    for name in CREATE_ONLY:
        if params[name]:
            raise InvalidInput("%s only applies to state: present" % name, option=name)
    result = dict(view=view, adom=adom, tid=tid)
    with faz_client(module, params_deadline(params)) as client:
        if module.check_mode:
            url = view_task_url(view, adom, tid)
            if not client.exists(url):
                return dict(result, changed=False, cancelled=False)
            return check_mode_result(client, ("delete", url, {}),
                                     "cancel task %d of view %s in ADOM %s" % (tid, view, adom), cancelled=None,
                                     **result)
        answer = client.cancel_view_task(view, adom, tid)
    return dict(result, changed=answer, cancelled=answer)
