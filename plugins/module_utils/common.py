# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The run skeleton every module of the collection shares, whatever the product.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.

``AsyncTasksModule`` runs a module's ``work()`` and turns every failure into a safe ``fail_json``;
``ids_to_read`` and ``run_one_or_many`` are "one id or a batch of ids" for every read module;
``check_mode_result`` is the answer of a writing module in check mode (the change previewed, not sent);
``params_deadline`` gives every run the same limits (docs/design.md), and ``wait_options`` the typed
wait record (with that one deadline) the runners pass down to polling. Every option value has been
checked by the input model (inputs.py) before ``work()`` starts, and every result, message and
warning leaves with every wire form of every secret masked (redaction.py).
"""

from __future__ import annotations

import contextlib
import signal

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.secops.async_tasks.plugins.module_utils import inputs
from ansible_collections.secops.async_tasks.plugins.module_utils.concurrency import run_batch
from ansible_collections.secops.async_tasks.plugins.module_utils.errors import (
    ApiError,
    AsyncTasksError,
    Interrupted,
    InvalidInput,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.polling import WaitOptions
from ansible_collections.secops.async_tasks.plugins.module_utils.redaction import redact, redact_data
from ansible_collections.secops.async_tasks.plugins.module_utils.transcript import TranscriptWriter
from ansible_collections.secops.async_tasks.plugins.module_utils.urls import url_password
from ansible_collections.secops.async_tasks.plugins.module_utils.transport import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    Deadline,
    JsonRpcTransport,
)

# Without wait, the whole run (retries included) gets this many request timeouts.
RUN_TIMEOUTS_WITHOUT_WAIT = 3
# Options that hold a URL, where a user name and password could be written (they are refused, and masked).
URL_OPTIONS = ("host", "api_url")
# With wait, this many request timeouts on top of wait_timeout, for the last poll.
RUN_TIMEOUTS_AFTER_WAIT = 2


def failed_entry(err, **identity):
    """A batch entry for a task that failed: its identity, the error's details, ``failed`` and ``msg``."""
    entry = dict(err.details)
    entry.update(identity)
    entry.update(failed=True, msg=err.msg)
    return entry


def batch_failure(results, noun):
    """Message for a batch in which some entries failed, naming the first few."""
    failed = [item for item in results if item.get("failed")]
    listed = "; ".join(item["msg"] for item in failed[:3])
    more = " and %d more" % (len(failed) - 3) if len(failed) > 3 else ""
    return "%d of %d %s failed: %s%s" % (len(failed), len(results), noun, listed, more)


def run_deadline(timeout, wait=False, wait_timeout=0):
    """The module run's one deadline (see docs/design.md)."""
    if wait:
        return Deadline(wait_timeout + RUN_TIMEOUTS_AFTER_WAIT * timeout)
    return Deadline(RUN_TIMEOUTS_WITHOUT_WAIT * timeout)


def params_deadline(params):
    """``run_deadline`` from a module's options (``wait`` ones only where the module has them)."""
    return run_deadline(params["timeout"], params.get("wait", False), params.get("wait_timeout", 0))


def wait_options(params, on_poll=None):
    """The run's typed wait record and its one deadline, built once from the module's options.

    A module without ``wait`` options gets ``wait`` False and the deadline alone; ``on_poll`` is
    polling's progress hook (``WaitOptions``).
    """
    return WaitOptions(wait=params.get("wait", False), timeout=params.get("wait_timeout", 0),
                       interval=params.get("poll_interval", 0), deadline=params_deadline(params), on_poll=on_poll)


def ids_to_read(params, one, many, validate):
    """``(ids, batch)`` from a module whose option ``one`` takes an id and ``many`` a list of ids.

    ``validate(value, option)`` checks each id and returns it in its canonical form.
    """
    if params[many] is not None:
        if not params[many]:
            raise InvalidInput("%s is empty: give at least one task id" % many, option=many)
        return [validate(value, many) for value in params[many]], True
    return [validate(params[one], one)], False


def run_one_or_many(ids, batch, read_one, failed, noun, facts_key):
    """The result of a read module, for one id or a batch of them.

    ``read_one(id)`` returns one task's public result; ``failed(err, id)`` the entry of a batch
    task that raised. One id: its result at the top level and under ``ansible_facts[facts_key]``.
    A batch: ``results`` in the order asked (read BATCH_PARALLEL at a time over the one client);
    if any failed, the module fails after reading the others, naming the first few (``noun``).
    """
    if not batch:
        result = read_one(ids[0])
        return dict(changed=False, ansible_facts={facts_key: result}, **result)

    def one(key):
        try:
            return read_one(key)
        except AsyncTasksError as err:
            return failed(err, key)

    results = run_batch(ids, one)
    if any(item.get("failed") for item in results):
        raise ApiError(batch_failure(results, noun), results=results)
    return dict(changed=False, results=results, ansible_facts={facts_key: {"results": results}})


