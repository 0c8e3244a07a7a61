# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The run skeleton every module of the collection shares, whatever the product.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.

``AsyncTasksModule`` runs a module's ``work()`` and turns every failure into a safe ``fail_json``;
``ids_to_read`` and ``run_one_or_many`` are "one id or a batch of ids" for every read module;
``check_mode_result`` is the answer of a writing module whose change check mode skipped;
``check_run_options`` and ``params_deadline`` give every run the same limits (docs/design.md).
"""

from __future__ import annotations

import contextlib
import signal

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.secops.async_tasks.plugins.module_utils.concurrency import run_batch
from ansible_collections.secops.async_tasks.plugins.module_utils.errors import (
    ApiError,
    AsyncTasksError,
    Interrupted,
    InvalidInput,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.transcript import TranscriptWriter
from ansible_collections.secops.async_tasks.plugins.module_utils.transport import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    Deadline,
    JsonRpcTransport,
    redact,
)

# Without wait, the whole run (retries included) gets this many request timeouts.
RUN_TIMEOUTS_WITHOUT_WAIT = 3
# With wait, this many request timeouts on top of wait_timeout, for the last poll.
RUN_TIMEOUTS_AFTER_WAIT = 2


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


def check_mode_result(skipped, what, **result):
    """The result of a writing module whose change check mode did not send.

    ``skipped`` is the client's ``SkippedInCheckMode``: its request (secrets masked) is returned
    so that the run shows exactly what would have been sent.
    """
    result.update(changed=True, msg="check mode: would %s (nothing was changed)" % what,
                  request=skipped["request"])
    return result


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
    """An AnsibleModule that reports errors safely; every module of the collection runs in one.

    A module passes its whole ``argument_spec`` (built beside its DOCUMENTATION from the pieces in
    specs.py) and calls ``run(work)``.
    """

    def __init__(self, argument_spec, **kwargs):
        kwargs.setdefault("supports_check_mode", True)
        super().__init__(argument_spec=argument_spec, **kwargs)
        self.secrets = set(self.no_log_values)

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
        transcript = TranscriptWriter(params["transcript"], self.secrets) if params.get("transcript") else None
        return JsonRpcTransport(base_url, product, deadline, timeout=params["timeout"],
                                validate_certs=params["validate_certs"], ca_path=params["ca_path"],
                                secrets=self.secrets, transcript=transcript)

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
