# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""FortiAnalyzer report runs on one client: layouts, schedules, the run, its progress, its file, its delete.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
docs/appliance-behaviour.md ("Reports") gives the sources of each URL and field used here.
"""

from __future__ import annotations

import hashlib
import json
import re

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import (
    ApiError,
    InvalidInput,
    MalformedResponse,
    TaskNotFound,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_views import percentage_of
from ansible_collections.secops.async_tasks.plugins.module_utils.replies import describe_json, field, parse_json
from ansible_collections.secops.async_tasks.plugins.module_utils.report_files import (
    PLACEHOLDER,
    Base64Sink,
    JsonStringDiverter,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.transport import Deadline

LAYOUT_URL = "/report/adom/%s/config/layout"
SCHEDULE_URL = "/report/adom/%s/config/schedule"
RUN_URL = "/report/adom/%s/run"
STATE_URL = "/report/adom/%s/reports/state"
DATA_URL = "/report/adom/%s/reports/data/%s"
FORMATS = ("pdf", "html", "csv", "xml")
DONE_STATES = frozenset(("generated", "done", "complete", "completed", "finished"))
RUNNING_STATES = frozenset(("pending", "running", "generating", "queued", "waiting"))
FAILED_STATES = frozenset(("failed", "error", "cancelled", "canceled", "aborted", "timeout"))
TID_PATTERN = re.compile(r"^(?:\d{1,10}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$")
CLEANUP_TIMEOUT = 10.0
CANDIDATES_LISTED = 10
MD5_PATTERN = re.compile(r"^[0-9a-fA-F]{32}$")


def validate_report_tid(tid, option="tid"):
    """A report run's tid: digits (older builds) or a UUID (7.x); returned as text."""
    text = str(tid).strip() if isinstance(tid, (str, int)) and not isinstance(tid, bool) else ""
    if not TID_PATTERN.match(text):
        raise InvalidInput("%s %r is not a FortiAnalyzer report task id: expected a number or a UUID such as "
                           "'97c1a1c2-d11a-11f0-9ae2-bc2411fc5515'" % (option, tid), option=option)
    return text


def period_params(window):
    """The explicit period of a run, ``{"start", "end"}`` as FortiAnalyzer's 'HH:MM YYYY/MM/DD' timedates."""
    def timedate(text):
        date, clock = text.split(" ")
        return "%s %s" % (clock[:5], date.replace("-", "/"))
    return {"time-period": "other", "period-start": timedate(window["start"]),
            "period-end": timedate(window["end"])}


def _items(data, where):
    """A list of objects from a reply's data (a list, one object, or nothing)."""
    if data is None:
        return []
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise MalformedResponse("%s is not a list of objects: %s" % (where, describe_json(data)))
    return data


def layout_entry(raw):
    where = "a FortiAnalyzer report layout"
    return {"layout_id": field(raw, "layout-id", "int", where, required=True),
            "title": field(raw, "title", "text", where) or "",
            "category": field(raw, "category", "text", where) or "",
            "description": field(raw, "description", "text", where) or "",
            "template": bool(field(raw, "is-template", "int", where))}


def run_state(raw, tid):
    """``{tid, state, done, failed, percentage, name, started, finished}`` of a run from its reply."""
    where = "FortiAnalyzer's report run %s" % tid
    if not isinstance(raw, dict):
        raise MalformedResponse("%s is not an object: %s" % (where, describe_json(raw)))
    state = field(raw, "state", "text", where)
    percentage = None
    for key in ("percent", "percentage", "progress", "progress-percent"):
        percentage = percentage_of(raw, key, where)
        if percentage is not None:
            break
    word = (state or "").strip().lower()
    if not word:
        if percentage is None:
            raise MalformedResponse("%s says nothing about its state (no state, no percentage): %s"
                                    % (where, describe_json(raw)), tid=tid)
        word = "generated" if percentage >= 100 else "running"
    if word not in DONE_STATES | RUNNING_STATES | FAILED_STATES:
        raise MalformedResponse("%s is in a state this module does not know (%r): %s"
                                % (where, state, describe_json(raw)), tid=tid)
    done = word in DONE_STATES
    return {"tid": tid, "state": word, "done": done, "failed": word in FAILED_STATES,
            "percentage": 100 if done else min(100, max(0, percentage or 0)),
            "name": field(raw, "name", "text", where) or field(raw, "report-name", "text", where),
            "title": field(raw, "title", "text", where),
            "started": _time_text(raw, ("start-time", "timestamp-start", "start_time"), where),
            "finished": _time_text(raw, ("end-time", "timestamp-end", "end_time"), where),
            "message": field(raw, "message", "text", where) or field(raw, "error", "text", where)}


