"""GravityZone pieces of the integration tests: connection options, the seed examples, the request log.

The seed values below are copied by hand from the API document (/work/shared/seeds/002), not from
the simulator's fixtures, so that a test compares the module's output with the contract and not
with the simulator's own copy of it. ``normalised_subtask`` is written from the module's RETURN
documentation, as an oracle independent of plugins/module_utils/gz.py.
"""

import base64
import json
import time

import requests

from tests.integration.helpers import COLLECTION, module_crashed, module_task

GZ_API_KEY = "simgzkey0123456789abcdef0123456789abcdef"
GZ_NOAPI_KEY = "simgzkeyNOAPI0123456789abcdef0123456789ab"
GZ_WRONG_KEY = "simgzkeyWRONGf00ba40123456789abcdef012345"

SEED_V11_TASK = "65f46d08c6d2865b32048ba3"
SEED_V10_TASK = "21a295eeb1a43d8b497b23b7"
BIG_TASK = "6500000000000000000f5000"
BIG_TASK_SUBTASKS = 5000
BIG_TASK_FAILED = 37
UNKNOWN_TASK = "0123456789abcdef01234567"  # well formed, never issued by the simulator
KEY_VARIABLES = {GZ_API_KEY: "SECOPS_TEST_GZ_API_KEY", GZ_NOAPI_KEY: "SECOPS_TEST_GZ_NOAPI_KEY",
                 GZ_WRONG_KEY: "SECOPS_TEST_GZ_WRONG_KEY"}

# The keys gz_task_status returns for one task (RETURN, "returned: with task_id").
TASK_KEYS = ("task_id", "name", "status", "status_name", "finished", "succeeded", "type", "type_name", "start_date",
             "owner", "company", "total_targets", "unaccounted_targets", "api_version", "subtasks", "subtask_counts",
             "failed_subtasks", "subtasks_complete", "pages_fetched")

SEED_V11_PARAMS = {
    "taskId": SEED_V11_TASK,
    "options": {"returnSubtasks": True, "page": 5, "perPage": 1},
    "subtaskFilters": {"status": 3, "endedAfter": "2024-03-14T19:45:10", "endedBefore": "2024-03-16T19:45:00"},
}
# The module options that say the same as the seed's request.
SEED_V11_OPTIONS = dict(task_id=SEED_V11_TASK, page=5, per_page=1, subtask_status="finished",
                        ended_after="2024-03-14T19:45:10", ended_before="2024-03-16T19:45:00")

SEED_V11_FINISHED_SUBTASK = {
    "endpoint_id": "65f466d8c9dd23034805****", "endpoint_name": "Computer 10-L9OWIy", "endpoint_type": 262,
    "endpoint_type_name": "best_agent", "status": 3, "status_name": "finished", "start_date": "2024-03-15T17:45:13",
    "end_date": "2024-03-15T17:55:12", "failed": False, "error_code": None, "error_message": None,
}
SEED_V11_FAILED_SUBTASK = {
    "endpoint_id": "660c1d628bd2f47cae59****", "endpoint_name": "bdvm-virtual-machine", "endpoint_type": 262,
    "endpoint_type_name": "best_agent", "status": 2, "status_name": "in_progress", "start_date": "2024-04-03T14:16:16",
    "end_date": "2024-04-03T14:16:17", "failed": True, "error_code": "1",
    "error_message": "Endpoint client has lost connection with Security Server [1]",
}
# The seed's v1.1 response as the module documents it: one page (page 5) of a filtered list, so
# the subtasks are not complete; a failed subtask was seen, so the task did not succeed.
SEED_V11_RESULT = {
    "task_id": SEED_V11_TASK,
    "name": "Quick Scan 2024-03-15",
    "status": 3,
    "status_name": "finished",
    "finished": True,
    "succeeded": False,
    "type": 1,
    "type_name": "scan",
    "start_date": "2024-03-15T17:45:13",
    "owner": {"id": "65f17fcddb53ec33e302****", "user_name": "owner@example.email.com"},
    "company": {"id": "65f17fcddb53ec33e30****", "name": "Bitdefender"},
    "total_targets": 5,
    "unaccounted_targets": 0,  # a filtered page: the subtasks are not all known
    "api_version": "1.1",
    "subtasks": [SEED_V11_FINISHED_SUBTASK, SEED_V11_FAILED_SUBTASK],
    "subtask_counts": {"pending": 0, "in_progress": 1, "finished": 1, "unknown": 0, "failed": 1},
    "failed_subtasks": [SEED_V11_FAILED_SUBTASK],
    "subtasks_complete": False,
    "pages_fetched": 1,
}

