# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The input model: bounds by option name, rules by type, keys stripped, hosts and URLs parsed."""

from __future__ import annotations

import importlib
import math

import pytest

from ansible_collections.secops.async_tasks.plugins.module_utils import inputs, specs
from ansible_collections.secops.async_tasks.plugins.module_utils.errors import InvalidInput
from tests.integration.property_helpers import COLLECTION_MODULES, module_names, module_spec, option_paths

SPEC = dict(
    tid=dict(type="int"), tids=dict(type="list", elements="int"), port=dict(type="int"),
    poll_interval=dict(type="float"), adom=dict(type="str"), ca_path=dict(type="path"),
    api_key=dict(type="str", no_log=True), password=dict(type="str", no_log=True),
    session_id=dict(type="str", no_log=True), device=dict(type="list", elements="raw"),
    time_range=dict(type="dict", options=dict(last=dict(type="str"))), other=dict(type="int"),
)
BOUNDS = specs.merged(specs.FAZ_CONNECTION_BOUNDS, specs.FAZ_RESULT_BOUNDS, specs.WAIT_BOUNDS)


def refused(**params):
    with pytest.raises(InvalidInput) as caught:
        inputs.check_params(SPEC, params, BOUNDS)
    return caught.value


@pytest.mark.parametrize("params, option, words", [
    ({"tid": 0}, "tid", "tid must be a positive integer task id up to 2147483647"),
    ({"tid": 2 ** 31}, "tid", "got 2147483648"),
    ({"tids": [12450, -1]}, "tids", "tids must be a positive integer"),
    ({"port": 70000}, "port", "port 70000 is not a TCP port (1-65535)"),
    ({"poll_interval": math.nan}, "poll_interval", "poll_interval must be a finite number, got nan"),
    ({"poll_interval": math.inf}, "poll_interval", "finite"),
    ({"poll_interval": 1e-9}, "poll_interval", "from 0.25 to 3600"),
    ({"other": 2 ** 70}, "other", "too large"),
    ({"port": True}, "port", "port must be a number, got True"),
    ({"tids": [False]}, "tids", "tids must be a number, got False"),
    ({"adom": "root\r\nX: y"}, "adom", "must not contain control characters (found U+000D at position 4"),
    ({"adom": "a\ud800b"}, "adom", "unpaired surrogate"),
    ({"ca_path": "/tmp/a\x00b"}, "ca_path", "U+0000"),
    ({"device": [{"devid": "FG\n1"}]}, "device", "control characters"),
    ({"time_range": {"last": "1h\x1b"}}, "time_range.last", "U+001B"),
    ({"tids": [1] * 10001}, "tids", "at most 10000"),
])
def test_refusals_name_the_option(params, option, words):
    error = refused(**params)
    assert error.details["option"] == option and words in error.msg, error.msg


@pytest.mark.parametrize("key", ["simkey\x00x", "sim\u20ackey", "a\tb", "line1\nline2"])
def test_an_unsendable_api_key_is_refused_without_showing_it(key):
    error = refused(api_key=key)
    assert error.details["option"] == "api_key" and "cannot be sent" in error.msg
    assert key.strip() not in error.msg and repr(key) not in error.msg


def test_keys_lose_surrounding_whitespace_and_blank_keys_are_unset():
    params = {"api_key": "  simkey0123\n", "session_id": "\tc2Vzc2lvbg==\r\n", "password": " pass word \n"}
    inputs.check_params(SPEC, params)
    assert params == {"api_key": "simkey0123", "session_id": "c2Vzc2lvbg==", "password": " pass word \n"}
    blank = {"api_key": " \n"}
    inputs.check_params(SPEC, blank)
    assert blank == {"api_key": None}


def test_unicode_passwords_and_names_pass():
    params = {"password": "p\u00e4ss w\u00f6rd\u20ac", "adom": "Filiale-M\u00fcnchen", "tid": 2 ** 31 - 1,
              "device": [{"devid": "All_FortiGate", "n": 3}], "poll_interval": 0.25}
    inputs.check_params(SPEC, dict(params))


