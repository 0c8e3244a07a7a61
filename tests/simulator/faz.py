"""FortiAnalyzer JSON-RPC simulator: logins, API key, FortiView tasks, seed and real shapes.

Pure logic: `FortiAnalyzer.handle(raw_body, authorization)` returns a `Reply`; the HTTP server in
server.py only moves bytes. docs/simulator.md describes the behaviour. FOR TESTS ONLY.
"""

import base64
import json
import os
import re
import threading
import time

from .common import (
    Reply,
    INVALID_REQUEST, METHOD_NOT_FOUND, Recorder, RpcError, format_date, is_int, json_reply,
    load_fixture, parse_rpc_object, seeded_rng, task_now,
)
from .faults import http_error_reply, peek
from . import profiles
from .profiles import legacy as _legacy
from .faz_logsearch import LOGVIEW_PREFIX, LogSearch
from .reports import FazReports

USERS = {"admin": "sim-admin-pass", "viewer": "sim-viewer-pass", "norpc": "sim-norpc-pass"}
FORTIVIEW_DENIED = frozenset(["viewer"])  # can log in, but FortiView answers -11
NO_RPC = frozenset(["norpc"])  # rpc-permit none: the login itself answers -11
API_KEY = "simfazkey0123456789abcdefghijk"
API_KEY_USER = "admin"

LOGIN_URL = "/sys/login/user"
LOGOUT_URL = "/sys/logout"
# The appliance takes the two /sys calls without their leading slash too: Fortinet's own HttpApi
# plugin (fortinet.fortianalyzer) sends "sys/login/user" and "sys/logout" so.
AUTH_URL_ALIASES = {LOGIN_URL[1:]: LOGIN_URL, LOGOUT_URL[1:]: LOGOUT_URL}
FORTIVIEW_URL = re.compile(r"^/fortiview/adom/([^/]+)/([^/]+)/run(?:/([^/]+))?/?$")
ADOM_URL = re.compile(r"^/dvmdb/adom/([^/]+)/?$")
# ADOMs every appliance has; an ADOM a task was created in (control API) exists too.
ADOMS = ("root", "others")
KNOWN_METHODS = frozenset(["get", "add", "set", "update", "delete", "exec", "clone", "move", "replace"])

FIRST_TID = 13000
DEFAULT_LIMIT = 10
MAX_ROWS = 10000
STUCK_PERCENTAGE = 50

OK_STATUS = (0, "OK")
NO_PERMISSION = (-11, "No permission for the resource")
LOGIN_FAIL = (-22, "Login fail")
SESSION_CAP = (-20, "Maximum number of admin sessions reached")
INVALID_URL = (-6, "Invalid url")
INVALID_TASK = (-3, "Invalid task ID")
NO_OBJECT = (-3, "Object does not exist")
INVALID_PARAMS_CODE = -8
# messages of the codes `faz_always_code` can force (others answer "Simulated error")
KNOWN_STATUSES = dict((INVALID_TASK, INVALID_URL, NO_PERMISSION, SESSION_CAP, LOGIN_FAIL))

# Fixed base for generated dates, so that rows are the same for the same tid on every run.
DATA_EPOCH = 1765843200  # 2025-12-16T00:00:00Z
MB = 1024 * 1024
GB = 1024 * MB


class FazError(Exception):
    """A FortiAnalyzer status: legacy code and message, and the wording of the real apiver-3 error."""

    def __init__(self, status, real_message=None):
        super().__init__(status[1])
        self.code, self.message = status
        self.real_message = real_message or status[1]


# ---------------------------------------------------------------------------------------------
# Generated FortiView rows. A row is first made as "facts" (seed field names plus a few extras);
# each shape then picks and renames the fields it shows.
# ---------------------------------------------------------------------------------------------

DEPARTMENTS = ("FIN", "HR", "IT", "OPS", "DEV", "SALES", "LEGAL", "MKT")
HOST_KINDS = ("LAPTOP", "DESKTOP", "WS", "SRV")
COUNTRIES = ("United States", "Germany", "France", "Netherlands", "United Kingdom", "Japan",
             "Singapore", "Canada", "Ireland", "Brazil", "Australia", "Sweden")
DOMAINS = ("www.google.com", "outlook.office365.com", "www.youtube.com", "github.com",
           "www.linkedin.com", "cdn.jsdelivr.net", "www.bbc.co.uk", "slack.com", "www.amazon.com",
           "zoom.us", "login.microsoftonline.com", "api.dropboxapi.com", "s3.amazonaws.com")
