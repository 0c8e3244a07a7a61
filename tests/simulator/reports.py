"""Report flows of both simulated products: FortiAnalyzer report runs and GravityZone reports.

FortiAnalyzer (docs/appliance-behaviour.md, "Reports"): layouts under ``/report/adom/{adom}/config/layout``,
schedules under ``.../config/schedule``, ``add .../run`` answers a tid (a UUID, or a number with
``faz_report_tid: number``), ``get .../run/{tid}`` its state, ``get .../run`` the running ones (no
``result`` at all when none run, as a public client saw), ``get .../reports/state`` the generated ones,
``get .../reports/data/{tid}`` the file as base64 inside the JSON reply (a zip unless
``faz_report_zip: false``), ``delete .../reports/data/{tid}``. ``faz_report_needs_schedule`` refuses a
run of a layout without a schedule; ``faz_report_fail`` ends runs "failed".

GravityZone: ``createReport``, ``getDownloadLinks`` (``readyForDownload``, ``lastInstanceUrl``),
``getReportsList``, ``deleteReport`` on ``/api/v1.0/jsonrpc/reports``; the instance is a real HTTP
download of a zip at ``/api/v1.0/http/downloadReportZip`` (Basic auth, like the API).
``gz_report_link_host: other`` points the link at another host; ``gz_report_expired`` answers 404.

Bodies are streamed (``StreamReply``), so a report of hundreds of MB costs the simulator no memory;
``report_cut`` (a fraction) hangs up that far into a download's body.
"""

import base64
import hashlib
import io
import json
import re
import time
import uuid
import zipfile

from .common import RpcError, Reply, json_reply, random_hex, seeded_rng, text_reply

LAYOUTS = (
    {"layout-id": 10001, "title": "Security Analysis", "category": "Security", "is-template": 0,
     "description": "Threats, attacks and blocked traffic"},
    {"layout-id": 10002, "title": "Bandwidth and Applications Report", "category": "Network", "is-template": 0,
     "description": ""},
    {"layout-id": 10003, "title": "Weekly Summary", "category": "Summary", "is-template": 0, "description": ""},
    {"layout-id": 10004, "title": "Weekly Summary", "category": "Summary", "is-template": 0, "description": "copy"},
    {"layout-id": 9001, "title": "Template - Security Analysis", "category": "Security", "is-template": 1,
     "description": ""},
)
REPORT_URL = re.compile(r"^/report/adom/([^/]+)/(config/layout|config/schedule(?:/(\d+))?|run(?:/([^/]+))?|"
                        r"reports/state|reports/data/([^/]+))$")
B64_BLOCK = 3 * 65536  # bytes of report encoded per piece of a streamed reply
GZ_DOWNLOAD_PATH = "/api/v1.0/http/downloadReportZip"
GZ_METHODS = ("createReport", "getDownloadLinks", "getReportsList", "deleteReport")


class StreamReply(Reply):
    """A reply whose body is produced in pieces (``pieces()`` yields bytes, ``length`` in all)."""

    def __init__(self, pieces, length, status=200, content_type="application/json", cut=None):
        super().__init__(status=status, body=None, content_type=content_type)
        self.pieces = pieces
        self.length = length
        self.cut = cut  # hang up after this many body bytes

    def encode(self):
        return b"".join(self.pieces())


def report_bytes(seed, size, packed, text=False):
    """``(pieces, length, md5)`` of a simulated report: a zip (small reports) or plain bytes."""
    if packed:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            # A fixed member time: the same report is the same bytes, whenever it is fetched.
            for name, content in (("report.pdf", b"%PDF-1.4\n" + _block(seed, size)),
                                  ("report.csv", b"name,value\nsimulated,%d\n" % size)):
                archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), content,
                                 compress_type=zipfile.ZIP_DEFLATED)
        data = buffer.getvalue()
        return (lambda: iter([data])), len(data), hashlib.md5(data).hexdigest()
    digest = hashlib.md5()
    for piece in _plain(seed, size, text):
        digest.update(piece)
    return (lambda: _plain(seed, size, text)), size, digest.hexdigest()