@pytest.mark.parametrize("host, port, expected", [
    ("faz.example.com", 443, ("faz.example.com", 443)),
    (" faz.example.com:8443 ", 443, ("faz.example.com", 8443)),
    ("https://10.0.0.5:4443/jsonrpc", 443, ("10.0.0.5", 4443)),
    ("[2001:db8::5]:8443", 443, ("[2001:db8::5]", 8443)),
    ("2001:db8::5", 443, ("[2001:db8::5]", 443)),
    ("b\u00fccher.example", 443, ("xn--bcher-kva.example", 443)),
    ("127.0.0.1\r\n", 443, ("127.0.0.1", 443)),  # surrounding whitespace is not part of it
])
def test_hosts_split(host, port, expected):
    assert inputs.split_host(host, port) == expected


@pytest.mark.parametrize("host, words", [
    ("127.0.0.1:443:1", "is not a host name or address"),
    ("a b", "' ' at position 1"),
    ("127.0.0.1:0", "'0' is not a TCP port"),
    ("127.0.0.1:70000", "'70000' is not a TCP port"),
    ("//127.0.0.1", "is not a host name"),
    ("https://", "is not a host name"),
    ("[]", "is not a host name"),
    ("[1]", "is not a host name"),
    ("[127.0.0.1]", "is not a host name"),
    ("x" * 300, "is not a host name"),
    ("http://127.0.0.1", "https only"),
    ("user:pw@127.0.0.1", "without a user name or password"),
    ("127.0.0.1\r\nX: y", "control characters"),
    ("", "host is required"),
])
def test_bad_hosts_are_refused_naming_host(host, words):
    with pytest.raises(InvalidInput) as caught:
        inputs.split_host(host, 443)
    assert caught.value.details["option"] == "host" and words in caught.value.msg, caught.value.msg


@pytest.mark.parametrize("url, expected", [
    ("https://cloud.gravityzone.bitdefender.com/api", ("cloud.gravityzone.bitdefender.com", None, "/api")),
    ("https://127.0.0.1:8443/api/", ("127.0.0.1", 8443, "/api/")),
    ("https://[::1]:8443/api", ("[::1]", 8443, "/api")),
])
def test_urls_split(url, expected):
    assert inputs.split_url(url) == expected


@pytest.mark.parametrize("url, words", [
    ("https://127.0.0.1:70000/api", "is not a TCP port"),
    ("https://127.0.0.1:443:1/api", "is not a host name"),
    ("https://a b/api", "' ' at position 9"),
    ("127.0.0.1/api", "is not a URL"),
    ("ftp://127.0.0.1/api", "https only"),
    ("https://user:pw@127.0.0.1/api", "without a user name or password"),
    ("https:///api", "is not a host name"),
    ("https://127.0.0.1/api\r\nX: y", "control characters"),
])
def test_bad_urls_are_refused_naming_the_option(url, words):
    with pytest.raises(InvalidInput) as caught:
        inputs.split_url(url)
    assert caught.value.details["option"] == "api_url" and words in caught.value.msg, caught.value.msg


def module_bounds(name):
    return importlib.import_module(COLLECTION_MODULES + name).bounds()


@pytest.mark.parametrize("name", module_names())
def test_every_number_option_of_every_module_has_bounds(name):
    spec = module_spec(name)["argument_spec"]
    numbers = [path[-1] for path, option in option_paths(spec)
               if option.get("type") in ("int", "float") or option.get("elements") in ("int", "float")]
    bounds = module_bounds(name)
    texts = [path[-1] for path, option in option_paths(spec) if option.get("type", "str") == "str"]
    assert numbers and [option for option in numbers if option not in bounds] == []
    assert all(isinstance(bounds[option], inputs.Bound) for option in numbers)
    assert all(isinstance(bound, inputs.TextBound) for option, bound in bounds.items() if option not in numbers)
    assert sorted(set(bounds) - set(numbers) - set(texts)) == [], "bounds of options the module does not have"


def checked(name, **params):
    """The InvalidInput of module ``name``'s input model on ``params`` (its spec and its own bounds)."""
    with pytest.raises(InvalidInput) as caught:
        inputs.check_params(module_spec(name)["argument_spec"], params, module_bounds(name))
    return caught.value


# Each case was a second check in a runner that disagreed with the one bound of the input model.
def test_scan_list_per_page_is_bounded_by_its_module_not_a_shared_name():
    # inputs.BOUNDS["per_page"] allowed 1000 (gz_task_status' subtask pages); gz_run_scan_list refused 101 later
    error = checked("gz_scan_task_info", per_page=101)
    assert error.details["option"] == "per_page" and "per_page must be between 1 and 100, got 101" in error.msg
    inputs.check_params(module_spec("gz_task_status")["argument_spec"], {"per_page": 1000}, module_bounds("gz_task_status"))


