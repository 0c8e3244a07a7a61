# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the FortiAnalyzer modules share: connection options, client set-up, result fetching.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
The connection options are documented once in doc_fragments/fortianalyzer.py; keep both in sync.
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
from ansible_collections.secops.async_tasks.plugins.module_utils.faz import (
    FORTIANALYZER,
    VIEWS,
    FortiAnalyzerClient,
    device_list,
    resolve_time_range,
    validate_adom,
    validate_filter,
    validate_sort,
    validate_tid,
    validate_view,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.polling import wait_until_done


# Most rows a FortiView task can be asked for.
MAX_LIMIT = 10000


def _env(name):
    return (env_fallback_set, ["FORTIANALYZER_" + name])


FAZ_CONNECTION_SPEC = dict(
    host=dict(type="str", fallback=_env("HOST")),
    port=dict(type="int", default=443, fallback=_env("PORT")),
    username=dict(type="str", fallback=_env("USERNAME")),
    password=dict(type="str", no_log=True, fallback=_env("PASSWORD")),
    api_key=dict(type="str", no_log=True, fallback=_env("API_KEY")),
    session_id=dict(type="str", no_log=True, fallback=_env("SESSION_ID")),
    validate_certs=dict(type="bool", default=True, fallback=_env("VALIDATE_CERTS")),
    ca_path=dict(type="path", fallback=_env("CA_PATH")),
    timeout=dict(type="int", default=30, fallback=_env("TIMEOUT")),
)


def base_url(params):
    """``https://host:port`` from ``host`` (a name, an address, or a URL someone pasted) and ``port``."""
    host = (params.get("host") or "").strip()
    if not host:
        raise InvalidInput("host is required: set host (or FORTIANALYZER_HOST) to the FortiAnalyzer's name or "
                           "address", option="host")
    if "://" in host:
        scheme, host = host.split("://", 1)
        if scheme.lower() != "https":
            raise InvalidInput("host %r: FortiAnalyzer's JSON-RPC API is served over https only" % params["host"],
                               option="host")
    host = host.split("/", 1)[0]
    port = params.get("port") or 443
    if host.startswith("["):  # [IPv6]:port
        address, _bracket, rest = host[1:].partition("]")
        if rest.startswith(":") and rest[1:].isdigit():
            port = int(rest[1:])
        host = "[%s]" % address
    elif host.count(":") == 1:
        name, _colon, maybe_port = host.partition(":")
        if not maybe_port.isdigit():
            raise InvalidInput("host %r is not a host name or address" % params["host"], option="host")
        host, port = name, int(maybe_port)
    elif host.count(":") > 1:
        host = "[%s]" % host
    if not 0 < port < 65536:
        raise InvalidInput("port %d is not a TCP port (1-65535)" % port, option="port")
    return "https://%s:%d" % (host, port)


def faz_client(module, deadline):
    """A ``FortiAnalyzerClient`` for this run (not yet logged in: use it in ``with``)."""
    params = module.params
    transport = module.transport(base_url(params), FORTIANALYZER, deadline)
    return FortiAnalyzerClient(transport, username=params["username"], password=params["password"],
                               api_key=params["api_key"], session_id=params["session_id"],
                               check_mode=module.check_mode)


def fetch_task(client, view, adom, tid, params, deadline):
    """The task's state; with ``wait``, polled until it is no longer running."""
    if not params["wait"]:
        return client.fetch_view_result(view, adom, tid)
    outcome = wait_until_done(
        fetch=lambda: client.fetch_view_result(view, adom, tid),
        is_done=lambda state: state["status"] != "running",
        deadline=deadline, wait_timeout=params["wait_timeout"], poll_interval=params["poll_interval"],
        progress=lambda state: state["percentage"], sleep=client.transport.pause)
    if not outcome.done:
        state = outcome.state
        raise TaskWaitTimeout(
            "FortiView task %d in ADOM %s was still %s at %d%% after %.0f s (wait_timeout=%d); raise wait_timeout, "
            "or fetch it later with wait: false"
            % (tid, adom, state["status"], state["percentage"], outcome.waited, params["wait_timeout"]),
            tid=tid, adom=adom, status=state["status"], percentage=state["percentage"], done=False)
    return outcome.state


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


def fetch_one(client, view, adom, tid, params, deadline, rows_key):
    """One task's public result; a task in error is a failure."""
    state = fetch_task(client, view, adom, tid, params, deadline)
    result = public_result(state, adom, rows_key)
    if state["status"] == "error":
        raise ApiError("FortiView task %d in ADOM %s ended with status 'error' at %d%%; create the task again"
                       % (tid, adom, state["percentage"]), **result)
    return result


def fetch_many(client, view, adom, tids, params, deadline, rows_key):
    """Every task of ``tids`` over the one session, in parallel, results in order."""
    def one(tid):
        try:
            return fetch_one(client, view, adom, tid, params, deadline, rows_key)
        except AsyncTasksError as err:
            entry = failed_entry(err, tid=tid, adom=adom, view=view)
            entry.setdefault(rows_key, [])
            return entry

    return run_batch(tids, one)


def run_result_module(view=None, rows_key="rows", facts_key="faz_fortiview"):
    """``main()`` of a FortiView result module: fetch one task (``tid``) or many (``tids``).

    With ``view`` None the module has a ``view`` option (faz_fortiview_result).
    """
    spec = dict(
        tid=dict(type="int"),
        tids=dict(type="list", elements="int"),
        adom=dict(type="str", default="root"),
    )
    if view is None:
        spec["view"] = dict(type="str", required=True, choices=list(VIEWS))
    spec.update(WAIT_SPEC)
    module = AsyncTasksModule(argument_spec=spec, connection_spec=FAZ_CONNECTION_SPEC,
                              mutually_exclusive=[("tid", "tids")], required_one_of=[("tid", "tids")])

    def work():
        params = module.params
        the_view = validate_view(view or params["view"])
        adom = validate_adom(params["adom"])
        if params["tids"] is not None:
            if not params["tids"]:
                raise InvalidInput("tids is empty: give at least one task id", option="tids")
            tids = [validate_tid(tid, "tids") for tid in params["tids"]]
        else:
            tids = [validate_tid(params["tid"])]
        check_run_options(params)
        deadline = run_deadline(params["timeout"], params["wait"], params["wait_timeout"])
        with faz_client(module, deadline) as client:
            if params["tids"] is None:
                result = fetch_one(client, the_view, adom, tids[0], params, deadline, rows_key)
                return dict(changed=False, ansible_facts={facts_key: result}, **result)
            results = fetch_many(client, the_view, adom, tids, params, deadline, rows_key)
        if any(item.get("failed") for item in results):
            raise ApiError(batch_failure(results, "FortiView tasks"), results=results)
        return dict(changed=False, results=results, ansible_facts={facts_key: {"results": results}})

    module.run(work)


def run_task_module():
    """``main()`` of faz_fortiview_task: create a FortiView task, or cancel one."""
    spec = dict(
        view=dict(type="str", required=True, choices=list(VIEWS)),
        adom=dict(type="str", default="root"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        tid=dict(type="int"),
        time_range=dict(type="dict", options=dict(start=dict(type="str"), end=dict(type="str"),
                                                  last=dict(type="str"))),
        device=dict(type="list", elements="raw"),
        filter=dict(type="str"),
        limit=dict(type="int"),
        sort_by=dict(type="list", elements="raw"),
    )
    module = AsyncTasksModule(argument_spec=spec, connection_spec=FAZ_CONNECTION_SPEC,
                              required_if=[("state", "absent", ["tid"])])

    def work():
        params = module.params
        view = validate_view(params["view"])
        adom = validate_adom(params["adom"])
        check_run_options(params)
        if params["state"] == "absent":
            return cancel_task(module, view, adom, validate_tid(params["tid"]))
        return create_task(module, view, adom)

    module.run(work)


def create_task(module, view, adom):
    params = module.params
    if params["tid"] is not None:
        raise InvalidInput("tid is only for state: absent (cancelling a task); a new task gets its own", option="tid")
    if params["limit"] is not None and not 1 <= params["limit"] <= MAX_LIMIT:
        raise InvalidInput("limit must be between 1 and %d, got %d" % (MAX_LIMIT, params["limit"]), option="limit")
    time_range = resolve_time_range(params["time_range"])
    request = dict(time_range=time_range, device=device_list(params["device"]),
                   filter_expression=validate_filter(view, params["filter"]), limit=params["limit"],
                   sort_by=validate_sort(view, params["sort_by"]))
    result = dict(changed=True, view=view, adom=adom, time_range=time_range, tid=None)
    if module.check_mode:
        # Nothing is sent in check mode, not even a login: a new task would be created.
        return result
    deadline = run_deadline(params["timeout"])
    with faz_client(module, deadline) as client:
        result["tid"] = client.create_view_task(view, adom, **request)
    return result


def cancel_task(module, view, adom, tid):
    params = module.params
    for name in ("time_range", "device", "filter", "limit", "sort_by"):
        if params[name]:
            raise InvalidInput("%s only applies to state: present" % name, option=name)
    if module.check_mode:
        return dict(changed=True, view=view, adom=adom, tid=tid, cancelled=None)
    deadline = run_deadline(params["timeout"])
    with faz_client(module, deadline) as client:
        cancelled = client.cancel_view_task(view, adom, tid)
    return dict(changed=cancelled, view=view, adom=adom, tid=tid, cancelled=cancelled)
