# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run a module of this collection inside the current Python process, as the shipped module would run.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.

``ControllerModule(code).run(args)`` calls ``code.main()`` - the module's own entry point, with its
own ``AnsibleModule`` (ansible-core's argument validation, then the collection's input model) - with
``args`` handed over exactly as AnsiballZ hands them (the same JSON, the same serialisation profile
on ansible-core 2.19 and later), and returns a ``ModuleOutput``: the text the module printed, its
exit code, and, if ``main()`` raised instead of answering, a failed result whose message has every
form of every secret of the run masked. What the module changes in the process for its run is put
back afterwards: ansible-core's parameter and warning globals and its "this is the controller" flag
(2.19+: the module's warnings go into its result as on a managed node), ``sys.stdout``/``sys.stderr``, the
environment, the working directory, the locale and the signal handlers.

Two callers share it: the action plugins (plugin_utils/action.py), which run a task's module in the
worker process when the module would run on the controller anyway, and the in-process test harness.
The run may be given ``progress``, a callable taking one line of text: the module's waits report
through it (module_utils/polling.py); the shipped module has no such channel.
"""

from __future__ import annotations

import contextlib
import io
import json
import locale
import os
import signal
import threading
import traceback

from ansible.module_utils import basic
from ansible.module_utils.common import warnings as core_warnings

try:  # ansible-core 2.19 and later: a flag that makes AnsibleModule.warn() print on the controller's display
    from ansible.module_utils import _internal as core_internal
except ImportError:
    core_internal = None

try:  # ansible-core 2.19 and later: arguments and results travel in a serialisation profile
    from ansible.module_utils.common.json import Direction, get_module_encoder
except ImportError:  # ansible-core 2.16 to 2.18: plain JSON
    Direction = get_module_encoder = None

from ansible_collections.secops.async_tasks.plugins.module_utils.redaction import redact

# The profile ansible-core gives a module that declares none (all of ours).
DEFAULT_PROFILE = "legacy"
# Globals of ansible.module_utils.common.warnings a run fills; each gets an empty one of its own.
_WARNING_GLOBALS = ("_global_warnings", "_global_deprecations")
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGALRM", "SIGHUP") if hasattr(signal, name))
# One run at a time per process: the module globals above are process-wide.
_RUN_LOCK = threading.Lock()


class ModuleOutput:
    """What a run of ``main()`` left: ``stdout`` (the result JSON), ``stderr``, ``rc`` and ``crash``.

    ``crash`` is None when the module answered with exit_json/fail_json, else the failed result
    the run ends with (a dict, secrets masked). ``result()`` is the module's answer as a dict.
    """

    def __init__(self, stdout, stderr, rc, crash, traceback_text=None):
        self.stdout = stdout
        self.stderr = stderr
        self.rc = rc
        self.crash = crash
        # The unmasked traceback of a crash, for tests only: it may hold a secret and is never shown.
        self.traceback = traceback_text

    def result(self):
        """The answer as the shipped module would have printed it, parsed as plain JSON."""
        if self.crash is not None:
            return dict(self.crash)
        lines = self.stdout.strip().splitlines()
        return json.loads(lines[-1]) if lines else {"failed": True, "msg": "the module printed nothing"}


def encode_args(args, profile=DEFAULT_PROFILE):
    """``args`` as the bytes AnsiballZ gives a module (``{"ANSIBLE_MODULE_ARGS": args}``)."""
    payload = {"ANSIBLE_MODULE_ARGS": args}
    if get_module_encoder is not None:
        return json.dumps(payload, cls=get_module_encoder(profile, Direction.CONTROLLER_TO_MODULE)).encode("utf-8")
    return json.dumps(payload).encode("utf-8")


class ControllerModule:
    """One module of the collection (its Python module object, with ``main``) run in this process."""

    def __init__(self, code):
        self.code = code

    def run(self, args, profile=DEFAULT_PROFILE, environment=None, progress=None):
        """Run ``main()`` with ``args`` (internal ``_ansible_*`` keys included as the caller wants them).

        ``environment`` (a dict) is set in ``os.environ`` for the run only, as the task's
        ``environment:`` would be for the shipped module. Returns a ``ModuleOutput``. Exceptions
        that are not the module's (KeyboardInterrupt, ansible-core's task timeout) pass through
        once everything is put back; the module's own ``finally`` blocks (logout) have run by then.
        """
        with _RUN_LOCK:
            modules = []
            stdout, stderr = io.StringIO(), io.StringIO()
            rc, crash, trace = None, None, None
            with _isolated(args, profile, environment), _watching(modules, progress), \
                    contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                try:
                    self.code.main()
                    rc = 0
                except SystemExit as exited:
                    rc = exited.code if isinstance(exited.code, int) else (0 if exited.code is None else 1)
                except Exception as err:  # pylint: disable=broad-except  # a module bug: a failed result, masked
                    crash = crash_result(err, modules, args)
                    trace = traceback.format_exc()
            return ModuleOutput(stdout.getvalue(), stderr.getvalue(), rc, crash, trace)


def crash_result(err, modules, args):
    """The failed result of a ``main()`` that raised: the exception in one line, every secret masked."""
    secrets = set()
    for module in modules:
        secrets.update(str(value) for value in getattr(module, "no_log_values", ()) if value)
    for name, value in args.items():
        if isinstance(value, str) and any(word in name for word in ("password", "key", "session", "token")):
            secrets.add(value)
    where = traceback.extract_tb(err.__traceback__)[-1] if err.__traceback__ else None
    place = " (%s, line %d)" % (os.path.basename(where.filename), where.lineno) if where else ""
    text = "%s: %s" % (type(err).__name__, err)
    return {"failed": True, "changed": False,
            "msg": "MODULE FAILURE: the module crashed in the controller%s: %s"
                   % (place, basic.remove_values(redact(text, secrets), secrets))}


@contextlib.contextmanager
def _isolated(args, profile, environment):
    """The process as a fresh module process would see it, for the run; everything put back after."""
    saved_args = (basic._ANSIBLE_ARGS, getattr(basic, "_ANSIBLE_PROFILE", None), getattr(basic, "_PARSED_MODULE_ARGS", None))
    saved_warnings = dict((name, getattr(core_warnings, name)) for name in _WARNING_GLOBALS
                          if hasattr(core_warnings, name))
    saved_handlers = _signal_handlers()
    saved_environ = dict(os.environ)
    saved_cwd = _cwd()
    saved_locale = _locale()
    # The module runs as on a managed node: its warnings go into its result, not onto the display.
    saved_controller = getattr(core_internal, "is_controller", None)
    if saved_controller is not None:
        core_internal.is_controller = False
    basic._ANSIBLE_ARGS = encode_args(args, profile)
    if hasattr(basic, "_ANSIBLE_PROFILE"):
        basic._ANSIBLE_PROFILE = profile
    for name, value in saved_warnings.items():
        setattr(core_warnings, name, type(value)())
    if environment:
        os.environ.update(dict((str(key), str(value)) for key, value in environment.items()))
    try:
        yield
    finally:
        if saved_controller is not None:
            core_internal.is_controller = saved_controller
        basic._ANSIBLE_ARGS = saved_args[0]
        if hasattr(basic, "_ANSIBLE_PROFILE"):
            basic._ANSIBLE_PROFILE = saved_args[1]
        if hasattr(basic, "_PARSED_MODULE_ARGS"):
            basic._PARSED_MODULE_ARGS = saved_args[2]
        for name, value in saved_warnings.items():
            setattr(core_warnings, name, value)
        for signum, handler in saved_handlers.items():
            if signal.getsignal(signum) is not handler:
                signal.signal(signum, handler)
        _restore_environ(saved_environ)
        if saved_cwd is not None and _cwd() != saved_cwd:
            os.chdir(saved_cwd)
        if saved_locale is not None:
            with contextlib.suppress(locale.Error):
                locale.setlocale(locale.LC_ALL, saved_locale)


@contextlib.contextmanager
def _watching(modules, progress):
    """Collect the AnsibleModule(s) the run creates (their no_log values mask a crash) and give them ``progress``."""
    original = basic.AnsibleModule.__init__

    def init(self, *args, **kwargs):
        modules.append(self)
        self.progress = progress
        original(self, *args, **kwargs)

    basic.AnsibleModule.__init__ = init
    try:
        yield
    finally:
        basic.AnsibleModule.__init__ = original


def _signal_handlers():
    if threading.current_thread() is not threading.main_thread():
        return {}
    return dict((signum, signal.getsignal(signum)) for signum in _SIGNALS)


def _restore_environ(saved):
    for name in list(os.environ):
        if name not in saved:
            del os.environ[name]
    for name, value in saved.items():
        if os.environ.get(name) != value:
            os.environ[name] = value


def _cwd():
    try:
        return os.getcwd()
    except OSError:
        return None


def _locale():
    try:
        return locale.setlocale(locale.LC_ALL)
    except locale.Error:
        return None


def load_module(name, collection="secops.async_tasks"):
    """The Python module of ``name`` (a module of this collection), imported once per process."""
    import importlib  # pylint: disable=import-outside-toplevel

    namespace, package = collection.split(".")
    return importlib.import_module("ansible_collections.%s.%s.plugins.modules.%s" % (namespace, package, name))


def module_name(action_module):
    """The module an action plugin of this collection stands for: the one with its name."""
    return action_module.rsplit(".", 1)[-1]
