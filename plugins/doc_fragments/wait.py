# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Waiting for a task, for every product (argspec: module_utils/specs.py WAIT_SPEC)."""

    DOCUMENTATION = r"""
options:
  wait:
    description:
      - Wait until the task has finished before returning.
      - Without it, a task still running is returned as it is, which is not a failure, so a play can branch.
    type: bool
    default: false
  wait_timeout:
    description:
      - With O(wait), fail after this many seconds if the task has still not finished. The failure reports the
        last state seen (the percentage, where the product reports one).
      - 1 to 86400 (a day).
    type: int
    default: 300
  poll_interval:
    description:
      - With O(wait), seconds before the second poll. The interval then grows by half each time, up to 30
        seconds (or O(poll_interval) if larger). When the product reports progress, the next poll is brought
        forward to the estimated finish time.
      - A finite number of seconds from 0.25 to 3600; NaN, infinity, zero or less are refused before any request.
    type: float
    default: 2
"""
