"""FortiAnalyzer firmware profiles: how each kind of appliance wraps the same FortiView answers.

The FortiAnalyzer simulator (faz.py) keeps the state (sessions, tasks, rows); a profile decides the
shape of what it sends back for FortiView calls: where a created task's id sits, how progress,
rows and errors are wrapped, which numbers come as strings, what a wrong view/ADOM for a tid
answers, whether `All_FortiGate` finds anything, and which time formats `time-range` takes.
docs/appliance-behaviour.md says which public source each behaviour comes from; where the sources
do not say which firmware does what, the assignment below is this simulator's choice.

Profiles (setting `faz_profile`):
- `seed`: the seed documents' shapes (`result` list, rows under `data.<rows key>`); with
  `faz_shape: "real"` the older apiver-3 object shape with word statuses (`RealShape`).
- `7.4`: apiver-3 object with a status object inside it, percentage and every row number as strings,
  partial rows while running, errors inside the result object beside `percentage: 100`.
- `7.6`, `8.0`: apiver-3 object, created tid under `result.data.tid` (7.6) or `result.tid` (8.0),
  errors as a top-level `error`, `{"devid": "All_FortiGate"}` silently yields no rows.
- `old`: `result` list, no `percentage` anywhere, created tid beside the status in `result[0].tid`.
- `7.2` (issue 17): `result` list with a percentage; a running task (FortiView, and a log search's count)
  answers status code 1 "in progress"; a wrong password answers -20 "Invalid credentials".
- `7.6.7` (issue 17): as 7.6, and a finished log search's pages arrive late (the first reads of each page
  come back empty at 100 %), its first page re-counts the matches, and a dead session answers -20.
- `8.0` also answers a log search's count read with status 0 and no progress fields at all.
Every firmware profile (7.2, 7.4, 7.6, 7.6.7, 8.0) answers a wrong API key with -22 "Login fail" in an HTTP 200
reply, on any URL; `seed` and `old` answer -11. The session cap is -20 "Maximum number of admin sessions reached"
in every profile.
FOR TESTS ONLY.
"""

import re

from .common import valid_request_id

PROFILES = ("seed", "7.4", "7.6", "8.0", "old", "7.2", "7.6.7")
OK = {"code": 0, "message": "OK"}
SUCCEEDED = {"code": 0, "message": "succeeded"}
# -10 as real appliances word it: a request that does not fit the url (here: a tid of another view or ADOM)
DATA_INVALID = (-10, "The data is invalid for selected url")
TASK_FAILED = (-1, "Task failed: the query could not be completed")
# Issue 17: what some builds answer while a task runs, to a wrong API key, and the two other readings of -20.
IN_PROGRESS = (1, "in progress")
LOGIN_FAIL = (-22, "Login fail")
INVALID_CREDENTIALS = (-20, "Invalid credentials")
SESSION_GONE = (-20, "Invalid session")
TIME_TEXT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$")
APPLICATION_VIEWS = frozenset(["top-applications", "top-cloud-applications"])


def legacy(request, items, **extra):
    """The list envelope: `result` is a list; id and jsonrpc only if the request had them."""
    body = {}
    if "jsonrpc" in request:
        body["jsonrpc"] = "2.0"
    if "id" in request:
        body["id"] = valid_request_id(request)
    body["result"] = items
    body.update(extra)
    return body


def apiver3(request, key, value):
    """The apiver-3 envelope: `result` (an object) or a top-level `error`."""
    return {"jsonrpc": "2.0", "id": valid_request_id(request), key: value}


def status(code, message):
    return {"code": code, "message": message}


