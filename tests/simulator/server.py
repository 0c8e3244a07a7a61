"""The simulator's HTTPS server: routing, the /_sim/ control API and the `Simulator` class.

One server on 127.0.0.1 speaks FortiAnalyzer (`POST /jsonrpc`) and GravityZone
(`/api/v1.1/jsonrpc/network`, `/api/v1.0/jsonrpc/network`). See docs/simulator.md. FOR TESTS ONLY.
"""

import json
import re
import socket
import struct
import sys
import threading
import time
import traceback
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .reports import GZ_DOWNLOAD_PATH, StreamReply
from .common import Settings, json_reply, text_reply
from .faults import FIELDS as FAULT_FIELDS, FaultInjector, fault_reply
from .faz import FortiAnalyzer
from .gz import GravityZone
from .tamper import ECHO_FIELDS, HOSTILE_FIELDS, ReplyTamper
from .replay import Replayer, load as load_transcript
from .tlsgen import ensure_tls_material, server_certificate, server_context

HOST = "127.0.0.1"  # never anything else: the simulator must not be reachable from outside
HANDSHAKE_TIMEOUT = 10
IDLE_TIMEOUT = 30
MAX_BODY = 1024 * 1024
GZ_PATH = re.compile(r"^/api/v(1\.[01])/jsonrpc/(network|reports)/?$")
FAZ_PATH = "/jsonrpc"
FAZ_TASK_FIELDS = ("view", "adom", "duration", "rows", "status", "percentage")
FAZ_LOGSEARCH_FIELDS = ("logtype", "adom", "rows", "duration", "start", "order", "filter", "percentage")
GZ_TASK_FIELDS = ("subtasks", "duration", "failures", "type", "name")
DRIP_STEP = 0.2  # seconds between the pieces of a slow_drip answer (at least)


