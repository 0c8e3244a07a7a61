# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Connection options of every FortiAnalyzer module (argspec: module_utils/specs.py FAZ_CONNECTION_SPEC;
    RESULT: FAZ_RESULT_SPEC; SCOPE: FAZ_SCOPE_SPEC)."""

    DOCUMENTATION = r"""
options:
  host:
    description:
      - Name or address of the FortiAnalyzer, optionally with C(:port) (C(https://) is accepted and dropped).
      - A value holding C(#), C(?), whitespace inside it, or a user name and password is refused before any
        request, naming O(host).
      - If not set, the value of the E(FORTIANALYZER_HOST) environment variable is used.
      - Required, from the option or the environment.
    type: str
  port:
    description:
      - HTTPS port of the FortiAnalyzer's JSON-RPC API, 1-65535.
      - If not set, the value of the E(FORTIANALYZER_PORT) environment variable is used.
    type: int
    default: 443
  username:
    description:
      - Administrator to log in as, with O(password). The module logs in once, and logs out when it ends,
        whatever happened (error, timeout, interruption), so the admin's session cap never fills up.
      - If not set, the value of the E(FORTIANALYZER_USERNAME) environment variable is used.
    type: str
  password:
    description:
      - Password of O(username).
      - If not set, the value of the E(FORTIANALYZER_PASSWORD) environment variable is used.
    type: str
  api_key:
    description:
      - REST API key of an API administrator (FortiAnalyzer 7.2.2 and later), sent in an C(Authorization) header
        as a Bearer token. No session is opened, so nothing needs logging out.
      - Takes precedence over O(username) and O(password).
      - Surrounding whitespace is stripped (a key read with C(lookup('file', ...)) keeps its newline). A key
        that still holds a control character, or a character outside Latin-1, cannot be sent in a header and
        is refused before any request (the message names the option, never the value).
      - If not set, the value of the E(FORTIANALYZER_API_KEY) environment variable is used.
    type: str
  session_id:
    description:
      - An existing JSON-RPC session to use as is, for example one opened by an earlier task.
        The module does not own it and never logs it out.
      - Takes precedence over O(api_key) and O(username). If the session has expired and O(username) and
        O(password) are also set, the module logs in once with them (and logs that session out at the end).
      - Surrounding whitespace is stripped; a session id with a control character in it is refused.
      - If not set, the value of the E(FORTIANALYZER_SESSION_ID) environment variable is used.
    type: str
  validate_certs:
    description:
      - Verify the FortiAnalyzer's TLS certificate. Leave it on; to trust a private CA, use O(ca_path).
      - Setting it to V(false) produces a warning.
      - If not set, the value of the E(FORTIANALYZER_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the CA certificate(s) that signed the FortiAnalyzer's certificate, used instead of the
        system's trust store.
      - A directory, or a file with no PEM certificate in it, is refused before any request as unusable.
      - A server that offers only TLS 1.0 or 1.1 fails with C(protocol too old); enable TLS 1.2 or newer on it.
      - If not set, the value of the E(FORTIANALYZER_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds to wait for each HTTP request, 1-3600. The whole run, retries included, ends after 3 times this
        value without C(wait), or after C(wait_timeout) plus 2 times this value with it.
      - A read is sent again after every transient failure (a reset, a truncated or timed-out answer, any 5xx,
        429, a 2xx whose body is not usable JSON) with exponential backoff and jitter within that budget;
        C(Retry-After) is honoured. A call that creates something is not sent again once it may have arrived.
      - A login refused because the admin holds all its sessions (C(login-max)) is tried again, with backoff and
        jitter, within the same budget.
      - If not set, the value of the E(FORTIANALYZER_TIMEOUT) environment variable is used.
    type: int
    default: 30
  timezone:
    description:
      - The time zone the FortiAnalyzer reads times in, as an IANA name such as V(Europe/Paris) or V(UTC) -
        the appliance's system time zone, or the ADOM's when ADOMs have their own.
      - FortiAnalyzer takes times without a zone and reads them in that zone. Times given without C(Z) or an
        offset are sent as they are; a time with C(Z) or an offset (V(2025-01-01T08:00:00Z),
        V(2025-01-01T09:00:00+01:00)) is converted into this zone, and is refused when this option is not set.
      - With it, C(last) periods end at the appliance's current time rather than the managed node's.
      - Needs Python 3.9 or later on the managed node (C(zoneinfo)), or the C(backports.zoneinfo) package.
      - If not set, the value of the E(FORTIANALYZER_TIMEZONE) environment variable is used.
    type: str
  transcript:
    description:
      - Append a transcript of every request and reply of the run to this file, as JSON lines (time, method,
        URL, request body, HTTP status, reply body), to show what the appliance answered when the module does
        not understand it. See the README section "When your appliance answers something unexpected".
      - Passwords, API keys, session ids and C(Authorization) values are replaced by C(<redacted>) before
        anything is written. The file is created with mode C(0600); an existing file of yours loses any group
        or other permission.
      - Only a regular file owned by the user running the module is written. A symbolic link at the path
        (never followed), a device, a FIFO, a directory, C(/dev/stdout) or a file owned by another user is
        refused before any request, and so is a world-writable directory without the sticky bit. A sticky
        world-writable directory such as C(/tmp) is used, with a warning.
      - A relative path is taken from the home directory of the user running the module (C(run.jsonl) is
        C(~/run.jsonl)); C(~) and environment variables are expanded.
      - A write that fails during the run (disk full, I/O error) is a warning; the run and its result go on
        without the transcript, and sessions are still logged out.
      - The transcript still holds what the appliance returned (addresses, host names); review it before
        sharing it.
      - If not set, the value of the E(FORTIANALYZER_TRANSCRIPT) environment variable is used.
    type: path
notes:
  - Credentials are chosen in this order - O(session_id), O(api_key), then O(username) and O(password).
  - A C(-11) answer ("No permission for the resource") can mean an expired session; the module logs in again
    once and retries once. A second C(-11) is reported as a permission error. A C(-20) on a call made with a
    session is read the same way (session gone). At login, a C(-20) that speaks of sessions or a limit is the
    admin's session cap (retried with backoff within the run's time budget); any other is refused credentials.
  - A C(-22) ("Login fail") on any call made with O(api_key) means the key was refused (mistyped, expired or
    revoked), as an HTTP 401 does.
  - Passwords, API keys and session ids never appear in the module's output or error messages.
  - A proxy is taken from E(HTTPS_PROXY), E(HTTP_PROXY) or E(ALL_PROXY) (either case; E(NO_PROXY) lists hosts
    reached directly). A value that cannot be used (a port that is no number or out of range, no host, an
    unknown scheme, or C(socks5) without the PySocks library) fails the run before any request, naming the
    variable. The password of a proxy URL, or of a URL given as the appliance address (which is refused), is
    masked in every message, warning and transcript.
  - FortiAnalyzer documents no request rate for its JSON-RPC API; what runs out is the number of sessions an
    administrator may hold at once (C(login-max) on the admin). A run opens at most one session (none with
    O(api_key) or O(session_id)) and logs it out on every path, and a batch (C(tids) and the like) reads at
    most 4 tasks at once over that one session.
requirements:
  - python >= 3.8 (on the host that runs the module)
  - requests >= 2.31 (with urllib3 1.26 or 2.x)
"""

    RESULT = r"""
options:
  tid:
    description:
      - Task id returned when the FortiView task was created, a positive 32-bit integer (1-2147483647).
      - Tasks expire 15-30 minutes after they finish, and a task id only works with the view and ADOM it was
        created for.
      - Exactly one of O(tid) and O(tids) is required.
    type: int
  tids:
    description:
      - Several task ids, fetched in one run - one login, a few requests in parallel, one deadline - instead
        of a C(loop). Results come back in RV(results), in the same order.
      - If any task fails (not found, error), the module fails after fetching the others, and
        RV(results) marks each failed entry with C(failed) and C(msg).
    type: list
    elements: int
  adom:
    description:
      - ADOM the task was created in.
    type: str
    default: root
  device:
    description:
      - The device list the task was created with, when known (for example RV(secops.async_tasks.faz_fortiview_task#module:device)
        of the task that created it). It is not sent; it only explains an empty result - a finished task
        without rows whose device list named C(All_FortiGate) (which a client measured FortiAnalyzer 7.6.7 and
        8.0 answering with an empty top-N) comes with a warning saying so.
    type: list
    elements: raw
notes:
  - A result read answered with status code C(1) ("in progress", "running") is a task still running, in either
    reply shape - polled on with O(wait), returned with RV(done=false) and its percentage without. Any other
    non-zero status code is an error.
"""

    SCOPE = r"""
options:
  time_range:
    description:
      - Period the task covers. Either O(time_range.last), or O(time_range.start) (and optionally
        O(time_range.end)). Defaults to the last hour.
      - Empty values count as not given. Giving O(time_range.last) together with O(time_range.start) or
        O(time_range.end), or a period that ends before it starts, is refused before anything is sent.
    type: dict
    suboptions:
      start:
        description:
          - Start, C(YYYY-MM-DD HH:MM[:SS]) or C(YYYY-MM-DDTHH:MM[:SS]), in the appliance's time zone (or
            C(YYYY-MM-DD), midnight).
          - With C(Z) or an offset (V(2026-11-20T07:00:00Z)), converted into the zone O(timezone) names;
            refused when O(timezone) is not set.
        type: str
      end:
        description:
          - End, in the forms of O(time_range.start). Defaults to now.
        type: str
      last:
        description:
          - A duration ending now, a whole number and a unit V(s), V(m), V(h), V(d) or V(w), such as V(30m),
            V(24h), V(7d) or V(2w); at most V(3650d) (about ten years).
          - Now is the appliance's current time when O(timezone) is set, else this host's local clock (the
            appliance reads the times in its own time zone, so set O(timezone) where the two differ).
        type: str
  device:
    description:
      - Devices the task covers. By default all devices, sent as C(devname=All_Device).
      - Each entry is a device name (sent as C(devname)), a FortiGate serial number or V(All_FortiGate)
        (sent as C(devid), the spelling of older builds), or a dict with C(devid) or C(devname) and optionally
        C(vdom) (a log search sends it as C(name[vdom])).
      - A FortiView task for C(devid=All_FortiGate) was measured by one public client to come back empty on
        FortiAnalyzer 7.6.7 and 8.0, rather than fail; leave this option unset for all devices. Pass the C(device) a FortiView task
        returns to the result module's C(device) option and it warns when that is why a result is empty.
    type: list
    elements: raw
"""
