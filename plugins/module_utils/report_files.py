# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Report files on disk: atomic writes, the idempotence sidecar, unpacking, and streamed decoding.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.

A report is written to a temporary file in ``dest``'s own directory and renamed over ``dest`` only
once it is complete and checked, so ``dest`` never holds part of a report: an interrupted download
leaves the previous file (or none) and no temporary file. Bodies are never held whole in memory:
``Base64Sink`` decodes base64 as it arrives, and ``JsonStringDiverter`` lifts the one large string
of a JSON reply (a FortiAnalyzer report's base64 ``data``) out of the stream while the rest of the
reply, a few hundred bytes, is kept to be parsed as usual.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import stat
import tempfile
import zipfile

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import InvalidInput, MalformedResponse

SIDECAR_SUFFIX = ".report.json"
SIDECAR_VERSION = 1
DEFAULT_MODE = 0o600
# Strings of a JSON reply longer than this are streamed out instead of kept (one such string at most).
DIVERT_THRESHOLD = 256 * 1024
PLACEHOLDER = "\u0000streamed\u0000"
# Unpacking refuses archives that would expand past this many bytes, or hold more members than this.
MAX_UNPACKED = 8 * 1024 ** 3
MAX_MEMBERS = 10000
COPY_CHUNK = 1024 * 1024
_STRING_STOP = re.compile(rb'["\\]')


def parse_mode(mode, option="mode"):
    """An octal permission string (``'0640'``, ``'640'``) as an int; the default 0600 for None."""
    if mode is None:
        return DEFAULT_MODE
    text = str(mode).strip()
    if not re.match(r"^0?[0-7]{3}$", text):
        raise InvalidInput("%s %r is not an octal file mode such as '0600' or '0640'" % (option, mode), option=option)
    return int(text, 8)


def check_dest(dest, option="dest"):
    """``dest`` made absolute; its directory must exist and be writable, and dest must not be a directory."""
    if not dest:
        raise InvalidInput("%s is required: the path the report is saved to" % option, option=option)
    path = os.path.abspath(os.path.expanduser(dest))
    directory = os.path.dirname(path)
    if os.path.isdir(path):
        raise InvalidInput("%s %s is a directory: give the path of the file to write" % (option, path), option=option)
    if not os.path.isdir(directory):
        raise InvalidInput("%s: directory %s does not exist; create it first" % (option, directory), option=option)
    if not os.access(directory, os.W_OK | os.X_OK):
        raise InvalidInput("%s: directory %s is not writable by this user" % (option, directory), option=option)
    if os.path.exists(path) and not os.access(path, os.W_OK) and not os.access(directory, os.W_OK):
        raise InvalidInput("%s %s exists and cannot be replaced" % (option, path), option=option)
    return path


class AtomicFile:
    """A file written beside ``dest`` and renamed over it on ``commit()``; ``discard()`` removes it.

    ``write`` keeps the size and the sha256 of what was written. ``reset()`` empties it for a retry.
    Used in ``with``: leaving the block without ``commit()`` (an error, an interruption) discards it.
    """

    def __init__(self, dest, mode=DEFAULT_MODE):
        self.dest = dest
        self.mode = mode
        directory = os.path.dirname(dest) or "."
        handle, self.temp_path = tempfile.mkstemp(prefix=".%s." % os.path.basename(dest), suffix=".part",
                                                  dir=directory)
        os.fchmod(handle, mode)
        self._file = os.fdopen(handle, "wb")
        self.size = 0
        self._hash = hashlib.sha256()
        self.committed = False

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if not self.committed:
            self.discard()
        return False

    def write(self, data):
        if data:
            self._file.write(data)
            self.size += len(data)
            self._hash.update(data)

    def reset(self):
        self._file.seek(0)
        self._file.truncate()
        self.size = 0
        self._hash = hashlib.sha256()

    @property
    def sha256(self):
        return self._hash.hexdigest()

    def head(self, count=4):
        """The first ``count`` bytes written (to tell a zip from a plain file)."""
        self._file.flush()
        with open(self.temp_path, "rb") as handle:
            return handle.read(count)

    def commit(self):
        """Flush, sync and rename over ``dest``; returns ``dest``."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self.temp_path, self.dest)
        self.committed = True
        return self.dest

    def discard(self):
        try:
            self._file.close()
        finally:
            try:
                os.unlink(self.temp_path)
            except OSError:
                pass


class Base64Sink:
    """Decodes base64 text fed in pieces into ``target.write``; whitespace is ignored, anything else refused."""

    def __init__(self, target, where):
        self.target = target
        self.where = where
        self._rest = b""
        self.finished = False

    def feed(self, text):
        if isinstance(text, str):
            text = text.encode("ascii", "replace")
        data = self._rest + b"".join(text.split())
        usable = len(data) - len(data) % 4
        self._rest = data[usable:]
        if usable:
            self._decode(data[:usable])

    def close(self):
        if self._rest:
            raise MalformedResponse("%s: the base64 data ends in the middle of a group (%d characters left over)"
                                    % (self.where, len(self._rest)))
        self.finished = True

    def _decode(self, chunk):
        try:
            self.target.write(base64.b64decode(chunk, validate=True))
        except (binascii.Error, ValueError):
            raise MalformedResponse("%s: the data is not valid base64" % self.where) from None


class JsonStringDiverter:
    """Reads a JSON document in pieces; the one string longer than ``threshold`` goes to ``sink`` (its
    text, unescaped), and ``skeleton()`` is the document with that string replaced by ``PLACEHOLDER``.

    Memory stays about ``threshold`` plus the rest of the document, whatever the size of the string.
    A second large string is refused (a report reply has one). Only the escapes base64 can carry are
    decoded while streaming (``\\/``, ``\\n``, ``\\r``, ``\\t``, and ``\\u00XX``); others are refused.
    """

    def __init__(self, sink_factory, threshold=DIVERT_THRESHOLD, where="the reply"):
        self._sink_factory = sink_factory
        self.threshold = threshold
        self.where = where
        self._parts = []  # the skeleton so far
        self._in_string = False
        self._string = bytearray()  # the current string, raw (escapes kept) while it is small
        self._escape = b""  # an escape cut by a chunk boundary
        self.sink = None  # the diverted string's sink, once there is one
        self._diverting = False
        self.diverted = False

    def feed(self, chunk):
        position, size = 0, len(chunk)
        while position < size:
            if not self._in_string:
                quote = chunk.find(b'"', position)
                if quote < 0:
                    self._parts.append(chunk[position:])
                    return
                self._parts.append(chunk[position:quote + 1])
                self._in_string, self._string = True, bytearray()
                position = quote + 1
                continue
            if self._escape:
                position = self._continue_escape(chunk, position)
                continue
            stop = _STRING_STOP.search(chunk, position)
            end = stop.start() if stop else size
            self._take(chunk[position:end])
            if stop is None:
                return
            if chunk[end:end + 1] == b'"':
                self._end_string()
                position = end + 1
            else:
                self._escape = b"\\"
                position = end + 1

    def _continue_escape(self, chunk, position):
        """Add to an escape sequence (``\\x`` or ``\\uXXXX``) that may be cut by chunk boundaries."""
        if len(self._escape) < 2:
            self._escape += chunk[position:position + 1]
            position += 1
        needed = 6 if self._escape[1:2] == b"u" else 2
        piece = chunk[position:position + max(0, needed - len(self._escape))]
        self._escape += piece
        position += len(piece)
        if len(self._escape) < needed:
            return position
        escape, self._escape = self._escape, b""
        if self._diverting:
            self.sink.feed(_unescape_base64(escape, self.where))
        else:
            self._string += escape
            self._check_size()
        return position

    def _take(self, piece):
        if not piece:
            return
        if self._diverting:
            self.sink.feed(piece)
        else:
            self._string += piece
            self._check_size()

    def _check_size(self):
        if len(self._string) <= self.threshold:
            return
        if self.diverted:
            raise MalformedResponse("%s holds more than one large value; only a report's data is expected to be large"
                                    % self.where)
        self.sink = self._sink_factory()
        self._diverting = self.diverted = True
        try:
            text = json.loads(b'"' + bytes(self._string) + b'"')
        except ValueError:
            raise MalformedResponse("%s holds a string that is not valid JSON" % self.where) from None
        self._string = bytearray()
        self.sink.feed(text)

    def _end_string(self):
        self._in_string = False
        if self._diverting:
            self._diverting = False
            self.sink.close()
            self._parts.append(json.dumps(PLACEHOLDER)[1:].encode("ascii"))
        else:
            self._parts.append(bytes(self._string) + b'"')
        self._string = bytearray()

    def skeleton(self):
        if self._in_string or self._escape:
            raise MalformedResponse("%s ends inside a string" % self.where)
        return b"".join(self._parts)


def _unescape_base64(escape, where):
    simple = {b"\\/": b"/", b"\\n": b"", b"\\r": b"", b"\\t": b""}
    if escape in simple:
        return simple[escape]
    if escape[1:2] == b"u" and len(escape) == 6:
        try:
            code = int(escape[2:], 16)
        except ValueError:
            code = None
        if code is not None and code < 0x80:
            return bytes([code])
    raise MalformedResponse("%s: the report data holds an escape (%r) that base64 never needs" % (where, escape))


# -- the sidecar: what dest holds, for idempotence ---------------------------------------------------

def sidecar_path(dest):
    return dest + SIDECAR_SUFFIX


def read_sidecar(dest):
    """The sidecar's content when it and ``dest`` agree (dest's sha256 is the one recorded), else None."""
    path = sidecar_path(dest)
    try:
        with open(path, "r", encoding="utf-8") as handle:
            record = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("version") != SIDECAR_VERSION:
        return None
    if not os.path.isfile(dest) or file_sha256(dest) != record.get("sha256"):
        return None
    return record


def write_sidecar(dest, record, mode=DEFAULT_MODE):
    """Write the sidecar atomically: what identifies the report (no secret ever goes in it)."""
    with AtomicFile(sidecar_path(dest), mode) as out:
        out.write(json.dumps(dict(record, version=SIDECAR_VERSION), sort_keys=True, indent=1).encode("utf-8"))
        out.commit()


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(COPY_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def same_report(record, identity):
    """True when the sidecar describes a report with the same identity (layout/type, period, format...)."""
    return record is not None and all(record.get(key) == value for key, value in identity.items())


# -- unpacking ---------------------------------------------------------------------------------------

def is_zip(head):
    return head[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def unpack(archive, directory, mode=DEFAULT_MODE):
    """Extract ``archive`` into ``directory`` (made when missing): ``[{path, size, sha256}]``.

    Member names are flattened to their base name (no path leaves ``directory``); each member is written
    atomically with ``mode``; archives past MAX_MEMBERS members or MAX_UNPACKED bytes are refused.
    """
    if not os.path.isdir(directory):
        os.makedirs(directory, mode=0o700)
    files = []
    try:
        with zipfile.ZipFile(archive) as package:
            members = [info for info in package.infolist() if not info.is_dir()]
            if len(members) > MAX_MEMBERS or sum(info.file_size for info in members) > MAX_UNPACKED:
                raise MalformedResponse("the report archive is too large to unpack (%d members)" % len(members))
            seen = set()
            for info in members:
                name = os.path.basename(info.filename.replace("\\", "/"))
                if not name or name in (".", "..") or name in seen:
                    raise MalformedResponse("the report archive holds a member name that cannot be unpacked safely: %r"
                                            % info.filename)
                seen.add(name)
                target = os.path.join(directory, name)
                with package.open(info) as source, AtomicFile(target, mode) as out:
                    for block in iter(lambda: source.read(COPY_CHUNK), b""):
                        out.write(block)
                    out.commit()
                files.append({"path": target, "size": out.size, "sha256": out.sha256})
    except zipfile.BadZipFile:
        raise MalformedResponse("the report archive is not a valid zip file") from None
    return files


def unpack_dir(dest):
    """Where a report archive at ``dest`` is unpacked: ``report.zip`` -> ``report/``."""
    base, ext = os.path.splitext(dest)
    return base if ext.lower() == ".zip" and base else dest + ".d"


def file_mode(path):
    return "%04o" % stat.S_IMODE(os.stat(path).st_mode)
