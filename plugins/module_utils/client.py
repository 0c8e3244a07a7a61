# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The base of the product clients: names for messages, the check-mode gate and preview, secret scrubbing.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.

A product client (``faz.FortiAnalyzerClient``, ``gz.GravityZoneClient``) sends every API call
through ``ApiClient.call``. In check mode the runner does not make a call that would change state:
it makes the reads that validate the request (login and logout go out too), then asks ``preview``
for the request that would have been sent (secrets masked) and says what it would have done
(``common.check_mode_result``). ``call`` refuses to send a state-changing call in check mode, so a
runner that forgot the preview fails loudly instead of changing anything.
"""

from __future__ import annotations

import contextlib

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import AsyncTasksError
from ansible_collections.secops.async_tasks.plugins.module_utils.redaction import redact, redact_data


class Product:
    """Names used in messages: ``Product("FortiAnalyzer", "FORTIANALYZER", "host and port")``.

    ``address`` names the options that say where the product is, for "check ..." advice.
    """

    def __init__(self, name, env_prefix, address="host and port"):
        self.name = name
        self.env_prefix = env_prefix
        self.address = address


class ApiClient:
    """Base of the product clients: the check-mode gate lives here.

    A subclass says which calls change state (``changes_state``) and implements ``_call``;
    in check mode such calls are refused (the runner previews them instead). Reads, login and
    logout always run.
    """

    def __init__(self, transport, check_mode=False):
        self.transport = transport
        self.check_mode = check_mode

    def changes_state(self, method, target):  # pragma: no cover - abstract
        raise NotImplementedError

    def call(self, method, target, **kwargs):
        if self.check_mode and self.changes_state(method, target):
            raise AsyncTasksError("internal error: %s %s would have been sent in check mode; nothing was sent"
                                  % (method, target))
        with self.scrubbing():
            return self._call(method, target, **kwargs)

    def preview(self, method, target, params):
        """The request a state-changing call would send, for check mode: ``method``, ``target`` and
        ``params`` exactly as they would go out, secrets masked. Nothing is sent."""
        return redact_data(dict(method=method, target=target, params=params), self.transport.secrets)

    @contextlib.contextmanager
    def scrubbing(self):
        """Mask every known secret in an error raised inside, whatever text the server put in it."""
        try:
            yield
        except AsyncTasksError as err:
            secrets = self.transport.secrets
            err.msg = redact(err.msg, secrets)
            err.args = (err.msg,)
            err.details = redact_data(err.details, secrets)
            raise

    def _call(self, method, target, **kwargs):  # pragma: no cover - abstract
        raise NotImplementedError
