"""Secrets in every form: a server that quotes them back, in any wire form, never gets them into our output.

The simulator's echo mode (docs/simulator.md "Secrets quoted back") appends to each error message
(every call failing: -3 from FortiAnalyzer after the login, HTTP 403 from GravityZone) - or to every
row it returns - every secret of the request in each form a secret takes on the wire:
as sent, JSON-escaped, URL-encoded, base64 in a Basic header and inside the header line, and as servers
in other languages write it (JSON with upper-case hex or ``\\/``, Go's ``\\u003c``, HTML entities named,
decimal and hex, Windows-1252 mojibake, hex, base64url, base64 at each byte offset). Each module
runs through an error path and a success path with each way to authenticate (FortiAnalyzer password,
API key, a caller's session id; GravityZone API key), with secrets that differ in every form (a
password with umlauts, spaces and '+/=' characters). The output (result, message, warnings) and the
transcript the run wrote are searched for every form of every secret given and of every session id
the simulator handed out (secret_helpers.py).

One playbook runs the same through ansible-playbook at -vvv, so messages, warnings, ``raw`` rows and
Ansible's own rendering of a failure are covered too.
"""

import json
import os

import pytest

from tests.integration.property_helpers import baseline_args, module_names, module_spec, product_of
from tests.integration.reliability_helpers import FAZ_API_KEY, GZ_API_KEY, STATIC_SECRETS, SessionRecorder, run_module
from tests.integration.secret_helpers import leaked_forms
from tests.simulator.tamper import ECHO_FORMS

ODD_PASSWORD = "p\u00e4ss w\u00f6rd+/=\u00e9t\u00e9"  # not the admin's: refused, and quoted back
MODULES = module_names()
SPECS = dict((name, module_spec(name)["argument_spec"]) for name in MODULES)
# The error path of every module: every FortiAnalyzer call after the login answers -3, every
# GravityZone request HTTP 403 (docs/simulator.md "Always modes").
FAILING = {"faz_always_code": -3, "gz_always_http": 403}


@pytest.fixture
def issued_sessions(sim):
    recorder = SessionRecorder(sim)
    yield recorder.sessions
    recorder.undo()


def auth_variants(product, session_id):
    """(label, connection overrides, the secrets they carry) for each way to authenticate."""
    if product == "gz":
        return [("api key", {}, {GZ_API_KEY})]
    return [("password", {}, set()),
            ("odd password", {"password": ODD_PASSWORD}, {ODD_PASSWORD}),
            ("api key", {"username": None, "password": None, "api_key": FAZ_API_KEY}, {FAZ_API_KEY}),
            ("session id", {"username": None, "password": None, "session_id": session_id}, {session_id})]


def cases(sim, session_id):
    for name in MODULES:
        spec = SPECS[name]
        for label, overrides, secrets in auth_variants(product_of(spec), session_id):
            base = baseline_args(sim, name, spec)
            base.update(overrides)
            base = dict((key, value) for key, value in base.items() if value is not None)
            for path in ("errors", "rows"):
                yield "%s, %s, quoted in %s" % (name, label, path), name, base, path, secrets


def test_every_secret_form_quoted_back_is_masked(sim, faz_sessions, issued_sessions, tmp_path):
    session_id = faz_sessions.login()
    tried, transcribed = 0, 0
    for label, name, args, where, secrets in cases(sim, session_id):
        sim.reset()
        sim.configure(gz_rate=0, gz_scan_rate_per_minute=0, **(FAILING if where == "errors" else {}))
        sim.echo_secrets(where=where)
        transcript = tmp_path / ("run-%d.jsonl" % tried)
        run = run_module(name, dict(args, transcript=str(transcript)))
        echoed = sim.tamper_report()["echoed"]
        assert run.crash is None, "%s crashed:\n%s" % (label, run.crash)
        assert echoed, "%s: the simulator quoted nothing back (%s)" % (label, run.msg)
        every_secret = set(STATIC_SECRETS) | secrets | issued_sessions
        leaks = leaked_forms(run.output, every_secret)
        assert leaks == [], "%s leaked %s in %s" % (label, [form for _secret, form in leaks], run.output[:2000])
        written = transcript.read_text(encoding="utf-8")
        transcribed += "received raw=" in written  # not where a rows reply has no object to quote in
        leaks = leaked_forms(written, every_secret)
        assert leaks == [], "%s leaked %s in its transcript" % (label, [form for _secret, form in leaks])
        tried += 1
    assert transcribed >= tried // 2, "only %d of %d transcripts hold the quote" % (transcribed, tried)
    assert tried >= 2 * (len(MODULES) + 3 * sum(product_of(SPECS[name]) == "faz" for name in MODULES))
    if os.environ.get("SECOPS_SECRET_FORMS_STATS"):
        with open(os.environ["SECOPS_SECRET_FORMS_STATS"], "w", encoding="utf-8") as stream:
            json.dump({"runs": tried, "forms": len(ECHO_FORMS), "quoted": tried * len(ECHO_FORMS)}, stream)


def test_every_form_is_searched():
    # The search is only as good as the forms it knows: each form the simulator can quote is found.
    from tests.simulator.tamper import secret_forms
    for secret in (ODD_PASSWORD, GZ_API_KEY, FAZ_API_KEY):
        for form in ECHO_FORMS:
            quoted = json.dumps({"msg": "said %s=%s." % (form, secret_forms(secret)[form])})
            assert leaked_forms(quoted, {secret}), (secret, form)
