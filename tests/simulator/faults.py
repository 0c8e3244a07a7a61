"""Seeded fault injection: which requests fail, how, and the answers of faults that skip the product.

`FaultInjector.decide(product, raw_body)` is asked once per POST to a product endpoint; it returns a
`Fault` or None. Decisions come from one `random.Random(seed)`, so the same requests in the same order
get the same faults. The HTTP server (server.py) acts out the faults that need the socket (latency,
reset, truncated, slow_drip); `fault_reply` builds the answers of those the product never sees.
See docs/simulator.md. FOR TESTS ONLY.
"""

import collections
import json
import random
import threading

from .common import is_number, json_reply, text_reply

KINDS = ("latency", "http500", "http502", "http503", "http504", "reset", "truncated", "nonjson", "html", "429",
         "429_no_retry_after", "expire_session", "slow_drip")
# Processed: the product handles the request (state changes happen) and the fault hits the answer.
# The others answer in place of the product, which never sees the request.
PROCESSED = frozenset(["latency", "slow_drip", "truncated", "reset", "expire_session"])
PRODUCTS = ("faz", "gz")
FAZ_AUTH_URLS = frozenset(["/sys/login/user", "/sys/logout", "sys/login/user", "sys/logout"])  # slash or not
FIELDS = ("rate", "kinds", "seed", "products", "methods", "exclude_auth")

LATENCY_SECONDS = (0.3, 1.5)
DRIP_SECONDS = (10.0, 60.0)
TRUNCATE_KEEP = (0.2, 0.8)  # share of the body sent before the connection closes

REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
           429: "Too Many Requests"}
