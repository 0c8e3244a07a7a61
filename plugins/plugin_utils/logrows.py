# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Log search rows summarised, for the controller-side filter log_top. Nothing here runs on a managed node."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.secops.async_tasks.plugins.plugin_utils.values import whole_number

NO_VALUE = "(none)"


def _rows(value, where):
    """The rows of a log search result (or the rows themselves), checked."""
    if isinstance(value, Mapping) and "rows" in value:
        value = value["rows"]
    if not isinstance(value, Sequence) or isinstance(value, (str, bytes)):
        raise AnsibleFilterError("%s: expected the rows of a log search (a list of dictionaries), got %s"
                                 % (where, type(value).__name__))
    for index, row in enumerate(value):
        if not isinstance(row, Mapping):
            raise AnsibleFilterError("%s: row %d is a %s, not a dictionary" % (where, index, type(row).__name__))
    return value


def _number(row, field, index):
    value = row.get(field)
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise AnsibleFilterError("log_top: row %d field %r is %r, not a number" % (index, field, value))
    try:
        return int(value)
    except (TypeError, ValueError):
        raise AnsibleFilterError("log_top: row %d field %r is %r, not a number" % (index, field, value)) from None


def top(rows, fields, limit=10, sum_fields=None):
    """Rows grouped by ``fields`` (a name or a list), counted and with ``sum_fields`` added up, most first."""
    rows = _rows(rows, "log_top")
    fields = [fields] if isinstance(fields, str) else list(fields or [])
    if not fields or not all(isinstance(field, str) and field for field in fields):
        raise AnsibleFilterError("log_top: give the field to group by (a name, or a list of names)")
    sums = list(sum_fields or [])
    limit = None if limit is None else whole_number(limit, "log_top: limit", 1)
    groups = {}
    for index, row in enumerate(rows):
        key = tuple(NO_VALUE if row.get(field) in (None, "") else row.get(field) for field in fields)
        entry = groups.get(key)
        if entry is None:
            entry = groups[key] = dict(zip(fields, key), count=0, **dict.fromkeys(sums, 0))
        entry["count"] += 1
        for field in sums:
            entry[field] += _number(row, field, index)
    ranked = sorted(groups.values(), key=lambda entry: (-entry["count"], [str(entry[field]) for field in fields]))
    for rank, entry in enumerate(ranked, 1):
        entry["rank"] = rank
    return ranked[:limit] if limit else ranked