WEBSITES = (("www.google.com", "Search Engines and Portals"), ("outlook.office365.com", "Information Technology"),
            ("www.youtube.com", "Streaming Media and Download"), ("github.com", "Information Technology"),
            ("www.linkedin.com", "Social Networking"), ("cdn.jsdelivr.net", "Content Servers"),
            ("www.bbc.co.uk", "News and Media"), ("slack.com", "Information Technology"),
            ("www.amazon.com", "Shopping"), ("zoom.us", "Information Technology"),
            ("www.reddit.com", "Discussion Forums"), ("www.wikipedia.org", "Reference"))
APPLICATIONS = (("YouTube", "Video/Audio"), ("Netflix", "Video/Audio"), ("Microsoft.Office365", "Cloud.IT"),
                ("Zoom", "Collaboration"), ("Slack", "Collaboration"), ("Dropbox", "Storage.Backup"),
                ("Google.Drive", "Storage.Backup"), ("Salesforce", "Business"), ("Facebook", "Social.Media"),
                ("LinkedIn", "Social.Media"), ("HTTPS.BROWSER", "Web.Client"), ("DNS", "Network.Service"),
                ("Microsoft.Teams", "Collaboration"), ("Spotify", "Video/Audio"), ("GitHub", "Cloud.IT"),
                ("Windows.Update", "Update"), ("Apple.iCloud", "Storage.Backup"), ("WhatsApp", "Collaboration"))
CLOUD_APPLICATIONS = (("Dropbox", "Storage.Backup"), ("Box", "Storage.Backup"), ("Google.Drive", "Storage.Backup"),
                      ("Microsoft.OneDrive", "Storage.Backup"), ("Salesforce", "Business"),
                      ("Amazon.AWS", "Cloud.IT"), ("Microsoft.Azure", "Cloud.IT"), ("ServiceNow", "Business"),
                      ("Atlassian.Jira", "Collaboration"), ("Workday", "Business"))
THREATS = (("Eicar.Virus.Test.File", "virus", "critical"), ("Botnet.C&C.Server", "botnet", "critical"),
           ("Apache.Log4j.Error.Log.Remote.Code.Execution", "ips", "critical"),
           ("MS.SMB.Server.Trans.Peeking.Data.Information.Disclosure", "ips", "high"),
           ("Malicious.Website", "webfilter", "high"), ("W32/Agent.AGEN!tr", "virus", "high"),
           ("Phishing.URL", "webfilter", "medium"), ("SSH.Brute.Force", "ips", "medium"),
           ("HTTP.URI.SQL.Injection", "ips", "high"), ("Adware/Agent", "virus", "low"))
POLICIES = ((46, "Internet_Access"), (12, "Guest_WiFi"), (7, "DMZ_Web"), (31, "VPN_Users"),
            (55, "Servers_Out"), (3, "LAN_to_DC"), (18, "Branch_to_HQ"), (60, "Deny_All_Log"))


