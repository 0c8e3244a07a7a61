# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""FortiAnalyzer JSON-RPC: authentication, FortiView task results, both response shapes.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
"""

from __future__ import annotations

import datetime
import itertools
import re
import threading

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import (
    ApiError,
    AsyncTasksError,
    AuthenticationFailure,
    InvalidInput,
    MalformedResponse,
    PermissionDenied,
    TaskNotFound,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.transport import (
    ApiClient,
    Deadline,
    Product,
    SkippedInCheckMode,
    TransportStopped,
)

FORTIANALYZER = Product("FortiAnalyzer", "FORTIANALYZER")
API_VERSION = 3
LOGIN_URL = "/sys/login/user"
LOGOUT_URL = "/sys/logout"
# Calls that change nothing even though they are "exec".
SESSION_URLS = frozenset((LOGIN_URL, LOGOUT_URL))
WRITE_METHODS = frozenset(("add", "set", "update", "delete", "replace", "clone", "move"))
# -11 is "No permission for the resource": missing rights or an expired session.
CODE_NO_PERMISSION = -11
CODE_SESSION = (-10, -11)
CODE_NOT_FOUND = -3
CODE_LOGIN_FAIL = -22
LOGOUT_ATTEMPTS = 3

VIEWS = (
    "top-sources", "top-destinations", "top-applications", "top-websites", "top-threats",
    "top-cloud-applications", "top-countries", "site-to-site-ipsec", "policy-hits", "policy-line",
)
TASK_EXPIRY_HINT = "FortiView tasks expire 15-30 minutes after they finish"
ADOM_PATTERN = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
TASK_STATUSES = ("done", "running", "error")


def validate_adom(adom):
    if not isinstance(adom, str) or not ADOM_PATTERN.match(adom) or not adom.strip("."):
        raise InvalidInput("adom %r is not a valid ADOM name: use letters, digits, '.', '_' or '-' "
                           "(no '/', not only dots), for example 'root'" % (adom,), option="adom")
    return adom


def validate_tid(tid, option="tid"):
    if isinstance(tid, bool) or not isinstance(tid, int) or tid <= 0:
        raise InvalidInput("%s must be a positive integer task id (the 'tid' returned when the FortiView task "
                           "was created), got %r" % (option, tid), option=option)
    return tid


def validate_view(view):
    if view not in VIEWS:
        raise InvalidInput("view %r is not a FortiView view; use one of: %s" % (view, ", ".join(VIEWS)),
                           option="view")
    return view


class FortiAnalyzerClient(ApiClient):
    """A FortiAnalyzer JSON-RPC client for one module run; use it as a context manager.

    Authentication, in order of precedence: ``session_id`` (a session someone else owns: used
    as is, never logged out), ``api_key`` (Bearer header, no session at all), ``username`` +
    ``password`` (login now, logout in ``close()`` whatever happened). A -11 answer is taken
    as an expired session when we can log in: log in again once, retry once; a second -11
    is a permission error.
    """

    def __init__(self, transport, username=None, password=None, api_key=None, session_id=None,
                 check_mode=False, logout_timeout=10.0):
        super().__init__(transport, check_mode)
        self.username = username
        self._password = password
        self._api_key = api_key
        self._session = session_id
        self._owns_session = False
        self._logout_timeout = logout_timeout
        self._ids = itertools.count(1)
        self._relogin_lock = threading.Lock()
        self._relogged = False
        self.logins = 0
        for secret in (password, api_key, session_id):
            if secret:
                transport.secrets.add(secret)
        if not (session_id or api_key or (username and password)):
            raise InvalidInput("no FortiAnalyzer credentials: set api_key, or username and password, or session_id "
                               "(or the FORTIANALYZER_API_KEY / FORTIANALYZER_USERNAME and FORTIANALYZER_PASSWORD / "
                               "FORTIANALYZER_SESSION_ID environment variables)")

    # -- session lifecycle -------------------------------------------------------------
    def __enter__(self):
        if not self._session and not self._api_key:
            self.login()
        return self

    def __exit__(self, *exc_info):
        self.close()
        return False

    @property
    def auth_mode(self):
        if self._session and not self._owns_session:
            return "session_id"
        return "api_key" if self._api_key and not self._session else "password"

    def _can_login(self):
        return bool(self.username and self._password)

    def login(self):
        if not self._can_login():
            raise PermissionDenied("FortiAnalyzer refused the request (-11: no permission, or the session expired) "
                                   "and no username/password were given to log in again")
        with self.scrubbing():
            self._login()

    def _login(self):
        credentials = {"user": self.username, "passwd": self._password}
        envelope = self._post({"method": "exec", "params": [{"url": LOGIN_URL, "data": credentials}]}, session=None)
        code, message = _first_status(envelope)
        session = envelope.get("session") if isinstance(envelope, dict) else None
        if code == 0 and session and not isinstance(session, str):
            raise MalformedResponse("FortiAnalyzer's login reply carries a session that is not a string")
        if code != 0 or not session:
            if code == CODE_LOGIN_FAIL or code == 0:
                raise AuthenticationFailure("FortiAnalyzer refused the login of user %r (%s): check username and "
                                            "password" % (self.username, _describe_status(code, message)))
            raise AuthenticationFailure("FortiAnalyzer refused the login of user %r (%s); if the admin has too "
                                        "many sessions open, log some out or wait for them to expire"
                                        % (self.username, _describe_status(code, message)), code=code)
        self.transport.secrets.add(session)
        self._session = session
        self._owns_session = True
        self.logins += 1

    def close(self):
        """Log out a session this client opened. Never raises: it runs in ``finally``.

        Anything still running on this client (the other calls of an interrupted batch) is
        stopped first, so nothing can log in again behind the logout.
        """
        try:
            self.transport.stop()
            self._logout_quietly(even_when_stopped=True)
        finally:
            self.transport.close()

    def _logout_quietly(self, even_when_stopped=False):
        """Log out an owned session, retrying within a short budget of its own: a logout that is
        lost (HTTP 500, an HTML page, a reset) would leave the session counting against the admin's cap.
        """
        if not (self._owns_session and self._session):
            return
        session, self._session, self._owns_session = self._session, None, False
        budget = Deadline(self._logout_timeout)
        for attempt in range(LOGOUT_ATTEMPTS):
            try:
                envelope = self._post({"method": "exec", "params": [{"url": LOGOUT_URL}]}, session=session,
                                      budget=budget, even_when_stopped=even_when_stopped)
            except AsyncTasksError:
                envelope = None
            except TransportStopped:
                return
            code, _message = _first_status(envelope) if envelope else (None, None)
            # 0: logged out; -10/-11: the session had already gone.
            if code == 0 or code in CODE_SESSION:
                return
            if budget.expired() or attempt + 1 == LOGOUT_ATTEMPTS:
                # Best effort exhausted: the appliance expires the session on its own.
                return
            self.transport.pause_quietly(budget.cap(0.2 * (2 ** attempt)))

    # -- calls ---------------------------------------------------------------------------
    def changes_state(self, method, target):
        if method in WRITE_METHODS:
            return True
        return method == "exec" and target not in SESSION_URLS

    def _call(self, method, target, **params):
        """One JSON-RPC call; returns the unwrapped ``(data, shape)``.

        ``shape`` is ``"seed"`` (``result`` is a list with ``data`` and ``status``) or
        ``"real"`` (apiver 3: ``result`` is the data itself).
        """
        request_params = {"url": target, "apiver": API_VERSION}
        request_params.update(params)
        payload = {"method": method, "params": [request_params]}
        idempotent = not self.changes_state(method, target) or method == "delete"
        session = self._session
        envelope = self._post(payload, session, idempotent=idempotent)
        try:
            return _unwrap(envelope)
        except _SessionRejected as rejected:
            if not self._can_login() or self.auth_mode == "api_key":
                raise _permission_error(rejected, target) from None
            self._renew_session(session, rejected, target)
        envelope = self._post(payload, self._session, idempotent=idempotent)
        try:
            return _unwrap(envelope)
        except _SessionRejected as rejected:
            raise _permission_error(rejected, target) from None

    def _renew_session(self, rejected_session, rejected, target):
        """Log in again, at most once per client, even when parallel calls all saw -11.

        A session we own may still be alive (a real permission problem), so it is logged
        out first. A caller whose session was already renewed by another thread just retries.
        """
        with self._relogin_lock:
            if self._session and self._session != rejected_session:
                return
            if self._relogged:
                raise _permission_error(rejected, target)
            self._relogged = True
            self._logout_quietly()
            self.login()

    def _post(self, payload, session, idempotent=True, budget=None, even_when_stopped=False):
        payload = dict(payload, id=next(self._ids), jsonrpc="2.0")
        headers = None
        if session:
            payload["session"] = session
        elif self._api_key:
            headers = {"Authorization": "Bearer %s" % self._api_key}
        reply = self.transport.post("/jsonrpc", payload, idempotent=idempotent, headers=headers, budget=budget,
                                    even_when_stopped=even_when_stopped)
        if reply.status in (401, 403):
            raise AuthenticationFailure("FortiAnalyzer answered HTTP %d: the API key or session was refused"
                                        % reply.status)
        if reply.status != 200:
            raise ApiError("FortiAnalyzer answered HTTP %d to a JSON-RPC call" % reply.status, http_status=reply.status)
        if not isinstance(reply.json, dict):
            raise MalformedResponse("FortiAnalyzer's reply was not a JSON object (%s); is host pointing at a "
                                    "FortiAnalyzer?" % _sniff(reply.text))
        return reply.json

    # -- FortiView -----------------------------------------------------------------------
    def fetch_view_result(self, view, adom, tid):
        """The state of FortiView task ``tid``: a dict in the documented normalised shape."""
        url = "/fortiview/adom/%s/%s/run/%d" % (adom, view, tid)
        try:
            data, shape = self.call("get", url)
        except TaskNotFound as err:
            raise TaskNotFound("task %d not found in ADOM %s for view %s (%s); %s, and a task id only works "
                               "with the view and ADOM it was created for"
                               % (tid, adom, view, err.msg, TASK_EXPIRY_HINT), tid=tid) from None
        return normalise_task(view, tid, data, shape)

    def create_view_task(self, view, adom, time_range, device, filter_expression=None, limit=None, sort_by=None):
        """Create a FortiView task; return its tid, or ``SkippedInCheckMode``.

        The FortiView parameters go at the top level of ``params[0]``, not under ``data``.
        """
        params = {"time-range": time_range, "device": device}
        if filter_expression:
            params["filter"] = filter_expression
        if limit is not None:
            params["limit"] = limit
        if sort_by:
            params["sort-by"] = sort_by
        answer = self.call("add", "/fortiview/adom/%s/%s/run" % (adom, view), **params)
        if isinstance(answer, SkippedInCheckMode):
            return answer
        data, _shape = answer
        tid = to_int(data.get("tid")) if isinstance(data, dict) else None
        if not tid or tid <= 0:
            raise MalformedResponse("FortiAnalyzer accepted the %s task but its reply holds no task id" % view)
        return tid

    def cancel_view_task(self, view, adom, tid):
        """Delete (cancel) a FortiView task: True when it existed, False when it was already gone."""
        try:
            answer = self.call("delete", "/fortiview/adom/%s/%s/run/%d" % (adom, view, tid))
        except TaskNotFound:
            return False
        return answer if isinstance(answer, SkippedInCheckMode) else True


class _SessionRejected(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def _permission_error(rejected, target):
    return PermissionDenied("FortiAnalyzer refused %s (%s): the admin lacks the rights for it, or the session was "
                            "not accepted; check the admin profile's FortiView/log access and the ADOM"
                            % (target, _describe_status(rejected.code, rejected.message)), code=rejected.code)


def _describe_status(code, message):
    return "code %s: %s" % (code, message) if message else "code %s" % code


def _sniff(text):
    head = (text or "").lstrip()[:1]
    if not head:
        return "empty body"
    if head == "<":
        return "an HTML page"
    return "not JSON"


def _first_status(envelope):
    """``(code, message)`` of a seed-shape reply's first result; ``(None, None)`` when absent."""
    result = envelope.get("result") if isinstance(envelope, dict) else None
    if isinstance(result, list) and result and isinstance(result[0], dict):
        status = result[0].get("status")
        if isinstance(status, dict):
            return _as_code(status.get("code")), _text(status.get("message"))
    return None, None


