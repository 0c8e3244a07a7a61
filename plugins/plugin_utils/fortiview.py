# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""FortiView rows as ranked report entries and report views, for the controller-side filters
(fortiview_rank, fortiview_chart, fortiview_report_views). Nothing here runs on a managed node."""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.secops.async_tasks.plugins.module_utils.faz_views import REPORT_VIEWS, VIEW_TABLE
from ansible_collections.secops.async_tasks.plugins.plugin_utils.values import whole_number

RANKINGS = ("bytes", "sessions")
MAX_COUNT = 2 ** 63 - 1  # no appliance counts beyond a signed 64-bit integer
UNKNOWN_NAME = "(unknown)"


def _reported(view):
    """The view's entry of the view table (module_utils/faz_views.py) when the report knows it, else None."""
    known = VIEW_TABLE.get(view) if isinstance(view, str) else None
    return known if known is not None and known.title is not None else None


def view_fields(view, name_fields=None, detail_fields=None):
    """The (name fields, detail fields) of a view, the arguments winning over the view table's."""
    known = _reported(view)
    if known is None and not name_fields:
        raise AnsibleFilterError("fortiview_rank: view %r has no built-in fields; give name_fields (and detail_fields), "
                                 "or one of the views %s" % (view, ", ".join(REPORT_VIEWS)))
    names = list(name_fields) if name_fields else list(known.name_fields)
    details = list(detail_fields) if detail_fields is not None else list(known.detail_fields if known else ())
    return names, details


def view_heading(view):
    """(title, column) of a view for a report."""
    known = _reported(view)
    if known:
        return known.title, known.column
    return str(view).replace("-", " ").capitalize(), "Name"


def _number(row, field, index):
    value = row.get(field)
    if field == "bytes" and value is None:
        value = row.get("bandwidth")  # apiver 3 sends total bytes as "bandwidth" for views the module leaves alone
    if value is None or value == "":
        return 0
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:  # exact, whatever its size: "1e400" is a (very large) whole number, not an OverflowError
        number = None if isinstance(value, bool) else decimal.Decimal(str(value).strip())
    except (TypeError, ValueError, decimal.InvalidOperation):
        number = None
    if number is None or not number.is_finite():
        raise AnsibleFilterError("fortiview_rank: row %d: %s is %r, not a number" % (index, field, value))
    return int(number)


def _first_text(row, fields, differs_from=None):
    for field in fields:
        value = row.get(field)
        if value is None:
            continue
        text = str(value)
        if text and text != differs_from:
            return text
    return None


def _rows(rows):
    if isinstance(rows, Mapping) and "rows" in rows:
        rows = rows["rows"]
    if rows is None:
        return []
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence):
        raise AnsibleFilterError("fortiview_rank: expected a list of rows (or a result with rows); got %s"
                                 % type(rows).__name__)
    for index, row in enumerate(rows, 1):
        if not isinstance(row, Mapping):
            raise AnsibleFilterError("fortiview_rank: row %d is a %s, not a dictionary" % (index, type(row).__name__))
    return rows


def rank(rows, view=None, by="bytes", limit=None, name_fields=None, detail_fields=None):
    """Entries ``{rank, name, detail, bytes, sessions}`` sorted by ``by``, largest first (ties keep their order)."""
    if by not in RANKINGS:
        raise AnsibleFilterError("fortiview_rank: by must be one of %s, got %r" % (", ".join(RANKINGS), by))
    names, details = view_fields(view, name_fields, detail_fields)
    entries = []
    for index, row in enumerate(_rows(rows), 1):
        name = _first_text(row, names)
        entries.append({"name": name if name is not None else UNKNOWN_NAME,
                        "detail": _first_text(row, details, differs_from=name),
                        "bytes": _number(row, "bytes", index), "sessions": _number(row, "sessions", index)})
    entries.sort(key=lambda entry: entry[by], reverse=True)
    entries = entries[:None if limit is None else whole_number(limit, "fortiview_rank: limit", 1)]
    for position, entry in enumerate(entries, 1):
        entry["rank"] = position
    return entries


def chart(entries, by="bytes", width=290):
    """Bars of a horizontal bar chart of ranked entries, scaled so that the largest spans ``width``."""
    if by not in RANKINGS:
        raise AnsibleFilterError("fortiview_chart: by must be one of %s, got %r" % (", ".join(RANKINGS), by))
    width = whole_number(width, "fortiview_chart: width", 1)
    if not isinstance(entries, Sequence) or isinstance(entries, (str, bytes)) \
            or not all(isinstance(entry, Mapping) and isinstance(entry.get(by), int) for entry in entries):
        raise AnsibleFilterError("fortiview_chart: expected entries as fortiview_rank returns them, each with an "
                                 "integer %s" % by)
    scale_max = max((entry[by] for entry in entries), default=0)

    def length(value):  # a negative number gets an empty bar, never a negative width
        return round(value / scale_max * width, 2) if scale_max > 0 and value > 0 else 0

    bars = [{"entry": entry, "value": entry[by], "width": length(entry[by])} for entry in entries]
    out_of_range = sum(1 for entry in entries if not 0 <= entry[by] <= MAX_COUNT)
    return {"scale_max": max(scale_max, 0), "width": width, "bars": bars, "out_of_range": out_of_range}


def _identity(task, index):
    """(view, by, tid) of one created task."""
    if not isinstance(task, Mapping):
        raise AnsibleFilterError("fortiview_report_views: created task %d is a %s, not a dictionary"
                                 % (index, type(task).__name__))
    item = task.get("item")
    if isinstance(item, Mapping):
        view, by = item.get("view"), item.get("by")
    elif isinstance(item, (list, tuple)) and len(item) == 2:
        view, by = item
    else:
        view, by = None, None
    view, by = task.get("view") or view, task.get("by") or by
    if not view or not by or task.get("tid") is None:
        raise AnsibleFilterError("fortiview_report_views: created task %d has no view, ranking (by) or tid: %s"
                                 % (index, dict((key, task.get(key)) for key in ("view", "by", "item", "tid"))))
    return view, by, task["tid"]


def _rows_by_tid(fetched):
    rows = {}
    for entry in fetched or []:
        if not isinstance(entry, Mapping):
            raise AnsibleFilterError("fortiview_report_views: fetched entries must be dictionaries, got %s"
                                     % type(entry).__name__)
        for task in entry.get("results") or [entry]:
            if isinstance(task, Mapping) and task.get("tid") is not None and "rows" in task:
                rows[str(task["tid"])] = task["rows"]
    return rows


def report_views(created, fetched, filters=None):
    """Views with ranked entries, from created tasks and fetched rows (see DOCUMENTATION)."""
    rows, filters, views = _rows_by_tid(fetched), filters or {}, {}
    for index, task in enumerate(created or [], 1):
        view, by, tid = _identity(task, index)
        if str(tid) not in rows:
            raise AnsibleFilterError("fortiview_report_views: no rows were fetched for task %s (%s by %s)"
                                     % (tid, view, by))
        if view not in views:
            title, column = view_heading(view)
            views[view] = {"view": view, "title": title, "column": column, "filter": filters.get(view),
                           "rankings": []}
        views[view]["rankings"].append({"by": by, "entries": rank(rows[str(tid)], view=view, by=by)})
    return list(views.values())
