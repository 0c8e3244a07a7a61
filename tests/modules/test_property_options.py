"""Property: any value of any option of any module gives a clear refusal before any request, or a normal run.

For every module in plugins/modules/ (found at run time, options read from the argument spec the
module builds: see property_helpers.py), hypothesis picks one option (sub-options included) and a
value for it - of its type at and past the edges, or of another type - sets it on a run that
otherwise succeeds against the simulator, and runs the module's ``main()`` in this process (real
HTTPS to the simulator on 127.0.0.1). Whatever the value:

* no traceback, no "Module failed", and the result is JSON;
* no secret (the simulator's passwords and keys, the generated value of a no_log option, stripped
  or not, and every session id the simulator handed out) appears in the output in any of the forms
  a secret takes on the wire (as sent, JSON-escaped, URL-encoded, base64 in a Basic header);
* when no request reached the simulator, the run failed and its message names the option;
* when requests were sent, the run succeeded or failed with a clear message (a product named), and
  it did not spin (requests stay within a few per second of the run, plus a few per task asked for);
* values that no appliance accepts (``must_refuse``) are refused before any request.

``SECOPS_PROPERTY_EXAMPLES`` sets the number of examples drawn over all options (40 by default, as in
``make test``; ``make reliability`` runs hundreds); besides, every option of every module gets
``SECOPS_PROPERTY_PER_OPTION`` values (2) of its own, the same every run. ``SECOPS_PROPERTY_STATS`` names a JSON file that receives what was
tried (modules, options, kinds of values, outcomes) for docs/reliability.md.
"""

import collections
import json
import math
import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.integration.property_helpers import (
    KNOWN_ARGS,
    baseline_args,
    in_scratch_dir,
    local_names_only,
    swept_module_names,
    module_spec,
    option_paths,
    product_of,
    secret_options,
    value_kind,
    values_for,
    with_value,
)
from tests.integration.reliability_helpers import STATIC_SECRETS, SessionRecorder, clear_message, run_module
from tests.integration.secret_helpers import leaked_forms

# make test draws a few examples over all options and PER_OPTION for each option (test_every_option_...);
# make reliability (scripts/reliability-report.py) sets SECOPS_PROPERTY_EXAMPLES to hundreds.
EXAMPLES = int(os.environ.get("SECOPS_PROPERTY_EXAMPLES", "40"))
PER_OPTION = int(os.environ.get("SECOPS_PROPERTY_PER_OPTION", "2"))
# make test draws the same examples every run (a CI verdict must not depend on luck); make reliability
# sets SECOPS_PROPERTY_RANDOM=1 and explores new ones each time.
DERANDOMIZE = os.environ.get("SECOPS_PROPERTY_RANDOM") != "1"
STATS_FILE = os.environ.get("SECOPS_PROPERTY_STATS")
MODULES = swept_module_names()
SPECS = dict((name, module_spec(name)["argument_spec"]) for name in MODULES)
STATS = {"runs": 0, "tried": collections.Counter(), "kinds": collections.Counter(), "outcomes": collections.Counter()}

# Options whose value is a name sent to the appliance or put in a message: no control characters.
NAME_OPTIONS = frozenset(("adom", "view", "username", "host", "api_url", "task_id", "task_ids", "target_ids", "name"))
# Keys: no control characters once surrounding whitespace is gone; an API key travels in an HTTP header,
# so it must also be Latin-1 (a session id travels in the JSON body).
KEY_SECRETS = frozenset(("api_key", "session_id"))
HEADER_SECRETS = frozenset(("api_key",))
INT_BOUNDS = {"tid": (1, 2 ** 31 - 1), "tids": (1, 2 ** 31 - 1), "port": (1, 65535), "timeout": (1, 86400)}


def _is_number_text(value):
    try:
        return isinstance(value, str) and math.isfinite(float(value.strip()))
    except ValueError:
        return False


