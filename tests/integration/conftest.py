"""Fixtures of the integration tests: one simulator per session, a playbook runner per test.

After every test, whatever it did: the simulator has no FortiAnalyzer session left open, no
output of any run contains a traceback, and no module of the collection reported a change.
"""

import json
import os

import pytest

from tests.integration.helpers import (
    COLLECTION,
    PlaybookRunner,
    ansible_playbook,
    collections_path,
    module_crashed,
    target_python,
    faz_login,
    faz_logout,
    installed_module_path,
)
from tests.simulator.server import Simulator


def pytest_report_header(config):
    return ["secops.async_tasks under test: %s" % collections_path(), "ansible-playbook: %s" % ansible_playbook(),
            "managed-node Python: %s" % target_python()]


@pytest.fixture(scope="session")
def sim(tmp_path_factory):
    """The simulator, on 127.0.0.1 and a free port, in a background thread for the whole session."""
    for module in ("faz_top_sources_result", "faz_top_applications_result"):
        if not os.path.isfile(installed_module_path(module)):
            pytest.exit("%s not found: is the collection installed in %s (SECOPS_COLLECTIONS_PATH)?"
                        % (installed_module_path(module), collections_path()), returncode=4)
    if not os.access(ansible_playbook(), os.X_OK):
        pytest.exit("%s not found: install ansible-core in the Python running the tests" % ansible_playbook(),
                    returncode=4)
    simulator = Simulator(str(tmp_path_factory.mktemp("simulator")))
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


@pytest.fixture
def run_playbook(tmp_path):
    """``run_playbook(tasks, env=None, check=False, verbosity=0)`` -> ``PlaybookRun`` (see helpers.py)."""
    return PlaybookRunner(tmp_path)


@pytest.fixture(autouse=True)
def integration_invariants(request, sim, run_playbook):
    """Reset the simulator before each test; afterwards check what must hold after any test.

    Modules that change something (they create tasks) are named with
    ``@pytest.mark.changing_modules("faz_fortiview_task")``; the test checks their ``changed`` itself.
    """
    marker = request.node.get_closest_marker("changing_modules")
    changing = [COLLECTION + "." + name for name in (marker.args if marker else ())]
    sim.reset()
    yield
    open_sessions = sim.counters()["faz"]["open_sessions"]
    assert open_sessions == 0, "%d FortiAnalyzer session(s) left open; request log:\n%s" % (
        open_sessions, "\n".join(str(entry) for entry in sim.log("faz")))
    for run in run_playbook.runs:
        assert "Traceback" not in run.output, run.describe()
        for record in run.module_records():
            result = record["result"]
            if record["action"] not in changing:
                assert result.get("changed") is False, "%s reported changed=%r" % (record["name"], result.get("changed"))
            assert not module_crashed(result), \
                "%s crashed instead of failing cleanly: %s" % (record["name"], result.get("msg"))


@pytest.fixture
def faz_requests(sim, monkeypatch):
    """The FortiAnalyzer request bodies (parsed JSON) the simulator receives during the test, in order.

    ``sim.log("faz")`` keeps method, url and auth kind only; comparing a request with the seeds'
    example needs all of it (``apiver``, the session). Bodies hold secrets: they stay in memory.
    """
    appliance = sim._app.faz  # pylint: disable=protected-access  # the simulator runs in this process
    handle = appliance.handle
    received = []

    def recording_handle(raw, authorization):
        try:
            received.append(json.loads(raw))
        except ValueError:  # not JSON: kept as bytes, for the test to see
            received.append(raw)
        return handle(raw, authorization)

    monkeypatch.setattr(appliance, "handle", recording_handle)
    return received


class FazSessions:
    """Sessions a test opens itself (through the simulator's API, not a module).

    The test logs them out itself to check the answer; whatever it leaves open is logged out
    at teardown, before the open-session check, so a failed test does not fail the next one.
    """

    def __init__(self, sim):
        self._sim = sim
        self._open = []

    def login(self, user="admin", password="sim-admin-pass"):
        session = faz_login(self._sim, user, password)
        self._open.append(session)
        return session

    def logout(self, session):
        """Log ``session`` out; returns the simulator's status code."""
        self._open.remove(session)
        return faz_logout(self._sim, session)

    def close_all(self):
        while self._open:
            faz_logout(self._sim, self._open.pop())


@pytest.fixture
def faz_sessions(sim):
    sessions = FazSessions(sim)
    yield sessions
    sessions.close_all()
