"""Proxies from the environment and credentials in URLs (issue 20, point 3), modules run in-process.

A malformed HTTPS_PROXY, HTTP_PROXY or ALL_PROXY (either case) is an error naming the variable before
any request; a proxy or an api_url/host holding a user name and password never shows that password in
a message, a warning, the invocation Ansible prints or a transcript.
"""

import importlib.util
import socket

import pytest

from tests.integration.reliability_helpers import faz_args, gz_args
from tests.modules.harness import ModuleHarness

PROXY_PASSWORD = "Pr0xy-Pa55word"
URL_PASSWORD = "Url-Pa55word-99"


class NodeEnvironment:
    """The environment of the managed node the modules run on (the harness starts from a clean one)."""

    def __init__(self, harness):
        self.harness = harness
        self.env = {}

    def setenv(self, name, value):
        self.env[name] = value

    def run(self, module, args):
        return self.harness.run(module, args, env=self.env)


@pytest.fixture
def proxy_env(tmp_path):
    return NodeEnvironment(ModuleHarness(str(tmp_path)))


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def both_products(sim, **extra):
    return (("faz_top_sources_result", faz_args(sim, tid=12450, timeout=2, **extra)),
            ("gz_task_status", gz_args(sim, task_id="65f46d08c6d2865b32048ba3", timeout=2, **extra)))


MALFORMED = [
    ("HTTPS_PROXY", "http://proxy.example.com:31x8", "port"),
    ("https_proxy", "http://proxy.example.com:99999", "port"),
    ("HTTP_PROXY", "http://:3128", "no host"),
    ("ALL_PROXY", "http://bad host!:3128", "host"),
    ("HTTPS_PROXY", "ftp://proxy.example.com:21", "scheme"),
    ("HTTPS_PROXY", "http://user:%s@proxy.example.com:port" % PROXY_PASSWORD, "port"),
]


@pytest.mark.parametrize("variable, value, word", MALFORMED)
def test_a_malformed_proxy_is_named_before_any_request(sim, proxy_env, variable, value, word):
    proxy_env.setenv(variable, value)
    for module, args in both_products(sim):
        run = proxy_env.run(module, args)
        assert run.failed and run.crash is None, run
        assert variable in run.msg and word in run.msg, run.msg
        assert PROXY_PASSWORD not in run.output
    assert sim.log("faz") == [] and sim.log("gz") == []


def test_a_socks_proxy_without_pysocks_is_named(sim, proxy_env):
    if importlib.util.find_spec("socks") is not None:
        pytest.skip("PySocks is installed here")
    proxy_env.setenv("ALL_PROXY", "socks5h://user:%s@127.0.0.1:1080" % PROXY_PASSWORD)
    for module, args in both_products(sim):
        run = proxy_env.run(module, args)
        assert run.failed and run.crash is None, run
        assert "ALL_PROXY" in run.msg and "PySocks" in run.msg, run.msg
        assert PROXY_PASSWORD not in run.output
    assert sim.log("faz") == [] and sim.log("gz") == []


def test_proxy_credentials_are_masked_everywhere(sim, proxy_env, tmp_path):
    proxy_env.setenv("HTTPS_PROXY", "http://user:%s@127.0.0.1:%d" % (PROXY_PASSWORD, closed_port()))
    for module, args in both_products(sim, transcript=str(tmp_path / "run.jsonl")):
        run = proxy_env.run(module, args)
        assert run.failed and run.crash is None, run
        assert PROXY_PASSWORD not in run.output, run.output
    assert PROXY_PASSWORD not in (tmp_path / "run.jsonl").read_text(encoding="utf-8")


def test_credentials_in_api_url_or_host_are_masked(sim, proxy_env):
    gz_url = "https://user:%s@127.0.0.1:%d/api" % (URL_PASSWORD, sim.port)
    faz_host = "https://user:%s@127.0.0.1" % URL_PASSWORD
    runs = [proxy_env.run("gz_task_status", gz_args(sim, task_id="65f46d08c6d2865b32048ba3", api_url=gz_url)),
            proxy_env.run("faz_top_sources_result", faz_args(sim, tid=12450, host=faz_host))]
    for run in runs:
        assert run.failed and run.crash is None, run
        assert "user name or password" in run.msg, run.msg
        assert URL_PASSWORD not in run.output, run.output
