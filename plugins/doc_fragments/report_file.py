# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """A report saved as a file, for both products (argspec: module_utils/specs.py REPORT_FILE_SPEC)."""

    DOCUMENTATION = r"""
options:
  dest:
    description:
      - Path of the file to write. Its directory must exist and be writable; this is checked before anything
        is sent, in check mode too.
      - Written atomically - to a temporary file in the same directory, renamed once the whole report arrived -
        so it never holds part of a report; an interrupted download leaves the previous file (or none) and no
        temporary file.
    type: path
    required: true
  mode:
    description:
      - Permissions of O(dest) and of the unpacked files, as an octal string such as V(0640). Defaults to
        V(0600) (reports hold what the consoles know about the network).
    type: str
  unpack:
    description:
      - When the report is a zip archive, also extract it into a directory beside O(dest) (O(dest) without
        C(.zip), or O(dest) plus C(.d)), member names reduced to their base name.
    type: bool
    default: false
  force:
    description:
      - Run and download even when O(dest) already holds the same report.
      - Without it, a sidecar file (O(dest) plus C(.report.json), recording what the report is and its sha256, never a
        secret) that matches the request and the file means nothing is sent and RV(ignore:changed=false).
    type: bool
    default: false
  keep:
    description:
      - Leave the report the module created on the console. By default it is deleted after the download, and
        when the run fails, times out or is interrupted.
    type: bool
    default: false
  delete:
    description:
      - When an existing report is downloaded (not created by this task), delete it on the console afterwards.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds for waiting for the report and downloading it, together. 1 to 86400.
    type: int
    default: 600
  poll_interval:
    description:
      - Seconds from creating the report to the first look at it; later looks grow by half each time, and are
        brought forward to the estimated finish when the console reports progress. 0.25 to 3600.
    type: float
    default: 2
"""
