# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one input model: every option value is checked for type, bounds and shape before any request.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.

``check_params(spec, params)`` runs on every module's options (``AsyncTasksModule.run``) after
Ansible's own type conversion and before the module's work starts. It applies, by type, what holds
for every option of every module, including modules added later:

* ``float``: finite (no NaN or infinity);
* ``int`` and ``float``: within the module's bound for its name (each module declares them in
  ``bounds()`` beside ``argument_spec()``, from the pieces in specs.py), else within a 64-bit integer;
* ``str``, ``path`` and list elements: UTF-8 text (no lone surrogates), no control characters, and
  no longer than the module's ``TextBound`` for the name when it has one (a log-search ``filter``);
* secrets (``no_log``): never shown in a message. API keys and session ids (``KEYS``) lose
  surrounding whitespace (a key read from a file keeps its newline) and must then fit in an HTTP
  header (visible Latin-1 characters); a blank key counts as unset;
* lists at most ``MAX_LIST_ITEMS`` long; sub-options checked the same way, named ``parent.child``.

``split_host`` and ``split_url`` parse the FortiAnalyzer ``host`` and the GravityZone ``api_url``
into their parts, with messages that name the option. ``tests/unit/plugins/module_utils/test_inputs.py``
proves that every int and float option of every module has a bound in that module's ``bounds()``.
"""

from __future__ import annotations

import ipaddress
import math
import re

from ansible.module_utils.common.validation import check_type_dict

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import InvalidInput
from ansible_collections.secops.async_tasks.plugins.module_utils.urls import hide_credentials

MAX_TID = 2 ** 31 - 1  # FortiAnalyzer task ids are positive 32-bit integers
MAX_INT64 = 2 ** 63 - 1
MAX_LIST_ITEMS = 10000
MAX_SHOWN = 60  # characters of a refused value quoted in a message
# In a host or URL, these end the address part (a query, a fragment) or are never part of it.
NOT_IN_ADDRESS = re.compile(r"[#?\s]")
# Options that carry a key (sent in a header or beside every call): surrounding whitespace is stripped.
KEYS = frozenset(("api_key", "session_id"))
# Options whose value travels in an HTTP header and must be visible Latin-1.
HEADER_KEYS = frozenset(("api_key",))
CONTROL = re.compile(u"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
CONTROL_OR_TAB = re.compile(u"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$")


class Bound:
    """The range an option accepts and how to say it: ``{option}``, ``{value}`` and ``{what}`` in ``template``."""

    def __init__(self, low, high, what, template="{option} must be {what}, got {value}"):
        self.low = low
        self.high = high
        self.what = what
        self.template = template

    def check(self, option, value):
        if not self.low <= value <= self.high:
            raise InvalidInput(self.template.format(option=option, value=shown(value), what=self.what), option=option)


class TextBound:
    """The most characters a text option accepts, and what to do instead (``advice``)."""

    def __init__(self, most, advice):
        self.most = most
        self.advice = advice

    def check(self, option, value):
        if len(value) > self.most:
            raise InvalidInput("%s is %d characters long; at most %d characters are accepted: %s"
                               % (option, len(value), self.most, self.advice), option=option)


TID = Bound(1, MAX_TID, "a positive integer task id up to %d (the 'tid' FortiAnalyzer returned when the task "
                        "was created)" % MAX_TID)


def shown(value):
    """A value as a message may show it: repr (control characters escaped), cut to MAX_SHOWN characters."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 3] + "..."


def prevalidate(spec, params):
    """Values Ansible's own conversion would crash on or refuse without naming the option; InvalidInput each.

    Runs on the raw parameters before Ansible converts them: an integer option given infinity
    (ansible-core raises OverflowError), a dict option with sub-options given something that is
    not a dict (ansible-core raises TypeError, or says "dictionary requested" without the option's
    name). Such a value is replaced by None so that Ansible's validation passes; the module then
    fails with the returned error before doing anything.
    """
    problems = []
    for name, option in spec.items():
        value = params.get(name)
        if value is None:
            continue
        problem = _crashing_value(name, option, value)
        if problem is not None:
            params[name] = None
            problems.append(InvalidInput(problem, option=name))
    return problems


