#!/usr/bin/env python
"""Measure the peak memory (max RSS) of one faz_report run that downloads a big report.

Starts the simulator in this process with a plain (not zipped) report of ``--size`` MB, runs the module's
main() in a child Python process (the way a managed node runs it, minus the AnsiballZ wrapper), and prints
the child's peak RSS. The report travels as base64 inside the JSON reply, 4/3 of its size.

The peak is the child's own ``VmHWM`` (/proc/self/status, read as it ends), not wait4()'s ``ru_maxrss``:
Linux records the high-water mark of the address space a process had before exec(), which for a child
that Python starts with vfork is the parent's. From a test worker that had grown to 150 MB, ru_maxrss said
144-182 MB for a run whose own peak was 40 MB.

    .venv/bin/python scripts/report_rss.py --size 120
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, ".tmp", "dev-collections"))

from tests.simulator.faz import USERS  # noqa: E402
from tests.simulator.server import Simulator  # noqa: E402

CHILD = """
import contextlib, io, json, sys
sys.path.insert(0, %(collections)r)
from ansible_collections.secops.async_tasks.tests.unit.module_args import patch_module_args
from ansible_collections.secops.async_tasks.plugins.modules import faz_report
args = json.loads(sys.stdin.read())
with patch_module_args(args):
    try:
        faz_report.main()
    except SystemExit:
        pass
with open("/proc/self/status") as status:
    peak = [line.split()[1] for line in status if line.startswith("VmHWM:")]
sys.stderr.write("\\nVMHWM_KB=" + peak[0] + "\\n")
"""


def measure(size_mb, workdir):
    with Simulator(tempfile.mkdtemp(dir=workdir)) as sim:
        sim.configure(faz_report_size=size_mb * 1024 * 1024, faz_report_zip=False, faz_report_duration=0.2)
        dest = os.path.join(workdir, "big.pdf")
        args = {"host": "127.0.0.1", "port": sim.port, "ca_path": sim.ca_path, "username": "admin",
                "password": USERS["admin"], "layout": "Security Analysis", "dest": dest, "poll_interval": 0.25,
                "_ansible_tmpdir": workdir, "_ansible_remote_tmp": workdir}
        code = CHILD % {"collections": os.path.join(ROOT, ".tmp", "dev-collections")}
        started = time.monotonic()
        # A clean node's environment: nothing a caller (a test worker) set may change what is measured.
        env = dict((name, os.environ[name]) for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ)
        child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env=env)
        child.stdin.write(json.dumps(args).encode())
        child.stdin.close()
        out = child.stdout.read()
        err = child.stderr.read()
        _pid, status, usage = os.wait4(child.pid, 0)
        elapsed = time.monotonic() - started
        result = json.loads(out.decode() or "{}")
        if result.get("failed") or status != 0:
            raise SystemExit("the run failed: %s %s" % (result.get("msg"), err.decode()[-2000:]))
        peak_kb = int(err.decode().rsplit("VMHWM_KB=", 1)[1].split()[0])
        return {"report_bytes": result["size"], "file_bytes": os.path.getsize(dest), "max_rss_mb": peak_kb / 1024.0,
                "wait4_max_rss_mb": usage.ru_maxrss / 1024.0, "seconds": round(elapsed, 1), "sha256": result["sha256"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=120, help="report size in MB (default 120)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        print(json.dumps(measure(options.size, workdir), indent=1))


if __name__ == "__main__":
    main()
