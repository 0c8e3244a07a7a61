"""GravityZone JSON-RPC simulator: Basic auth, rate limits, getTaskStatus 1.1 and 1.0, scan tasks.

Pure logic: `GravityZone.handle(http_method, version, raw_body, authorization)` returns a `Reply`.
docs/simulator.md describes the behaviour. FOR TESTS ONLY.
"""

import base64
import math
import re
import threading
import time

from .common import (
    INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND, Recorder, RpcError, TokenBucket, format_date,
    is_int, json_reply, load_fixture, parse_date, parse_rpc_object, random_hex, seeded_rng, text_reply,
    task_now, valid_request_id,
)
from .faults import http_error_reply, peek
from .reports import GzReports

API_KEY = "simgzkey0123456789abcdef0123456789abcdef"
NOAPI_KEY = "simgzkeyNOAPI0123456789abcdef0123456789ab"

SEED_V11_TASK = "65f46d08c6d2865b32048ba3"
SEED_V10_TASK = "21a295eeb1a43d8b497b23b7"
BIG_TASK = "6500000000000000000f5000"
BIG_TASK_SUBTASKS = 5000
BIG_TASK_FAILURES = 37
BIG_TASK_START = 1765922400  # 2025-12-16T22:00:00Z

TASK_ID = re.compile(r"^[0-9a-fA-F]{24}$")
TASK_TYPES = frozenset([1, 7, 9, 10, 14, 15, 16, 17, 18, 19, 20])
PENDING, IN_PROGRESS, FINISHED = 1, 2, 3
DEFAULT_PAGE = 1
DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 1000
MAX_SUBTASKS = 10000
DEFAULT_DURATION = 4
TOO_MANY_REQUESTS = -32003  # unconfirmed code; the HTTP status 429 is what clients act on

# JSON-RPC methods and the path versions that serve them
METHOD_VERSIONS = {"getTaskStatus": ("1.0", "1.1"), "createScanTask": ("1.0", "1.1"), "getScanTasksList": ("1.0",)}
SCAN_TASK_TYPE = 1  # the getTaskStatus `type` of a scan task
SCAN_TYPES = {1: "Quick Scan", 2: "Full Scan", 3: "Memory Scan", 4: "Custom Scan"}
SCAN_PARAMS = ("targetIds", "type", "name", "customScanSettings", "returnAllTaskIds")
SCAN_LIST_PARAMS = ("name", "status", "page", "perPage")
MAX_SCAN_LIST_PER_PAGE = 100
DEAD_TARGET_SUFFIX = "dead"  # a createScanTask target whose id ends so fails its scan
DEAD_TARGET_FAILURE = ("3", "The endpoint went offline during the scan [3]")

FAILURES = (("1", "Endpoint client has lost connection with Security Server [1]"),
            ("3", "The endpoint went offline during the scan [3]"),
            ("5", "The scan was stopped by the user [5]"),
            ("7", "Not enough free disk space to complete the task [7]"),
            ("12", "The task timed out on the endpoint [12]"))
DEPARTMENTS = ("fin", "hr", "it", "ops", "dev", "sales", "legal", "mkt")
SERVER_ROLES = ("dc", "fs", "sql", "web", "app", "mail", "print")

RATE_LIMIT_PAGE = ("<!DOCTYPE html>\n<html><head><title>429 Too Many Requests</title></head>\n"
                   "<body><h1>Too Many Requests</h1><p>Request rate limit exceeded. Try again later.</p>"
                   "</body></html>\n")


def _invalid(details):
    return RpcError(INVALID_PARAMS, "Invalid params", details)


# ---------------------------------------------------------------------------------------------
# Endpoints, subtasks and tasks
# ---------------------------------------------------------------------------------------------

def _endpoint(rng):
    """A realistic endpoint: BEST agent (262), from Active Directory (260) or from AWS EC2 (265)."""
    endpoint_type = rng.choices((262, 260, 265), weights=(7, 2, 1))[0]
    if endpoint_type == 265:
        name = "i-" + random_hex(rng, 17)
    elif endpoint_type == 260:
        name = "srv-%s-%02d" % (rng.choice(SERVER_ROLES), rng.randint(1, 20))
    else:
        name = "%s-%s-%03d" % (rng.choice(("ws", "lt", "pc")), rng.choice(DEPARTMENTS), rng.randint(1, 400))
    return {"endpointId": random_hex(rng), "endpointName": name, "endpointType": endpoint_type}


