"""A report bigger than 100 MB streams to disk: the module's process stays under 100 MB of RSS.

The peak is the module process's own (VmHWM), so what the test worker holds does not count: see
scripts/report_rss.py for why wait4()'s figure would.
"""

import importlib.util
import os

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "scripts",
                      "report_rss.py")


def test_a_110_mb_report_downloads_in_bounded_memory(tmp_path):
    spec = importlib.util.spec_from_file_location("report_rss", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    measured = script.measure(110, str(tmp_path))
    assert measured["file_bytes"] == 110 * 1024 * 1024 > 100 * 1000 * 1000
    assert measured["max_rss_mb"] < 100, measured