def test_max_rows_of_each_search_is_bounded_by_the_input_model():
    # searches[].max_rows escaped the model (a list of dicts) and was refused later as plain "max_rows"
    error = checked("faz_log_search", searches=[{"logtype": "traffic"}, {"logtype": "event", "max_rows": 100001}])
    assert error.details["option"] == "searches[1].max_rows"
    assert "searches[1].max_rows must be from 0 (only count) to 100000, got 100001" in error.msg
    assert checked("faz_log_search", max_rows=-5).details["option"] == "max_rows"


def test_tid_has_one_bound():
    # faz_views.validate_tid accepted any positive integer; the model stopped at 2**31-1
    from ansible_collections.secops.async_tasks.plugins.module_utils.faz_views import validate_tid
    with pytest.raises(InvalidInput) as caught:
        validate_tid(2 ** 31)
    assert caught.value.msg == checked("faz_fortiview_task", tid=2 ** 31).msg


@pytest.mark.parametrize("name, value, words", [
    ("tid", math.inf, "tid must be a finite integer, got inf"),
    ("tid", " -Infinity ", "finite integer"),
    ("tids", [1, "inf"], "tids must be a finite integer"),
    ("time_range", True, "time_range must be a dictionary (or, for a list, dictionaries) with the keys last, got True"),
    ("time_range", "", "must be a dictionary"),
    ("time_range", [1], "must be a dictionary"),
])
def test_values_ansible_would_crash_on_are_set_aside(name, value, words):
    params = {name: value, "adom": "root"}
    problems = inputs.prevalidate(SPEC, params)
    assert params == {name: None, "adom": "root"}
    assert len(problems) == 1 and words in problems[0].msg and problems[0].details["option"] == name


def test_values_ansible_converts_are_left_to_it():
    params = {"tid": "12450", "tids": [1, "2"], "time_range": "last=1h", "port": 1e300, "poll_interval": math.nan}
    assert inputs.prevalidate(SPEC, dict(params)) == []


# -- issue 20: '#', '?' and whitespace in an address; the size of a log-search filter -------------
@pytest.mark.parametrize("host", ["faz.example.com#frag", "faz.example.com?x=1", "faz.example.com/jsonrpc?x=1",
                                  "https://faz.example.com/#", "faz .example.com", "faz.example.com:443 x",
                                  "faz.\u00a0example.com"])
def test_a_host_with_a_fragment_query_or_space_is_refused(host):
    with pytest.raises(InvalidInput) as caught:
        inputs.split_host(host, 443)
    assert caught.value.details["option"] == "host" and "host" in caught.value.msg, caught.value.msg
    assert "'#', '?' or whitespace" in caught.value.msg, caught.value.msg


@pytest.mark.parametrize("url", ["https://gz.example.com/api?x=1", "https://gz.example.com/api#x", "https://gz.example.com/a pi",
                                 "https://gz.example.com?/api", "https://gz.example.com/a\u2003pi"])
def test_an_api_url_with_a_fragment_query_or_space_is_refused(url):
    with pytest.raises(InvalidInput) as caught:
        inputs.split_url(url)
    assert caught.value.details["option"] == "api_url" and "'#', '?' or whitespace" in caught.value.msg, caught.value.msg


@pytest.mark.parametrize("name", ["faz_log_search", "faz_fortiview_task"])
def test_a_filter_has_a_maximum_size(name):
    longest = ("srcip=10.0.0.1 or " * (specs.MAX_FILTER_CHARS // 18 + 1))[:specs.MAX_FILTER_CHARS]
    inputs.check_params(module_spec(name)["argument_spec"], {"filter": longest}, module_bounds(name))
    cases = [({"filter": "x" * (specs.MAX_FILTER_CHARS + 1)}, "filter")]
    if name == "faz_log_search":
        cases.append(({"searches": [{"logtype": "traffic"}, {"logtype": "event", "filter": "y" * 100000}]}, "searches[1].filter"))
    for params, option in cases:
        error = checked(name, **params)
        assert error.details["option"] == option, error.msg
        assert "at most %d characters" % specs.MAX_FILTER_CHARS in error.msg and len(error.msg) < 300
