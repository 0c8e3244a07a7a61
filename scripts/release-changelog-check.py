#!/usr/bin/env python
"""Check the CHANGELOG.rst of a released collection tree: release-changelog-check.py DIR VERSION.

The release of VERSION must be in it with its release summary, every module in plugins/modules
under "New Modules" and every role in roles/ under "New Roles" (what `antsibull-changelog release`
writes when each has `version_added: VERSION`). Prints what is missing and exits 1, else 0.
"""

import os
import re
import sys


def section(text, title):
    """The lines of the RST section `title` (up to the next heading of any level), or None."""
    match = re.search(r"^%s\n[-~^=]+\n(.*?)(?=^[^\n]+\n[-~^=]{3,}\n|\Z)" % re.escape(title), text, re.M | re.S)
    return match.group(1) if match else None


def expected(tree):
    modules = sorted(os.path.splitext(name)[0] for name in os.listdir(os.path.join(tree, "plugins", "modules"))
                     if name.endswith(".py") and not name.startswith("_"))
    roles_dir = os.path.join(tree, "roles")
    roles = sorted(os.listdir(roles_dir)) if os.path.isdir(roles_dir) else []
    return modules, roles


def problems(tree, version):
    with open(os.path.join(tree, "CHANGELOG.rst"), encoding="utf-8") as handle:
        text = handle.read()
    found = []
    if not re.search(r"^v%s\n=+$" % re.escape(version), text, re.M):
        found.append("no release v%s heading (still 'No release yet'?)" % version)
    if not (section(text, "Release Summary") or "").strip():
        found.append("no Release Summary (a release_summary fragment)")
    modules, roles = expected(tree)
    for title, names in (("New Modules", modules), ("New Roles", roles)):
        listed = section(text, title) or ""
        for name in names:
            if not re.search(r"^- secops\.async_tasks\.%s - " % re.escape(name), listed, re.M):
                found.append("%s is not under %r (version_added: %s missing?)" % (name, title, version))
    return found


def main():
    tree, version = sys.argv[1], sys.argv[2]
    found = problems(tree, version)
    for problem in found:
        print("release-check: %s/CHANGELOG.rst: %s" % (tree, problem), file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
