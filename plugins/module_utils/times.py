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

The one time vocabulary of the collection: the modules and the filters (through plugin_utils) read
times (``parse_time``), zones (``zone_of``), durations (``parse_duration``, bounded by
``MAX_DURATION``) and periods (``resolve_period``) here, and nowhere else. Every refusal is an
``InvalidInput`` naming the option; a filter turns it into its own error.
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
# A whole number and a unit; ASCII digits only (int() would take other scripts' digits too).
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$", re.IGNORECASE | re.ASCII)
DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
DURATION_FORMS = "a whole number and a unit s, m, h, d or w, such as 30m, 24h or 7d"
# The longest duration any option or filter takes: ten years of 365 days, far past any log
# retention, and far from the ends of the calendar (datetime's years 1 to 9999).
MAX_DURATION_DAYS = 3650
MAX_DURATION = datetime.timedelta(days=MAX_DURATION_DAYS)
PERIOD_KEYS = ("last", "start", "end")
# The modules' time_range when it is not given: the last hour.
DEFAULT_TIME_RANGE = {"last": "1h"}


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


def zone_of(name, option="timezone"):
    """``load_zone(name)``, or None when ``name`` is not given (times are then read as they are)."""
    if name is None or not str(name).strip():
        return None
    return load_zone(name, option)


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
    """``YYYY-MM-DD HH:MM:SS`` (or ``layout``) of a naive datetime.

    The year always has four digits: C's strftime writes the year 999 as ``999`` on some platforms.
    """
    return moment.strftime(layout.replace("%Y", "%04d" % moment.year))


def parse_duration(value, name, option=None, allow_zero=False):
    """The ``timedelta`` of ``value`` (``30m``, ``24h``, ``7d``, ``2w``), at most MAX_DURATION.

    Raises InvalidInput naming ``name`` (such as ``time_range.last``) with ``option`` (default:
    ``name``): for anything that is not a duration, for zero unless ``allow_zero``, and for a duration
    past the maximum, however many digits it has (never an OverflowError).
    """
    option = option or name
    match = _DURATION.match(value) if isinstance(value, str) else None
    if not match:
        raise InvalidInput("%s %r is not a duration: use %s" % (name, value, DURATION_FORMS), option=option)
    digits, unit = match.group(1).lstrip("0") or "0", match.group(2).lower()
    max_seconds = int(MAX_DURATION.total_seconds())
    # Compared by length first, so a number of any size is refused without converting it.
    if len(digits) > len(str(max_seconds)) or int(digits) * DURATION_UNITS[unit] > max_seconds:
        raise InvalidInput("%s %r is longer than the maximum, %dd (about ten years): give a shorter duration, or "
                           "start and end" % (name, value, MAX_DURATION_DAYS), option=option)
    seconds = int(digits) * DURATION_UNITS[unit]
    if seconds == 0 and not allow_zero:
        raise InvalidInput("%s %r is not a duration: use %s, more than zero" % (name, value, DURATION_FORMS),
                           option=option)
    return datetime.timedelta(seconds=seconds)


def shift(moment, delta, name, option=None):
    """``moment + delta``, or InvalidInput naming ``name`` when that leaves the calendar (years 1 to 9999)."""
    try:
        return moment + delta
    except OverflowError:
        raise InvalidInput("%s reaches past the calendar (before the year 1 or after 9999): give a shorter "
                           "duration or another time" % name, option=option or name) from None


def _given(period, key):
    value = period.get(key)
    return None if value is None or not str(value).strip() else value


def resolve_period(period, name=None, option=None, now=None, zone=None):
    """``{"start", "end"}`` ('YYYY-MM-DD HH:MM:SS', in the appliance's zone) of a period.

    ``period`` is a mapping with ``last`` (a duration ending ``now``), or ``start`` and optionally
    ``end`` (default ``now``); empty values count as not given. ``start``/``end``/``now`` are read by
    ``parse_time`` (so with ``Z`` or an offset they are converted into ``zone``). ``now`` defaults to
    the current time in ``zone``, or by this machine's clock without one. Messages name the keys as
    ``name.key`` (bare without ``name``); InvalidInput's option is ``option`` (default ``name``).
    """
    option = option or name or "period"
    prefix = name + "." if name else ""
    lead = name + ": " if name else ""
    last, start, end = (_given(period, key) for key in PERIOD_KEYS)
    now = now_in(zone) if now is None else parse_time(now, prefix + "now", zone, option=option)
    if last is not None:
        if start is not None or end is not None:
            raise InvalidInput("%sgive either last, or start (and optionally end), not both" % lead, option=option)
        start = shift(now, -parse_duration(last, prefix + "last", option), prefix + "last", option)
        return {"start": format_time(start), "end": format_time(now)}
    if start is None:
        raise InvalidInput("%sgive last (such as 24h), or start (and optionally end)" % lead, option=option)
    start = parse_time(start, prefix + "start", zone, option=option)
    end = now if end is None else parse_time(end, prefix + "end", zone, option=option)
    if end <= start:
        raise InvalidInput("%s ends (%s) before it starts (%s)" % (name or "the period", format_time(end),
                                                                   format_time(start)), option=option)
    return {"start": format_time(start), "end": format_time(end)}


def resolve_time_range(time_range, zone=None, now=None):
    """The modules' ``time_range`` option (the last hour when not given) as ``{"start", "end"}``."""
    return resolve_period(time_range or DEFAULT_TIME_RANGE, "time_range", zone=zone, now=now)
