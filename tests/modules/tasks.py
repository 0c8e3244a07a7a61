"""Run a list of module tasks in-process, with the results a playbook run would record.

``TaskRunner(harness)(tasks, env=None, check=False)`` takes the task dicts the integration tests write
(``tests.integration.helpers.module_task``) and runs each module through ``ModuleHarness``. It does the
little a controller does between a module and the test, and nothing more:

* a task's result gets ``failed`` and ``changed`` when the module left them out (ansible-core's task
  executor does the same), and a module that raised becomes a failed task with ``module_stderr``;
* warnings are their text, as the integration tests' record_results callback keeps them;
* a failed task stops the run unless it has ``ignore_errors: true`` (``rc`` 2, as ansible-playbook);
* ``register`` keeps a result for later tasks, which may name it as a whole-value template
  (``"{{ created.tid }}"``); ``"{{ lookup('env', 'NAME') }}"`` reads the run's ``env`` (a key kept
  out of the task, as gz_helpers.key_option writes it); ``check_mode`` and ``environment`` on a task
  apply to its module.

Anything else (another action, a loop, a filter in a template, -v output) needs Ansible itself:
it raises ``NeedsAnsible``, and such a test belongs in tests/integration.
The answer is a ``PlaybookRun`` (tests/integration/helpers.py), so a test reads it the same way.
"""

import re
import time

from tests.integration.helpers import COLLECTION, PlaybookRun

_TEMPLATE = re.compile(r"^\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}$")
_ENV_LOOKUP = re.compile(r"^\{\{\s*lookup\('(?:ansible\.builtin\.)?env',\s*'([A-Za-z_][A-Za-z0-9_]*)'\)\s*\}\}$")
_TASK_KEYS = frozenset(("name", "register", "ignore_errors", "check_mode", "environment"))


class NeedsAnsible(AssertionError):
    """The task list uses something only ansible-playbook does."""


class TaskRunner:
    """Callable that runs task lists in-process; every run is kept in ``runs``."""

    def __init__(self, harness):
        self.harness = harness
        self.runs = []

    def __call__(self, tasks, env=None, check=False, verbosity=0):
        if verbosity:
            raise NeedsAnsible("-v output is ansible-playbook's: run this test in tests/integration")
        started = time.monotonic()
        registered, records, outputs, rc = {}, [], [], 0
        for task in tasks:
            module, args = _module_of(task)
            task_env = dict(env or {}, **(task.get("environment") or {}))
            run = self.harness.run(module, _render(args, registered, task_env), check_mode=task.get("check_mode", check),
                                   env=task_env)
            result = task_result(run)
            status = "failed" if result["failed"] else ("skipped" if result.get("skipped") else "ok")
            records.append({"name": task.get("name", module), "action": COLLECTION + "." + module,
                            "status": status, "duration": run.elapsed, "result": result})
            outputs.append(run.output)
            if task.get("register"):
                registered[task["register"]] = result
            if status == "failed" and not task.get("ignore_errors"):
                rc = 2
                break
        results_text = "\n".join(repr(record["result"]) for record in records)
        run = PlaybookRun(["in-process"] + [record["action"] for record in records], rc, "\n".join(outputs), "",
                          records, time.monotonic() - started, results_text)
        self.runs.append(run)
        return run


def task_result(run):
    """The result a task records for one ``ModuleResult``."""
    if run.crash is not None:
        return {"failed": True, "changed": False, "msg": "MODULE FAILURE: see module_stderr",
                "module_stderr": run.crash, "rc": 1}
    result = dict(run.result)
    if "warnings" in result:  # the text of each, as the record_results callback keeps them
        result["warnings"] = [_warning_text(warning) for warning in result["warnings"]]
    result.setdefault("failed", bool(run.rc))
    result.setdefault("changed", False)
    return result


def _warning_text(warning):
    """A warning as text: a string before ansible-core 2.19, a WarningSummary (its event's msg) since."""
    if isinstance(warning, dict):
        return str(warning.get("event", {}).get("msg", warning))
    return str(warning)


def _module_of(task):
    modules = [key for key in task if key.startswith(COLLECTION + ".")]
    others = set(task) - _TASK_KEYS - set(modules)
    if len(modules) != 1 or others:
        raise NeedsAnsible("task %r uses %s: only ansible-playbook runs that" % (
            task.get("name"), sorted(others) or "no module of the collection"))
    return modules[0][len(COLLECTION) + 1:], task[modules[0]]


def _render(value, registered, env):
    """``value`` with whole-value templates resolved: ``{{ name.path }}`` from registered results,
    ``{{ lookup('env', 'NAME') }}`` from the run's environment (the controller's, in a playbook run)."""
    if isinstance(value, dict):
        return dict((key, _render(item, registered, env)) for key, item in value.items())
    if isinstance(value, list):
        return [_render(item, registered, env) for item in value]
    if isinstance(value, str) and "{{" in value:
        lookup = _ENV_LOOKUP.match(value)
        if lookup:
            return env.get(lookup.group(1), "")
        match = _TEMPLATE.match(value)
        if not match:
            raise NeedsAnsible("template %r needs Jinja: run this test in tests/integration" % value)
        found = registered
        for part in match.group(1).split("."):
            found = found[part]
        return found
    return value
