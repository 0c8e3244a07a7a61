"""Property: whatever bytes the appliance sends back, a module gives a clear error or the correct result.

hypothesis picks a module (every module in plugins/modules/, each with a run that succeeds against
the simulator: see property_helpers.py), a FortiAnalyzer reply shape, and a seed, kinds and rate for
the simulator's hostile mode (docs/simulator.md "Hostile replies": random JSON trees, nests up to
100000 levels deep, a value of the wrong type at any path of the real reply, a key dropped, bytes that
are not UTF-8). The module's ``main()`` runs in this process against the simulator. Then:

* no traceback, no "Module failed", no secret in the output (any wire form);
* a failed run has a clear message (a product named);
* a run that succeeded returned what the same run returns from an untouched simulator, except inside
  the rows when the alteration was inside a row (a row field of the wrong type is the appliance's
  data, returned as it came), and except the very field an optional key the simulator dropped
  reports (missing, or its documented fallback); a status, a percentage, a task id, a count that
  differs otherwise is a silently wrong result, the worst failure there is;
* no creating call made more than one task, and no session is left open unless the answer to the
  login itself was lost (the module never learnt the session id, so it cannot log it out).

``SECOPS_PROPERTY_EXAMPLES`` / ``SECOPS_PROPERTY_STATS`` as in test_property_options.py.
"""

import collections
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.integration.property_helpers import baseline_args, local_names_only, module_spec, swept_module_names
from tests.integration.reliability_helpers import STATIC_SECRETS, SessionRecorder, clear_message, comparable, run_module
from tests.integration.secret_helpers import leaked_forms
from tests.simulator.tamper import HOSTILE_KINDS

# make test: 40 examples, the same every run, plus every module in every shape under every kind
# (test_every_module_under_every_kind); make reliability draws hundreds of new ones.
EXAMPLES = int(os.environ.get("SECOPS_PROPERTY_EXAMPLES", "40"))
# make test draws the same examples every run (a CI verdict must not depend on luck); make reliability
# sets SECOPS_PROPERTY_RANDOM=1 and explores new ones each time.
DERANDOMIZE = os.environ.get("SECOPS_PROPERTY_RANDOM") != "1"
STATS_FILE = os.environ.get("SECOPS_PROPERTY_REPLY_STATS")
MODULES = swept_module_names()
SPECS = dict((name, module_spec(name)["argument_spec"]) for name in MODULES)
STATS = {"runs": 0, "replies_altered": 0, "kinds": collections.Counter(), "paths": collections.Counter(),
         "outcomes": collections.Counter()}
LOGIN_URL = "/sys/login/user"
# Result keys a module computes itself, not from any reply: a "last: 1h" period from the clock, the
# unique name gz_scan_task gives a scan.
GENERATED_KEYS = {"faz_fortiview_task": ("time_range",), "gz_scan_task": ("name",)}


@pytest.fixture(scope="module", autouse=True)
def report_stats():
    yield
    if STATS_FILE:
        with open(STATS_FILE, "w", encoding="utf-8") as stream:
            json.dump({"runs": STATS["runs"], "replies_altered": STATS["replies_altered"],
                       "kinds": dict(STATS["kinds"]), "paths": len(STATS["paths"]),
                       "outcomes": dict(STATS["outcomes"])}, stream, indent=1)


@pytest.fixture(scope="module")
def references():
    """(module, shape) -> the result of the run on an untouched simulator (computed on first use)."""
    return {}


@pytest.fixture(autouse=True)
def reset_afterwards(sim):
    """A session whose login answer was lost stays open on the simulator: clear it before the harness counts."""
    yield
    sim.reset()


@pytest.fixture
def issued_sessions(sim):
    recorder = SessionRecorder(sim)
    yield recorder.sessions
    recorder.undo()


def fresh(sim, shape):
    sim.reset()
    sim.configure(gz_rate=0, gz_scan_rate_per_minute=0, faz_shape=shape)


def reference(sim, references, name, shape):
    key = (name, shape)
    if key not in references:
        fresh(sim, shape)
        run = run_module(name, baseline_args(sim, name, SPECS[name]))
        assert not run.failed, "the baseline run of %s fails on an untouched simulator: %s" % (name, run.msg)
        references[key] = comparable(run.result)
    return references[key]


def flatten(value, prefix=()):
    """{path tuple: leaf} of a JSON value."""
    if isinstance(value, dict) and value:
        items = {}
        for key, item in value.items():
            items.update(flatten(item, prefix + (key,)))
        return items
    if isinstance(value, list) and value:
        items = {}
        for index, item in enumerate(value):
            items.update(flatten(item, prefix + (index,)))
        return items
    return {prefix: value}


def in_a_row(path):
    """True for a result path inside an element of a list of objects (a row, a subtask)."""
    return any(isinstance(step, int) for step in path[:-1])


