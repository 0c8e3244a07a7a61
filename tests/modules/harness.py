"""Run one module of the collection in this process, as ansible-core runs it on a managed node.

``ModuleHarness.run(module, args, check_mode=False, env=None)`` imports
``ansible_collections.secops.async_tasks.plugins.modules.<module>`` from the checkout (tests/conftest.py
links the repo into ``.tmp/dev-collections``), hands it ``args`` the way the installed ansible-core
does (``ansible.module_utils.testing.patch_module_args`` on 2.19+, ``basic._ANSIBLE_ARGS`` before:
tests/unit/module_args.py),
calls ``main()`` with the real AnsibleModule, HTTP, input model and redaction, catches ``SystemExit``,
and parses the JSON the module printed. A ``ModuleResult`` is that JSON, which is what the controller
receives from the node, before the controller adds anything of its own.

What a managed node has and this process would otherwise share is set up per run: the environment
(only what ``env`` gives of the variables that change a run), the ``_ansible_*`` arguments (check
mode, a temp dir of the run's own), signal handlers (a module's Ctrl-C handler is put back) and the
module-side warning lists (not carried from one run into the next).

This file is the only place a test runs a module's code in-process: the task runner
(tests/modules/tasks.py) and the reliability helpers use it.
"""

import contextlib
import importlib

import json
import os
import signal
import tempfile
import time


from ansible.module_utils import basic
from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION

from ansible_collections.secops.async_tasks.plugins.plugin_utils.controller import ControllerModule
from ansible_collections.secops.async_tasks.tests.unit.module_args import patch_module_args  # noqa: F401 (property_helpers)

try:
    from ansible.module_utils.common import warnings as _module_warnings
except ImportError:  # pragma: no cover - every supported core has it
    _module_warnings = None

COLLECTION_MODULES = "ansible_collections.secops.async_tasks.plugins.modules."

# Variables of the test process that would change what a module does (a CA bundle, a proxy, the
# connection fallbacks): a managed node started by the test harness does not have them.
DROPPED_PREFIXES = ("ANSIBLE_", "FORTIANALYZER_", "GRAVITYZONE_")
DROPPED_NAMES = frozenset((
    "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR",
    "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy", "no_proxy",
))


class ModuleResult:
    """One run: ``result`` (the module's JSON, or None), ``rc`` (its exit status), ``stdout``/``stderr``
    (what it printed), ``crash`` (the traceback of an exception out of ``main()``, which ansible-core
    reports as a module failure; None when it answered with exit_json/fail_json) and ``elapsed``."""

    def __init__(self, module, args, rc, result, stdout, stderr, crash, elapsed):
        self.module = module
        self.args = args
        self.rc = rc
        self.result = result
        self.stdout = stdout
        self.stderr = stderr
        self.crash = crash
        self.elapsed = elapsed

    @property
    def output(self):
        return self.stdout + self.stderr

    @property
    def failed(self):
        return self.crash is not None or self.rc != 0 or bool((self.result or {}).get("failed"))

    @property
    def msg(self):
        return (self.result or {}).get("msg")

    def __repr__(self):
        return "<ModuleResult %s rc=%s msg=%r crash=%s>" % (self.module, self.rc, self.msg, bool(self.crash))


class ModuleHarness:
    """Runs modules of the collection in-process; ``runs`` counts the runs made through it."""

    def __init__(self, tmpdir=None):
        self.tmpdir = tmpdir
        self.runs = 0

    def run(self, module, args, check_mode=False, env=None):
        """Run ``<module>.main()`` with ``args``; never raises for what the module does."""
        code = importlib.import_module(COLLECTION_MODULES + module)
        self.runs += 1
        started = time.monotonic()
        with self._node(env) as tmpdir:
            wire_args = json.loads(json.dumps(args))  # what crosses to a node is JSON
            wire_args.update(self._internal_args(module, check_mode, tmpdir))
            # the one controller-side module class, the one the action plugins run modules with
            output = ControllerModule(code).run(wire_args)
        elapsed = time.monotonic() - started
        rc, crash, result = output.rc, output.traceback, None  # traceback: what a module must never raise
        try:
            result = json.loads(output.stdout)
        except ValueError:
            if crash is None:
                crash = "module output is not one JSON document:\n" + output.stdout + output.stderr
        return ModuleResult(module, args, rc, result, output.stdout, output.stderr, crash, elapsed)

    @staticmethod
    def _internal_args(module, check_mode, tmpdir):
        """The ``_ansible_*`` arguments the controller sends with every module (those this core knows)."""
        wanted = {"check_mode": bool(check_mode), "no_log": False, "debug": False, "diff": False, "verbosity": 0,
                  "version": ANSIBLE_VERSION, "module_name": "secops.async_tasks." + module,
                  "keep_remote_files": False, "tmpdir": tmpdir, "remote_tmp": tmpdir}
        return dict(("_ansible_" + name, value) for name, value in wanted.items() if name in basic.PASS_VARS)

    @contextlib.contextmanager
    def _node(self, env):
        """The per-run state of a managed node: environment, temp dir, signal handlers, warning lists."""
        saved_env = dict(os.environ)
        saved_signals = dict((signum, signal.getsignal(signum)) for signum in (signal.SIGINT, signal.SIGTERM))
        for name in list(os.environ):
            if name.startswith(DROPPED_PREFIXES) or name in DROPPED_NAMES:
                del os.environ[name]
        os.environ.update(dict((name, str(value)) for name, value in (env or {}).items()))
        _clear_module_warnings()
        try:
            with tempfile.TemporaryDirectory(prefix="ansible-moduletmp-", dir=self.tmpdir) as tmpdir:
                yield tmpdir
        finally:
            _clear_module_warnings()
            for signum, handler in saved_signals.items():
                signal.signal(signum, handler)
            os.environ.clear()
            os.environ.update(saved_env)


def _clear_module_warnings():
    """AnsibleModule's warnings and deprecations are process globals; a node starts with none."""
    for name in ("_global_warnings", "_global_deprecations"):
        container = getattr(_module_warnings, name, None)
        if container is not None and hasattr(container, "clear"):
            container.clear()
