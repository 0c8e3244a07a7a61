# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Redaction: every wire form of a secret is masked, in text and in whole results."""

from __future__ import annotations

import base64
import json
import os
from urllib.parse import quote

import pytest

from ansible_collections.secops.async_tasks.plugins.module_utils.redaction import REDACTED, forms, redact, redact_data
from tests.integration.secret_helpers import leaked_forms
from tests.simulator.tamper import ECHO_FORMS, secret_forms

SECRETS = ["p\u00e4ss w\u00f6rd+/=\u00e9t\u00e9", "simgzkey0123456789abcdef0123456789abcdef", "c2Vzc2lvbi1pZA==",
           'quote"back\\slash']


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize("form", ECHO_FORMS)
def test_every_form_the_simulator_can_quote_is_masked(secret, form):
    header = "Basic " + base64.b64encode((secret + ":").encode()).decode() if form == "header" else None
    quoted = "server said: received %s=%s, end" % (form, secret_forms(secret, header)[form])
    masked = redact(quoted, {secret})
    assert leaked_forms(masked, {secret}) == [] and REDACTED in masked
    assert masked.startswith("server said: received ") and masked.endswith(", end")


def test_forms_include_json_url_base64_and_mojibake():
    secret = SECRETS[0]
    every = forms(secret)
    assert json.dumps(secret)[1:-1] in every and quote(secret, safe="") in every
    assert base64.b64encode((secret + ":").encode()).decode().rstrip("=") in every
    assert secret.encode("utf-8").decode("latin-1") in every


def test_short_secrets_and_empty_text_are_left_alone():
    assert redact("the word abc stays", {"abc", ""}) == "the word abc stays"
    assert redact("", {"secret1"}) == "" and redact(None, {"secret1"}) is None


def test_redact_data_masks_keys_values_and_nested_rows():
    secret = SECRETS[1]
    data = {"rows": [{"raw": {"comment": "Basic " + base64.b64encode((secret + ":").encode()).decode()}}],
            secret: 1, "n": 5, "ok": True, "msg": "url=" + quote(secret)}
    masked = redact_data(data, {secret})
    assert leaked_forms(json.dumps(masked), {secret}) == []
    assert masked["n"] == 5 and masked["ok"] is True and REDACTED in masked
    assert data["msg"] == "url=" + quote(secret)  # the original is not changed


def test_a_growing_set_of_secrets_is_seen():
    secrets = {"first-secret"}
    assert redact("first-secret second-secret", secrets) == REDACTED + " second-secret"
    secrets.add("second-secret")
    assert redact("first-secret second-secret", secrets) == REDACTED + " " + REDACTED


# -- issue 20: the wire forms of servers written in other languages ----------------------------

ODD = "p\u00e4ss<w&rd>/\u00e9t\u00e9'\"x"


@pytest.mark.parametrize("secret", [ODD, "simgzkey0123456789abcdef", "\u20ac\u201cquoted\u201d\u2026"])
@pytest.mark.parametrize("name", ECHO_FORMS[5:])
def test_forms_of_other_languages_are_masked(secret, name):
    quoted = secret_forms(secret)[name]
    masked = redact("the server said [%s] and more" % quoted, {secret})
    assert REDACTED in masked, (name, quoted, masked)
    assert masked.startswith("the server said [") and masked.endswith("] and more")
    if name.startswith("base64"):  # only the bytes around the secret (and padding) may remain
        assert len(masked.replace(REDACTED, "")) <= len("the server said [] and more") + 10
    else:
        assert masked == "the server said [%s] and more" % REDACTED, (name, masked)


def test_one_pattern_for_many_secrets_stays_fast():
    import time
    secrets = set("secret-number-%04d-\u00e4/<>" % number for number in range(50))
    text = ("row %d: nothing to see here, only ordinary log text with spaces and numbers 1234567890 " * 2000)
    redact(text, secrets)  # compiled once
    started = time.perf_counter()
    for dummy in range(5):
        redact(text, secrets)
    assert (time.perf_counter() - started) / 5 < 2.0


# -- the fast scrub: one serialised search, a walk only when a form is there ------------------------

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from ansible_collections.secops.async_tasks.plugins.module_utils.redaction import walk_data  # noqa: E402

# As in test_properties.py: 100 fixed examples in make test, 1000 new ones in make reliability.
SCRUB_EXAMPLES = settings(max_examples=int(os.environ.get("SECOPS_UNIT_PROPERTY_EXAMPLES", "100")), deadline=None,
                          derandomize=os.environ.get("SECOPS_PROPERTY_RANDOM") != "1",
                          suppress_health_check=[HealthCheck.too_slow])
# Characters that JSON escapes, that forms encode, and that a secret may hold.
TEXT = st.text(alphabet=st.sampled_from(list('ab "\\\n\t\x01\u00e4\u00e9+/=%:') + ["\ud800", "\u2028"]),
               max_size=12)


@st.composite
def secret_and_result(draw):
    secret = draw(st.text(alphabet=st.sampled_from(list('pa "\\\u00e4+/=:\n') + ["\ud800"]), min_size=4, max_size=8))
    every = sorted(forms(secret))

    def leaf_text():
        head, kind, tail = draw(st.tuples(TEXT, st.sampled_from(["none", "raw", "form"]), TEXT))
        middle = {"none": "", "raw": secret, "form": draw(st.sampled_from(every)) if every else ""}[kind]
        return head + middle + tail

    strings = st.builds(lambda _: leaf_text(), st.none())
    leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), strings)
    result = draw(st.recursive(leaves, lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(strings, children, max_size=4)), max_leaves=20))
    return secret, result


@SCRUB_EXAMPLES
@given(secret_and_result())
def test_fast_scrub_equals_the_full_walk(drawn):
    secret, result = drawn
    fast = redact_data(result, {secret})
    assert json.dumps(fast, ensure_ascii=False) == json.dumps(walk_data(result, {secret}), ensure_ascii=False)


def test_fast_scrub_returns_a_clean_result_itself_and_masks_a_dirty_one():
    rows = [{"srcip": "10.0.0.%d" % index, "msg": "allowed"} for index in range(1000)]
    assert redact_data(rows, {SECRETS[0]}) is rows
    rows[500]["msg"] = "quoted %s" % quote(SECRETS[0])
    masked = redact_data(rows, {SECRETS[0]})
    assert masked[500]["msg"] == "quoted " + REDACTED and leaked_forms(json.dumps(masked), {SECRETS[0]}) == []


def test_fast_scrub_walks_what_json_cannot_hold():
    value = {frozenset(["a"]): "key %s" % SECRETS[1]}
    assert redact_data(value, {SECRETS[1]}) == {frozenset(["a"]): "key " + REDACTED}