def _block(seed, size):
    unit = hashlib.sha256(seed.encode()).digest() * 2048  # 64 KiB
    return (unit * (size // len(unit) + 1))[:size]


def _plain(seed, size, text=False):
    if text:  # CSV-like lines of text (what a uri chain can decode and copy without changing a byte)
        unit = ("%s,%s\n" % (hashlib.sha256(seed.encode()).hexdigest(), "x" * 62)).encode() * 1536  # 192 KiB
    else:
        unit = hashlib.sha256(seed.encode()).digest() * 6144  # 192 KiB, a multiple of 3
    sent = 0
    while sent < size:
        piece = unit[:min(len(unit), size - sent)]
        sent += len(piece)
        yield piece


def base64_pieces(pieces):
    rest = b""
    for piece in pieces():
        data = rest + piece
        usable = len(data) - len(data) % 3
        rest = data[usable:]
        if usable:
            yield base64.b64encode(data[:usable])
    if rest:
        yield base64.b64encode(rest)


class FazRun:
    def __init__(self, tid, layout, adom, created, wall, duration, fail, period):
        self.tid = tid
        self.layout = layout
        self.adom = adom
        self.created = created
        self.wall = wall
        self.duration = duration
        self.fail = fail
        self.period = period

    def state(self, now):
        elapsed = now - self.created
        if elapsed >= self.duration:
            return ("failed" if self.fail else "generated"), 100
        share = int(100 * elapsed / self.duration) if self.duration else 100
        return ("pending" if share < 10 else "running"), share

    def name(self):
        stamp = time.strftime("%Y-%m-%d-%H%M", time.gmtime(self.wall))
        return "%s-%s_%s" % (self.layout["title"], stamp, self.layout["layout-id"])

    def body(self, now):
        state, percent = self.state(now)
        body = {"tid": self.tid, "state": state, "percent": percent, "title": self.layout["title"],
                "layout-id": self.layout["layout-id"], "adom": self.adom,
                "start-time": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(self.wall))}
        if state in ("generated", "failed"):
            body["end-time"] = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(self.wall + self.duration))
            body["name"] = self.name()
        if state == "failed":
            body["message"] = "no data for the selected devices and period"
        return body


