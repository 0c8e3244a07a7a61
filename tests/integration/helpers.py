"""The integration harness: run real ``ansible-playbook`` against the simulator, read the results.

``PlaybookRunner`` writes a playbook, runs the ``ansible-playbook`` of the Python running the tests
in a clean environment (no inherited ANSIBLE_*/FORTIANALYZER_* variables, its own HOME and temp
dirs, no stdin), and returns a ``PlaybookRun``. Module results come from the ``record_results``
callback (callback_plugins/), which writes every task result to a file exactly as the module
returned it; stdout stays the default callback's, which is what a user sees.
"""

import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time

import requests
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CALLBACK_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "callback_plugins")
DEV_COLLECTIONS = os.path.join(ROOT, ".tmp", "dev-collections")
COLLECTION = "secops.async_tasks"

FAZ_ADMIN = ("admin", "sim-admin-pass")
FAZ_VIEWER = ("viewer", "sim-viewer-pass")
FAZ_API_KEY = "simfazkey0123456789abcdefghijk"

# Inherited from the caller's shell, these would change what a run does (with-simulator.sh
# exports FORTIANALYZER_*; a CA bundle variable would make requests trust or distrust the sim).
_DROPPED_PREFIXES = ("ANSIBLE_", "FORTIANALYZER_", "GRAVITYZONE_")
_DROPPED_NAMES = frozenset((
    "PYTHONPATH", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR",
    "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy", "no_proxy",
))
# A safety net against a hung run, not a speed test: a batched playbook on a loaded machine takes minutes.
PLAYBOOK_TIMEOUT = 600


def collections_path():
    """Where ansible-playbook looks for the collection: the installed tarball (make) or the checkout."""
    return os.environ.get("SECOPS_COLLECTIONS_PATH") or DEV_COLLECTIONS


def target_python():
    """The managed node's Python: SECOPS_TARGET_PYTHON (the matrix sets it per cell), else this one."""
    return os.environ.get("SECOPS_TARGET_PYTHON") or sys.executable


def module_crashed(result):
    """True when a task result says the module crashed (an exception out of main()) instead of
    answering with exit_json/fail_json: "MODULE FAILURE" with module_stderr before ansible-core 2.19,
    "Module failed: ..." since. (The invocation is no proof of a clean answer: 2.21 no longer returns it.)
    """
    msg = str(result.get("msg", ""))
    return "module_stderr" in result or msg.startswith("MODULE FAILURE") or "Module failed:" in msg[:40]


def shows_invocation(run):
    """True when the run's results carry the module invocation (before ansible-core 2.21), which
    -vvvv prints with no_log values masked."""
    return any("invocation" in record["result"] for record in run.module_records())


def ansible_playbook():
    """The ansible-playbook installed next to the Python running the tests."""
    return os.path.join(os.path.dirname(sys.executable), "ansible-playbook")


def count_playbook_run():
    """Note one ansible-playbook start in the run's tally (tests/conftest.py prints it and holds the
    stage to SECOPS_MAX_PLAYBOOK_RUNS)."""
    tally = os.environ.get("SECOPS_PLAYBOOK_TALLY")
    if tally:
        with open(tally, "a", encoding="utf-8") as stream:
            stream.write("%s\n" % os.environ.get("PYTEST_CURRENT_TEST", "?").rsplit(" ", 1)[0])


def installed_module_path(module):
    return os.path.join(collections_path(), "ansible_collections", "secops", "async_tasks", "plugins", "modules",
                        module + ".py")


class PlaybookRun:
    """One ``ansible-playbook`` run: ``rc``, ``stdout``, ``stderr``, ``elapsed`` and the task records.

    Each record is ``{"name", "action", "status" (ok/failed/skipped/unreachable), "duration", "result"}``.
    """

    def __init__(self, argv, rc, stdout, stderr, records, elapsed, results_text):
        self.argv = argv
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.records = records
        self.elapsed = elapsed
        self.results_text = results_text

    @property
    def output(self):
        """Everything the run printed, and every recorded result, as one text (for leak checks)."""
        return "\n".join((self.stdout, self.stderr, self.results_text))

    def module_records(self):
        """Records of the tasks that ran a module of this collection, in order."""
        return [record for record in self.records if record["action"].startswith(COLLECTION + ".")]

    def record(self, name=None):
        """The record of task ``name``; without a name, of the one task that ran a collection module."""
        if name is None:
            found = self.module_records()
        else:
            found = [record for record in self.records if record["name"] == name]
        what = name or "the module task"
        assert len(found) == 1, "expected one record for %s, got %d\n%s" % (what, len(found), self.describe())
        return found[0]

    def result(self, name=None):
        """The module's result dict (see ``record``)."""
        return self.record(name)["result"]

    def ok_result(self, name=None):
        """The result of a task that must have succeeded."""
        record = self.record(name)
        assert record["status"] == "ok", "%s: %s, expected ok: %s\n%s" % (
            record["name"], record["status"], record["result"].get("msg"), self.describe())
        return record["result"]

    def failed_result(self, name=None):
        """The result of a task that must have failed (the status is in the record, not the result)."""
        record = self.record(name)
        assert record["status"] == "failed", "%s: %s, expected failed\n%s" % (record["name"], record["status"],
                                                                              self.describe())
        return record["result"]

    def describe(self):
        return "$ %s\nrc=%s elapsed=%.1fs\n--- stdout\n%s\n--- stderr\n%s" % (
            " ".join(self.argv), self.rc, self.elapsed, self.stdout, self.stderr)

    def __repr__(self):
        return "<PlaybookRun rc=%s records=%d>" % (self.rc, len(self.records))


