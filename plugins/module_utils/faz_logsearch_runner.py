# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The runner of faz_log_search: searches created, waited for, read page by page and deleted.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
A search this run creates is deleted on every path (done, error, timeout, interruption) unless
``keep`` (or ``wait: false``) asks to leave it: each search deletes itself, and the run sweeps up
what an interrupted batch left before it logs out.
"""

from __future__ import annotations

from ansible_collections.secops.async_tasks.plugins.module_utils.common import (
    failed_entry,
    run_one_or_many,
    wait_options,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.errors import (
    AsyncTasksError,
    InvalidInput,
    TaskNotFound,
    TaskWaitTimeout,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_logsearch import (
    PAGE_LIMIT,
    LogSearch,
    max_rows_or_default,
    project,
    search_params,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_runner import faz_client
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_views import validate_adom, validate_tid
from ansible_collections.secops.async_tasks.plugins.module_utils.polling import ProgressLines, wait_or_raise
from ansible_collections.secops.async_tasks.plugins.module_utils.rows_file import check_dest, write_rows
from ansible_collections.secops.async_tasks.plugins.module_utils.times import zone_of
from ansible_collections.secops.async_tasks.plugins.module_utils.transport import RetryPolicy

# Options that describe a search to create; each entry of `searches` may set them too.
SEARCH_OPTIONS = ("logtype", "filter", "device", "time_range", "time_order", "case_sensitive", "max_rows", "fields")
CREATE_ONLY = ("logtype", "filter", "device", "time_range", "time_order", "case_sensitive", "searches", "keep")


def planned_searches(params):
    """``(specs, batch)``: one spec per search to create, from the options and ``searches``."""
    entries, batch = ([{}], False) if params["searches"] is None else (params["searches"], True)
    if batch and not entries:
        raise InvalidInput("searches is empty: give at least one search", option="searches")
    zone = zone_of(params.get("timezone"))
    specs = []
    for index, entry in enumerate(entries):
        options = dict((name, params[name]) for name in SEARCH_OPTIONS)
        options.update((name, value) for name, value in entry.items() if value is not None and name != "name")
        where = "searches[%d]" % index if batch else "logtype"
        if not options["logtype"]:
            raise InvalidInput("%s: logtype is required to create a search (or give tid to read one)" % where,
                               option="searches" if batch else "logtype")
        specs.append({"name": entry.get("name") or "search %d" % (index + 1), "request": search_params(options, zone),
                      "max_rows": max_rows_or_default(options["max_rows"]), "fields": options["fields"]})
    return specs, batch


def public_result(search, state, rows, extra):
    """The documented result of one search."""
    matched = state.get("matched")
    result = {"tid": search.tid, "adom": search.adom, "status": "done" if state["percentage"] >= 100 else "running",
              "done": state["percentage"] >= 100, "percentage": state["percentage"], "matched": matched,
              "scanned": state.get("scanned"), "returned": len(rows),
              "truncated": matched is not None and len(rows) < matched, "rows": rows}
    result.update(extra)
    return result


def wait_for(search, waiting, first_page_limit):
    """The search's progress; with ``waiting.wait``, polled (progress-aware) until it is complete."""
    if not waiting.wait:
        return search.progress(first_page_limit)

    def timed_out(outcome):
        state = outcome.state
        fate = "it was kept: read it later with tid" if search.keep else "the search was deleted"
        return TaskWaitTimeout(
            "log search %d in ADOM %s was at %d%% after %.0f s (wait_timeout=%d; %s logs scanned of %s, %s matched); "
            "%s. Raise wait_timeout, or narrow time_range or filter"
            % (search.tid, search.adom, state["percentage"], outcome.waited, waiting.timeout,
               _number(state.get("scanned")), _number(state.get("total")), _number(state.get("matched")), fate),
            tid=search.tid, adom=search.adom, percentage=state["percentage"], matched=state.get("matched"),
            done=False)

    return wait_or_raise(fetch=lambda: search.progress(first_page_limit), is_done=lambda state: state["percentage"] >= 100,
                         waiting=waiting, sleep=search.client.transport.pause, timed_out=timed_out,
                         progress=lambda state: state["percentage"], report=search.client.transport.report,
                         describe=lambda state: describe_search(search, state)).state