def check_mode_result(client, call, what, **result):
    """The result of a writing module in check mode: the change ``call`` would make, previewed.

    ``call`` is ``(method, target, params)`` of the state-changing call; the client's ``preview``
    (secrets masked) is returned as ``request`` so that the run shows exactly what would have been sent.
    """
    result.update(changed=True, msg="check mode: would %s (nothing was changed)" % what,
                  request=client.preview(*call))
    return result


@contextlib.contextmanager
def signals_as_interrupts():
    """Turn SIGTERM and SIGINT into ``Interrupted`` so ``finally`` blocks (logout) run.

    Only the first signal interrupts. Ansible follows its SIGINT to a worker with a SIGTERM as soon
    as the playbook unwinds (``WORKER_SHUTDOWN_POLL_COUNT`` is 0 by default); raised again, that
    second signal would abort the logout (or a log search's delete) the first one started. So later
    signals are noted and dropped until the block ends: the clean-up is bounded by its own timeouts
    (``faz.LOGOUT_ATTEMPTS`` within ``logout_timeout``), and SIGKILL still ends the process.
    """
    received = []

    def interrupt(signum, frame):
        received.append(signum)
        if len(received) == 1:
            raise Interrupted(signal.Signals(signum).name)

    previous = {}
    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            previous[signum] = signal.signal(signum, interrupt)
        except (ValueError, OSError):  # not the main thread: leave signals alone
            pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class AsyncTasksModule(AnsibleModule):
    """An AnsibleModule that reports errors safely; every module of the collection runs in one.

    A module passes its whole ``argument_spec`` (built beside its DOCUMENTATION from the pieces in
    specs.py) and its ``bounds`` (option name -> ``inputs.Bound``, declared beside it), and calls ``run(work)``.

    ``progress`` is None in a shipped module. A run in the controller (plugin_utils/controller.py)
    sets it to a callable taking one line of text; waits report through it (polling.py).
    """

    progress = None

    def __init__(self, argument_spec, bounds=None, **kwargs):
        kwargs.setdefault("supports_check_mode", True)
        self._set_aside = []
        self.bounds = bounds or {}
        super().__init__(argument_spec=argument_spec, **kwargs)
        self.secrets = set(self.no_log_values)

    def _load_params(self):
        """Ansible's, then the values its validation would crash on set aside (inputs.prevalidate)."""
        super()._load_params()
        self._set_aside = inputs.prevalidate(self.argument_spec, self.params)

    def check_inputs(self):
        """The input model (inputs.py) on every option; keys are stripped, and kept as secrets stripped too."""
        for name in URL_OPTIONS:  # a password in a URL is masked like any secret, even when the URL is refused
            if url_password(self.params.get(name)):
                self.remember_secret(url_password(self.params[name]))
        if self._set_aside:
            raise self._set_aside[0]
        inputs.check_params(self.argument_spec, self.params, self.bounds)
        for name in inputs.KEYS:
            if self.params.get(name):
                self.remember_secret(self.params[name])

    def remember_secret(self, value):
        """A secret (a stripped key, a session id) masked in all output from now on."""
        self.secrets.add(value)
        self.no_log_values.add(value)

    def warn(self, warning):
        super().warn(redact(warning, self.secrets))

    @classmethod
    def reading_one_or_many(cls, argument_spec, one, many, **kwargs):
        """The module of a read that takes one id (option ``one``) or a list (``many``): exactly one of them."""
        return cls(argument_spec=argument_spec, mutually_exclusive=[(one, many)], required_one_of=[(one, many)],
                   **kwargs)

    def transport(self, base_url, product, deadline):
        params = self.params
        if not params["validate_certs"]:
            self.warn("validate_certs is false: the TLS certificate of %s is not verified, so anyone on the path "
                      "can read the credentials; pass ca_path instead where you can" % product.name)
        transcript = TranscriptWriter(params["transcript"], self.secrets, warn=self.warn) if params.get("transcript") else None
        return JsonRpcTransport(base_url, product, deadline, timeout=params["timeout"],
                                validate_certs=params["validate_certs"], ca_path=params["ca_path"],
                                secrets=self.secrets, transcript=transcript, warn=self.warn, report=self.progress)

    def run(self, work):
        """Check the options, call ``work()`` and exit with its result; every failure becomes ``fail_json``.

        Whatever leaves (result, message, details) has every form of every secret masked, the
        session ids learnt during the run included.
        """
        if not HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        try:
            with signals_as_interrupts():
                self.check_inputs()
                result = work()
        except AsyncTasksError as err:
            self.no_log_values.update(self.secrets)
            details = dict((key, value) for key, value in err.details.items() if value is not None)
            self.fail_json(msg=redact(err.msg, self.secrets), **redact_data(details, self.secrets))
        except Interrupted as sig:
            self.fail_json(msg="interrupted by %s; any session this task opened was logged out" % sig.args[0])
        self.no_log_values.update(self.secrets)
        self.exit_json(**redact_data(result, self.secrets))
