# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Connection options of every GravityZone module (argspec: module_utils/specs.py GZ_CONNECTION_SPEC)."""

    DOCUMENTATION = r"""
options:
  api_url:
    description:
      - The API access URL of the GravityZone console, as shown under My Account > API keys, for example
        C(https://cloud.gravityzone.bitdefender.com/api), C(https://cloudgz.gravityzone.bitdefender.com/api),
        or C(https://HOST/api) on premises.
      - C(gravityzone.bitdefender.com) is the login page, not an API host; the module warns when given it.
      - A pasted method path such as C(/v1.1/jsonrpc/network) at the end is dropped with a warning.
      - The URL must parse (https, a host name or address, a port 1-65535 if given, no user name or password in
        it, no query, fragment or whitespace - C(?), C(#)); one that does not is refused before any request,
        naming O(api_url).
      - If not set, the value of the E(GRAVITYZONE_API_URL) environment variable is used.
    type: str
    default: https://cloud.gravityzone.bitdefender.com/api
  api_key:
    description:
      - API key with the Network API enabled. Sent as the HTTP Basic user name with an empty password.
      - A key works only on the console instance that issued it.
      - Surrounding whitespace is stripped (a key read with C(lookup('file', ...)) keeps its newline). A key
        that still holds a control character, or a character outside Latin-1, is refused before any request
        (the message names the option, never the value).
      - If not set, the value of the E(GRAVITYZONE_API_KEY) environment variable is used.
      - Required, from the option or the environment.
    type: str
  validate_certs:
    description:
      - Verify the console's TLS certificate. Leave it on; to trust a private CA, use O(ca_path).
      - Setting it to V(false) produces a warning.
      - If not set, the value of the E(GRAVITYZONE_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the CA certificate(s) that signed the console's certificate, used instead of the system's
        trust store (for on-premises consoles with a private CA).
      - A directory, or a file with no PEM certificate in it, is refused before any request as unusable.
      - A server that offers only TLS 1.0 or 1.1 fails with C(protocol too old); enable TLS 1.2 or newer on it.
      - If not set, the value of the E(GRAVITYZONE_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds to wait for each HTTP request, 1-3600. The whole run, retries included, ends after 3 times this
        value without C(wait), or after C(wait_timeout) plus 2 times this value with it.
      - Requests are paced to GravityZone's limit of 10 per second per key; HTTP 429 answers are retried after
        the C(Retry-After) the console sends. A read is also sent again, with exponential backoff and jitter,
        after a reset, a truncated or timed-out answer, any 5xx or a body that is not usable JSON, within that
        budget. A call that creates something is not sent again once it may have arrived.
      - If not set, the value of the E(GRAVITYZONE_TIMEOUT) environment variable is used.
    type: int
    default: 30
  timezone:
    description:
      - The time zone the GravityZone console reads times in, as an IANA name such as V(UTC) or
        V(Europe/Bucharest).
      - GravityZone takes times without a zone. Times given without C(Z) or an offset are sent as they are;
        a time with C(Z) or an offset is converted into this zone, and is refused when this option is not set.
      - Needs Python 3.9 or later on the managed node (C(zoneinfo)), or the C(backports.zoneinfo) package.
      - If not set, the value of the E(GRAVITYZONE_TIMEZONE) environment variable is used.
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
      - If not set, the value of the E(GRAVITYZONE_TRANSCRIPT) environment variable is used.
    type: path
notes:
  - The API key never appears in the module's output or error messages.
  - A proxy is taken from E(HTTPS_PROXY), E(HTTP_PROXY) or E(ALL_PROXY) (either case; E(NO_PROXY) lists hosts
    reached directly). A value that cannot be used (a port that is no number or out of range, no host, an
    unknown scheme, or C(socks5) without the PySocks library) fails the run before any request, naming the
    variable. The password of a proxy URL, or of a URL given as the appliance address (which is refused), is
    masked in every message, warning and transcript.
  - GravityZone allows 10 requests a second per API key. The module paces itself at 8 a second (bursts of 4)
    and honours C(Retry-After) on HTTP 429 within the run's deadline; other clients that use the same key share
    that budget. A C(Retry-After) that ends past the deadline fails the run at once with a message that says so.
requirements:
  - python >= 3.8 (on the host that runs the module)
  - requests >= 2.31 (with urllib3 1.26 or 2.x)
"""