def _subtask(endpoint, status, start=None, end=None, failure=None):
    """A subtask record in the seed's key order; dates only once they exist, error only on failure."""
    record = dict(endpoint)
    if start is not None:
        record["startDate"] = format_date(start)
    record["status"] = status
    if end is not None:
        record["endDate"] = format_date(end)
    if failure is not None:
        record["errorCode"], record["errorMessage"] = failure
    return record


def _people(rng):
    """Owner and company of a generated task."""
    owner = {"id": random_hex(rng), "userName": "secops@example.com"}
    company = {"id": random_hex(rng), "name": "Example Corp"}
    return owner, company


# gz_profile "sparse": targets a task names that no subtask accounts for.
SPARSE_TARGETS = 2


class GzTask:
    """A task with a fixed list of subtasks (the seed tasks and the 5,000-subtask task)."""

    def __init__(self, task_id, header, subtasks):
        self.task_id = task_id
        self.header = header  # name, startDate, status, type, owner, company (in that order)
        self._subtasks = subtasks

    def summary(self, now):
        """The task fields common to both versions."""
        return dict(self.header)

    def subtasks(self, now):
        """All subtask records (shared: callers must not change them)."""
        return self._subtasks


class TimedTask(GzTask):
    """A task made through the control API: each subtask pending, in progress, then finished."""

    def __init__(self, task_id, header, created, created_wall, plans):
        super().__init__(task_id, header, [])
        self.created = created
        self.created_wall = created_wall
        self.plans = plans  # (endpoint, start offset, end offset, failure or None)

    def summary(self, now):
        header = dict(self.header)
        statuses = [record["status"] for record in self.subtasks(now)]
        if all(status == FINISHED for status in statuses):
            header["status"] = FINISHED
        elif all(status == PENDING for status in statuses):
            header["status"] = PENDING
        else:
            header["status"] = IN_PROGRESS
        return header

    def subtasks(self, now):
        elapsed = now - self.created
        return [self._record(plan, elapsed) for plan in self.plans]

    def _record(self, plan, elapsed):
        endpoint, start, end, failure = plan
        if elapsed < start:
            return _subtask(endpoint, PENDING)
        if elapsed < end:
            return _subtask(endpoint, IN_PROGRESS, self.created_wall + start)
        return _subtask(endpoint, FINISHED, self.created_wall + start, self.created_wall + end, failure)


def _timing(rng, duration):
    """(start, end) offsets of a subtask of a task that runs `duration` seconds: start in the first 40 %."""
    start = duration * rng.uniform(0.0, 0.4)
    return start, start + (duration - start) * rng.uniform(0.3, 1.0)


def _new_header(rng, name, created_wall, task_type):
    """The header of a task made while the simulator runs."""
    owner, company = _people(rng)
    return {"name": name, "startDate": format_date(created_wall), "status": PENDING, "type": task_type,
            "owner": owner, "company": company}


def _big_task():
    """The finished task with 5,000 subtasks, 37 of them failed; built once."""
    rng = seeded_rng("gz", BIG_TASK)
    failed = set(rng.sample(range(BIG_TASK_SUBTASKS), BIG_TASK_FAILURES))
    subtasks = []
    for index in range(BIG_TASK_SUBTASKS):
        start = BIG_TASK_START + index // 10
        end = start + rng.randint(60, 1800)
        failure = rng.choice(FAILURES) if index in failed else None
        subtasks.append(_subtask(_endpoint(rng), FINISHED, start, end, failure))
    owner, company = _people(rng)
    header = {"name": "Full Scan 2025-12-16", "startDate": format_date(BIG_TASK_START), "status": FINISHED,
              "type": 1, "owner": owner, "company": company}
    return GzTask(BIG_TASK, header, subtasks)


def _seed_tasks():
    """The two seed tasks, built from the seed documents' responses."""
    v11 = load_fixture("gz_get_task_status_v1_1.response.json")["result"]
    v10 = load_fixture("gz_get_task_status_v1_0.response.json")["result"]
    rng = seeded_rng("gz", SEED_V10_TASK)
    pending = [_subtask(endpoint, PENDING) for endpoint in (_endpoint(rng), _endpoint(rng))]
    return (
        GzTask(SEED_V11_TASK, _header_of(v11), load_fixture("gz_task_%s.subtasks.json" % SEED_V11_TASK)),
        GzTask(SEED_V10_TASK, _header_of(v10), pending),
    )


