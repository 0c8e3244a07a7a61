# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pieces of argument spec shared by the modules, each paired with the doc fragment that documents it.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.

A module builds its own ``argument_spec`` beside its DOCUMENTATION from these pieces::

    def argument_spec():
        return merged(FAZ_CONNECTION_SPEC, FAZ_RESULT_SPEC, WAIT_SPEC,
                      view=dict(type="str", required=True, choices=list(VIEWS)))

=====================  ==========================================================
piece                  documented by (extends_documentation_fragment)
=====================  ==========================================================
FAZ_CONNECTION_SPEC    secops.async_tasks.fortianalyzer
FAZ_RESULT_SPEC        secops.async_tasks.fortianalyzer.result
FAZ_SCOPE_SPEC         secops.async_tasks.fortianalyzer.scope
GZ_CONNECTION_SPEC     secops.async_tasks.gravityzone
WAIT_SPEC              secops.async_tasks.wait
REPORT_FILE_SPEC       secops.async_tasks.report_file
=====================  ==========================================================

Each piece with a number option has its bounds beside it (``*_BOUNDS``, option name -> ``inputs.Bound``,
or ``inputs.TextBound`` for the size of a text option such as ``filter``);
a module declares its ``bounds()`` beside its ``argument_spec()`` from them and its own::

    def bounds():
        return merged(FAZ_CONNECTION_BOUNDS, WAIT_BOUNDS, limit=Bound(1, 10000, "between 1 and 10000"))

tests/unit/plugins/modules/test_argument_specs.py proves every module's spec and docs agree, and
tests/unit/plugins/module_utils/test_inputs.py that every number option of every module has a bound.
"""

from __future__ import annotations

import os

from ansible.module_utils.basic import AnsibleFallbackNotFound

from ansible_collections.secops.async_tasks.plugins.module_utils.inputs import TID, Bound, TextBound

DEFAULT_TIMEOUT = 30


def env_fallback_set(*names):
    """Like ansible's env_fallback, but an empty or blank variable counts as unset.

    AWX injects every variable of a credential type, blank inputs included; an empty
    FORTIANALYZER_PORT must mean "use the default", not "port is not a number".
    """
    for name in names:
        value = os.environ.get(name)
        if value is not None and value.strip():
            return value
    raise AnsibleFallbackNotFound


def env(prefix, name):
    """The ``fallback`` of an option read from ``<prefix>_<name>`` when not set."""
    return (env_fallback_set, ["%s_%s" % (prefix, name)])


def tls_timeout_spec(prefix):
    """``validate_certs``, ``ca_path`` and ``timeout``: every product's transport options."""
    return dict(
        validate_certs=dict(type="bool", default=True, fallback=env(prefix, "VALIDATE_CERTS")),
        ca_path=dict(type="path", fallback=env(prefix, "CA_PATH")),
        timeout=dict(type="int", default=DEFAULT_TIMEOUT, fallback=env(prefix, "TIMEOUT")),
    )


def appliance_spec(prefix):
    """``timezone`` (the zone the appliance reads times in) and ``transcript`` (a redacted record of the run)."""
    return dict(
        timezone=dict(type="str", fallback=env(prefix, "TIMEZONE")),
        transcript=dict(type="path", fallback=env(prefix, "TRANSCRIPT")),
    )


FAZ_CONNECTION_SPEC = dict(
    host=dict(type="str", fallback=env("FORTIANALYZER", "HOST")),
    port=dict(type="int", default=443, fallback=env("FORTIANALYZER", "PORT")),
    username=dict(type="str", fallback=env("FORTIANALYZER", "USERNAME")),
    password=dict(type="str", no_log=True, fallback=env("FORTIANALYZER", "PASSWORD")),
    api_key=dict(type="str", no_log=True, fallback=env("FORTIANALYZER", "API_KEY")),
    session_id=dict(type="str", no_log=True, fallback=env("FORTIANALYZER", "SESSION_ID")),
    **dict(tls_timeout_spec("FORTIANALYZER"), **appliance_spec("FORTIANALYZER"))
)

GZ_DEFAULT_API_URL = "https://cloud.gravityzone.bitdefender.com/api"

GZ_CONNECTION_SPEC = dict(
    api_url=dict(type="str", default=GZ_DEFAULT_API_URL, fallback=env("GRAVITYZONE", "API_URL")),
    api_key=dict(type="str", no_log=True, fallback=env("GRAVITYZONE", "API_KEY")),
    **dict(tls_timeout_spec("GRAVITYZONE"), **appliance_spec("GRAVITYZONE"))
)

TIMEOUT_BOUND = Bound(1, 3600, "a positive number of seconds, at most 3600 (each request's limit)")
FAZ_CONNECTION_BOUNDS = dict(port=Bound(1, 65535, "", "{option} {value} is not a TCP port (1-65535)"),
                             timeout=TIMEOUT_BOUND)
GZ_CONNECTION_BOUNDS = dict(timeout=TIMEOUT_BOUND)

WAIT_SPEC = dict(
    wait=dict(type="bool", default=False),
    wait_timeout=dict(type="int", default=300),
    poll_interval=dict(type="float", default=2.0),
)


WAIT_BOUNDS = dict(
    wait_timeout=Bound(1, 86400, "a positive number of seconds, at most 86400 (a day)"),
    poll_interval=Bound(0.25, 3600, "a positive number of seconds from 0.25 to 3600"),
)
MAX_PAGES_BOUND = Bound(1, 100000, "1 or more (at most 100000)")
# A filter longer than this is refused: the longest real filters (a few hundred addresses or-ed
# together) stay well below it, and FortiAnalyzer parses it again for every log it scans.
MAX_FILTER_CHARS = 8192
FILTER_BOUND = TextBound(MAX_FILTER_CHARS, "split it into several searches or narrow it")


def merged(*pieces, **options):
    """One argument spec from shared pieces and a module's own options (which win)."""
    spec = {}
    for piece in pieces:
        spec.update(piece)
    spec.update(options)
    return spec


# Documented by secops.async_tasks.report_file: a report saved as a file (faz_report, gz_report).
REPORT_FILE_SPEC = dict(
    dest=dict(type="path", required=True),
    mode=dict(type="str"),
    unpack=dict(type="bool", default=False),
    force=dict(type="bool", default=False),
    keep=dict(type="bool", default=False),
    delete=dict(type="bool", default=False),
    wait_timeout=dict(type="int", default=600),
    poll_interval=dict(type="float", default=2.0),
)


# wait_timeout and poll_interval, as for any wait.
REPORT_FILE_BOUNDS = dict(WAIT_BOUNDS)


# Documented by secops.async_tasks.fortianalyzer.result.
FAZ_RESULT_SPEC = dict(
    tid=dict(type="int"),
    tids=dict(type="list", elements="int"),
    adom=dict(type="str", default="root"),
    device=dict(type="list", elements="raw"),
)
FAZ_RESULT_BOUNDS = dict(tid=TID, tids=TID)

# Documented by secops.async_tasks.fortianalyzer.scope: what a FortiView task or a log search covers.
FAZ_SCOPE_SPEC = dict(
    time_range=dict(type="dict", options=dict(start=dict(type="str"), end=dict(type="str"), last=dict(type="str"))),
    device=dict(type="list", elements="raw"),
)
