#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run the reliability soak at full size and write docs/reliability.md from what it measured.

    .venv/bin/python scripts/reliability-report.py [--runs 500] [--auth-runs 120] [--workers 4]
                                                   [--seed 1234] [--output docs/reliability.md] [--json FILE]

Run from anywhere; it uses the checkout it lives in. Every figure in the document comes from this
run (see tests/integration/reliability_helpers.py for how each run is checked); the prose around
them is fixed. Exit status 1 when the run found a problem (a wrong result, a traceback, a secret, a
session left open that no fault explains, a create sent twice), after writing the document.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import tests.conftest  # noqa: E402,F401  pylint: disable=wrong-import-position,unused-import  # the checkout as the collection
from tests.integration.reliability_helpers import ALL_KINDS, MIX, soak  # noqa: E402  pylint: disable=wrong-import-position
from tests.modules.test_reliability_bad_input import TABLE as BAD_INPUT  # noqa: E402  pylint: disable=wrong-import-position
from tests.reliability.test_reliability_soak import AUTH_SOAK_RUNS, SOAK_RUNS  # noqa: E402  pylint: disable=wrong-import-position

AUTH_MIX = ["faz_read", "faz_read_view", "faz_batch", "faz_create"]
KIND_TEXT = {
    "latency": "the normal answer after 0.3-1.5 s",
    "http500": "HTTP 500, empty or nginx-style HTML body",
    "http502": "HTTP 502, empty or HTML body",
    "http503": "HTTP 503, empty or HTML body",
    "http504": "HTTP 504, empty or HTML body",
    "reset": "TCP reset after the server did the work",
    "truncated": "20-80 % of the body, then the connection closes (work done)",
    "nonjson": "HTTP 200 with a plain-text body",
    "html": "an HTML error page, HTTP 200 or 500",
    "429": "HTTP 429 with Retry-After: 1",
    "429_no_retry_after": "HTTP 429 without Retry-After",
    "expire_session": "FortiAnalyzer: the session ends first, so the call answers -11 (GravityZone: no effect)",
    "slow_drip": "the whole answer, status line first, dripped over 10-60 s (work done)",
}
RUN_TEXT = {
    "faz_read": "faz_top_sources_result / faz_top_applications_result on the seed tasks",
    "faz_read_view": "faz_fortiview_result on a finished task of one of five views",
    "faz_api_key_read": "faz_fortiview_result with an API key (no session)",
    "faz_batch": "faz_fortiview_result with tids (3 tasks, one session, in parallel)",
    "faz_wait": "faz_top_sources_result, wait: true on a task that runs 0.8 s",
    "faz_batch_wait": "faz_fortiview_result, tids and wait: true (tasks of 0.8 and 1.6 s)",
    "faz_create": "faz_fortiview_task, state: present (a creating call)",
    "faz_cancel": "faz_fortiview_task, state: absent",
    "gz_read": "gz_task_status, all subtasks",
    "gz_read_pages": "gz_task_status, 1 or 2 subtasks a page (several pages)",
    "gz_read_v10": "gz_task_status, api_version 1.0",
    "gz_read_big": "gz_task_status on the 5,000-subtask task, 1000 a page",
    "gz_batch": "gz_task_status with task_ids (3 tasks)",
    "gz_wait": "gz_task_status, wait: true on a task that runs 0.8 s",
    "gz_create": "gz_scan_task (a creating call)",
}


def command_output(argv):
    try:
        return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def machine():
    """Where and when: for the document's header."""
    from ansible.release import __version__ as ansible_version  # pylint: disable=import-outside-toplevel
    try:
        import requests  # pylint: disable=import-outside-toplevel
        requests_version = requests.__version__
    except ImportError:  # pragma: no cover
        requests_version = "absent"
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as stream:
            cpu = next((line.split(":", 1)[1].strip() for line in stream if line.startswith("model name")), "")
    except OSError:
        pass
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "host": "%s %s, %d CPU(s)%s" % (platform.system(), platform.release(), os.cpu_count() or 0,
                                        " (%s)" % cpu if cpu else ""),
        "python": platform.python_version(),
        "ansible_core": ansible_version,
        "requests": requests_version,
        "commit": command_output(["git", "rev-parse", "--short", "HEAD"]) or "unknown",
        "load": "%.1f" % os.getloadavg()[0] if hasattr(os, "getloadavg") else "?",
    }


