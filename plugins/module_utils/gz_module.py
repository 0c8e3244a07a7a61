# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the GravityZone modules share: connection options and client set-up.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
The connection options are documented once in doc_fragments/gravityzone.py; keep both in sync.
"""

from __future__ import annotations

from ansible_collections.secops.async_tasks.plugins.module_utils.common import (
    WAIT_SPEC,
    AsyncTasksModule,
    batch_failure,
    env_fallback_set,
    check_run_options,
    failed_entry,
    run_batch,
    run_deadline,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.errors import (
    ApiError,
    AsyncTasksError,
    InvalidInput,
    TaskWaitTimeout,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.gz import (
    API_VERSIONS,
    DEFAULT_API_URL,
    GRAVITYZONE,
    PER_PAGE_MAX,
    SCAN_DEPTHS,
    SCAN_TYPES,
    STATUS_NUMBERS,
    GravityZoneClient,
    api_base,
    status_name,
    validate_date,
    validate_target_id,
    validate_task_id,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.polling import wait_until_done


def _env(name):
    return (env_fallback_set, ["GRAVITYZONE_" + name])


GZ_CONNECTION_SPEC = dict(
    api_url=dict(type="str", default=DEFAULT_API_URL, fallback=_env("API_URL")),
    api_key=dict(type="str", no_log=True, fallback=_env("API_KEY")),
    validate_certs=dict(type="bool", default=True, fallback=_env("VALIDATE_CERTS")),
    ca_path=dict(type="path", fallback=_env("CA_PATH")),
    timeout=dict(type="int", default=30, fallback=_env("TIMEOUT")),
)


def gz_client(module, deadline):
    params = module.params
    transport = module.transport(api_base(params["api_url"], module.warn), GRAVITYZONE, deadline)
    return GravityZoneClient(transport, params["api_key"], check_mode=module.check_mode)


TASK_STATUS_SPEC = dict(
    task_id=dict(type="str"),
    task_ids=dict(type="list", elements="str"),
    api_version=dict(type="str", default="1.1", choices=list(API_VERSIONS)),
    return_subtasks=dict(type="bool", default=True),
    subtask_status=dict(type="str", choices=list(STATUS_NUMBERS)),
    ended_after=dict(type="str"),
    ended_before=dict(type="str"),
    per_page=dict(type="int", default=100),
    page=dict(type="int"),
    max_pages=dict(type="int", default=1000),
    fail_on_subtask_error=dict(type="bool", default=False),
)
TASK_STATUS_SPEC.update(WAIT_SPEC)
# How many failed endpoints a failure message lists before "and N more".
FAILED_LISTED = 5


def subtask_filters(params):
    """``subtaskFilters`` from the module options, validated; None when there are none."""
    filters = {}
    if params["subtask_status"]:
        filters["status"] = STATUS_NUMBERS[params["subtask_status"]]
    after = validate_date(params["ended_after"], "ended_after")
    before = validate_date(params["ended_before"], "ended_before")
    if after:
        filters["endedAfter"] = after
    if before:
        filters["endedBefore"] = before
    if after and before and after >= before:
        raise InvalidInput("ended_after (%s) must be earlier than ended_before (%s)" % (after, before),
                           option="ended_after")
    return filters or None


def check_paging(params, filters):
    if not 1 <= params["per_page"] <= PER_PAGE_MAX:
        raise InvalidInput("per_page must be between 1 and %d, got %d" % (PER_PAGE_MAX, params["per_page"]),
                           option="per_page")
    if params["page"] is not None and params["page"] < 1:
        raise InvalidInput("page must be 1 or more, got %d" % params["page"], option="page")
    if params["max_pages"] < 1:
        raise InvalidInput("max_pages must be 1 or more, got %d" % params["max_pages"], option="max_pages")
    subtask_options = [name for name in ("subtask_status", "ended_after", "ended_before", "page") if params[name]]
    if subtask_options and (params["api_version"] == "1.0" or not params["return_subtasks"]):
        raise InvalidInput("%s only apply to subtasks, which need api_version 1.1 and return_subtasks: true"
                           % ", ".join(subtask_options), option=subtask_options[0])


def wait_until_finished(client, task_id, params, deadline):
    """Poll the task alone (no subtasks: one cheap request a poll) until it is finished."""
    outcome = wait_until_done(
        fetch=lambda: client.task_status_page(task_id, params["api_version"], return_subtasks=False),
        is_done=lambda result: result.get("status") == 3,
        deadline=deadline, wait_timeout=params["wait_timeout"], poll_interval=params["poll_interval"],
        sleep=client.transport.pause)
    if not outcome.done:
        raise TaskWaitTimeout(
            "GravityZone task %s was still %s after %.0f s (wait_timeout=%d); raise wait_timeout, or read it later "
            "with wait: false" % (task_id, status_name(outcome.state.get("status")), outcome.waited,
                                  params["wait_timeout"]),
            task_id=task_id, status=outcome.state.get("status"), finished=False)
    return outcome


def describe_failures(task):
    failed = task["failed_subtasks"]
    listed = ["%s (error %s: %s)" % (sub["endpoint_name"] or sub["endpoint_id"], sub["error_code"],
                                     sub["error_message"] or "no message") for sub in failed[:FAILED_LISTED]]
    more = len(failed) - len(listed)
    return "; ".join(listed) + (" and %d more" % more if more > 0 else "")


def read_task(client, task_id, params, filters, deadline):
    """One task with its subtasks, after waiting for it when asked; fails on subtask errors when asked."""
    if params["wait"]:
        wait_until_finished(client, task_id, params, deadline)
    task = client.task_status(task_id, params["api_version"], params["return_subtasks"], params["page"],
                              params["per_page"], filters, params["max_pages"])
    if params["fail_on_subtask_error"] and task["failed_subtasks"]:
        raise ApiError("GravityZone task %s: %d of its endpoints failed: %s"
                       % (task_id, len(task["failed_subtasks"]), describe_failures(task)), **task)
    return task


def run_task_status_module():
    """``main()`` of gz_task_status: one task (``task_id``) or several (``task_ids``)."""
    module = AsyncTasksModule(argument_spec=TASK_STATUS_SPEC, connection_spec=GZ_CONNECTION_SPEC,
                              mutually_exclusive=[("task_id", "task_ids")], required_one_of=[("task_id", "task_ids")])

    def work():
        params = module.params
        if params["task_ids"] is not None:
            if not params["task_ids"]:
                raise InvalidInput("task_ids is empty: give at least one task id", option="task_ids")
            task_ids = [validate_task_id(task_id, "task_ids") for task_id in params["task_ids"]]
        else:
            task_ids = [validate_task_id(params["task_id"])]
        filters = subtask_filters(params)
        check_paging(params, filters)
        check_run_options(params)
        deadline = run_deadline(params["timeout"], params["wait"], params["wait_timeout"])
        with gz_client(module, deadline) as client:
            if params["task_ids"] is None:
                task = read_task(client, task_ids[0], params, filters, deadline)
                return dict(changed=False, ansible_facts={"gz_task": task}, **task)

            def one(task_id):
                try:
                    return read_task(client, task_id, params, filters, deadline)
                except AsyncTasksError as err:
                    return failed_entry(err, task_id=task_id)

            results = run_batch(task_ids, one)
        if any(item.get("failed") for item in results):
            raise ApiError(batch_failure(results, "GravityZone tasks"), results=results)
        return dict(changed=False, results=results, ansible_facts={"gz_task": {"results": results}})

    module.run(work)


SCAN_SPEC = dict(
    target_ids=dict(type="list", elements="str", required=True),
    type=dict(type="str", default="quick", choices=list(SCAN_TYPES)),
    name=dict(type="str"),
    custom_scan_depth=dict(type="str", choices=list(SCAN_DEPTHS)),
    custom_scan_paths=dict(type="list", elements="str"),
)


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


def run_scan_module():
    """``main()`` of gz_scan_task: create a scan task and return its id(s)."""
    module = AsyncTasksModule(argument_spec=SCAN_SPEC, connection_spec=GZ_CONNECTION_SPEC)

    def work():
        params = module.params
        if not params["target_ids"]:
            raise InvalidInput("target_ids is empty: give the ids of the endpoints or groups to scan",
                               option="target_ids")
        targets = [validate_target_id(target) for target in params["target_ids"]]
        settings = custom_scan_settings(params)
        check_run_options(params)
        result = dict(changed=True, type=params["type"], name=params["name"], target_ids=targets, task_ids=[],
                      task_id=None)
        if module.check_mode:
            return result
        deadline = run_deadline(params["timeout"])
        with gz_client(module, deadline) as client:
            task_ids = client.create_scan_task(targets, params["type"], params["name"], settings)
        if not task_ids:
            module.warn("GravityZone created the scan task but returned no task id (an older console ignores "
                        "returnAllTaskIds); find it with getScanTasksList by its name")
        result.update(task_ids=task_ids, task_id=task_ids[0] if task_ids else None)
        return result

    module.run(work)
