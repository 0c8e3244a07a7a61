"""The simulator's echo mode (secrets quoted back in every form) and hostile mode (seeded bad replies)."""

import base64
import json
import random

import pytest

from tests.simulator import tamper
from tests.simulator.common import Reply

FAZ_API_KEY = "simfazkey0123456789abcdefghijk"
GZ_API_KEY = "simgzkey0123456789abcdef0123456789abcdef"

UMLAUT_PASSWORD = "p\u00e4ssw\u00f6rd-\u00e9t\u00e9"
LOGIN_REPLY = {"id": 1, "result": [{"status": {"code": 0, "message": "OK"}, "url": "/sys/login/user"}],
               "session": "c2Vzc2lvbg=="}


def message_of(answer):
    """The status message of a FortiAnalyzer legacy answer."""
    return answer["result"][0]["status"]["message"]


# -- the forms of a secret ---------------------------------------------------------------------

def test_secret_forms_are_the_wire_forms():
    forms = tamper.secret_forms(UMLAUT_PASSWORD)
    assert forms["raw"] == UMLAUT_PASSWORD
    assert forms["json"] == "p\\u00e4ssw\\u00f6rd-\\u00e9t\\u00e9"
    assert forms["url"] == "p%C3%A4ssw%C3%B6rd-%C3%A9t%C3%A9"
    assert base64.b64decode(forms["basic"].split()[1]).decode("utf-8") == UMLAUT_PASSWORD + ":"
    assert forms["header"] == "Authorization: Bearer " + UMLAUT_PASSWORD


def test_a_basic_header_is_quoted_as_it_travelled():
    header = "Basic " + base64.b64encode((GZ_API_KEY + ":").encode()).decode()
    forms = tamper.secret_forms(GZ_API_KEY, header)
    assert forms["basic"] == header and forms["header"] == "Authorization: " + header


def test_request_secrets_finds_key_password_and_session():
    body = json.dumps({"method": "exec", "session": "sid-1234", "params": [
        {"url": "/sys/login/user", "data": {"user": "admin", "passwd": UMLAUT_PASSWORD}}]}).encode()
    found = tamper.request_secrets(body, "Bearer " + FAZ_API_KEY)
    assert [secret for secret, _header in found] == [FAZ_API_KEY, UMLAUT_PASSWORD, "sid-1234"]
    basic = "Basic " + base64.b64encode((GZ_API_KEY + ":").encode()).decode()
    assert tamper.request_secrets(b"not json", basic) == [(GZ_API_KEY, basic)]


# -- echo through the server -------------------------------------------------------------------

def test_echo_quotes_a_faz_password_in_every_form(client, sim):
    sim.echo_secrets()
    message = message_of(client.login("admin", UMLAUT_PASSWORD))
    assert message.startswith("Login fail (received ")
    for form, text in tamper.secret_forms(UMLAUT_PASSWORD).items():
        assert "%s=%s" % (form, text) in message
    assert sim.tamper_report()["echoed"] == 1


def test_echo_leaves_successful_answers_alone_unless_rows(client, sim):
    sim.echo_secrets(forms=["raw"])
    done = client.fortiview("get", "top-sources", tid=12450)
    assert "received" not in json.dumps(done)
    sim.echo_secrets(forms=["header"], where="rows")
    rows = client.fortiview("get", "top-sources", tid=12450)["result"][0]["data"]["sources"]
    assert rows and all(row["comment"] == "received header=Authorization: Bearer " + FAZ_API_KEY for row in rows)


def test_echo_quotes_a_faz_bearer_key_in_an_error(client, sim):
    sim.echo_secrets(forms=["raw", "json"])
    message = message_of(client.fortiview("get", "top-sources", tid=99999))
    assert message == "Invalid task ID (received raw=%s; json=%s)" % (FAZ_API_KEY, FAZ_API_KEY)


def test_echo_quotes_a_gz_key_in_a_401_and_in_rpc_errors(client, sim):
    sim.echo_secrets(forms=["basic", "url"])
    wrong = "wr\u00f6ngkey0123456789"
    refused = client.gz({"method": "getTaskStatus", "params": {}}, key=wrong)
    assert refused.status_code == 401
    assert tamper.secret_forms(wrong)["url"] in refused.text
    assert base64.b64encode((wrong + ":").encode("latin-1")).decode() in refused.text  # as requests sent it
    answer = client.task_status("0123456789abcdef01234567")
    sent = "Basic " + base64.b64encode((GZ_API_KEY + ":").encode()).decode()
    assert "basic=" + sent in answer["error"]["message"] and "basic=" + sent in answer["error"]["data"]["details"]


def test_echo_settings_are_checked(client, sim):
    assert client.control("POST", "echo", {"forms": ["rot13"]}).status_code == 400
    assert client.control("POST", "echo", {"where": "headers"}).status_code == 400
    assert client.control("POST", "echo", {"forms": ["raw"], "products": ["gz"]}).json()["products"] == ["gz"]
    assert "received" not in message_of(client.login("admin", "wrong-password"))  # faz not echoed
    client.control("DELETE", "tamper")
    assert client.control("GET", "tamper").json()["echo"] is None


