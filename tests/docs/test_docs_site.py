"""The HTML documentation site that `make docs` builds (scripts/docs.py), checked as a reader sees it.

Runs after the build (`make docs` runs it): every module and role has a page, the extra docs are
there, the index is titled with the collection's name as it is spelt, shows no link twice and none to a
placeholder address, there is a changelog page listing every module and role, and pages rendered by
headless Chromium show what they should and are real pictures (the screenshots are kept at
.tmp/docs/module-page.png and .tmp/docs/index-page.png to look at).
"""

import re

import glob
import os
import shutil
import struct
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HTML = os.path.join(ROOT, ".tmp", "docs", "site", "build", "html")
SCREENSHOT = os.path.join(ROOT, ".tmp", "docs", "module-page.png")
INDEX_SCREENSHOT = os.path.join(ROOT, ".tmp", "docs", "index-page.png")
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

MODULES = sorted(os.path.splitext(os.path.basename(path))[0]
                 for path in glob.glob(os.path.join(ROOT, "plugins", "modules", "*.py")))
ROLES = sorted(os.listdir(os.path.join(ROOT, "roles")))
EXTRA_DOCS = ["readme"] + sorted(os.path.splitext(os.path.basename(path))[0]
                                 for path in glob.glob(os.path.join(ROOT, "docs", "*.md")))


@pytest.fixture(scope="module", autouse=True)
def site():
    if not os.path.isfile(os.path.join(HTML, "index.html")):
        pytest.fail("no site at %s: run `make docs`" % HTML)


def read(name):
    with open(os.path.join(HTML, name), encoding="utf-8") as handle:
        return handle.read()


@pytest.mark.parametrize("page", ["%s_module.html" % name for name in MODULES] + ["%s_role.html" % name for name in ROLES])
def test_every_module_and_role_has_a_page(page):
    text = read(page)
    assert "secops.async_tasks." + page.rsplit("_", 1)[0] in text
    assert "Parameters" in text or "Entry point" in text


@pytest.mark.parametrize("name", EXTRA_DOCS)
def test_extra_docs_are_linked_from_the_index(name):
    assert os.path.isfile(os.path.join(HTML, "docsite", name + ".html"))
    assert "docsite/%s.html" % name in read("index.html")


def png_size(path):
    with open(path, "rb") as handle:
        head = handle.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", head[16:24])


def chromium(*args):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip("no Chromium at %s (set CHROMIUM)" % CHROMIUM)
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120, check=True).stdout


def test_a_module_page_renders_in_chromium():
    url = "file://" + os.path.join(HTML, "faz_top_sources_result_module.html")
    dom = chromium("--dump-dom", url)
    assert "faz_top_sources_result module" in dom and "Parameters" in dom and "Return Values" in dom
    if os.path.exists(SCREENSHOT):
        os.unlink(SCREENSHOT)
    chromium("--screenshot=" + SCREENSHOT, "--window-size=1280,1600", url)
    width, height = png_size(SCREENSHOT)
    assert (width, height) == (1280, 1600)
    assert os.path.getsize(SCREENSHOT) > 50000  # a rendered page of text and tables, not a blank one


def test_the_index_is_titled_with_the_collections_name():
    text = read("index.html")
    assert "Secops.Async" not in text and "Secops.Async" not in read("changelog.html")
    assert re.search(r"<h1>secops\.async_tasks<a ", text), re.findall(r"<h1>.*?</h1>", text)
    assert re.search(r"<title>secops\.async_tasks &mdash; ", text)


def test_the_index_shows_each_link_once_and_no_placeholder():
    text = read("index.html")
    links = re.findall(r'<a [^>]*class="ansible-link[^"]*"[^>]*href="([^"]+)"', text)
    assert len(links) == len(set(links)), links
    assert ".invalid" not in text and "example.invalid" not in text


def test_a_changelog_page_lists_every_module_and_role():
    text = read("changelog.html")
    assert "changelog.html" in read("index.html")
    for name in MODULES + ROLES:
        assert "secops.async_tasks.%s" % name in text, name
    assert "Bugfixes" not in text and "C(" not in text


def test_the_index_renders_in_chromium():
    url = "file://" + os.path.join(HTML, "index.html")
    dom = chromium("--dump-dom", url)
    assert "secops.async_tasks" in dom and "Changelog" in dom and "Secops.Async" not in dom
    if os.path.exists(INDEX_SCREENSHOT):
        os.unlink(INDEX_SCREENSHOT)
    chromium("--screenshot=" + INDEX_SCREENSHOT, "--window-size=1280,1400", url)
    assert png_size(INDEX_SCREENSHOT) == (1280, 1400) and os.path.getsize(INDEX_SCREENSHOT) > 50000
