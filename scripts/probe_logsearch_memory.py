"""Peak memory of one faz_log_search run against the row bytes it returns (issue 20, point 9).

Usage: .venv/bin/python scripts/probe_logsearch_memory.py [MAX_ROWS ...]  (default 10000 50000 100000)

The simulator runs in this process; each module run happens in a fresh child process that imports
the module first, then reads its peak RSS (ru_maxrss) before and after ``main()``. "Row bytes" is the
size of the returned ``rows`` as compact JSON. Prints one JSON object per run.
"""

import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import tests.conftest  # noqa: E402,F401  pylint: disable=unused-import,wrong-import-position  # the collection importable
from tests.integration.reliability_helpers import faz_args  # noqa: E402  pylint: disable=wrong-import-position
from tests.simulator.server import Simulator  # noqa: E402  pylint: disable=wrong-import-position

CHILD = r'''
import io, json, resource, sys, contextlib
sys.path[:0] = [sys.argv[1], sys.argv[2]]
from ansible_collections.secops.async_tasks.tests.unit.module_args import patch_module_args
from ansible_collections.secops.async_tasks.plugins.modules import faz_log_search
args = json.loads(sys.argv[3])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
out = io.StringIO()
with patch_module_args(args), contextlib.redirect_stdout(out):
    try:
        faz_log_search.main()
    except SystemExit:
        pass
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = json.loads(out.getvalue())
rows = result.get("rows") or []
row_bytes = len(json.dumps(rows, separators=(",", ":")))
print(json.dumps({"max_rows": args["max_rows"], "rows": len(rows), "row_bytes": row_bytes,
                  "rss_before_kib": before, "rss_peak_kib": peak, "failed": bool(result.get("failed")),
                  "msg": result.get("msg")}))
'''


def main(sizes):
    sim = Simulator(tempfile.mkdtemp(prefix="secops-memprobe-"))
    sim.start()
    try:
        sim.configure(faz_logsearch_duration=0)
        for size in sizes:
            args = faz_args(sim, logtype="traffic", max_rows=size, poll_interval=0.25, timeout=120, wait_timeout=600,
                            time_range={"start": "2025-12-13 00:00:00", "end": "2025-12-16 23:59:59"})
            child = subprocess.run([sys.executable, "-c", CHILD, os.path.join(ROOT, ".tmp", "dev-collections"), ROOT,
                                    json.dumps(args)], capture_output=True, text=True, check=False, timeout=900)
            line = json.loads(child.stdout.strip().splitlines()[-1]) if child.stdout.strip() else {"error": child.stderr[-500:]}
            if "rss_peak_kib" in line and line["row_bytes"]:
                grown = (line["rss_peak_kib"] - line["rss_before_kib"]) * 1024
                line["rss_growth_per_row_byte"] = round(grown / float(line["row_bytes"]), 2)
            print(json.dumps(line), flush=True)
    finally:
        sim.stop()


if __name__ == "__main__":
    main([int(size) for size in sys.argv[1:]] or [10000, 50000, 100000])
