#!/usr/bin/env python
"""Build the collection's HTML documentation site with antsibull-docs (`make docs`).

    scripts/docs.py [--dest .tmp/docs]

1. README.md and docs/*.md become the extra docs in docs/docsite/rst/ (pandoc, GitHub Markdown to
   RST, with links between them turned into Sphinx references). Those RST files are generated:
   edit the Markdown and run `make docs`, which says when one changed and needs committing.
2. The collection is built and installed into DEST/collections, linted with
   `antsibull-docs lint-collection-docs --plugin-docs`, and rendered (module, role and plugin pages,
   indexes, extra docs, links.yml, the changelog) into a Sphinx site at DEST/site, built with warnings
   as errors. While galaxy.yml's version is not released (not in changelogs/changelog.yaml), the
   installed copy releases it with `antsibull-changelog release`, so that the changelog page shows what
   the fragments say; the page then says the version is not released yet.
3. antsibull-docs writes the collection's name title-cased ("Secops.Async_Tasks") as the heading of the
   index and changelog pages: it is put back as it is spelt.

Offline by default: the intersphinx inventories (docs.python.org, docs.ansible.com) are not
fetched, so the build neither needs nor tries the network; links into those docs then stay plain
text. DOCS_INTERSPHINX=1 keeps antsibull-docs' intersphinx mapping. Run it with the Python of the
docs venv (requirements-docs.txt), whose bin dir holds antsibull-docs, sphinx-build and ansible.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys

import pypandoc
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTION = "secops.async_tasks"
LABEL_PREFIX = "ansible_collections.%s.docsite." % COLLECTION
EXTRA_DOCS_DIR = os.path.join(ROOT, "docs", "docsite", "rst")
BIN = os.path.dirname(os.path.abspath(sys.executable))
# A link to another of the Markdown files, as pandoc writes it: `text <docs/awx.md>`__ (or #anchor).
MD_LINK = re.compile(r"`([^`<]+?)\s*<(?:\.\./)?(?:docs/)?(README|[a-z_-]+)\.md(?:#[^>]*)?>`__")
# A heading label pandoc writes for an in-page link, and such a link: `text <#anchor>`__.
HEADING_LABEL = re.compile(r"^\.\. _([^:]+):$", re.MULTILINE)
ANCHOR_LINK = re.compile(r"`([^`<]+?)\s*<#([^>]+)>`__")

OFFLINE_CONF = """
# Added by scripts/docs.py: an offline build. No intersphinx inventory is fetched (DOCS_INTERSPHINX=1
# keeps them); a reference into Ansible's own docs (common_return_values, ...) is shown as its text.
# References to this collection's pages stay checked: a broken one fails the build.
intersphinx_mapping = {}


def _offline_reference(app, env, node, contnode):
    if node.get('refdomain') == 'std' and not node.get('reftarget', '').startswith('ansible_collections.secops.'):
        return contnode
    return None


def setup(app):
    app.connect('missing-reference', _offline_reference)
