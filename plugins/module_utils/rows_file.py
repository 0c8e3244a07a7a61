# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Rows written to a file instead of the result: JSON lines or CSV, mode 0600, replaced atomically.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.

Ten thousand rows in a registered result cost ansible-core seconds of CPU (it registers, tags and
scrubs every value); a file costs one write. ``write_rows`` masks every form of every secret in the
rows first (redaction.py), serialises them, and replaces ``dest`` with a temporary file of the same
directory (created 0600, flushed to disk, renamed over ``dest``), so a reader never sees half a file
and no other user can read it at any moment. It changes nothing when ``dest`` already holds the
same bytes with mode 0600, and writes nothing in check mode.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import stat
import tempfile

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import InvalidInput
from ansible_collections.secops.async_tasks.plugins.module_utils.redaction import redact_data

FORMATS = ("jsonl", "csv")
FILE_MODE = 0o600


def serialise(rows, fmt, fields=None):
    """The bytes of ``rows`` in ``fmt``: one JSON object a line, or CSV with a header line.

    CSV columns are ``fields`` when given, else every key in the order first seen; a value that is
    not a string is written as JSON (``true``, ``12``, ``["a"]``), a missing or null one as empty.
    """
    if fmt == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")
    columns = list(fields or [])
    if not columns:
        seen = {}
        for row in rows:
            for key in row:
                seen.setdefault(key, None)
        columns = list(seen)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return text.getvalue().encode("utf-8")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def check_dest(dest):
    """``dest`` as an absolute path whose directory exists, or InvalidInput naming ``dest``."""
    path = os.path.abspath(os.path.expanduser(dest))
    directory = os.path.dirname(path)
    if not os.path.isdir(directory):
        raise InvalidInput("dest %s: the directory %s does not exist; create it first" % (dest, directory),
                           option="dest")
    if os.path.isdir(path):
        raise InvalidInput("dest %s is a directory: give the path of a file" % dest, option="dest")
    return path


def write_rows(dest, rows, fmt, fields, secrets, check_mode=False):
    """Write ``rows`` (secrets masked) to ``dest``; ``{path, format, size, sha256, rows, changed}``."""
    path = check_dest(dest)
    data = serialise(redact_data(rows, secrets), fmt, fields)
    digest = hashlib.sha256(data).hexdigest()
    changed = not _holds(path, digest)
    if changed and not check_mode:
        try:
            _replace(path, data)
        except OSError as err:
            raise InvalidInput("dest %s could not be written: %s" % (dest, err.strerror or err), option="dest") from None
    return {"path": path, "format": fmt, "size": len(data), "sha256": digest, "rows": len(rows), "changed": changed}


def _holds(path, digest):
    """True when ``path`` is a file of mode 0600 holding bytes with this sha256."""
    try:
        if stat.S_IMODE(os.stat(path).st_mode) != FILE_MODE:
            return False
        with open(path, "rb") as stream:
            return hashlib.sha256(stream.read()).hexdigest() == digest
    except OSError:
        return False


def _replace(path, data):
    directory, name = os.path.split(path)
    handle, temporary = tempfile.mkstemp(prefix=".%s." % name, suffix=".tmp", dir=directory)  # mode 0600
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