def describe_search(search, state):
    """A progress line of a search: numbers only."""
    return "log search %d: %s%%, %s of %s logs scanned, %s matched" % (
        search.tid, state["percentage"], _number(state.get("scanned")), _number(state.get("total")),
        _number(state.get("matched")))


def _number(value):
    return "?" if value is None else str(value)


def collect_rows(search, state, max_rows, warn, deadline=None):
    """Up to ``max_rows`` rows, PAGE_LIMIT a request; ``(rows, matched, recounts)``.

    ``matched`` is the latest total the appliance gave (it may re-count between pages: the latest wins,
    and ``recounts`` lists every total it gave, in order, when they were not all the same). A page that
    comes back empty or short below that total although the search is complete is a page that has not
    arrived yet (reported of 7.6.7): it is read again with backoff, up to LATE_PAGE_ATTEMPTS times within
    ``deadline``; rows that still have not come are named in a warning, never dropped silently.

    An appliance that reaps a finished search on its first fetch (reported of 7.4.x) answers the
    next page "invalid tid": the rows read so far are returned, with a warning.
    """
    matched = state.get("matched")
    totals = [matched] if matched is not None else []
    rows = []
    transport = getattr(getattr(search, "client", None), "transport", None)
    lines = ProgressLines(getattr(transport, "report", None))
    while len(rows) < _wanted(matched, max_rows):
        offset = len(rows)
        wanted = _wanted(matched, max_rows)
        if lines.report is not None:
            lines.say("log search %d: %d of %d rows read" % (search.tid, offset, wanted), transport.deadline.remaining())
        limit = min(PAGE_LIMIT, wanted - offset)
        try:
            page, late = _read_page(search, offset, limit, matched, deadline)
        except TaskNotFound:
            if not rows:
                raise
            warn("FortiAnalyzer deleted log search %d after its first page (some builds allow one fetch per search): "
                 "%d of %s matching rows were read; narrow the search so that one page (%d rows) holds it"
                 % (search.tid, len(rows), _number(matched), PAGE_LIMIT))
            break
        got = page["rows"][:limit]
        rows.extend(got)
        if page["matched"] is not None and page["matched"] != matched:
            matched = page["matched"]
            totals.append(matched)
        if late:
            _warn_late(search, warn, offset + len(got), _wanted(matched, max_rows) - offset - len(got), late, matched)
            break
        if len(got) < limit:
            break
    recounts = totals if len(set(totals)) > 1 else []
    if recounts:
        warn("FortiAnalyzer re-counted log search %d's matches while its pages were read (%s): the latest count, %d, "
             "is returned as matched" % (search.tid, " -> ".join(str(total) for total in recounts), matched))
    return rows, matched, recounts


def _wanted(matched, max_rows):
    return max_rows if matched is None else min(matched, max_rows)


# A page that has not arrived is read again up to this many times (a PowerShell client of FortiAnalyzer retries 40
# times), 0.25-0.5 s after the first try, then doubling up to 2-4 s, within the run's deadline.
LATE_PAGE_ATTEMPTS = 40
LATE_PAGE_BACKOFF = RetryPolicy(base=0.5, cap=4.0)


