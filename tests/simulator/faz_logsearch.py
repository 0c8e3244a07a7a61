"""FortiAnalyzer LogView log search for the simulator: create, progress, rows in pages, delete.

`LogSearch.route(call, user, now)` answers the `/logview/adom/{adom}/logsearch...` calls that
faz.py hands over; docs/simulator.md ("Log search") and docs/logsearch-api.md describe the
behaviour. Logs are never stored: log number `g` of a log type is a pure function of `g`, and log
`g` happened at second `g * 86400 // per_day` since 1970 (UTC), so every day of every year has the
same traffic. A search keeps only the numbers of the logs it matched. FOR TESTS ONLY.
"""

import array
import calendar
import datetime
import fnmatch
import ipaddress
import re
import threading
import time

from .common import is_int, task_now
from .profiles import apiver3, legacy

LOGVIEW_PREFIX = "/logview/"
SEARCH_URL = re.compile(r"^/logview/adom/([^/]+)/logsearch(?:/(count)/([^/]+)|/([^/]+))?/?$")
FIRST_TID = 512753000  # real appliances hand out large tids (e.g. 512753674 in Fortinet's article)
PAGE_MAX = 1000  # rows per fetch a real appliance accepts ("limit: 2000 is bigger than max value 1000")
DEFAULT_FETCH_LIMIT = 100
SCAN_CHUNK = 5000  # logs matched per request at most while a search runs (keeps the lock short)
HOT_HOST = "10.0.1.5"  # the busy, and compromised, internal host of the generated logs

# The 29 log types of a 7.6.6 appliance (its /logview/logfields catalogue).
KNOWN_LOGTYPES = (
    "app-ctrl", "attack", "content", "dlp", "emailfilter", "event", "generic", "history", "im", "sniffer",
    "traffic", "virus", "voip", "webfilter", "netscan", "fct-event", "fct-traffic", "fct-netscan", "waf",
    "gtp", "dns", "ssh", "ssl", "file-filter", "asset", "protocol", "siem", "ztna", "security",
)

OK = (0, "succeeded")
INVALID_URL = (-6, "Invalid url")
INVALID_TID = -3
INVALID_PARAMS = -8
NO_SLOT = (-1, "No available slot for searching")  # message seen live on 7.6.7; the code is unconfirmed
NO_PERMISSION = (-11, "No permission for the resource")