def row_alteration(entry):
    """True when the simulator altered a value inside a row of the reply (not the envelope)."""
    steps = entry["path"].split(".")
    stars = [index for index, step in enumerate(steps) if step == "*"]
    return bool(stars) and stars[-1] > 0 and steps[stars[-1] - 1] != "result" and stars[-1] < len(steps) - 1


def squashed(name):
    return str(name).replace("_", "").lower()


def dropped_explains(path, log):
    """True when a key the simulator dropped (or set to null) is what this result field reports
    (``totalTargetsCount`` -> ``total_targets``): an optional field the appliance did not send shows as
    missing, or as its fallback."""
    names = [squashed(entry["at"][-1]) for entry in log if entry["at"] and isinstance(entry["at"][-1], str)
             and (entry["kind"] == "drop" or (entry["kind"] == "retype" and entry["value"] == "None"))]
    keys = [squashed(step) for step in path if isinstance(step, str)]
    return any(name.startswith(key) or key.startswith(name) for name in names for key in keys[-2:])


def wrong_differences(name, result, expected, log):
    """Paths where a successful result differs from the reference in a way no alteration explains."""
    got, want = flatten(comparable(result)), flatten(expected)
    differing = sorted((path for path in set(got) | set(want) if got.get(path, KeyError) != want.get(path, KeyError)),
                       key=repr)
    rows_altered = any(row_alteration(entry) for entry in log)
    return [path for path in differing if not (rows_altered and in_a_row(path))
            and path[0] not in GENERATED_KEYS.get(name, ()) and not dropped_explains(path, log)
            and not unread_delete_explains(path, log)]


def unread_delete_explains(path, log):
    """True for ``deleted`` when the answer to a delete was altered: the module cannot know the search is
    gone, so it does not claim it (false). Found by test_every_module_under_every_kind."""
    return path[-1] == "deleted" and any(entry["method"] == "delete" for entry in log)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=st.sampled_from(MODULES), shape=st.sampled_from(["seed", "real"]), seed=st.integers(0, 2 ** 32),
       kinds=st.sets(st.sampled_from(HOSTILE_KINDS), min_size=1).map(sorted),
       rate=st.sampled_from([0.25, 0.5, 1.0]), exclude_auth=st.booleans())
def test_any_reply_gives_a_clear_error_or_the_correct_result(sim, references, issued_sessions, name, shape, seed,
                                                             kinds, rate, exclude_auth):
    check_reply(sim, references, issued_sessions, name, shape, dict(seed=seed, kinds=kinds, rate=rate,
                                                                    exclude_auth=exclude_auth))


# Every module, in each FortiAnalyzer reply shape, under each kind of alteration, the same every run:
# half the replies after the login altered (seeded per case), so later replies are reached too.
SWEEP = [(name, shape, kind) for name in MODULES
         for shape in (("seed", "real") if "host" in SPECS[name] else ("seed",)) for kind in HOSTILE_KINDS]


@pytest.mark.parametrize("name, shape, kind", SWEEP, ids=["-".join(case) for case in SWEEP])
def test_every_module_under_every_kind(sim, references, issued_sessions, name, shape, kind):
    check_reply(sim, references, issued_sessions, name, shape,
                dict(seed=SWEEP.index((name, shape, kind)), kinds=[kind], rate=0.5, exclude_auth=True))


def check_reply(sim, references, issued_sessions, name, shape, hostile):
    """Run ``name`` against the simulator altering replies as ``hostile`` says; check the outcome."""
    expected = reference(sim, references, name, shape)
    fresh(sim, shape)
    sim.set_hostile(**hostile)
    with local_names_only():
        run = run_module(name, baseline_args(sim, name, SPECS[name]))
    log = sim.tamper_report()["log"]
    counters = sim.counters()
    record(run, log)

    assert run.crash is None, "%s crashed after %s:\n%s" % (name, log, run.crash)
    assert "Module failed" not in (run.msg or "") and "Traceback" not in run.output, run.msg
    assert leaked_forms(run.output, set(STATIC_SECRETS) | issued_sessions) == []
    assert counters["faz"]["tasks_created"] + counters["gz"]["scan_tasks_created"] <= 1, "a creating call was resent"
    lost_login = any(entry["url"] == LOGIN_URL for entry in log)
    assert counters["faz"]["open_sessions"] == 0 or lost_login, "session left open after %s" % log
    if run.failed:
        assert clear_message(run.msg), "unclear failure after %s: %r" % (log, run.msg)
    else:
        wrong = wrong_differences(name, run.result, expected, log)
        assert not wrong, "silently wrong result after %s: %s" % (log, [
            (path, flatten(comparable(run.result)).get(path), flatten(expected).get(path)) for path in wrong[:5]])


def record(run, log):
    STATS["runs"] += 1
    STATS["replies_altered"] += len(log)
    for entry in log:
        STATS["kinds"][entry["kind"]] += 1
        STATS["paths"][entry["path"]] += 1
    STATS["outcomes"]["crash" if run.crash else ("failed" if run.failed else "succeeded")] += 1