def _crashing_value(name, option, value):
    kind = option.get("type", "str")
    if kind == "int" or (kind == "list" and option.get("elements") == "int"):
        items = value if isinstance(value, list) else [value]
        if any(_infinite(item) for item in items):
            return "%s must be a finite integer, got %s" % (name, shown(value))
    if option.get("options") and (kind == "dict" or (kind == "list" and option.get("elements") == "dict")):
        items = value if kind == "list" and isinstance(value, list) else [value]
        if not all(_dict_like(item) for item in items):
            return "%s must be a dictionary (or, for a list, dictionaries) with the keys %s, got %s" % (
                name, ", ".join(sorted(option["options"])), shown(value))
        for item in items:
            if isinstance(item, dict):
                for sub_name, sub_option in option["options"].items():
                    if item.get(sub_name) is not None and _crashing_value(sub_name, sub_option, item[sub_name]):
                        return "%s.%s: %s" % (name, sub_name, _crashing_value(sub_name, sub_option, item[sub_name]))
    return None


def _dict_like(value):
    """A dict, or text ansible-core turns into one (JSON or key=value)."""
    if isinstance(value, dict):
        return True
    try:
        return isinstance(value, str) and isinstance(check_type_dict(value), dict)
    except (TypeError, ValueError):
        return False


def _infinite(value):
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, str):
        try:
            return not math.isfinite(float(value.strip()))
        except ValueError:
            return False
    return False


def check_params(spec, params, bounds=None, prefix=""):
    """Check every option of ``params`` against ``spec`` and the module's ``bounds`` (option name -> Bound,
    sub-options by their own name); normalise keys in place. Raises InvalidInput."""
    bounds = bounds or {}
    for name, option in spec.items():
        value = params.get(name)
        if value is None:
            continue
        label = prefix + name
        if option.get("no_log"):
            params[name] = _secret(name, label, value)
        elif option.get("options") and isinstance(value, dict):
            check_params(option["options"], value, bounds, label + ".")
        elif option.get("options") and isinstance(value, list):
            _list(None, label, option, value)
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    check_params(option["options"], item, bounds, "%s[%d]." % (label, index))
        elif option.get("type") == "list":
            _list(bounds.get(name), label, option, value)
        else:
            _scalar(bounds.get(name), label, option.get("type", "str"), value)


def _list(bound, label, option, items):
    if len(items) > MAX_LIST_ITEMS:
        raise InvalidInput("%s has %d items; at most %d are accepted" % (label, len(items), MAX_LIST_ITEMS),
                           option=label)
    for item in items:
        if item is not None:
            _scalar(bound, label, option.get("elements", "str"), item)


