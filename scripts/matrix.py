#!/usr/bin/env python
"""The compatibility matrix: every ansible-core, managed-node Python and requests/urllib3 we claim.

    scripts/matrix.py [--cells NAME,...] [--jobs N] [--list]

Each cell gets a cached venv (under $SECOPS_MATRIX_CACHE, default ~/.cache/secops-matrix, keyed by
interpreter, ansible-core and dependency pins, reused while those stay the same) and a work dir
under .tmp/matrix/CELL (logs, tarball, installed collection, ansible-test tree). Kinds of cell:

- core-2.16 ... core-2.21: one ansible-core minor on a controller Python it supports: build the
  tarball with that core, install it, `ansible-test sanity` and `ansible-test units`, and the smoke
  subset of the integration suite against the simulator.
- target-3.8 ... target-3.13: the playbook smoke (every module through ansible-playbook) with the managed node's Python (the harness's
  ansible_python_interpreter, SECOPS_TARGET_PYTHON) set to a venv of that Python holding only what
  the modules need (requirements.txt); the controller is the repo's .venv (ansible-core 2.19, the
  newest core whose targets still start at 3.8).
- deps-oldest, deps-newest: the oldest requests and urllib3 that requirements.txt allows
  (requests 2.31.0, urllib3 1.26) and the newest releases: build, install, the unit tests (the
  transport's watchdog is tested there) and the smoke subset.

An interpreter is looked for in pyenv's versions ($(pyenv root)/versions/*/bin/python3.X) and on
PATH; a cell whose interpreter is missing is skipped with a line saying so. Cells run in parallel
(--jobs, default 2). Every core cell runs `ansible-test units`: the unit tests must pass under
ansible-test's own venv of each core, which `make unit` (the repo's .venv) does not prove. Stdlib only:
it runs on any Python 3.8+.
"""

