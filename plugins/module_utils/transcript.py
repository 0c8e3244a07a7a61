# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The ``transcript`` option: every request and reply of a run, secrets replaced, as JSON lines.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.

docs/transcripts.md describes the format; the test suite's simulator can serve a transcript back.
Nothing secret is written: values under secret-looking keys (passwords, API keys, session ids,
tokens, Authorization) and every secret the run knows, wherever it appears, are replaced first.

Only a regular file of the user running the module is ever written (``open_private``): a symbolic
link at the path, a device, a FIFO, a directory or a file owned by someone else is refused, and so
is a world-writable directory without the sticky bit (a sticky one, such as ``/tmp``, is used with a
warning). The open follows no link and never blocks; the file is created with mode 0600, and an
existing file of ours loses any group or other permission. A relative path is taken from the home
directory of that user. Once open, a write that fails (disk full, I/O error) is one warning and the
end of the transcript, never the end of the run.
"""

from __future__ import annotations

import datetime
import json
import errno
import os
import stat
import threading

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import InvalidInput
from ansible_collections.secops.async_tasks.plugins.module_utils.redaction import is_secret_key
from ansible_collections.secops.async_tasks.plugins.module_utils.transport import redact

FORMAT_VERSION = 1
MARK = "<redacted>"
# Reply headers worth keeping: why a request was retried, and what a non-JSON body was.
KEPT_HEADERS = ("Retry-After", "Content-Type")
CONNECTION_ERROR = "connection"
# No link followed, no blocking on a FIFO, no controlling terminal taken, not inherited by children.
OPEN_FLAGS = (os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
              | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))


def scrub(value, secrets):
    """``value`` with secret keys' values and every known secret replaced (dicts, lists, strings)."""
    if isinstance(value, dict):
        return dict((key, MARK if _secret_key(key, value[key]) else scrub(value[key], secrets)) for key in value)
    if isinstance(value, list):
        return [scrub(item, secrets) for item in value]
    if isinstance(value, str):
        return redact(value, secrets).replace("********", MARK)
    return value


def _secret_key(key, value):
    return is_secret_key(key) and value not in (None, "", [], {})


def _decoded(text, secrets):
    """A body as JSON when it is JSON, else as (scrubbed) text."""
    if text is None:
        return None
    try:
        return scrub(json.loads(text), secrets)
    except ValueError:
        return scrub(text, secrets)


def resolve(path):
    """The absolute path a ``transcript`` value names: a relative one is taken from the user's home directory."""
    path = os.path.expanduser(path)
    if not os.path.isabs(path):
        path = os.path.join(os.path.expanduser("~"), path)
    return os.path.normpath(path)


def open_private(path, option="transcript", warn=None):
    """A descriptor open for appending to ``path``, a regular file of ours (created 0600), or InvalidInput."""
    def refuse(why, what_to_do="give the path of a regular file of your own"):
        raise InvalidInput("%s %s %s: %s" % (option, path, why, what_to_do), option=option)

    directory = os.path.dirname(path) or os.sep
    try:
        folder = os.stat(directory)
    except OSError as err:
        refuse("cannot be written (%s)" % (err.strerror or err), "give a file in a directory you can write to")
    if folder.st_mode & stat.S_IWOTH:
        if not folder.st_mode & stat.S_ISVTX:
            refuse("is in %s, a world-writable directory without the sticky bit, where anyone can replace "
                   "the file" % directory, "give a file in a directory only you can write to")
        if warn is not None:
            warn("%s %s is in %s, a world-writable directory: other users can see that it exists; prefer a "
                 "directory of your own" % (option, path, directory))
    try:
        descriptor = os.open(path, OPEN_FLAGS | os.O_CREAT | os.O_EXCL, 0o600)
        created = True
    except FileExistsError:
        created = False
        try:
            descriptor = os.open(path, OPEN_FLAGS)
        except OSError as err:
            _refuse_existing(path, err, refuse)
    except OSError as err:
        refuse("cannot be written (%s)" % (err.strerror or err), "give a file in a directory you can write to")
    try:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode):
            refuse("is not a regular file (a device, a FIFO or a directory)")
        if found.st_uid != os.geteuid():
            refuse("is owned by another user (uid %d); it is neither read nor changed" % found.st_uid)
        if not created and stat.S_IMODE(found.st_mode) & 0o077:
            os.fchmod(descriptor, 0o600)  # it will hold request data: never readable by others
        _blocking(descriptor)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _refuse_existing(path, err, refuse):
    """Why an existing ``path`` could not be opened: a link (O_NOFOLLOW), not a file, or an OS error."""
    try:
        found = os.lstat(path)
    except OSError:
        found = None
    if err.errno == errno.ELOOP or (found is not None and stat.S_ISLNK(found.st_mode)):
        refuse("is a symbolic link; links are never followed")
    if found is not None and not stat.S_ISREG(found.st_mode):
        refuse("is not a regular file (a device, a FIFO or a directory)")
    refuse("cannot be written (%s)" % (err.strerror or err), "give a file in a directory you can write to")


