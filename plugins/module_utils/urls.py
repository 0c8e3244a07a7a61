# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Credentials inside URLs, and the proxies requests would take from the environment.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.

``hide_credentials`` replaces the user name and password of a URL by ``********`` wherever a URL is
quoted; ``url_password`` gives the password so the run can mask it in every other form
(redaction.py). ``check_proxies`` reads ``HTTPS_PROXY``, ``HTTP_PROXY`` and ``ALL_PROXY`` (either
case) as requests would, before any request: a value requests could not use (a port that is no
number or out of range, no host, a host that is no name or address, a scheme it does not know, or
``socks`` without PySocks installed) is an InvalidInput naming the variable, its credentials hidden.
A proxy's password joins the run's secrets. Variables are skipped when ``NO_PROXY`` covers the host.
"""

from __future__ import annotations

import importlib.util
import os
import re
from urllib.parse import unquote, urlsplit

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import InvalidInput

PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY")
PROXY_SCHEMES = ("http", "https", "socks4", "socks4a", "socks5", "socks5h")
HIDDEN = "********"
# scheme://userinfo@ : everything between // and the last @ before the host's end.
_USERINFO = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/?#\s]*)@")
_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)$")


def hide_credentials(text):
    """``text`` with the user name and password of every URL in it replaced by ``********``."""
    if not text or "@" not in str(text):
        return text
    return _USERINFO.sub(lambda match: match.group("head") + HIDDEN + "@", str(text))


def url_password(value):
    """The password of a URL (``scheme://user:password@host``, decoded), or None."""
    if not isinstance(value, str) or "@" not in value or "://" not in value:
        return None
    match = _USERINFO.search(value)
    if not match or ":" not in match.group("userinfo"):
        return None
    password = match.group("userinfo").split(":", 1)[1]
    return unquote(password) or None


def check_proxies(target_url, secrets, environ=None):
    """InvalidInput naming the first proxy variable requests could not use for ``target_url``; adds proxy passwords to ``secrets``."""
    environ = os.environ if environ is None else environ
    if _bypassed(target_url, environ):
        return
    for upper in PROXY_VARIABLES:
        for name in (upper.lower(), upper):
            value = environ.get(name)
            if not value or not value.strip():
                continue
            password = url_password(value if "://" in value else "http://" + value)
            if password:
                secrets.add(password)
                secrets.add(unquote(password))
            problem = proxy_problem(value.strip())
            if problem:
                raise InvalidInput("environment variable %s=%s is not a proxy URL requests can use: %s. Fix or unset "
                                   "it (or list the host in NO_PROXY)" % (name, hide_credentials(value.strip()), problem),
                                   option=name)


def proxy_problem(value):
    """Why requests could not use ``value`` as a proxy URL, or None."""
    if "://" not in value:
        value = "http://" + value  # what requests does with "proxy:3128"
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme not in PROXY_SCHEMES:
        return "the scheme %s is not one of %s" % (scheme or "(none)", ", ".join(PROXY_SCHEMES))
    if scheme.startswith("socks") and importlib.util.find_spec("socks") is None:
        return "a %s proxy needs the PySocks Python library (pip install PySocks), which is not installed" % scheme
    netloc = parts.netloc.rpartition("@")[2]
    host, port_text = _split(netloc)
    if not host:
        return "it names no host"
    if not _HOST.match(host) or host.startswith(".") or ".." in host:
        return "%r is not a host name or address" % host
    if port_text is not None and (not port_text.isdigit() or not 1 <= int(port_text) <= 65535):
        return "the port %r is not a TCP port (1-65535)" % port_text
    return None


def _split(netloc):
    if netloc.startswith("["):
        address, _bracket, rest = netloc.partition("]")
        return address + "]", (rest[1:] if rest.startswith(":") else None)
    host, colon, port_text = netloc.rpartition(":")
    return (host, port_text) if colon else (netloc, None)


def _bypassed(target_url, environ):
    no_proxy = environ.get("no_proxy") or environ.get("NO_PROXY")
    if not no_proxy:
        return False
    try:
        from requests.utils import should_bypass_proxies  # pylint: disable=import-outside-toplevel
    except ImportError:  # pragma: no cover
        return False
    try:
        return should_bypass_proxies(target_url, no_proxy=no_proxy)
    except Exception:  # pylint: disable=broad-except  # a malformed NO_PROXY: check the proxies anyway
        return False
