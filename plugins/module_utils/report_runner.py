# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The runners of faz_report, faz_report_info, gz_report and gz_report_info.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
Both products share the file rules (report_files.py): atomic write to ``dest`` with ``mode``, the
sidecar that makes a second run with the same identity a no-op, unpacking, and cleanup of what a run
created on the appliance unless ``keep``.
"""

from __future__ import annotations

import time

from ansible_collections.secops.async_tasks.plugins.module_utils.common import (
    check_mode_result,
    params_deadline,
    wait_options,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.errors import (
    ApiError,
    AsyncTasksError,
    InvalidInput,
    TaskWaitTimeout,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_runner import faz_client
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_reports import (
    ReportRuns,
    identity as faz_identity,
    validate_report_tid,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_views import (
    device_list,
    validate_adom,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.gz_runner import gz_client
from ansible_collections.secops.async_tasks.plugins.module_utils.gz_reports import (
    GzReports,
    gz_identity,
    report_type_number,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.gz_tasks import validate_target_id
from ansible_collections.secops.async_tasks.plugins.module_utils.polling import wait_or_raise
from ansible_collections.secops.async_tasks.plugins.module_utils.report_files import (
    AtomicFile,
    check_dest,
    file_mode,
    is_zip,
    parse_mode,
    read_sidecar,
    same_report,
    unpack,
    unpack_dir,
    write_sidecar,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.times import resolve_period, resolve_time_range, zone_of

# The generated reports faz_report_info lists when time_range is not given.
HISTORY_PERIOD = {"last": "7d"}


def report_period(params):
    """The period faz_report runs a layout for (``time_range``; the last hour when not given)."""
    return resolve_time_range(params["time_range"], zone=zone_of(params.get("timezone")))


def history_period(params):
    """The period whose generated reports faz_report_info lists (``time_range``; the last 7 days)."""
    return resolve_period(params["time_range"] or HISTORY_PERIOD, "time_range", zone=zone_of(params.get("timezone")))


def report_waiting(params):
    """The run's wait record. Waiting and downloading share ``wait_timeout`` (two request timeouts are left
    over for the rest), so the deadline counts it even when an existing run is not waited for (``wait``)."""
    return wait_options(dict(params, wait=True))


def file_options(params):
    """``(dest, mode)`` checked before anything is sent."""
    return check_dest(params["dest"]), parse_mode(params["mode"])


def unchanged(dest, record, extra):
    """The result when ``dest`` already holds this report (the sidecar agrees): nothing was sent."""
    result = dict(record, path=dest, changed=False, skipped_reason="dest already holds this report (force: false)")
    result.pop("version", None)
    result.update(extra)
    return result


def save(out, dest, mode, params, record, warn):
    """Commit the file, unpack it when asked, write the sidecar; the file part of the result."""
    head = out.head()
    packed = is_zip(head)
    out.commit()
    result = {"path": dest, "size": out.size, "sha256": out.sha256, "zip": packed, "mode": file_mode(dest),
              "files": []}
    if params["unpack"]:
        if packed:
            result["files"] = unpack(dest, unpack_dir(dest), mode)
        else:
            warn("unpack: the report at %s is not a zip archive; it was saved as it came" % dest)
    write_sidecar(dest, dict(record, sha256=out.sha256, size=out.size), mode)
    return result


# -- FortiAnalyzer ---------------------------------------------------------------------------------

def run_faz_report(module):
    def work():
        params = module.params
        adom = validate_adom(params["adom"])
        dest, mode = file_options(params)
        report_format = params["format"]
        tid = validate_report_tid(params["tid"]) if params["tid"] is not None else None
        if tid is None and not (params["layout"] or params["layout_id"] is not None):
            raise InvalidInput("give layout (its title) or layout_id to run a report, or tid to download an existing "
                               "run", option="layout")
        if tid is not None:
            for name in ("layout", "layout_id", "time_range", "device"):
                if params[name] not in (None, [], {}):
                    raise InvalidInput("%s only applies when a report is run, not with tid" % name, option=name)
            window, ident = None, {"product": "fortianalyzer", "adom": adom, "tid": tid, "format": report_format}
        else:
            window = report_period(params)
            ident = faz_identity(params["layout_id"] if params["layout_id"] is not None else params["layout"], window,
                                 report_format, adom)
        record = read_sidecar(dest)
        if not params["force"] and same_report(record, ident):
            return unchanged(dest, record, {"tid": record.get("tid"), "adom": adom})
        waiting = report_waiting(params)
        with faz_client(module, waiting.deadline) as client:
            runs = ReportRuns(client, adom)
            if tid is not None:
                return faz_existing(module, runs, tid, dest, mode, ident, waiting)
            return faz_new_run(module, runs, window, dest, mode, ident, waiting)

    module.run(work)


def faz_new_run(module, runs, window, dest, mode, ident, waiting):
    params = module.params
    if params["layout_id"] is not None and not module.check_mode:
        # The id is used as given (no listing: one request fewer); an unknown id is refused by the run itself.
        layout = {"layout_id": params["layout_id"], "title": None}
    else:
        layout = runs.resolve_layout(params["layout"], params["layout_id"])
    devices = device_list(params["device"])
    if module.check_mode:
        what = "run report layout %r (layout_id %d) in ADOM %s for %s to %s and save it as %s to %s" % (
            layout["title"], layout["layout_id"], runs.adom, window["start"], window["end"], params["format"], dest)
        would_schedule = params["ensure_schedule"] and runs.needs_schedule(layout["layout_id"])
        return check_mode_result(runs.client, runs.run_call(layout["layout_id"], window, devices), what,
                                 layout_id=layout["layout_id"], layout=layout["title"], adom=runs.adom, path=dest,
                                 schedule_created=bool(would_schedule), tid=None)
    scheduled = runs.ensure_schedule(layout["layout_id"]) if params["ensure_schedule"] else False
    tid, origin = runs.start(layout["layout_id"], window, devices), time.monotonic()
    try:
        record = dict(ident, layout=layout["title"], layout_id=layout["layout_id"])
        result = faz_fetch(module, runs, tid, dest, mode, record, waiting, wait=True, origin=origin)
    except BaseException:
        if not params["keep"]:
            delete_quietly(lambda: runs.delete(tid, even_when_stopped=True))
        raise
    result.update(layout_id=layout["layout_id"], layout=layout["title"], schedule_created=scheduled,
                  time_range=window)
    result["deleted"] = False if params["keep"] else runs.delete(tid)
    return with_facts(result, "faz_report")


def faz_existing(module, runs, tid, dest, mode, ident, waiting):
    if module.check_mode:
        state = runs.progress(tid)
        return {"changed": True, "tid": tid, "adom": runs.adom, "path": dest, "state": state["state"],
                "msg": "check mode: would download report %s (%s) as %s to %s (nothing was written)"
                       % (tid, state["state"], module.params["format"], dest)}
    result = faz_fetch(module, runs, tid, dest, mode, ident, waiting, wait=module.params["wait"])
    result["deleted"] = runs.delete(tid) if module.params["delete"] else False
    return with_facts(result, "faz_report")


def faz_fetch(module, runs, tid, dest, mode, ident, waiting, wait, origin=None):
    """Wait for run ``tid`` (progress-aware), download it into dest, and describe it."""
    params = module.params

    def timed_out(outcome):
        fate = "it was kept: download it later with tid" if params["keep"] else "its entry was deleted"
        return TaskWaitTimeout("report run %s in ADOM %s was %s at %d%% after %.0f s (wait_timeout=%d); %s"
                               % (tid, runs.adom, outcome.state["state"], outcome.state["percentage"], outcome.waited,
                                  waiting.timeout, fate), tid=tid, adom=runs.adom, done=False)

    if wait:
        state = wait_or_raise(fetch=lambda: runs.progress(tid), is_done=lambda s: not s["state"] in (
            "pending", "running", "generating", "queued", "waiting"), waiting=waiting,
            sleep=runs.client.transport.pause, timed_out=timed_out, progress=lambda s: s["percentage"],
            report=runs.client.transport.report,
            describe=lambda s: "FortiAnalyzer report run %s: %s %d%%" % (tid, s["state"], s["percentage"]),
            origin=origin).state
    else:
        state = runs.progress(tid)
    if state["failed"]:
        raise ApiError("FortiAnalyzer report run %s in ADOM %s ended %s%s" % (
            tid, runs.adom, state["state"], ": %s" % state["message"] if state["message"] else ""),
            tid=tid, state=state["state"])
    if not state["done"]:
        raise ApiError("report run %s in ADOM %s is still %s at %d%%: wait for it (wait: true) before downloading"
                       % (tid, runs.adom, state["state"], state["percentage"]), tid=tid, state=state["state"])
    with AtomicFile(dest, mode) as out:
        info = runs.download(tid, params["format"], out)
        if info["checksum_verified"] is False:
            module.warn("the MD5 checksum FortiAnalyzer sent with report %s does not match the data received" % tid)
        record = dict(ident, tid=tid, report_name=info["name"])
        saved = save(out, dest, mode, params, record, module.warn)
    result = {"changed": True, "tid": tid, "adom": runs.adom, "format": params["format"], "state": state["state"],
              "report_name": info["name"], "data_type": info["data_type"], "started": state["started"],
              "finished": state["finished"], "checksum_verified": info["checksum_verified"], "kept": params["keep"]}
    result.update(saved)
    return result


def with_facts(result, key):
    facts = dict((name, value) for name, value in result.items() if name not in ("changed", "msg"))
    return dict(result, ansible_facts={key: facts})


def run_faz_report_info(module):
    def work():
        params = module.params
        adom = validate_adom(params["adom"])
        window = history_period(params)
        with faz_client(module, params_deadline(params)) as client:
            runs = ReportRuns(client, adom)
            everything = runs.layouts()
            result = {"changed": False, "adom": adom,
                      "layouts": [layout for layout in everything if not layout["template"]],
                      "templates": [layout for layout in everything if layout["template"]]}
            if params["runs"]:
                result["running"] = runs.running()
                result["generated"] = runs.history(window)
                result["time_range"] = window
        return with_facts(result, "faz_report_info")

    module.run(work)


# -- GravityZone -----------------------------------------------------------------------------------

def run_gz_report(module):
    def work():
        params = module.params
        dest, mode = file_options(params)
        report_id, name = params["report_id"], params["name"]
        if report_id is None and params["report_type"] is None and not name:
            raise InvalidInput("give report_type (and target_ids) to create a report, or report_id or name to "
                               "download an existing one", option="report_type")
        creating = params["report_type"] is not None
        if creating and report_id is not None:
            raise InvalidInput("report_id reads an existing report; it cannot be given with report_type",
                               option="report_id")
        targets = [validate_target_id(item) for item in params["target_ids"] or []]
        if creating and not targets:
            raise InvalidInput("target_ids is required to create a report: the companies, groups or endpoints it "
                               "covers", option="target_ids")
        type_number = report_type_number(params["report_type"]) if creating else None
        ident = gz_identity(type_number, targets, report_id or name, params["period"])
        record = read_sidecar(dest)
        if not params["force"] and same_report(record, ident):
            return unchanged(dest, record, {"report_id": record.get("report_id")})
        waiting = report_waiting(params)
        with gz_client(module, waiting.deadline) as client:
            reports = GzReports(client)
            if creating:
                return gz_new_report(module, reports, type_number, targets, dest, mode, ident, waiting)
            return gz_existing(module, reports, dest, mode, ident, waiting)

    module.run(work)


def gz_new_report(module, reports, type_number, targets, dest, mode, ident, waiting):
    params = module.params
    name = params["name"] or reports.unique_name(type_number)
    if module.check_mode:
        reports.check_access()
        what = "create a %s report named %r for %d target(s) and save it to %s" % (
            reports.type_name(type_number), name, len(targets), dest)
        return check_mode_result(reports.client, reports.create_call(name, type_number, targets), what,
                                 report_id=None, name=name, path=dest)
    report_id, origin = reports.create(name, type_number, targets), time.monotonic()
    try:
        result = gz_fetch(module, reports, report_id, dest, mode, dict(ident, report_id=report_id, name=name),
                          waiting, origin)
    except BaseException:
        if not params["keep"]:
            reports.delete(report_id, quietly=True)
        raise
    result.update(name=name, report_type=reports.type_name(type_number), type=type_number)
    result["deleted"] = False if params["keep"] else reports.delete(report_id)
    return with_facts(result, "gz_report")


def gz_existing(module, reports, dest, mode, ident, waiting):
    params = module.params
    report = reports.find(params["report_id"], params["name"])
    if module.check_mode:
        links = reports.links(report["report_id"])
        return {"changed": True, "report_id": report["report_id"], "name": report["name"], "path": dest,
                "ready": links["ready"], "msg": "check mode: would download report %s (%s) to %s (nothing was "
                "written)" % (report["report_id"], report["name"], dest)}
    result = gz_fetch(module, reports, report["report_id"], dest, mode,
                      dict(ident, report_id=report["report_id"], name=report["name"]), waiting)
    result.update(name=report["name"], type=report["type"], report_type=reports.type_name(report["type"]))
    result["deleted"] = reports.delete(report["report_id"]) if params["delete"] else False
    return with_facts(result, "gz_report")


def gz_fetch(module, reports, report_id, dest, mode, record, waiting, origin=None):
    params = module.params

    def timed_out(outcome):
        return TaskWaitTimeout("GravityZone report %s was not ready for download after %.0f s (wait_timeout=%d)"
                               % (report_id, outcome.waited, waiting.timeout), report_id=report_id)

    links = wait_or_raise(fetch=lambda: reports.links(report_id), is_done=lambda links: links["ready"],
                          waiting=waiting, sleep=reports.client.transport.pause,
                          timed_out=timed_out, report=reports.client.transport.report,
                          describe=lambda links: "GravityZone report %s: not ready for download yet" % report_id,
                          origin=origin).state
    with AtomicFile(dest, mode) as out:
        reports.download(links["last_instance_url"], out, report_id)
        saved = save(out, dest, mode, params, record, module.warn)
    result = {"changed": True, "report_id": report_id, "kept": params["keep"]}
    result.update(saved)
    return result


def run_gz_report_info(module):
    def work():
        params = module.params
        type_number = report_type_number(params["report_type"]) if params["report_type"] else None
        with gz_client(module, params_deadline(params)) as client:
            reports = GzReports(client)
            items, pages = reports.list(name=params["name"], type_number=type_number, per_page=params["per_page"],
                                        max_pages=params["max_pages"])
        result = {"changed": False, "reports": items, "total": len(items), "pages": pages}
        return with_facts(result, "gz_report_info")

    module.run(work)


def delete_quietly(action):
    try:
        return action()
    except AsyncTasksError:
        return False
