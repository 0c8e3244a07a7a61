# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""GravityZone Reports API on one client: createReport, getDownloadLinks, getReportsList, deleteReport,
and the download of a report instance from the console itself.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
docs/appliance-behaviour.md ("Reports") gives the sources of each method, field and type number.
"""

from __future__ import annotations

import datetime
import difflib
import json
import os
import re
import urllib.parse

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import (
    ApiError,
    AsyncTasksError,
    AuthenticationFailure,
    InvalidInput,
    MalformedResponse,
    TaskNotFound,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.replies import describe_json, field

REPORTS_SERVICE = "reports"
REPORTS_VERSION = "1.0"
REPORT_ID = re.compile(r"^[0-9a-fA-F]{24}$")
LIST_PER_PAGE_MAX = 100
# Report types by number: the union of Bitdefender's n8n node and a public MCP server's list
# (docs/appliance-behaviour.md); a console may know others, which are accepted by number.
REPORT_TYPES = {
    1: "antiphishing_activity", 2: "blocked_applications", 3: "blocked_websites", 4: "customer_status_overview",
    5: "data_protection", 6: "device_control_activity", 7: "endpoint_modules_status",
    8: "endpoint_protection_status", 9: "firewall_activity", 10: "license_status", 11: "malware_activity",
    12: "malware_status", 13: "monthly_license_usage", 14: "network_status", 15: "on_demand_scanning",
    16: "policy_compliance", 17: "security_audit", 18: "security_server_status", 19: "top_10_detected_malware",
    20: "top_10_infected_companies", 21: "top_10_infected_endpoints", 22: "update_status", 23: "upgrade_status",
    24: "aws_monthly_usage", 29: "email_security_usage", 30: "endpoint_encryption_status",
    31: "hyperdetect_activity", 32: "network_patch_status", 33: "sandbox_analyzer_failed_submissions",
    34: "network_incidents", 35: "mdr_service_status", 36: "integrity_monitoring_activity",
    37: "integrity_monitoring_configuration_changes", 38: "mobile_security_monthly_license_usage",
    39: "data_insights_license_usage",
}
REPORT_NUMBERS = dict((name, number) for number, name in REPORT_TYPES.items())
# Unknown-type refusals: GravityZone's "invalid params" family.
INVALID_PARAMS = -32602


def report_type_number(value, option="report_type"):
    """A report type by name (``malware_status``, ``Malware Status``) or number (``12``)."""
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    key = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    if key in REPORT_NUMBERS:
        return REPORT_NUMBERS[key]
    close = difflib.get_close_matches(key, list(REPORT_NUMBERS), n=3, cutoff=0.6)
    raise InvalidInput("report_type %r is not a GravityZone report type%s; known: %s (or give the number)"
                       % (value, " (did you mean %s?)" % ", ".join(close[:5]) if close else "",
                          ", ".join(sorted(REPORT_NUMBERS))), option=option)


def gz_identity(type_number, targets, existing, period_key):
    """What makes two runs the same report, for the sidecar."""
    ident = {"product": "gravityzone", "period": period_key}
    if type_number is not None:
        ident.update(type=type_number, targets=json.dumps(sorted(targets)))
    else:
        ident.update(existing=existing)
    return ident


def same_origin(url, base):
    """True when ``url`` has the scheme, host and port of ``base`` (the console's access URL)."""
    one, two = urllib.parse.urlsplit(url), urllib.parse.urlsplit(base)
    default = {"https": 443, "http": 80}

    def port(parts):
        try:
            return parts.port or default.get(parts.scheme)
        except ValueError:
            return None

    return (one.scheme == two.scheme and (one.hostname or "").lower() == (two.hostname or "").lower()
            and port(one) == port(two) and port(one) is not None)


class GzReports:
    """The Reports API of one ``GravityZoneClient``."""

    def __init__(self, client):
        self.client = client

    def _call(self, method, params):
        return self.client.call(method, REPORTS_VERSION, params=params, service=REPORTS_SERVICE)

    @staticmethod
    def type_name(number):
        return REPORT_TYPES.get(number, "type %s" % number)

    @staticmethod
    def unique_name(type_number, now=None):
        now = now or datetime.datetime.now(datetime.timezone.utc)
        return "secops %s %s %s" % (REPORT_TYPES.get(type_number, type_number), now.strftime("%Y%m%dT%H%M%SZ"),
                                    os.urandom(3).hex())

    @staticmethod
    def create_call(name, type_number, targets):
        """``(method, API version, params)`` of the createReport call (check mode previews it)."""
        return "createReport", REPORTS_VERSION, {"name": name, "type": type_number, "targetIds": list(targets)}

    def check_access(self):
        """One cheap read (a page of one report) that fails unless api_url, the key and its Reports API rights work."""
        self._call("getReportsList", {"page": 1, "perPage": 1})

    def create(self, name, type_number, targets):
        """An instant report; its id."""
        method, _version, params = self.create_call(name, type_number, targets)
        try:
            result = self._call(method, params)
        except ApiError as err:
            if err.details.get("code") == INVALID_PARAMS and "type" in err.msg.lower():
                raise InvalidInput("GravityZone does not know report type %s (%s): this console offers other types"
                                   % (self.type_name(type_number), err.msg), option="report_type") from None
            raise
        if isinstance(result, str) and REPORT_ID.match(result):
            return result.lower()
        raise MalformedResponse("GravityZone's createReport answer is not a report id: %s" % describe_json(result))

    def links(self, report_id):
        result = self._call("getDownloadLinks", {"reportId": report_id})
        where = "GravityZone's getDownloadLinks result for %s" % report_id
        if not isinstance(result, dict):
            raise MalformedResponse("%s is not an object: %s" % (where, describe_json(result)))
        ready = field(result, "readyForDownload", "bool", where, required=True)
        last = field(result, "lastInstanceUrl", "text", where)
        if ready and not last:
            raise MalformedResponse("%s says ready but holds no lastInstanceUrl: %s" % (where, describe_json(result)))
        return {"ready": ready, "last_instance_url": last,
                "all_instances_url": field(result, "allInstancesUrl", "text", where)}

    def download(self, url, out, report_id):
        """Stream the instance at ``url`` into ``out``; only from the console's own scheme, host and port."""
        base = self.client.transport.base_url
        if not same_origin(url, base):
            shown = urllib.parse.urlsplit(url)
            raise ApiError("GravityZone gave a download link to %s://%s, not to the console's own address (%s): it "
                           "was not followed, so the API key was not sent there"
                           % (shown.scheme, shown.netloc, urllib.parse.urlsplit(base).netloc), report_id=report_id)
        with self.client.scrubbing():
            reply, size = self.client.transport.download(url, out.write, out.reset)
        if reply is None:
            return size
        if reply.status in (401, 403):
            raise AuthenticationFailure("GravityZone refused the report download (HTTP %d): the API key needs the "
                                        "Reports API" % reply.status)
        if reply.status in (404, 410):
            raise TaskNotFound("GravityZone has no file for report %s any more (HTTP %d): instant reports are kept "
                               "less than 24 hours; create it again" % (report_id, reply.status), report_id=report_id)
        if 300 <= reply.status < 400:
            raise ApiError("GravityZone answered the report download with a redirect (HTTP %d); redirects are not "
                           "followed" % reply.status, report_id=report_id)
        raise ApiError("GravityZone answered HTTP %d to the report download" % reply.status, report_id=report_id,
                       http_status=reply.status)

    def delete(self, report_id, quietly=False):
        try:
            result = self._call("deleteReport", {"reportId": report_id})
        except TaskNotFound:
            return False
        except AsyncTasksError:
            if quietly:
                return False
            raise
        return result is not False

    def list(self, name=None, type_number=None, per_page=LIST_PER_PAGE_MAX, max_pages=100):
        """Every report getReportsList lists for the filters, page after page: ``(reports, pages)``."""
        params = {"perPage": per_page or LIST_PER_PAGE_MAX}
        if name:
            params["name"] = name
        if type_number is not None:
            params["type"] = type_number
        reports, page = [], 1
        where = "GravityZone's getReportsList result"
        while True:
            result = self._call("getReportsList", dict(params, page=page))
            if not isinstance(result, dict):
                raise MalformedResponse("%s is not a page of reports: %s" % (where, describe_json(result)))
            items = field(result, "items", "list", where) or []
            for item in items:
                if not isinstance(item, dict):
                    raise MalformedResponse("%s holds an item that is not an object: %s" % (where, describe_json(item)))
                number = field(item, "type", "int", where)
                reports.append({"report_id": field(item, "id", "text", where, required=True),
                                "name": field(item, "name", "text", where) or "", "type": number,
                                "report_type": self.type_name(number),
                                "occurrence": field(item, "occurrence", "int", where)})
            pages_count = field(result, "pagesCount", "count", where) or 0
            if page >= pages_count or not items:
                return reports, page
            if page >= max_pages:
                raise ApiError("getReportsList has more than %d pages; narrow name or report_type, or raise max_pages"
                               % max_pages, pages_fetched=page)
            page += 1

    def find(self, report_id=None, name=None):
        """One report by id or exact name, with its name and type."""
        if report_id is not None:
            if not REPORT_ID.match(str(report_id).strip()):
                raise InvalidInput("report_id %r is not a GravityZone report id (24 hexadecimal characters)"
                                   % report_id, option="report_id")
            wanted = str(report_id).strip().lower()
            reports, _pages = self.list(name=name)
            for report in reports:
                if report["report_id"].lower() == wanted:
                    return report
            raise TaskNotFound("GravityZone lists no report %s (instant reports are kept less than 24 hours)"
                               % wanted, report_id=wanted)
        reports, _pages = self.list(name=name)
        matches = [report for report in reports if report["name"] == name]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise TaskNotFound("GravityZone lists no report named %r" % name, name=name)
        raise InvalidInput("%d reports are named %r (%s): give report_id" % (
            len(matches), name, ", ".join(report["report_id"] for report in matches[:10])), option="name")
