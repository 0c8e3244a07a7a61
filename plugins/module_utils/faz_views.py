# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""FortiView, independent of how it is reached: views, task results and their rows, and the
options of a new task (filters, sort fields, time ranges, devices).

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
Nothing here sends a request (faz.py does); nothing here needs requests.
"""

from __future__ import annotations

import re
from collections import namedtuple

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import InvalidInput, MalformedResponse
from ansible_collections.secops.async_tasks.plugins.module_utils.inputs import TID
from ansible_collections.secops.async_tasks.plugins.module_utils.replies import describe_json, field, to_int

TASK_EXPIRY_HINT = "FortiView tasks expire 15-30 minutes after they finish"
ADOM_PATTERN = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
TASK_STATUSES = ("done", "running", "error")
# Most rows a FortiView task can be asked for.
MAX_LIMIT = 10000

# The two shapes of a FortiAnalyzer reply's ``result`` (faz.py tells them apart):
# a list whose first item holds ``data`` and ``status`` (the rows under the view's key, such as
# ``data.sources``), and the apiver-3 object that is the data itself (the rows under ``data``).
RESULT_LIST = "result_list"
RESULT_OBJECT = "result_object"


class StillRunning(dict):
    """The data of a task read answered with status code 1 ("in progress", "running"): the task runs.

    A dict of what came with it (``percentage``, partial rows, counters); ``message`` is the status
    message. Where the appliance sent rows as a plain list they are kept under ``data``.
    """

    message = None

    @classmethod
    def of(cls, data, message):
        running = cls(data if isinstance(data, dict) else ({} if data is None else {"data": data}))
        running.message = message
        return running


def validate_adom(adom):
    if not isinstance(adom, str) or not ADOM_PATTERN.match(adom) or not adom.strip("."):
        raise InvalidInput("adom %r is not a valid ADOM name: use letters, digits, '.', '_' or '-' "
                           "(no '/', not only dots), for example 'root'" % (adom,), option="adom")
    return adom


def validate_tid(tid, option="tid"):
    """A task id within the input model's one bound (inputs.TID), or InvalidInput naming ``option``."""
    if isinstance(tid, bool) or not isinstance(tid, int):
        raise InvalidInput("%s must be %s, got %r" % (option, TID.what, tid), option=option)
    TID.check(option, tid)
    return tid


def validate_view(view):
    if view not in VIEW_TABLE:
        raise InvalidInput("view %r is not a FortiView view; use one of: %s" % (view, ", ".join(VIEW_TABLE)),
                           option="view")
    return view


# -- task results --------------------------------------------------------------------------
def percentage_of(holder, key, where):
    """A progress percentage read as a count (the one number rule) and held at 100 at most.

    None when absent, or text that is no number (``"n/a"`` while a task is queued); a list, an object,
    a boolean, a negative number or one with a fraction is a MalformedResponse naming ``key``.
    """
    if isinstance(holder.get(key), str) and to_int(holder[key]) is None:
        return None
    pct = field(holder, key, "count", where)
    return None if pct is None else min(100, pct)


def _task_status(raw_status, percentage, has_rows):
    """done, running or error, from the status word, else the percentage, else whether rows came."""
    if isinstance(raw_status, str):
        lowered = raw_status.strip().lower()
        if lowered in TASK_STATUSES:
            return lowered
        if lowered in ("finished", "complete", "completed", "success"):
            return "done"
        if lowered in ("failed", "failure", "cancelled", "canceled"):
            return "error"
        if lowered in ("pending", "queued", "in progress", "in_progress"):
            return "running"
    # Missing, an object, or an unknown word: the percentage decides; older builds send none, and then
    # an answer that carries its rows (even none) is a finished task. With none of the three, the reply
    # says nothing about the task (None): the caller fails rather than guess "running".
    if percentage is None:
        return "done" if has_rows else None
    return "done" if percentage >= 100 else "running"


def _rows_of(data, view):
    """The list of result rows inside ``data`` (result list: under the view's key), or None when there is none."""
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        return None
    key = VIEW_TABLE[view].rows_key if view in VIEW_TABLE else None
    if key and isinstance(data.get(key), list):
        return data[key]
    for value in data.values():
        if isinstance(value, list) and all(isinstance(item, dict) for item in value):
            return value
    return None


