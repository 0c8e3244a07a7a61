#!/usr/bin/env python
"""Check the CHANGELOG.rst of a released collection tree: release-changelog-check.py DIR VERSION.

The release of VERSION must be in it with its release summary, every module in plugins/modules
under "New Modules" and every role in roles/ under "New Roles" (what `antsibull-changelog release`
writes when each has `version_added: VERSION`). Besides:

* the release summary names every role and every playbook (``name``), and a count it gives
  ("three roles", "4 playbooks") is the true one;
* no Ansible markup (``C(...)``, ``O(...)``, ``M(...)``...) is left in the text: antsibull-changelog
  prints fragments as RST, so such markup shows literally (fragments use ``double backticks``);
* nothing listed under "New Modules", "New Roles" or "New Plugins" is announced again as new in another
  section of the release;
* a first release (the only release in changelogs/changelog.yaml) has no section of fixes or changes to
  something older: no Bugfixes, Security Fixes, Breaking Changes, Deprecated or Removed Features.

Prints what is wrong and exits 1, else 0.
"""

import os
import re
import sys

import yaml

NUMBERS = dict((word, number) for number, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split()))
MARKUP = re.compile(r"(?<![\w`])(?:RV|[CMOVIPEUL])\(")
NEW_SECTIONS = ("New Modules", "New Roles", "New Plugins", "New Playbooks")
NOT_IN_A_FIRST_RELEASE = ("Bugfixes", "Security Fixes", "Breaking Changes / Porting Guide", "Deprecated Features",
                          "Removed Features (previously deprecated)")
# "faz_log_search - new module that ...", "log_top, time_window - new filters that ..."
ANNOUNCED_NEW = re.compile(r"^[\w., ]+ - new (?:module|role|filter|plugin|playbook)s?\b", re.I)


def section(text, title):
    """The lines of the RST section `title` (up to the next heading of any level), or None."""
    match = re.search(r"^%s\n[-~^=]+\n(.*?)(?=^[^\n]+\n[-~^=]{3,}\n|\Z)" % re.escape(title), text, re.M | re.S)
    return match.group(1) if match else None


def _names(directory, suffix=""):
    if not os.path.isdir(directory):
        return []
    return sorted(name[:len(name) - len(suffix)] if suffix else name for name in os.listdir(directory)
                  if name.endswith(suffix) and not name.startswith(("_", ".")))


def expected(tree):
    modules = _names(os.path.join(tree, "plugins", "modules"), ".py")
    return modules, _names(os.path.join(tree, "roles"))


def release_text(text, version):
    """The text of the release of ``version`` (up to the next release heading)."""
    match = re.search(r"^v%s\n=+\n(.*?)(?=^v[0-9][^\n]*\n=+\n|\Z)" % re.escape(version), text, re.M | re.S)
    return match.group(1) if match else ""


def _headings(text):
    """(title, body) of every section of a release, sub-sections (New Plugins > Filter) folded into their parent."""
    parts = re.split(r"^([^\n]+)\n(-{3,}|~{3,})\n", text, flags=re.M)
    found, current = [], None
    for index in range(1, len(parts), 3):
        title, underline, body = parts[index], parts[index + 1], parts[index + 2]
        if underline.startswith("-"):
            current = [title, body]
            found.append(current)
        elif current is not None:
            current[1] += body
    return [tuple(pair) for pair in found]


def summary_problems(summary, tree):
    found = []
    for kind, names in (("role", expected(tree)[1]), ("playbook", _names(os.path.join(tree, "playbooks"), ".yml"))):
        for name in names:
            if "``%s``" % name not in summary:
                found.append("the Release Summary does not name the %s ``%s``" % (kind, name))
        for said in re.findall(r"\b(\w+) %ss\b" % kind, summary):
            count = int(said) if said.isdigit() else NUMBERS.get(said.lower())
            if count is not None and count != len(names):
                found.append("the Release Summary says %r %ss; there are %d" % (said, kind, len(names)))
    return found


def release_problems(text, tree, version, first):
    found, sections = [], _headings(release_text(text, version))
    new = set()
    for title, body in sections:
        if title in NEW_SECTIONS:
            new.update(re.findall(r"^- secops\.async_tasks\.([\w]+) - ", body, re.M))
    for title, body in sections:
        if first and title in NOT_IN_A_FIRST_RELEASE:
            found.append("a first release has no %r section: everything in it is new (word such fragments as "
                         "minor_changes)" % title)
        if title in NEW_SECTIONS:
            continue
        for entry in re.split(r"^- ", body, flags=re.M)[1:]:
            named = set(re.findall(r"[\w.]+", entry.split(" - ")[0])) & new
            if named and ANNOUNCED_NEW.match(entry):
                found.append("%s: %s announced as new again (already under New ...): %r"
                             % (title, ", ".join(sorted(named)), entry.strip()[:80]))
    for line in release_text(text, version).splitlines():
        if MARKUP.search(line.replace("``", "  ")):
            found.append("Ansible markup printed literally (use ``double backticks`` in fragments): %r" % line[:100])
    return found


def first_release(tree, version):
    with open(os.path.join(tree, "changelogs", "changelog.yaml"), encoding="utf-8") as handle:
        releases = (yaml.safe_load(handle) or {}).get("releases") or {}
    return set(map(str, releases)) <= {version}


def problems(tree, version):
    with open(os.path.join(tree, "CHANGELOG.rst"), encoding="utf-8") as handle:
        text = handle.read()
    found = []
    if not re.search(r"^v%s\n=+$" % re.escape(version), text, re.M):
        found.append("no release v%s heading (still 'No release yet'?)" % version)
    summary = section(text, "Release Summary") or ""
    if not summary.strip():
        found.append("no Release Summary (a release_summary fragment)")
    found.extend(summary_problems(summary, tree))
    found.extend(release_problems(text, tree, version, first_release(tree, version)))
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
