"""Check a fortiview_report report: JSON, CSV and HTML agree, and every chart bar is in proportion.

Usage: python check_report.py DIR BASENAME TOP VIEWS RANK_BY [APPLIANCE.json]
(VIEWS and RANK_BY comma-separated, in the order the role was given them). APPLIANCE.json, when
given, holds what FortiAnalyzer returned for the report's tasks - one faz_fortiview_result batch
result per view, {"view" (or "item"): ..., "results": [{"tid", "rows"}, ...]}, tasks in ranking
order (the registered results of a loop over the views) - and the
report's entries must be exactly those rows. Prints a JSON summary; exits 1 with one line per
problem when the report is wrong. Standard library only.
"""

import csv
import json
import os
import sys
from html.parser import HTMLParser

SVG_NS = "http://www.w3.org/2000/svg"
# The row field that names an entry, per view, in the simulator's default (seed) reply shape.
NAME_FIELD = {"top-sources": "srcip", "top-destinations": "dstip", "top-applications": "app",
              "top-websites": "hostname", "top-cloud-applications": "app", "top-countries": "country"}


class ReportPage(HTMLParser):
    """The figures of the page: per figure its view, ranking, chart scale, bars and table rows."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.figures = []
        self.tags = []
        self.meta_csp = None
        self.urls = []
        self._cell = None
        self._row = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        for name, value in attrs.items():
            if value and "://" in value and value != SVG_NS:
                self.urls.append("%s %s=%s" % (tag, name, value))
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "content-security-policy":
            self.meta_csp = attrs.get("content")
        elif tag == "figure":
            self.figures.append({"view": attrs.get("data-view"), "by": attrs.get("data-by"), "bars": [], "rows": []})
        elif tag == "svg" and self.figures:
            self.figures[-1]["scale_max"] = float(attrs["data-scale-max"])
            self.figures[-1]["scale_width"] = float(attrs["data-scale-width"])
        elif tag == "rect" and "bar" in attrs.get("class", "").split():
            self.figures[-1]["bars"].append({"width": float(attrs["width"]), "value": int(attrs["data-value"])})
        elif tag == "tr" and self.figures:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row and self._row[0] != "#":
                self.figures[-1]["rows"].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def compare_with_appliance(report, appliance):
    """Problems where the report's entries are not exactly the rows FortiAnalyzer returned."""
    problems = []
    for view in report["views"]:
        fetched = next((item for item in appliance if item.get("view", item.get("item")) == view["view"]), None)
        if fetched is None or len(fetched["results"]) != len(view["rankings"]):
            problems.append("%s: the appliance's tasks do not match the rankings" % view["view"])
            continue
        for ranking, task in zip(view["rankings"], fetched["results"]):
            shown = sorted((entry["name"], entry["bytes"], entry["sessions"]) for entry in ranking["entries"])
            returned = sorted((row[NAME_FIELD[view["view"]]], row["bytes"], row["sessions"]) for row in task["rows"])
            if shown != returned:
                problems.append("%s by %s: the report shows %s, task %s returned %s"
                                % (view["view"], ranking["by"], shown, task["tid"], returned))
    return problems


