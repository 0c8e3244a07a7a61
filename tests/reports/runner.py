"""Runs a module's main() in this process against the simulator (a small stand-in for the in-process harness
that issue16-tests is building in tests/modules/; replace it with that harness when it lands)."""

import contextlib
import importlib
import io
import json
import os
import tempfile

from ansible_collections.secops.async_tasks.tests.unit.module_args import patch_module_args

MODULES = "ansible_collections.secops.async_tasks.plugins.modules."


def run_module(name, args, check_mode=False):
    """The module's JSON answer (a dict; ``failed`` set on fail_json)."""
    code = importlib.import_module(MODULES + name)
    stdout = io.StringIO()
    with tempfile.TemporaryDirectory() as tmp:
        wire = json.loads(json.dumps(args))
        wire.update({"_ansible_check_mode": check_mode, "_ansible_tmpdir": tmp, "_ansible_remote_tmp": tmp,
                     "_ansible_module_name": "secops.async_tasks." + name})
        saved = dict(os.environ)
        for key in list(os.environ):
            if key.startswith(("FORTIANALYZER_", "GRAVITYZONE_")) or key in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
                del os.environ[key]
        try:
            with patch_module_args(wire), contextlib.redirect_stdout(stdout):
                try:
                    code.main()
                except SystemExit:
                    pass
        finally:
            os.environ.clear()
            os.environ.update(saved)
    return json.loads(stdout.getvalue())
