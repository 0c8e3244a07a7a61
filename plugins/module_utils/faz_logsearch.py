# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""FortiAnalyzer LogView log search: one search task on one client (create, progress, pages, delete).

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
docs/logsearch-api.md describes the API and the sources behind each choice made here.
"""

from __future__ import annotations

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import (
    ApiError,
    InvalidInput,
    MalformedResponse,
    TaskNotFound,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_views import (
    StillRunning,
    created_tid,
    device_list,
    percentage_of,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.times import resolve_time_range
from ansible_collections.secops.async_tasks.plugins.module_utils.transport import Deadline
from ansible_collections.secops.async_tasks.plugins.module_utils.replies import describe_json, field

# The 29 log types of a FortiAnalyzer 7.6.6 catalogue. An unknown name is refused before anything is
# sent: an appliance may read it as "no log type" and search every log (measured with "utm").
LOGTYPES = (
    "traffic", "event", "attack", "virus", "webfilter", "app-ctrl", "dns", "content", "dlp",
    "emailfilter", "generic", "history", "im", "sniffer", "voip", "netscan", "fct-event", "fct-traffic",
    "fct-netscan", "waf", "gtp", "ssh", "ssl", "file-filter", "asset", "protocol", "siem", "ztna", "security",
)
PAGE_LIMIT = 1000  # rows per request: the appliance refuses more ("limit: 2000 is bigger than max value 1000")
DEFAULT_MAX_ROWS = 1000
MAX_ROWS_CEILING = 100000
SEARCH_URL = "/logview/adom/%s/logsearch"
CLEANUP_TIMEOUT = 10.0  # the delete of a search has this budget of its own: it runs after errors and timeouts
SEARCH_EXPIRY_HINT = ("log searches expire a few minutes after their last use, and a deleted search is gone; "
                      "run the search again")
CODE_INVALID_URL = -6


def search_params(options, zone=None):
    """The ``add`` parameters of one search from module options; times resolved in ``zone`` (``timezone``)."""
    params = {
        "logtype": options["logtype"],
        "device": [_logview_device(device) for device in device_list(options.get("device"))],
        "time-range": resolve_time_range(options.get("time_range"), zone=zone),
        "time-order": options.get("time_order") or "desc",
        "case-sensitive": bool(options.get("case_sensitive")),
    }
    expression = options.get("filter")
    if expression is not None and str(expression).strip():
        params["filter"] = check_filter(str(expression).strip())
    return params


def _logview_device(device):
    """LogView spells a VDOM inside the name: ``FGT-HQ[root]``, ``FG100F...[root]``."""
    vdom = device.pop("vdom", None)
    if vdom:
        key = "devid" if "devid" in device else "devname"
        device[key] = "%s[%s]" % (device[key], vdom)
    return device


def check_filter(expression):
    """Catch what is surely wrong before the appliance sees it (quotes, parentheses); the rest is its call."""
    depth = 0
    quote = None
    for char in expression:
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                break
    if quote or depth:
        raise InvalidInput("filter %r has an unbalanced %s" % (expression, "quote" if quote else "parenthesis"),
                           option="filter")
    return expression


def max_rows_or_default(value):
    """``max_rows`` as given (the input model holds it within its bounds), or DEFAULT_MAX_ROWS when unset."""
    return DEFAULT_MAX_ROWS if value is None else value


def project(rows, fields):
    """Rows with only ``fields`` (in that order; a field a row lacks is left out), or as they are."""
    if not fields:
        return rows
    return [dict((name, row[name]) for name in fields if name in row) for row in rows]


def _progress_state(data, tid):
    """The state of a count reply, or None when it holds no usable progress (the caller then reads page 0).

    Usable: ``progress-percent``, else the share of ``scanned-logs`` in a non-zero ``total-logs``. A reply
    with neither (8.0 can answer status 0 with no progress fields at all, or only ``matched-logs``) says
    nothing about progress. A count answered with status code 1 is running, whatever percentage it gives.
    """
    if not isinstance(data, dict):
        return None
    where = "FortiAnalyzer's progress reply for log search %d" % tid
    scanned, total = field(data, "scanned-logs", "count", where), field(data, "total-logs", "count", where)
    percentage = percentage_of(data, "progress-percent", where)
    if percentage is None and scanned is not None and total:
        percentage = min(100, max(0, 100 * scanned // total))
    if percentage is None:
        return None
    return {"percentage": _bounded(percentage, isinstance(data, StillRunning)),
            "matched": field(data, "matched-logs", "count", where),
            "scanned": scanned, "total": total}


def _bounded(percentage, running):
    """0-100, and below 100 while the appliance says the search is still running (status code 1)."""
    return min(99 if running else 100, max(0, percentage))


def _page_state(data, tid):
    running = isinstance(data, StillRunning)
    if isinstance(data, list):  # rows straight under `data`, without progress or counts
        data = {"data": data}
    rows = data.get("data", data.get("logs")) if isinstance(data, dict) else None
    if running and rows is None:
        rows = []  # "still running" with nothing to show yet
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise MalformedResponse("FortiAnalyzer's reply to a page of log search %d holds no list of rows (%s)"
                                % (tid, _keys(data)), tid=tid)
    where = "FortiAnalyzer's reply to a page of log search %d" % tid
    percentage = percentage_of(data, "percentage", where)
    matched = field(data, "total-count" if "total-count" in data else "total_lines", "count", where)
    if percentage is None:
        percentage = 0 if running else 100
    return {"rows": rows, "percentage": _bounded(percentage, running),
            "matched": matched, "scanned": field(data, "scanned-logs", "count", where), "total": None}


def _keys(data):
    """What came back, for an error message (secrets hidden, long replies cut)."""
    return "got %s" % describe_json(data)


class LogSearch:
    """One log search task of ``client`` in ``adom``: made by ``create`` or known by its ``tid``."""

    def __init__(self, client, adom, tid=None, registry=None, keep=False):
        self.client = client
        self.keep = keep  # the user asked to leave it on the appliance
        self.registry = registry  # a list every created search is appended to (for the run's last sweep)
        self.adom = adom
        self.tid = tid
        self.count_url = True  # False once the appliance said the count URL does not exist
        self.gone = False  # deleted (by us, or reaped by the appliance)
        self._first_page = None  # page 0, when it was read while polling (no count URL)
        self.progress_from = "count"  # "page" once the count URL proved useless (-6, or no progress in it)

    def create_call(self):
        """``(method, target)`` of the call that starts a search in this ADOM."""
        return "add", SEARCH_URL % self.adom

    @property
    def url(self):
        return SEARCH_URL % self.adom + "/%d" % self.tid

    def create(self, params):
        """Start the search; its tid (check mode previews ``create_call`` instead)."""
        method, target = self.create_call()
        try:
            data, _shape = self.client.call(method, target, **params)
        except ApiError as err:
            raise _refused(err, params) from None
        tid = created_tid(data, "log search")
        self.tid = tid
        if self.registry is not None:
            self.registry.append(self)
        return tid

    def progress(self, first_page_limit=PAGE_LIMIT):
        """``{percentage, matched, scanned, total}`` now.

        From the count URL; where it does not exist (-6) or its reply holds no usable progress, from
        page 0's own ``percentage``, for this read and the rest of the search (``progress_from``).
        """
        if self.count_url:
            try:
                data, _shape = self._get(SEARCH_URL % self.adom + "/count/%d" % self.tid, accept_running=True)
            except ApiError as err:
                if err.details.get("code") != CODE_INVALID_URL:
                    raise
                self.count_url = False
            else:
                state = _progress_state(data, self.tid)
                if state is not None:
                    return state
                self.count_url = False
        self.progress_from = "page"
        state = self.page(0, max(1, first_page_limit))
        if state["percentage"] >= 100:
            self._first_page = state
        return state

    def page(self, offset, limit):
        """``{rows, percentage, matched, scanned}`` of rows [offset, offset + limit)."""
        if offset == 0 and self._first_page is not None and len(self._first_page["rows"]) >= limit:
            state, self._first_page = self._first_page, None
            return dict(state, rows=state["rows"][:limit])
        data, _shape = self._get(self.url, offset=offset, limit=limit, accept_running=True)
        return _page_state(data, self.tid)

    def _get(self, url, **params):
        try:
            return self.client.call("get", url, **params)
        except TaskNotFound as err:
            self.gone = True
            raise TaskNotFound("log search %d not found in ADOM %s (%s); %s"
                               % (self.tid, self.adom, err.msg, SEARCH_EXPIRY_HINT), tid=self.tid) from None

    def delete(self, even_when_stopped=False):
        """Delete the search (within a budget of its own); False when it was already gone."""
        if self.tid is None or self.gone:
            return False
        try:  # the delete gets a budget of its own: it runs after timeouts
            self.client.call("delete", self.url, budget=Deadline(CLEANUP_TIMEOUT), even_when_stopped=even_when_stopped)
        except TaskNotFound:
            self.gone = True
            return False
        self.gone = True
        return True


def _refused(err, params):
    """The error of an ``add`` the appliance refused, worded for what the user can change."""
    text = err.msg.lower()
    if "slot" in text or "too many" in text:
        return ApiError("FortiAnalyzer has no free log search slot (%s): too many searches are open on the "
                        "appliance. Let them finish or delete them (state: absent with their tid), run fewer "
                        "searches at once, and retry" % err.msg, **err.details)
    if "filter" in text:
        return InvalidInput("FortiAnalyzer rejected filter %r (%s): check the field names of %s logs and the "
                            "syntax (field=value, !=, and/or, quotes around values with spaces)"
                            % (params.get("filter"), err.msg, params["logtype"]), option="filter", **err.details)
    if "logtype" in text:
        return InvalidInput("FortiAnalyzer does not search log type %r (%s)" % (params["logtype"], err.msg),
                            option="logtype", **err.details)
    return ApiError("FortiAnalyzer refused the log search (%s)" % err.msg, **err.details)
