# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""One call to a running simulator's control API (docs/simulator.md), for playbooks: prints the JSON answer.

    python tests/simulator/control.py METHOD PATH [JSON-BODY]

PATH is a control path (/_sim/...), or /jsonrpc for a session a play opens itself.

The address and CA certificate come from SIM_FAZ_URL and SIM_CA_PATH (scripts/with-simulator.sh
exports them; integration tests pass them). Molecule scenarios and integration playbooks call it
through the ``ansible.builtin.pipe`` lookup, in the controller: a control call then costs a
Python start with the standard library only, where an ``ansible.builtin.uri`` task ran a module
in a process of its own (half a CPU-second each, some fifty per ``make test``).

Standard library only, and run by path (not ``-m``), so that nothing of the simulator is imported.
A refused call exits 1 with the status and the answer on stderr.
"""

from __future__ import annotations

import json
import os
import ssl
import sys
import urllib.error
import urllib.request

USAGE = "usage: control.py GET|POST /PATH [JSON-BODY]"
TIMEOUT = 30


def call(method, path, body=None):
    """The decoded JSON answer of ``method`` ``path`` (``body``, a JSON text, for POST)."""
    base_url = os.environ.get("SIM_FAZ_URL", "")
    ca_path = os.environ.get("SIM_CA_PATH") or None
    if not base_url:
        raise SystemExit("control.py: SIM_FAZ_URL is not set: run under scripts/with-simulator.sh (make molecule "
                         "does), which starts the simulator and exports its address")
    if not path.startswith("/"):
        raise SystemExit("control.py: %r is not a path on the simulator (/_sim/..., /jsonrpc)" % path)
    data = None
    headers = {}
    if method == "POST":
        data = (body or "{}").encode("utf-8")
        try:
            json.loads(data)
        except ValueError as exc:
            raise SystemExit("control.py: the body is not JSON (%s): %s" % (exc, body[:200])) from None
        headers["Content-Type"] = "application/json"
    elif method != "GET" or body is not None:
        raise SystemExit(USAGE)
    request = urllib.request.Request(base_url.rstrip("/") + path, data=data, headers=headers, method=method)
    context = ssl.create_default_context(cafile=ca_path)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT, context=context) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        raise SystemExit("control.py: %s %s answered HTTP %d: %s"
                         % (method, path, exc.code, exc.read().decode("utf-8", "replace")[:2000])) from None
    except (urllib.error.URLError, OSError) as exc:
        raise SystemExit("control.py: %s %s failed: %s" % (method, path, exc)) from None


def main(argv):
    if len(argv) not in (2, 3):
        raise SystemExit(USAGE)
    answer = call(argv[0].upper(), argv[1], argv[2] if len(argv) == 3 else None)
    sys.stdout.write(json.dumps(answer) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