def normalise_task(view, tid, data, shape):
    """Turn either reply shape into the documented task dict."""
    if not isinstance(data, dict):
        raise MalformedResponse("FortiAnalyzer's task result for tid %d is %s, not an object"
                                % (tid, "missing" if data is None else "something else"))
    where = "FortiAnalyzer's result of task %d" % tid
    percentage = percentage_of(data, "percentage", where)
    running = isinstance(data, StillRunning)
    rows_source = data.get("data") if shape == RESULT_OBJECT or (running and isinstance(data.get("data"), list)) else data
    found_rows = _rows_of(rows_source, view)
    # status code 1 says "running" whatever else the reply holds (a percentage of 100 included)
    status = "running" if running else _task_status(data.get("status"), percentage, found_rows is not None)
    if status is None:
        raise MalformedResponse("FortiAnalyzer's reply for task %d tells neither its status, its percentage nor its "
                                "rows: %s" % (tid, describe_json(data)))
    if status == "done" and percentage is None:
        percentage = 100
    raw_rows = found_rows or []
    if not all(isinstance(row, dict) for row in raw_rows):
        raise MalformedResponse("FortiAnalyzer's result rows for tid %d are not all objects" % tid)
    total = field(data, "total", "count", where)
    if found_rows is None and status == "done" and (shape == RESULT_OBJECT or (total or 0) > 0):
        # apiver 3 sends the rows of a finished task under data; the result list, when it counts some
        raise MalformedResponse("FortiAnalyzer says task %d is done, but its reply holds no list of rows" % tid)
    normaliser = VIEW_TABLE[view].normalise if view in VIEW_TABLE else _generic_row
    rows = [normaliser(row, shape) for row in raw_rows]
    answered_tid = field(data, "tid", "int", where)
    return {
        "tid": answered_tid if answered_tid is not None else tid,
        "view": view,
        "status": status,
        "done": status == "done",
        "percentage": percentage if percentage is not None else 0,
        "total": total if total is not None else (len(rows) if status == "done" else None),
        "rows": rows,
        "shape": shape,
    }


def _source_row(row, shape):
    srcip = row.get("srcip")
    hostname = row.get("hostname", row.get("srcip_hostname"))
    if hostname in ("", srcip):
        hostname = None
    return _with_traffic(row, {
        "srcip": srcip,
        "hostname": hostname,
        "sessions": to_int(row.get("sessions")),
        "bytes": _bytes_of(row, shape),
        "bandwidth": _bandwidth_of(row, shape),
        "country": row.get("country", row.get("srccountry")),
        "raw": row,
    })


def _application_row(row, shape):
    return _with_traffic(row, {
        "app": row.get("app", row.get("app_group", row.get("appname"))),
        "appcat": row.get("appcat"),
        "sessions": to_int(row.get("sessions")),
        "bytes": _bytes_of(row, shape),
        "bandwidth": _bandwidth_of(row, shape),
        "policyid": to_int(row.get("policyid")),
        "policyname": row.get("policyname"),
        "raw": row,
    })


# Counts the other views send, as numbers or as numeric strings.
NUMERIC_FIELDS = ("bandwidth", "bytes", "sessions", "traffic_in", "traffic_out", "counts", "hits", "incidents",
                  "users", "threatweight", "policyid")


def _with_traffic(row, normalised):
    """``normalised`` plus traffic_in and traffic_out as numbers, where the appliance sent them."""
    for name in ("traffic_in", "traffic_out"):
        if name in row:
            normalised[name] = to_int(row[name])
    return normalised


def _generic_row(row, shape):
    """A row of a view without its own normaliser: as sent, with numeric strings made numbers."""
    normalised = dict(row)
    for name in NUMERIC_FIELDS:
        number = to_int(row.get(name))
        if number is not None:
            normalised[name] = number
    normalised["raw"] = row
    return normalised


def _bytes_of(row, shape):
    if "bytes" in row:
        return to_int(row.get("bytes"))
    # apiver 3 on real units reports total bytes under 'bandwidth'.
    return to_int(row.get("bandwidth")) if shape == RESULT_OBJECT else None


def _bandwidth_of(row, shape):
    if shape == RESULT_OBJECT and "bytes" not in row:
        return None
    return to_int(row.get("bandwidth"))


