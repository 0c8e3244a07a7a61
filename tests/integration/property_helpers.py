"""What the property tests share: every module's argument spec read at run time, values for each option.

``module_names()`` lists ``plugins/modules/*.py``; ``module_spec(name)`` runs the module's ``main()``
until it builds its ``AnsibleModule`` and keeps the keyword arguments (the argument spec with every
shared piece merged in, ``mutually_exclusive``, ``required_if``, ...), so a new module, or a module
that declares its options differently, is covered without touching the tests. ``option_paths(spec)``
walks sub-options (``time_range.last``). ``values_for(option_spec)`` is a hypothesis strategy of
values for one option: values of its own type at and past the edges (zero, negative, huge, NaN and
infinities, empty, whitespace, control characters, unicode, very long), and values of every other
type. Host and URL values only ever name 127.0.0.1 (or do not parse); ``local_names_only()`` makes
any other name fail to resolve, so nothing generated can send a packet off this machine.

``baseline_args(sim, name, spec)`` is a run of the module that succeeds against the simulator: the
table below for the modules known today, else the first task of the module's EXAMPLES with the
connection options pointed at the simulator.
"""

import contextlib
import glob
import importlib
import math
import os
import socket
import tempfile
from unittest import mock

import yaml
from ansible.module_utils import basic
from hypothesis import strategies as st

from tests.integration.reliability_helpers import FAZ_PASSWORD, GZ_API_KEY
from tests.modules.harness import COLLECTION_MODULES
from tests.unit.module_args import patch_module_args

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOCAL_NAMES = frozenset(("127.0.0.1", "localhost", "::1"))
# Ids the simulator always knows (docs/simulator.md).
KNOWN_ARGS = {
    "faz_top_sources_result": {"tid": 12450},
    "faz_top_applications_result": {"tid": 12455},
    "faz_fortiview_result": {"view": "top-sources", "tid": 12450},
    "faz_fortiview_task": {"view": "top-sources", "time_range": {"last": "1h"}},
    "gz_task_status": {"task_id": "65f46d08c6d2865b32048ba3"},
    "gz_scan_task": {"target_ids": ["5ba8e0dbb1a43d0f2b7b23c1"]},
    # The documented example, smaller: 500 rows in 1 hour, polled every 0.25 s (the example's 5000 rows
    # at the default 2 s made every property run of faz_log_search take seconds).
    "faz_log_search": {"logtype": "traffic", "filter": "srcip=10.0.1.5 and action!=deny", "max_rows": 500,
                       "time_range": {"start": "2026-11-20 22:00:00", "end": "2026-11-20 22:59:59"},
                       "fields": ["date", "time", "dstip", "action"], "poll_interval": 0.25},
}
# Where runs happen (their working directory) and the only place a generated path that a module writes
# (transcript, dest) may point: nothing generated lands in the checkout or anywhere else.
SCRATCH = tempfile.mkdtemp(prefix="secops-property-")
WRITTEN_PATHS = frozenset(("transcript", "dest"))
# The report modules' documented examples write under /srv/reports: their baselines write in SCRATCH.
KNOWN_ARGS.update({
    "faz_report": {"layout": "Security Analysis", "time_range": {"last": "1d"},
                   "dest": os.path.join(SCRATCH, "faz-report.pdf"), "force": True, "poll_interval": 0.25},
    "gz_report": {"report_type": "malware_status", "target_ids": ["5b6b1ba6b1a43d4b7e8b4567"],
                  "dest": os.path.join(SCRATCH, "gz-report.zip"), "force": True, "poll_interval": 0.25},
})
# A run's requests stay short: a generated value never makes the baseline wait for long.
BASE_TIMEOUT = 5
FAZ_CONNECTION = ("host", "port", "username", "password", "api_key", "session_id", "ca_path")
GZ_CONNECTION = ("api_url", "api_key", "ca_path")


class _Captured(Exception):
    """Raised in place of building the AnsibleModule once its arguments are known."""


# The report modules write a file and carry the run's own times (started, finished, the appliance's report
# name): the sweeps below compare a run against its baseline and would read those as wrong results, and a
# second run into the same dest sends nothing by design (idempotence). Their options and replies are
# proven in tests/modules/test_reports.py; teaching the sweeps time fields and dest is still to do.
SWEEP_EXCLUDED = frozenset(("faz_report", "gz_report"))


def swept_module_names():
    """``module_names()`` less the modules the option and reply sweeps do not yet cover (SWEEP_EXCLUDED)."""
    return [name for name in module_names() if name not in SWEEP_EXCLUDED]


def module_names():
    """Every module of the collection, from the files in plugins/modules/."""
    paths = glob.glob(os.path.join(ROOT, "plugins", "modules", "*.py"))
    return sorted(os.path.splitext(os.path.basename(path))[0] for path in paths
                  if not os.path.basename(path).startswith("_"))


