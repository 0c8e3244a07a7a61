#!/usr/bin/env python
"""Check that every module in plugins/modules documents itself through ansible-doc.

Runs against the *installed* collection (ANSIBLE_COLLECTIONS_PATH, set by `make docs-check`
after `make install`), so it sees what a user of the tarball sees. For each module (one
ansible-doc run for all of them, and runs per module only to name the one a run complained of):
`ansible-doc --json` must succeed without warnings and give a short_description, a
description, EXAMPLES and RETURN; the plain-text rendering must succeed too; the action groups
it declares (attributes.action_group.membership) must be the ones meta/runtime.yml puts it in.
Finally `ansible-doc -l NAMESPACE.NAME` must list exactly the modules in plugins/modules, and
every module named in meta/runtime.yml action_groups must exist.
"""

import json
import os
import subprocess
import sys

import yaml

FQCN = sys.argv[1] if len(sys.argv) > 1 else 'secops.async_tasks'
MODULE_DIR = os.path.join('plugins', 'modules')


def discover_modules():
    if not os.path.isdir(MODULE_DIR):
        return []
    return sorted(
        name[:-3] for name in os.listdir(MODULE_DIR)
        if name.endswith('.py') and not name.startswith('_')
    )


def runtime_groups():
    """{module short name: {group FQCN, ...}} from meta/runtime.yml action_groups."""
    with open(os.path.join('meta', 'runtime.yml'), encoding='utf-8') as handle:
        runtime = yaml.safe_load(handle) or {}
    groups = {}
    for group, members in (runtime.get('action_groups') or {}).items():
        for member in members:
            if isinstance(member, dict):  # a `metadata: {extend_group: ...}` entry
                continue
            short = member.rsplit('.', 1)[-1] if member.startswith(FQCN + '.') else member
            groups.setdefault(short, set()).add('%s.%s' % (FQCN, group))
    return groups


def ansible_doc(*args):
    beside_python = os.path.join(os.path.dirname(sys.executable), 'ansible-doc')
    command = beside_python if os.access(beside_python, os.X_OK) else 'ansible-doc'
    env = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0')
    return subprocess.run([command] + list(args), capture_output=True, text=True, env=env, check=False)


def noise(stderr):
    """Lines of stderr that mean something is wrong."""
    return [line for line in stderr.splitlines() if line.strip()]


def doc_problems(entry, groups):
    """What is missing from one module's ``ansible-doc --json`` entry."""
    problems = []
    doc = entry.get('doc') or {}
    for key in ('short_description', 'description', 'options'):
        if not doc.get(key) and not (key == 'options' and 'options' in doc):
            problems.append('DOCUMENTATION has no %s' % key)
    if not (entry.get('examples') or '').strip():
        problems.append('EXAMPLES is missing or empty')
    if not entry.get('return'):
        problems.append('RETURN is missing or empty')
    declared = set(((doc.get('attributes') or {}).get('action_group') or {}).get('membership') or [])
    if declared != groups:
        problems.append('action groups: the docs declare %s, meta/runtime.yml has %s'
                        % (sorted(declared) or 'none', sorted(groups) or 'none'))
    return problems


def json_entries(fqcns):
    """One ``ansible-doc --json`` run of ``fqcns``: ({fqcn: entry}, None), or (None, what went wrong)."""
    run = ansible_doc('--json', '-t', 'module', *fqcns)
    if run.returncode != 0 or noise(run.stderr):
        return None, 'ansible-doc --json exited %d: %s' % (run.returncode, run.stderr.strip() or run.stdout.strip())
    try:
        entries = json.loads(run.stdout)
        return dict((fqcn, entries[fqcn]) for fqcn in fqcns), None
    except (ValueError, KeyError) as err:
        return None, 'ansible-doc --json gave no entry for it (%s)' % err


def renders(fqcns):
    """The problem of the plain-text rendering of ``fqcns`` (one ansible-doc run), or None."""
    text = ansible_doc('-t', 'module', *fqcns)
    if text.returncode != 0 or noise(text.stderr):
        return 'ansible-doc (text) exited %d: %s' % (text.returncode, text.stderr.strip())
    return None


def check_module(fqcn, groups, entry=None, rendered=True):
    """Problems of one module. ``entry`` and ``rendered`` come from the runs over all modules; without
    them (one of those runs complained) the module gets runs of its own, so the report names it."""
    if entry is None:
        entries, problem = json_entries([fqcn])
        if problem:
            return [problem]
        entry = entries[fqcn]
    problems = doc_problems(entry, groups)
    if not rendered:
        problem = renders([fqcn])
        if problem:
            problems.append(problem)
    return problems


def check_listing(fqcns):
    run = ansible_doc('-t', 'module', '-l', FQCN)
    if run.returncode != 0 or noise(run.stderr):
        return ['ansible-doc -l %s exited %d: %s' % (FQCN, run.returncode, run.stderr.strip())]
    listed = {line.split()[0] for line in run.stdout.splitlines() if line.strip()}
    problems = ['ansible-doc -l does not list %s' % name for name in fqcns if name not in listed]
    problems += ['ansible-doc -l lists %s, which is not in %s' % (name, MODULE_DIR)
                 for name in sorted(listed - set(fqcns))]
    return problems


def main():
    modules = discover_modules()
    if not modules:
        print('docs-check: no modules in %s yet; skipped' % MODULE_DIR)
        return 0
    fqcns = ['%s.%s' % (FQCN, name) for name in modules]
    groups = runtime_groups()
    failed = False
    # Two ansible-doc runs for all modules (each run costs about as much as a module's docs); a module
    # is run on its own only when a run over all of them complained, to say which one it was.
    entries = json_entries(fqcns)[0] or {}
    rendered = renders(fqcns) is None
    for fqcn in fqcns:
        problems = check_module(fqcn, groups.get(fqcn.rsplit('.', 1)[-1], set()), entries.get(fqcn), rendered)
        failed = failed or bool(problems)
        print('docs-check: %s %s' % ('FAIL' if problems else 'ok  ', fqcn))
        for problem in problems:
            print('    %s' % problem)
    problems = check_listing(fqcns)
    problems += ['meta/runtime.yml action_groups name %s, which is not in %s' % (name, MODULE_DIR)
                 for name in sorted(set(groups) - set(modules))]
    failed = failed or bool(problems)
    print('docs-check: %s ansible-doc -l %s (%d modules)' % ('FAIL' if problems else 'ok  ', FQCN, len(fqcns)))
    for problem in problems:
        print('    %s' % problem)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