# -- the view table -------------------------------------------------------------------------
View = namedtuple(
    "View", ("name", "rows_key", "normalise", "filter_fields", "sort_fields", "title", "column", "name_fields",
             "detail_fields", "facts_key"),
    defaults=(None, _generic_row, None, None, None, None, (), (), None))
View.__doc__ = """One FortiView view, and everything the collection knows about it (one entry of VIEW_TABLE).

name            the view as the API and the ``view`` options spell it
rows_key        where a result-list reply keeps the rows (``data.sources``), and, for a view with a
                dedicated result module, the key that module returns them under; None: the first list
                of objects in ``data``
normalise       ``normalise(row, shape)``: one row as the modules return it
filter_fields   fields a ``filter`` may name, as measured on FortiAnalyzer 7.6/8.0; None: not measured,
                filters pass through for the appliance to judge
sort_fields     columns its rows carry (both reply shapes), hence what ``sort_by`` may name; None: not
                measured, ``sort_by`` passes through for the appliance to judge
title, column   the report's heading and first column (fortiview_report role, fortiview_rank filter);
                None: the role does not report on this view
name_fields     row fields that name an entry of the report, the first one present wins
detail_fields   row fields that describe it (the two reply shapes differ, hence alternatives)
facts_key       the ``ansible_facts`` key of the view's dedicated result module, or None
"""

_TRAFFIC = ("bandwidth", "bytes", "sessions")
VIEW_TABLE = dict((view.name, view) for view in (
    View("top-sources", rows_key="sources", normalise=_source_row, filter_fields=("srcip",),
         sort_fields=_TRAFFIC + ("srcip", "threatweight"), title="Top sources", column="Source",
         name_fields=("srcip",), detail_fields=("hostname", "srcip_hostname", "country"),
         facts_key="faz_top_sources"),
    View("top-destinations", filter_fields=("dstip",), sort_fields=_TRAFFIC + ("dstip",),
         title="Top destinations", column="Destination", name_fields=("dstip",),
         detail_fields=("hostname", "dstip_hostname", "country", "dstcountry")),
    View("top-applications", rows_key="applications", normalise=_application_row,
         sort_fields=_TRAFFIC + ("app", "app_group", "appcat"), title="Top applications", column="Application",
         name_fields=("app", "app_group"), detail_fields=("appcat",), facts_key="faz_top_applications"),
    View("top-websites", sort_fields=_TRAFFIC + ("hostname", "catdesc"), title="Top websites", column="Website",
         name_fields=("hostname",), detail_fields=("catdesc",)),
    View("top-threats", filter_fields=("threat",), sort_fields=("threat", "threatlevel", "threatweight", "incidents")),
    View("top-cloud-applications", sort_fields=_TRAFFIC + ("app", "app_group", "users"),
         title="Top cloud applications", column="Application", name_fields=("app", "app_group"),
         detail_fields=("appcat",)),
    View("top-countries", filter_fields=("dstcountry",), sort_fields=_TRAFFIC + ("dstcountry", "country"),
         title="Top countries", column="Country", name_fields=("country", "dstcountry")),
    View("site-to-site-ipsec", sort_fields=("bandwidth", "traffic_in", "traffic_out", "vpn_tunnel")),
    View("policy-hits", filter_fields=("policyid",), sort_fields=("counts", "hits", "bandwidth", "policyid",
                                                                  "last_used")),
    View("policy-line", sort_fields=_TRAFFIC + ("timestamp", "policyid")),
))
# The views, in the order the modules document them (their ``choices``).
VIEWS = tuple(VIEW_TABLE)
# The views the fortiview_report role reports on, in the same order.
REPORT_VIEWS = tuple(name for name, view in VIEW_TABLE.items() if view.title is not None)


# -- task creation options -----------------------------------------------------------------
_FILTER_SPLIT = re.compile(r"\s+(?:and|or)\s+|&&|\|\||,", re.IGNORECASE)
_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_FILTER_TERM = re.compile(r"^[\s(!]*([A-Za-z_][A-Za-z0-9_]*)\s*(==|!=|=~|!~|>=|<=|>|<|=)")
ALL_DEVICES = {"devname": "All_Device"}
_SERIAL = re.compile(r"^F[A-Z0-9]{2}[A-Z0-9]{10,14}$")