def _header_of(result):
    return {key: result[key] for key in ("name", "startDate", "status", "type", "owner", "company")}


def _seed_answers():
    """taskId -> (version, params, result) of the seed documents' request/response pairs."""
    answers = {}
    for version, name in (("1.1", "gz_get_task_status_v1_1"), ("1.0", "gz_get_task_status_v1_0")):
        request = load_fixture(name + ".request.json")
        answers[request["params"]["taskId"]] = (version, request["params"], load_fixture(name + ".response.json")["result"])
    return answers


# ---------------------------------------------------------------------------------------------
# getTaskStatus parameters
# ---------------------------------------------------------------------------------------------

class TaskQuery:
    """Checked getTaskStatus parameters."""

    def __init__(self, params, version):
        if not isinstance(params, dict):
            raise _invalid("params must be an object")
        allowed = ("taskId",) if version == "1.0" else ("taskId", "options", "subtaskFilters")
        for key in params:
            if key not in allowed:
                raise _invalid("Unknown parameter '%s' for getTaskStatus %s" % (key, version))
        self.task_id = params.get("taskId")
        if not isinstance(self.task_id, str) or not TASK_ID.match(self.task_id):
            raise _invalid("taskId must be a 24-character hexadecimal string")
        options = _sub_object(params, "options", ("returnSubtasks", "page", "perPage"))
        filters = _sub_object(params, "subtaskFilters", ("status", "endedAfter", "endedBefore"))
        self.return_subtasks = _checked(options, "returnSubtasks", False, lambda value: isinstance(value, bool),
                                        "options.returnSubtasks must be true or false")
        self.page = _checked(options, "page", DEFAULT_PAGE, lambda value: is_int(value) and value >= 1,
                             "options.page must be an integer >= 1")
        self.per_page = _checked(options, "perPage", DEFAULT_PER_PAGE,
                                 lambda value: is_int(value) and 1 <= value <= MAX_PER_PAGE,
                                 "options.perPage must be an integer from 1 to %d" % MAX_PER_PAGE)
        self.status = _checked(filters, "status", None, lambda value: is_int(value) and value in (1, 2, 3),
                               "subtaskFilters.status must be 1, 2 or 3")
        self.ended_after = _date_filter(filters, "endedAfter")
        self.ended_before = _date_filter(filters, "endedBefore")
        self.filters = dict(filters)

    @property
    def filtered(self):
        """True if any subtask filter is set."""
        return self.status is not None or self.ended_after is not None or self.ended_before is not None

    def matches(self, record):
        """Filters are inclusive; a date filter leaves out subtasks that have not ended."""
        if self.status is not None and record["status"] != self.status:
            return False
        if self.ended_after is None and self.ended_before is None:
            return True
        end = record.get("endDate")
        if end is None:
            return False
        # same fixed-width format on both sides, so text order is time order
        return (self.ended_after is None or end >= self.ended_after) and \
            (self.ended_before is None or end <= self.ended_before)

    def log_fields(self):
        """What the request log keeps of the query."""
        return {"taskId": self.task_id, "page": self.page, "perPage": self.per_page,
                "returnSubtasks": self.return_subtasks, "filters": self.filters or None}


class ScanRequest:
    """Checked createScanTask parameters."""

    def __init__(self, params):
        if not isinstance(params, dict):
            raise _invalid("params must be an object")
        for key in params:
            if key not in SCAN_PARAMS:
                raise _invalid("Unknown parameter '%s' for createScanTask" % key)
        targets = params.get("targetIds")
        if not isinstance(targets, list) or not targets or \
                not all(isinstance(target, str) and TASK_ID.match(target) for target in targets):
            raise _invalid("targetIds must be a non-empty list of 24-character hexadecimal ids")
        if len(targets) > MAX_SUBTASKS:
            raise _invalid("targetIds may hold at most %d ids" % MAX_SUBTASKS)
        self.targets = list(dict.fromkeys(target.lower() for target in targets))  # each target once, in order
        self.scan_type = params.get("type")
        if not is_int(self.scan_type) or self.scan_type not in SCAN_TYPES:
            raise _invalid("type must be 1 (quick), 2 (full), 3 (memory) or 4 (custom)")
        self.name = _checked(params, "name", None, lambda value: isinstance(value, str) and value.strip(),
                             "name must be a non-empty string")
        self.return_all_task_ids = _checked(params, "returnAllTaskIds", False, lambda value: isinstance(value, bool),
                                            "returnAllTaskIds must be true or false")
        settings = params.get("customScanSettings")
        if self.scan_type == 4:
            _check_custom_settings(settings)
        elif settings is not None and not isinstance(settings, dict):
            raise _invalid("customScanSettings must be an object")

    def log_fields(self):
        """What the request log keeps of the call."""
        return {"scanType": self.scan_type, "targets": len(self.targets)}


