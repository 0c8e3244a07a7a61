"""Make the checkout importable as ``ansible_collections.secops.async_tasks`` for every test.

Python (and Ansible) find a collection only under ``.../ansible_collections/NAMESPACE/NAME``,
so ``.tmp/dev-collections`` holds a symlink to the repo root with that layout.
"""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEV_COLLECTIONS = os.path.join(ROOT, ".tmp", "dev-collections")


def _link_collection():
    namespace_dir = os.path.join(DEV_COLLECTIONS, "ansible_collections", "secops")
    link = os.path.join(namespace_dir, "async_tasks")
    os.makedirs(namespace_dir, exist_ok=True)
    if os.path.islink(link) and os.path.realpath(link) == os.path.realpath(ROOT):
        return
    if os.path.islink(link):  # points at an old checkout
        os.unlink(link)
    try:
        os.symlink(ROOT, link)
    except FileExistsError:  # another pytest process made it first
        pass


_link_collection()
if DEV_COLLECTIONS not in sys.path:
    sys.path.insert(0, DEV_COLLECTIONS)


# -- the tally of ansible-playbook runs ------------------------------------------------------------
# Every start of ansible-playbook by a test (tests/integration/helpers.py count_playbook_run) adds a
# line to one file shared by the xdist workers. The controller prints the count at the end, and the
# run fails when it is above SECOPS_MAX_PLAYBOOK_RUNS (the Makefile sets it for `make integration`):
# a new test that needs Ansible batches its cases into a playbook that exists.
TALLY_VARIABLE = "SECOPS_PLAYBOOK_TALLY"


def _is_xdist_worker(config):
    return hasattr(config, "workerinput")


@pytest.hookimpl(trylast=True)  # after the tmpdir plugin made config._tmp_path_factory
def pytest_configure(config):
    config.addinivalue_line("markers", "changing_modules(*names): integration tests only - modules of the collection "
                                       "that may report changed (the others must report changed: false)")
    if _is_xdist_worker(config) or os.environ.get(TALLY_VARIABLE):
        return
    tally_dir = config._tmp_path_factory.getbasetemp()  # pylint: disable=protected-access
    tally = os.path.join(str(tally_dir), "ansible-playbook-runs.txt")
    open(tally, "w", encoding="utf-8").close()
    os.environ[TALLY_VARIABLE] = tally  # xdist workers start later (at session start) and inherit it
    config._secops_tally = tally  # pylint: disable=protected-access


def _playbook_runs(config):
    tally = getattr(config, "_secops_tally", None)
    if tally is None or not os.path.exists(tally):
        return None
    with open(tally, encoding="utf-8") as stream:
        return stream.read().splitlines()


def pytest_sessionfinish(session, exitstatus):
    runs = _playbook_runs(session.config)
    limit = os.environ.get("SECOPS_MAX_PLAYBOOK_RUNS")
    if runs is not None and limit and len(runs) > int(limit) and exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, config):
    runs = _playbook_runs(config)
    if runs is None:
        return
    limit = os.environ.get("SECOPS_MAX_PLAYBOOK_RUNS")
    terminalreporter.write_line("ansible-playbook runs: %d%s" % (len(runs), " (at most %s)" % limit if limit else ""))
    if limit and len(runs) > int(limit):
        per_test = {}
        for test in runs:
            per_test[test] = per_test.get(test, 0) + 1
        terminalreporter.write_line("FAILED: more ansible-playbook runs than SECOPS_MAX_PLAYBOOK_RUNS=%s; by test:" % limit,
                                    red=True)
        for test, count in sorted(per_test.items(), key=lambda item: -item[1]):
            terminalreporter.write_line("  %3d  %s" % (count, test))