def _blocking(descriptor):
    try:
        import fcntl  # pylint: disable=import-outside-toplevel  # POSIX only
    except ImportError:  # pragma: no cover
        return
    flags = fcntl.fcntl(descriptor, fcntl.F_GETFL)
    fcntl.fcntl(descriptor, fcntl.F_SETFL, flags & ~getattr(os, "O_NONBLOCK", 0))


def _write(descriptor, data):
    return os.write(descriptor, data)


class TranscriptWriter:
    """Appends one JSON line per exchange to ``path``; safe to share between the threads of a batch.

    ``warn`` (a module's ``warn``) hears about a sticky world-writable directory and about the first
    write that fails; after that failure nothing more is written and nothing raises.
    """

    def __init__(self, path, secrets, option="transcript", warn=None):
        self.path = resolve(path)
        self._secrets = secrets
        self._warn = warn
        self._option = option
        self._lock = threading.Lock()
        self._descriptor = open_private(self.path, option, warn)

    def record(self, method, url, body_text, status=None, reply_text=None, headers=None, error=None):
        """Write one exchange: the request sent, and the reply (or ``error``: no reply came)."""
        entry = {"v": FORMAT_VERSION, "time": _now(), "method": method, "url": scrub(url, self._secrets),
                 "params": _decoded(body_text, self._secrets)}
        if error is not None:
            entry["error"] = CONNECTION_ERROR
        else:
            entry["status"] = status
            entry["body"] = _decoded(reply_text, self._secrets)
            kept = dict((name, headers[name]) for name in KEPT_HEADERS if headers and headers.get(name))
            if kept and not isinstance(entry["body"], (dict, list)):
                entry["headers"] = scrub(kept, self._secrets)
            elif kept.get("Retry-After"):
                entry["headers"] = scrub({"Retry-After": kept["Retry-After"]}, self._secrets)
        try:
            line = (json.dumps(entry, separators=(",", ":"), ensure_ascii=False) + "\n").encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate from the wire: kept, as the \\u escape it came as
            line = (json.dumps(entry, separators=(",", ":")) + "\n").encode("ascii")
        with self._lock:
            if self._descriptor is not None:
                self._append(line)

    def _append(self, data):
        """Write all of ``data`` (a short write is continued); on failure warn once and stop writing."""
        view = memoryview(data)
        try:
            while view:
                view = view[_write(self._descriptor, view):]
        except OSError as err:
            self._give_up(err)

    def _give_up(self, err):
        descriptor, self._descriptor = self._descriptor, None
        try:
            os.close(descriptor)
        except OSError:
            pass
        if self._warn is not None:
            self._warn(self._failure(err))

    def _failure(self, err):
        return ("%s %s could not be written (%s); the run went on without it and the transcript stops there"
                % (self._option, self.path, err.strerror or err))

    def close(self):
        with self._lock:
            descriptor, self._descriptor = self._descriptor, None
            if descriptor is not None:
                try:
                    os.close(descriptor)
                except OSError as err:  # NFS reports a failed write at close; the descriptor is gone either way
                    if self._warn is not None:
                        self._warn(self._failure(err))


def _now():
    moment = datetime.datetime.now(datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)