def _time_text(raw, keys, where):
    for key in keys:
        value = raw.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            return value
        return str(field(raw, key, "int", where))
    return None


class ReportRuns:
    """The report calls of one ``FortiAnalyzerClient`` in ``adom``."""

    def __init__(self, client, adom):
        self.client = client
        self.adom = adom

    # -- layouts ---------------------------------------------------------------------------
    def layouts(self):
        try:
            data, _shape = self.client.call("get", LAYOUT_URL % self.adom)
        except TaskNotFound:
            raise InvalidInput("ADOM %r does not exist on this FortiAnalyzer: check adom" % self.adom,
                               option="adom") from None
        return [layout_entry(item) for item in _items(data, "the report layouts of ADOM %s" % self.adom)]

    def resolve_layout(self, title=None, layout_id=None):
        """The layout to run: by exact ``title`` (templates left out), or by ``layout_id``."""
        layouts = self.layouts()
        runnable = [layout for layout in layouts if not layout["template"]]
        if layout_id is not None:
            for layout in layouts:
                if layout["layout_id"] == layout_id:
                    return layout
            raise InvalidInput("no report layout has layout_id %d in ADOM %s; layouts: %s"
                               % (layout_id, self.adom, _listed(runnable)), option="layout_id")
        matches = [layout for layout in runnable if layout["title"] == title]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            near = [layout for layout in runnable if title.lower() in layout["title"].lower()]
            raise InvalidInput("no report layout is titled exactly %r in ADOM %s; %s"
                               % (title, self.adom, "close titles: %s" % _listed(near) if near
                                  else "layouts: %s" % _listed(runnable)), option="layout")
        raise InvalidInput("%d report layouts are titled %r in ADOM %s (%s): give layout_id instead"
                           % (len(matches), title, self.adom, _listed(matches)), option="layout")

    # -- schedule --------------------------------------------------------------------------
    def needs_schedule(self, layout_id):
        """True when no schedule exists for the layout (one read)."""
        data, _shape = self.client.call("get", SCHEDULE_URL % self.adom, filter=["name", "==", str(layout_id)])
        return not _items(data, "the report schedules of ADOM %s" % self.adom)

    def schedule_call(self, layout_id):
        """``(method, target, params)`` of the call that makes a schedule for the layout, named after its id."""
        return ("set", SCHEDULE_URL % self.adom + "/%d" % layout_id,
                {"data": {"auto-hcache": 1, "report-layout": [{"layout-id": str(layout_id)}]}})

    def ensure_schedule(self, layout_id):
        """Some builds run a layout only when a schedule exists for it: make one when there is none.
        Returns True when one was made, False when there was one."""
        if not self.needs_schedule(layout_id):
            return False
        method, target, params = self.schedule_call(layout_id)
        self.client.call(method, target, **params)
        return True

    # -- the run ---------------------------------------------------------------------------
    def run_call(self, layout_id, window, devices):
        """``(method, target, params)`` of the call that starts a run (check mode previews it)."""
        schedule = {"layout-id": layout_id, "device": devices, "filter-logic": "all"}
        schedule.update(period_params(window))
        return "add", RUN_URL % self.adom, {"schedule-param": schedule, "runfrom": "GUI"}

    def start(self, layout_id, window, devices):
        """Start a run; its tid (text)."""
        method, target, params = self.run_call(layout_id, window, devices)
        data, _shape = self.client.call(method, target, **params)
        holder = data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else data
        tid = field(holder, "tid", "id", "FortiAnalyzer's answer to the report run") if isinstance(holder, dict) \
            else None
        if tid is None:
            raise MalformedResponse("FortiAnalyzer started the report run but its answer holds no tid: %s"
                                    % describe_json(data))
        return validate_report_tid(tid, option="the tid FortiAnalyzer answered")

    def progress(self, tid):
        try:
            data, _shape = self.client.call("get", RUN_URL % self.adom + "/%s" % tid)
        except TaskNotFound as err:
            raise TaskNotFound("report run %s not found in ADOM %s (%s): a finished run's entry may have been "
                               "deleted, or the tid belongs to another ADOM" % (tid, self.adom, err.msg),
                               tid=tid) from None
        if isinstance(data, list):
            data = data[0] if len(data) == 1 else {}
        return run_state(data, tid)

    def history(self, window, title=None):
        """Generated reports of the period (``reports/state``)."""
        params = {"state": "generated", "time-range": window}
        if title:
            params["title"] = title
        data, _shape = self.client.call("get", STATE_URL % self.adom, **params)
        if isinstance(data, dict) and "data" in data:
            data = data["data"]
        return [run_state(item, str(item.get("tid"))) for item in _items(data, "the report history")]

    def running(self):
        """Runs in progress. With none, a public client saw a reply without any ``result`` (just id and
        jsonrpc): that one reply means "none"; any other reply not understood stays an error."""
        try:
            data, _shape = self.client.call("get", RUN_URL % self.adom)
        except MalformedResponse as err:
            if "neither 'result' nor 'error'" not in err.msg:
                raise
            return []
        if isinstance(data, dict) and "data" in data:
            data = data["data"]
        return [run_state(item, str(item.get("tid"))) for item in _items(data, "the running reports")]

    # -- the file ---------------------------------------------------------------------------
    def download(self, tid, report_format, out):
        """Write the report's bytes to ``out`` (an AtomicFile) as they come; ``{name, data_type, checksum,
        checksum_verified}`` from the reply (the base64 data itself is never held whole)."""
        target = DATA_URL % (self.adom, tid)
        md5 = hashlib.md5()  # nosec - compared with the appliance's own checksum, not for security

        class _Target:
            @staticmethod
            def write(data):
                md5.update(data)
                out.write(data)

        where = "FortiAnalyzer's report data for %s" % tid
        state = {"diverter": None}

        def new_diverter():
            state["diverter"] = JsonStringDiverter(lambda: Base64Sink(_Target, where), where=where)

        def reset():
            out.reset()
            md5.__init__()
            new_diverter()

        def feed(chunk):
            state["diverter"].feed(chunk)

        new_diverter()
        try:
            self.client.get_streamed(target, feed, reset,
                                     format=report_format.upper(), **{"data-type": "string"})
        except TaskNotFound as err:
            raise TaskNotFound("report %s in ADOM %s has no data to download (%s)" % (tid, self.adom, err.msg),
                               tid=tid) from None
        diverter = state["diverter"]
        envelope, problem = parse_json(diverter.skeleton().decode("utf-8", "replace"))
        if problem:
            raise MalformedResponse("%s is not usable JSON (%s)" % (where, problem))
        try:
            data, _shape = self.client.unwrap(envelope, target)
        except TaskNotFound as err:
            raise TaskNotFound("report %s in ADOM %s has no data to download (%s)" % (tid, self.adom, err.msg),
                               tid=tid) from None
        if isinstance(data, list) and len(data) == 1:
            data = data[0]
        if not isinstance(data, dict):
            raise MalformedResponse("%s is not an object: %s" % (where, describe_json(data)))
        encoded = field(data, "data", "text", where, required=True)
        if encoded == PLACEHOLDER:
            if not diverter.sink.finished:
                raise MalformedResponse("%s ended before its data did" % where)
        elif diverter.diverted:
            raise MalformedResponse("%s holds a large value outside its data" % where)
        else:
            sink = Base64Sink(_Target, where)
            sink.feed(encoded)
            sink.close()
        checksum = field(data, "checksum", "text", where)
        verified = None
        if checksum and MD5_PATTERN.match(checksum):
            verified = checksum.lower() == md5.hexdigest()
        return {"name": field(data, "name", "text", where), "data_type": field(data, "data-type", "text", where),
                "checksum": checksum, "checksum_verified": verified}

    def delete(self, tid, even_when_stopped=False):
        """Delete the run's generated report (its history entry): True, False when it was already gone."""
        try:
            self.client.call("delete", DATA_URL % (self.adom, tid), budget=Deadline(CLEANUP_TIMEOUT),
                             even_when_stopped=even_when_stopped)
        except TaskNotFound:
            return False
        except ApiError:
            if even_when_stopped:
                return False
            raise
        return True


def _listed(layouts):
    if not layouts:
        return "none"
    shown = ", ".join("%r (layout_id %d)" % (layout["title"], layout["layout_id"])
                      for layout in layouts[:CANDIDATES_LISTED])
    more = len(layouts) - CANDIDATES_LISTED
    return shown + (" and %d more" % more if more > 0 else "")


def identity(selected, window, report_format, adom):
    """What makes two runs the same report, for the sidecar: ``selected`` is the layout as the user named it."""
    return {"product": "fortianalyzer", "adom": adom, "selected": selected, "format": report_format,
            "period": json.dumps(window, sort_keys=True)}