def must_refuse(path, option, value):
    """True for a value no run may send: not finite, out of the appliance's range, unsendable."""
    name = path[-1]
    kind = option.get("type", "str")
    if kind in ("int", "float") and isinstance(value, float) and not math.isfinite(value):
        return True
    if kind in ("int", "float") and isinstance(value, str) and value.strip().lower() in ("nan", "inf", "-inf", "1e999"):
        return True
    if name in INT_BOUNDS and not isinstance(value, bool):
        low, high = INT_BOUNDS[name]
        numbers = value if isinstance(value, list) else [value]
        for number in numbers:
            if isinstance(number, int) and not isinstance(number, bool) and not low <= number <= high:
                return True
    if name in NAME_OPTIONS and isinstance(value, str) and value.strip() and _has_control(value.strip()):
        return True
    if name in KEY_SECRETS and isinstance(value, str) and value.strip():
        inner = value.strip()
        return _has_control(inner) or (name in HEADER_SECRETS and any(ord(char) > 255 for char in inner))
    return False


def _has_control(text):
    return any(ord(char) < 32 or ord(char) == 127 for char in text)


def masked_by_ansible(option, value):
    """A short secret: Ansible masks every occurrence of it in the output, inside words too (documented)."""
    return bool(option.get("no_log")) and isinstance(value, str) and 0 < len(value.strip()) < 4


def names_option(msg, path):
    return any(part in (msg or "") for part in path)


def request_count(sim):
    counters = sim.counters()
    return counters["faz"]["requests"] + counters["gz"]["requests"]


def spin_allowance(value, elapsed):
    """Requests a run may send: a few per second of the run, and a few per id when a list of ids was given."""
    ids = len(set(map(repr, value))) if isinstance(value, list) else 0
    return 8 + 4 * elapsed + 4 * ids


@pytest.fixture(scope="module", autouse=True)
def report_stats():
    yield
    if STATS_FILE:
        with open(STATS_FILE, "w", encoding="utf-8") as stream:
            json.dump({"runs": STATS["runs"], "options": len(STATS["tried"]),
                       "tried": dict((" ".join(key), count) for key, count in STATS["tried"].items()),
                       "kinds": dict(STATS["kinds"]), "outcomes": dict(STATS["outcomes"])}, stream, indent=1)


@pytest.fixture
def issued_sessions(sim):
    recorder = SessionRecorder(sim)
    yield recorder.sessions
    recorder.undo()


def draw_case(data, sim):
    name = data.draw(st.sampled_from(MODULES), label="module")
    spec = SPECS[name]
    path, option = data.draw(st.sampled_from(list(option_paths(spec))), label="option")
    value = data.draw(values_for(path, option, sim), label="value")
    return name, spec, path, option, value


def secrets_of(spec, path, value, issued):
    secrets = set(STATIC_SECRETS) | set(issued)
    if ".".join(path) in secret_options(spec) and isinstance(value, str):
        secrets.update((value, value.strip()))
    return secrets


def outcome_of(run, sent):
    if run.crash:
        return "crash"
    if not sent:
        return "refused before any request"
    return "failed cleanly after requests" if run.failed else "ran normally"


def check_value(sim, issued_sessions, name, path, value):
    """Run module ``name`` with ``value`` at option ``path`` on a run that otherwise succeeds; check the outcome."""
    spec = SPECS[name]
    option = dict(option_paths(spec))[path]
    args = with_value(baseline_args(sim, name, spec), path, value, product_of(spec))
    sim.reset()
    sim.configure(gz_rate=0, gz_scan_rate_per_minute=0)
    with local_names_only(), in_scratch_dir():
        run = run_module(name, args)
    sent = request_count(sim)
    STATS["runs"] += 1
    STATS["tried"][(name, ".".join(path))] += 1
    STATS["kinds"][value_kind(value)] += 1
    STATS["outcomes"][outcome_of(run, sent)] += 1

    assert run.crash is None, "%s %s=%r crashed:\n%s" % (name, ".".join(path), value, run.crash)
    msg = run.msg or ""
    assert "Module failed" not in msg and "Traceback" not in run.output, msg
    assert leaked_forms(run.output, secrets_of(spec, path, value, issued_sessions)) == []
    assert sim.counters()["faz"]["open_sessions"] == 0, "a session was left open"
    if sent == 0:
        assert run.failed and names_option(msg, path), "%s %s=%r: no request, %s" % (name, path, value, msg)
    else:
        assert not must_refuse(path, option, value), "%s %s=%r was sent (%d requests): %s" % (
            name, ".".join(path), value, sent, msg)
        assert not run.failed or clear_message(msg) or masked_by_ansible(option, value), \
            "%s %s=%r: unclear failure %r" % (name, path, value, msg)
        assert sent <= spin_allowance(value, run.elapsed), "%s %s=%r: %d requests in %.1f s" % (
            name, path, value, sent, run.elapsed)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_any_value_of_any_option(sim, issued_sessions, data):
    name, _spec, path, _option, value = draw_case(data, sim)
    check_value(sim, issued_sessions, name, path, value)


