"""gz_task_status under --check: it only reads, so it reads and answers exactly as without --check."""

from tests.integration.gz_helpers import SEED_V11_OPTIONS, SEED_V11_RESULT, assert_task_result, gz_log, run_gz, status_task


def test_check_mode_reads_and_returns_the_same_result(sim, run_tasks):
    run = run_gz(run_tasks, [status_task(sim, **SEED_V11_OPTIONS)], check=True)

    assert run.rc == 0, run.describe()
    assert_task_result(run.ok_result(), SEED_V11_RESULT)  # changed: false included
    assert [(entry["method"], entry["page"], entry["http_status"]) for entry in gz_log(sim)] == [
        ("getTaskStatus", 5, 200)]
