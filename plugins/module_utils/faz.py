# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""FortiAnalyzer JSON-RPC: the session (login, API key, session id, -11, logout) and its calls.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
What the calls mean for FortiView (views, rows, task options) is in faz_views.py.
"""

from __future__ import annotations

import itertools
import re
import threading

from ansible_collections.secops.async_tasks.plugins.module_utils.client import ApiClient, Product
from ansible_collections.secops.async_tasks.plugins.module_utils.errors import (
    ApiError,
    AsyncTasksError,
    AuthenticationFailure,
    InvalidInput,
    MalformedResponse,
    PermissionDenied,
    TaskNotFound,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_views import (
    RESULT_LIST,
    RESULT_OBJECT,
    TASK_EXPIRY_HINT,
    StillRunning,
    created_tid,
    normalise_task,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.transport import Deadline, RetryPolicy, TransportStopped
from ansible_collections.secops.async_tasks.plugins.module_utils.replies import code_of, describe_body, describe_json, field

FORTIANALYZER = Product("FortiAnalyzer", "FORTIANALYZER")
API_VERSION = 3
LOGIN_URL = "/sys/login/user"
LOGOUT_URL = "/sys/logout"
# Calls that change nothing even though they are "exec".
SESSION_URLS = frozenset((LOGIN_URL, LOGOUT_URL))
WRITE_METHODS = frozenset(("add", "set", "update", "delete", "replace", "clone", "move"))
# -11 is "No permission for the resource": missing rights or an expired session, the only code
# that warrants logging in again besides -20 (below). -10 is "The data is invalid for selected url": the request does
# not fit the URL (never a session problem). A logout answered either means the session had gone.
CODE_NO_PERMISSION = -11
CODE_DATA_INVALID = -10
CODE_SESSION_GONE = (-10, -11)
CODE_NOT_FOUND = -3
# -22 "Login fail": a refused password at login, and a refused API key on any URL (in an HTTP 200 reply).
CODE_LOGIN_FAIL = -22
# 1 on a task's result or progress read: the task is still running ("in progress", "running"), not an error.
CODE_RUNNING = 1
FORTIVIEW_RUN = re.compile(r"^/fortiview/adom/([^/]+)/([^/]+)/run/(\d+)$")
RPC_PERMIT_FIX = ("the admin may not use the JSON-RPC API (its rpc-permit is none); on the FortiAnalyzer run "
                  "'config system admin user', 'edit <admin>', 'set rpc-permit read' (or read-write), 'end'")
API_KEY_FIX = ("check api_key (or the FORTIANALYZER_API_KEY environment variable): the key may be mistyped, expired "
               "or revoked, or made on another FortiAnalyzer")
# -20 is read three ways in public clients, and no source prints the appliance's own text for it: "maximum number of
# sessions reached" (login-max), "invalid credentials", and "session gone, log in again". So: at login, a -20 whose
# message speaks of sessions or limits is the session cap (back off and retry); any other -20 at login is a refused
# login quoting the message; on a call made with a session, -20 is a session gone (one re-login, as -11).
CODE_MINUS_20 = -20
CAP_WORDS = ("max", "limit", "too many", "exceed")
# Backoff between logins refused for the cap: 0.25-0.5 s, then doubling, at most 2-4 s.
CAP_BACKOFF = RetryPolicy(base=0.5, cap=4.0)
LOGOUT_ATTEMPTS = 3


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
        """Log in. A login refused for the admin's session cap is tried again, after a backoff with jitter,
        until the run's deadline: the sessions that fill the cap are usually other short runs' (forks).
        """
        refusals, planned, budget = 0, 0.0, None
        while True:
            try:
                return self._login_once()
            except _SessionCapReached as cap:
                deadline = self.transport.deadline
                budget = deadline.remaining() if budget is None else budget
                refusals += 1
                wait = CAP_BACKOFF.backoff(min(refusals - 1, 8))
                planned += wait  # counted too: the waits must fit the deadline even if a clock stands still
                if deadline.remaining() <= wait or planned >= budget:
                    raise AuthenticationFailure(
                        "FortiAnalyzer refused the login%s: the admin's session limit is reached (%s), and no session "
                        "was freed within the run's %.0f s deadline (%d attempts). Every login holds one of the "
                        "admin's sessions (login-max) until it logs out: read many tasks in one run with tids (one "
                        "session for all), use an API key (api_key: no session at all), run fewer hosts at once "
                        "(forks), or raise the admin's login-max"
                        % (self._of_user(), _describe_status(cap.code, cap.message), deadline.seconds, refusals),
                        code=cap.code) from None
                self.transport.pause(wait)

    def _of_user(self):
        """" of user 'name'" for a message, or nothing when the name is also a secret (Ansible would mask it)."""
        if not self.username or self.username in self.transport.secrets:
            return ""
        return " of user %r" % self.username

    def _login_once(self):
        credentials = {"user": self.username, "passwd": self._password}
        envelope = self._post({"method": "exec", "params": [{"url": LOGIN_URL, "data": credentials}]}, session=None)
        code, message = _first_status(envelope)
        session = field(envelope, "session", "text", "FortiAnalyzer's login reply") if code == 0 else None
        if code != 0 or not session:
            if _is_session_cap(code, message):
                raise _SessionCapReached(code, message)
            raise _login_refused(self._of_user(), code, message)
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
            if code == 0 or code in CODE_SESSION_GONE:
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

    def _call(self, method, target, budget=None, even_when_stopped=False, accept_running=False, **params):
        """One JSON-RPC call; returns the unwrapped ``(data, shape)``.

        ``shape`` is ``RESULT_LIST`` (``result`` is a list with ``data`` and ``status``) or
        ``RESULT_OBJECT`` (apiver 3: ``result`` is the data itself). With ``accept_running`` (reads of a
        task's result or progress) a status code 1 is not an error: ``data`` comes back as ``StillRunning``.
        """
        request_params = {"url": target, "apiver": API_VERSION}
        request_params.update(params)
        payload = {"method": method, "params": [request_params]}
        # budget / even_when_stopped: for cleanup calls that must run after the deadline or a stop.
        sending = dict(idempotent=not self.changes_state(method, target) or method == "delete", budget=budget,
                       even_when_stopped=even_when_stopped)
        session = self._session
        envelope = self._post(payload, session, **sending)
        try:
            return _unwrap(envelope, target, accept_running)
        except _SessionRejected as rejected:
            if not self._can_login() or self.auth_mode == "api_key":
                raise self._refused(rejected, target) from None
            self._renew_session(session, rejected, target)
        envelope = self._post(payload, self._session, **sending)
        try:
            return _unwrap(envelope, target, accept_running)
        except _SessionRejected as rejected:
            raise self._refused(rejected, target) from None

    def _refused(self, rejected, target):
        """The error of a call whose session or key was refused (after the one re-login, where there was one)."""
        if rejected.code == CODE_NO_PERMISSION:
            return _permission_error(rejected, target)
        status = _describe_status(rejected.code, rejected.message)
        if self.auth_mode == "api_key":
            return AuthenticationFailure("FortiAnalyzer refused the API key (%s, answered to %s): %s"
                                         % (status, target, API_KEY_FIX), code=rejected.code)
        if self.auth_mode == "session_id":
            return AuthenticationFailure(
                "FortiAnalyzer refused the session given in session_id (%s, answered to %s): it may have expired or "
                "been logged out; check session_id (or the FORTIANALYZER_SESSION_ID environment variable), or give "
                "username and password instead" % (status, target), code=rejected.code)
        return AuthenticationFailure("FortiAnalyzer refused the session%s even after logging in again (%s, answered "
                                     "to %s)" % (self._of_user(), status, target), code=rejected.code)

    def _renew_session(self, rejected_session, rejected, target):
        """Log in again, at most once per client, even when parallel calls all saw -11 (or -20, -22).

        A session we own may still be alive (a real permission problem), so it is logged
        out first. A caller whose session was already renewed by another thread just retries.
        """
        with self._relogin_lock:
            if self._session and self._session != rejected_session:
                return
            if self._relogged:
                raise self._refused(rejected, target)
            self._relogged = True
            self._logout_quietly()
            self.login()

    def _signed(self, payload, session):
        """``(payload, headers)`` ready to send: an id, and the session or the API key."""
        payload = dict(payload, id=next(self._ids), jsonrpc="2.0")
        headers = None
        if session:
            payload["session"] = session
        elif self._api_key:
            headers = {"Authorization": "Bearer %s" % self._api_key}
        return payload, headers

    @staticmethod
    def _refuse_status(reply, headers, what):
        """Raise the error of an HTTP status other than 200 (``what`` names the request)."""
        if reply.status in (401, 403):
            if headers:
                raise AuthenticationFailure("FortiAnalyzer refused the API key (HTTP %d): %s" % (reply.status, API_KEY_FIX),
                                            http_status=reply.status)
            raise AuthenticationFailure("FortiAnalyzer answered HTTP %d: the session was refused" % reply.status,
                                        http_status=reply.status)
        if reply.status != 200:
            raise ApiError("FortiAnalyzer answered HTTP %d to %s" % (reply.status, what), http_status=reply.status)

    def _post(self, payload, session, idempotent=True, budget=None, even_when_stopped=False):
        payload, headers = self._signed(payload, session)
        reply = self.transport.post("/jsonrpc", payload, idempotent=idempotent, headers=headers, budget=budget,
                                    even_when_stopped=even_when_stopped)
        self._refuse_status(reply, headers, "a JSON-RPC call")
        if not isinstance(reply.json, dict):
            raise MalformedResponse("FortiAnalyzer's reply was not a JSON object (%s); is host pointing at a "
                                    "FortiAnalyzer?" % describe_body(reply))
        return reply.json

    def get_streamed(self, target, feed, reset, **params):
        """``get`` of ``target`` whose reply body is handed to ``feed(chunk)`` as it arrives (a report's data,
        too big to hold); ``reset()`` runs before a retry. The caller parses what it kept of the body."""
        request_params = {"url": target, "apiver": API_VERSION}
        request_params.update(params)
        payload, headers = self._signed({"method": "get", "params": [request_params]}, self._session)
        with self.scrubbing():
            reply, size = self.transport.download("/jsonrpc", feed, reset, payload=payload, headers=headers)
            if reply is not None:
                self._refuse_status(reply, headers, target)
                raise ApiError("FortiAnalyzer answered HTTP 200 to %s without streaming its body" % target)
        return size

    def unwrap(self, envelope, target):
        """``(data, shape)`` of a reply read by ``get_streamed``, or the error it carries."""
        if not isinstance(envelope, dict):
            raise MalformedResponse("FortiAnalyzer's reply to %s was not a JSON object" % target)
        with self.scrubbing():
            try:
                return _unwrap(envelope, target)
            except _SessionRejected as rejected:
                raise _permission_error(rejected, target) from None

    # -- FortiView -----------------------------------------------------------------------
    def fetch_view_result(self, view, adom, tid):
        """The state of FortiView task ``tid``: a dict in the documented normalised shape."""
        url = view_task_url(view, adom, tid)
        try:
            data, shape = self.call("get", url, accept_running=True)
        except TaskNotFound as err:
            raise TaskNotFound("task %d not found in ADOM %s for view %s (%s); %s, and a task id only works "
                               "with the view and ADOM it was created for"
                               % (tid, adom, view, err.msg, TASK_EXPIRY_HINT), tid=tid) from None
        return normalise_task(view, tid, data, shape)

    def create_view_task(self, view, adom, time_range, device, **options):
        """Create a FortiView task (``options``: those of ``view_task_call``); return its tid."""
        method, target, params = view_task_call(view, adom, time_range, device, **options)
        data, _shape = self.call(method, target, **params)
        return created_tid(data, view)

    def cancel_view_task(self, view, adom, tid):
        """Delete (cancel) a FortiView task: True when it existed, False when it was already gone."""
        try:
            self.call("delete", view_task_url(view, adom, tid))
        except TaskNotFound:
            return False
        return True

    def exists(self, url):
        """True when a read of ``url`` succeeds, False when FortiAnalyzer says it does not exist
        (how check mode tells whether a delete would find its object)."""
        try:
            self.call("get", url)
        except TaskNotFound:
            return False
        return True

    def check_adom(self, adom):
        """Raise InvalidInput unless ADOM ``adom`` exists (one read of ``/dvmdb/adom/{adom}``)."""
        try:
            self.call("get", "/dvmdb/adom/%s" % adom)
        except TaskNotFound:
            raise InvalidInput("ADOM %r does not exist on this FortiAnalyzer: check adom (the default is 'root')"
                               % adom, option="adom") from None


def view_task_url(view, adom, tid):
    return "/fortiview/adom/%s/%s/run/%d" % (adom, view, tid)


def view_task_call(view, adom, time_range, device, filter_expression=None, limit=None, sort_by=None):
    """``(method, target, params)`` of the call that creates a FortiView task (check mode previews it).

    The FortiView parameters go at the top level of ``params[0]``, not under ``data``.
    """
    params = {"time-range": time_range, "device": device}
    if filter_expression:
        params["filter"] = filter_expression
    if limit is not None:
        params["limit"] = limit
    if sort_by:
        params["sort-by"] = sort_by
    return "add", "/fortiview/adom/%s/%s/run" % (adom, view), params


class _Refusal(Exception):
    """An answer's status code and message, carried to the code that decides what it means."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def _login_refused(of_user, code, message):
    """The error of a login FortiAnalyzer did not accept (the session cap aside), saying what to do about it.

    ``of_user`` is " of user 'name'", or empty when the name must not be shown (``_of_user``).
    """
    status = _describe_status(code, message)
    if code == CODE_NO_PERMISSION:
        return AuthenticationFailure("FortiAnalyzer refused the login%s (%s): %s" % (of_user, status, RPC_PERMIT_FIX),
                                     code=code)
    if code in (CODE_LOGIN_FAIL, CODE_MINUS_20, 0):
        # -20 here is a -20 that says nothing of sessions or limits: read as "invalid credentials"
        return AuthenticationFailure("FortiAnalyzer refused the login%s (%s): the credentials were refused; check "
                                     "username and password (or the FORTIANALYZER_USERNAME and FORTIANALYZER_PASSWORD "
                                     "environment variables)" % (of_user, status), code=code)
    return AuthenticationFailure("FortiAnalyzer refused the login%s (%s)" % (of_user, status), code=code)


class _SessionCapReached(_Refusal):
    """A login refused because the admin holds as many sessions as it may."""


def _is_session_cap(code, message):
    """A login refusal that is the admin's session cap (login-max), by its message (the real wording is unconfirmed).

    -20 counts when its message speaks of sessions or of a limit; any other code when it speaks of both.
    """
    text = (message or "").lower()
    sessions, limits = "session" in text, any(word in text for word in CAP_WORDS)
    if code == CODE_MINUS_20:
        return sessions or limits
    return sessions and limits


class _SessionRejected(_Refusal):
    """-11 or -20 (or -22): the session (or key) was not accepted for this call."""


def _permission_error(rejected, target):
    return PermissionDenied("FortiAnalyzer refused %s (%s): the admin lacks the rights for it, or the session was "
                            "not accepted; check the admin profile's FortiView/log access and the ADOM"
                            % (target, _describe_status(rejected.code, rejected.message)), code=rejected.code)


def _describe_status(code, message):
    return "code %s: %s" % (code, message) if message else "code %s" % code


def _first_status(envelope):
    """``(code, message)`` of a result-list reply's first result; ``(None, None)`` when absent."""
    result = envelope.get("result") if isinstance(envelope, dict) else None
    if isinstance(result, list) and result and isinstance(result[0], dict):
        return _status_of(result[0])
    return None, None


def _text(value):
    return None if value is None else str(value)


def _raise_for_code(code, message, target):
    """Raise the error a non-zero status code means; -11, -20 and -22 are session (or key) matters."""
    status = _describe_status(code, message)
    if code in (CODE_NO_PERMISSION, CODE_MINUS_20, CODE_LOGIN_FAIL):
        raise _SessionRejected(code, message)
    if code == CODE_DATA_INVALID:
        raise ApiError("FortiAnalyzer answered %s to %s: the request does not fit the URL; %s"
                       % (status, target, _data_invalid_hint(target)), code=code)
    if code == CODE_NOT_FOUND or (message and "invalid tid" in message.lower()):
        raise TaskNotFound(status, code=code)
    raise ApiError("FortiAnalyzer answered %s to %s" % (status, target), code=code)


def _data_invalid_hint(target):
    run = FORTIVIEW_RUN.match(target or "")
    if run:
        return ("the view (%s), ADOM (%s) and task id (%s) do not belong together: a task id only works with the "
                "view and ADOM it was created for, and %s" % (run.group(2), run.group(1), run.group(3),
                                                              TASK_EXPIRY_HINT))
    return "check the options that go into it (view, ADOM, task id, filter, time range)"


def _status_of(holder):
    """``(code, message)`` of a status object, or ``(None, None)`` when there is none."""
    status = holder.get("status") if isinstance(holder, dict) else None
    if isinstance(status, dict) and "code" in status:
        return code_of(status.get("code")), _text(status.get("message"))
    return None, None


def _unwrap(envelope, target=None, accept_running=False):
    """Return ``(data, shape)`` from either reply shape, or raise the matching error.

    A non-zero status code is an error wherever it sits, whatever sits beside it (rows,
    ``percentage: 100``): a reply that says both "error" and "done" is an error. The one exception is
    code 1 on a read that ``accept_running``: the task is still running, and ``data`` (percentage,
    partial rows) comes back as ``StillRunning``, in either shape.
    """
    error = envelope.get("error")
    if error is not None:
        if isinstance(error, dict):
            _raise_for_code(code_of(error.get("code")), _text(error.get("message")), target)
        _raise_for_code(None, _text(error), target)
    result = envelope.get("result")
    if isinstance(result, list):
        if not result or not isinstance(result[0], dict):
            raise MalformedResponse("FortiAnalyzer's reply has an empty or malformed 'result' list: %s"
                                    % describe_json(envelope))
        item = result[0]
        code, message = _status_of(item)
        data = item.get("data")
        if data is None:  # older builds put the fields (such as a new task's tid) beside the status
            data = dict((key, value) for key, value in item.items() if key not in ("status", "url", "data")) or None
        return _checked(code, message, target, accept_running, data), RESULT_LIST
    if isinstance(result, dict):
        code, message = _status_of(result)
        return _checked(code, message, target, accept_running, result), RESULT_OBJECT
    raise MalformedResponse("FortiAnalyzer's reply has neither 'result' nor 'error': %s" % describe_json(envelope))


def _checked(code, message, target, accept_running, data):
    """``data`` when the status code is 0 (or absent), ``StillRunning`` for an accepted 1; else the error."""
    if code in (0, None):
        return data
    if code == CODE_RUNNING and accept_running:
        return StillRunning.of(data, message)
    return _raise_for_code(code, message, target)