def module_spec(name):
    """The keyword arguments module ``name`` gives ``AnsibleModule`` (``argument_spec`` always set)."""
    code = importlib.import_module(COLLECTION_MODULES + name)
    captured = {}

    def capture(self, *args, **kwargs):
        if args:
            kwargs["argument_spec"] = args[0]
        captured.update(kwargs)
        raise _Captured()

    with mock.patch.object(basic.AnsibleModule, "__init__", capture), patch_module_args({}):
        try:
            code.main()
        except _Captured:
            pass
    assert "argument_spec" in captured, "%s never built its AnsibleModule" % name
    return captured


def module_doc(name, section="EXAMPLES"):
    """A module's EXAMPLES (or DOCUMENTATION), parsed."""
    code = importlib.import_module(COLLECTION_MODULES + name)
    return yaml.safe_load(getattr(code, section))


def product_of(spec):
    """"faz" or "gz", from the connection options the spec has."""
    return "faz" if "host" in spec else "gz"


def option_paths(spec, prefix=()):
    """(path tuple, option spec) for every option and sub-option."""
    for name, option in sorted(spec.items()):
        yield prefix + (name,), option
        if option.get("options"):
            yield from option_paths(option["options"], prefix + (name,))


def secret_options(spec):
    """Names (paths joined with '.') of the options marked no_log."""
    return [".".join(path) for path, option in option_paths(spec) if option.get("no_log")]


def connection_args(sim, product):
    if product == "faz":
        return dict(host="127.0.0.1", port=sim.port, username="admin", password=FAZ_PASSWORD, ca_path=sim.ca_path,
                    timeout=BASE_TIMEOUT)
    return dict(api_url=sim.gz_api_url, api_key=GZ_API_KEY, ca_path=sim.ca_path, timeout=BASE_TIMEOUT)


def baseline_args(sim, name, spec):
    """Arguments of a run of module ``name`` that succeeds against the simulator."""
    product = product_of(spec)
    args = connection_args(sim, product)
    if name in KNOWN_ARGS:
        args.update(KNOWN_ARGS[name])
        return args
    for task in module_doc(name) or []:
        for key, value in task.items():
            if key.endswith("." + name) or key == name:
                own = dict((option, item) for option, item in (value or {}).items()
                           if option not in FAZ_CONNECTION + GZ_CONNECTION)
                args.update(own)
                return args
    return args


def with_value(args, path, value, product):
    """``args`` with the option at ``path`` set to ``value`` (a sub-option inside its parent dict).

    Testing an API key or a session id of FortiAnalyzer drops the password login, which would
    otherwise be refused as a second way to log in.
    """
    args = dict(args)
    if product == "faz" and path[0] in ("api_key", "session_id"):
        args.pop("username", None)
        args.pop("password", None)
    if len(path) == 1:
        args[path[0]] = value
        return args
    args[path[0]] = _with_sub_value(args.get(path[0]), path[1:], value)
    return args


def _with_sub_value(container, path, value):
    """``container`` (a dict, or a list of dicts: its first entry) with ``value`` at the sub-option ``path``."""
    if isinstance(container, list):
        first = container[0] if container and isinstance(container[0], dict) else {}
        return [_with_sub_value(first, path, value)] + list(container[1:])
    parent = dict(container) if isinstance(container, dict) else {}
    parent[path[0]] = value if len(path) == 1 else _with_sub_value(parent.get(path[0]), path[1:], value)
    return parent


# -- values ---------------------------------------------------------------------------------------

# Text without lone surrogates (a playbook cannot hold them; JSON cannot carry them to a module).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
ODD_TEXT = st.sampled_from(["", " ", "\t", "\n", " padded ", "trailing\n", "\r\n", "a\x00b", "\x1b[31mred", "\x7f",
                            "line1\nline2", "tab\there", "\u00e4\u00f6\u00fc\u00df", "\u20ac", "\u202egnp.", "\u200b",
                            "\U0001f600", "\ufeffbom", "x" * 10000, "None", "null", "true", "0", "-1", "1e999",
                            "nan", "inf", "-inf", "0x10", "1_000", " 7 ", "12abc", "%s%n", "{{ x }}", "../../etc",
                            "a/b", "a b"])
INTEGERS = st.sampled_from([0, -1, 1, 2, 65535, 65536, 70000, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 + 1, 2 ** 63,
                            2 ** 64, 10 ** 10, 10 ** 30, -(2 ** 31), -(2 ** 63)]) | st.integers()
FLOATS = st.sampled_from([0.0, -0.0, 1e-9, 0.001, 0.5, 1.5, 1e10, 1e300, 1e308, -1.0, math.nan, math.inf,
                          -math.inf]) | st.floats()
WRONG_TYPES = st.sampled_from([None, True, False, [], [1], {}, {"a": 1}, 1.5, 7, "seven"])


def _scalar_for(option_type):
    if option_type == "int":
        return INTEGERS | FLOATS | ODD_TEXT | st.integers().map(str)
    if option_type == "float":
        return FLOATS | INTEGERS | ODD_TEXT | FLOATS.map(repr)
    if option_type == "bool":
        return st.booleans() | st.sampled_from(["yes", "no", "on", "maybe", "1", "0", "", 2, -1])
    return TEXT | ODD_TEXT | INTEGERS | FLOATS