import argparse
import concurrent.futures
import glob
import hashlib
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, ".tmp", "matrix")
CACHE = os.environ.get("SECOPS_MATRIX_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "secops-matrix")
REPO_VENV_PYTHON = os.path.join(ROOT, ".venv", "bin", "python")

# ansible-core minor -> controller Pythons it supports, the preferred one first.
CORES = {
    "2.16": ("3.11", "3.12", "3.10"),
    "2.17": ("3.12", "3.11", "3.10"),
    "2.18": ("3.12", "3.13", "3.11"),
    "2.19": ("3.11", "3.12", "3.13"),
    "2.20": ("3.12", "3.13"),
    "2.21": ("3.13", "3.12"),
}
# Managed-node Pythons the collection supports (README "Supported versions"); ansible-core 2.19,
# the controller of the target cells, supports all of them as targets (2.20 starts at 3.9).
TARGETS = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13")
TARGET_CONTROLLER_CORE = "2.19"
DEPS = {
    "oldest": ("requests==2.31.0", "urllib3==1.26.*"),
    "newest": ("requests", "urllib3"),
}
DEPS_CORE, DEPS_PYTHON = "2.19", ("3.11", "3.12")
# What the tests import besides ansible-core and requests (the simulator, the harness, unit tests).
TEST_TOOLS = ("pytest", "PyYAML", "cryptography", "trustme", "hypothesis", "cmarkgfm", "markdown-it-py",
              "linkify-it-py")

# The smoke subset: seeds, batches, waiting, errors, check mode and TLS of both products in-process
# (tests/modules: the cell's ansible-core parses the arguments, its Python runs the modules), and
# every module once through ansible-playbook with the cell's core and managed-node Python (the
# batched playbook of tests/integration/test_playbook_features.py).
SMOKE = (
    "tests/modules/test_faz_seeds.py::test_seed_task_returns_exactly_the_seed_rows",
    "tests/modules/test_faz_seeds.py::test_real_shape_top_sources_rows_are_normalised",
    "tests/modules/test_gz_seeds.py",
    "tests/modules/test_faz_batch.py::test_tids_with_an_unknown_task_fail_and_still_report_the_others",
    "tests/modules/test_faz_batch.py::test_tids_wait_for_every_task",
    "tests/modules/test_gz_batch.py",
    "tests/modules/test_faz_wait.py::test_wait_in_the_real_shape",
    "tests/modules/test_gz_wait.py::test_wait_polls_the_task_alone_then_fetches_the_subtasks_once",
    "tests/modules/test_faz_errors.py::test_task_in_error_fails",
    "tests/modules/test_gz_errors.py::test_console_refusals_name_the_cause_without_the_key",
    "tests/modules/test_faz_check_mode.py::test_check_mode_with_wait_on_a_running_task",
    "tests/modules/test_gz_check_mode.py",
    "tests/modules/test_faz_tls.py",
    "tests/integration/test_playbook_features.py",
    # both paths of the action plugins (in the controller process, shipped), compared task by task
    "tests/integration/test_controller_parity.py",
)
# A target cell changes only the managed node's Python: what runs there is what ansible-playbook runs.
TARGET_SMOKE = ("tests/integration/test_playbook_features.py",)


class Skip(Exception):
    """The cell cannot run here (a missing interpreter); the message says why."""


class StepFailed(Exception):
    def __init__(self, step, log):
        super().__init__(step)
        self.step = step
        self.log = log


# -- interpreters --------------------------------------------------------------------------------

def pyenv_root():
    try:
        return subprocess.run(["pyenv", "root"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")


def _reports(python, version):
    """True when `python` runs and is `version` (pyenv shims on PATH may point at nothing)."""
    try:
        out = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.returncode == 0 and out.stdout.strip() == version


def find_python(version):
    """Path of a working python`version` (pyenv versions first, then PATH), or None."""
    candidates = sorted(glob.glob(os.path.join(pyenv_root(), "versions", "*", "bin", "python" + version)),
                        reverse=True)
    on_path = shutil.which("python" + version)
    if on_path:
        candidates.append(on_path)
    for python in candidates:
        if _reports(python, version):
            return python
    return None


def first_python(versions):
    """(version, path) of the first of `versions` found; Skip naming them all when none is."""
    for version in versions:
        path = find_python(version)
        if path:
            return version, path
    raise Skip("no Python %s found (looked in %s/versions/*/bin and on PATH)"
               % (" or ".join(versions), pyenv_root()))


# -- venvs and steps -----------------------------------------------------------------------------

def run_step(cell, step, argv, env=None, cwd=ROOT):
    """Run one step of a cell, output to its log; StepFailed when it exits non-zero."""
    log = os.path.join(cell.workdir, step + ".log")
    full_env = dict(os.environ, **(env or {}))
    with open(log, "w", encoding="utf-8") as stream:
        stream.write("$ %s\n" % " ".join(argv))
        stream.flush()
        status = subprocess.call(argv, cwd=cwd, env=full_env, stdin=subprocess.DEVNULL, stdout=stream,
                                 stderr=subprocess.STDOUT)
    if status != 0:
        raise StepFailed(step, log)


def venv(cell, python, packages):
    """A cached venv of `python` with `packages`; its python path."""
    version = subprocess.run([python, "-c", "import sys; print(sys.version)"], stdout=subprocess.PIPE,
                             text=True, check=True).stdout.strip()
    key = hashlib.sha256(("\n".join((python, version) + tuple(packages))).encode()).hexdigest()[:12]
    path = os.path.join(CACHE, "venvs", "%s-%s" % (cell.name, key))
    stamp = os.path.join(path, ".secops-matrix-ready")
    if not os.path.exists(stamp):
        shutil.rmtree(path, ignore_errors=True)
        uv = os.environ.get("UV")
        if uv:
            # uv (the Makefile's, from requirements-uv.txt): seconds per cell where pip takes half a minute.
            run_step(cell, "venv", [uv, "venv", "--quiet", "--python", python, path])
            run_step(cell, "venv", [uv, "pip", "install", "--quiet", "--compile-bytecode", "--python",
                                    os.path.join(path, "bin", "python")] + list(packages))
        else:
            run_step(cell, "venv", [python, "-m", "venv", path])
            run_step(cell, "venv", [os.path.join(path, "bin", "python"), "-m", "pip", "install", "--quiet",
                                    "--disable-pip-version-check"] + list(packages))
        open(stamp, "w", encoding="utf-8").close()
    return os.path.join(path, "bin", "python")


def tool_env(python):
    """Environment that puts `python`'s venv first on PATH."""
    bindir = os.path.dirname(python)
    return {"PATH": bindir + os.pathsep + os.environ.get("PATH", os.defpath), "PYTHON": python,
            "VIRTUAL_ENV": os.path.dirname(bindir), "ANSIBLE_NOCOLOR": "1", "NO_COLOR": "1"}


def build_and_install(cell, python):
    """The tarball built and installed with this cell's ansible-core; the collections path."""
    env = tool_env(python)
    dist = os.path.join(cell.workdir, "dist")
    collections = os.path.join(cell.workdir, "collections")
    shutil.rmtree(dist, ignore_errors=True)
    shutil.rmtree(collections, ignore_errors=True)
    galaxy = os.path.join(os.path.dirname(python), "ansible-galaxy")
    run_step(cell, "build", [galaxy, "collection", "build", "--force", "--output-path", dist], env)
    tarball = glob.glob(os.path.join(dist, "*.tar.gz"))[0]
    env["ANSIBLE_COLLECTIONS_PATH"] = collections
    run_step(cell, "install", [galaxy, "collection", "install", "--offline", "--force", "-p", collections,
                               tarball], env)
    return collections


def ansible_test(cell, python, command):
    env = tool_env(python)
    env["ANSIBLE_TEST_ROOT"] = os.path.join(cell.workdir, "ansible-test")
    run_step(cell, command, [os.path.join(ROOT, "scripts", "ansible-test.sh"), command], env)


def pytest(cell, step, python, args, collections=None, target=None):
    env = tool_env(python)
    if collections:
        env["SECOPS_COLLECTIONS_PATH"] = collections
    if target:
        env["SECOPS_TARGET_PYTHON"] = target
    run_step(cell, step, [python, "-m", "pytest", "-p", "no:cacheprovider", "-q"] + list(args), env)


# -- cells ---------------------------------------------------------------------------------------

class Cell:
    """One row of the table: what it runs on, and the steps it ran with their outcome."""

    def __init__(self, name, kind, core, controller, target="(controller)", deps="requirements.txt"):
        self.name = name
        self.kind = kind
        self.core = core
        self.controller = controller  # candidate Python versions, preferred first
        self.target = target
        self.deps = deps
        self.workdir = os.path.join(WORK, name)
        self.python = None
        self.steps = []  # (step, "ok" | "FAIL")
        self.outcome = "not run"
        self.detail = ""
        self.seconds = 0.0

    def core_packages(self, extra=()):
        return ("ansible-core==%s.*" % self.core,) + tuple(extra or ("requests>=2.31",)) + TEST_TOOLS


def all_cells():
    cells = [Cell("core-" + core, "core", core, pythons) for core, pythons in CORES.items()]
    cells += [Cell("target-" + target, "target", TARGET_CONTROLLER_CORE, ("3.11",), target=target)
              for target in TARGETS]
    cells += [Cell("deps-" + name, "deps", DEPS_CORE, DEPS_PYTHON, deps=" ".join(pins))
              for name, pins in DEPS.items()]
    return cells


def run_core(cell):
    python = venv(cell, cell.python, cell.core_packages())
    collections = build_and_install(cell, python)
    cell.steps.append(("build", "ok"))
    for command in ("sanity", "units"):
        ansible_test(cell, python, command)
        cell.steps.append((command, "ok"))
    pytest(cell, "smoke", python, SMOKE, collections)
    cell.steps.append(("smoke", "ok"))


def run_target(cell):
    target_python = find_python(cell.target)
    if not target_python:
        raise Skip("no Python %s found (looked in %s/versions/*/bin and on PATH)" % (cell.target, pyenv_root()))
    target = venv(cell, target_python, ("-r", os.path.join(ROOT, "requirements.txt")))
    if not os.path.exists(REPO_VENV_PYTHON):
        raise Skip("no .venv: run `make venv` first (the controller of the target cells)")
    cell.python = REPO_VENV_PYTHON
    collections = build_and_install(cell, REPO_VENV_PYTHON)
    cell.steps.append(("build", "ok"))
    pytest(cell, "smoke", REPO_VENV_PYTHON, TARGET_SMOKE, collections, target=target)
    cell.steps.append(("smoke", "ok"))


def run_deps(cell):
    python = venv(cell, cell.python, cell.core_packages(cell.deps.split()))
    collections = build_and_install(cell, python)
    cell.steps.append(("build", "ok"))
    pytest(cell, "units", python, ["tests/unit"])
    cell.steps.append(("units", "ok"))
    pytest(cell, "smoke", python, SMOKE, collections)
    cell.steps.append(("smoke", "ok"))


RUNNERS = {"core": run_core, "target": run_target, "deps": run_deps}


def run_cell(cell):
    started = time.monotonic()
    shutil.rmtree(cell.workdir, ignore_errors=True)
    os.makedirs(cell.workdir)
    try:
        if cell.kind != "target":
            cell.controller, cell.python = first_python(cell.controller)
        RUNNERS[cell.kind](cell)
        cell.outcome = "pass"
    except Skip as skip:
        cell.outcome, cell.detail = "skipped", str(skip)
    except StepFailed as failed:
        cell.steps.append((failed.step, "FAIL"))
        cell.outcome, cell.detail = "FAIL", os.path.relpath(failed.log, ROOT)
    cell.seconds = time.monotonic() - started
    print("matrix: %-12s %-7s %4.0fs %s" % (cell.name, cell.outcome, cell.seconds, cell.detail), flush=True)
    return cell


# -- report --------------------------------------------------------------------------------------

def describe(cell):
    controller = cell.controller if isinstance(cell.controller, str) else "/".join(cell.controller)
    if cell.kind == "target":
        controller = "3.11 (.venv)"
    return [cell.name, cell.core, controller, cell.target, cell.deps]


def table(cells):
    header = ["cell", "ansible-core", "controller Python", "managed-node Python", "requests/urllib3", "steps",
              "result", "time"]
    rows = []
    for cell in cells:
        steps = " ".join("%s:%s" % step for step in cell.steps) or "-"
        result = cell.outcome if not cell.detail else "%s (%s)" % (cell.outcome, cell.detail)
        rows.append(describe(cell) + [steps, result, "%.0fs" % cell.seconds])
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _column in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--cells", help="comma-separated cell names (default: all); see --list")
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("MATRIX_JOBS", "2")),
                        help="cells run at once (default 2)")
    parser.add_argument("--list", action="store_true", help="list the cells and exit")
    return parser.parse_args(argv)


def select(cells, wanted):
    if not wanted:
        return cells
    names = [name.strip() for name in wanted.split(",") if name.strip()]
    known = dict((cell.name, cell) for cell in cells)
    unknown = [name for name in names if name not in known]
    if unknown:
        sys.exit("matrix: unknown cell(s) %s; known: %s" % (", ".join(unknown), ", ".join(known)))
    return [known[name] for name in names]


def main(argv=None):
    args = parse_args(argv)
    cells = select(all_cells(), args.cells)
    if args.list:
        print("\n".join(" ".join(describe(cell)) for cell in cells))
        return 0
    os.makedirs(WORK, exist_ok=True)
    print("matrix: %d cell(s), %d at a time; venvs cached in %s, logs in %s"
          % (len(cells), args.jobs, CACHE, os.path.relpath(WORK, ROOT)), flush=True)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        done = list(pool.map(run_cell, cells))
    report = table(done)
    print("\n" + report)
    with open(os.path.join(WORK, "table.md"), "w", encoding="utf-8") as stream:
        stream.write(report + "\n")
    failed = [cell.name for cell in done if cell.outcome == "FAIL"]
    passed = sum(1 for cell in done if cell.outcome == "pass")
    skipped = sum(1 for cell in done if cell.outcome == "skipped")
    if failed:
        print("\nmatrix: failed cells (logs in the result column): %s" % ", ".join(failed))
    print("\nmatrix: %d passed, %d failed, %d skipped" % (passed, len(failed), skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