class _BadRequest(Exception):
    """The HTTP request itself is unusable (body length); answered without reading on."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class Application:
    """Both products plus the control API, independent of the HTTP plumbing."""

    def __init__(self, settings):
        self.settings = settings
        self.faz = FortiAnalyzer(settings)
        self.gz = GravityZone(settings)
        self.faults = FaultInjector()
        self.tamper = ReplyTamper()
        self.replayer = None  # a Replayer while a recorded transcript is served back
        self._control = {
            ("GET", "/_sim/counters"): lambda query, body: self.counters(),
            ("GET", "/_sim/log"): lambda query, body: self.log(_query_value(query, "product")),
            ("GET", "/_sim/config"): lambda query, body: self.settings.snapshot(),
            ("POST", "/_sim/config"): lambda query, body: self.configure(**body),
            ("POST", "/_sim/reset"): lambda query, body: self.reset(),
            ("POST", "/_sim/faz/tasks"): lambda query, body: {"tid": self.faz_create_task(**_fields(body, FAZ_TASK_FIELDS))},
            ("POST", "/_sim/faz/expire-sessions"): lambda query, body: self.faz_expire_sessions(),
            ("POST", "/_sim/gz/tasks"): lambda query, body: {"taskId": self.gz_create_task(**_fields(body, GZ_TASK_FIELDS))},
            ("POST", "/_sim/faz/logsearches"): lambda query, body: {
                "tid": self.faz.logsearch.create(**_fields(body, FAZ_LOGSEARCH_FIELDS))},
            ("GET", "/_sim/faz/logsearches"): lambda query, body: {"open": self.faz.logsearch.open_tids()},
            ("POST", "/_sim/faz/logsearches/expire"): lambda query, body: self.faz.logsearch.expire_all(),
            ("GET", "/_sim/faults"): lambda query, body: self.faults.settings(),
            ("POST", "/_sim/faults"): lambda query, body: self.faults.configure(**_fields(body, FAULT_FIELDS)),
            ("DELETE", "/_sim/faults"): lambda query, body: self.faults.clear(),
            ("GET", "/_sim/tamper"): lambda query, body: dict(self.tamper.settings(), **self.tamper.report()),
            ("POST", "/_sim/echo"): lambda query, body: self.tamper.configure_echo(**_fields(body, ECHO_FIELDS)),
            ("POST", "/_sim/hostile"): lambda query, body: self.tamper.configure_hostile(**_fields(body, HOSTILE_FIELDS)),
            ("DELETE", "/_sim/tamper"): lambda query, body: self.tamper.reset() or self.tamper.settings(),
            ("POST", "/_sim/replay"): lambda query, body: self.replay(**_fields(body, ("entries", "path"))),
            ("GET", "/_sim/replay"): lambda query, body: self.replay_status(),
            ("DELETE", "/_sim/replay"): lambda query, body: self.stop_replay(),
        }

    # -- operations shared by the control API and the Simulator class --------------------------

    def counters(self):
        """Both products' counters and the faults injected."""
        return {"faz": self.faz.counters(), "gz": self.gz.counters(), "faults": self.faults.counters()}

    def log(self, product):
        """One product's request log."""
        if product == "faz":
            return self.faz.log()
        if product == "gz":
            return self.gz.log()
        raise ValueError("product must be faz or gz")

    def reset(self):
        """Counters, log, sessions and created tasks cleared; settings back to the start values; faults off."""
        self.settings.restore()
        self.faults.reset()
        self.tamper.reset()
        self.faz.reset()
        self.gz.reset()
        self.replayer = None
        return {"reset": True}

    def configure(self, **changes):
        """Merge settings; returns all settings."""
        return self.settings.update(changes)

    def faz_create_task(self, **fields):
        """A FortiView task made by a test; returns its tid."""
        return self.faz.create_task(**fields)

    def faz_expire_sessions(self):
        """Every FortiAnalyzer session expires now."""
        self.faz.expire_sessions()
        return {"expired": True}

    def gz_create_task(self, **fields):
        """A GravityZone task made by a test; returns its taskId."""
        return self.gz.create_task(**fields)

    def replay(self, entries=None, path=None):
        """Serve a recorded transcript (its entries, or the JSON-lines file at path) instead of the products."""
        if (entries is None) == (path is None):
            raise ValueError("give either 'entries' (a list) or 'path' (a transcript file)")
        if path is not None:
            if not isinstance(path, str):
                raise ValueError("'path' must be a string")
            self.replayer = Replayer(load_transcript(path), source=path)
        else:
            if not isinstance(entries, list):
                raise ValueError("'entries' must be a list of transcript entries")
            self.replayer = Replayer(entries, source="entries")
        return self.replayer.status()

    def replay_status(self):
        """How far the replay got ({"active": false} when none is on)."""
        replayer = self.replayer
        return replayer.status() if replayer is not None else {"active": False}

    def stop_replay(self):
        """Back to the simulated products; returns the replay's last status."""
        final = self.replay_status()
        self.replayer = None
        return dict(final, active=False)

    # -- routing -----------------------------------------------------------------------------

    def serve(self, method, path, query, body, headers):
        """(Reply, fault) for one HTTP request; the fault, if any, is a processed one for the server to act out."""
        product, version = ("faz", None) if path == FAZ_PATH else (None, None)
        match = GZ_PATH.match(path)
        if match:
            product, version = "gz", match.group(1)
        replayer = self.replayer
        if replayer is not None and product and method == "POST":
            return replayer.answer(path, body)
        fault = self.faults.decide(product, body) if product and method == "POST" else None
        if fault is not None and not fault.processed:
            reply = fault_reply(fault, product)
            if product == "faz":
                self.faz.record_unprocessed(body, headers.get("Authorization"), reply.status, fault.kind)
            else:
                self.gz.record_unprocessed(version, body, reply.status, fault.kind)
            return reply, None
        reply = self.route(method, path, query, body, headers, fault.kind if fault else None)
        if product is not None:
            reply = self.tamper.apply(product, body, headers.get("Authorization"), reply)
        return reply, fault

    def route(self, method, path, query, body, headers, fault=None):
        """The Reply for one HTTP request; `fault` names a processed fault for the product's log."""
        authorization = headers.get("Authorization")
        extra = {"fault": fault} if fault else {}  # only when set: tests may wrap handle(raw, authorization)
        if path == FAZ_PATH:
            if method != "POST":
                return text_reply("Method Not Allowed\n", 405, headers={"Allow": "POST"})
            return self.faz.handle(body, authorization, **extra)
        match = GZ_PATH.match(path)
        if match:
            return self.gz.handle(method, match.group(1), body, authorization, service=match.group(2),
                                  base_url="https://%s" % headers.get("Host", HOST), **extra)
        if path == GZ_DOWNLOAD_PATH and method == "GET":
            return self.gz.download(query, authorization)
        if path.startswith("/_sim/"):
            return self._control_call(method, path, query, body)
        return json_reply({"error": "not found"}, 404)

    def _control_call(self, method, path, query, body):
        handler = self._control.get((method, path))
        if handler is None:
            known = any(route[1] == path for route in self._control)
            return json_reply({"error": "method not allowed" if known else "not found"}, 405 if known else 404)
        try:
            payload = json.loads(body.decode("utf-8")) if body.strip() else {}
            if not isinstance(payload, dict):
                raise ValueError("the body must be a JSON object")
            return json_reply(handler(query, payload))
        except (ValueError, TypeError, OSError) as err:  # bad JSON, bad setting or field, unreadable file
            return json_reply({"error": str(err)}, 400)