HTML_PAGE = ("<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1>"
             "</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
ERROR_PAGE = ("<!DOCTYPE html>\n<html><head><title>Error</title></head>\n<body><h1>Something went wrong</h1>\n"
              "<p>The server encountered an internal error and was unable to complete your request.</p>\n"
              "</body></html>\n")
PLAIN_TEXT = "Service temporarily unavailable. Please try again later.\n"


def html_status_page(status):
    """A short nginx-style HTML page for an HTTP error status."""
    return HTML_PAGE.format(code=status, reason=REASONS.get(status, "Error"))


def http_error_reply(status, body=True):
    """An HTTP error as a proxy or load balancer sends it: short HTML or nothing; 429 says Retry-After 1."""
    headers = {"Retry-After": "1"} if status == 429 else None
    return text_reply(html_status_page(status) if body else "", status, "text/html", headers)


class Fault:
    """One decided fault: its kind and every number it needs, drawn when it was decided."""

    def __init__(self, kind, rng):
        self.kind = kind
        self.processed = kind in PROCESSED
        self.delay = rng.uniform(*LATENCY_SECONDS) if kind == "latency" else 0.0
        self.drip_seconds = rng.uniform(*DRIP_SECONDS) if kind == "slow_drip" else 0.0
        self.keep = rng.uniform(*TRUNCATE_KEEP) if kind == "truncated" else 1.0
        self.variant = rng.randrange(2) if kind.startswith("http") or kind in ("html", "nonjson") else 0

    def __repr__(self):
        return "Fault(%r)" % self.kind


def fault_reply(fault, product):
    """The answer of a fault that is not processed (http5xx, 429*, html, nonjson)."""
    kind = fault.kind
    if kind.startswith("http"):
        return http_error_reply(int(kind[4:]), body=bool(fault.variant))
    if kind == "html":
        return text_reply(ERROR_PAGE, 500 if fault.variant else 200, "text/html; charset=utf-8")
    if kind == "nonjson":  # the second variant lies about its type, as some proxies do
        return text_reply(PLAIN_TEXT, 200, "application/json" if fault.variant else "text/plain; charset=utf-8")
    headers = {"Retry-After": "1"} if kind == "429" else {}
    if product == "gz":
        error = {"code": -32003, "message": "Too many requests", "data": {"details": "Rate limit exceeded"}}
        return json_reply({"id": None, "jsonrpc": "2.0", "error": error}, 429, headers)
    return text_reply(html_status_page(429), 429, "text/html", headers)


def peek(raw):
    """(JSON-RPC method, FortiAnalyzer params[0].url) of a body, each None when absent; never raises."""
    try:
        request = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None, None
    if not isinstance(request, dict):
        return None, None
    method = request.get("method") if isinstance(request.get("method"), str) else None
    params = request.get("params")
    url = None
    if isinstance(params, list) and params and isinstance(params[0], dict) and isinstance(params[0].get("url"), str):
        url = params[0]["url"]
    return method, url


def _names(value, allowed, what):
    if not isinstance(value, (list, tuple)) or not value or not all(isinstance(item, str) for item in value):
        raise ValueError("%s must be a non-empty list of names" % what)
    unknown = sorted(set(value) - set(allowed)) if allowed else []
    if unknown:
        raise ValueError("unknown %s: %s (known: %s)" % (what, ", ".join(unknown), ", ".join(allowed)))
    return list(dict.fromkeys(value))  # each once, in the order given: the choice stays uniform


def check_plan(rate=0.2, kinds=None, seed=1234, products=PRODUCTS, methods=None, exclude_auth=False):
    """The fault settings as a plain dict, or ValueError naming what is wrong."""
    if not is_number(rate) or not 0 <= rate <= 1:
        raise ValueError("rate must be a number from 0 to 1")
    if isinstance(seed, bool) or not isinstance(seed, (int, str)):
        raise ValueError("seed must be an integer or a string")
    if not isinstance(exclude_auth, bool):
        raise ValueError("exclude_auth must be true or false")
    return {"rate": rate, "kinds": list(KINDS) if kinds is None else _names(kinds, KINDS, "kinds"), "seed": seed,
            "products": _names(products, PRODUCTS, "products"),
            "methods": None if methods is None else _names(methods, None, "methods"), "exclude_auth": exclude_auth}


class FaultInjector:
    """Decides per request whether and how it fails; thread safe. Off until `configure` is called."""

    def __init__(self):
        self._lock = threading.Lock()
        self._plan = None
        self._rng = None
        self._total = 0
        self._by_kind = collections.Counter()

    def configure(self, **plan):
        """Turn faults on (or off, with rate 0) with a fresh random generator; returns the settings."""
        plan = check_plan(**plan)
        with self._lock:
            self._plan = plan if plan["rate"] > 0 else None
            self._rng = random.Random(plan["seed"])
            return self._settings()

    def clear(self):
        """Faults off; the counters stay until reset()."""
        with self._lock:
            self._plan = None
            return self._settings()

    def reset(self):
        """Faults off and the counters back to zero."""
        with self._lock:
            self._plan = None
            self._total = 0
            self._by_kind.clear()

    def settings(self):
        """The current fault settings ({"rate": 0} when off)."""
        with self._lock:
            return self._settings()

    def _settings(self):
        return dict(self._plan) if self._plan else {"rate": 0}

    def counters(self):
        """{"total": n, "by_kind": {kind: n}} (only kinds that happened)."""
        with self._lock:
            return {"total": self._total, "by_kind": dict(self._by_kind)}

    def decide(self, product, raw):
        """The fault for one POST to `product` ("faz" or "gz") with body `raw`, or None."""
        with self._lock:
            plan = self._plan
            if plan is None or product not in plan["products"]:
                return None
            if plan["methods"] is not None or (plan["exclude_auth"] and product == "faz"):
                method, url = peek(raw)
                if plan["methods"] is not None and method not in plan["methods"]:
                    return None
                if plan["exclude_auth"] and product == "faz" and method == "exec" and url in FAZ_AUTH_URLS:
                    return None
            if self._rng.random() >= plan["rate"]:
                return None
            fault = Fault(self._rng.choice(plan["kinds"]), self._rng)
            self._total += 1
            self._by_kind[fault.kind] += 1
            return fault