def _read_page(search, offset, limit, matched, deadline):
    """``(page, late)``: the page at ``offset``; ``late`` is how many reads it got when its rows never came (0: they did).

    Rows are due at ``offset`` when the total says so; a page below it that comes back short while the
    search reads 100 % (or is still running, status code 1) is read again, but only when that read would
    still have its whole request ``timeout`` before the deadline: a read squeezed into the last moments
    would fail the run as unreachable (on a busy machine) where the truth is a page that had not arrived.
    """
    transport = search.client.transport
    attempts = 0
    while True:
        page = search.page(offset, limit)
        attempts += 1
        total = page["matched"] if page["matched"] is not None else matched
        if total is None or len(page["rows"]) >= min(limit, total - offset):
            return page, 0  # without a total, a short page is the last one
        wait = LATE_PAGE_BACKOFF.backoff(min(attempts - 1, 8))
        if attempts >= LATE_PAGE_ATTEMPTS or deadline is None or deadline.remaining() - wait < transport.timeout:
            return page, attempts
        transport.pause(wait)


def _warn_late(search, warn, first_missing, missing, attempts, matched):
    warn("FortiAnalyzer said log search %d matched %s rows, but the %d row(s) from offset %d to %d had not arrived "
         "after %d reads of that page (it came back empty or short although the search was complete: some builds "
         "deliver pages late); returning the rows read, truncated. Read the search again later with tid (keep: true), "
         "or give the run more time (timeout)"
         % (search.tid, _number(matched), missing, first_missing, first_missing + missing - 1, attempts))


def read_search(search, waiting, max_rows, fields, warn):
    """Progress (waited for with ``wait``), then the rows of a complete search."""
    state = wait_for(search, waiting, first_page_limit=min(PAGE_LIMIT, max(1, max_rows)))
    rows, recounts = [], []
    if state["percentage"] >= 100 and max_rows:
        rows, state["matched"], recounts = collect_rows(search, state, max_rows, warn, waiting.deadline)
    return public_result(search, state, project(rows, fields), {"recounts": recounts})


def run_search(client, adom, spec, keep, waiting, registry, warn):
    """Create one search, read it, and delete it unless it is to be kept (``keep``, or not waiting)."""
    keep = keep or not waiting.wait
    search = LogSearch(client, adom, registry=registry, keep=keep)
    extra = {"name": spec["name"], "logtype": spec["request"]["logtype"], "filter": spec["request"].get("filter"),
             "time_range": spec["request"]["time-range"], "kept": keep}
    if client.check_mode:
        return check_mode_search(client.preview(*search.create_call(), spec["request"]), adom, extra)
    search.create(spec["request"])
    try:
        result = read_search(search, waiting, spec["max_rows"], spec["fields"], warn)
    except BaseException:
        if not keep:
            _delete_quietly(search)
        raise
    result.update(extra, deleted=False if keep else search.delete())
    return result


def check_mode_search(request, adom, extra):
    what = "search %s logs in ADOM %s from %s to %s%s" % (
        extra["logtype"], adom, extra["time_range"]["start"], extra["time_range"]["end"],
        " matching %r" % extra["filter"] if extra["filter"] else "")
    result = {"tid": None, "adom": adom, "status": None, "done": False, "percentage": None, "matched": None,
              "scanned": None, "returned": 0, "truncated": False, "rows": [], "recounts": [], "deleted": False,
              "msg": "check mode: would %s (nothing was sent)" % what, "request": request}
    result.update(extra)
    return result


def _delete_quietly(search, even_when_stopped=False):
    try:
        search.delete(even_when_stopped=even_when_stopped)
    except AsyncTasksError:
        pass


def sweep(client, registry):
    """After a failed or interrupted run: stop the other threads, then delete what they left."""
    client.transport.stop()
    for search in list(registry):
        if not search.gone and not search.keep:
            _delete_quietly(search, even_when_stopped=True)