SEED_V10_PARAMS = {"taskId": SEED_V10_TASK}
SEED_V10_RESULT = {
    "task_id": SEED_V10_TASK,
    "name": "task",
    "status": 1,
    "status_name": "pending",
    "finished": False,
    "succeeded": None,
    "type": 1,
    "type_name": "scan",
    "start_date": "2023-10-27T12:08:42",
    "owner": {"id": "21a295eeb1a43d8b497b23ba", "user_name": "owner@example.email.com"},
    "company": {"id": "21a295eeb1a43d8b497b23bb", "name": "Example"},
    "total_targets": None,
    "unaccounted_targets": 0,
    "api_version": "1.0",
    "subtasks": [],
    "subtask_counts": {"pending": 0, "in_progress": 0, "finished": 0, "unknown": 0, "failed": 0},
    "failed_subtasks": [],
    "subtasks_complete": False,
    "pages_fetched": 0,
}

STATUS_NAMES = {0: "pending", 1: "pending", 2: "in_progress", 3: "finished"}
ENDPOINT_TYPE_NAMES = {260: "active_directory", 262: "best_agent", 265: "aws_ec2"}


# -- building tasks -----------------------------------------------------------------------------
def gz_options(sim, **overrides):
    """The connection option values for the simulator (the good key, trusted CA); None drops an option."""
    options = dict(api_url=sim.gz_api_url, api_key=GZ_API_KEY, ca_path=sim.ca_path)
    options.update(overrides)
    return dict((name, value) for name, value in options.items() if value is not None)


def key_option(key):
    """How a playbook names an API key: a lookup of a variable ``run_gz`` sets, as a vault variable would be.

    ansible-core prints the playbook lines around a failed task ("Origin:"), so a key written
    into the playbook would be printed by ansible itself; the modules must not print it either.
    """
    return "{{ lookup('ansible.builtin.env', '%s') }}" % KEY_VARIABLES[key] if key in KEY_VARIABLES else key


def gz_connection(sim, **overrides):
    """Connection options for a task (see ``gz_options``), the key as ``key_option``."""
    options = gz_options(sim, **overrides)
    if "api_key" in options:
        options["api_key"] = key_option(options["api_key"])
    return options


def gz_env(sim, **overrides):
    """The GRAVITYZONE_* environment for the simulator (as AWX would inject it)."""
    options = gz_options(sim, **overrides)
    return dict(("GRAVITYZONE_" + name.upper(), str(value)) for name, value in options.items())


def status_task(sim, name=None, **args):
    """A gz_task_status task with the simulator's connection options; ``args`` add or replace options."""
    args = dict(gz_connection(sim), **args)
    if "api_key" in args:
        args["api_key"] = key_option(args["api_key"])
    return module_task("gz_task_status", name=name, **args)


def ignoring_errors(task):
    """``task`` with ``ignore_errors: true``, so that later tasks of the playbook still run."""
    return dict(task, ignore_errors=True)


def task_fields(result):
    """The documented task keys of a module result (drops changed, invocation, ansible_facts...)."""
    missing = [key for key in TASK_KEYS if key not in result]
    assert not missing, "result lacks %s: %s" % (missing, sorted(result))
    return dict((key, result[key]) for key in TASK_KEYS)


def assert_task_result(result, expected):
    """``result`` holds exactly ``expected`` under the documented keys, and the same in the facts."""
    assert task_fields(result) == expected
    assert result["changed"] is False
    assert result["ansible_facts"]["gz_task"] == expected


# -- talking to the simulator directly ----------------------------------------------------------
def gz_rpc(sim, params, version="1.1", method="getTaskStatus", api_key=GZ_API_KEY):
    """One JSON-RPC call made by the test itself; returns the reply envelope."""
    payload = {"params": params, "jsonrpc": "2.0", "method": method, "id": "test"}
    reply = requests.post("%s/v%s/jsonrpc/network" % (sim.gz_api_url, version), json=payload, auth=(api_key, ""),
                          verify=sim.ca_path, timeout=10)
    reply.raise_for_status()
    return reply.json()


def raw_subtasks(sim, task_id):
    """Every subtask of a task as the simulator sends it, read by the test (1000 a page).

    It costs rate-limit tokens and log entries: call it before ``sim.reset()`` or before the run.
    """
    subtasks = []
    page = 1
    while True:
        params = {"taskId": task_id, "options": {"returnSubtasks": True, "page": page, "perPage": 1000}}
        result = gz_rpc(sim, params)["result"]
        subtasks.extend(result["subtasks"])
        if not result["hasMoreSubtasks"]:
            return subtasks
        page += 1