def _query_value(query, name):
    values = urllib.parse.parse_qs(query).get(name)
    return values[0] if values else None


def _fields(body, allowed):
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise ValueError("unknown field(s): %s (allowed: %s)" % (", ".join(unknown), ", ".join(allowed)))
    return body


# ---------------------------------------------------------------------------------------------
# HTTP plumbing
# ---------------------------------------------------------------------------------------------

class _Handler(BaseHTTPRequestHandler):
    """Moves bytes between the socket and the Application; never logs request lines."""

    protocol_version = "HTTP/1.1"  # keep-alive, as clients with a session pool expect
    server_version = "secops-async-tasks-simulator/1.0"
    sys_version = ""
    timeout = IDLE_TIMEOUT

    def do_GET(self):
        self._serve("GET")

    def do_POST(self):
        self._serve("POST")

    def do_PUT(self):
        self._serve("PUT")

    def do_DELETE(self):
        self._serve("DELETE")

    def do_PATCH(self):
        self._serve("PATCH")

    def do_HEAD(self):
        self._serve("HEAD")

    def log_message(self, *args):
        """Quiet: a request line could carry a secret in its query string."""

    def _serve(self, method):
        target = urllib.parse.urlsplit(self.path)
        path, query = target.path, target.query
        fault = None
        try:
            body = self._read_body()
            reply, fault = self.server.app.serve(method, path, query, body, self.headers)
        except _BadRequest as err:
            self.close_connection = True
            reply = text_reply("%s\n" % err, err.status)
        except Exception:  # a simulator bug: tell the client plainly, keep serving
            traceback.print_exc(file=sys.stderr)
            reply = json_reply({"error": "internal simulator error"}, 500)
        if fault is None or fault.kind == "expire_session":
            self._send(reply, method)
        elif fault.kind == "latency":
            time.sleep(fault.delay)
            self._send(reply, method)
        elif fault.kind == "reset":
            # SO_LINGER 0: closing sends an RST, not a FIN (and no TLS close_notify); nothing is answered
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
        elif fault.kind == "truncated":
            data = reply.encode()
            self.wfile.write(self._head(reply, len(data)) + data[:int(len(data) * fault.keep)])
            self.close_connection = True
        else:
            self._drip(reply, fault.drip_seconds)

    def _head(self, reply, length):
        """Status line and headers of a reply as bytes, declaring `length` body bytes."""
        lines = ["HTTP/1.1 %d %s" % (reply.status, self.responses.get(reply.status, ("",))[0]),
                 "Server: " + self.version_string(), "Date: " + self.date_time_string(),
                 "Content-Type: " + reply.content_type, "Content-Length: %d" % length]
        lines.extend("%s: %s" % header for header in reply.headers.items())
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _drip(self, reply, seconds):
        """Send the whole answer, status line included, a few bytes at a time over about `seconds`.

        Only this connection's thread waits; a client that goes away makes a write fail, which ends it.
        """
        body = reply.encode()
        data = self._head(reply, len(body)) + body
        size = max(1, -(-len(data) // max(1, int(seconds / DRIP_STEP))))
        offsets = range(0, len(data), size)
        pause = seconds / len(offsets)
        for offset in offsets:
            self.wfile.write(data[offset:offset + size])
            if offset + size < len(data):
                time.sleep(pause)

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        try:
            size = int(length)
        except ValueError:
            raise _BadRequest(400, "Bad Content-Length")
        if size < 0:
            raise _BadRequest(400, "Bad Content-Length")
        if size > MAX_BODY:
            raise _BadRequest(413, "Payload Too Large")
        return self.rfile.read(size)

    def _read_chunked(self):
        body = b""
        while True:
            line = self.rfile.readline(1024).split(b";")[0].strip()
            try:
                size = int(line, 16)
            except ValueError:
                raise _BadRequest(400, "Bad chunk size")
            if size < 0:
                raise _BadRequest(400, "Bad chunk size")
            if len(body) + size > MAX_BODY:
                raise _BadRequest(413, "Payload Too Large")
            if size == 0:
                while self.rfile.readline(1024).strip():  # trailers
                    pass
                return body
            body += self.rfile.read(size)
            self.rfile.readline(1024)  # the CRLF after each chunk

    def _send(self, reply, method):
        if isinstance(reply, StreamReply):
            return self._send_stream(reply, method)
        data = reply.encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(data)

    def _send_stream(self, reply, method):
        """A body sent piece by piece (a report); with ``cut``, the connection drops that far into it."""
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(reply.length))
        self.end_headers()
        if method == "HEAD":
            return
        sent = 0
        for piece in reply.pieces():
            if reply.cut is not None and sent + len(piece) >= reply.cut:
                self.wfile.write(piece[:reply.cut - sent])
                self.wfile.flush()
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                return
            self.wfile.write(piece)
            sent += len(piece)


class _TlsServer(ThreadingHTTPServer):
    """A threading HTTP server that does the TLS handshake in the connection's own thread."""

    daemon_threads = True

    def __init__(self, app, ssl_context, port):
        self.app = app
        self.ssl_context = ssl_context
        self._connections = set()
        self._connections_lock = threading.Lock()
        super().__init__((HOST, port), _Handler)

    def finish_request(self, request, client_address):
        # headers and body go out in separate writes: without NODELAY each answer waits for a delayed ACK
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        request.settimeout(HANDSHAKE_TIMEOUT)
        try:
            connection = self.ssl_context.wrap_socket(request, server_side=True)
        except OSError:  # the client refused our certificate, or went away
            return
        with self._connections_lock:
            self._connections.add(connection)
        try:
            self.RequestHandlerClass(connection, client_address, self)
        finally:
            with self._connections_lock:
                self._connections.discard(connection)
            _close_quietly(connection)

    def close_connections(self):
        """Drop kept-alive connections, so that nothing is served after stop()."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            _close_quietly(connection, shutdown=True)

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], OSError):
            return  # resets and timeouts are the client's business
        super().handle_error(request, client_address)


def _close_quietly(connection, shutdown=False):
    try:
        if shutdown:
            connection.shutdown(socket.SHUT_RDWR)
        connection.close()
    except OSError:
        pass


# ---------------------------------------------------------------------------------------------
# The public face for tests
# ---------------------------------------------------------------------------------------------

class Simulator:
    """A simulator in a background thread: `Simulator(state_dir).start()`, then `stop()`.

    Extra keyword arguments are start settings (see docs/simulator.md); `reset()` returns to them.
    `cert_variant` is "good" (default), "expired" or "wrong-host" (for TLS failure tests).
    """

    def __init__(self, state_dir, port=0, cert_variant="good", **settings):
        self.state_dir = state_dir
        self._wanted_port = port
        self._cert_variant = cert_variant
        self._app = Application(Settings(**settings))
        self._server = None
        self._thread = None
        self.ca_path = None

    def start(self):
        """Listen on 127.0.0.1 and serve in a daemon thread; returns self."""
        if self._server is not None:
            raise RuntimeError("simulator already started")
        self.ca_path = ensure_tls_material(self.state_dir).ca_cert
        cert_path, key_path = server_certificate(self.state_dir, self._cert_variant)
        self._server = _TlsServer(self._app, server_context(cert_path, key_path), self._wanted_port)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="simulator-%d" % self.port, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        """Stop serving, drop open connections, close the socket and join the thread."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join()
        self._server = None
        self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def port(self):
        """The port it listens on."""
        return self._server.server_address[1]

    @property
    def faz_url(self):
        """Base URL of the FortiAnalyzer API (POST {faz_url}/jsonrpc)."""
        return "https://%s:%d" % (HOST, self.port)

    @property
    def gz_api_url(self):
        """GravityZone access URL (POST {gz_api_url}/v1.1/jsonrpc/network)."""
        return self.faz_url + "/api"

    def ready_info(self, pid):
        """What the ready file holds."""
        return {"pid": pid, "port": self.port, "host": HOST, "ca_path": self.ca_path,
                "faz_url": self.faz_url, "gz_api_url": self.gz_api_url}

    def counters(self):
        """{"faz": {...}, "gz": {...}} as GET /_sim/counters."""
        return self._app.counters()

    def log(self, product):
        """The request log of "faz" or "gz"."""
        return self._app.log(product)

    def reset(self):
        """As POST /_sim/reset."""
        self._app.reset()

    def configure(self, **changes):
        """As POST /_sim/config; returns all settings."""
        return self._app.configure(**changes)

    def settings(self):
        """The current settings."""
        return self._app.settings.snapshot()

    def faz_create_task(self, **fields):
        """As POST /_sim/faz/tasks; returns the tid."""
        return self._app.faz_create_task(**fields)

    def faz_expire_sessions(self):
        """As POST /_sim/faz/expire-sessions."""
        self._app.faz_expire_sessions()

    def gz_create_task(self, **fields):
        """As POST /_sim/gz/tasks; returns the taskId."""
        return self._app.gz_create_task(**fields)

    def set_faults(self, rate=0.2, kinds=None, seed=1234, products=("faz", "gz"), methods=None, exclude_auth=False):
        """As POST /_sim/faults: fault each matching request with probability `rate`; returns the settings.

        kinds: names from `faults.KINDS` (default all), chosen uniformly; seed: runs repeat for the same
        request order; products: "faz" and/or "gz"; methods: only these JSON-RPC methods (default all);
        exclude_auth: spare FortiAnalyzer login and logout. Rate 0 turns faults off.
        """
        return self._app.faults.configure(rate=rate, kinds=kinds, seed=seed, products=products, methods=methods,
                                          exclude_auth=exclude_auth)

    def clear_faults(self):
        """As DELETE /_sim/faults: no more faults (the fault counters stay until reset())."""
        self._app.faults.clear()

    def fault_settings(self):
        """As GET /_sim/faults: the current fault settings ({"rate": 0} when off)."""
        return self._app.faults.settings()

    def echo_secrets(self, forms=None, where="errors", products=("faz", "gz")):
        """As POST /_sim/echo: quote each request's secrets back in `forms` (default all), in error messages
        (`where="errors"`) or in every returned row (`"rows"`); returns the settings. See tamper.py."""
        settings = dict(where=where, products=list(products))
        if forms is not None:
            settings["forms"] = list(forms)
        return self._app.tamper.configure_echo(**settings)

    def set_hostile(self, seed=1, kinds=None, rate=1.0, products=("faz", "gz"), methods=None, exclude_auth=False):
        """As POST /_sim/hostile: alter replies with the seeded hostile generator; returns the settings.

        kinds: names from `tamper.HOSTILE_KINDS` (default all); exclude_auth spares FortiAnalyzer login and logout.
        """
        return self._app.tamper.configure_hostile(seed=seed, kinds=kinds, rate=rate, products=list(products),
                                                  methods=methods, exclude_auth=exclude_auth)

    def tamper_report(self):
        """As GET /_sim/tamper: both modes' settings, how many replies were echoed/altered, the alteration log."""
        return dict(self._app.tamper.settings(), **self._app.tamper.report())

    def clear_tamper(self):
        """As DELETE /_sim/tamper: echo and hostile modes off."""
        self._app.tamper.reset()

    def faz_tasks_created(self):
        """How many FortiView tasks `add` has made since the last reset (control-API tasks not counted)."""
        return self.counters()["faz"]["tasks_created"]

    def faz_create_logsearch(self, **fields):
        """As POST /_sim/faz/logsearches (faz_logsearch.LogSearch.create); returns the tid."""
        return self._app.faz.logsearch.create(**fields)

    def faz_open_logsearches(self):
        """As GET /_sim/faz/logsearches: the tids of the log searches still open."""
        return self._app.faz.logsearch.open_tids()

    def faz_expire_logsearches(self):
        """As POST /_sim/faz/logsearches/expire: every log search expires now."""
        self._app.faz.logsearch.expire_all()

    def replay(self, entries=None, path=None):
        """As POST /_sim/replay: answer every product request from a recorded transcript; returns its status."""
        return self._app.replay(entries=entries, path=path)

    def replay_status(self):
        """As GET /_sim/replay: {"active", "total", "served", "remaining", "mismatches"} ({"active": false} if off)."""
        return self._app.replay_status()

    def stop_replay(self):
        """As DELETE /_sim/replay: back to the simulated products."""
        return self._app.stop_replay()

    def gz_scan_tasks_created(self):
        """How many tasks createScanTask has made since the last reset."""
        return self._app.gz.scan_tasks_created()
