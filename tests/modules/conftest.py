"""Fixtures of the in-process module tier: one simulator per worker, a task runner per test.

Modules run through ``main()`` in this process (harness.py) against the simulator, from the checkout.
The simulator starts in the "poll" task clock: a simulated task moves one second per progress read,
so what a test sees does not depend on how fast the machine is (a test about wall-clock time sets
``sim.configure(task_clock="wall")``). After every test, whatever it did: no FortiAnalyzer session is
left open, no result holds a traceback, and no module of the collection reported a change unless
the test names it with ``@pytest.mark.changing_modules(...)``.
"""

import pytest

from tests.integration.conftest import faz_requests, faz_sessions  # noqa: F401  # pylint: disable=unused-import
from tests.integration.helpers import COLLECTION, module_crashed
from tests.modules.harness import ModuleHarness
from tests.modules.tasks import TaskRunner
from tests.simulator.server import Simulator


@pytest.fixture(scope="session")
def sim(tmp_path_factory):
    """The simulator of this worker, on 127.0.0.1 and a free port, in a background thread."""
    simulator = Simulator(str(tmp_path_factory.mktemp("simulator")), task_clock="poll")
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


@pytest.fixture
def harness(tmp_path):
    """``harness.run(module, args, check_mode=False, env=None)`` -> ``ModuleResult``."""
    return ModuleHarness(str(tmp_path))


@pytest.fixture
def run_tasks(harness):
    """``run_tasks(tasks, env=None, check=False)`` -> ``PlaybookRun`` of in-process module runs (tasks.py)."""
    return TaskRunner(harness)


@pytest.fixture(autouse=True)
def module_invariants(request, sim, run_tasks):
    """Reset the simulator before each test; afterwards check what must hold after any test."""
    marker = request.node.get_closest_marker("changing_modules")
    changing = [COLLECTION + "." + name for name in (marker.args if marker else ())]
    sim.reset()
    yield
    open_sessions = sim.counters()["faz"]["open_sessions"]
    assert open_sessions == 0, "%d FortiAnalyzer session(s) left open; request log:\n%s" % (
        open_sessions, "\n".join(str(entry) for entry in sim.log("faz")))
    for run in run_tasks.runs:
        assert "Traceback" not in run.output, run.describe()
        for record in run.module_records():
            result = record["result"]
            if record["action"] not in changing:
                assert result.get("changed") is False, "%s reported changed=%r" % (record["name"], result.get("changed"))
            assert not module_crashed(result), \
                "%s crashed instead of failing cleanly: %s" % (record["name"], result.get("msg"))