def _host_values(sim):
    port = sim.port
    return st.sampled_from([
        "127.0.0.1", "127.0.0.1:%d" % port, "https://127.0.0.1:%d" % port, "https://127.0.0.1:%d/" % port,
        "http://127.0.0.1:%d" % port, "ftp://127.0.0.1", "127.0.0.1:443:1", "127.0.0.1:0", "127.0.0.1:70000",
        "127.0.0.1:-1", "127.0.0.1:abc", "a b", "", " ", "127.0.0.1\n", " 127.0.0.1 ", "127.0.0.1\r\nX: y",
        "[::1]", "[::1]:%d" % port, "[::1", "::1", "127.0.0.1/jsonrpc", "user:pw@127.0.0.1", "127.0.0.1?x=1",
        "127.0.0.1#frag", "127.0.0.\u0661", "\u0127.0.0.1", "localhost:%d" % port, "//127.0.0.1", "https://",
        "x" * 300, "127.0.0.1:%d%s" % (port, "0" * 30),
    ])


def _url_values(sim):
    base = "https://127.0.0.1:%d" % sim.port
    return st.sampled_from([
        sim.gz_api_url, sim.gz_api_url + "/", base, base + "/api/v1.1/jsonrpc/network", "http://127.0.0.1:%d/api"
        % sim.port, "https://127.0.0.1:70000/api", "https://127.0.0.1:0/api", "https://127.0.0.1:-1/api",
        "https://127.0.0.1:abc/api", "https://127.0.0.1:443:1/api", "https://a b/api", "127.0.0.1/api", "", " ",
        "https://", "https:///api", "ftp://127.0.0.1/api", sim.gz_api_url + "\n", " " + sim.gz_api_url,
        sim.gz_api_url + "?key=1", sim.gz_api_url + "#x", "https://user:pw@127.0.0.1:%d/api" % sim.port,
        "https://[::1/api", "https://[::1]:%d/api" % sim.port, "https://127.0.0.1:%d/api\r\nX: y" % sim.port,
        "https://\u0127.example/api", "//127.0.0.1/api", "x" * 300,
    ])


def values_for(path, option, sim):
    """A strategy of values for the option at ``path`` with argument spec ``option``."""
    name = path[-1]
    option_type = option.get("type", "str")
    if name in WRITTEN_PATHS:
        return _scratch_paths() | WRONG_TYPES
    if name == "host":
        own = _host_values(sim)
    elif name == "api_url":
        own = _url_values(sim)
    elif option.get("choices"):
        own = st.sampled_from(list(option["choices"])) | TEXT | ODD_TEXT
    elif option_type == "list":
        element = _scalar_for(option.get("elements", "str"))
        own = st.lists(element, max_size=5) | st.lists(element, min_size=200, max_size=300) | TEXT | ODD_TEXT
    elif option_type == "dict":
        own = (st.dictionaries(TEXT, _scalar_for("str"), max_size=3) | TEXT | ODD_TEXT)
    else:
        own = _scalar_for(option_type)
    return own | WRONG_TYPES


def _scratch_paths():
    """Paths a module may write to: all inside SCRATCH (or relative: runs happen with SCRATCH as home and cwd)."""
    return st.sampled_from([os.path.join(SCRATCH, "transcript.json"), os.path.join(SCRATCH, "no", "such", "dir.json"),
                            SCRATCH, "", " ", "relative.json", "a\x00b", "\u00e4\u00f6.json", "x" * 300])


@contextlib.contextmanager
def in_scratch_dir():
    """Run with SCRATCH as the working and the home directory (a relative transcript path is taken from
    the home directory: it lands there)."""
    before, home = os.getcwd(), os.environ.get("HOME")
    os.chdir(SCRATCH)
    os.environ["HOME"] = SCRATCH
    try:
        yield
    finally:
        os.chdir(before)
        if home is None:
            os.environ.pop("HOME", None)
        else:
            os.environ["HOME"] = home


def value_kind(value):
    """A short label of what kind of value was tried (for the report)."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if math.isinf(value) else "float")
    if isinstance(value, int):
        return "int<=0" if value <= 0 else ("int>2^31" if value >= 2 ** 31 else "int")
    if isinstance(value, str):
        if not value.strip():
            return "blank"
        if any(ord(char) < 32 or ord(char) == 127 for char in value):
            return "control"
        if any(ord(char) > 127 for char in value):
            return "unicode"
        return "long" if len(value) > 1000 else "text"
    return type(value).__name__


@contextlib.contextmanager
def local_names_only():
    """Name resolution of anything but 127.0.0.1/localhost/::1 fails, as for a name that does not exist."""
    real = socket.getaddrinfo

    def guarded(host, *args, **kwargs):
        name = host.decode("ascii", "replace") if isinstance(host, bytes) else host
        if name not in LOCAL_NAMES:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    with mock.patch.object(socket, "getaddrinfo", guarded):
        yield