def validate_filter(view, expression):
    """The filter, or InvalidInput naming the field the view does not accept."""
    if expression is None or not str(expression).strip():
        return None
    expression = str(expression).strip()
    accepted = VIEW_TABLE[validate_view(view)].filter_fields
    for term in _FILTER_SPLIT.split(expression):
        if not term.strip():
            continue
        match = _FILTER_TERM.match(term)
        if not match:
            raise InvalidInput("filter %r: %r is not of the form 'field==value'" % (expression, term.strip()),
                               option="filter")
        if accepted is not None and match.group(1) not in accepted:
            raise InvalidInput("filter %r: view %s does not accept a filter on %r; it accepts: %s"
                               % (expression, view, match.group(1), ", ".join(accepted)), option="filter")
    return expression


def validate_sort(view, sort_by):
    """``sort-by`` entries from strings (``"bandwidth"``, ``"sessions:asc"``) or ``{field, order}`` dicts."""
    if not sort_by:
        return None
    accepted = VIEW_TABLE[validate_view(view)].sort_fields
    entries = []
    for item in sort_by:
        if isinstance(item, dict):
            column, order = item.get("field"), str(item.get("order") or "desc").lower()
        else:
            column, _sep, order = str(item).strip().partition(":")
            order = (order or "desc").lower()
        if accepted is not None and column not in accepted:
            raise InvalidInput("sort_by: view %s cannot be sorted by %r; it can be sorted by: %s"
                               % (view, column, ", ".join(accepted)), option="sort_by")
        if not isinstance(column, str) or not _FIELD_NAME.match(column):
            raise InvalidInput("sort_by: %r is not a field name (letters, digits and '_'); view %s passes sort_by "
                               "through for the appliance to judge" % (column, view), option="sort_by")
        if order not in ("asc", "desc"):
            raise InvalidInput("sort_by: order %r of %r must be asc or desc" % (order, column), option="sort_by")
        entries.append({"field": column, "order": order})
    return entries


def device_list(devices):
    """The ``device`` parameter: all devices by default; names, serials or explicit dicts otherwise.

    Newer builds spell "every device" ``{"devname": "All_Device"}`` and older ones
    ``{"devid": "All_FortiGate"}``; ``devid`` otherwise must be a serial number.
    """
    if not devices:
        return [dict(ALL_DEVICES)]
    result = []
    for device in devices:
        if isinstance(device, dict):
            keys = set(device) & {"devid", "devname", "vdom"}
            if not keys & {"devid", "devname"} or set(device) - {"devid", "devname", "vdom"}:
                raise InvalidInput("device entry %r: use a name, a serial number, or a dict with devid or devname "
                                   "(and optionally vdom)" % (device,), option="device")
            result.append(dict(device))
        elif str(device) == "All_FortiGate" or _SERIAL.match(str(device)):
            result.append({"devid": str(device)})
        else:
            result.append({"devname": str(device)})
    return result


def created_tid(data, view):
    """The id of a task FortiAnalyzer just created, wherever the reply put it.

    ``data`` is what faz.py unwrapped: ``result[0].data`` (or the fields beside ``result[0].status``)
    of a result list, or the apiver-3 result object. Seen placements: ``result[0].data.tid``,
    ``result[0].tid``, ``result.tid`` and ``result.data.tid``.
    """
    for holder in (data, data.get("data") if isinstance(data, dict) else None):
        if isinstance(holder, dict) and holder.get("tid") is not None:
            tid = field(holder, "tid", "int", "FortiAnalyzer's reply to the new %s task" % view)
            if tid <= 0:
                raise MalformedResponse("FortiAnalyzer accepted the %s task but its task id is %r, not a positive "
                                        "integer" % (view, holder["tid"]))
            return tid
    raise MalformedResponse("FortiAnalyzer accepted the %s task but its reply holds no task id (looked in "
                            "result[0].data.tid, result[0].tid, result.tid and result.data.tid): %s"
                            % (view, describe_json(data)))


ALL_FORTIGATE_HINT = ("the task was created for {\"devid\": \"All_FortiGate\"}, which FortiAnalyzer 7.6.7 and 8.0 "
                      "answer with an empty top-N rather than an error; create it again with the default device "
                      "({\"devname\": \"All_Device\"})")


def names_all_fortigate(devices):
    """True when a device list (as the options or as sent) names All_FortiGate."""
    for device in devices or ():
        if device == "All_FortiGate" or (isinstance(device, dict) and device.get("devid") == "All_FortiGate"):
            return True
    return False
