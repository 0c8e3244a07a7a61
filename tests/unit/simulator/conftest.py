"""One simulator for the whole simulator test run, reset before each test, and an HTTPS client for it."""

import copy
import json
import os
import time

import pytest
import requests

from tests.simulator.server import Simulator

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        "simulator", "fixtures")
FAZ_ADMIN = ("admin", "sim-admin-pass")
FAZ_API_KEY = "simfazkey0123456789abcdefghijk"
GZ_API_KEY = "simgzkey0123456789abcdef0123456789abcdef"
GZ_NOAPI_KEY = "simgzkeyNOAPI0123456789abcdef0123456789ab"
# Generous: a request (a page of 1000 generated log rows, say) must not time out on a loaded machine;
# a test about time says so with its own bound.
REQUEST_TIMEOUT = 60


class SimClient:
    """requests over real HTTPS, verified against the simulator's CA, ignoring proxy/CA environment."""

    def __init__(self, sim):
        self.sim = sim
        self.http = requests.Session()
        self.http.trust_env = False  # REQUESTS_CA_BUNDLE would override verify; no proxies either
        self.http.verify = sim.ca_path

    def close(self):
        """Close pooled connections."""
        self.http.close()

    @staticmethod
    def fixture(name):
        """A seed fixture's JSON (key order kept)."""
        with open(os.path.join(FIXTURES, name), encoding="utf-8") as handle:
            return json.load(handle)

    @staticmethod
    def eventually(fetch, done, timeout=60.0):
        """Call fetch() until done(value) (polling every 50 ms, at most `timeout` s); returns the value."""
        deadline = time.monotonic() + timeout
        value = fetch()
        while not done(value) and time.monotonic() < deadline:
            time.sleep(0.05)
            value = fetch()
        assert done(value), value
        return value

    def seed_request(self, name, session=None):
        """A FortiAnalyzer seed request with its placeholder session filled in (or dropped, for API keys)."""
        request = copy.deepcopy(self.fixture(name))
        if session is None:
            request.pop("session", None)
        else:
            request["session"] = session
        return request

    # -- FortiAnalyzer -------------------------------------------------------------------------

    def faz(self, body, **kwargs):
        """POST /jsonrpc; body is a dict (sent as JSON) or raw bytes."""
        if isinstance(body, (bytes, str)):
            return self.http.post(self.sim.faz_url + "/jsonrpc", data=body, timeout=REQUEST_TIMEOUT, **kwargs)
        return self.http.post(self.sim.faz_url + "/jsonrpc", json=body, timeout=REQUEST_TIMEOUT, **kwargs)

    def faz_call(self, method, url, session=None, bearer=None, request_id=1, **params):
        """A FortiAnalyzer call; returns the decoded answer."""
        body = {"method": method, "params": [dict(url=url, apiver=3, **params)], "id": request_id}
        if session is not None:
            body["session"] = session
        headers = {"Authorization": "Bearer " + bearer} if bearer else {}
        response = self.faz(body, headers=headers)
        assert response.status_code == 200
        return response.json()

    def login(self, user=FAZ_ADMIN[0], password=FAZ_ADMIN[1]):
        """Log in; returns the whole answer."""
        body = {"method": "exec", "params": [{"url": "/sys/login/user", "data": {"user": user, "passwd": password}}],
                "id": 1}
        return self.faz(body).json()

    def session(self, user=FAZ_ADMIN[0], password=FAZ_ADMIN[1]):
        """Log in; returns the session id."""
        answer = self.login(user, password)
        assert answer["result"][0]["status"]["code"] == 0, answer
        return answer["session"]

    def fortiview(self, method, view, session=None, bearer=FAZ_API_KEY, tid=None, adom="root", **params):
        """A FortiView call (API key by default); returns the decoded answer."""
        url = "/fortiview/adom/%s/%s/run" % (adom, view) + ("/%s" % tid if tid is not None else "")
        return self.faz_call(method, url, session=session, bearer=None if session else bearer, **params)

    # -- GravityZone ---------------------------------------------------------------------------

    def gz(self, body, version="1.1", key=GZ_API_KEY, method="POST", **kwargs):
        """A request to /api/v{version}/jsonrpc/network with Basic auth KEY: (no auth if key is None)."""
        url = "%s/v%s/jsonrpc/network" % (self.sim.gz_api_url, version)
        auth = (key, "") if key is not None else None
        if isinstance(body, (bytes, str)):
            return self.http.request(method, url, data=body, auth=auth, timeout=REQUEST_TIMEOUT, **kwargs)
        return self.http.request(method, url, json=body, auth=auth, timeout=REQUEST_TIMEOUT, **kwargs)

    def task_status(self, task_id, version="1.1", request_id="req-1", **params):
        """getTaskStatus; returns the decoded answer (HTTP 200 asserted)."""
        body = {"jsonrpc": "2.0", "method": "getTaskStatus", "id": request_id, "params": dict(taskId=task_id, **params)}
        response = self.gz(body, version=version)
        assert response.status_code == 200, response.text
        return response.json()

    # -- control API ---------------------------------------------------------------------------

    def control(self, method, path, body=None):
        """A /_sim/ call; returns the response."""
        return self.http.request(method, self.sim.faz_url + "/_sim/" + path, json=body, timeout=REQUEST_TIMEOUT)


@pytest.fixture(scope="session")
def simulator(tmp_path_factory):
    """The simulator shared by all tests here (state in a temporary dir)."""
    sim = Simulator(str(tmp_path_factory.mktemp("sim-state")))
    sim.start()
    yield sim
    sim.stop()


@pytest.fixture
def sim(simulator):
    """The shared simulator, reset, with the GravityZone rate limit off (tests that want it set it)."""
    simulator.reset()
    simulator.configure(gz_rate=0)
    return simulator


@pytest.fixture
def client(sim):
    """An HTTPS client for the reset simulator."""
    http_client = SimClient(sim)
    yield http_client
    http_client.close()


@pytest.fixture
def new_client(sim):
    """Makes more clients (e.g. one per thread); all are closed after the test."""
    clients = []

    def make():
        http_client = SimClient(sim)
        clients.append(http_client)
        return http_client

    yield make
    for http_client in clients:
        http_client.close()