# The property, secret-forms and session-cap tests, run with more examples than in `make test`.
PROPERTY_TESTS = ("tests/modules/test_property_options.py", "tests/modules/test_property_replies.py",
                  "tests/modules/test_secret_forms.py", "tests/integration/test_session_cap.py")
PROPERTY_STATS = {"options": "SECOPS_PROPERTY_STATS", "replies": "SECOPS_PROPERTY_REPLY_STATS",
                  "secrets": "SECOPS_SECRET_FORMS_STATS", "cap": "SECOPS_SESSION_CAP_STATS"}


def property_run(examples):
    """Run PROPERTY_TESTS with ``examples`` hypothesis examples each; their figures and whether they passed."""
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, SECOPS_PROPERTY_EXAMPLES=str(examples), SECOPS_PROPERTY_RANDOM="1")
        for name, variable in PROPERTY_STATS.items():
            env[variable] = os.path.join(folder, name + ".json")
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"] + list(PROPERTY_TESTS),
                              cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        stats = {"examples": examples, "passed": done.returncode == 0, "elapsed": time.monotonic() - started,
                 "summary": (done.stdout.strip().splitlines() or ["(no output)"])[-1]}
        for name, variable in PROPERTY_STATS.items():
            if os.path.exists(env[variable]):
                with open(env[variable], encoding="utf-8") as stream:
                    stats[name] = json.load(stream)
        if not stats["passed"]:
            stats["output"] = done.stdout[-4000:]
    return stats


def render_properties(stats):
    """The section on generated option values, hostile replies, secret forms and the session cap."""
    options, replies = stats.get("options", {}), stats.get("replies", {})
    secrets, cap = stats.get("secrets", {}), stats.get("cap", {})
    kinds = ", ".join("%s %d" % item for item in sorted(options.get("kinds", {}).items(), key=lambda item: -item[1]))
    altered = ", ".join("%s %d" % item for item in sorted(replies.get("kinds", {}).items()))
    return [
        "## Any value in, any bytes back",
        "",
        "The property tests of `tests/modules/test_property_*.py`, the secret-forms test and the session-cap",
        "test, run with %d hypothesis examples each (150 in `make test`): %s, in %.0f s."
        % (stats["examples"], stats["summary"], stats["elapsed"]),
        "",
        table(("", "tried", "what escaped"), [
            ("option values", "%d runs over %d module options; kinds of value: %s"
             % (options.get("runs", 0), options.get("options", 0), kinds or "-"),
             "none: every run refused the value before any request naming the option, or ran normally"
             if stats["passed"] else "see the test output"),
            ("outcomes", ", ".join("%s %d" % item for item in sorted(options.get("outcomes", {}).items())) or "-",
             "no traceback, no secret, no spin"),
            ("hostile replies", "%d runs, %d replies altered (%s) at %d distinct paths"
             % (replies.get("runs", 0), replies.get("replies_altered", 0), altered or "-", replies.get("paths", 0)),
             "none: a clear error or the correct result (%s)"
             % ", ".join("%s %d" % item for item in sorted(replies.get("outcomes", {}).items()))),
            ("secret forms", "%d runs x %d forms (as sent, JSON-escaped, URL-encoded, base64 Basic, header line) "
             "= %d quotes" % (secrets.get("runs", 0), secrets.get("forms", 0), secrets.get("quoted", 0)),
             "none found in any output"),
            ("session cap", "%d playbook hosts, forks %d, cap %d: %d logins, %d refused for the cap, peak %d sessions, "
             "%.0f s" % (cap.get("hosts", 0), cap.get("forks", 0), cap.get("cap", 0), cap.get("logins", 0),
                         cap.get("cap_refusals", 0), cap.get("peak_sessions", 0), cap.get("elapsed", 0)),
             "%d hosts failed" % cap.get("failed", 0)),
        ]),
        "",
    ]


