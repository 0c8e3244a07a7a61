# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit-test fixtures: a tiny scripted HTTP(S) server, a fake clock, and the JSON fixtures.

The server answers each POST with the next action of a script (a reply, a slow drip, a hang-up,
or a function of the request), records every request it read, and runs on 127.0.0.1 in a thread.
"""

from __future__ import annotations

import datetime
import http.server
import json
import os
import socket
import ssl
import struct
import threading
import time

import pytest
from ansible.utils.collection_loader import AnsibleCollectionConfig
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

FIXTURES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")

# Ansible's collection loader, as ansible-test units installs it before any test module is imported: the
# templar then finds this collection's filters (tests/unit/roles renders the roles' templates). Plain pytest
# finds the checkout as secops.async_tasks under .tmp/dev-collections (tests/conftest.py).
if AnsibleCollectionConfig.collection_finder is None:
    _AnsibleCollectionFinder(paths=[os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))), ".tmp", "dev-collections")])._install()


class RecordedRequest:
    """One request as the server read it."""

    def __init__(self, path, headers, raw):
        self.path = path
        self.headers = headers
        self.raw = raw
        try:
            self.json = json.loads(raw.decode("utf-8"))
        except ValueError:
            self.json = None

    @property
    def url(self):
        """``params[0].url`` of a JSON-RPC request, or None."""
        try:
            return self.json["params"][0]["url"]
        except (KeyError, IndexError, TypeError):
            return None


def _write_reply(handler, status, body, headers, content_type):
    payload = body if isinstance(body, bytes) else (body.encode("utf-8") if isinstance(body, str) else json.dumps(body).encode("utf-8"))
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(payload)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(payload)
    handler.wfile.flush()


class Actions:
    """Constructors of the things a scripted server can do with one request."""

    @staticmethod
    def reply(status=200, body=None, headers=None, content_type="application/json"):
        body = {} if body is None else body

        def act(handler, _request):
            _write_reply(handler, status, body, headers, content_type)
        return act

    @staticmethod
    def text(status, text, headers=None, content_type="text/html; charset=utf-8"):
        return Actions.reply(status, text, headers, content_type)

    @staticmethod
    def json_of(function):
        """Reply 200 with ``function(request)``; the function may return ``(status, body)``."""
        def act(handler, request):
            answer = function(request)
            status, body = answer if isinstance(answer, tuple) else (200, answer)
            _write_reply(handler, status, body, None, "application/json")
        return act

    @staticmethod
    def drip_head(body, every):
        """Send the status line and headers one byte every ``every`` seconds, then the body."""
        payload = json.dumps(body).encode("utf-8")
        head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                % len(payload)).encode("ascii")

        def act(handler, _request):
            handler.close_connection = True
            try:
                for index in range(len(head)):
                    handler.wfile.write(head[index:index + 1])
                    handler.wfile.flush()
                    time.sleep(every)
                handler.wfile.write(payload)
                handler.wfile.flush()
            except OSError:
                pass
        return act

    @staticmethod
    def drip(body, every, chunked=False):
        """Send the headers at once, then the body one byte every ``every`` seconds."""
        payload = json.dumps(body).encode("utf-8")

        def act(handler, _request):
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            if chunked:
                handler.send_header("Transfer-Encoding", "chunked")
            else:
                handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.close_connection = True
            try:
                for index in range(len(payload)):
                    piece = payload[index:index + 1]
                    handler.wfile.write(b"1\r\n" + piece + b"\r\n" if chunked else piece)
                    handler.wfile.flush()
                    time.sleep(every)
                if chunked:
                    handler.wfile.write(b"0\r\n\r\n")
                    handler.wfile.flush()
            except OSError:
                pass
        return act

    @staticmethod
    def hang_up(reset=True):
        """Read the request, then drop the connection without answering (RST when ``reset``)."""
        def act(handler, _request):
            handler.close_connection = True
            if reset:
                handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            try:
                handler.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            handler.connection.close()
        return act


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 5

    def setup(self):
        super().setup()
        # Headers and body go out in separate writes: without this, delayed ACKs add 40 ms a request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self):  # pylint: disable=invalid-name
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        owner = self.server.owner
        request = RecordedRequest(self.path, dict(self.headers), raw)
        action = owner.record_and_pick(request)
        try:
            action(self, request)
        except OSError:
            # The client went away mid-answer (a test cut it off on purpose): nothing to report.
            self.close_connection = True

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


class ScriptedServer:
    """Answers POSTs from a script; ``then`` answers every request after the script ran out."""

    act = Actions

    def __init__(self, tls_context=None):
        self.requests = []
        self._script = []
        self._then = Actions.reply(500, {"error": "script exhausted"})
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        if tls_context is not None:
            self._server.socket = tls_context.wrap_socket(self._server.socket, server_side=True)
        self.port = self._server.server_address[1]
        self.scheme = "https" if tls_context is not None else "http"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self._thread.start()

    @property
    def url(self):
        return "%s://127.0.0.1:%d" % (self.scheme, self.port)

    def script(self, *actions, then=None):
        with self._lock:
            self._script = list(actions)
            if then is not None:
                self._then = then
        return self

    def always(self, action):
        return self.script(then=action)

    def record_and_pick(self, request):
        with self._lock:
            self.requests.append(request)
            return self._script.pop(0) if self._script else self._then

    def stop(self):
        self._server.shutdown()
        self._server.server_close()


def closed_port():
    """A local TCP port nobody listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FakeClock:
    """A monotonic clock that only moves when told to; ``sleep`` records and advances it."""

    def __init__(self, start=1000.0):
        self.now = float(start)
        self.sleeps = []

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def server():
    scripted = ScriptedServer()
    yield scripted
    scripted.stop()


class TlsMaterial:
    """A self-signed certificate for 127.0.0.1: its PEM file (a client's ca_path) and a server context."""

    def __init__(self, cert_file, context, key_file=None):
        self.cert_file = cert_file
        self.context = context
        self.key_file = key_file


@pytest.fixture(scope="session")
def tls_material(tmp_path_factory):
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    cert_file = folder / "cert.pem"
    key_file = folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert_file), str(key_file))
    return TlsMaterial(str(cert_file), context, str(key_file))


@pytest.fixture
def tls_server(tls_material):
    scripted = ScriptedServer(tls_material.context)
    yield scripted
    scripted.stop()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def unused_port():
    return closed_port()


def load_fixture(name):
    with open(os.path.join(FIXTURES_DIR, name), encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture
def fixture_json():
    """``fixture_json("name.json")``: a fresh copy of a reply fixture."""
    return load_fixture