class PlaybookRunner:
    """Callable that runs a playbook in ``workdir``; every run is kept in ``runs``."""

    def __init__(self, workdir):
        self.workdir = str(workdir)
        self.runs = []

    def __call__(self, tasks, env=None, check=False, verbosity=0, timeout=PLAYBOOK_TIMEOUT):
        """Run ``tasks`` and return a ``PlaybookRun``.

        ``tasks`` is a list of task dicts, YAML text of a task list, or YAML text of a whole
        playbook (a list of plays with ``hosts``), which is written as is.
        ``env`` adds environment variables (for example FORTIANALYZER_*).
        """
        run_dir = os.path.join(self.workdir, "run%d" % (len(self.runs) + 1))
        home = os.path.join(run_dir, "home")
        os.makedirs(home)
        playbook = os.path.join(run_dir, "playbook.yml")
        with open(playbook, "w", encoding="utf-8") as stream:
            stream.write(playbook_text(tasks))
        inventory = os.path.join(run_dir, "inventory.ini")
        with open(inventory, "w", encoding="utf-8") as stream:
            stream.write("localhost ansible_connection=local ansible_python_interpreter=%s\n" % target_python())
        config = os.path.join(run_dir, "ansible.cfg")  # empty: nothing from /etc/ansible or a cwd ansible.cfg
        open(config, "w", encoding="utf-8").close()
        results_path = os.path.join(run_dir, "results.jsonl")

        argv = [sys.executable, ansible_playbook(), "-i", inventory, playbook]
        if check:
            argv.append("--check")
        if verbosity:
            argv.append("-" + "v" * verbosity)
        run_env = clean_environment()
        run_env.update(
            HOME=home,
            ANSIBLE_CONFIG=config,
            ANSIBLE_LOCAL_TEMP=os.path.join(run_dir, "local-tmp"),
            ANSIBLE_REMOTE_TEMP=os.path.join(run_dir, "remote-tmp"),
            ANSIBLE_COLLECTIONS_PATH=collections_path(),
            ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="False",
            ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default",
            ANSIBLE_CALLBACK_PLUGINS=CALLBACK_DIR,
            ANSIBLE_CALLBACKS_ENABLED="record_results",
            ANSIBLE_LOCALHOST_WARNING="False",
            ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
            ANSIBLE_RETRY_FILES_ENABLED="False",
            ANSIBLE_NOCOLOR="True",
            ANSIBLE_PYTHON_INTERPRETER=target_python(),
            SECOPS_TEST_RESULTS=results_path,
        )
        if os.environ.get("SECOPS_TARGET_PYTHON"):
            # A managed-node Python under test: the modules must be shipped to it, not run in the controller.
            run_env["SECOPS_ASYNC_TASKS_IN_CONTROLLER"] = "false"
        run_env.update(env or {})

        started = time.monotonic()
        count_playbook_run()
        rc, stdout, stderr = _run(argv, run_dir, run_env, timeout)
        elapsed = time.monotonic() - started
        results_text = ""
        if os.path.exists(results_path):
            with open(results_path, encoding="utf-8") as stream:
                results_text = stream.read()
        records = [json.loads(line) for line in results_text.splitlines() if line.strip()]
        run = PlaybookRun(argv, rc, stdout, stderr, records, elapsed, results_text)
        self.runs.append(run)
        return run


def clean_environment():
    """os.environ without what would change a run, with this Python's bin dir first on PATH."""
    env = dict((name, value) for name, value in os.environ.items()
               if not name.startswith(_DROPPED_PREFIXES) and name not in _DROPPED_NAMES)
    env["PATH"] = os.pathsep.join((os.path.dirname(sys.executable), env.get("PATH", os.defpath)))
    return env


