# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reply bodies: decoded without replacement, JSON of bounded depth with finite numbers, or a problem named."""

from __future__ import annotations

import pytest

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import MalformedResponse
from ansible_collections.secops.async_tasks.plugins.module_utils.replies import MAX_DEPTH, depth_exceeds, field, read_body
from tests.simulator.tamper import deep_json_bytes


@pytest.mark.parametrize("raw, content_type, value", [
    (b'{"a": [1, 2.5, "\xc3\xa4"]}', "application/json", {"a": [1, 2.5, "\u00e4"]}),
    (b'{"a": "\xe4"}', "application/json; charset=ISO-8859-1", {"a": "\u00e4"}),
    (deep_json_bytes(MAX_DEPTH - 1), "application/json", None),
])
def test_good_bodies(raw, content_type, value):
    _text, parsed, problem = read_body(raw, content_type)
    assert problem is None
    if value is not None:
        assert parsed == value


@pytest.mark.parametrize("raw, content_type, problem", [
    (b'{"a": "\xff\xfe"}', "application/json", "not valid UTF-8"),
    (b'{"a": "\xe4"}', "application/json; charset=utf-8", "not valid UTF-8"),
    (b"", "application/json", "an empty body"),
    (b"<html>oops</html>", "text/html", "not JSON"),
    (b'{"a": NaN}', "application/json", "not finite"),
    (b'{"a": -Infinity}', "application/json", "not finite"),
    (b'{"a": 1e999}', "application/json", "not finite"),
    (deep_json_bytes(MAX_DEPTH + 1), "application/json", "nested more than 32"),
    (deep_json_bytes(100000, as_list=False), "application/json", "nested more than 32"),
])
def test_unusable_bodies_say_why(raw, content_type, problem):
    _text, value, found = read_body(raw, content_type)
    assert value is None and problem in found


def test_depth_is_counted_without_recursion():
    nested = []
    for _level in range(50000):
        nested = [nested]
    assert depth_exceeds(nested, 32) and not depth_exceeds({"a": [{"b": 1}]}, 3)
    assert depth_exceeds({"a": [{"b": []}]}, 3)


@pytest.mark.parametrize("value, kind, expected", [
    (5, "int", 5), ("5", "int", 5), (" 7 ", "int", 7), (5.0, "int", 5), ("text", "text", "text"),
    ("65f4", "id", "65f4"), (7, "id", 7), ({}, "object", {}), ([], "list", []), (False, "bool", False),
    (None, "int", None),
])
def test_field_accepts_its_kind(value, kind, expected):
    assert field({"k": value}, "k", kind, "X's reply") == expected


@pytest.mark.parametrize("value, kind, words", [
    (True, "int", "'k' is a boolean, expected an integer"), ("5.5", "int", "expected an integer"),
    ([1], "int", "is a list"), (0, "text", "'k' is a number, expected text"), ({}, "id", "is an object"),
    ("yes", "bool", "expected true or false"), (float("inf"), "int", "is a number"),
])
def test_field_refuses_another_kind_naming_it(value, kind, words):
    with pytest.raises(MalformedResponse) as caught:
        field({"k": value}, "k", kind, "X's reply")
    assert caught.value.msg.startswith("X's reply: ") and words in caught.value.msg


def test_a_required_field_must_be_there():
    with pytest.raises(MalformedResponse) as caught:
        field({}, "tid", "int", "X's reply", required=True)
    assert "X's reply has no 'tid'" in caught.value.msg


# -- issue 20: one rule for numbers, duplicate keys, lone surrogates, a BOM ---------------------

@pytest.mark.parametrize("value, kind, words", [
    (2 ** 64, "int", "beyond 64 bits"),
    (-(2 ** 63) - 1, "int", "beyond 64 bits"),
    (10 ** 30, "count", "beyond 64 bits"),
    (-1, "count", "negative"),
    ("-3", "count", "negative"),
    (2.5, "count", "expected a count"),
    (2.5, "int", "expected an integer"),
])
def test_numbers_out_of_their_range_are_malformed_naming_the_field(value, kind, words):
    with pytest.raises(MalformedResponse) as caught:
        field({"done": value}, "done", kind, "the reply")
    assert "'done'" in caught.value.msg and words in caught.value.msg, caught.value.msg


@pytest.mark.parametrize("value, kind, expected", [(2 ** 64 - 1, "count", 2 ** 64 - 1), (7.0, "count", 7),
                                                   ("12", "count", 12), (0, "count", 0), (-(2 ** 63), "int", -(2 ** 63))])
def test_numbers_in_range_are_read(value, kind, expected):
    assert field({"n": value}, "n", kind, "the reply") == expected


@pytest.mark.parametrize("raw, key", [(b'{"a": 1, "a": 2}', "a"), (b'{"result": [{"data": {"tid": 1, "tid": 2}}]}', "tid")])
def test_duplicate_keys_are_malformed_naming_the_key(raw, key):
    _text, value, problem = read_body(raw, "application/json")
    assert value is None and "duplicate key %r" % key in problem


def test_a_utf8_bom_before_the_json_is_accepted():
    _text, value, problem = read_body(b'\xef\xbb\xbf{"id": 1, "result": {"ok": true}}', "application/json")
    assert problem is None and value == {"id": 1, "result": {"ok": True}}


def test_lone_surrogates_become_replacement_characters_naming_the_field():
    repairs = []
    raw = b'{"result": {"items": [{"name": "ok"}, {"name": "scan \\ud800 x", "\\udc00k": "v"}]}}'
    _text, value, problem = read_body(raw, "application/json", repairs=repairs)
    assert problem is None
    assert value["result"]["items"][1]["name"] == "scan \ufffd x" and value["result"]["items"][1]["\ufffdk"] == "v"
    assert sorted(repairs) == ["result.items[1].name", "result.items[1].\ufffdk"]


def test_a_surrogate_pair_is_left_alone():
    repairs = []
    _text, value, problem = read_body(b'{"a": "\\ud83d\\ude00"}', "application/json", repairs=repairs)
    assert problem is None and value == {"a": "\U0001f600"} and repairs == []
