"""Bad input: every invalid option value fails with a message naming the option, and nothing is sent.

The whole table runs as one task list in-process (each task with ``ignore_errors``, results
recorded), once per test module; each row is then checked as its own test, and the simulator's counters - taken right
after the playbook - must show that not one request reached either product.
(test_faz_errors.py covers the FortiAnalyzer connection options; this table covers every module's
own options.)
"""

import pytest

from tests.integration.helpers import faz_connection, module_crashed, module_task
from tests.modules.harness import ModuleHarness
from tests.modules.tasks import TaskRunner

GZ_TASK = "65f46d08c6d2865b32048ba3"
TARGET = "5ba8e0dbb1a43d0f2b7b23c1"
NEW_TASK = dict(view="top-sources", time_range={"last": "1h"})

# (id, module, options, option named in the message, a fragment of the message)
TABLE = [
    ("tid-0", "faz_top_sources_result", dict(tid=0), "tid", "positive integer"),
    ("tid-negative", "faz_top_applications_result", dict(tid=-1), "tid", "positive integer"),
    ("tid-not-a-number", "faz_top_sources_result", dict(tid="abc"), "tid", "int"),
    ("tids-one-zero", "faz_fortiview_result", dict(view="top-sources", tids=[12450, 0]), "tids", "positive integer"),
    ("tids-empty", "faz_top_sources_result", dict(tids=[]), "tids", "empty"),
    ("adom-slash", "faz_fortiview_result", dict(view="top-sources", tid=12450, adom="root/../x"), "adom",
     "not a valid ADOM name"),
    ("adom-slash-create", "faz_fortiview_task", dict(NEW_TASK, adom="a/b"), "adom", "not a valid ADOM name"),
    ("unknown-view", "faz_fortiview_result", dict(view="top-everything", tid=12450), "view", "top-everything"),
    ("unknown-view-create", "faz_fortiview_task", dict(NEW_TASK, view="top-nothing"), "view", "top-nothing"),
    ("time-range-backwards", "faz_fortiview_task",
     dict(NEW_TASK, time_range={"start": "2026-01-02 00:00:00", "end": "2026-01-01 00:00:00"}), "time_range",
     "before it starts"),
    ("time-range-empty", "faz_fortiview_task",
     dict(NEW_TASK, time_range={"start": "2026-01-01 00:00:00", "end": "2026-01-01 00:00:00"}), "time_range",
     "before it starts"),
    ("time-range-not-a-duration", "faz_fortiview_task", dict(NEW_TASK, time_range={"last": "forever"}),
     "time_range", "not a duration"),
    ("time-range-last-and-start", "faz_fortiview_task",
     dict(NEW_TASK, time_range={"last": "1h", "start": "2026-01-01 00:00:00"}), "time_range", "not both"),
    ("time-range-not-a-time", "faz_fortiview_task", dict(NEW_TASK, time_range={"start": "yesterday"}), "time_range",
     "not a time"),
    ("filter-field-not-accepted", "faz_fortiview_task", dict(NEW_TASK, filter="dstip==203.0.113.7"), "filter",
     "does not accept a filter on 'dstip'"),
    ("filter-not-a-term", "faz_fortiview_task", dict(NEW_TASK, filter="srcip"), "filter", "field==value"),
    ("sort-unknown-column", "faz_fortiview_task", dict(NEW_TASK, sort_by=["hostname_length"]), "sort_by",
     "cannot be sorted by 'hostname_length'"),
    ("sort-bad-order", "faz_fortiview_task", dict(NEW_TASK, sort_by=["bandwidth:up"]), "sort_by", "asc or desc"),
    ("limit-0", "faz_fortiview_task", dict(NEW_TASK, limit=0), "limit", "between 1 and 10000"),
    ("limit-too-big", "faz_fortiview_task", dict(NEW_TASK, limit=10001), "limit", "between 1 and 10000"),
    ("device-bad-entry", "faz_fortiview_task", dict(NEW_TASK, device=[{"serial": "FG100"}]), "device", "devid"),
    ("tid-on-create", "faz_fortiview_task", dict(NEW_TASK, tid=12450), "tid", "state: absent"),
    ("cancel-without-tid", "faz_fortiview_task", dict(view="top-sources", state="absent"), "tid", "missing"),
    ("cancel-with-filter", "faz_fortiview_task", dict(view="top-sources", state="absent", tid=12450,
                                                      filter="srcip==10.0.0.1"), "filter", "state: present"),
    ("wait-timeout-0", "faz_top_sources_result", dict(tid=12450, wait=True, wait_timeout=0), "wait_timeout",
     "positive"),
    ("gz-task-id-short", "gz_task_status", dict(task_id=GZ_TASK[:-1]), "task_id", "24 hexadecimal"),
    ("gz-task-id-not-hex", "gz_task_status", dict(task_id="zz" + GZ_TASK[2:]), "task_id", "24 hexadecimal"),
    ("gz-task-ids-one-bad", "gz_task_status", dict(task_ids=[GZ_TASK, "not-a-task"]), "task_ids", "24 hexadecimal"),
    ("gz-task-ids-empty", "gz_task_status", dict(task_ids=[]), "task_ids", "empty"),
    ("gz-per-page-0", "gz_task_status", dict(task_id=GZ_TASK, per_page=0), "per_page", "between 1 and 1000"),
    ("gz-per-page-1001", "gz_task_status", dict(task_id=GZ_TASK, per_page=1001), "per_page", "between 1 and 1000"),
    ("gz-page-0", "gz_task_status", dict(task_id=GZ_TASK, page=0), "page", "1 or more"),
    ("gz-max-pages-0", "gz_task_status", dict(task_id=GZ_TASK, max_pages=0), "max_pages", "1 or more"),
    ("gz-ended-after-not-before", "gz_task_status",
     dict(task_id=GZ_TASK, ended_after="2026-01-02T00:00:00", ended_before="2026-01-01T00:00:00"), "ended_after",
     "earlier than ended_before"),
    ("gz-ended-equal", "gz_task_status",
     dict(task_id=GZ_TASK, ended_after="2026-01-01T00:00:00", ended_before="2026-01-01T00:00:00"), "ended_after",
     "earlier than ended_before"),
    ("gz-ended-not-a-date", "gz_task_status", dict(task_id=GZ_TASK, ended_after="2026-13-01"), "ended_after",
     "YYYY-MM-DDTHH:MM[:SS]"),
    ("gz-ended-no-such-month", "gz_task_status", dict(task_id=GZ_TASK, ended_before="2026-13-01T00:00:00"),
     "ended_before", "YYYY-MM-DDTHH:MM[:SS]"),
    ("gz-subtask-filter-on-v10", "gz_task_status", dict(task_id=GZ_TASK, api_version="1.0",
                                                        subtask_status="finished"), "subtask_status", "1.1"),
    ("gz-unknown-subtask-status", "gz_task_status", dict(task_id=GZ_TASK, subtask_status="done"), "subtask_status",
     "done"),
    ("gz-wait-poll-0", "gz_task_status", dict(task_id=GZ_TASK, wait=True, poll_interval=0), "poll_interval",
     "positive"),
    ("gz-custom-scan-without-settings", "gz_scan_task", dict(target_ids=[TARGET], type="custom"),
     "custom_scan_depth", "needs custom_scan_depth and custom_scan_paths"),
    ("gz-custom-scan-without-paths", "gz_scan_task", dict(target_ids=[TARGET], type="custom",
                                                          custom_scan_depth="normal"), "custom_scan_paths",
     "needs custom_scan_depth and custom_scan_paths"),
    ("gz-custom-settings-on-quick", "gz_scan_task", dict(target_ids=[TARGET], custom_scan_depth="normal"),
     "custom_scan_depth", "only apply to type: custom"),
    ("gz-target-not-an-id", "gz_scan_task", dict(target_ids=[TARGET, "laptop-01"]), "target_ids",
     "24 hexadecimal"),
    ("gz-targets-empty", "gz_scan_task", dict(target_ids=[]), "target_ids", "empty"),
    ("gz-api-url-http", "gz_task_status", dict(task_id=GZ_TASK, api_url="http://127.0.0.1/api"), "api_url", "https"),
    ("gz-timeout-0", "gz_scan_task", dict(target_ids=[TARGET], timeout=0), "timeout", "positive"),
]