def _run(argv, cwd, env, timeout):
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the group this run started: ansible and its workers
        stdout, stderr = process.communicate()
        raise AssertionError("ansible-playbook did not finish within %d s\n--- stdout\n%s\n--- stderr\n%s"
                             % (timeout, stdout, stderr)) from None
    return process.returncode, stdout, stderr


def playbook_text(tasks):
    """YAML of a one-play playbook on localhost running ``tasks`` (or ``tasks`` if it is a playbook)."""
    if isinstance(tasks, str):
        parsed = yaml.safe_load(tasks)
        if _is_playbook(parsed):
            return tasks
        tasks = parsed
    if _is_playbook(tasks):
        return yaml.safe_dump(tasks, sort_keys=False)
    play = {"name": "Integration test", "hosts": "localhost", "gather_facts": False, "tasks": tasks}
    return yaml.safe_dump([play], sort_keys=False)


def _is_playbook(document):
    return (isinstance(document, list) and bool(document)
            and all(isinstance(item, dict) and "hosts" in item for item in document))


# -- building tasks -----------------------------------------------------------------------------
def faz_connection(sim, **overrides):
    """Connection options for the simulator (admin with password, trusted CA); None drops an option."""
    options = dict(host="127.0.0.1", port=sim.port, username=FAZ_ADMIN[0], password=FAZ_ADMIN[1],
                   ca_path=sim.ca_path)
    options.update(overrides)
    return dict((name, value) for name, value in options.items() if value is not None)


def faz_env(sim, **overrides):
    """The FORTIANALYZER_* environment for the simulator (as AWX would inject it)."""
    options = faz_connection(sim, **overrides)
    return dict(("FORTIANALYZER_" + name.upper(), str(value)) for name, value in options.items())


def module_task(module, name=None, **args):
    """A task running ``secops.async_tasks.<module>`` with ``args``."""
    return {"name": name or module, COLLECTION + "." + module: args}


CONTROL_SCRIPT = os.path.join(ROOT, "tests", "simulator", "control.py")


def sim_call_step(sim, name, path, body=None, register=None):
    """A task that calls the simulator from the play itself, in the controller: POST ``body`` to ``path``.

    tests/simulator/control.py makes the call through the ``ansible.builtin.pipe`` lookup, which costs a
    Python start where an ``ansible.builtin.uri`` task ran a module in a process of its own. With
    ``register``, the answer is ``{{ REGISTER.json }}``, as the uri module's was. ``body`` may hold
    Jinja (a session a previous step opened): it is templated before the call is made.
    """
    argv = ["SIM_FAZ_URL=" + sim.faz_url, "SIM_CA_PATH=" + sim.ca_path, sys.executable, CONTROL_SCRIPT, "POST", path,
            json.dumps(body if body is not None else {})]
    answer = "{{ lookup('ansible.builtin.pipe', sim_call_command) | from_json }}"
    return {"name": name, "vars": {"sim_call_command": " ".join(shlex.quote(arg) for arg in argv)},
            "ansible.builtin.set_fact": {register or "sim_call_answer": {"json": answer}}}


# -- talking to the simulator directly ----------------------------------------------------------
def faz_rpc(sim, method, url, session=None, api_key=None, data=None):
    """One FortiAnalyzer JSON-RPC call made by the test itself; returns the reply envelope."""
    params = {"url": url}
    if data is not None:
        params["data"] = data
    payload = {"method": method, "params": [params], "id": 1}
    if session is not None:
        payload["session"] = session
    headers = {"Authorization": "Bearer %s" % api_key} if api_key else {}
    reply = requests.post(sim.faz_url + "/jsonrpc", json=payload, headers=headers, verify=sim.ca_path, timeout=10)
    reply.raise_for_status()
    return reply.json()


def faz_status_code(envelope):
    """The status code of a seed-shape reply (login, logout), or of a top-level error."""
    if "error" in envelope:
        return envelope["error"]["code"]
    return envelope["result"][0]["status"]["code"]


def faz_login(sim, user=FAZ_ADMIN[0], password=FAZ_ADMIN[1]):
    """Log in as the test (not the module); returns the session id."""
    envelope = faz_rpc(sim, "exec", "/sys/login/user", data={"user": user, "passwd": password})
    assert faz_status_code(envelope) == 0 and envelope.get("session"), envelope
    return envelope["session"]


def faz_logout(sim, session):
    """Log a session out; returns the status code (0 when the session was still alive)."""
    return faz_status_code(faz_rpc(sim, "exec", "/sys/logout", session=session))


def faz_log(sim, method=None, url=None):
    """The simulator's FortiAnalyzer request log, optionally only one method and/or URL."""
    return [entry for entry in sim.log("faz")
            if (method is None or entry.get("method") == method) and (url is None or entry.get("url") == url)]


def closed_port():
    """A TCP port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