"""


def sources():
    """(name, markdown path) of every extra doc: the README first, then docs/*.md."""
    found = [("readme", os.path.join(ROOT, "README.md"))]
    for path in sorted(glob.glob(os.path.join(ROOT, "docs", "*.md"))):
        found.append((os.path.splitext(os.path.basename(path))[0], path))
    return found


def to_rst(name, markdown_path):
    """The RST of one Markdown file, with its docsite label and links to the others as references."""
    body = pypandoc.convert_file(markdown_path, "rst", format="gfm", extra_args=["--wrap=preserve"])

    def reference(match):
        target = "readme" if match.group(2) == "README" else match.group(2)
        return ":ref:`%s <%s%s>`" % (match.group(1), LABEL_PREFIX, target)

    body = MD_LINK.sub(reference, body)
    # Labels must be unique across the site and carry the collection's prefix (antsibull-docs lint).
    local = LABEL_PREFIX + name + "."
    labels = set(HEADING_LABEL.findall(body))  # headings pandoc labelled; Sphinx ids the others itself
    body = HEADING_LABEL.sub(lambda match: ".. _%s%s:" % (local, match.group(1)), body)

    def anchor(match):
        if match.group(2) not in labels:
            return match.group(0)
        return ":ref:`%s <%s%s>`" % (match.group(1), local, match.group(2))

    body = ANCHOR_LINK.sub(anchor, body)
    source = os.path.relpath(markdown_path, ROOT)
    header = (".. Generated from %s by `make docs` (scripts/docs.py): edit that file, not this one.\n\n"
              ".. _%s%s:\n\n" % (source, LABEL_PREFIX, name))
    return header + body


def sync_extra_docs():
    """Write docs/docsite/rst/NAME.rst for each Markdown source; the names of those that changed."""
    os.makedirs(EXTRA_DOCS_DIR, exist_ok=True)
    changed = []
    for name, path in sources():
        target = os.path.join(EXTRA_DOCS_DIR, name + ".rst")
        text = to_rst(name, path)
        old = open(target, encoding="utf-8").read() if os.path.exists(target) else None
        if text != old:
            with open(target, "w", encoding="utf-8") as stream:
                stream.write(text)
            changed.append(os.path.relpath(target, ROOT))
    return changed


def run(argv, **kwargs):
    print("docs: $ %s" % " ".join(argv), flush=True)
    subprocess.run(argv, check=True, **kwargs)


def tool(name):
    return os.path.join(BIN, name)


def install_collection(dest, env):
    """Build the tarball with the docs venv's ansible-galaxy and install it under DEST/collections."""
    dist = os.path.join(dest, "dist")
    collections = os.path.join(dest, "collections")
    shutil.rmtree(dist, ignore_errors=True)
    shutil.rmtree(collections, ignore_errors=True)  # a fresh copy: release_for_docs changes the installed one
    run([tool("ansible-galaxy"), "collection", "build", "--force", "--output-path", dist], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL)
    tarball = glob.glob(os.path.join(dist, "*.tar.gz"))[0]
    run([tool("ansible-galaxy"), "collection", "install", "--offline", "--force", "-p", collections, tarball],
        env=env, stdout=subprocess.DEVNULL)
    return collections


def release_for_docs(collections, env):
    """Release galaxy.yml's version from the fragments, in a scratch copy of the checkout, when it is not
    released yet, and give the installed copy that changelog.yaml (the changelog page is rendered from it).

    Returns that version, or None when changelogs/changelog.yaml has it (the page shows it as it is). The
    checkout itself is never touched: antsibull-changelog finds its collection by galaxy.yml, which the
    installed copy lacks (it would walk up into the checkout)."""
    with open(os.path.join(ROOT, "galaxy.yml"), encoding="utf-8") as stream:
        version = str(yaml.safe_load(stream)["version"])
    with open(os.path.join(ROOT, "changelogs", "changelog.yaml"), encoding="utf-8") as stream:
        released = (yaml.safe_load(stream) or {}).get("releases") or {}
    if version in map(str, released):
        return None
    scratch = os.path.join(os.path.dirname(collections), "changelog-release")
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(ROOT, scratch, ignore=shutil.ignore_patterns(".git", ".tmp", ".venv*", "dist", "collections",
                                                                 ".ansible", "tests"))
    run(["git", "init", "--quiet", scratch], env=env)  # antsibull-changelog copies what git does not ignore
    run([tool("antsibull-changelog"), "release", "--version", version], cwd=scratch, env=env,
        stdout=subprocess.DEVNULL)
    shutil.copy(os.path.join(scratch, "changelogs", "changelog.yaml"),
                os.path.join(collections, "ansible_collections", *COLLECTION.split("."), "changelogs", "changelog.yaml"))
    return version


def fix_generated_rst(rst, unreleased):
    """The collection's name as it is spelt where antsibull-docs title-cases it (the index and changelog
    headings; the same length, so no underline changes); an unreleased version marked as such."""
    wrong = [COLLECTION.title(), COLLECTION.title().replace("_", "\\_")]
    right = [COLLECTION, COLLECTION.replace("_", "\\_")]
    for path in glob.glob(os.path.join(rst, "*.rst")):
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
        fixed = text
        for bad, good in zip(wrong, right):
            fixed = fixed.replace(bad, good)
        if unreleased and os.path.basename(path) == "changelog.rst":
            heading = "v%s (not released yet)" % unreleased
            fixed = re.sub(r"^v%s\n=+$" % re.escape(unreleased), "%s\n%s" % (heading, "=" * len(heading)), fixed,
                           count=1, flags=re.M)
        if fixed != text:
            with open(path, "w", encoding="utf-8") as stream:
                stream.write(fixed)


def init_site(site, env):
    """A fresh Sphinx project from antsibull-docs sphinx-init, offline unless DOCS_INTERSPHINX=1."""
    shutil.rmtree(site, ignore_errors=True)
    os.makedirs(site, mode=0o755)
    os.chmod(site, 0o755)  # antsibull-docs refuses a directory others may write to
    run([tool("antsibull-docs"), "sphinx-init", "--use-current", "--squash-hierarchy", "--fail-on-error",
         "--title", "secops.async_tasks", "--dest-dir", site, COLLECTION], env=env, stdout=subprocess.DEVNULL)
    if os.environ.get("DOCS_INTERSPHINX") != "1":
        with open(os.path.join(site, "conf.py"), "a", encoding="utf-8") as stream:
            stream.write(OFFLINE_CONF)


def build_site(site, env, unreleased):
    rst = os.path.join(site, "rst")
    os.makedirs(rst, exist_ok=True)
    os.chmod(rst, 0o755)
    run([tool("antsibull-docs"), "--config-file", "antsibull-docs.cfg", "collection", "--cleanup", "everything",
         "--fail-on-error", "--use-current", "--squash-hierarchy", "--dest-dir", "rst", COLLECTION], cwd=site, env=env)
    fix_generated_rst(rst, unreleased)
    run([tool("sphinx-build"), "-M", "html", "rst", "build", "-c", ".", "-W", "--keep-going", "-q"], cwd=site,
        env=env)
    return os.path.join(site, "build", "html", "index.html")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--dest", default=os.path.join(ROOT, ".tmp", "docs"))
    args = parser.parse_args(argv)
    dest = os.path.abspath(args.dest)
    for path in sync_extra_docs():
        print("docs: regenerated %s from its Markdown source: commit it" % path)
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", os.defpath), ANSIBLE_NOCOLOR="1")
    env["ANSIBLE_COLLECTIONS_PATH"] = install_collection(dest, env)
    unreleased = release_for_docs(env["ANSIBLE_COLLECTIONS_PATH"], env)
    run([tool("antsibull-docs"), "lint-collection-docs", "--plugin-docs", "."], cwd=os.path.join(
        env["ANSIBLE_COLLECTIONS_PATH"], "ansible_collections", *COLLECTION.split(".")), env=env)
    site = os.path.join(dest, "site")
    init_site(site, env)
    index = build_site(site, env, unreleased)
    print("docs: built %s" % os.path.relpath(index, ROOT))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except subprocess.CalledProcessError as error:
        sys.exit("docs: failed (exit %d): %s" % (error.returncode, " ".join(error.cmd)))
