#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: faz_log_search
short_description: Search FortiAnalyzer logs (LogView) and return the matching rows
version_added: 0.1.0
description:
  - Runs a FortiAnalyzer log search the way the API wants it, as one task - creates the search task
    (C(add /logview/adom/{adom}/logsearch), JSON-RPC apiver 3), waits for it while it scans (polling its progress,
    C(logsearch/count/{tid})), reads the matching rows page by page (C(get logsearch/{tid}) with C(offset) and
    C(limit), 1000 rows a request, the appliance's maximum), and deletes the search task.
  - The search task is deleted on every path - done, error, O(wait_timeout) reached, or the run interrupted -
    unless O(keep=true) (or O(wait=false)) asks to leave it, for a later run with O(tid).
  - With O(tid), reads an existing search (its progress, and its rows once complete) without deleting it; with
    O(state=absent) as well, deletes it.
  - With O(searches), runs several searches (for example one per indicator) over one session, a few at a time.
  - Log searches are capped on the appliance; when none is free the module says so rather than waiting.
author:
  - secops.async_tasks maintainers (@secops-async-tasks)
options:
  adom:
    description:
      - ADOM to search in.
    type: str
    default: root
  logtype:
    description:
      - Log type to search. Required to create a search (unless every entry of O(searches) names one).
      - Checked against the 29 log types of FortiAnalyzer 7.6 before anything is sent, because an appliance may
        read an unknown name as "every log type".
    type: str
    choices: [traffic, event, attack, virus, webfilter, app-ctrl, dns, content, dlp, emailfilter, generic, history,
              im, sniffer, voip, netscan, fct-event, fct-traffic, fct-netscan, waf, gtp, ssh, ssl, file-filter,
              asset, protocol, siem, ztna, security]
  filter:
    description:
      - FortiAnalyzer Log View filter, such as V(srcip=10.0.1.5 and action!=deny), V(dstip='8.8.8.8') or
        V(msg="Health Check*"). Field names are those of the raw log of O(logtype).
      - A filter the appliance rejects fails the task with the appliance's message.
      - At most 8192 characters; a longer one is refused before any request (split it into several O(searches)).
    type: str
  time_order:
    description:
      - Order of the rows by time. Defaults to V(desc) (newest first).
    type: str
    choices: [desc, asc]
  case_sensitive:
    description:
      - Whether the filter's values are compared case-sensitively.
    type: bool
    default: false
  max_rows:
    description:
      - Rows to return at most, read 1000 a request. V(0) only counts (RV(matched)) and reads no row.
      - When more rows matched, RV(truncated) is true. Defaults to 1000; at most 100000.
      - Every row returned is held in memory until the module ends, and Ansible holds the result again. Measured
        on FortiAnalyzer traffic logs (about 650 bytes of JSON a row) - 100000 rows are 65 MB of rows and the
        module process peaks at about 590 MiB (8.5 times the rows' size); 10000 rows peak at about 95 MiB.
        Use O(fields) to keep fewer columns, and for more rows than a run should hold, split the time range or
        write the rows to a file (O(dest)) instead of the result.
    type: int
  fields:
    description:
      - Keep only these columns of each row (smaller results and facts). By default rows are returned whole.
    type: list
    elements: str
  dest:
    description:
      - Write the rows to this file on the machine the module runs on (the controller, nearly always) instead of
        returning them. The result then holds RV(dest) (path, size, SHA-256, how many rows) and no RV(rows).
      - The file is written with mode C(0600) and replaced atomically (a temporary file in the same directory,
        renamed over it), with every form of every secret masked; its directory must exist. Unchanged (and the
        task not changed) when the file already holds the same rows.
      - For thousands of rows this is much faster than registering them (see the collection's
        C(docs/benchmarks.md)); use O(fields) when a few columns will do, and registered RV(rows) for a few
        hundred rows a later task branches on.
      - One search only (not with O(searches)); not with O(state=absent).
    type: path
  format:
    description:
      - The format of O(dest), V(jsonl) (one JSON object a line) or V(csv) (a header line, then one line a row;
        the columns are O(fields), else every key in the order first seen; values that are not text are
        written as JSON).
    type: str
    choices: [jsonl, csv]
    default: jsonl
  searches:
    description:
      - Several searches in one run, over one session (a few at a time). Each entry may set O(searches[].logtype),
        O(searches[].filter), O(searches[].device), O(searches[].time_range), O(searches[].time_order),
        O(searches[].case_sensitive), O(searches[].max_rows) and O(searches[].fields); what an entry does not set
        comes from the options of the same name.
      - The results come back in RV(results), in the order given; a search that fails does not stop the others,
        but the task fails after all of them have run.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - A label for the search, returned in its result.
        type: str
      logtype:
        description:
          - As O(logtype).
        type: str
        choices: [traffic, event, attack, virus, webfilter, app-ctrl, dns, content, dlp, emailfilter, generic,
                  history, im, sniffer, voip, netscan, fct-event, fct-traffic, fct-netscan, waf, gtp, ssh, ssl,
                  file-filter, asset, protocol, siem, ztna, security]
      filter:
        description:
          - As O(filter).
        type: str
      device:
        description:
          - As O(device).
        type: list
        elements: raw
      time_range:
        description:
          - As O(time_range).
        type: dict
        suboptions:
          start:
            description:
              - As O(time_range.start).
            type: str
          end:
            description:
              - As O(time_range.end).
            type: str
          last:
            description:
              - As O(time_range.last).
            type: str
      time_order:
        description:
          - As O(time_order).
        type: str
        choices: [desc, asc]
      case_sensitive:
        description:
          - As O(case_sensitive).
        type: bool
      max_rows:
        description:
          - As O(max_rows).
        type: int
      fields:
        description:
          - As O(fields).
        type: list
        elements: str
  tid:
    description:
      - Task id of an existing search (created with O(keep=true) or O(wait=false)) to read, or to delete with
        O(state=absent). The search is not deleted by a read.
    type: int
  state:
    description:
      - V(present) creates searches (or reads O(tid)); V(absent) deletes the search O(tid) (unchanged when it is
        already gone).
    type: str
    choices: [present, absent]
    default: present
  keep:
    description:
      - Leave the search task on the appliance (reported as changed), to read it again later with O(tid).
        By default it is deleted once read, or when anything goes wrong.
    type: bool
    default: false
  wait:
    description:
      - Wait until the search is complete, then read its rows.
      - With V(false), the search is created (and kept) and its progress returned at once; read it later with
        O(tid).
    type: bool
    default: true
  wait_timeout:
    description:
      - With O(wait), fail after this many seconds if the search is still scanning; the failure reports its
        progress, and the search is deleted unless O(keep=true).
    type: int
    default: 300
  poll_interval:
    description:
      - With O(wait), seconds before the second poll. The interval then grows by half each time, up to 30
        seconds (or O(poll_interval) if larger); the next poll is brought forward to the finish time the
        search's progress points to.
    type: float
    default: 2
extends_documentation_fragment:
  - secops.async_tasks.fortianalyzer
  - secops.async_tasks.fortianalyzer.scope
  - secops.async_tasks.attributes.fortianalyzer_group
attributes:
  check_mode:
    description: Can run in check mode.
    support: full
    details:
      - The module logs in and checks that the ADOM exists (with O(tid), that the search exists), but sends no
        C(add) and no C(delete). It returns RV(msg) and, in RV(request), the search it would have created.
  diff_mode:
    description: Returns details on what has changed.
    support: none
notes:
  - FortiAnalyzer reads times without a time zone in its own (or the ADOM's) time zone.
  - Progress comes from the count URL; where it does not exist (C(-6)) or its reply holds no progress
    (8.0 can answer status 0 with no progress fields), from the first page's own percentage. A status
    code C(1) on a progress or page read means the search is still running.
  - The API is described, with its sources, in the collection's C(docs/logsearch-api.md).
seealso:
  - module: secops.async_tasks.faz_fortiview_task
"""

EXAMPLES = r"""
- name: What did 10.0.1.5 do last night? Traffic it started, 5000 rows at most, a few columns
  secops.async_tasks.faz_log_search:
    host: faz.example.com
    api_key: "{{ vault_faz_api_key }}"
    logtype: traffic
    filter: srcip=10.0.1.5 and action!=deny
    time_range:
      start: "2026-11-20 22:00:00"
      end: "2026-11-21 06:00:00"
    max_rows: 5000
    fields: [date, time, dstip, dstport, service, action, sentbyte, rcvdbyte]
  register: traffic

- name: How many IPS events in the last 24 hours? (count only)
  secops.async_tasks.faz_log_search:
    logtype: attack
    time_range:
      last: 24h
    max_rows: 0
  register: ips

- name: One search per indicator, over one session
  secops.async_tasks.faz_log_search:
    logtype: traffic
    time_range:
      last: 7d
    max_rows: 100
    searches:
      - name: c2
        filter: dstip=203.0.113.66
      - name: dns-tunnel
        logtype: dns
        filter: qname=*.badhost.example
  register: hunt

- name: Start a long search and come back for it later
  secops.async_tasks.faz_log_search:
    logtype: event
    time_range:
      last: 30d
    wait: false
  register: started

- name: Read it when it is done (the search stays on the appliance)
  secops.async_tasks.faz_log_search:
    tid: "{{ started.tid }}"
    max_rows: 10000

- name: Delete it
  secops.async_tasks.faz_log_search:
    tid: "{{ started.tid }}"
    state: absent

- name: Ten thousand rows to a file (CSV), not into the registered result
  secops.async_tasks.faz_log_search:
    logtype: traffic
    filter: srcip=10.0.1.5
    time_range:
      last: 24h
    max_rows: 10000
    dest: /var/tmp/traffic-10.0.1.5.csv
    format: csv
  register: traffic_file
"""

RETURN = r"""
tid:
  description: Task id of the search (deleted by the end of the task unless RV(kept)). Null in check mode.
  returned: always, except with O(searches)
  type: int
  sample: 512753674
adom:
  description: The ADOM.
  returned: always, except with O(searches)
  type: str
  sample: root
name:
  description: The search's label (V(search 1) unless O(searches[].name) names it).
  returned: when a search was created
  type: str
  sample: c2
logtype:
  description: The log type searched.
  returned: when a search was created
  type: str
  sample: traffic
filter:
  description: The filter sent, or null.
  returned: when a search was created
  type: str
  sample: srcip=10.0.1.5 and action!=deny
time_range:
  description: The period sent, as naive C(YYYY-MM-DD HH:MM:SS) times.
  returned: when a search was created
  type: dict
  sample: {"start": "2026-11-20 22:00:00", "end": "2026-11-21 06:00:00"}
status:
  description: V(done) once the search has scanned everything, else V(running). Null in check mode.
  returned: always, except with O(searches) or O(state=absent)
  type: str
  sample: done
done:
  description: Whether the search is complete.
  returned: always, except with O(searches) or O(state=absent)
  type: bool
  sample: true
percentage:
  description: Progress of the search, 0 to 100.
  returned: always, except with O(searches) or O(state=absent)
  type: int
  sample: 100
matched:
  description:
    - How many logs matched, as the appliance counts them (null while unknown).
    - Some builds re-count between pages; the latest count given is the one returned (see RV(recounts)).
  returned: always, except with O(searches) or O(state=absent)
  type: int
  sample: 10000
scanned:
  description: How many logs the search has scanned, where the appliance says.
  returned: always, except with O(searches) or O(state=absent)
  type: int
  sample: 30000
returned:
  description: How many rows RV(rows) holds.
  returned: always, except with O(searches) or O(state=absent)
  type: int
  sample: 5000
truncated:
  description:
    - True when more logs matched than were returned (O(max_rows), or the appliance stopped serving pages).
    - A page that comes back empty or short below the count although the search is complete (some builds
      deliver pages late) is read again with backoff, up to 40 times within the run's time budget; rows that
      still have not come leave the result truncated, with a warning naming the offsets and the count missing.
  returned: always, except with O(searches) or O(state=absent)
  type: bool
  sample: true
recounts:
  description:
    - Every count of matches the appliance gave while the rows were read, in order, when they were not all
      the same (a warning says so too); empty when the count never changed. RV(matched) is the last one.
  returned: always, except with O(searches) or O(state=absent)
  type: list
  elements: int
  sample: [230071, 230741]
rows:
  description: The matching logs, in time order, as the appliance returns them (only O(fields) where given).
  returned: always, except with O(searches), O(dest) or O(state=absent)
  type: list
  elements: dict
  sample: [{"date": "2026-11-21", "time": "05:59:58", "srcip": "10.0.1.5", "dstip": "203.0.113.66", "dstport": 4444,
            "service": "tcp/4444", "action": "accept", "sentbyte": 5120, "rcvdbyte": 880}]
dest:
  description: With O(dest), the file the rows were written to (in check mode, what would be written).
  returned: with O(dest), once the search is complete
  type: dict
  contains:
    path:
      description: Its absolute path.
      type: str
      sample: /var/tmp/traffic-10.0.1.5.csv
    format:
      description: V(jsonl) or V(csv).
      type: str
      sample: csv
    size:
      description: Its size in bytes.
      type: int
      sample: 2048000
    sha256:
      description: The SHA-256 checksum of its content.
      type: str
      sample: 3f0a9c1e5b7d2a4c6e8f0b1d3a5c7e9f1b3d5a7c9e1f3b5d7a9c1e3f5b7d9a1c
    rows:
      description: How many rows it holds.
      type: int
      sample: 10000
deleted:
  description: Whether this task deleted the search (null in check mode with O(state=absent)).
  returned: always, except with O(searches)
  type: bool
  sample: true
kept:
  description: Whether the search was left on the appliance (O(keep), O(wait=false), or a read by O(tid)).
  returned: always, except with O(searches) or O(state=absent)
  type: bool
  sample: false
results:
  description: With O(searches), one entry per search in the order given, each with the keys above (and
    C(failed) and C(msg) for a search that failed).
  returned: with O(searches)
  type: list
  elements: dict
msg:
  description: In check mode, what the module would have done.
  returned: in check mode
  type: str
  sample: "check mode: would search traffic logs in ADOM root from 2026-11-20 22:00:00 to 2026-11-21 06:00:00 (nothing was sent)"
request:
  description: In check mode, the JSON-RPC call that would have been sent (C(method), C(target), C(params)).
  returned: in check mode
  type: dict
ansible_facts:
  description: The same result as facts, without RV(rows) (tens of thousands of rows are not worth sending and
    storing twice; register the result to use them).
  returned: always, except with O(state=absent)
  type: dict
  contains:
    faz_log_search:
      description: The result above without RV(rows) (with O(searches), C(results), each without its rows).
      type: dict
"""

from ansible_collections.secops.async_tasks.plugins.module_utils.common import AsyncTasksModule
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_logsearch import LOGTYPES, MAX_ROWS_CEILING
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_logsearch_runner import run_log_search
from ansible_collections.secops.async_tasks.plugins.module_utils.inputs import Bound
from ansible_collections.secops.async_tasks.plugins.module_utils.specs import FAZ_CONNECTION_SPEC, FAZ_SCOPE_SPEC, merged
from ansible_collections.secops.async_tasks.plugins.module_utils.specs import FAZ_CONNECTION_BOUNDS, FILTER_BOUND, TID, WAIT_BOUNDS


def argument_spec():
    search = merged(
        FAZ_SCOPE_SPEC,
        logtype=dict(type="str", choices=list(LOGTYPES)),
        filter=dict(type="str"),
        case_sensitive=dict(type="bool"),
        max_rows=dict(type="int"),
        fields=dict(type="list", elements="str"),
    )
    return merged(
        FAZ_CONNECTION_SPEC,
        search,
        adom=dict(type="str", default="root"),
        time_order=dict(type="str", choices=["desc", "asc"]),
        case_sensitive=dict(type="bool", default=False),
        searches=dict(type="list", elements="dict", options=dict(
            search, name=dict(type="str"), time_order=dict(type="str", choices=["desc", "asc"]))),
        tid=dict(type="int"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        keep=dict(type="bool", default=False),
        dest=dict(type="path"),
        format=dict(type="str", default="jsonl", choices=["jsonl", "csv"]),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=300),
        poll_interval=dict(type="float", default=2.0),
    )


def bounds():
    """Bounds of the number options and the filter size (``max_rows`` and ``filter`` of each entry of ``searches`` too)."""
    return merged(FAZ_CONNECTION_BOUNDS, WAIT_BOUNDS, tid=TID, filter=FILTER_BOUND,
                  max_rows=Bound(0, MAX_ROWS_CEILING, "from 0 (only count) to %d" % MAX_ROWS_CEILING))


def main():
    run_log_search(AsyncTasksModule(argument_spec=argument_spec(), bounds=bounds(), mutually_exclusive=[("tid", "searches")],
                                    required_if=[("state", "absent", ["tid"])]))


if __name__ == "__main__":
    main()
