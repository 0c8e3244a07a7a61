"""Usage: python check_summary.py MARKDOWN HTML - what a reader of the ip_investigation summary sees, as JSON.

The Markdown is rendered by GitHub's renderer (cmark-gfm, its table and autolink extensions, raw HTML
allowed as a careless viewer would): the headings and tables it makes, any tag beyond that layout (a
link, a script, emphasis), lines of the Markdown that a log row forged (a row or heading of its own),
and how many cells show the hostile text. The HTML page: script tags, and the escaped hostile markup.
"""

import json
import re
import sys

import cmarkgfm
from cmarkgfm.cmark import Options

LAYOUT = {"h1", "h2", "p", "table", "thead", "tbody", "tr", "th", "td", "code"}


def main(markdown_path, html_path):
    with open(markdown_path, encoding="utf-8") as stream:
        markdown = stream.read()
    with open(html_path, encoding="utf-8") as stream:
        page = stream.read()
    rendered = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    tags = set(tag.lstrip("/") for tag in re.findall(r"<(/?[a-z][a-z0-9]*)", rendered))
    forged = [line for line in markdown.splitlines() if line.startswith(("| 1 | 6.6.6.6", "# Forged", "| 9 | forged"))]
    print(json.dumps({
        "h1": rendered.count("<h1>"), "h2": rendered.count("<h2>"), "tables": rendered.count("<table>"),
        "tags_outside_the_layout": sorted(tags - LAYOUT), "forged_lines": forged,
        "hostile_cells": len(re.findall(r"<td><code>&lt;script&gt;alert\(1\)&lt;/script&gt; \| 9 \| forged", rendered)),
        "html_script_tags": len(re.findall(r"<script", page, re.I)),
        "html_escaped_script": page.count("&lt;script&gt;alert(1)&lt;/script&gt;"),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