def problems_of(main, auth):
    """What makes the run a failure (empty when all is well)."""
    found = []
    for name, report in (("soak", main), ("login/logout soak", auth)):
        found += ["%s: %s (%s)" % (name, item["problem"], item["kind"]) for item in report["problems"]]
        if report["tracebacks"] or report["secrets_found"] or report["created_twice"]:
            found.append("%s: tracebacks %d, secrets %d, created twice %d"
                         % (name, report["tracebacks"], report["secrets_found"], report["created_twice"]))
    if main["open_sessions"]:
        found.append("soak: %d FortiAnalyzer session(s) left open" % main["open_sessions"])
    explained = sum(auth["leaks_explained"].values())
    if auth["open_sessions"] != explained:
        found.append("login/logout soak: %d session(s) left open, %d explained" % (auth["open_sessions"], explained))
    return found


def pct(part, whole):
    return "%.1f %%" % (100.0 * part / whole) if whole else "-"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for column in header) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def render(main, auth, where, argv, properties=None):
    outcomes = main["outcomes"]
    drips = main["slow_drip_runs"]
    explained = auth["leaks_explained"]
    lines = [
        "# Reliability and security under faults",
        "",
        "<!-- Written by scripts/reliability-report.py from a real run: do not edit by hand. -->",
        "",
        "Figures from one run of the soak: hundreds of module runs against the built-in simulator with faults",
        "injected into about one request in five. How each run is checked is in",
        "`tests/integration/reliability_helpers.py`; a smaller soak (%d runs, `tests/reliability/`) runs in"
        % SOAK_RUNS,
        "`make reliability`, and the other reliability tests below in `make test`.",
        "",
        "| | |",
        "| --- | --- |",
        "| date | %s |" % where["date"],
        "| machine | %s, load %s at the start |" % (where["host"], where["load"]),
        "| software | Python %s, ansible-core %s, requests %s |"
        % (where["python"], where["ansible_core"], where["requests"]),
        "| commit | %s |" % where["commit"],
        "| command | `%s` |" % " ".join(argv),
        "| settings | %d runs over %d worker processes, fault rate %.2f, seed %s, module timeout %d s |"
        % (main["runs"], main["settings"]["workers"], main["settings"]["rate"], main["settings"]["seed"],
           main["settings"]["timeout"]),
        "| wall time | %.0f s (soak) + %.0f s (login/logout soak) |" % (main["elapsed"], auth["elapsed"]),
        "",
        "## The figures",
        "",
        table(("", "soak", "what it means"), [
            ("module runs", main["runs"], "FortiAnalyzer and GravityZone, reads, waits, batches, creates (mix below)"),
            ("requests", main["requests"], "%d of them open to faults (login and logout spared in this soak)"
             % main["eligible_requests"]),
            ("faults injected", main["faults_total"], "%s of the requests open to faults; %d runs met at least one"
             % (pct(main["faults_total"], main["eligible_requests"]), main["faulted_runs"])),
            ("results correct", outcomes.get("correct", 0), "equal to the same run without faults (%s)"
             % pct(outcomes.get("correct", 0), main["runs"])),
            ("clean failures", outcomes.get("clean_failure", 0),
             "failed with a message naming the product, and a fault hit one of the run's own requests"),
            ("wrong results", outcomes.get("wrong", 0), "success with other data than the fault-free run"),
            ("unclear or unexplained failures", outcomes.get("unclear_failure", 0)
             + outcomes.get("unexplained_failure", 0), "a message without the product, or a failure with no fault"),
            ("tracebacks", main["tracebacks"], "an exception out of main() (a MODULE FAILURE under Ansible)"),
            ("secrets found", main["secrets_found"], "passwords, API keys or any of the %d session ids the simulator "
             "issued, in any run's output" % main["sessions_seen"]),
            ("sessions left open", main["open_sessions"], "FortiAnalyzer sessions still open at the end (counters)"),
            ("creating calls", main["creates"], "%d succeeded, %d failed after the server had acted on them"
             % (main["creates_succeeded"], main["creates_failed_after_applied"])),
            ("tasks made by them", main["tasks_created"], "= successes + failed after being acted on"),
            ("creating calls sent twice", main["created_twice"], "a run whose create made more than one task"),
        ]),
        "",
        "### Faults injected, by kind",
        "",
        table(("kind", "soak", "login/logout soak", "what the client sees"),
              [(kind, main["faults_by_kind"].get(kind, 0), auth["faults_by_kind"].get(kind, 0), KIND_TEXT[kind])
               for kind in ALL_KINDS]),
        "",
        "`slow_drip` is limited to one per worker: each is cut at the request's timeout by the client's watchdog. "
        "It happened %d "
        "time(s); those runs took %s s against deadlines of %s s."
        % (len(drips), ", ".join("%.1f" % drip["elapsed"] for drip in drips) or "-",
           ", ".join(str(drip["deadline"]) for drip in drips) or "-"),
        "Without a drip the longest run took %.1f s." % main["longest_run"],
        "",
        "### Runs, by kind",
        "",
        table(("run", "what", "runs", "correct", "clean failures"),
              [(kind, RUN_TEXT[kind], sum(main["by_kind"].get(kind, {}).values()),
                main["by_kind"].get(kind, {}).get("correct", 0), main["by_kind"].get(kind, {}).get("clean_failure", 0))
               for kind, weight in MIX]),
        "",
        "### How the clean failures were worded",
        "",
        table(("message family", "runs"), sorted(main["failure_messages"].items(), key=lambda item: -item[1])),
        "",
        "A read is sent again, with backoff and within the run's deadline, after every transient failure: a",
        "reset, a truncated or timed-out answer, any 5xx, 429, and a 2xx whose body is not usable JSON (an HTML",
        "page, plain text, bytes not valid in their charset); an expired session logs in again once. A creating",
        "call is never resent once it may have reached the server; the message says so.",
        "%s" % ("A cancel whose first delete was acted on but whose answer was lost is retried, finds the task "
                "gone and reports `cancelled: false` (the task is cancelled either way): %d time(s)."
                % main["cancels_reported_already_gone"]),
        "",
        "## Sessions when login and logout are faulted too",
        "",
        "The soak above spares FortiAnalyzer login and logout, so that any session left open is the",
        "client's fault. A second soak of %d FortiAnalyzer runs faults only login and logout (rate %.2f, all"
        % (auth["runs"], auth["settings"]["rate"]),
        "kinds but `slow_drip`): %d faults, %d runs correct, %d clean failures, %d tracebacks, %d secrets found."
        % (auth["faults_total"], auth["outcomes"].get("correct", 0), auth["outcomes"].get("clean_failure", 0),
           auth["tracebacks"], auth["secrets_found"]),
        "",
        table(("sessions left open", "count", "why"), [
            ("login answer lost", explained.get("login_lost", 0),
             "the simulator made the session, then reset or truncated the answer: the client never learnt its id. "
             "Nothing a client can do; the appliance expires it when idle"),
            ("logout not acted on", explained.get("logout_unanswered", 0),
             "every logout attempt (3, within the logout's own budget) was faulted (HTTP 500, an HTML page, "
             "non-JSON); at a 30 % fault rate a few runs in a hundred meet that. The appliance expires it when idle"),
            ("total (counters)", auth["open_sessions"], "must equal the sum above: every open session is explained"),
        ]),
        "",
    ]
    if properties is not None:
        lines += render_properties(properties)
    tested = table(("file", "what it proves"), [("`%s`" % name, text) for name, text in TESTED_ELSEWHERE])
    newcomer = table(("probe", "before", "now", "test"), NEWCOMER_PROBES)
    lines += [line.replace("{tested}", tested).replace("{newcomer}", newcomer) for line in STATIC_SECTIONS]
    return "\n".join(lines) + "\n"