def run_log_search(module):
    """Run faz_log_search: create searches, or read (``tid``) or delete (``state: absent``) one."""
    def work():
        params = module.params
        adom = validate_adom(params["adom"])
        if params["dest"] and params["searches"] is not None:
            raise InvalidInput("dest writes the rows of one search: give one search, not searches", option="dest")
        if params_dest(params):
            check_dest(params["dest"])
        if params["tid"] is not None:
            return by_tid(module, adom, validate_tid(params["tid"]))
        if params["state"] == "absent":
            raise InvalidInput("state: absent deletes the search given by tid: set tid", option="tid")
        return create_searches(module, adom)

    def work_with_dest():
        result = work()
        if params_dest(module.params) and "rows" in result:
            rows_to_file(module, result)
        return result

    module.run(work_with_dest)


def params_dest(params):
    return params["dest"] if params["state"] == "present" else None


def rows_to_file(module, result):
    """The rows go to ``dest``: the result keeps the counts, the path, its size and checksum, not the rows."""
    params = module.params
    written = write_rows(params["dest"], result.pop("rows"), params["format"], params["fields"], module.secrets,
                         check_mode=module.check_mode)
    result["changed"] = result["changed"] or written.pop("changed")
    result["dest"] = written
    result["ansible_facts"]["faz_log_search"]["dest"] = written


def create_searches(module, adom):
    params = module.params
    specs, batch = planned_searches(params)
    waiting = wait_options(params)
    registry = []

    def failed(err, index):
        entry = failed_entry(err, name=specs[index]["name"], logtype=specs[index]["request"]["logtype"], adom=adom)
        entry.update(rows=[], deleted=not params["keep"] and err.details.get("tid") is not None)
        return entry

    with faz_client(module, waiting.deadline) as client:
        try:
            if client.check_mode:
                client.check_adom(adom)
            result = run_one_or_many(
                list(range(len(specs))), batch, noun="log searches", facts_key="faz_log_search", failed=failed,
                read_one=lambda index: run_search(client, adom, specs[index], bool(params["keep"]), waiting, registry,
                                                  module.warn))
        except BaseException:
            sweep(client, registry)
            raise
    result["changed"] = any(search.keep for search in registry) or (client.check_mode and bool(params["keep"]))
    return facts_without_rows(result)


def facts_without_rows(result):
    """The facts repeat the result but not its rows: tens of thousands of rows would be sent, scrubbed for
    secrets, parsed and stored twice (docs/benchmarks.md measured the cost); ``register`` has them."""
    facts = result["ansible_facts"]["faz_log_search"]
    if "results" in facts:
        facts["results"] = [_without_rows(entry) for entry in facts["results"]]
    else:
        result["ansible_facts"]["faz_log_search"] = _without_rows(facts)
    return result


def _without_rows(entry):
    return dict((key, value) for key, value in entry.items() if key != "rows")


def by_tid(module, adom, tid):
    """Read search ``tid`` (progress, and rows once complete), or delete it with ``state: absent``."""
    params = module.params
    for name in CREATE_ONLY:
        if params[name]:
            raise InvalidInput("%s only applies when creating a search, not with tid" % name, option=name)
    max_rows = max_rows_or_default(params["max_rows"])
    waiting = wait_options(params)
    with faz_client(module, waiting.deadline) as client:
        search = LogSearch(client, adom, tid=tid, keep=True)
        if params["state"] == "absent":
            return delete_by_tid(client, search)
        result = read_search(search, waiting, max_rows, params["fields"], module.warn)
    result.update(changed=False, deleted=False, kept=True)
    return dict(result, ansible_facts={"faz_log_search": _without_rows(result)})


def delete_by_tid(client, search):
    """Delete the search; unchanged when it was already gone. Check mode reads it and previews the delete."""
    result = {"tid": search.tid, "adom": search.adom}
    try:
        if client.check_mode:
            search.progress()
            return dict(result, changed=True, deleted=None, request=client.preview("delete", search.url, {}),
                        msg="check mode: would delete log search %d in ADOM %s (nothing was sent)"
                        % (search.tid, search.adom))
        answer = search.delete()
    except TaskNotFound:
        answer = False
    return dict(result, changed=answer, deleted=answer)