# Every option of every module, each with PER_OPTION values drawn the same way every run: a draw over
# all options could miss one, this cannot.
OPTIONS = [(name, path) for name in MODULES for path, _option in option_paths(SPECS[name])]


@pytest.mark.parametrize("name, path", OPTIONS, ids=["%s-%s" % (name, ".".join(path)) for name, path in OPTIONS])
@settings(max_examples=PER_OPTION, deadline=None, derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_every_option_of_every_module(sim, issued_sessions, name, path, data):
    option = dict(option_paths(SPECS[name]))[path]
    value = data.draw(values_for(path, option, sim), label="value")
    check_value(sim, issued_sessions, name, path, value)


def test_every_module_and_option_is_covered():
    # Not a property: the inventory the property draws from, so a module that builds no spec is noticed.
    assert len(MODULES) >= 6
    for name in MODULES:
        assert product_of(SPECS[name]) in ("faz", "gz")
        assert secret_options(SPECS[name]), "%s has no no_log option" % name


WAIT_TIMEOUTS = st.sampled_from([1, 2]) | st.sampled_from([0, -1, -5, math.nan, math.inf, "nan", "1e999", "", None])


def running_task(sim, product):
    """Arguments naming a task that keeps running: a FortiAnalyzer seed task, or a GravityZone task of an hour."""
    if product == "faz":
        return {"tid": 12451}  # stays at 65 % forever
    return {"task_id": sim.gz_create_task(subtasks=3, duration=3600)}


@settings(max_examples=max(10, EXAMPLES // 10), deadline=None, derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_waiting_never_spins(sim, data):
    # The options test reads finished tasks; here the task keeps running, so a poll_interval that
    # is zero, tiny, NaN or infinite would show as a burst of requests or a run that never ends.
    waiting = [name for name in MODULES if "poll_interval" in SPECS[name] and name in KNOWN_ARGS
               and ("tid" in KNOWN_ARGS[name] or "task_id" in KNOWN_ARGS[name])]
    name = data.draw(st.sampled_from(waiting), label="module")
    spec = SPECS[name]
    poll = data.draw(values_for(("poll_interval",), spec["poll_interval"], sim), label="poll_interval")
    wait_timeout = data.draw(WAIT_TIMEOUTS, label="wait_timeout")
    sim.reset()
    sim.configure(gz_rate=0)
    args = baseline_args(sim, name, spec)
    args.update(running_task(sim, product_of(spec)), wait=True, poll_interval=poll, wait_timeout=wait_timeout)
    run = run_module(name, args)
    sent = request_count(sim)

    assert run.crash is None, run.crash
    if sent == 0:
        assert run.failed and ("poll_interval" in run.msg or "wait_timeout" in run.msg), run.msg
    else:
        assert not must_refuse(("poll_interval",), spec["poll_interval"], poll), "poll_interval=%r was used" % (poll,)
        assert run.elapsed < 15, "waited %.1f s with wait_timeout=%r" % (run.elapsed, wait_timeout)
        assert sent <= 6 + 4 * run.elapsed, "%d requests in %.1f s with poll_interval=%r" % (sent, run.elapsed, poll)
