# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the FortiAnalyzer modules share: connection options, client set-up, result fetching.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
The connection options are documented once in doc_fragments/fortianalyzer.py; keep both in sync.
"""

from __future__ import annotations

from ansible.module_utils.basic import env_fallback

from ansible_collections.secops.async_tasks.plugins.module_utils.common import (
    WAIT_SPEC,
    AsyncTasksModule,
    check_run_options,
    run_deadline,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.errors import (
    ApiError,
    InvalidInput,
    TaskWaitTimeout,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.faz import (
    FORTIANALYZER,
    FortiAnalyzerClient,
    validate_adom,
    validate_tid,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.polling import wait_until_done


def _env(name):
    return (env_fallback, ["FORTIANALYZER_" + name])


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
        address, _, rest = host[1:].partition("]")
        if rest.startswith(":") and rest[1:].isdigit():
            port = int(rest[1:])
        host = "[%s]" % address
    elif host.count(":") == 1:
        name, _, maybe_port = host.partition(":")
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
        progress=lambda state: state["percentage"])
    if not outcome.done:
        state = outcome.state
        raise TaskWaitTimeout(
            "FortiView task %d in ADOM %s was still %s at %d%% after %.0f s (wait_timeout=%d); raise wait_timeout, "
            "or fetch it later with wait: false" % (tid, adom, state["status"], state["percentage"], outcome.waited,
                                                     params["wait_timeout"]),
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


def run_result_module(view, rows_key, facts_key):
    """``main()`` of a FortiView result module: fetch one task's result, optionally waiting."""
    spec = dict(
        tid=dict(type="int", required=True),
        adom=dict(type="str", default="root"),
    )
    spec.update(WAIT_SPEC)
    module = AsyncTasksModule(argument_spec=spec, connection_spec=FAZ_CONNECTION_SPEC)

    def work():
        params = module.params
        tid = validate_tid(params["tid"])
        adom = validate_adom(params["adom"])
        check_run_options(params)
        deadline = run_deadline(params["timeout"], params["wait"], params["wait_timeout"])
        with faz_client(module, deadline) as client:
            state = fetch_task(client, view, adom, tid, params, deadline)
        result = public_result(state, adom, rows_key)
        if state["status"] == "error":
            raise ApiError("FortiView task %d in ADOM %s ended with status 'error' at %d%%; create the task again"
                           % (tid, adom, state["percentage"]), **result)
        return dict(changed=False, ansible_facts={facts_key: result}, **result)

    module.run(work)