class LogSearchError(Exception):
    """An error status of a log search call: code and message."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def _invalid(what):
    return LogSearchError(INVALID_PARAMS, "Invalid params: %s" % what)


# ---------------------------------------------------------------------------------------------
# Generated logs
# ---------------------------------------------------------------------------------------------

MASK64 = (1 << 64) - 1


class _Dice:
    """Deterministic choices for one log: the same (log type, g) always rolls the same."""

    def __init__(self, salt, number):
        self._state = (number * 0x9E3779B97F4A7C15 + salt) & MASK64

    def _next(self):
        self._state = (self._state + 0x9E3779B97F4A7C15) & MASK64
        value = self._state
        value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & MASK64
        return value ^ (value >> 31)

    def int(self, low, high):
        return low + self._next() % (high - low + 1)

    def pick(self, pool):
        return pool[self._next() % len(pool)]


DEVICES = (("FGT-HQ-01", "FG100FTK19000101"), ("FGT-BRANCH-02", "FG60FTK20000202"),
           ("FGT-DC-01", "FG400FTK21000301"))
INTERNAL = tuple("10.0.%d.%d" % (net, host) for net in (1, 2, 3, 4) for host in range(10, 60))
# (dstip, dstport, proto, service, app, appcat, dstcountry)
DESTINATIONS = (
    ("142.250.74.110", 443, 6, "HTTPS", "Google.Services", "General.Interest", "United States"),
    ("13.107.42.14", 443, 6, "HTTPS", "Microsoft.Office365", "Collaboration", "United States"),
    ("52.97.146.162", 443, 6, "HTTPS", "Microsoft.Teams", "Collaboration", "Ireland"),
    ("140.82.121.4", 443, 6, "HTTPS", "GitHub", "Cloud.IT", "Germany"),
    ("151.101.1.69", 443, 6, "HTTPS", "Reddit", "Social.Media", "United States"),
    ("8.8.8.8", 53, 17, "DNS", "DNS", "Network.Service", "United States"),
    ("1.1.1.1", 53, 17, "DNS", "DNS", "Network.Service", "Australia"),
    ("17.253.144.10", 123, 17, "NTP", "NTP", "Network.Service", "United States"),
    ("162.125.66.18", 443, 6, "HTTPS", "Dropbox", "Storage.Backup", "United States"),
    ("104.16.85.20", 80, 6, "HTTP", "HTTP.BROWSER", "Web.Client", "Canada"),
    ("203.0.113.66", 4444, 6, "tcp/4444", "unknown", "unscanned", "Netherlands"),
    ("198.51.100.23", 22, 6, "SSH", "SSH", "Network.Service", "Singapore"),
    ("192.0.2.80", 8080, 6, "tcp/8080", "HTTP.BROWSER", "Web.Client", "France"),
)
POLICIES = ((46, "Internet_Access"), (12, "Guest_WiFi"), (31, "VPN_Users"), (55, "Servers_Out"))
DENY_POLICY = (60, "Deny_All_Log")
EVENTS = (  # (subtype, logid, level, logdesc, action, status, msg)
    ("system", "0100032001", "information", "Admin login successful", "login", "success",
     "Administrator admin logged in successfully from https(%s)"),
    ("system", "0100032002", "alert", "Admin login failed", "login", "failed",
     "Administrator admin login failed from https(%s) because of invalid password"),
    ("vpn", "0101037138", "notice", "IPsec connection status changed", "tunnel-up", "success",
     "IPsec tunnel VPN-HQ-BRANCH02 is up (peer %s)"),
    ("sdwan", "0113022923", "notice", "Health Check SLA status", "sla", "success",
     "Health Check SLA status: wan1 alive, latency 12 ms (probe from %s)"),
    ("system", "0100022900", "information", "Performance statistics", "perf-stats", "success",
     "Performance statistics: average CPU 14, memory 41 (collector %s)"),
    ("user", "0102043008", "notice", "Authentication success", "authentication", "success",
     "User jdoe authenticated from %s"),
)
SIGNATURES = (  # (attack, attackid, severity)
    ("Botnet.C&C.Server", 7630075, "critical"), ("Apache.Log4j.Error.Log.Remote.Code.Execution", 51006, "critical"),
    ("HTTP.URI.SQL.Injection", 15621, "high"), ("SSH.Brute.Force", 18608, "medium"),
    ("MS.SMB.Server.Trans.Peeking.Data.Information.Disclosure", 44010, "high"),
    ("Nmap.Script.Scanner", 41520, "low"),
)
WEBSITES = (("www.google.com", "Search Engines and Portals", "passthrough"),
            ("outlook.office365.com", "Information Technology", "passthrough"),
            ("www.youtube.com", "Streaming Media and Download", "passthrough"),
            ("malware-drop.example", "Malicious Websites", "blocked"),
            ("phish-login.example", "Phishing", "blocked"), ("www.bbc.co.uk", "News and Media", "passthrough"))
VIRUSES = (("EICAR_TEST_FILE", "eicar.com"), ("W32/Agent.AGEN!tr", "invoice.exe"), ("JS/Miner.BTC!tr", "lib.js"))
QUERIES = (("www.google.com", "142.250.74.110"), ("outlook.office365.com", "13.107.42.14"),
           ("c2.badhost.example", "203.0.113.66"), ("github.com", "140.82.121.4"))


def _clock_fields(second):
    moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=second)
    return {"date": moment.strftime("%Y-%m-%d"), "time": moment.strftime("%H:%M:%S"),
            "eventtime": second * 1000000000, "itime": second + 2}


def _device_fields(dice, number):
    devname, devid = DEVICES[number % len(DEVICES)]
    return {"devname": devname, "devid": devid, "vd": "root"}


def _traffic(dice, number):
    srcip = HOT_HOST if number % 3 == 0 else dice.pick(INTERNAL)
    dstip, dstport, proto, service, app, appcat, country = dice.pick(DESTINATIONS)
    denied = dice.int(0, 19) == 0
    policyid, policyname = DENY_POLICY if denied else dice.pick(POLICIES)
    sent = 0 if denied else dice.int(60, 4000000)
    received = 0 if denied else dice.int(60, 40000000)
    return {"logid": "0000000013", "type": "traffic", "subtype": "forward", "level": "notice",
            "srcip": srcip, "srcport": dice.int(1024, 65535), "srcintf": "internal", "srccountry": "Reserved",
            "dstip": dstip, "dstport": dstport, "dstintf": "wan1", "dstcountry": country, "proto": proto,
            "service": service, "action": "deny" if denied else dice.pick(("accept", "close", "close", "timeout")),
            "policyid": policyid, "policyname": policyname, "app": app, "appcat": appcat,
            "sentbyte": sent, "rcvdbyte": received, "sentpkt": sent // 1400 + (1 if sent else 0),
            "rcvdpkt": received // 1400 + (1 if received else 0), "duration": dice.int(0, 600),
            "sessionid": 100000000 + number % 900000000, "trandisp": "snat"}


def _event(dice, number):
    subtype, logid, level, logdesc, action, status, message = dice.pick(EVENTS)
    source = HOT_HOST if number % 5 == 0 else dice.pick(INTERNAL)
    return {"logid": logid, "type": "event", "subtype": subtype, "level": level, "logdesc": logdesc,
            "user": "admin" if subtype == "system" else "jdoe", "srcip": source, "action": action,
            "status": status, "msg": message % source}


def _attack(dice, number):
    attack, attackid, severity = dice.pick(SIGNATURES)
    outbound = number % 4 == 0
    srcip = HOT_HOST if outbound else dice.pick(("203.0.113.9", "198.51.100.77", "192.0.2.200"))
    dstip = "203.0.113.66" if outbound else dice.pick(INTERNAL)
    return {"logid": "0419016384", "type": "utm", "subtype": "ips", "eventtype": "signature", "level": "alert",
            "severity": severity, "srcip": srcip, "srcport": dice.int(1024, 65535), "dstip": dstip,
            "dstport": 4444 if outbound else dice.pick((22, 80, 443, 445)), "proto": 6,
            "service": "tcp/4444" if outbound else dice.pick(("SSH", "HTTP", "HTTPS", "SMB")),
            "attack": attack, "attackid": attackid, "action": dice.pick(("dropped", "detected", "reset")),
            "policyid": 46, "sessionid": 100000000 + number % 900000000, "crlevel": severity,
            "ref": "http://www.fortinet.com/ids/VID%d" % attackid}


def _webfilter(dice, number):
    hostname, category, action = dice.pick(WEBSITES)
    return {"logid": "0316013056", "type": "utm", "subtype": "webfilter", "level": "notice",
            "srcip": HOT_HOST if number % 4 == 0 else dice.pick(INTERNAL), "dstip": "104.16.85.20",
            "dstport": 443, "service": "HTTPS", "hostname": hostname, "url": "/", "catdesc": category,
            "action": action, "policyid": 46}


def _virus(dice, number):
    virus, filename = dice.pick(VIRUSES)
    return {"logid": "0211008192", "type": "utm", "subtype": "virus", "level": "warning", "dtype": "Virus",
            "srcip": "104.16.85.20", "dstip": HOT_HOST if number % 2 == 0 else dice.pick(INTERNAL),
            "virus": virus, "filename": filename, "action": "blocked", "service": "HTTPS", "policyid": 46}


def _app_ctrl(dice, number):
    dstip, dstport, proto, service, app, appcat, country = dice.pick(DESTINATIONS)
    return {"logid": "1059028704", "type": "utm", "subtype": "app-ctrl", "level": "information",
            "srcip": HOT_HOST if number % 3 == 0 else dice.pick(INTERNAL), "dstip": dstip, "dstport": dstport,
            "service": service, "app": app, "appcat": appcat, "apprisk": dice.pick(("low", "elevated", "medium")),
            "action": "block" if app == "unknown" else "pass", "policyid": 46}


def _dns(dice, number):
    qname, address = dice.pick(QUERIES)
    return {"logid": "1501054802", "type": "utm", "subtype": "dns", "level": "notice",
            "srcip": HOT_HOST if number % 3 == 0 else dice.pick(INTERNAL), "dstip": "8.8.8.8", "dstport": 53,
            "qname": qname, "qtype": "A", "ipaddr": address, "action": "pass"}


class LogStore:
    """The logs of one log type: `per_day` a day, made on demand by `make(dice, g)`."""

    def __init__(self, name, per_day, make):
        """per_day 0: a log type with no logs at all."""
        self.name = name
        self.per_day = per_day
        self._make = make
        self._salt = sum(ord(char) << (8 * (index % 7)) for index, char in enumerate(name))
        self.fields = frozenset(self.row(0)) if per_day else frozenset()

    def second(self, number):
        """When log `number` happened (seconds since 1970, UTC)."""
        return number * 86400 // self.per_day

    def numbers(self, start, end):
        """(first, last) log numbers in [start, end] (seconds), last < first when there are none."""
        if not self.per_day:
            return 0, -1
        first = -((-start * self.per_day) // 86400)
        return first, (end * self.per_day) // 86400

    def row(self, number):
        """Log `number` as the appliance returns it."""
        dice = _Dice(self._salt, number)
        row = {"id": number}
        row.update(_clock_fields(self.second(number)))
        row.update(_device_fields(dice, number))
        row.update(self._make(dice, number))
        return row


STORES = {store.name: store for store in (
    LogStore("traffic", 30000, _traffic), LogStore("event", 2400, _event), LogStore("attack", 1440, _attack),
    LogStore("webfilter", 4800, _webfilter), LogStore("virus", 96, _virus), LogStore("app-ctrl", 4800, _app_ctrl),
    LogStore("dns", 9600, _dns),
)}
NO_LOGS = LogStore("none", 0, None)  # the other known log types: valid, but nothing logged


# ---------------------------------------------------------------------------------------------
# Filters: `field OP value` terms joined by and/or (also && and ||), `not`, parentheses; a term
# next to a term means "and". OP is = == != > >= < <= ~ (contains) !~; values may be quoted and
# hold * and ? wildcards; `=`/`!=` with a CIDR value on an IP field test membership.
# ---------------------------------------------------------------------------------------------

TOKEN = re.compile(r"""\s*(?:
    (?P<paren>[()])
  | (?P<bool>&&|\|\||(?:and|or|not)(?=[\s(]|$))
  | (?P<field>[A-Za-z_][A-Za-z0-9_.-]*)\s*(?P<op>==|!=|>=|<=|!~|=|>|<|~)\s*
    (?P<value>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s()"']+)
)""", re.VERBOSE | re.IGNORECASE)
IP_FIELDS = frozenset(["srcip", "dstip", "ipaddr", "remip", "tranip", "transip"])


def _tokens(expression):
    position, tokens = 0, []
    while position < len(expression):
        if not expression[position:].strip():
            break
        match = TOKEN.match(expression, position)
        if not match:
            raise _invalid("filter syntax error at '%s'" % expression[position:].strip()[:40])
        position = match.end()
        if match.group("paren"):
            tokens.append(("paren", match.group("paren")))
        elif match.group("bool"):
            word = match.group("bool").lower()
            tokens.append(("bool", {"&&": "and", "||": "or"}.get(word, word)))
        else:
            tokens.append(("term", (match.group("field"), match.group("op"), _unquote(match.group("value")))))
    return tokens


def _unquote(value):
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


class _Parser:
    """Recursive descent over the tokens; builds a predicate row -> bool."""

    def __init__(self, tokens, fields, case_sensitive):
        self.tokens = tokens
        self.index = 0
        self.fields = fields
        self.case_sensitive = case_sensitive

    def parse(self):
        predicate = self._or()
        if self.index != len(self.tokens):
            raise _invalid("filter syntax error at token %d" % (self.index + 1))
        return predicate

    def _peek(self):
        return self.tokens[self.index] if self.index < len(self.tokens) else (None, None)

    def _or(self):
        parts = [self._and()]
        while self._peek() == ("bool", "or"):
            self.index += 1
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else (lambda row: any(part(row) for part in parts))

    def _and(self):
        parts = [self._unary()]
        while self._peek() == ("bool", "and") or self._peek()[0] == "term" or self._peek() in (
                ("paren", "("), ("bool", "not")):
            if self._peek() == ("bool", "and"):
                self.index += 1
            parts.append(self._unary())
        return parts[0] if len(parts) == 1 else (lambda row: all(part(row) for part in parts))

    def _unary(self):
        kind, value = self._peek()
        self.index += 1
        if (kind, value) == ("bool", "not"):
            inner = self._unary()
            return lambda row: not inner(row)
        if (kind, value) == ("paren", "("):
            inner = self._or()
            if self._peek() != ("paren", ")"):
                raise _invalid("filter syntax error: missing ')'")
            self.index += 1
            return inner
        if kind == "term":
            return _term(value, self.fields, self.case_sensitive)
        raise _invalid("filter syntax error at token %d" % self.index)


def _term(term, fields, case_sensitive):
    field, op, value = term
    if field not in fields:
        raise _invalid("filter '%s' not supported" % field)
    negate = op in ("!=", "!~")
    if op in ("=", "==", "!=") and field in IP_FIELDS and "/" in value:
        test = _cidr_test(field, value)
    elif op in ("=", "==", "!=", "~", "!~"):
        test = _text_test(field, value, contains=op in ("~", "!~"), case_sensitive=case_sensitive)
    else:
        test = _order_test(field, op, value)
    return (lambda row: not test(row)) if negate else test


def _cidr_test(field, value):
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise _invalid("filter value '%s' is not a network" % value)

    def test(row):
        try:
            return ipaddress.ip_address(str(row.get(field, ""))) in network
        except ValueError:
            return False
    return test


def _text_test(field, value, contains, case_sensitive):
    flags = 0 if case_sensitive else re.IGNORECASE
    pattern = fnmatch.translate(value)[:-2]  # drop the \Z anchor: fullmatch/search decide
    if pattern.startswith("(?s:"):
        pattern = pattern[4:-1]
    compiled = re.compile(pattern, flags | re.DOTALL)
    match = compiled.search if contains else compiled.fullmatch
    return lambda row: field in row and match(str(row[field])) is not None


def _order_test(field, op, value):
    try:
        bound = int(value)
    except ValueError:
        raise _invalid("filter value '%s' of '%s %s' is not a number" % (value, field, op))
    compare = {">": int.__gt__, ">=": int.__ge__, "<": int.__lt__, "<=": int.__le__}[op]
    return lambda row: is_int(row.get(field)) and compare(row[field], bound)


def compile_filter(expression, fields, case_sensitive=False):
    """A predicate for a filter expression (None or "" match everything); LogSearchError if rejected."""
    if expression is None or (isinstance(expression, str) and not expression.strip()):
        return None
    if not isinstance(expression, str):
        raise _invalid("'filter' must be a string")
    tokens = _tokens(expression)
    return _Parser(tokens, fields, case_sensitive).parse()


# ---------------------------------------------------------------------------------------------
# Searches
# ---------------------------------------------------------------------------------------------

TIME_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?(Z|[+-]\d{2}:?\d{2})?$")


def parse_time(text, name):
    """Seconds since 1970 of a FortiAnalyzer time ('YYYY-MM-DD HH:MM[:SS]' or with T, Z or an offset).

    A time without zone is the appliance's local time, which is UTC on the simulator.
    """
    match = TIME_RE.match(text) if isinstance(text, str) else None
    if not match:
        raise _invalid("time-range %s '%s' is not a date-time" % (name, text))
    day, minutes, seconds, zone = match.groups()
    try:
        moment = datetime.datetime.strptime("%s %s%s" % (day, minutes, seconds or ":00"), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise _invalid("time-range %s '%s' is not a date-time" % (name, text))
    offset = 0
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    return calendar.timegm(moment.timetuple()) - offset


class Search:
    """One search task: scans its logs over `duration` seconds, keeps the numbers that matched."""

    def __init__(self, tid, adom, request, now):
        self.tid = tid
        self.adom = adom
        self.store = request["store"]
        self.first, self.last = request["numbers"]
        self.descending = request["descending"]
        self.predicate = request["predicate"]
        self.duration = request["duration"]
        self.stuck = request.get("stuck")  # a percentage it never gets past, or None
        self.created = now
        self.last_used = now
        self.matched = array.array("q")
        self.scanned = 0
        self.reads_done = {}  # offset: reads of that page since the search finished (late pages)

    @property
    def total(self):
        """Logs in the search's time range (and devices)."""
        return max(0, self.last - self.first + 1)

    def _number_at(self, position):
        return self.last - position if self.descending else self.first + position

    def percentage(self, now):
        """Integer progress; 100 once done."""
        if self.stuck is not None:
            return self.stuck
        if self.duration <= 0 or now - self.created >= self.duration:
            return 100
        return min(99, int(100 * (now - self.created) / self.duration))

    def advance(self, now):
        """Scan up to where the search should be at `now` (at most SCAN_CHUNK logs a call while running)."""
        percentage = self.percentage(now)
        target = self.total if percentage >= 100 else self.total * percentage // 100
        if percentage < 100:
            target = min(target, self.scanned + SCAN_CHUNK)
        for position in range(self.scanned, target):
            number = self._number_at(position)
            if self.predicate is None or self.predicate(self.store.row(number)):
                self.matched.append(number)
        self.scanned = max(self.scanned, target)
        return percentage

    def rows(self, offset, limit):
        """The matched logs at [offset, offset + limit)."""
        return [self.store.row(number) for number in self.matched[offset:offset + limit]]


ALL_DEVICES = frozenset(["all_device", "all_devices", "all_fortigate", "all_fortigates"])


def _device_predicate(devices):
    """None for all devices, else a predicate on devname/devid ("FGT-HQ-01[root]" spellings too)."""
    if devices is None:
        return None
    if not isinstance(devices, list) or not devices or not all(isinstance(item, dict) for item in devices):
        raise _invalid("'device' must be a non-empty list of objects")
    names = set()
    for item in devices:
        for key in ("devid", "devname", "csfname"):
            value = item.get(key)
            if isinstance(value, str):
                if value.lower() in ALL_DEVICES:
                    return None
                names.add(value.split("[", 1)[0])
    if not names:
        raise _invalid("'device' entries need a devid, devname or csfname")
    return lambda row: row.get("devname") in names or row.get("devid") in names


def _both(first, second):
    if first is None or second is None:
        return first or second
    return lambda row: first(row) and second(row)


def search_request(params, duration):
    """What an `add .../logsearch` asks for, checked as an appliance checks it; LogSearchError if not."""
    logtype = params.get("logtype")
    if not isinstance(logtype, str) or logtype not in KNOWN_LOGTYPES:
        raise _invalid("logtype '%s' is not supported" % (logtype,))
    store = STORES.get(logtype, NO_LOGS)
    span = params.get("time-range")
    if not isinstance(span, dict):
        raise _invalid("'time-range' is required: an object with start and end")
    start, end = parse_time(span.get("start"), "start"), parse_time(span.get("end"), "end")
    if end < start:
        raise _invalid("time-range end is before start")
    order = params.get("time-order", "desc")
    if order not in ("desc", "asc"):
        raise _invalid("'time-order' must be desc or asc")
    sensitive = params.get("case-sensitive", False)
    if not isinstance(sensitive, bool):
        raise _invalid("'case-sensitive' must be true or false")
    predicate = compile_filter(params.get("filter"), store.fields, sensitive)
    return {"store": store, "numbers": store.numbers(start, end), "descending": order == "desc",
            "predicate": _both(_device_predicate(params.get("device")), predicate), "duration": duration}


class LogSearch:
    """Every search task of the simulated appliance; thread safe (its own lock)."""

    def __init__(self, settings, clock):
        self._settings = settings
        self._clock = clock
        self._lock = threading.Lock()
        self._searches = {}
        self._next_tid = FIRST_TID
        self._counts = {}
        self.reset()

    def reset(self):
        """No searches, counters zero, tids from FIRST_TID again."""
        with self._lock:
            self._searches = {}
            self._next_tid = FIRST_TID
            self._counts = dict.fromkeys(("created", "deleted", "expired", "refused", "fetches", "counts"), 0)

    def counters(self):
        """logsearches_created / _deleted / _expired / _refused (cap) / _open, logsearch_fetches, _counts."""
        with self._lock:
            self._purge(self._clock())
            report = {"logsearches_%s" % name: self._counts[name] for name in ("created", "deleted", "expired", "refused")}
            report.update(logsearches_open=len(self._searches), logsearch_fetches=self._counts["fetches"],
                          logsearch_counts=self._counts["counts"])
            return report

    def open_tids(self):
        """The tids of the searches not deleted or expired, oldest first."""
        with self._lock:
            self._purge(self._clock())
            return sorted(self._searches)

    def expire_all(self):
        """Every search expires now (a later call with its tid answers 'Invalid tid')."""
        with self._lock:
            self._counts["expired"] += len(self._searches)
            self._searches = {}
            return {"expired": True}

    def create(self, logtype="traffic", adom="root", rows=None, duration=None, start=None, order="desc",
               filter=None, percentage=None):
        """A search made by a test; rows: its number of matches (from `start`, default today 00:00 UTC)."""
        with self._lock:
            now = self._clock()
            if duration is None:
                duration = self._settings.get("faz_logsearch_duration")
            day_start = int(_wall_time()) // 86400 * 86400
            params = {"logtype": logtype, "time-order": order, "filter": filter, "time-range": {
                "start": start or _format(day_start), "end": _format(day_start + 86399)}}
            request = _control_request(params, duration, rows, percentage)
            if not isinstance(adom, str) or not adom:
                raise ValueError("adom must be a non-empty string")
            if len(self._searches) >= self._settings.get("faz_logsearch_cap"):
                raise ValueError("the search cap (faz_logsearch_cap) is reached")
            return self._add(adom, request, now).tid

    # -- JSON-RPC --------------------------------------------------------------------------------

    def route(self, call, user, now, denied=False):
        """(body, code) for a /logview/ call of an authenticated `user`; `denied` users get -11."""
        match = SEARCH_URL.match(call.url)
        try:
            if not match:
                raise LogSearchError(*INVALID_URL)
            if denied:
                raise LogSearchError(*NO_PERMISSION)
            adom, count, count_tid, tid = match.groups()
            with self._lock:
                self._purge(now)
                return self._dispatch(call, adom, count_tid if count else tid, bool(count), now), 0
        except LogSearchError as err:
            return self._error(call, err.code, err.message), err.code

    def _dispatch(self, call, adom, tid, count, now):
        if call.method == "add" and tid is None and not count:
            return self._reply(call, {"tid": self._start(call, adom, now).tid}, data_key=True)
        if call.method == "get" and tid is not None:
            search = self._live(tid, adom, now)
            now = task_now(self._settings, search, now)
            if count:
                if not self._settings.get("faz_logsearch_count_url"):
                    raise LogSearchError(*INVALID_URL)
                progress = self._progress(search, now)
                if call.profile.empty_progress:
                    return self._reply(call, {}, data_key=True)  # as reported of 8.0: status 0, nothing else
                return self._reply(call, progress, data_key=True, status=self._running(call, progress["progress-percent"]))
            page = self._page(call, search, now)
            return self._reply(call, page, data_key=True, status=self._running(call, page["percentage"]))
        if call.method == "delete" and tid is not None and not count:
            search = self._live(tid, adom, now)
            del self._searches[search.tid]
            self._counts["deleted"] += 1
            return self._reply(call, {"tid": search.tid} if call.shape == "real" else {}, data_key=False)
        raise LogSearchError(*INVALID_URL)

    def _start(self, call, adom, now):
        if len(self._searches) >= self._settings.get("faz_logsearch_cap"):
            self._counts["refused"] += 1
            raise LogSearchError(*NO_SLOT)
        request = search_request(call.params, self._settings.get("faz_logsearch_duration"))
        return self._add(adom, request, now)

    def _add(self, adom, request, now):
        search = Search(self._next_tid, adom, request, now)
        self._searches[search.tid] = search
        self._next_tid += 1
        self._counts["created"] += 1
        return search

    def _live(self, tid_text, adom, now):
        search = self._searches.get(int(tid_text)) if tid_text.isdigit() else None
        if search is None or search.adom != adom:
            raise LogSearchError(INVALID_TID, "Invalid tid %s for fetching result." % tid_text)
        search.last_used = now
        return search

    def _progress(self, search, now):
        self._counts["counts"] += 1
        percentage = search.advance(now)
        return {"total-logs": search.total, "scanned-logs": search.scanned, "matched-logs": len(search.matched),
                "progress-percent": percentage}

    @staticmethod
    def _running(call, percentage):
        """The status of a read of a running search: the profile's "still running" code, or OK."""
        return call.profile.running_status if percentage < 100 and call.profile.running_status else None

    def _late_reads(self, call):
        late = self._settings.get("faz_logsearch_late_reads")
        return call.profile.late_reads if late is None else late

    def _page(self, call, search, now):
        offset, limit = _paging(call.params)
        self._counts["fetches"] += 1
        percentage = search.advance(now)
        rows = search.rows(offset, limit)
        total = len(search.matched)
        if percentage >= 100:
            reads = search.reads_done[offset] = search.reads_done.get(offset, 0) + 1
            if reads <= self._late_reads(call) and rows:
                rows = []  # as measured on 7.6.7: 100 %, the count, and a page that has not arrived yet
            if offset == 0 and call.profile.recount and total - call.profile.recount > len(rows) > 0:
                total -= call.profile.recount  # the appliance re-counts between pages (230071 -> 230741)
        hostile = self._settings.get("faz_logsearch_row_text")
        for row in rows if hostile else ():
            if row["id"] % 5 == 0:  # text a device wrote into its logs, as a report would get it
                row.update(hostile)
        if percentage >= 100 and self._settings.get("faz_logsearch_single_use"):
            del self._searches[search.tid]  # as reported of 7.4.x: a finished search is reaped by its first fetch
        return {"tid": search.tid, "percentage": percentage, "return-lines": len(rows),
                "total-count": total, "scanned-logs": search.scanned, "data": rows}

    def _purge(self, now):
        ttl = self._settings.get("faz_logsearch_ttl")
        for tid in [tid for tid, search in self._searches.items() if now - search.last_used > ttl]:
            del self._searches[tid]
            self._counts["expired"] += 1

    # -- replies -----------------------------------------------------------------------------

    def _reply(self, call, payload, data_key, status=None):
        """Success in the configured shape: an apiver-3 `result` object with the status inside, or a
        `result` list whose item holds the payload under `data` (`data_key`) or beside the status.
        `status` (code, message) replaces the OK status (a "still running" code)."""
        if call.shape == "real":
            result = dict(payload)
            code, message = status or OK
            result["status"] = {"code": code, "message": message}
            return apiver3(call.request, "result", result)
        item = {"data": payload} if data_key else dict(payload)
        code, message = status or (0, "OK")
        item.update(status={"code": code, "message": message}, url=call.url)
        return legacy(call.request, [item])

    @staticmethod
    def _error(call, code, message):
        if call.shape == "real":
            return apiver3(call.request, "error", {"code": code, "message": message})
        return legacy(call.request, [{"status": {"code": code, "message": message}, "url": call.url}])


def _paging(params):
    offset = params.get("offset", 0)
    limit = params.get("limit", DEFAULT_FETCH_LIMIT)
    if not is_int(offset) or offset < 0:
        raise _invalid("offset must be an integer >= 0")
    if not is_int(limit) or limit < 0:
        raise _invalid("limit must be an integer >= 0")
    if limit > PAGE_MAX:
        raise _invalid("limit: %d is bigger than max value %d" % (limit, PAGE_MAX))
    return offset, limit


def _wall_time():
    return time.time()


def _format(second):
    return (datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=second)).strftime("%Y-%m-%d %H:%M:%S")


def _control_request(params, duration, rows, percentage):
    """search_request for the control API: ValueError instead of LogSearchError; `rows` fixes the matches."""
    if not isinstance(duration, (int, float)) or isinstance(duration, bool) or duration < 0:
        raise ValueError("duration must be a number >= 0")
    if percentage is not None and (not is_int(percentage) or not 0 <= percentage <= 99):
        raise ValueError("percentage must be an integer from 0 to 99 (a search that never finishes)")
    try:
        request = search_request(params, duration)
    except LogSearchError as err:
        raise ValueError(err.message)
    if rows is not None:
        if params["logtype"] not in STORES:
            raise ValueError("logtype must be one with generated logs: %s" % ", ".join(sorted(STORES)))
        if not is_int(rows) or not 0 <= rows <= 1000000 or params.get("filter"):
            raise ValueError("rows must be an integer from 0 to 1000000, without a filter")
        first = request["numbers"][0]
        request.update(numbers=(first, first + rows - 1), predicate=None)
    request["stuck"] = percentage
    return request