def scaled(rows, percentage):
    """Rows of a query `percentage` % through the logs: the top ones so far, with smaller counts."""
    count = max(1, len(rows) * percentage // 100) if rows else 0
    partial = []
    for row in rows[:count]:
        partial.append({name: (value * percentage // 100 if _is_count(value) else value)
                        for name, value in row.items()})
    return partial


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool)


def check_time_text(value, side):
    """None if `value` is a time FortiAnalyzer reads, else what is wrong with it."""
    if not isinstance(value, str) or not TIME_TEXT.match(value):
        return "time-range '%s' must be 'YYYY-MM-DD HH:MM[:SS]' or 'YYYY-MM-DDTHH:MM[:SS]' (got %r)" % (side, value)
    return None


class SeedShape:
    """The seed documents' shapes: `result` list, rows under `data.<rows key>`, errors in `result[0].status`."""

    name = "seed"
    shape = "seed"
    wrong_task = None  # a tid of another view/ADOM answers like an unknown tid
    checks_time = False
    running_status = None  # the status a running task's reads carry (FortiView result, log search count)
    bad_key = None  # the status a wrong API key gets (None: -11 as for any stranger)
    bad_password = None  # the status a wrong password gets (None: -22 "Login fail")
    dead_session = None  # the status a call with a dead session gets (None: -11)
    late_reads = 0  # reads of each page of a finished log search that come back empty before its rows
    recount = 0  # a finished log search's first page reports this many matches fewer than the others
    empty_progress = False  # a log search's count read answers status 0 without any progress field

    def created(self, request, tid):
        return legacy(request, [{"data": {"tid": tid}, "status": status(*OK.values())}])

    def cancelled(self, request, tid):
        return legacy(request, [{"status": dict(OK)}])

    def error(self, request, code, message, real_message):
        return legacy(request, [{"status": status(code, message)}])

    def task_body(self, request, task, spec, state, percentage):
        if task.seed_result is not None:
            return legacy(request, task.seed_result)
        data = {"tid": task.tid, "status": state, "percentage": percentage}
        if state == "done":
            rows = [spec.seed_row(row) for row in task.facts()]
            data.update({"total": len(rows), spec.rows_key: rows})
        return legacy(request, [{"data": data, "status": dict(OK)}])

    def rows(self, spec, facts):
        return [spec.seed_row(row) for row in facts]

    def finds_nothing_for(self, device):
        """True when this firmware answers the `device` list with an empty top-N."""
        return False

    def check_time_range(self, time_range):
        """None, or why this firmware refuses the time range."""
        if not self.checks_time or not isinstance(time_range, dict):
            return None
        for side in ("start", "end"):
            problem = check_time_text(time_range.get(side), side)
            if problem:
                return problem
        start, end = (_sortable(time_range[side]) for side in ("start", "end"))
        return "time-range 'start' is after 'end'" if start > end else None


def _sortable(text):
    return tuple(int(part or 0) for part in TIME_TEXT.match(text).groups())


class RealShape(SeedShape):
    """The older apiver-3 shape (`faz_shape: "real"`): object result, word statuses, top-level errors."""

    name = "real"
    shape = "real"

    def created(self, request, tid):
        return apiver3(request, "result", {"tid": tid})

    def cancelled(self, request, tid):
        return apiver3(request, "result", {"tid": tid})

    def error(self, request, code, message, real_message):
        return apiver3(request, "error", status(code, real_message))

    def task_body(self, request, task, spec, state, percentage):
        result = {"tid": task.tid, "status": state, "percentage": str(percentage)}
        if state != "running":
            result["data"] = self.rows(spec, task.facts()) if state == "done" else []
        return apiver3(request, "result", result)

    def rows(self, spec, facts):
        return [spec.real_row(row) for row in facts]


class Firmware(RealShape):
    """Behaviour shared by the 7.4, 7.6 and 8.0 profiles (apiver-3 objects with a status object)."""

    shape = "real"
    wrong_task = DATA_INVALID
    checks_time = True
    bad_key = LOGIN_FAIL
    strings = False  # numbers (percentage and row counts) sent as strings
    partial_rows = False  # running answers carry the rows so far
    empty_for_all_fortigate = False
    tid_under_data = False

    def created(self, request, tid):
        if self.tid_under_data:
            return apiver3(request, "result", {"data": {"tid": tid}, "status": dict(SUCCEEDED)})
        return apiver3(request, "result", {"tid": tid, "status": dict(SUCCEEDED)})

    def cancelled(self, request, tid):
        return apiver3(request, "result", {"tid": tid, "status": dict(SUCCEEDED)})

    def task_body(self, request, task, spec, state, percentage):
        result = {"tid": task.tid, "status": dict(SUCCEEDED), "percentage": self._number(percentage)}
        if state == "error":
            result.update(status=status(*TASK_FAILED), percentage=self._number(100), data=[])
        elif state == "done":
            result["data"] = self.rows(spec, task.facts())
        elif self.partial_rows:
            result["data"] = self._render(scaled(self.rows(spec, task.facts(), as_text=False), percentage))
        return apiver3(request, "result", result)

    def rows(self, spec, facts, as_text=True):
        rows = [self._real_row(spec, fact) for fact in facts]
        return self._render(rows) if as_text else rows

    def _render(self, rows):
        if not self.strings:
            return rows
        return [{name: (str(value) if _is_count(value) else value) for name, value in row.items()} for row in rows]

    @staticmethod
    def _real_row(spec, fact):
        row = spec.real_row(fact)
        if "srcip_hostname" in row and _unresolved(fact.get("srcip")):
            row["srcip_hostname"] = fact["srcip"]  # the appliance repeats the address when no name resolves
        if spec.name in APPLICATION_VIEWS and "bytes" in fact:
            row["traffic_in"] = fact["bytes"] // 3
            row["traffic_out"] = fact["bytes"] - row["traffic_in"]
        return row

    def _number(self, value):
        return str(value) if self.strings else value

    def finds_nothing_for(self, device):
        return self.empty_for_all_fortigate and _names_all_fortigate(device)


def _unresolved(address):
    """Every fourth generated source has no name (deterministic per address)."""
    return isinstance(address, str) and address.rsplit(".", 1)[-1].isdigit() and int(address.rsplit(".", 1)[-1]) % 4 == 0


def _names_all_fortigate(device):
    return isinstance(device, list) and any(
        isinstance(item, dict) and item.get("devid") == "All_FortiGate" for item in device)


class Fortianalyzer74(Firmware):
    """7.4: strings for numbers, partial rows while running, errors inside the result object."""

    name = "7.4"
    strings = True
    partial_rows = True

    def error(self, request, code, message, real_message):
        # the status object sits beside a finished-looking percentage and an empty data list
        return apiver3(request, "result", {"status": status(code, real_message), "percentage": "100", "data": []})


class Fortianalyzer76(Firmware):
    """7.6: created tid under `result.data.tid`; `All_FortiGate` finds nothing."""

    name = "7.6"
    tid_under_data = True
    empty_for_all_fortigate = True


class Fortianalyzer80(Firmware):
    """8.0: created tid in `result.tid`, percentage as a string; `All_FortiGate` finds nothing; a log search's
    count read answers status 0 with no progress fields."""

    name = "8.0"
    strings = False
    empty_for_all_fortigate = True
    empty_progress = True

    def _number(self, value):
        return str(value)


class OldBuild(SeedShape):
    """Older builds: `result` list, no `percentage` at all, created tid beside the status."""

    name = "old"
    wrong_task = DATA_INVALID
    checks_time = True

    def created(self, request, tid):
        return legacy(request, [{"status": dict(OK), "tid": tid}])

    def task_body(self, request, task, spec, state, percentage):
        if state == "running":
            return legacy(request, [{"status": dict(OK), "data": {"tid": task.tid, "status": "running"}}])
        if state == "error":
            return legacy(request, [{"status": status(*TASK_FAILED), "data": {"tid": task.tid, spec.rows_key: []}}])
        rows = self.rows(spec, task.facts())
        return legacy(request, [{"status": dict(OK), "data": {"tid": task.tid, "total": len(rows), spec.rows_key: rows}}])


class Fortianalyzer72(SeedShape):
    """7.2 (our assignment): `result` list, a running task answers status code 1 "in progress" beside its
    percentage; a wrong password is -20 "Invalid credentials"; a wrong API key -22."""

    name = "7.2"
    wrong_task = DATA_INVALID
    checks_time = True
    running_status = IN_PROGRESS
    bad_key = LOGIN_FAIL
    bad_password = INVALID_CREDENTIALS

    def task_body(self, request, task, spec, state, percentage):
        if state == "running":
            data = {"tid": task.tid, "percentage": percentage}
            return legacy(request, [{"status": status(*self.running_status), "data": data}])
        if state == "error":
            return legacy(request, [{"status": status(*TASK_FAILED), "data": {"tid": task.tid, "percentage": 100}}])
        rows = self.rows(spec, task.facts())
        data = {"tid": task.tid, "percentage": 100, "total": len(rows), spec.rows_key: rows}
        return legacy(request, [{"status": dict(OK), "data": data}])


class Fortianalyzer767(Fortianalyzer76):
    """7.6.7 (as an MCP server measured it): a finished log search's pages arrive late and its first page
    re-counts the matches; a call with a dead session answers -20."""

    name = "7.6.7"
    late_reads = 2
    recount = 7
    dead_session = SESSION_GONE


_PROFILES = {profile.name: profile for profile in (
    SeedShape(), RealShape(), Fortianalyzer74(), Fortianalyzer76(), Fortianalyzer80(), OldBuild(), Fortianalyzer72(),
    Fortianalyzer767())}


def current(settings):
    """The profile the settings select: `faz_profile`, or for `seed` the older `faz_shape` switch."""
    name = settings.get("faz_profile")
    if name == "seed":
        name = "real" if settings.get("faz_shape") == "real" else "seed"
    return _PROFILES[name]
