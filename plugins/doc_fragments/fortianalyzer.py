# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Connection options of every FortiAnalyzer module (argspec: module_utils/specs.py FAZ_CONNECTION_SPEC;
    RESULT: FAZ_RESULT_SPEC)."""

    DOCUMENTATION = r"""
options:
  host:
    description:
      - Name or address of the FortiAnalyzer, optionally with C(:port) (C(https://) is accepted and dropped).
      - If not set, the value of the E(FORTIANALYZER_HOST) environment variable is used.
      - Required, from the option or the environment.
    type: str
  port:
    description:
      - HTTPS port of the FortiAnalyzer's JSON-RPC API.
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
      - If not set, the value of the E(FORTIANALYZER_API_KEY) environment variable is used.
    type: str
  session_id:
    description:
      - An existing JSON-RPC session to use as is, for example one opened by an earlier task.
        The module does not own it and never logs it out.
      - Takes precedence over O(api_key) and O(username). If the session has expired and O(username) and
        O(password) are also set, the module logs in once with them (and logs that session out at the end).
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
      - If not set, the value of the E(FORTIANALYZER_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds to wait for each HTTP request. The whole run, retries included, ends after 3 times this value
        without C(wait), or after C(wait_timeout) plus 2 times this value with it.
      - Connection failures and HTTP 429/502/503/504 are retried with exponential backoff and jitter within
        that budget; C(Retry-After) is honoured.
      - If not set, the value of the E(FORTIANALYZER_TIMEOUT) environment variable is used.
    type: int
    default: 30
notes:
  - Credentials are chosen in this order - O(session_id), O(api_key), then O(username) and O(password).
  - A C(-11) answer ("No permission for the resource") can mean an expired session; the module logs in again
    once and retries once. A second C(-11) is reported as a permission error.
  - Passwords, API keys and session ids never appear in the module's output or error messages.
requirements:
  - requests
"""

    RESULT = r"""
options:
  tid:
    description:
      - Task id returned when the FortiView task was created, a positive integer.
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
"""
