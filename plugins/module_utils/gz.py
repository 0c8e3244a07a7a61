# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Bitdefender GravityZone JSON-RPC client: API key auth, getTaskStatus 1.1/1.0, subtask paging, scans.

What the replies mean (ids, task shapes, normalisation) is in gz_tasks.py; the runners in gz_runner.py.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
"""

from __future__ import annotations

import datetime
import re
import uuid

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import (
    ApiError,
    AuthenticationFailure,
    ConnectionFailure,
    InvalidInput,
    MalformedResponse,
    PermissionDenied,
    ServerError,
    TaskNotFound,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.client import ApiClient, Product
from ansible_collections.secops.async_tasks.plugins.module_utils.concurrency import RateGate
from ansible_collections.secops.async_tasks.plugins.module_utils.specs import GZ_DEFAULT_API_URL
from ansible_collections.secops.async_tasks.plugins.module_utils.inputs import split_url
from ansible_collections.secops.async_tasks.plugins.module_utils.replies import field
from ansible_collections.secops.async_tasks.plugins.module_utils.gz_tasks import (
    SCAN_LIST,
    SCAN_LIST_PER_PAGE_MAX,
    SCAN_TYPES,
    TASK,
    TASK_ID_PATTERN,
    normalise_task,
    scan_task,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.replies import describe_body, describe_json, to_int

GRAVITYZONE = Product("GravityZone", "GRAVITYZONE", address="api_url")
DEFAULT_API_URL = GZ_DEFAULT_API_URL
LOGIN_HOSTS = frozenset(("gravityzone.bitdefender.com", "www.gravityzone.bitdefender.com"))
# Read methods; anything else creates or changes something and is skipped in check mode.
READ_METHOD_PREFIXES = ("get",)
# GravityZone allows 10 requests per second per key, in bursts of 10; pace below it, since
# intervals measured here shrink on the way (jitter), and a 429 costs a whole Retry-After.
DEFAULT_RATE = 8.0
DEFAULT_BURST = 4
PER_PAGE_MAX = 1000
# createScanTask is only at version 1.0, and limited to 30 calls a minute per key.
SCAN_API_VERSION = "1.0"
# How many candidates a "several tasks carry that name" failure lists.
MATCHES_LISTED = 10


def api_base(api_url, warn):
    """The access URL without a trailing slash; warn about the login host and strip a pasted endpoint.

    The URL is parsed by inputs.split_url: a host, port or scheme that does not parse fails naming api_url.
    """
    host, port, path = split_url(api_url, "api_url")
    if host.lower() in LOGIN_HOSTS:
        warn("api_url points at %s, the console's login page, not an API host; use the access URL shown under "
             "My Account > API keys (for example %s)" % (host, DEFAULT_API_URL))
    path = path.rstrip("/")
    endpoint = re.search(r"/v1\.\d+/jsonrpc(/[A-Za-z]+)?$", path)
    if endpoint:
        warn("api_url should be the access URL without the method path; ignoring %r" % endpoint.group(0))
        path = path[:endpoint.start()]
    return "https://%s%s%s" % (host, ":%d" % port if port else "", path)


class GravityZoneClient(ApiClient):
    """GravityZone JSON-RPC client for one module run (API key as the Basic auth user name)."""

    def __init__(self, transport, api_key, check_mode=False, rate_gate=None):
        super().__init__(transport, check_mode)
        if not api_key:
            raise InvalidInput("no GravityZone API key: set api_key (or GRAVITYZONE_API_KEY)", option="api_key")
        transport.secrets.add(api_key)
        transport.session.auth = (api_key, "")
        self._gate = rate_gate or RateGate(DEFAULT_RATE, DEFAULT_BURST, sleep=transport.pause)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        # Stop whatever else still runs on this client (an interrupted batch), then close.
        self.transport.stop()
        self.transport.close()
        return False

    def changes_state(self, method, target):
        return not method.startswith(READ_METHOD_PREFIXES)

    def _call(self, method, target, params=None, service="network"):
        """Call ``method`` of API version ``target``; return the JSON-RPC ``result``."""
        payload = {"params": params or {}, "jsonrpc": "2.0", "method": method, "id": str(uuid.uuid4())}
        self._gate.acquire()
        path = "/v%s/jsonrpc/%s" % (target, service)
        reply = self.transport.post(path, payload, idempotent=not self.changes_state(method, target))
        _raise_for_http(reply, self.transport.base_url + path)
        envelope = reply.json
        if not isinstance(envelope, dict):
            raise MalformedResponse("GravityZone's reply to %s was not a JSON object (%s); is api_url the console's "
                                    "API access URL?" % (method, describe_body(reply)))
        if envelope.get("error") is not None:
            raise _rpc_error(method, envelope["error"])
        if "result" not in envelope:
            raise MalformedResponse("GravityZone's reply to %s has neither 'result' nor 'error'" % method)
        return envelope["result"]

    # -- createScanTask ----------------------------------------------------------------
    def create_scan_task(self, target_ids, scan_type, name=None, custom_settings=None, unique_name=False):
        """Create a scan task named ``name``; return the ids of the tasks created.

        ``returnAllTaskIds`` is always asked for. A console that still answers ``true`` (older
        consoles ignore it) is asked for the task through getScanTasksList, by its exact name:
        ``name`` must be unique for that (module_utils gz_runner makes one when the user gave none).
        With ``unique_name`` (the name was made here, so no other task has it) an answer that is lost
        is recovered the same way, never by sending the call twice blindly: see ``_recover_lost_create``.
        """
        method, version, params = scan_task_call(target_ids, scan_type, name, custom_settings)
        try:
            result = self.call(method, version, params=params)
        except (ConnectionFailure, ServerError, MalformedResponse, ApiError) as lost:
            if not (unique_name and name and _answer_lost(lost)):
                raise
            result = self._recover_lost_create(params, lost)
        if result is True:
            return [self.find_created_scan_task(name)]
        if isinstance(result, str) and TASK_ID_PATTERN.match(result):
            return [result]
        if isinstance(result, list) and result and all(isinstance(item, str) for item in result):
            return result
        if result is False:
            raise ApiError("GravityZone did not create the scan task (createScanTask answered false)")
        raise MalformedResponse("GravityZone's createScanTask answer is neither task ids nor true")

    def _recover_lost_create(self, params, lost):
        """The answer to createScanTask was lost: find the task by its unique name before anything else.

        Found: it was made, and these are its ids. Not found after an HTTP 5xx (a proxy or the console
        failing before it acted): sent once more. Not found after anything else - no answer at all (a
        reset, a timeout: the call may still be running), or a 200 whose body is no answer (the console
        acted) - it is not sent again.
        """
        tasks, _pages = self.scan_tasks(name=params["name"])
        found = [task["task_id"] for task in tasks if task["name"] == params["name"]]
        if found:
            return found
        if (lost.details.get("http_status") or 0) < 500:
            raise lost  # no answer, or an answer the console made (it acted): never sent again
        return self.call("createScanTask", SCAN_API_VERSION, params=params)

    def scan_tasks(self, name=None, status=None, per_page=SCAN_LIST_PER_PAGE_MAX, max_pages=100):
        """Every scan task getScanTasksList lists for the filters, page after page: ``(tasks, pages)``.

        ``name`` is the console's filter: a prefix, or anywhere in the name with a leading ``*``.
        """
        params = {"perPage": per_page}
        if name:
            params["name"] = name
        if status is not None:
            params["status"] = status
        tasks, page = [], 1
        while True:
            result = self.call("getScanTasksList", SCAN_API_VERSION, params=dict(params, page=page))
            if not isinstance(result, dict) or not isinstance(result.get("items", []), list):
                raise MalformedResponse("GravityZone's getScanTasksList result is not a page of tasks: %s"
                                        % describe_json(result))
            items = field(result, "items", "list", SCAN_LIST) or []
            if not all(isinstance(item, dict) for item in items):
                raise MalformedResponse("%s holds items that are not objects: %s" % (SCAN_LIST, describe_json(items)))
            tasks.extend(scan_task(item) for item in items)
            pages_count = field(result, "pagesCount", "count", SCAN_LIST) or 0
            if page >= pages_count or not result.get("items"):
                return tasks, page
            if page >= max_pages:
                raise ApiError("getScanTasksList has more than %d pages of %d tasks; narrow the name or status, or "
                               "raise max_pages" % (max_pages, per_page), pages_fetched=page)
            page += 1

    def find_created_scan_task(self, name):
        """The id of the one scan task named exactly ``name`` (just created by a console that answered ``true``)."""
        if not name:
            raise ApiError("GravityZone created the scan task but answered true instead of its id (an older console), "
                           "and the task was sent without a name to find it by")
        tasks, _pages = self.scan_tasks(name=name)
        matches = [task for task in tasks if task["name"] == name]
        if len(matches) == 1:
            return matches[0]["task_id"]
        if not matches:
            raise ApiError("GravityZone answered true to createScanTask (an older console: no task id) but lists no "
                           "scan task named %r; the scan may still have been created, so look for it in the console "
                           "before starting it again" % name, name=name)
        listed = ", ".join("%s (%s, started %s)" % (task["task_id"], task["status_name"], task["start_date"])
                           for task in matches[:MATCHES_LISTED])
        more = len(matches) - MATCHES_LISTED
        raise ApiError("GravityZone answered true to createScanTask (no task id) and %d scan tasks are named %r: %s%s; "
                       "not guessing which one is new: give each scan a unique name"
                       % (len(matches), name, listed, " and %d more" % more if more > 0 else ""),
                       name=name, candidates=[task["task_id"] for task in matches])

    # -- getTaskStatus -----------------------------------------------------------------
    def task_status_page(self, task_id, api_version="1.1", return_subtasks=True, page=None, per_page=None,
                         filters=None):
        """One getTaskStatus call, the raw ``result``."""
        params = {"taskId": task_id}
        if api_version != "1.0":
            options = {"returnSubtasks": bool(return_subtasks)}
            if return_subtasks:
                if page is not None:
                    options["page"] = page
                if per_page is not None:
                    options["perPage"] = per_page
            params["options"] = options
            if return_subtasks and filters:
                params["subtaskFilters"] = filters
        try:
            result = self.call("getTaskStatus", api_version, params=params)
        except TaskNotFound as err:
            raise TaskNotFound("GravityZone task %s was not found (%s): check task_id, and that api_url and api_key "
                               "belong to the company that owns the task" % (task_id, err.msg),
                               task_id=task_id) from None
        if not isinstance(result, dict):
            raise MalformedResponse("GravityZone's getTaskStatus result for %s is not an object" % task_id)
        return result

    def task_status(self, task_id, api_version="1.1", return_subtasks=True, page=None, per_page=100,
                    filters=None, max_pages=1000):
        """The task with its subtasks: one page when ``page`` is set, else every page in order."""
        want_subtasks = return_subtasks and api_version != "1.0"
        if not want_subtasks or page is not None:
            first = self.task_status_page(task_id, api_version=api_version, return_subtasks=want_subtasks, page=page,
                                          per_page=per_page if want_subtasks else None, filters=filters)
            return normalise_task(task_id, first, pages=[first] if want_subtasks else [], api_version=api_version,
                                  complete=want_subtasks and page is None and not filters)
        pages = []
        number = 1
        while True:
            result = self.task_status_page(task_id, api_version=api_version, return_subtasks=True, page=number,
                                           per_page=per_page, filters=filters)
            pages.append(result)
            if not field(result, "hasMoreSubtasks", "bool", TASK, required=True):
                break
            if number >= max_pages:
                raise ApiError("GravityZone task %s has more than %d pages of %d subtasks; raise max_pages or per_page "
                               "(up to %d), or fetch one page with page" % (task_id, max_pages, per_page, PER_PAGE_MAX),
                               task_id=task_id, pages_fetched=number)
            number += 1
        return normalise_task(task_id, pages[-1], pages=pages, api_version=api_version, complete=not filters)

    # -- reads that validate a request in check mode ------------------------------------------
    def check_access(self):
        """One cheap read (the newest scan task) that fails unless api_url, the key and its Network API rights work.

        GravityZone has no cheap look-up of an id that may be an endpoint, a container or a group
        (getManagedEndpointDetails knows endpoints only), so scan targets are checked for their
        form only.
        """
        self.call("getScanTasksList", SCAN_API_VERSION, params={"page": 1, "perPage": 1})


def scan_task_call(target_ids, scan_type, name=None, custom_settings=None):
    """``(method, API version, params)`` of the createScanTask call (check mode previews it)."""
    params = {"targetIds": list(target_ids), "type": SCAN_TYPES[scan_type]}
    if name:
        params["name"] = name
    if custom_settings:
        params["customScanSettings"] = custom_settings
    params["returnAllTaskIds"] = True
    return "createScanTask", SCAN_API_VERSION, params


def unique_scan_name(scan_type, now=None):
    """A scan task name nobody else uses, so the task can be found by it: type, UTC time, random suffix."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return "%s scan %s %s" % (scan_type.capitalize(), now.strftime("%Y-%m-%d %H:%M:%S"), uuid.uuid4().hex[:8])


