# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The AnsibleModule every module of the collection runs in.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
"""

from __future__ import annotations

import contextlib
import os
import signal
from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.basic import AnsibleFallbackNotFound, AnsibleModule, missing_required_lib

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import AsyncTasksError, Interrupted, InvalidInput
from ansible_collections.secops.async_tasks.plugins.module_utils.transport import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    Deadline,
    JsonRpcTransport,
    redact,
)


def env_fallback_set(*names):
    """Like ansible's env_fallback, but an empty or blank variable counts as unset.

    AWX injects every variable of a credential type, blank inputs included; an empty
    FORTIANALYZER_PORT must mean "use the default", not "port is not a number".
    """
    for name in names:
        value = os.environ.get(name)
        if value is not None and value.strip():
            return value
    raise AnsibleFallbackNotFound


# Requests of one batch in flight at once: enough to hide latency, gentle on the appliance.
BATCH_PARALLEL = 4
# Without wait, the whole run (retries included) gets this many request timeouts.
RUN_TIMEOUTS_WITHOUT_WAIT = 3
# With wait, this many request timeouts on top of wait_timeout, for the last poll.
RUN_TIMEOUTS_AFTER_WAIT = 2

WAIT_SPEC = dict(
    wait=dict(type="bool", default=False),
    wait_timeout=dict(type="int", default=300),
    poll_interval=dict(type="float", default=2.0),
)


def check_run_options(params):
    """Fail early on a timeout or wait option no run could honour."""
    if params["timeout"] <= 0:
        raise InvalidInput("timeout must be a positive number of seconds, got %d" % params["timeout"],
                           option="timeout")
    if params.get("wait"):
        if params["wait_timeout"] <= 0:
            raise InvalidInput("wait_timeout must be a positive number of seconds, got %d" % params["wait_timeout"],
                               option="wait_timeout")
        if params["poll_interval"] <= 0:
            raise InvalidInput("poll_interval must be a positive number of seconds, got %s" % params["poll_interval"],
                               option="poll_interval")


def run_batch(keys, one):
    """``one(key)`` for every distinct key, BATCH_PARALLEL at a time; answers in the order of ``keys``.

    ``one`` turns a task's own failure into an entry with ``failed`` and ``msg`` (see
    ``failed_entry``) so that the other tasks still count.
    """
    unique = list(dict.fromkeys(keys))
    pool = ThreadPoolExecutor(max_workers=min(BATCH_PARALLEL, len(unique)))
    try:
        answers = dict(zip(unique, pool.map(one, unique)))
    finally:
        # On an interruption, do not wait for queued work: the session is about to be closed.
        pool.shutdown(wait=False, cancel_futures=True)
    return [answers[key] for key in keys]


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


@contextlib.contextmanager
def signals_as_interrupts():
    """Turn SIGTERM and SIGINT into ``Interrupted`` so ``finally`` blocks (logout) run."""
    def interrupt(signum, frame):
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
    """An AnsibleModule that merges the connection options and reports errors safely."""

    def __init__(self, argument_spec, connection_spec, **kwargs):
        spec = dict(connection_spec)
        spec.update(argument_spec)
        kwargs.setdefault("supports_check_mode", True)
        super().__init__(argument_spec=spec, **kwargs)
        self.secrets = set(self.no_log_values)

    def remember_secret(self, value):
        """A secret learnt at run time (a session id): masked in all output from now on."""
        if value:
            self.secrets.add(value)
            self.no_log_values.add(value)

    def transport(self, base_url, product, deadline):
        params = self.params
        if not params["validate_certs"]:
            self.warn("validate_certs is false: the TLS certificate of %s is not verified, so anyone on the path "
                      "can read the credentials; pass ca_path instead where you can" % product.name)
        return JsonRpcTransport(base_url, product, deadline, timeout=params["timeout"],
                                validate_certs=params["validate_certs"], ca_path=params["ca_path"],
                                secrets=self.secrets)

    def run(self, work):
        """Call ``work()`` and exit with its result dict; every failure becomes ``fail_json``."""
        if not HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        try:
            with signals_as_interrupts():
                result = work()
        except AsyncTasksError as err:
            for secret in self.secrets:
                self.no_log_values.add(secret)
            details = dict((key, value) for key, value in err.details.items() if value is not None)
            self.fail_json(msg=redact(err.msg, self.secrets), **details)
        except Interrupted as sig:
            self.fail_json(msg="interrupted by %s; any session this task opened was logged out" % sig.args[0])
        for secret in self.secrets:
            self.no_log_values.add(secret)
        self.exit_json(**result)