def _as_code(value):
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: 1e999 is valid JSON, parsed as inf
        return value


def _text(value):
    return None if value is None else str(value)


def _raise_for_code(code, message):
    if code in CODE_SESSION:
        raise _SessionRejected(code, message)
    if code == CODE_NOT_FOUND or (message and "invalid tid" in message.lower()):
        raise TaskNotFound(_describe_status(code, message), code=code)
    raise ApiError("FortiAnalyzer answered %s" % _describe_status(code, message), code=code)


def _unwrap(envelope):
    """Return ``(data, shape)`` from either reply shape, or raise the matching error."""
    error = envelope.get("error")
    if error is not None:
        if isinstance(error, dict):
            _raise_for_code(_as_code(error.get("code")), _text(error.get("message")))
        _raise_for_code(None, _text(error))
    result = envelope.get("result")
    if isinstance(result, list):
        if not result or not isinstance(result[0], dict):
            raise MalformedResponse("FortiAnalyzer's reply has an empty or malformed 'result' list")
        code, message = _first_status(envelope)
        if code not in (0, None):
            _raise_for_code(code, message)
        return result[0].get("data"), "seed"
    if isinstance(result, dict):
        status = result.get("status")
        if isinstance(status, dict) and status.get("code") not in (0, None) and "data" not in result:
            _raise_for_code(_as_code(status.get("code")), _text(status.get("message")))
        return result, "real"
    raise MalformedResponse("FortiAnalyzer's reply has neither 'result' nor 'error'")