def _catalogue(rng, pool, count):
    """count (entry, cycle) pairs from pool in a shuffled order; cycle > 0 once the pool is used up."""
    order = list(pool)
    rng.shuffle(order)
    return [(order[index % len(order)], index // len(order)) for index in range(count)]


def _label(name, cycle):
    """A pool name, made unique on repeats: 'YouTube', 'YouTube-2', ..."""
    return "%s-%d" % (name, cycle + 1) if cycle else name


def _addresses(rng, count, prefixes):
    """count distinct addresses under the given /16 prefixes (e.g. '10.0', '192.168')."""
    picks = rng.sample(range(len(prefixes) * 254 * 254), count)
    result = []
    for pick in picks:
        prefix = prefixes[pick // (254 * 254)]
        rest = pick % (254 * 254)
        result.append("%s.%d.%d" % (prefix, rest // 254 + 1, rest % 254 + 1))
    return result


def _traffic(rng):
    total = rng.randint(8 * MB, 4 * GB)
    return {"sessions": rng.randint(40, 9500), "bytes": total, "bandwidth": total // rng.randint(40, 52)}


def _hostname(rng):
    return "%s-%s%02d" % (rng.choice(HOST_KINDS), rng.choice(DEPARTMENTS), rng.randint(1, 60))


def _gen_sources(rng, count):
    rows = []
    for address in _addresses(rng, count, ("10.0", "10.1", "172.16", "192.168")):
        row = {"srcip": address, "hostname": _hostname(rng)}
        row.update(_traffic(rng))
        row.update(country="Reserved", threatweight=rng.choice((0, 0, 0, 5, 10, 30, 50)))
        rows.append(row)
    return rows


def _gen_destinations(rng, count):
    rows = []
    for address in _addresses(rng, count, ("203.0", "198.51", "192.0")):
        row = {"dstip": address, "hostname": rng.choice(DOMAINS)}
        row.update(_traffic(rng))
        row["country"] = rng.choice(COUNTRIES)
        rows.append(row)
    return rows


def _gen_applications(rng, count, pool=APPLICATIONS):
    rows = []
    for (app, category), cycle in _catalogue(rng, pool, count):
        policyid, policyname = rng.choice(POLICIES[:4])
        row = {"app": _label(app, cycle), "appcat": category}
        row.update(_traffic(rng))
        row.update(policyid=policyid, policyname=policyname, users=rng.randint(1, 400))
        rows.append(row)
    return rows


def _gen_cloud_applications(rng, count):
    return _gen_applications(rng, count, CLOUD_APPLICATIONS)


def _gen_websites(rng, count):
    rows = []
    for (hostname, category), cycle in _catalogue(rng, WEBSITES, count):
        row = {"hostname": _label(hostname, cycle), "catdesc": category}
        row.update(_traffic(rng))
        rows.append(row)
    return rows


def _gen_threats(rng, count):
    rows = []
    for (threat, kind, level), cycle in _catalogue(rng, THREATS, count):
        rows.append({"threat": _label(threat, cycle), "threattype": kind, "threatlevel": level,
                     "incidents": rng.randint(1, 900), "threatweight": rng.choice((10, 30, 50))})
    return rows


def _gen_countries(rng, count):
    rows = []
    for country, cycle in _catalogue(rng, COUNTRIES, count):
        row = {"country": _label(country, cycle)}
        row.update(_traffic(rng))
        rows.append(row)
    return rows


def _gen_tunnels(rng, count):
    rows = []
    for index, gateway in enumerate(_addresses(rng, count, ("203.0", "198.51"))):
        inbound, outbound = rng.randint(MB, 2 * GB), rng.randint(MB, 2 * GB)
        rows.append({"tunnel": "VPN-HQ-BRANCH%02d" % (index + 1), "remote_gw": gateway, "status": "up",
                     "bytes_in": inbound, "bytes_out": outbound, "bytes": inbound + outbound})
    return rows


def _gen_policy_hits(rng, count):
    rows = []
    for (policyid, policyname), cycle in _catalogue(rng, POLICIES, count):
        rows.append({"policyid": policyid + 1000 * cycle, "policyname": _label(policyname, cycle),
                     "hits": rng.randint(10, 250000),
                     "bytes": rng.randint(MB, 8 * GB),
                     "last_used": format_date(DATA_EPOCH + rng.randint(0, 86399))})
    return rows


def _gen_policy_line(rng, count):
    policyid, policyname = rng.choice(POLICIES)
    rows = []
    for hour in range(count):
        row = {"timestamp": format_date(DATA_EPOCH + 3600 * hour), "policyid": policyid, "policyname": policyname}
        row.update(_traffic(rng))
        rows.append(row)
    return rows


class ViewSpec:
    """What one FortiView view returns: rows key and fields per shape, filters, default order."""

    def __init__(self, name, rows_key, generator, seed_fields, real_fields, sort=("bytes", True), filters=None):
        self.name = name
        self.rows_key = rows_key
        self.generator = generator
        self.seed_fields = seed_fields
        self.real_fields = real_fields  # (real name, fact name) pairs
        self.sort = sort  # (fact name, descending)
        self.filters = filters  # accepted filter fields; None: not measured, anything goes

    def seed_row(self, facts):
        """A row as the seed documents show it."""
        return {name: facts.get(name, 0) for name in self.seed_fields}

    def real_row(self, facts):
        """A row with the field names of a real apiver-3 appliance (bandwidth in bytes)."""
        return {real: facts.get(fact, 0) for real, fact in self.real_fields}

    def fact_name(self, field):
        """The fact behind a field named in either shape, or None."""
        if not isinstance(field, str):
            return None
        if field in self.seed_fields:
            return field
        return dict(self.real_fields).get(field)


TRAFFIC_SEED = ("sessions", "bytes", "bandwidth")
TRAFFIC_REAL = (("bandwidth", "bytes"), ("sessions", "sessions"))

VIEWS = {spec.name: spec for spec in (
    ViewSpec("top-sources", "sources", _gen_sources,
             ("srcip", "hostname") + TRAFFIC_SEED + ("country",),
             (("srcip", "srcip"), ("srcip_hostname", "hostname")) + TRAFFIC_REAL + (("threatweight", "threatweight"),),
             filters=frozenset(["srcip"])),
    ViewSpec("top-destinations", "destinations", _gen_destinations,
             ("dstip", "hostname") + TRAFFIC_SEED + ("country",),
             (("dstip", "dstip"), ("dstip_hostname", "hostname")) + TRAFFIC_REAL + (("dstcountry", "country"),),
             filters=frozenset(["dstip"])),
    ViewSpec("top-applications", "applications", _gen_applications,
             ("app", "appcat") + TRAFFIC_SEED + ("policyid", "policyname"),
             (("app_group", "app"), ("appcat", "appcat")) + TRAFFIC_REAL + (("policyid", "policyid"),)),
    ViewSpec("top-websites", "websites", _gen_websites,
             ("hostname", "catdesc") + TRAFFIC_SEED,
             (("hostname", "hostname"), ("catdesc", "catdesc")) + TRAFFIC_REAL),
    ViewSpec("top-threats", "threats", _gen_threats,
             ("threat", "threattype", "threatlevel", "incidents"),
             (("threat", "threat"), ("threattype", "threattype"), ("threatlevel", "threatlevel"),
              ("incidents", "incidents"), ("threatweight", "threatweight")),
             sort=("incidents", True), filters=frozenset(["threat"])),
    ViewSpec("top-cloud-applications", "cloud_applications", _gen_cloud_applications,
             ("app", "appcat", "users") + TRAFFIC_SEED,
             (("app_group", "app"), ("appcat", "appcat"), ("users", "users")) + TRAFFIC_REAL),
    ViewSpec("top-countries", "countries", _gen_countries,
             ("country",) + TRAFFIC_SEED,
             (("dstcountry", "country"),) + TRAFFIC_REAL,
             filters=frozenset(["dstcountry"])),
    ViewSpec("site-to-site-ipsec", "tunnels", _gen_tunnels,
             ("tunnel", "remote_gw", "status", "bytes_in", "bytes_out"),
             (("vpn_tunnel", "tunnel"), ("remip", "remote_gw"), ("tunnel_status", "status"),
              ("traffic_in", "bytes_in"), ("traffic_out", "bytes_out"), ("bandwidth", "bytes"))),
    ViewSpec("policy-hits", "policies", _gen_policy_hits,
             ("policyid", "policyname", "hits", "bytes", "last_used"),
             (("policyid", "policyid"), ("policyname", "policyname"), ("counts", "hits"),
              ("bandwidth", "bytes"), ("last_used", "last_used")),
             sort=("hits", True), filters=frozenset(["policyid"])),
    ViewSpec("policy-line", "timeline", _gen_policy_line,
             ("timestamp", "policyid", "policyname") + TRAFFIC_SEED,
             (("timestamp", "timestamp"), ("policyid", "policyid")) + TRAFFIC_REAL,
             sort=("timestamp", False)),
)}

FILTER_SPLIT = re.compile(r"\s+(?:and|or)\s+|&&|\|\|", re.IGNORECASE)
FILTER_TERM = re.compile(r"^[\s(!]*([A-Za-z_][A-Za-z0-9_]*)\s*(?:==|!=|=~|!~|>=|<=|=|>|<|~)")


def filter_fields(expression):
    """The field names a FortiView filter uses; ValueError names a term that is not 'field op value'."""
    fields = []
    for term in FILTER_SPLIT.split(expression):
        if not term.strip():
            continue
        match = FILTER_TERM.match(term)
        if not match:
            raise ValueError(term.strip())
        fields.append(match.group(1))
    return fields


# ---------------------------------------------------------------------------------------------
# Tasks and sessions
# ---------------------------------------------------------------------------------------------

# Rows a query's population holds, of which a task returns its top `limit`.
QUERY_POPULATION = 60


class FazTask:
    """One FortiView task: runs for `duration` seconds, then is done (or failed) with its rows."""

    def __init__(self, tid, view, adom, created, duration, **options):
        self.tid = tid
        self.view = view
        self.adom = adom
        self.created = created
        self.duration = duration
        self.limit = options.get("limit", DEFAULT_LIMIT)
        self.sort = options.get("sort")  # (fact name, descending) or None for the view's order
        self.outcome = options.get("outcome", "done")  # done | error | running (never finishes)
        self.stuck_percentage = options.get("percentage", STUCK_PERCENTAGE)
        self.permanent = options.get("permanent", False)
        self.seed_result = options.get("seed_result")  # the seed document's `result`, served verbatim
        # Tasks made by `add` rank one population per query (view, ADOM, period, devices, filter), as an
        # appliance ranks the same logs: top-N by bytes and top-N by sessions of one period agree.
        self.query = options.get("query")
        self._facts = options.get("facts")

    def progress(self, now):
        """(status, integer percentage) at monotonic time `now`."""
        if self.outcome == "running":
            return "running", self.stuck_percentage
        elapsed = now - self.created
        if elapsed >= self.duration:
            return ("error" if self.outcome == "error" else "done"), 100
        return "running", min(99, int(100 * elapsed / self.duration))

    def expired(self, now, ttl):
        """True once a finished task has outlived its time to live."""
        if self.permanent or self.outcome == "running":
            return False
        return now >= self.created + self.duration + ttl

    def facts(self):
        """The task's rows (generated once, deterministic per tid)."""
        if self._facts is None:
            spec = VIEWS[self.view]
            if self.query is not None:
                rows = spec.generator(seeded_rng("faz-query", self.query), max(self.limit, QUERY_POPULATION))
            else:
                rows = spec.generator(seeded_rng("faz", self.tid, self.view), self.limit)
            field, descending = self.sort or spec.sort
            rows.sort(key=lambda row: row.get(field, 0), reverse=descending)
            self._facts = rows[:self.limit]
        return self._facts


class _Session:
    """A logged-in admin session."""

    def __init__(self, user, now):
        self.user = user
        self.last_used = now


class _Call:
    """One parsed request, and how to wrap answers to it in each shape."""

    def __init__(self, request, profile):
        self.request = request
        self.profile = profile
        self.shape = profile.shape
        self.auth = "none"
        self.log_extra = {}  # request details worth logging (no secrets), merged into the log entry
        params = request.get("params")
        if not isinstance(params, list) or not params or not isinstance(params[0], dict):
            raise RpcError(INVALID_REQUEST, "Invalid Request: params must be a non-empty list of objects")
        self.params = params[0]
        self.method = request["method"]
        self.url = self.params.get("url")
        if not isinstance(self.url, str):
            raise RpcError(INVALID_REQUEST, "Invalid Request: params[0].url must be a string")
        self.url = AUTH_URL_ALIASES.get(self.url, self.url)
        if self.method not in KNOWN_METHODS:
            raise RpcError(METHOD_NOT_FOUND, "Method not found")

    @property
    def fortiview(self):
        """FortiView calls answer in the configured shape; /sys calls always in the legacy one."""
        return self.url.startswith("/fortiview/")


def _status(code, message):
    return {"code": code, "message": message}


# ---------------------------------------------------------------------------------------------
# The appliance
# ---------------------------------------------------------------------------------------------

class FortiAnalyzer:
    """State and request handling of the simulated FortiAnalyzer; every public method is thread safe."""

    def __init__(self, settings, clock=time.monotonic):
        self._settings = settings
        self._clock = clock
        self._lock = threading.Lock()
        self._recorder = Recorder(("requests", "logins", "login_failures", "logouts", "tasks_created",
                                   "cap_refusals", "peak_sessions"))
        self._sessions = {}
        self._tasks = {}
        self._next_tid = FIRST_TID
        self.logsearch = LogSearch(settings, clock)  # log search: faz_logsearch.py
        self.reports = FazReports(settings, clock)  # report runs: reports.py
        self.reset()

    # -- control ---------------------------------------------------------------------------

    def reset(self):
        """Counters, log, sessions and created tasks cleared; the seed tasks are back."""
        with self._lock:
            self._recorder.clear()
            self._sessions = {}
            self._tasks = {}
            self._next_tid = FIRST_TID
            for task in self._seed_tasks():
                self._tasks[task.tid] = task
            self.logsearch.reset()
            self.reports.reset()

    def _seed_tasks(self):
        now = self._clock()
        for view, tid, running_tid, percentage in (("top-sources", 12450, 12451, 65),
                                                   ("top-applications", 12455, 12456, 72)):
            result = load_fixture("faz_%s_%d.response.json" % (view.replace("-", "_"), tid))["result"]
            facts = result[0]["data"][VIEWS[view].rows_key]
            yield FazTask(tid, view, "root", now, 0, permanent=True, seed_result=result, facts=facts)
            yield FazTask(running_tid, view, "root", now, 0, permanent=True, outcome="running", percentage=percentage)

    def counters(self):
        """requests, logins, login_failures, logouts, tasks_created, cap_refusals, peak_sessions, open_sessions,
        by_method."""
        with self._lock:
            self._purge_sessions(self._clock())
            counts = dict(self.logsearch.counters(), **self.reports.counters())
            return self._recorder.report(open_sessions=len(self._sessions), **counts)

    def log(self):
        """The requests so far: method, url, auth kind and answer code (no secrets)."""
        with self._lock:
            return [dict(entry) for entry in self._recorder.entries]

    def expire_sessions(self):
        """Every session expires now (a later call with it answers -11)."""
        with self._lock:
            self._sessions = {}

    def create_task(self, view="top-sources", adom="root", duration=None, rows=None, status=None, percentage=None):
        """A task made by a test. rows: a count or a list of rows (seed field names); returns the tid."""
        spec = VIEWS.get(view)
        if spec is None:
            raise ValueError("unknown view %r" % (view,))
        if not isinstance(adom, str) or not adom:
            raise ValueError("adom must be a non-empty string")
        options = _control_task_options(rows, status, percentage)
        with self._lock:
            if duration is None:
                duration = self._settings.get("faz_task_duration")
            if not isinstance(duration, (int, float)) or isinstance(duration, bool) or duration < 0:
                raise ValueError("duration must be a number >= 0")
            if status == "done":
                duration = 0
            return self._add_task(spec.name, adom, duration, **options).tid

    # -- JSON-RPC ----------------------------------------------------------------------------

    def handle(self, raw, authorization, fault=None):
        """Answer one POST /jsonrpc body; `authorization` is the Authorization header or None.

        `fault` names a processed fault (docs/simulator.md) to note in the log; "expire_session"
        first ends the request's session.
        """
        with self._lock:
            now = self._clock()
            self._recorder.bump("requests")
            always_http = self._settings.get("faz_always_http")
            if always_http is not None:
                self._record_unprocessed(raw, authorization, always_http, None)
                return http_error_reply(always_http)
            if fault == "expire_session":
                session_id = _session_of(raw)
                if session_id is not None:
                    self._sessions.pop(session_id, None)
            entry = {"method": None, "url": None, "auth": "none", "code": None}
            if fault is not None:
                entry["fault"] = fault
            profile = profiles.current(self._settings)
            body, entry["code"] = self._answer(raw, authorization, now, profile, entry)
            self._recorder.record(entry)
            return body if isinstance(body, Reply) else json_reply(body)

    def record_unprocessed(self, raw, authorization, http_status, fault):
        """Count and log a request a fault answered in the appliance's place."""
        with self._lock:
            self._recorder.bump("requests")
            self._record_unprocessed(raw, authorization, http_status, fault)

    def _record_unprocessed(self, raw, authorization, http_status, fault):
        method, url = peek(raw)
        if _bearer_token(authorization) is not None:
            auth = "bearer"
        else:
            auth = "session" if _session_of(raw) is not None else "none"
        entry = {"method": method, "url": url, "auth": auth, "code": None, "http_status": http_status}
        if fault is not None:
            entry["fault"] = fault
        self._recorder.record(entry)

    def _answer(self, raw, authorization, now, profile, entry):
        request, call = {}, None
        try:
            request = parse_rpc_object(raw)
            entry["method"] = request["method"]
            self._recorder.count_method(request["method"])
            call = _Call(request, profile)
            entry["url"] = call.url
            return self._route(call, authorization, now)
        except RpcError as err:
            return self._error_body(request, call, profile, err.code, err.message, err.message), err.code
        except FazError as err:
            return self._error_body(request, call, profile, err.code, err.message, err.real_message), err.code
        finally:
            entry["auth"] = call.auth if call else "none"
            if call is not None:
                entry.update(call.log_extra)

    @staticmethod
    def _error_body(request, call, profile, code, message, real_message):
        if call is not None and not call.fortiview:
            return _legacy(request, [{"status": _status(code, message), "url": call.url}])
        return profile.error(request, code, message, real_message)

    def _route(self, call, authorization, now):
        if call.method == "exec" and call.url == LOGIN_URL:
            return self._login(call, now)
        bearer = _bearer_token(authorization)
        if call.method == "exec" and call.url == LOGOUT_URL:
            return self._logout(call, bearer, now)
        always = self._settings.get("faz_always_code")
        if always is not None:
            call.auth = "bearer" if bearer is not None else ("session" if call.request.get("session") else "none")
            raise FazError((always, KNOWN_STATUSES.get(always, "Simulated error")))
        match = FORTIVIEW_URL.match(call.url)
        user = self._authenticate(call, bearer, now)
        if call.url.startswith("/report/"):
            answer = self.reports.route(call, ADOMS, _legacy, _status(*OK_STATUS))
            if answer is None or answer[0] == "error":
                raise FazError(answer[1] if answer else INVALID_URL)
            return answer
        if call.url.startswith(LOGVIEW_PREFIX):
            return self.logsearch.route(call, user, now, denied=user in FORTIVIEW_DENIED)
        adom = ADOM_URL.match(call.url)
        if adom and call.method == "get":
            return self._adom(call, adom.group(1)), 0
        if not match:
            raise FazError(INVALID_URL)
        if user in FORTIVIEW_DENIED:
            raise FazError(NO_PERMISSION)
        return self._fortiview(call, match, now)

    # -- authentication ----------------------------------------------------------------------

    def _login(self, call, now):
        data = call.params.get("data")
        user = data.get("user") if isinstance(data, dict) else None
        password = data.get("passwd") if isinstance(data, dict) else None
        if not isinstance(user, str) or not isinstance(password, str) or USERS.get(user) != password:
            self._recorder.bump("login_failures")
            raise FazError(call.profile.bad_password or LOGIN_FAIL)
        if user in NO_RPC:
            self._recorder.bump("login_failures")
            raise FazError(NO_PERMISSION)
        self._purge_sessions(now)
        open_for_user = sum(1 for session in self._sessions.values() if session.user == user)
        if open_for_user >= self._settings.get("faz_session_cap"):
            self._recorder.bump("login_failures")
            self._recorder.bump("cap_refusals")
            raise FazError(SESSION_CAP)
        session_id = base64.b64encode(os.urandom(32)).decode("ascii")
        self._sessions[session_id] = _Session(user, now)
        self._recorder.bump("logins")
        counts = self._recorder.counts
        counts["peak_sessions"] = max(counts["peak_sessions"], open_for_user + 1)
        return _legacy(call.request, [{"status": _status(*OK_STATUS), "url": LOGIN_URL}], session=session_id), 0

    def _logout(self, call, bearer, now):
        self._authenticate(call, bearer, now)
        if call.auth != "session":
            raise FazError(NO_PERMISSION)  # API keys have nothing to log out of
        del self._sessions[call.request["session"]]
        self._recorder.bump("logouts")
        return _legacy(call.request, [{"status": _status(*OK_STATUS), "url": LOGOUT_URL}]), 0

    def _authenticate(self, call, bearer, now):
        """The user behind the call, or -11: bad key, key plus session, no or dead session."""
        session_id = call.request.get("session")
        if bearer is not None:
            call.auth = "bearer"
            if session_id is not None:
                raise FazError(NO_PERMISSION)
            if bearer != API_KEY:
                raise FazError(call.profile.bad_key or NO_PERMISSION)  # firmware: -22 "Login fail" in an HTTP 200
            return API_KEY_USER
        if session_id is None:
            raise FazError(NO_PERMISSION)
        call.auth = "session"
        self._purge_sessions(now)
        session = self._sessions.get(session_id) if isinstance(session_id, str) else None
        if session is None:
            raise FazError(call.profile.dead_session or NO_PERMISSION)
        session.last_used = now
        return session.user

    def _purge_sessions(self, now):
        idle = self._settings.get("faz_session_idle")
        for session_id in [sid for sid, session in self._sessions.items() if now - session.last_used > idle]:
            del self._sessions[session_id]

    def _adom(self, call, name):
        """``get /dvmdb/adom/<name>``: the ADOM's object, or -3 when there is no such ADOM."""
        if name not in ADOMS and all(task.adom != name for task in self._tasks.values()):
            raise FazError(NO_OBJECT)
        return _legacy(call.request, [{"data": {"name": name, "desc": "", "state": 1}, "status": _status(*OK_STATUS),
                                       "url": call.url}])

    # -- FortiView -----------------------------------------------------------------------------

    def _fortiview(self, call, match, now):
        adom, view, tid = match.groups()
        spec = VIEWS.get(view)
        if spec is None:
            raise FazError(INVALID_URL, "Cannot find FortiView '%s'" % view)
        if call.method == "add" and tid is None:
            return self._run(call, spec, adom, now)
        if call.method in ("get", "delete") and tid is not None:
            task = self._live_task(tid, spec.name, adom, now, call.profile)
            if call.method == "get":
                return self._task_body(call, task, task_now(self._settings, task, now)), 0
            return self._cancel(call, task)
        raise FazError(INVALID_URL)

    def _run(self, call, spec, adom, now):
        call.log_extra = {"time_range": call.params.get("time-range"), "device": call.params.get("device")}
        options = _run_options(call.params, spec)
        problem = call.profile.check_time_range(call.params.get("time-range"))
        if problem:
            raise _invalid_params(problem)
        options["query"] = json.dumps([spec.name, adom, call.params.get("time-range"), call.params.get("device"),
                                       call.params.get("filter")], sort_keys=True, default=str)
        if call.profile.finds_nothing_for(call.params.get("device")):
            options["facts"] = []  # this firmware matches no device: an empty top-N, no error
        task = self._add_task(spec.name, adom, self._settings.get("faz_task_duration"), now=now, **options)
        self._recorder.bump("tasks_created")
        return call.profile.created(call.request, task.tid), 0

    def _add_task(self, view, adom, duration, now=None, **options):
        task = FazTask(self._next_tid, view, adom, self._clock() if now is None else now, duration, **options)
        self._tasks[task.tid] = task
        self._next_tid += 1
        return task

    def _live_task(self, tid_text, view, adom, now, profile):
        tid = int(tid_text) if tid_text.isdigit() else None
        task = self._tasks.get(tid)
        if task is not None and task.expired(now, self._settings.get("faz_task_ttl")):
            del self._tasks[tid]
            task = None
        if task is not None and (task.view != view or task.adom != adom) and profile.wrong_task:
            raise FazError(profile.wrong_task)  # the tid exists, but not under this view/ADOM
        if task is None or task.view != view or task.adom != adom:
            raise FazError(INVALID_TASK, "Invalid tid %s for fetching result." % tid_text)
        return task

    def _cancel(self, call, task):
        if not task.permanent:  # the seed tasks are always there
            del self._tasks[task.tid]
        return call.profile.cancelled(call.request, task.tid), 0

    @staticmethod
    def _task_body(call, task, now):
        state, percentage = task.progress(now)
        return call.profile.task_body(call.request, task, VIEWS[task.view], state, percentage)


def _session_of(raw):
    """The string `session` of a request body, or None; never raises."""
    try:
        request = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    session_id = request.get("session") if isinstance(request, dict) else None
    return session_id if isinstance(session_id, str) else None


def _bearer_token(authorization):
    """The key of an 'Authorization: Bearer KEY' header, or None."""
    parts = (authorization or "").split(None, 1)
    if len(parts) != 2 or parts[0].lower() != "bearer":
        return None
    return parts[1].strip()


def _invalid_params(what):
    return FazError((INVALID_PARAMS_CODE, "Invalid params: %s" % what))


def _run_options(params, spec):
    """limit, sort and a checked filter from the top level of params[0] of a FortiView `add`."""
    options = {}
    limit = params.get("limit", DEFAULT_LIMIT)
    if not is_int(limit) or not 1 <= limit <= MAX_ROWS:
        raise _invalid_params("limit must be an integer from 1 to %d" % MAX_ROWS)
    options["limit"] = limit
    for key in ("time-range",):
        if key in params and not isinstance(params[key], dict):
            raise _invalid_params("'%s' must be an object" % key)
    if "device" in params and not isinstance(params["device"], list):
        raise _invalid_params("'device' must be a list")
    _check_filter(params.get("filter"), spec)
    sort = _sort_option(params.get("sort-by"), spec)
    if sort:
        options["sort"] = sort
    return options


def _check_filter(expression, spec):
    """Filters are checked (field names per view, as measured on 7.6/8.0), not applied to the rows."""
    if expression is None or expression == "":
        return
    if not isinstance(expression, str):
        raise _invalid_params("'filter' must be a string")
    try:
        fields = filter_fields(expression)
    except ValueError as err:
        raise _invalid_params("filter '%s' not supported" % err)
    for field in fields:
        if spec.filters is not None and field not in spec.filters:
            raise _invalid_params("filter '%s' not supported" % field)


def _sort_option(sort_by, spec):
    """(fact, descending) from the first `sort-by` entry naming a known field, else None."""
    if sort_by is None:
        return None
    if not isinstance(sort_by, list) or not all(isinstance(item, dict) for item in sort_by):
        raise _invalid_params("'sort-by' must be a list of {field, order}")
    for item in sort_by:
        fact = spec.fact_name(item.get("field"))
        if fact:
            return fact, str(item.get("order", "desc")).lower() != "asc"
    return None


def _control_task_options(rows, status, percentage):
    """FazTask options for a task made through the control API."""
    options = {}
    if status not in (None, "done", "running", "error"):
        raise ValueError("status must be one of done, running, error")
    if status in ("running", "error"):
        options["outcome"] = status
    if percentage is not None:
        if not is_int(percentage) or not 0 <= percentage <= 99:
            raise ValueError("percentage must be an integer from 0 to 99")
        options["percentage"] = percentage
    if isinstance(rows, list):
        if not all(isinstance(row, dict) for row in rows):
            raise ValueError("rows must be a count or a list of objects")
        options["facts"] = [dict(row) for row in rows]
    elif rows is not None:
        if not is_int(rows) or not 0 <= rows <= MAX_ROWS:
            raise ValueError("rows must be an integer from 0 to %d" % MAX_ROWS)
        options["limit"] = rows
    return options
