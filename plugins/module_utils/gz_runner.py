# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""GravityZone runners: ``run_task_status`` and ``run_scan`` are the bodies of the modules' main().

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
A GravityZone module builds its options from specs.GZ_CONNECTION_SPEC next to its docs, then
passes its AsyncTasksModule to one of these; the run skeleton itself is in common.py.
"""

from __future__ import annotations


from ansible_collections.secops.async_tasks.plugins.module_utils import common
from ansible_collections.secops.async_tasks.plugins.module_utils.errors import (
    ApiError,
    InvalidInput,
    TaskWaitTimeout,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.gz import (
    GRAVITYZONE,
    GravityZoneClient,
    api_base,
    scan_task_call,
    unique_scan_name,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.gz_tasks import (
    SCAN_DEPTHS,
    STATUS_NUMBERS,
    status_name,
    validate_date,
    validate_target_id,
    validate_task_id,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.polling import wait_or_raise
from ansible_collections.secops.async_tasks.plugins.module_utils.times import zone_of

# How many failed endpoints a failure message lists before "and N more".
FAILED_LISTED = 5


def gz_client(module, deadline):
    params = module.params
    transport = module.transport(api_base(params["api_url"], module.warn), GRAVITYZONE, deadline)
    return GravityZoneClient(transport, params["api_key"], check_mode=module.check_mode)


def subtask_filters(params):
    """``subtaskFilters`` from the module options, validated; None when there are none."""
    filters = {}
    if params["subtask_status"]:
        filters["status"] = STATUS_NUMBERS[params["subtask_status"]]
    zone = zone_of(params.get("timezone"))
    after = validate_date(params["ended_after"], "ended_after", zone)
    before = validate_date(params["ended_before"], "ended_before", zone)
    if after:
        filters["endedAfter"] = after
    if before:
        filters["endedBefore"] = before
    if after and before and after >= before:
        raise InvalidInput("ended_after (%s) must be earlier than ended_before (%s)" % (after, before),
                           option="ended_after")
    return filters or None


def check_paging(params):
    """Paging and filter options that only apply to subtasks (their bounds are the module's bounds())."""
    subtask_options = [name for name in ("subtask_status", "ended_after", "ended_before", "page") if params[name]]
    if subtask_options and (params["api_version"] == "1.0" or not params["return_subtasks"]):
        raise InvalidInput("%s only apply to subtasks, which need api_version 1.1 and return_subtasks: true"
                           % ", ".join(subtask_options), option=subtask_options[0])


def wait_until_finished(client, task_id, api_version, waiting):
    """Poll the task alone (no subtasks: one cheap request a poll) until it is finished."""
    def timed_out(outcome):
        return TaskWaitTimeout(
            "GravityZone task %s was still %s after %.0f s (wait_timeout=%d); raise wait_timeout, or read it later "
            "with wait: false" % (task_id, status_name(outcome.state.get("status")), outcome.waited, waiting.timeout),
            task_id=task_id, status=outcome.state.get("status"), finished=False)

    return wait_or_raise(
        fetch=lambda: client.task_status_page(task_id, api_version=api_version, return_subtasks=False),
        is_done=lambda result: result.get("status") == 3, waiting=waiting, sleep=client.transport.pause,
        timed_out=timed_out, report=client.transport.report,
        describe=lambda state: "GravityZone task %s: %s" % (task_id, status_name(state.get("status"))))


def describe_failures(task):
    failed = task["failed_subtasks"]
    listed = ["%s (error %s: %s)" % (sub["endpoint_name"] or sub["endpoint_id"], sub["error_code"],
                                     sub["error_message"] or "no message") for sub in failed[:FAILED_LISTED]]
    more = len(failed) - len(listed)
    return "; ".join(listed) + (" and %d more" % more if more > 0 else "")


def read_task(client, task_id, params, filters, waiting, warn=None):
    """One task with its subtasks, after waiting for it when asked; fails on subtask errors when asked.

    A finished task with targets no subtask accounts for is not a success: ``warn`` says so with both counts.
    """
    if waiting.wait:
        wait_until_finished(client, task_id, params["api_version"], waiting)
    task = client.task_status(task_id, api_version=params["api_version"], return_subtasks=params["return_subtasks"],
                              page=params["page"], per_page=params["per_page"], filters=filters,
                              max_pages=params["max_pages"])
    if task["unaccounted_targets"] and warn:
        warn("GravityZone task %s has %d target(s) (totalTargetsCount) but only %d subtask(s), and no more pages: "
             "the outcome of %d target(s) is unknown, so the task is not reported as succeeded"
             % (task_id, task["total_targets"], len(task["subtasks"]), task["unaccounted_targets"]))
    if params["fail_on_subtask_error"] and task["failed_subtasks"]:
        raise ApiError("GravityZone task %s: %d of its endpoints failed: %s"
                       % (task_id, len(task["failed_subtasks"]), describe_failures(task)), **task)
    return task


def run_task_status(module):
    """Run gz_task_status: one task (``task_id``) or several (``task_ids``)."""
    def work():
        params = module.params
        task_ids, batch = common.ids_to_read(params, "task_id", "task_ids", validate_task_id)
        filters = subtask_filters(params)
        check_paging(params)
        waiting = common.wait_options(params)
        with gz_client(module, waiting.deadline) as client:
            return common.run_one_or_many(
                task_ids, batch, noun="GravityZone tasks", facts_key="gz_task",
                failed=lambda err, task_id: common.failed_entry(err, task_id=task_id),
                read_one=lambda task_id: read_task(client, task_id, params=params, filters=filters, waiting=waiting,
                                                   warn=module.warn))

    module.run(work)


def custom_scan_settings(params):
    custom = [name for name in ("custom_scan_depth", "custom_scan_paths") if params[name]]
    if params["type"] != "custom":
        if custom:
            raise InvalidInput("%s only apply to type: custom" % " and ".join(custom), option=custom[0])
        return None
    if len(custom) < 2:
        raise InvalidInput("type: custom needs custom_scan_depth and custom_scan_paths (such as LocalDrives)",
                           option="custom_scan_depth" if "custom_scan_depth" not in custom else "custom_scan_paths")
    return {"scanDepth": SCAN_DEPTHS[params["custom_scan_depth"]], "scanPath": list(params["custom_scan_paths"])}


def run_scan(module):
    """Run gz_scan_task: create a scan task and return its id(s); in check mode, say what would be sent."""
    def work():
        params = module.params
        if not params["target_ids"]:
            raise InvalidInput("target_ids is empty: give the ids of the endpoints or groups to scan",
                               option="target_ids")
        targets = [validate_target_id(target) for target in params["target_ids"]]
        settings = custom_scan_settings(params)
        # Always named: a console that answers true, or whose answer is lost, is asked for the task by its
        # (unique) name.
        name = params["name"] or unique_scan_name(params["type"])
        result = dict(changed=True, type=params["type"], name=name, target_ids=targets, task_ids=[], task_id=None)
        with gz_client(module, common.params_deadline(params)) as client:
            if module.check_mode:
                client.check_access()
                what = "start a %s scan of %d target(s)" % (params["type"], len(targets))
                return common.check_mode_result(client, scan_task_call(targets, params["type"], name, settings),
                                                what, **result)
            task_ids = client.create_scan_task(targets, params["type"], name, custom_settings=settings,
                                               unique_name=not params["name"])
        result.update(task_ids=task_ids, task_id=task_ids[0])
        return result

    module.run(work)


def run_scan_list(module):
    """Run gz_scan_task_info: every scan task matching name and status, all pages."""
    def work():
        params = module.params
        if params["exact"] and not params["name"]:
            raise InvalidInput("exact: true needs name", option="exact")
        status = STATUS_NUMBERS[params["status"]] if params["status"] else None
        with gz_client(module, common.params_deadline(params)) as client:
            tasks, pages = client.scan_tasks(name=params["name"], status=status, per_page=params["per_page"],
                                             max_pages=params["max_pages"])
        if params["exact"]:
            tasks = [task for task in tasks if task["name"] == params["name"]]
        found = dict(tasks=tasks, total=len(tasks), pages_fetched=pages)
        return dict(changed=False, ansible_facts={"gz_scan_tasks": found}, **found)

    module.run(work)