# -- normalisation --------------------------------------------------------------------------
def to_int(value):
    """An int from an int, float or numeric string; None when there is no number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    try:
        return int(float(str(value).strip()))
    except (TypeError, ValueError, OverflowError):
        return None


def _percentage(value):
    pct = to_int(value)
    if pct is None:
        return None
    return max(0, min(100, pct))


def _task_status(raw_status, percentage):
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
    # Missing, an object, or an unknown word: the percentage decides.
    return "done" if percentage is not None and percentage >= 100 else "running"


def _rows_of(data, view):
    """The list of result rows inside ``data`` (seed shape: under the view's key)."""
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        return []
    key = ROWS_KEYS.get(view)
    if key and isinstance(data.get(key), list):
        return data[key]
    for value in data.values():
        if isinstance(value, list) and all(isinstance(item, dict) for item in value):
            return value
    return []


def normalise_task(view, tid, data, shape):
    """Turn either reply shape into the documented task dict."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise MalformedResponse("FortiAnalyzer's task result for tid %d is not an object" % tid)
    percentage = _percentage(data.get("percentage"))
    status = _task_status(data.get("status"), percentage)
    if status == "done" and percentage is None:
        percentage = 100
    rows_source = data.get("data") if shape == "real" else data
    raw_rows = [row for row in _rows_of(rows_source, view) if isinstance(row, dict)]
    normaliser = ROW_NORMALISERS.get(view, _generic_row)
    rows = [normaliser(row, shape) for row in raw_rows]
    total = to_int(data.get("total"))
    answered_tid = to_int(data.get("tid"))
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
    return {
        "srcip": srcip,
        "hostname": hostname,
        "sessions": to_int(row.get("sessions")),
        "bytes": _bytes_of(row, shape),
        "bandwidth": _bandwidth_of(row, shape),
        "country": row.get("country", row.get("srccountry")),
        "raw": row,
    }


def _application_row(row, shape):
    return {
        "app": row.get("app", row.get("app_group", row.get("appname"))),
        "appcat": row.get("appcat"),
        "sessions": to_int(row.get("sessions")),
        "bytes": _bytes_of(row, shape),
        "bandwidth": _bandwidth_of(row, shape),
        "policyid": to_int(row.get("policyid")),
        "policyname": row.get("policyname"),
        "raw": row,
    }


def _generic_row(row, shape):
    normalised = dict(row)
    normalised["raw"] = row
    return normalised


def _bytes_of(row, shape):
    if "bytes" in row:
        return to_int(row.get("bytes"))
    # apiver 3 on real units reports total bytes under 'bandwidth'.
    return to_int(row.get("bandwidth")) if shape == "real" else None


def _bandwidth_of(row, shape):
    if shape == "real" and "bytes" not in row:
        return None
    return to_int(row.get("bandwidth"))


ROWS_KEYS = {"top-sources": "sources", "top-applications": "applications"}
ROW_NORMALISERS = {"top-sources": _source_row, "top-applications": _application_row}


# -- task creation options -----------------------------------------------------------------
# Filter fields each view accepts, as measured on FortiAnalyzer 7.6/8.0. Views not listed were
# not measured: their filters are passed through for the appliance to judge.
FILTER_FIELDS = {
    "top-sources": ("srcip",),
    "top-destinations": ("dstip",),
    "policy-hits": ("policyid",),
    "top-countries": ("dstcountry",),
    "top-threats": ("threat",),
}
_TRAFFIC = ("bandwidth", "bytes", "sessions")
# Columns a view's rows carry (both reply shapes), hence what it can be sorted by.
SORT_FIELDS = {
    "top-sources": _TRAFFIC + ("srcip", "threatweight"),
    "top-destinations": _TRAFFIC + ("dstip",),
    "top-applications": _TRAFFIC + ("app", "app_group", "appcat"),
    "top-websites": _TRAFFIC + ("hostname", "catdesc"),
    "top-threats": ("threat", "threatlevel", "threatweight", "incidents"),
    "top-cloud-applications": _TRAFFIC + ("app", "app_group", "users"),
    "top-countries": _TRAFFIC + ("dstcountry", "country"),
    "site-to-site-ipsec": ("bandwidth", "traffic_in", "traffic_out", "vpn_tunnel"),
    "policy-hits": ("counts", "hits", "bandwidth", "policyid", "last_used"),
    "policy-line": _TRAFFIC + ("timestamp", "policyid"),
}
_FILTER_SPLIT = re.compile(r"\s+(?:and|or)\s+|&&|\|\||,", re.IGNORECASE)
_FILTER_TERM = re.compile(r"^[\s(!]*([A-Za-z_][A-Za-z0-9_]*)\s*(==|!=|=~|!~|>=|<=|>|<|=)")
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$", re.IGNORECASE)
_DURATION_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
ALL_DEVICES = {"devname": "All_Device"}
_SERIAL = re.compile(r"^F[A-Z0-9]{2}[A-Z0-9]{10,14}$")


def validate_filter(view, expression):
    """The filter, or InvalidInput naming the field the view does not accept."""
    if expression is None or not str(expression).strip():
        return None
    expression = str(expression).strip()
    accepted = FILTER_FIELDS.get(view)
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
    accepted = SORT_FIELDS[view]
    entries = []
    for item in sort_by:
        if isinstance(item, dict):
            field, order = item.get("field"), str(item.get("order") or "desc").lower()
        else:
            field, _sep, order = str(item).strip().partition(":")
            order = (order or "desc").lower()
        if field not in accepted:
            raise InvalidInput("sort_by: view %s cannot be sorted by %r; it can be sorted by: %s"
                               % (view, field, ", ".join(accepted)), option="sort_by")
        if order not in ("asc", "desc"):
            raise InvalidInput("sort_by: order %r of %r must be asc or desc" % (order, field), option="sort_by")
        entries.append({"field": field, "order": order})
    return entries


def parse_duration(text):
    match = _DURATION.match(str(text))
    if not match or int(match.group(1)) <= 0:
        raise InvalidInput("time_range.last %r is not a duration: use a number and a unit s, m, h, d or w, such "
                           "as 24h or 7d" % (text,), option="time_range")
    return datetime.timedelta(**{_DURATION_UNITS[match.group(2).lower()]: int(match.group(1))})


def _parse_time(text, which):
    for layout in (TIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(str(text).strip(), layout)
        except ValueError:
            continue
    raise InvalidInput("time_range.%s %r is not a time: use 'YYYY-MM-DD HH:MM:SS' in the appliance's time zone"
                       % (which, text), option="time_range")


def resolve_time_range(time_range, now=None):
    """``{"start", "end"}`` as naive 'YYYY-MM-DD HH:MM:SS' strings.

    ``last`` (such as ``24h``) ends now, by this machine's local clock: the appliance reads
    the times in its own time zone, so give ``start``/``end`` where the two differ.
    """
    time_range = time_range or {"last": "1h"}
    now = (now or datetime.datetime.now()).replace(microsecond=0)
    if time_range.get("last"):
        if time_range.get("start") or time_range.get("end"):
            raise InvalidInput("time_range: give either last, or start and end, not both", option="time_range")
        start, end = now - parse_duration(time_range["last"]), now
    else:
        if not time_range.get("start"):
            raise InvalidInput("time_range needs last (such as 24h) or start (and optionally end)", option="time_range")
        start = _parse_time(time_range["start"], "start")
        end = _parse_time(time_range["end"], "end") if time_range.get("end") else now
    if end <= start:
        raise InvalidInput("time_range ends (%s) before it starts (%s)"
                           % (end.strftime(TIME_FORMAT), start.strftime(TIME_FORMAT)), option="time_range")
    return {"start": start.strftime(TIME_FORMAT), "end": end.strftime(TIME_FORMAT)}


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