def _answer_lost(err):
    """True when an error says the answer never came back usable: a connection cut, a 5xx, a body that is no answer."""
    if isinstance(err, ApiError):
        return (err.details.get("http_status") or 0) >= 500
    return isinstance(err, (ConnectionFailure, ServerError, MalformedResponse))


def _raise_for_http(reply, url):
    status = reply.status
    if status == 200:
        return
    if status == 401:
        raise AuthenticationFailure("GravityZone refused the API key (HTTP 401): check api_key, and that api_url is the "
                                    "access URL of the console that issued it (a key works only on its own instance)",
                                    http_status=401)
    if status == 403:
        raise PermissionDenied("GravityZone accepted the API key but it may not use this API (HTTP 403): enable the "
                               "Network API for the key under My Account > API keys", http_status=403)
    if status == 405:
        raise ApiError("GravityZone answered HTTP 405 (method not allowed) at %s; check that api_url is the "
                       "console's API access URL" % url, http_status=405)
    if status == 404:
        raise ApiError("GravityZone answered HTTP 404 at %s: api_url is not the console's API access URL (it ends "
                       "in /api)" % url, http_status=404)
    details = _error_details(reply.json.get("error") if isinstance(reply.json, dict) else None)
    raise ApiError("GravityZone answered HTTP %d%s" % (status, ": " + details if details else ""), http_status=status)


def _error_details(error):
    if not isinstance(error, dict):
        return None
    parts = [str(error.get("message") or "").strip()]
    data = error.get("data")
    if isinstance(data, dict) and data.get("details"):
        parts.append(str(data["details"]).strip())
    elif isinstance(data, str) and data.strip():
        parts.append(data.strip())
    return " - ".join(part for part in parts if part) or None


def _rpc_error(method, error):
    code = to_int(error.get("code")) if isinstance(error, dict) else None
    details = _error_details(error) or str(error)
    text = details.lower()
    if code == -32002 or "not exist" in text or ("not found" in text and "method" not in text):
        return TaskNotFound("code %s: %s" % (code, details), code=code)
    if code == -32001:
        return PermissionDenied("GravityZone refused %s (code %s: %s)" % (method, code, details), code=code)
    return ApiError("GravityZone answered %s with error %s: %s" % (method, code, details), code=code)
