# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pair 5: the module-side cost of normalising a FortiView result, in-process.

``normalise_task`` of the installed collection's module_utils/faz_views.py is called directly on
generated top-sources rows, in both reply shapes, as the module calls it on the decoded reply.
Time: ``time.perf_counter`` around the call, median of the repetitions (tracemalloc off).
Memory: tracemalloc's peak during the call alone (its input already allocated and not counted).
The JSON encoding of the normalised rows is timed too: the module hands them to ``exit_json``.
"""

from __future__ import annotations

import gc
import importlib
import json
import random
import time
import tracemalloc

from harness import median

VIEW = "top-sources"
SHAPES = ("seed", "real")
MIB = 1024.0 * 1024.0


def _address(rng):
    return "10.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))


def reply_body(shape, rows, seed=4):
    """The JSON text of a done top-sources task with ``rows`` rows, in ``shape``."""
    rng = random.Random(seed)
    items = []
    for index in range(rows):
        srcip = _address(rng)
        sessions = rng.randrange(1, 50000)
        total = rng.randrange(10 ** 5, 10 ** 10)
        if shape == "seed":
            items.append({"srcip": srcip, "hostname": "HOST-%05d" % index, "sessions": sessions, "bytes": total,
                          "bandwidth": total // 47, "country": "Reserved"})
        else:
            # Real apiver 3: total bytes under 'bandwidth'; an unresolved host name is the IP itself.
            items.append({"srcip": srcip, "srcip_hostname": srcip if index % 3 else "HOST-%05d" % index,
                          "bandwidth": total, "sessions": sessions, "threatweight": rng.randrange(0, 100)})
    if shape == "seed":
        data = {"tid": 13000, "status": "done", "percentage": 100, "total": rows, "sources": items}
        envelope = {"id": 2, "result": [{"data": data, "status": {"code": 0, "message": "OK"}}]}
    else:
        result = {"tid": 13000, "status": "done", "percentage": "100", "data": items}
        envelope = {"jsonrpc": "2.0", "id": 2, "result": result}
    return json.dumps(envelope)


def unwrapped(shape, body):
    """What ``normalise_task`` receives: the reply's data, as FortiAnalyzerClient unwraps it."""
    envelope = json.loads(body)
    return envelope["result"][0]["data"] if shape == "seed" else envelope["result"]


def measure(sizes=(1000, 10000, 100000), repetitions=5):
    """One entry per size and shape: median seconds, peak MiB, and the sizes involved."""
    views = importlib.import_module("ansible_collections.secops.async_tasks.plugins.module_utils.faz_views")
    # The reply shapes by the names this bench reports them under (the seed documents' list, the real apiver-3 object).
    shapes = {"seed": views.RESULT_LIST, "real": views.RESULT_OBJECT}
    entries = []
    for rows in sizes:
        for shape in SHAPES:
            body = reply_body(shape, rows)
            normalise_times = []
            encode_times = []
            encoded_size = 0
            for repetition in range(repetitions):
                data = unwrapped(shape, body)
                gc.collect()
                started = time.perf_counter()
                task = views.normalise_task(VIEW, 13000, data, shapes[shape])
                normalise_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                encoded_size = len(json.dumps(task["rows"]))
                encode_times.append(time.perf_counter() - started)
                if len(task["rows"]) != rows or not task["done"]:
                    raise AssertionError("normalise_task returned %d rows of %d (repetition %d)"
                                         % (len(task["rows"]), rows, repetition))
                del task, data
            data = unwrapped(shape, body)
            gc.collect()
            tracemalloc.start()
            task = views.normalise_task(VIEW, 13000, data, shapes[shape])
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            del task, data
            tracemalloc.start()
            data = unwrapped(shape, body)
            decoded_peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            del data
            entries.append({
                "rows": rows,
                "shape": shape,
                "normalise_s": median(normalise_times),
                "normalise_min_s": min(normalise_times),
                "normalise_max_s": max(normalise_times),
                "us_per_row": median(normalise_times) / rows * 1e6,
                "peak_mib": peak / MIB,
                "decode_peak_mib": decoded_peak / MIB,
                "reply_mib": len(body) / MIB,
                "encode_s": median(encode_times),
                "encoded_mib": encoded_size / MIB,
                "repetitions": repetitions,
            })
    return entries