def _check_custom_settings(settings):
    if not isinstance(settings, dict):
        raise _invalid("customScanSettings is required with type 4 (custom)")
    depth = settings.get("scanDepth")
    if not is_int(depth) or not 1 <= depth <= 3:
        raise _invalid("customScanSettings.scanDepth must be 1 (aggressive), 2 (normal) or 3 (permissive)")
    paths = settings.get("scanPath")
    if not isinstance(paths, list) or not paths or not all(isinstance(path, str) and path for path in paths):
        raise _invalid("customScanSettings.scanPath must be a non-empty list of paths")


class ScanListQuery:
    """Checked getScanTasksList parameters."""

    def __init__(self, params):
        params = {} if params is None else params
        if not isinstance(params, dict):
            raise _invalid("params must be an object")
        for key in params:
            if key not in SCAN_LIST_PARAMS:
                raise _invalid("Unknown parameter '%s' for getScanTasksList" % key)
        self.name = _checked(params, "name", None, lambda value: isinstance(value, str),
                             "name must be a string")
        self.status = _checked(params, "status", None, lambda value: is_int(value) and value in (1, 2, 3),
                               "status must be 1, 2 or 3")
        self.page = _checked(params, "page", DEFAULT_PAGE, lambda value: is_int(value) and value >= 1,
                             "page must be an integer >= 1")
        self.per_page = _checked(params, "perPage", DEFAULT_PER_PAGE,
                                 lambda value: is_int(value) and 1 <= value <= MAX_SCAN_LIST_PER_PAGE,
                                 "perPage must be an integer from 1 to %d" % MAX_SCAN_LIST_PER_PAGE)

    def matches(self, summary):
        """Name: prefix match, or anywhere after a leading '*' (both ignore case); status: equal."""
        if self.status is not None and summary["status"] != self.status:
            return False
        if not self.name:
            return True
        name = summary["name"].lower()
        if self.name.startswith("*"):
            return self.name[1:].lower() in name
        return name.startswith(self.name.lower())

    def log_fields(self):
        """What the request log keeps of the query."""
        filters = {key: value for key, value in (("name", self.name), ("status", self.status)) if value is not None}
        return {"page": self.page, "perPage": self.per_page, "filters": filters or None}


def _sub_object(params, name, allowed):
    value = params.get(name, {})
    if not isinstance(value, dict):
        raise _invalid("%s must be an object" % name)
    for key in value:
        if key not in allowed:
            raise _invalid("Unknown field '%s' in %s" % (key, name))
    return value


def _checked(container, key, default, check, details):
    if key not in container:
        return default
    if not check(container[key]):
        raise _invalid(details)
    return container[key]


def _date_filter(filters, key):
    value = filters.get(key)
    if value is not None and parse_date(value) is None:
        raise _invalid("subtaskFilters.%s must be a date as YYYY-MM-DDTHH:MM:SS" % key)
    return value


# ---------------------------------------------------------------------------------------------
# The console
# ---------------------------------------------------------------------------------------------