TESTED_ELSEWHERE = (
    ("test_reliability_soak.py", "the soak above with %d runs (4 workers), and the login/logout soak with %d"
     % (SOAK_RUNS, AUTH_SOAK_RUNS)),
    ("test_reliability_interrupt.py",
     "SIGTERM and SIGINT to the `ansible-playbook` process group while a module waits for one task: the session is "
     "logged out promptly (within 10 s, against a 120 s wait), no new login, no poll after it, nothing left running; the same for a batch wait "
     "(`tids`)"),
    ("test_reliability_bounded.py",
     "always -11: exactly two logins and two logouts per run, for every FortiAnalyzer module and a batch; always "
     "429 / 503 (both products, single, batch, create): given up at the deadline with a clear message after at most "
     "5 requests per task; a create under each fault kind is sent once (a 429 is resent - it was not acted on - and "
     "still makes one task); a logout answered badly once"),
    ("test_reliability_secrets.py",
     "every module through its failure paths at `-vvvv` with `ANSIBLE_LOG_PATH`: no password, API key or session "
     "id in stdout, stderr, the results or the log"),
    ("test_reliability_bad_input.py",
     "%d invalid option values, one in-process task list: each fails naming the option; the simulator saw no request"
     % len(BAD_INPUT)),
    ("test_reliability_tls.py",
     "expired and wrong-host certificates (and an unknown CA) refused by every module with a message naming "
     "`ca_path`; `validate_certs: false` works against them and warns once"),
    ("test_property_options.py",
     "hypothesis: every option of every module (read from its argument spec) with values at and past its bounds, "
     "of other types, NaN/inf, control characters, unicode: refused before any request naming the option, or a "
     "normal run; never a traceback, a secret or a busy loop (also while waiting on a task that never ends)"),
    ("test_property_replies.py",
     "hypothesis: the simulator's hostile replies (random trees, deep nests, retyped and dropped fields, "
     "non-UTF-8 bytes) against every module: a clear error or the result of the untouched run"),
    ("test_secret_forms.py",
     "every module, every way to authenticate, the simulator quoting each secret back in every wire form, "
     "in error messages and in rows; in-process and through `ansible-playbook -vvv`"),
    ("test_session_cap.py",
     "30 playbook hosts, forks 10, a session cap of 3: every host gets its result; a cap that never frees "
     "fails at the deadline naming the cap, `tids` and API keys"),
    ("test_properties.py",
     "hypothesis, about 300 examples per property: arbitrary JSON and near-valid envelopes through both "
     "FortiAnalyzer shapes, login, create, GravityZone getTaskStatus (paging, errors) and createScanTask give data "
     "or an `AsyncTasksError`, never another exception"),
)
NEWCOMER_PROBES = (
    ('24 hostile log values (`<script>`, `<img onerror>`, `javascript:` and Markdown links, bare and '
     '`<...>` URLs, `www.`, `\\|`, CR/LF with a forged row, `# heading`, U+2028, backticks, emphasis, '
     'entities, bidi overrides) as Markdown table cells, rendered by cmark-gfm (GitHub, raw HTML allowed) '
     'and markdown-it with linkify',
     'pasted as they are: forged rows and headings, live `<script>`, links',
     "every cell a code span: one cell of one row each, no tag beyond the table's, the text shown as it "
     'was',
     '`tests/unit/plugins/filter/test_report_cells.py`'),
    ('the role against the simulator with hostile `attack` and `service` fields (`faz_logsearch_row_text`)',
     'the Markdown summary gained a row and a heading from the log',
     '4 tables, 1 `h1`, 3 `h2`, nothing forged, no link or script; the HTML page escapes it',
     '`tests/integration/test_investigate_ip.py`, molecule `ip_investigation`'),
    ('`ip_investigation_ip`: 11 values that are not one address (`10.0.1.999`, `::::`, `...`, `10.0.1`, a '
     'network, a zone index, a number, hex, text with a filter in it)',
     '4 accepted, searched for (`10.0.1.999`, `::::`, `...`, `10.0.1`)',
     'all refused by name (`ipaddress`), 0 requests',
     '`test_report_cells.py`, `test_investigate_ip.py` (6 cases, one playbook run)'),
    ('`ip_investigation_before` / `_after`: `3000000w`, `99999999999999999999d`, `-1h`, `1.5h`, `1y`',
     '2 crashed with `OverflowError`',
     'all refused by name; durations are `times.parse_duration`, 0 s to 3650 d',
     '`test_report_cells.py`, `test_investigate_ip.py`'),
    ('CSV cells starting with `=`, `+`, `-`, `@`, TAB, CR, LF, `＝`, `＋`, `－`, `＠`, or spaces then `=` (12 '
     'probes)',
     '4 neutralised (the ASCII four)',
     '12 neutralised with an apostrophe; the text otherwise kept',
     '`tests/unit/roles/test_report_templates.py`, `test_report_cells.py`'),
    ('FortiView rows with `bytes: 10**400`, `sessions: "1e400"`, `bytes: -5`',
     'the page failed (`filesizeformat`: int too large to convert to float) and the role cancelled its '
     'tasks; `"1e400"` refused as not a number; a negative count drew a bar of negative width',
     'numbers kept exactly (the CSV and JSON carry them), bars from 0 to 290 px, the page notes "2 of '
     'these numbers cannot be counts"',
     '`test_report_templates.py`, `tests/unit/plugins/filter/test_fortiview.py`'),
    ('release 0.1.0 made from the fragments by `antsibull-changelog`',
     '36 findings: `C(...)` printed literally, modules announced twice, a summary naming 2 of 3 roles and '
     '2 of 4 playbooks (and saying "two playbooks"), Bugfixes and Breaking Changes in a first release',
     'none; `scripts/release-changelog-check.py` (in `make release-check`) refuses each kind',
     '`tests/unit/release/test_release_changelog_check.py`'),
    ('execution environment, galaxy.yml, docs site, AWX guide, demo, `make molecule`',
     'ansible-core `<2.20`; `example.invalid` URLs; index "Secops.Async_Tasks", repository button twice, '
     'no changelog page; no `investigate_ip` in awx.md; demo without interpreter line, raw bytes and a '
     'dict; "CRITICAL ... glob failed"',
     '`<2.22`; no placeholder address; index `secops.async_tasks` with a changelog page; the job template,'
     ' survey and `set_stats` on success and failure; GiB and counts in words; a `default` scenario (the '
     'demo)',
     '`test_ee.py`, `tests/unit/release/`, `tests/docs/`, `tests/unit/playbooks/`'),
)
STATIC_SECTIONS = """## What else is tested, and where

All in `make test` (`tests/integration/test_reliability_*.py`, `tests/unit/plugins/module_utils/test_properties.py`).

{tested}

## Why the soak runs modules in-process

One `ansible-playbook` costs about 3 s on a 2-core machine, so 500 runs would take half an hour. The
soak calls each module's `main()` in-process instead, with the arguments Ansible would pass
(`ansible.module_utils.testing.patch_module_args`), and reads what Ansible would read: the JSON on
stdout and the exit status, or the exception that under Ansible becomes a traceback. It is the
module code Ansible runs (the checkout's `plugins/`), minus Ansible's process plumbing, which the
playbook-based tests (interruption, secrets, bad input, TLS) cover. Worker processes each start their
own simulator, so every request in a simulator's log belongs to the one run in progress there: that
is what lets each run's faults, creates and logins be counted exactly.

## Bugs found

Found by these tests and fixed (commit 8a6eafc); the tests now assert the fixed behaviour:

1. **A reply that dripped from its first byte was not cut at the timeout.** http.client reads the
   status line and headers under the per-read socket timeout only, which a drip never trips. Each
   request now has a watchdog that shuts its socket down at the request's timeout.
   `test_reliability_bounded.py::test_slow_drip_from_the_first_byte_ends_by_the_deadline`.
2. **Logout was sent once.** An HTTP 500, an HTML error page or a non-JSON answer to the logout left
   the session open on the appliance while the run reported success. The logout is now retried
   within its own short budget.
   `test_reliability_bounded.py::test_logout_answered_http_500_once_still_closes_the_session`.
3. **An interrupted batch wait went on after its logout.** A worker's next poll got -11 and logged in
   again after `close()`. Closing now stops the transport first: requests in flight are cut, sleeps
   end, and nothing but the logout may be sent.
   `test_reliability_interrupt.py::test_signal_while_a_batch_waits_logs_the_session_out`.

Found by the property, secret-forms and session-cap tests of issue 10 and fixed (the values that failed
before are in the tests' history and the changelog): an API key with a trailing newline crashed with the
key in the message (`Module failed: Invalid leading whitespace ... 'Bearer <key>\n'`); a key with
non-Latin-1 characters, `host: "127.0.0.1:443:1"` or `"a b"`, an `api_url` with port 70000,
`timeout: 10000000000`, `time_range.last: 99999999999d`, `port: inf` and `time_range: true` raised Python
exceptions; `poll_interval: nan` polled 1312 times in 3 s; `tid: 2147483648` and control characters in
names and keys were sent; a password quoted back JSON-escaped or URL-encoded, and a key quoted back as
its `Basic` header, leaked; a non-UTF-8 body was read with replacement characters as data; JSON nested
600 levels deep in a subtask crashed the result; rows that were not objects were dropped silently (a
count one short); a finished task whose answer had lost its rows, or a GravityZone page without its
subtasks, passed as an empty result; 16 of 30 hosts (forks 10) failed at a session cap of 3.

Found by these tests and already fixed (commit 3987e1c); the examples stay as regression tests:
JSON `1e999` (parsed as infinity) as a status code or task status crashed `faz._as_code` and
`gz._int_or_none` with `OverflowError`; an `endpointId` that is a list and a login `session` that is
a list raised `TypeError`; JSON nested 100,000 deep raised `RecursionError` in `HttpReply`; and
`ended_after: 2026-13-01T00:00:00` passed `gz.validate_date` and was sent.

## Summaries, reports and first runs (issue 20, newcomer probes)

Probes of what people open and run first: the `ip_investigation` summary, the `fortiview_report` CSV and
page, the role inputs, and the release, docs and demo a newcomer meets. Each was run on the code before
the fix (main at b609df3) and after it; each row's test fails on the old code.

{newcomer}

## Notes for users

- ansible-core 2.19 prints the playbook lines above a failed task with its error ("Origin: ..."),
  on stdout and in the log. A password written literally in the task before is printed there, whatever
  the module does (`test_reliability_secrets.py::test_a_literal_secret_in_the_playbook_is_quoted_by_ansible`).
  Take secrets from Ansible Vault or the `FORTIANALYZER_*` / `GRAVITYZONE_*` environment variables.
- Reads are retried within the run's deadline on every transient failure; a read that still fails
  can simply be run again. Creating calls are never resent once they may have reached the server
  (not even after their answer timed out); after a failed create, look for the task before
  creating another.
- Secrets are masked in every form a server may quote them in (as sent, JSON-escaped, URL-encoded,
  base64 in a Basic header, inside the header line). Ansible itself masks the value of every
  `no_log` option wherever it appears in output: a password that is an ordinary word (`admin`,
  `root`) turns that word into `********` in every message, so use passwords that are not words
  that appear in output. `ANSIBLE_DEBUG=1` makes ansible-core print module arguments, secrets
  included: never set it where the output is kept.
""".split("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--auth-runs", type=int, default=120)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seed", default="1234")
    parser.add_argument("--output", default=os.path.join(ROOT, "docs", "reliability.md"))
    parser.add_argument("--json", help="also write the raw figures here")
    parser.add_argument("--property-examples", type=int, default=600,
                        help="hypothesis examples per property test (0: skip them)")
    args = parser.parse_args()
    argv = ["scripts/reliability-report.py"] + sys.argv[1:]

    where = machine()
    print("soak: %d runs over %d workers ..." % (args.runs, args.workers), flush=True)
    main_report = soak(args.runs, workers=args.workers, rate=0.2, seed=args.seed, drips=args.workers, timeout=2)
    print("login/logout soak: %d runs ..." % args.auth_runs, flush=True)
    auth_report = soak(args.auth_runs, workers=2, rate=0.3, seed=args.seed,
                       kinds=[kind for kind in ALL_KINDS if kind != "slow_drip"], drips=0, timeout=2,
                       exclude_auth=False, methods=["exec"], mix=AUTH_MIX)
    properties = None
    if args.property_examples:
        print("property, secret-forms and session-cap tests: %d examples ..." % args.property_examples, flush=True)
        properties = property_run(args.property_examples)
    with open(args.output, "w", encoding="utf-8") as stream:
        stream.write(render(main_report, auth_report, where, argv, properties))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as stream:
            json.dump({"machine": where, "soak": main_report, "auth_soak": auth_report, "properties": properties},
                      stream, indent=1)
    problems = problems_of(main_report, auth_report)
    if properties is not None and not properties["passed"]:
        problems.append("property tests failed: %s\n%s" % (properties["summary"], properties.get("output", "")))
    print("wrote %s: %d runs, %d correct, %d clean failures, %d tracebacks, %d secrets, %d sessions open"
          % (os.path.relpath(args.output), main_report["runs"], main_report["outcomes"].get("correct", 0),
             main_report["outcomes"].get("clean_failure", 0), main_report["tracebacks"], main_report["secrets_found"],
             main_report["open_sessions"]))
    for problem in problems:
        print("PROBLEM: " + problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