def check(directory, basename, top, views, rank_by, appliance_file=None):
    problems = []
    with open(os.path.join(directory, basename + ".json"), encoding="utf-8") as handle:
        report = json.load(handle)
    with open(os.path.join(directory, basename + ".csv"), encoding="utf-8", newline="") as handle:
        raw_csv = handle.read()
    with open(os.path.join(directory, basename + ".html"), encoding="utf-8") as handle:
        page = ReportPage()
        page.feed(handle.read())

    # JSON: the views and rankings asked for, full, ranked by their number.
    if [view["view"] for view in report["views"]] != views:
        problems.append("JSON views %s, expected %s" % ([view["view"] for view in report["views"]], views))
    expected_csv = []
    for view in report["views"]:
        if [ranking["by"] for ranking in view["rankings"]] != rank_by:
            problems.append("%s: rankings %s, expected %s" % (view["view"], [r["by"] for r in view["rankings"]], rank_by))
        for ranking in view["rankings"]:
            entries, by = ranking["entries"], ranking["by"]
            where = "%s by %s" % (view["view"], by)
            if len(entries) != top:
                problems.append("%s: %d entries, expected %d" % (where, len(entries), top))
            if [entry["rank"] for entry in entries] != list(range(1, len(entries) + 1)):
                problems.append("%s: ranks are not 1..%d" % (where, len(entries)))
            values = [entry[by] for entry in entries]
            if values != sorted(values, reverse=True):
                problems.append("%s: not sorted by %s: %s" % (where, by, values))
            for entry in entries:
                if not entry["name"] or entry["name"] == "(unknown)":
                    problems.append("%s: an entry has no name: %s" % (where, entry))
                if entry["bytes"] <= 0 or entry["sessions"] <= 0:
                    problems.append("%s: %s has no traffic" % (where, entry))
                expected_csv.append([view["view"], by, str(entry["rank"]), entry["name"], entry["detail"] or "",
                                     str(entry["bytes"]), str(entry["sessions"])])

    # CSV: a header and exactly the JSON's rows, CRLF line ends.
    rows = list(csv.reader(raw_csv.splitlines()))
    if rows[:1] != [["view", "ranked_by", "rank", "name", "detail", "bytes", "sessions"]]:
        problems.append("CSV header is %s" % rows[:1])
    if rows[1:] != expected_csv:
        problems.append("CSV rows differ from the JSON: %d rows, expected %d" % (len(rows) - 1, len(expected_csv)))
    if raw_csv.count("\r\n") != len(expected_csv) + 1:
        problems.append("CSV lines do not all end in CRLF")

    # HTML: self-contained, one figure per view and ranking, bars in proportion to the numbers.
    if page.meta_csp is None or "default-src 'none'" not in page.meta_csp:
        problems.append("HTML has no Content-Security-Policy forbidding every fetch")
    if "script" in page.tags or "link" in page.tags or "img" in page.tags or "iframe" in page.tags:
        problems.append("HTML has script, link, img or iframe elements")
    if page.urls:
        problems.append("HTML refers to URLs: %s" % page.urls)
    expected_figures = [(view["view"], ranking["by"]) for view in report["views"] for ranking in view["rankings"]]
    if [(figure["view"], figure["by"]) for figure in page.figures] != expected_figures:
        problems.append("HTML figures %s, expected %s" % ([(f["view"], f["by"]) for f in page.figures],
                                                          expected_figures))
    checked_bars = 0
    for figure, (view_name, by) in zip(page.figures, expected_figures):
        view = next(view for view in report["views"] if view["view"] == view_name)
        entries = next(ranking for ranking in view["rankings"] if ranking["by"] == by)["entries"]
        where = "chart %s by %s" % (view_name, by)
        if [rect["value"] for rect in figure["bars"]] != [entry[by] for entry in entries]:
            problems.append("%s: bar values differ from the JSON" % where)
        if figure["bars"] and figure["scale_max"] != max(entry[by] for entry in entries):
            problems.append("%s: scaled to %s, not to its largest value" % (where, figure["scale_max"]))
        for rect in figure["bars"]:
            expected = rect["value"] / figure["scale_max"] * figure["scale_width"]
            if abs(rect["width"] - expected) > 0.006:
                problems.append("%s: bar of %d is %.2f wide, expected %.2f" % (where, rect["value"], rect["width"],
                                                                               expected))
            checked_bars += 1
        if figure["bars"] and max(rect["width"] for rect in figure["bars"]) != figure["scale_width"]:
            problems.append("%s: the largest bar does not span the chart" % where)
        table_names = [row[1] for row in figure["rows"]]
        if table_names != [entry["name"] for entry in entries]:
            problems.append("%s: table rows %s differ from the JSON" % (where, table_names))

    if appliance_file:
        with open(appliance_file, encoding="utf-8") as handle:
            problems += compare_with_appliance(report, json.load(handle))

    summary = {"views": len(report["views"]), "charts": len(page.figures), "bars": checked_bars,
               "csv_rows": len(rows) - 1, "period": report["period"], "problems": problems}
    print(json.dumps(summary))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(check(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split(","), sys.argv[5].split(","),
                   sys.argv[6] if len(sys.argv) > 6 else None))