class GravityZone:
    """State and request handling of the simulated GravityZone console; public methods are thread safe."""

    def __init__(self, settings, clock=time.monotonic, wall_clock=time.time):
        self._settings = settings
        self._clock = clock
        self._wall_clock = wall_clock
        self._lock = threading.Lock()
        self._recorder = Recorder(("requests", "rate_limited"))
        self._static = {task.task_id: task for task in _seed_tasks() + (_big_task(),)}
        self._seed_answers = _seed_answers()
        self._tasks = {}
        self._buckets = {}
        self._scan_buckets = {}
        self._created = 0
        self._scans_created = 0
        self.reports = GzReports(settings, clock)  # reports: reports.py
        self.reset()

    # -- control ---------------------------------------------------------------------------

    def reset(self):
        """Counters, log, rate buckets and created tasks cleared."""
        with self._lock:
            self._recorder.clear()
            self._tasks = dict(self._static)
            self._buckets = {}
            self._scan_buckets = {}
            self._created = 0
            self._scans_created = 0
            self.reports.reset()

    def counters(self):
        """requests, rate_limited, scan_tasks_created, by_method."""
        with self._lock:
            return self._recorder.report(scan_tasks_created=self._scans_created, **self.reports.counters())

    def log(self):
        """The requests so far (no keys)."""
        with self._lock:
            return [dict(entry) for entry in self._recorder.entries]

    def create_task(self, subtasks=3, duration=DEFAULT_DURATION, failures=0, type=1, name=None):
        """A task whose subtasks progress over `duration` seconds; `failures` of them fail. Returns its id."""
        _check_control_task(subtasks, duration, failures, type, name)
        with self._lock:
            self._created += 1
            rng = seeded_rng("gz-created", self._created)
            task_id = "66%06x%s" % (self._created, random_hex(rng, 16))
            created_wall = self._wall_clock()
            failed = set(rng.sample(range(subtasks), failures))
            plans = []
            for index in range(subtasks):
                start, end = _timing(rng, duration)
                plans.append((_endpoint(rng), start, end, rng.choice(FAILURES) if index in failed else None))
            header = _new_header(rng, name or "Quick Scan %s" % format_date(created_wall)[:10], created_wall, type)
            self._tasks[task_id] = TimedTask(task_id, header, self._clock(), created_wall, plans)
            return task_id

    def scan_tasks_created(self):
        """How many tasks createScanTask has made since the last reset."""
        with self._lock:
            return self._scans_created

    def _create_scan_task(self, scan, now):
        """The task of a checked createScanTask call (lock held); returns its id."""
        self._scans_created += 1
        rng = seeded_rng("gz-scan", self._scans_created)
        task_id = "67%06x%s" % (self._scans_created, random_hex(rng, 16))
        created_wall = self._wall_clock()
        duration = self._settings.get("gz_scan_duration")
        plans = []
        for target in scan.targets:
            start, end = _timing(rng, duration)
            endpoint = dict(_endpoint(seeded_rng("gz-target", target)), endpointId=target)
            failure = DEAD_TARGET_FAILURE if target.endswith(DEAD_TARGET_SUFFIX) else None
            plans.append((endpoint, start, end, failure))
        name = scan.name or "%s %s" % (SCAN_TYPES[scan.scan_type], format_date(created_wall)[:10])
        header = _new_header(rng, name, created_wall, SCAN_TASK_TYPE)
        self._tasks[task_id] = TimedTask(task_id, header, now, created_wall, plans)
        return task_id

    # -- HTTP and JSON-RPC -----------------------------------------------------------------------

    def handle(self, http_method, version, raw, authorization, fault=None, service="network", base_url=None):
        """Answer one request to /api/v{version}/jsonrpc/{service}; `fault` names a processed fault to log."""
        with self._lock:
            now = self._clock()
            self._recorder.bump("requests")
            entry = _log_entry(version, fault)
            reply = self._answer(http_method, version, raw, authorization, now, entry, service, base_url)
            entry["http_status"] = reply.status
            self._recorder.record(entry)
            return reply

    def download(self, query, authorization):
        """GET of a report instance (Basic auth with the API key, like the API)."""
        with self._lock:
            self._recorder.bump("requests")
            self._recorder.record({"method": "downloadReportZip", "version": None, "http_status": None})
            return self.reports.download(query, _basic_key(authorization) == API_KEY)

    def record_unprocessed(self, version, raw, http_status, fault):
        """Count and log a request a fault answered in the console's place."""
        with self._lock:
            self._recorder.bump("requests")
            entry = _log_entry(version, fault)
            entry["method"], entry["http_status"] = peek(raw)[0], http_status
            self._recorder.record(entry)

    def _answer(self, http_method, version, raw, authorization, now, entry, service="network", base_url=None):
        always_http = self._settings.get("gz_always_http")
        if always_http == 429:
            return self._rate_limited(1, style="plain")
        if always_http is not None:
            return http_error_reply(always_http)
        if http_method != "POST":
            return text_reply("Method Not Allowed\n", 405, headers={"Allow": "POST"})
        key = _basic_key(authorization)
        if key not in (API_KEY, NOAPI_KEY):
            return text_reply("Unauthorized\n", 401, headers={"WWW-Authenticate": 'Basic realm="GravityZone API"'})
        if key == NOAPI_KEY:
            return text_reply("Forbidden: the API is not enabled for this key\n", 403)
        if not self._take_token(key, now):
            self._recorder.bump("rate_limited")
            return self._rate_limited(self._settings.get("gz_retry_after"))
        return self._rpc(raw, version, key, now, entry, service, base_url)

    def _take_token(self, key, now):
        rate, burst = self._settings.get("gz_rate"), self._settings.get("gz_burst")
        if rate == 0:
            return True  # limiter off
        bucket = self._buckets.get(key)
        if bucket is None or (bucket.rate, bucket.burst) != (rate, burst):
            bucket = self._buckets[key] = TokenBucket(rate, burst, now)
        return bucket.take(now)

    def _take_scan_token(self, key, now):
        """None if createScanTask may run now, else the whole seconds until its bucket has a token."""
        per_minute = self._settings.get("gz_scan_rate_per_minute")
        if per_minute == 0:
            return None  # limiter off
        rate, burst = per_minute / 60.0, max(1, int(per_minute))
        bucket = self._scan_buckets.get(key)
        if bucket is None or (bucket.rate, bucket.burst) != (rate, burst):
            bucket = self._scan_buckets[key] = TokenBucket(rate, burst, now)
        if bucket.take(now):
            return None
        return max(1, int(math.ceil(bucket.seconds_until_token())))

    def _rate_limited(self, seconds, style=None):
        style = style or self._settings.get("gz_retry_after_style")
        headers = {}
        if style == "plain":
            headers["Retry-After"] = str(seconds)
        elif style == "duplicated":
            headers["Retry-After"] = "%d, %d" % (seconds, seconds)
        if self._settings.get("gz_429_body") == "html":
            return text_reply(RATE_LIMIT_PAGE, 429, "text/html; charset=utf-8", headers)
        error = {"code": TOO_MANY_REQUESTS, "message": "Too many requests",
                 "data": {"details": "Rate limit exceeded; retry after %d s" % seconds}}
        return json_reply({"id": None, "jsonrpc": "2.0", "error": error}, 429, headers)

    def _rpc(self, raw, version, key, now, entry, service="network", base_url=None):
        request = {}
        try:
            request = parse_rpc_object(raw)
            entry["method"] = request["method"]
            self._recorder.count_method(request["method"])
            if "id" in request and request["id"] is not None and valid_request_id(request) is None:
                raise RpcError(INVALID_REQUEST, "Invalid Request", "'id' must be a string, a number or null")
            if request["method"] == "createScanTask" and version in METHOD_VERSIONS["createScanTask"]:
                wait = self._take_scan_token(key, now)
                if wait is not None:
                    self._recorder.bump("rate_limited")
                    return self._rate_limited(wait)
            if service == "reports":
                result = self.reports.dispatch(request, version, base_url)
            else:
                result = self._dispatch(request, version, now, entry)
            return json_reply({"id": valid_request_id(request), "jsonrpc": "2.0", "result": result})
        except RpcError as err:
            error = {"code": err.code, "message": err.message}
            if err.details:
                error["data"] = {"details": err.details}
            return json_reply({"id": valid_request_id(request), "jsonrpc": "2.0", "error": error})

    def _dispatch(self, request, version, now, entry):
        method = request["method"]
        if method not in METHOD_VERSIONS:
            raise RpcError(METHOD_NOT_FOUND, "Method not found", "Unknown method '%s'" % method[:100])
        if version not in METHOD_VERSIONS[method]:
            raise RpcError(METHOD_NOT_FOUND, "Method not found", "%s is served at /v%s/jsonrpc/network"
                           % (method, METHOD_VERSIONS[method][0]))
        if method == "createScanTask":
            return self._scan(request.get("params"), now, entry)
        if method == "getScanTasksList":
            return self._scan_list(request.get("params"), now, entry)
        return self._get_task_status(request.get("params"), version, now, entry)

    def _scan(self, params, now, entry):
        scan = ScanRequest(params)
        entry.update(scan.log_fields())
        entry["taskId"] = self._create_scan_task(scan, now)
        if scan.return_all_task_ids and self._settings.get("gz_profile") != "legacy":
            return [entry["taskId"]]
        return True  # what consoles answer without returnAllTaskIds, and older ones always

    def _scan_list(self, params, now, entry):
        query = ScanListQuery(params)
        entry.update(query.log_fields())
        tasks = [task for task in self._tasks.values() if task.header["type"] == SCAN_TASK_TYPE]
        # newest first; among tasks started in the same second, the one made last first
        order = sorted(enumerate(tasks), key=lambda pair: (pair[1].header["startDate"], pair[0]), reverse=True)
        items = []
        for task in (pair[1] for pair in order):
            summary = task.summary(task_now(self._settings, task, now, advance=False))
            if query.matches(summary):
                items.append({"id": task.task_id, "name": summary["name"], "status": summary["status"],
                              "startDate": summary["startDate"]})
        first = (query.page - 1) * query.per_page
        return {"page": query.page, "pagesCount": -(-len(items) // query.per_page), "perPage": query.per_page,
                "total": len(items), "items": items[first:first + query.per_page]}

    def _get_task_status(self, params, version, now, entry):
        if isinstance(params, dict) and isinstance(params.get("taskId"), str):
            entry["taskId"] = params["taskId"][:64]
        query = TaskQuery(params, version)
        entry.update(query.log_fields())
        task = self._tasks.get(query.task_id.lower())
        if task is None:
            raise _invalid("The specified task does not exist")
        seed = self._seed_answers.get(task.task_id)
        if seed is not None and seed[:2] == (version, params):
            return seed[2]
        return self._task_status(task, query, version, task_now(self._settings, task, now))

    def _task_status(self, task, query, version, now):
        result = task.summary(now)
        if version == "1.0":
            return result
        records = task.subtasks(now)
        page = []
        if query.return_subtasks:
            matching = [record for record in records if query.matches(record)] if query.filtered else records
            first = (query.page - 1) * query.per_page
            page = matching[first:first + query.per_page]
            result["hasMoreSubtasks"] = query.page * query.per_page < len(matching)
        else:
            result["hasMoreSubtasks"] = False
        zero = self._settings.get("gz_pending_as_zero")
        result["subtasks"] = [dict(record, status=0) if zero and record["status"] == PENDING else record
                              for record in page]
        result["totalTargetsCount"] = len(records)
        if self._settings.get("gz_profile") == "sparse" and isinstance(task, TimedTask):
            # Bitdefender's own getTaskStatus example counts 5 targets beside 2 subtasks: here every task made
            # while the simulator runs names SPARSE_TARGETS more targets than it has subtasks (our assignment).
            result["totalTargetsCount"] += SPARSE_TARGETS
        return result


def _log_entry(version, fault):
    """A fresh request log entry; "fault" only on faulted requests."""
    entry = {"version": version, "method": None, "taskId": None, "page": None, "perPage": None,
             "returnSubtasks": None, "filters": None, "http_status": None}
    if fault is not None:
        entry["fault"] = fault
    return entry


def _basic_key(authorization):
    """The API key of 'Authorization: Basic base64(KEY:)' (empty password), or None."""
    parts = (authorization or "").split(None, 1)
    if len(parts) != 2 or parts[0].lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(parts[1].strip(), validate=True).decode("utf-8")
    except ValueError:  # binascii.Error and UnicodeDecodeError are ValueErrors
        return None
    key, separator, password = decoded.partition(":")
    if not separator or password:
        return None
    return key


def _check_control_task(subtasks, duration, failures, task_type, name):
    if not is_int(subtasks) or not 1 <= subtasks <= MAX_SUBTASKS:
        raise ValueError("subtasks must be an integer from 1 to %d" % MAX_SUBTASKS)
    if isinstance(duration, bool) or not isinstance(duration, (int, float)) or duration < 0:
        raise ValueError("duration must be a number >= 0")
    if not is_int(failures) or not 0 <= failures <= subtasks:
        raise ValueError("failures must be an integer from 0 to subtasks")
    if not is_int(task_type) or task_type not in TASK_TYPES:
        raise ValueError("type must be one of %s" % sorted(TASK_TYPES))
    if name is not None and not isinstance(name, str):
        raise ValueError("name must be a string")