def connection(sim, module):
    if module.startswith("gz_"):
        return dict(api_url=sim.gz_api_url, api_key="simgzkey0123456789abcdef0123456789abcdef", ca_path=sim.ca_path)
    return faz_connection(sim)


@pytest.fixture(scope="module")
def bad_input_run(sim, tmp_path_factory):
    """The table as one playbook; (run, counters right after it)."""
    sim.reset()
    tasks = []
    for name, module, options, option, fragment in TABLE:
        args = connection(sim, module)
        args.update(options)
        entry = module_task(module, name=name, **args)
        entry["ignore_errors"] = True
        tasks.append(entry)
    run = TaskRunner(ModuleHarness(str(tmp_path_factory.mktemp("bad-input"))))(tasks)
    return run, sim.counters()


@pytest.mark.parametrize("name, module, options, option, fragment", TABLE, ids=[row[0] for row in TABLE])
def test_bad_input_fails_naming_the_option(bad_input_run, name, module, options, option, fragment):
    run = bad_input_run[0]
    record = run.record(name)
    assert record["status"] == "failed", (name, record["result"])
    msg = record["result"]["msg"]
    assert option in msg, msg
    assert fragment in msg, msg
    assert "Traceback" not in msg and not module_crashed(record["result"])


def test_bad_input_sends_no_request(bad_input_run):
    run, counters = bad_input_run
    assert len(run.module_records()) == len(TABLE), run.describe()
    assert "Traceback" not in run.output
    assert counters["faz"]["requests"] == 0, counters["faz"]
    assert counters["gz"]["requests"] == 0, counters["gz"]
    assert counters["faz"]["open_sessions"] == 0