# -- hostile replies: pure generator -----------------------------------------------------------

def genuine():
    return Reply(200, json.loads(json.dumps(LOGIN_REPLY)))


def value_at(body, at):
    for step in at:
        body = body[step]
    return body


@pytest.mark.parametrize("seed", range(40))
def test_retype_changes_the_type_at_the_logged_path(seed):
    reply, alteration = tamper.hostile_reply(random.Random(seed), "retype", genuine())
    body = json.loads(reply.encode())
    old, new = value_at(LOGIN_REPLY, alteration.at), value_at(body, alteration.at)
    assert tamper._json_kind(old) != tamper._json_kind(new) or old != new  # pylint: disable=protected-access
    assert alteration.path == tamper.path_shape(alteration.at)


@pytest.mark.parametrize("seed", range(20))
def test_drop_removes_the_logged_key(seed):
    reply, alteration = tamper.hostile_reply(random.Random(seed), "drop", genuine())
    body = json.loads(reply.encode())
    parent = value_at(body, alteration.at[:-1])
    assert alteration.at[-1] not in parent


@pytest.mark.parametrize("seed", range(20))
def test_bytes_are_not_utf8_but_still_labelled_json(seed):
    reply, _alteration = tamper.hostile_reply(random.Random(seed), "bytes", genuine())
    assert reply.content_type.startswith("application/json")
    with pytest.raises(UnicodeDecodeError):
        reply.encode().decode("utf-8")


@pytest.mark.parametrize("seed", range(20))
def test_deep_nests_past_the_logged_depth(seed):
    reply, alteration = tamper.hostile_reply(random.Random(seed), "deep", genuine())
    depth = int(alteration.detail.split()[0])
    assert depth in tamper.DEPTHS
    assert reply.encode().count(b"[" if "lists" in alteration.detail else b"{") >= depth


def test_trees_are_json_and_paths_are_picked_by_shape():
    for seed in range(30):
        reply, _alteration = tamper.hostile_reply(random.Random(seed), "tree", genuine())
        json.loads(reply.encode())
    rows = {"result": [{"data": {"rows": [{"a": 1, "b": 2}] * 50}, "status": {"code": 0}}]}
    picks = [tamper.path_shape(tamper.pick_path(random.Random(seed), rows)) for seed in range(400)]
    # 11 shapes; the 100 row cells must not drown the envelope
    assert picks.count("result.*.status.code") > 15 and picks.count("result.*.data.rows.*.a") < 70


def test_text_replies_become_trees():
    reply, alteration = tamper.hostile_reply(random.Random(3), "retype", Reply(401, "Unauthorized\n"))
    assert alteration.kind == "tree"
    json.loads(reply.encode())


# -- hostile replies through the server --------------------------------------------------------

def answers(client, count=12):
    """The raw bodies of ``count`` FortiView reads of two tasks."""
    return [client.faz({"method": "get", "params": [{"url": "/fortiview/adom/root/top-sources/run/%d"
                                                     % (12450 + index % 2)}]},
                       headers={"Authorization": "Bearer " + FAZ_API_KEY}).content for index in range(count)]


def test_the_same_seed_gives_the_same_replies(client, sim):
    sim.set_hostile(seed=7, products=["faz"])
    first = answers(client)
    first_log = sim.tamper_report()["log"]
    sim.set_hostile(seed=7, products=["faz"])
    assert answers(client) == first and sim.tamper_report()["log"] == first_log
    sim.set_hostile(seed=8, products=["faz"])
    assert answers(client) != first
    assert sim.tamper_report()["altered"] == 12


def test_hostile_filters_and_reset(client, sim):
    sim.set_hostile(seed=1, kinds=["tree"], exclude_auth=True)
    assert client.login()["result"][0]["status"]["code"] == 0  # login spared
    sim.set_hostile(seed=1, kinds=["bytes"], methods=["getTaskStatus"])
    assert client.fortiview("get", "top-sources", tid=12450)["result"][0]["status"]["code"] == 0
    with pytest.raises(UnicodeDecodeError):
        client.gz({"method": "getTaskStatus", "params": {"taskId": "65f46d08c6d2865b32048ba3"}}).content.decode()
    assert client.control("POST", "hostile", {"kinds": ["lies"]}).status_code == 400
    assert client.control("POST", "hostile", {"rate": 2}).status_code == 400
    sim.reset()
    assert sim.tamper_report() == {"echo": None, "hostile": None, "echoed": 0, "altered": 0, "log": []}


def test_the_product_state_changes_as_usual(client, sim):
    sim.set_hostile(seed=2, kinds=["tree"])
    client.faz({"method": "add", "params": [{"url": "/fortiview/adom/root/top-sources/run", "apiver": 3}]},
               headers={"Authorization": "Bearer " + FAZ_API_KEY})
    assert sim.faz_tasks_created() == 1  # the task exists; only its answer was lost