class FazReports:
    """Report runs of the simulated FortiAnalyzer; called with the FortiAnalyzer's lock held."""

    def __init__(self, settings, clock):
        self._settings = settings
        self._clock = clock
        self.reset()

    def reset(self):
        self.runs = {}
        self.schedules = set()
        self.created = 0
        self.deleted = 0
        self._next = 1

    def counters(self):
        return {"report_runs": self.created, "report_runs_open": len(self.runs), "reports_deleted": self.deleted}

    def route(self, call, adoms, legacy, status_ok):
        """(body or Reply, code) for a /report/ URL, or raises RpcError-like FazError through ``fail``."""
        match = REPORT_URL.match(call.url)
        if not match:
            return None
        adom, what, schedule_id, run_tid, data_tid = match.groups()
        if adom not in adoms:
            return ("error", (-3, "Object does not exist"))
        now = self._clock()
        request = call.request
        if what == "config/layout" and call.method == "get":
            return legacy(request, [{"data": [dict(layout) for layout in LAYOUTS], "status": status_ok,
                                     "url": call.url}]), 0
        if what.startswith("config/schedule"):
            if call.method == "get" and schedule_id is None:
                wanted = _filter_name(call.params.get("filter"))
                data = [{"name": name} for name in sorted(self.schedules) if wanted in (None, name)]
                return legacy(request, [{"data": data, "status": status_ok, "url": call.url}]), 0
            if call.method in ("set", "add") and schedule_id is not None:
                self.schedules.add(schedule_id)
                return legacy(request, [{"status": status_ok, "url": call.url}]), 0
        if what == "run" and call.method == "add":
            return self._start(call, adom, now)
        if what == "run" and call.method == "get":
            running = [run.body(now) for run in self.runs.values()
                       if run.adom == adom and run.state(now)[0] in ("pending", "running")]
            if not running:
                return {"id": request.get("id"), "jsonrpc": "2.0"}, 0  # no result at all (seen on real builds)
            return _object(request, {"data": running}), 0
        if run_tid is not None and call.method == "get":
            run = self.runs.get(run_tid)
            if run is None or run.adom != adom:
                return ("error", (-3, "Invalid tid"))
            return _object(request, run.body(now)), 0
        if what == "reports/state" and call.method == "get":
            data = [run.body(now) for run in self.runs.values() if run.adom == adom and run.state(now)[0] == "generated"]
            return _object(request, {"data": data}), 0
        if data_tid is not None:
            run = self.runs.get(data_tid)
            if run is None or run.adom != adom:
                return ("error", (-3, "Invalid tid"))
            if call.method == "delete":
                del self.runs[data_tid]
                self.deleted += 1
                return _object(request, {"status": {"code": 0, "message": "OK"}}), 0
            if call.method == "get":
                if run.state(now)[0] != "generated":
                    return ("error", (-1, "Report is not ready"))
                return self._data(request, run, call.params.get("format")), 0
        return ("error", (-6, "Invalid url"))

    def _start(self, call, adom, now):
        param = call.params.get("schedule-param")
        layout_id = param.get("layout-id") if isinstance(param, dict) else call.params.get("schedule")
        layout = next((item for item in LAYOUTS if str(item["layout-id"]) == str(layout_id)), None)
        if layout is None or layout["is-template"]:
            return ("error", (-10, "The data is invalid for selected url"))
        if self._settings.get("faz_report_needs_schedule") and str(layout["layout-id"]) not in self.schedules:
            return ("error", (-1, "No schedule for layout %s" % layout["layout-id"]))
        if self._settings.get("faz_report_tid") == "number":
            tid = str(20000 + self._next)
        else:
            tid = str(uuid.UUID(int=seeded_rng("faz-report", self._next).getrandbits(128)))
        self._next += 1
        period = (param.get("period-start"), param.get("period-end")) if isinstance(param, dict) else None
        self.runs[tid] = FazRun(tid, layout, adom, now, time.time(), self._settings.get("faz_report_duration"),
                                self._settings.get("faz_report_fail"), period)
        self.created += 1
        return _object(call.request, {"tid": tid if tid.count("-") else int(tid)}), 0

    def _data(self, request, run, report_format):
        packed = self._settings.get("faz_report_zip")
        seed = "%s|%s" % (run.layout["layout-id"], run.period)  # the same report has the same bytes
        pieces, length, md5 = report_bytes(seed, self._settings.get("faz_report_size"), packed,
                                           self._settings.get("faz_report_text"))
        head = json.dumps({"id": request.get("id"), "jsonrpc": "2.0", "result": {
            "name": "%s.%s" % (run.name(), "zip" if packed else str(report_format or "pdf").lower()),
            "data-type": "zip/base64" if packed else "base64", "checksum": md5, "data": "\u0000"}})
        before, after = head.split('"\\u0000"')
        encoded = 4 * -(-length // 3)
        prefix, suffix = (before + '"').encode(), ('"' + after).encode()

        def body():
            yield prefix
            yield from base64_pieces(pieces)
            yield suffix

        total = len(prefix) + encoded + len(suffix)
        cut = self._settings.get("report_cut")
        return StreamReply(body, total, cut=int(total * cut) if cut else None)


def _object(request, result):
    return {"id": request.get("id"), "jsonrpc": "2.0", "result": result}


def _filter_name(expression):
    if isinstance(expression, list) and len(expression) == 3 and expression[:2] == ["name", "=="]:
        return str(expression[2])
    return None


class GzReport:
    def __init__(self, report_id, name, type_number, targets, created, duration):
        self.report_id = report_id
        self.name = name
        self.type = type_number
        self.targets = targets
        self.created = created
        self.duration = duration

    def ready(self, now):
        return now - self.created >= self.duration


class GzReports:
    """Reports of the simulated GravityZone; called with the GravityZone's lock held."""

    KNOWN_TYPES = frozenset(range(1, 25)) | frozenset(range(29, 40))

    def __init__(self, settings, clock):
        self._settings = settings
        self._clock = clock
        self.reset()

    def reset(self):
        self.reports = {}
        self.created = 0
        self.deleted = 0
        self.downloads = 0
        self._rng = seeded_rng("gz-reports")

    def counters(self):
        return {"reports_created": self.created, "reports_open": len(self.reports), "reports_deleted": self.deleted,
                "report_downloads": self.downloads}

    def dispatch(self, request, version, base_url):
        method = request["method"]
        if method not in GZ_METHODS:
            raise RpcError(-32601, "Method not found", "Unknown method '%s'" % method[:100])
        if version != "1.0":
            raise RpcError(-32601, "Method not found", "%s is served at /v1.0/jsonrpc/reports" % method)
        params = request.get("params")
        if not isinstance(params, dict):
            raise RpcError(-32602, "Invalid params", "params must be an object")
        now = self._clock()
        if method == "createReport":
            return self._create(params, now)
        if method == "getReportsList":
            return self._list(params)
        report = self.reports.get(params.get("reportId")) if isinstance(params.get("reportId"), str) else None
        if report is None:
            raise RpcError(-32002, "Not found", "The report does not exist")
        if method == "deleteReport":
            del self.reports[report.report_id]
            self.deleted += 1
            return True
        if not report.ready(now):
            return {"readyForDownload": False}
        host = base_url
        if self._settings.get("gz_report_link_host") == "other":
            host = "https://reports.elsewhere.invalid:%s" % base_url.rsplit(":", 1)[-1]
        return {"readyForDownload": True,
                "lastInstanceUrl": "%s%s?reportId=%s&allInstances=0&serviceType=1" % (host, GZ_DOWNLOAD_PATH,
                                                                                      report.report_id)}

    def _create(self, params, now):
        name, number, targets = params.get("name"), params.get("type"), params.get("targetIds")
        if not isinstance(name, str) or not name:
            raise RpcError(-32602, "Invalid params", "name is required")
        if not isinstance(number, int) or isinstance(number, bool) or number not in self.KNOWN_TYPES:
            raise RpcError(-32602, "Invalid params", "Invalid report type: %r" % (number,))
        if not isinstance(targets, list) or not targets:
            raise RpcError(-32602, "Invalid params", "targetIds must be a non-empty list")
        report_id = random_hex(self._rng)
        self.reports[report_id] = GzReport(report_id, name, number, targets, now,
                                           self._settings.get("gz_report_duration"))
        self.created += 1
        return report_id

    def _list(self, params):
        per_page = params.get("perPage", 30)
        page = params.get("page", 1)
        items = [{"id": report.report_id, "name": report.name, "type": report.type, "occurrence": 1}
                 for report in self.reports.values()
                 if params.get("name") in (None, report.name) and params.get("type") in (None, report.type)]
        pages = max(1, -(-len(items) // per_page))
        return {"page": page, "pagesCount": pages, "perPage": per_page, "total": len(items),
                "items": items[(page - 1) * per_page:page * per_page]}

    def download(self, query, authorized):
        """GET of an instance: the zip, streamed."""
        if not authorized:
            return text_reply("Unauthorized\n", 401)
        wanted = re.search(r"reportId=([0-9a-f]{24})", query or "")
        report = self.reports.get(wanted.group(1)) if wanted else None
        if report is None or self._settings.get("gz_report_expired"):
            return text_reply("Not Found\n", 404)
        self.downloads += 1
        pieces, length, _md5 = report_bytes(report.report_id, self._settings.get("gz_report_size"), True)
        cut = self._settings.get("report_cut")
        return StreamReply(pieces, length, content_type="application/zip", cut=int(length * cut) if cut else None)


__all__ = ["FazReports", "GzReports", "StreamReply", "GZ_DOWNLOAD_PATH", "json_reply"]
