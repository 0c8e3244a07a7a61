# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Typed errors of the collection's clients.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.

Every message is built from safe parts (option names, task ids, status codes, server
messages after redaction), so a module can hand ``str(error)`` to ``fail_json`` as is.
"""

from __future__ import annotations


class AsyncTasksError(Exception):
    """Base of every error a module turns into ``fail_json``.

    ``details`` are extra, secret-free keys returned beside ``msg`` (for example
    ``code`` or ``percentage``) so that playbooks can branch on a failure.
    """

    def __init__(self, msg, **details):
        super().__init__(msg)
        self.msg = msg
        self.details = details

    def __str__(self):
        return self.msg


class InvalidInput(AsyncTasksError):
    """A user-supplied option value is wrong; raised before any request is sent."""


class ConnectionFailure(AsyncTasksError):
    """The appliance could not be reached (refused, reset, DNS, timeout)."""


class TLSFailure(ConnectionFailure):
    """The TLS handshake or certificate verification failed."""


class AuthenticationFailure(AsyncTasksError):
    """Credentials were refused."""


class PermissionDenied(AsyncTasksError):
    """Credentials were accepted but may not do this."""


class TaskNotFound(AsyncTasksError):
    """The task id is unknown, expired, or belongs to another ADOM/view."""


class RateLimited(AsyncTasksError):
    """The server kept answering 429 until the deadline."""


class ServerError(AsyncTasksError):
    """The server answered with an HTTP error that retries did not cure."""


class MalformedResponse(AsyncTasksError):
    """The reply was not JSON, or not of a shape this collection understands."""


class ApiError(AsyncTasksError):
    """The API answered the request with an error status."""


class DeadlineExceeded(AsyncTasksError):
    """The module's overall deadline passed before the work was done."""


class TaskWaitTimeout(AsyncTasksError):
    """``wait: true`` and the task did not finish within ``wait_timeout``."""


class Interrupted(BaseException):
    """SIGTERM/SIGINT arrived; raised so every ``finally`` (logout) still runs.

    A BaseException, like KeyboardInterrupt, so that broad ``except Exception``
    blocks cannot swallow it.
    """