def normalised_subtask(raw):
    """A simulator subtask in the form gz_task_status documents (RETURN: subtasks)."""
    return {
        "endpoint_id": raw["endpointId"],
        "endpoint_name": raw["endpointName"],
        "endpoint_type": raw["endpointType"],
        "endpoint_type_name": ENDPOINT_TYPE_NAMES.get(raw["endpointType"], "unknown"),
        "status": raw["status"],
        "status_name": STATUS_NAMES.get(raw["status"], "unknown"),
        "start_date": raw.get("startDate"),
        "end_date": raw.get("endDate"),
        "failed": "errorCode" in raw or "errorMessage" in raw,
        "error_code": raw.get("errorCode"),
        "error_message": raw.get("errorMessage"),
    }


def gz_log(sim, **match):
    """The simulator's GravityZone request log, optionally only entries whose fields equal ``match``."""
    return [entry for entry in sim.log("gz") if all(entry.get(name) == value for name, value in match.items())]


def subtask_pages(sim, **match):
    """``(page, perPage)`` of every answered getTaskStatus request that asked for subtasks, in order."""
    return [(entry["page"], entry["perPage"])
            for entry in gz_log(sim, method="getTaskStatus", returnSubtasks=True, http_status=200, **match)]


def record_gz_requests(sim, monkeypatch):
    """A list that receives ``{"version", "body", "status", "reply", "at"}`` for every GravityZone request.

    ``sim.log("gz")`` cannot tell which page a refused (429) request asked for: the simulator
    refuses it before reading the body. This keeps the parsed body (never the Authorization header).
    """
    console = sim._app.gz  # pylint: disable=protected-access  # the simulator runs in this process
    handle = console.handle
    received = []

    def recording_handle(http_method, version, raw, authorization, **options):
        reply = handle(http_method, version, raw, authorization, **options)
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw
        received.append({"version": version, "body": body, "status": reply.status, "reply": reply.body,
                         "at": time.monotonic()})
        return reply

    monkeypatch.setattr(console, "handle", recording_handle)
    return received


def start_at_first_request(sim, monkeypatch, task_id):
    """Make a task made with ``sim.gz_create_task`` start running at the first request for it.

    Its subtasks progress over ``duration`` seconds from then, not from its creation: however long
    ansible-playbook takes to start on a busy machine, the module's first poll sees it unfinished.
    """
    console = sim._app.gz  # pylint: disable=protected-access  # the simulator runs in this process
    handle = console.handle
    started = []

    def starting_handle(http_method, version, raw, authorization, **options):
        if not started:
            started.append(True)
            console._tasks[task_id].created = console._clock()  # pylint: disable=protected-access
        return handle(http_method, version, raw, authorization, **options)

    monkeypatch.setattr(console, "handle", starting_handle)


def requested_page(request):
    """The ``options.page`` a recorded getTaskStatus request asked for (None: not a subtask page)."""
    options = request["body"]["params"].get("options", {})
    return options.get("page") if options.get("returnSubtasks") else None


def answered_status(request):
    """The task status number in the answer to a recorded getTaskStatus request."""
    return request["reply"]["result"]["status"]


# -- what must never be printed -----------------------------------------------------------------
def _basic_credentials(key):
    return base64.b64encode(("%s:" % key).encode("ascii")).decode("ascii")


SECRETS = tuple(secret for key in (GZ_API_KEY, GZ_NOAPI_KEY, GZ_WRONG_KEY) for secret in (key, _basic_credentials(key)))


def assert_no_secret(run):
    """Neither an API key nor its Basic-auth form appears in anything the run printed or returned."""
    for secret in SECRETS:
        assert secret not in run.output, "an API key leaked into the output of:\n%s" % run.describe()


def run_gz(run_playbook, tasks, **kwargs):
    """``run_playbook(tasks, **kwargs)`` with the keys ``key_option`` names; no API key may be printed or returned."""
    env = dict((variable, key) for key, variable in KEY_VARIABLES.items())
    env.update(kwargs.pop("env", None) or {})
    run = run_playbook(tasks, env=env, **kwargs)
    assert_no_secret(run)
    return run


def check_invariants(sim, runs, changing=()):
    """What tests/integration/conftest.py checks after every test, except that the modules named in
    ``changing`` (gz_scan_task creates a task) must report ``changed: true`` when they succeed."""
    assert sim.counters()["faz"]["open_sessions"] == 0
    for run in runs:
        assert "Traceback" not in run.output, run.describe()
        assert_no_secret(run)
        for record in run.module_records():
            result = record["result"]
            expected = record["status"] == "ok" and record["action"] in ["%s.%s" % (COLLECTION, module)
                                                                         for module in changing]
            assert result.get("changed") is expected, "%s reported changed=%r" % (record["name"], result.get("changed"))
            assert not module_crashed(result), \
                "%s crashed instead of failing cleanly: %s" % (record["name"], result.get("msg"))