def _scalar(bound, label, kind, value):
    if isinstance(value, bool):
        if kind in ("int", "float"):  # Ansible lets true/false through as 1/0
            raise InvalidInput("%s must be a number, got %s" % (label, value), option=label)
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInput("%s must be a finite number, got %s" % (label, value), option=label)
    if isinstance(value, (int, float)):
        if isinstance(bound, Bound):
            bound.check(label, value)
        elif abs(value) > MAX_INT64:
            raise InvalidInput("%s is too large (%s); at most %d" % (label, shown(value), MAX_INT64), option=label)
    elif isinstance(value, str):
        check_text(label, value, tabs=kind == "raw")
        if isinstance(bound, TextBound):
            bound.check(label, value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _scalar(bound, label, kind, key)
            if item is not None:
                _scalar(bound, label, kind, item)
    elif isinstance(value, list):
        for item in value:
            if item is not None:
                _scalar(bound, label, kind, item)


def check_text(label, value, tabs=False):
    """Text with no control characters (a tab only where ``tabs``) and no lone surrogates."""
    found = (CONTROL if tabs else CONTROL_OR_TAB).search(value)
    if found:
        raise InvalidInput("%s must not contain control characters (found U+%04X at position %d in %s)"
                           % (label, ord(found.group()), found.start(), shown(value)), option=label)
    if not _encodable(value):
        raise InvalidInput("%s is not valid text (it holds an unpaired surrogate): %s" % (label, shown(value)),
                           option=label)


def _encodable(value):
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _secret(name, label, value):
    """A secret option's value, checked without ever showing it; keys lose surrounding whitespace."""
    if not isinstance(value, str):
        return value
    if name in KEYS:
        value = value.strip()
        if not value:
            return None
        if CONTROL_OR_TAB.search(value) or (name in HEADER_KEYS and any(ord(char) > 255 for char in value)):
            raise InvalidInput("%s holds a character that cannot be sent (a control character, or one outside "
                               "Latin-1 in a key that travels in an HTTP header); check the value you set (not "
                               "shown here)" % label, option=label)
    if not _encodable(value):
        raise InvalidInput("%s is not valid text (an unpaired surrogate); check the value you set (not shown here)"
                           % label, option=label)
    return value


# ---------------------------------------------------------------------------------------------
# Hosts and URLs
# ---------------------------------------------------------------------------------------------

def check_hostname(name, option, given):
    """``name`` as it goes into a URL (IPv6 in brackets, names IDNA-encoded), or InvalidInput naming ``option``."""
    bracketed = name.startswith("[") and name.endswith("]")
    try:
        address = ipaddress.ip_address(name[1:-1] if bracketed else name)
    except ValueError:
        address = None
    if address is not None and (address.version == 6 or not bracketed):
        return "[%s]" % address.compressed if address.version == 6 else address.compressed
    if bracketed:
        name = ""  # brackets hold an IPv6 address and nothing else
    try:
        ascii_name = name.encode("idna").decode("ascii") if name else ""
    except UnicodeError:
        ascii_name = None
    labels = (ascii_name or "").rstrip(".").split(".")
    if not ascii_name or len(ascii_name) > 253 or not all(HOST_LABEL.match(label) for label in labels):
        raise InvalidInput("%s %s is not a host name or address: give a name such as faz.example.com, an IPv4 "
                           "address, or an IPv6 address in brackets" % (option, shown(given)), option=option)
    return ascii_name


def port_number(text, option, given, port_option=None):
    """A TCP port from its text, or InvalidInput naming ``option`` (or ``port_option`` for a port of its own)."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise InvalidInput("%s %s: %s is not a TCP port (1-65535)" % (option, shown(given), shown(text)),
                           option=port_option or option)
    return int(text)


def split_host(value, port, option="host"):
    """``(host, port)`` of the FortiAnalyzer ``host``: a name, an address, ``name:port``, ``[v6]:port`` or a URL.

    ``port`` is the ``port`` option (used when the host carries none). Raises InvalidInput naming ``option``.
    """
    given = hide_credentials(value)
    text = (value or "").strip()
    if not text:
        raise InvalidInput("%s is required: set %s (or FORTIANALYZER_HOST) to the FortiAnalyzer's name or address"
                           % (option, option), option=option)
    check_text(option, text)
    _whole_address(option, text, given)
    if "://" in text:
        scheme, text = text.split("://", 1)
        if scheme.lower() != "https":
            raise InvalidInput("%s %s: FortiAnalyzer's JSON-RPC API is served over https only" % (option, shown(given)),
                               option=option)
    text = re.split(r"[/?#]", text, maxsplit=1)[0]
    if "@" in text:
        raise InvalidInput("%s %s: give the host without a user name or password in it" % (option, shown(given)),
                           option=option)
    name, port_text = _host_and_port(text)
    if port_text is not None:
        port = port_number(port_text, option, given)
    Bound(1, 65535, "", "port {value} is not a TCP port (1-65535)").check("port", port)
    return check_hostname(name, option, given), port


def _whole_address(option, text, given):
    """InvalidInput when ``text`` holds '#', '?' or whitespace: requests would cut it there, or fail."""
    found = NOT_IN_ADDRESS.search(text)
    if found:
        raise InvalidInput("%s %s holds %r at position %d: an address never holds '#', '?' or whitespace; give "
                           "only the scheme, host, port and path" % (option, shown(given), found.group(), found.start()),
                           option=option)


def _host_and_port(text):
    """(name, port text or None) of ``name``, ``name:port``, ``[v6]``, ``[v6]:port`` or a bare IPv6 address."""
    if text.startswith("["):
        address, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return text, None  # refused by check_hostname
        return "[%s]" % address, (rest[1:] if rest else None)
    if text.count(":") == 1:
        name, _colon, port_text = text.partition(":")
        return name, port_text
    return text, None


def split_url(value, option="api_url"):
    """``(host, port or None, path)`` of an https URL, or InvalidInput naming ``option``."""
    given = hide_credentials(value)
    text = (value or "").strip()
    check_text(option, text)
    _whole_address(option, text, given)
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)(?:[?#].*)?$", text)
    if not match:
        raise InvalidInput("%s %s is not a URL: give the https access URL shown in the console" % (option, shown(given)),
                           option=option)
    if match.group(1).lower() != "https":
        raise InvalidInput("%s %s: the API is served over https only" % (option, shown(given)), option=option)
    netloc = match.group(2)
    if "@" in netloc:
        raise InvalidInput("%s %s: give the URL without a user name or password in it" % (option, shown(given)),
                           option=option)
    name, port_text = _host_and_port(netloc)
    port = port_number(port_text, option, given) if port_text is not None else None
    return check_hostname(name, option, given), port, match.group(3)
