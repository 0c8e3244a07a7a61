# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Times as users write them and as the appliances read them.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.

Both products read times without a zone, in their own time zone (FortiAnalyzer: the appliance's or
the ADOM's; GravityZone: UTC). A user may write ``YYYY-MM-DD HH:MM[:SS]`` or ``YYYY-MM-DDTHH:MM[:SS]``
(taken as they are, in that zone), or add ``Z`` or an offset such as ``+01:00``: such a time names
an instant, which is converted into the zone the ``timezone`` option names (an IANA name such as
``Europe/Paris``). Without ``timezone`` an instant is refused: guessing the zone would silently shift
the period. ``zoneinfo`` needs Python 3.9; on 3.8 ``backports.zoneinfo`` is used when installed.
"""

from __future__ import annotations

import datetime
import re
import sys

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import InvalidInput

try:
    import zoneinfo
except ImportError:  # Python 3.8
    try:
        from backports import zoneinfo  # type: ignore[no-redef]
    except ImportError:
        zoneinfo = None

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
ISO_FORMAT = "%Y-%m-%dT%H:%M:%S"
FORMS = "'YYYY-MM-DD HH:MM[:SS]' or 'YYYY-MM-DDTHH:MM[:SS]'"
_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                   r"\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def load_zone(name, option="timezone"):
    """The tzinfo of IANA zone ``name``; InvalidInput when Python cannot load it."""
    if zoneinfo is None:
        raise InvalidInput("%s needs the zoneinfo module: Python 3.9 or later on the managed node (this is Python "
                           "%d.%d), or the backports.zoneinfo package; or give times without Z or an offset, in "
                           "the appliance's own time zone" % ((option,) + sys.version_info[:2]), option=option)
    text = str(name).strip()
    try:
        if not text or text.startswith(("/", ".")) or ".." in text:
            raise ValueError(text)
        return zoneinfo.ZoneInfo(text)
    except (ValueError, KeyError, OSError, zoneinfo.ZoneInfoNotFoundError):
        raise InvalidInput("%s %r is not a time zone name: use an IANA name such as Europe/Paris, America/New_York "
                           "or UTC (the zone the appliance reads times in)" % (option, name), option=option) from None


def _offset(text):
    """The ``datetime.timezone`` of ``Z``, ``+01``, ``+0100`` or ``+01:00``."""
    if text in ("Z", "z"):
        return datetime.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(text)
    return datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))


def parse_time(value, name, zone=None, date_only_end=False, option=None):
    """The naive ``datetime`` the appliance must be sent for ``value``.

    ``value``: a time in one of the FORMS (or a bare ``YYYY-MM-DD``, midnight, or with
    ``date_only_end`` the day's last second), optionally with ``Z`` or an offset; a ``datetime``
    is taken as is (converted when aware). ``zone``: the appliance's tzinfo (``load_zone``), needed
    only for times with a zone. Raises InvalidInput whose message names ``name`` (such as
    ``time_range.start``) and whose ``option`` is ``option`` (default: ``name``).
    """
    where = (name, option or name)
    if isinstance(value, datetime.datetime):
        moment = value.replace(microsecond=0)
        return _to_zone(moment, zone, where, value) if moment.tzinfo else moment
    text = str(value).strip() if value is not None else ""
    date = _DATE.match(text)
    if date:
        day = _checked(where, value, *(int(part) for part in date.groups()))
        return day.replace(hour=23, minute=59, second=59) if date_only_end else day
    match = _TIME.match(text)
    if not match:
        raise InvalidInput("%s %r is not a time: use %s, in the appliance's time zone (or add Z or an offset such "
                           "as +01:00 and set timezone)" % (name, value, FORMS), option=where[1])
    moment = _checked(where, value, *(int(part or 0) for part in match.groups()[:6]))
    if match.group(7) is None:
        return moment
    try:
        aware = moment.replace(tzinfo=_offset(match.group(7)))
    except ValueError:
        raise InvalidInput("%s %r has an offset that is not one (use Z, +HH:MM or -HH:MM)" % (name, value),
                           option=where[1]) from None
    return _to_zone(aware, zone, where, value)


def _checked(where, value, *parts):
    try:
        return datetime.datetime(*parts)
    except ValueError:
        raise InvalidInput("%s %r is not a time: no such date or time on the calendar (use %s)"
                           % (where[0], value, FORMS), option=where[1]) from None


def _to_zone(aware, zone, where, value):
    if zone is None:
        raise InvalidInput("%s %r names a time zone (Z or an offset), but timezone is not set: set timezone to the "
                           "zone the appliance reads times in (an IANA name such as Europe/Paris), or give the time "
                           "without Z or an offset, in that zone" % (where[0], value), option=where[1])
    return aware.astimezone(zone).replace(tzinfo=None)


def now_in(zone=None):
    """Now, naive, to the second: in ``zone`` when given, else by this machine's local clock."""
    if zone is None:
        return datetime.datetime.now().replace(microsecond=0)
    return datetime.datetime.now(datetime.timezone.utc).astimezone(zone).replace(tzinfo=None, microsecond=0)


def format_time(moment, layout=TIME_FORMAT):
    """``YYYY-MM-DD HH:MM:SS`` (or ``layout``) of a naive datetime."""
    return moment.strftime(layout)


DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"^\s*(\d{1,12})\s*([smhdw])\s*$", re.IGNORECASE)
# The longest period any option or filter takes: ten years, far beyond what an appliance keeps, and far
# inside what datetime can add to a date (so no OverflowError from a typo such as 3000000w).
MAX_DURATION = datetime.timedelta(days=3650)


def parse_duration(value, name, minimum=1, option=None):
    """``value`` (a whole number and a unit s, m, h, d or w, such as ``30m``) as a ``timedelta``.

    At least ``minimum`` seconds (0 allows ``0s``) and at most MAX_DURATION; InvalidInput naming
    ``name`` (and ``option``, default ``name``) otherwise.
    """
    match = _DURATION.match(str(value)) if value is not None and not isinstance(value, bool) else None
    if not match:
        raise InvalidInput("%s %r is not a duration: use a whole number and a unit s, m, h, d or w, such as 30m, 2h "
                           "or 7d" % (name, value), option=option or name)
    seconds = int(match.group(1)) * DURATION_UNITS[match.group(2).lower()]
    if seconds < minimum or seconds > MAX_DURATION.total_seconds():
        raise InvalidInput("%s %r is out of range: give from %s to %dd (ten years)"
                           % (name, value, "%ds" % minimum, MAX_DURATION.days), option=option or name)
    return datetime.timedelta(seconds=seconds)
