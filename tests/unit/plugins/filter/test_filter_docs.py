"""Every filter in plugins/filter documents itself through ansible-doc (DOCUMENTATION, EXAMPLES, RETURN)."""

import json
import os
import subprocess
import sys

import yaml

from tests.conftest import DEV_COLLECTIONS, ROOT

FILTER_DIR = os.path.join(ROOT, "plugins", "filter")
FILTERS = sorted(name[:-3] for name in os.listdir(FILTER_DIR) if name.endswith(".py") and not name.startswith("_"))


def ansible_doc_command():
    """ansible-doc of the ansible-core the tests import: the script beside this Python when there is one,
    else that core's CLI module (ansible-test's units venv has the package but no console scripts)."""
    script = os.path.join(os.path.dirname(sys.executable), "ansible-doc")
    if os.access(script, os.X_OK):
        return [script]
    return [sys.executable, "-m", "ansible.cli.doc"]


def test_ansible_doc_reads_every_filter():
    names = ["secops.async_tasks." + name for name in FILTERS]
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=DEV_COLLECTIONS, ANSIBLE_NOCOLOR="1")
    run = subprocess.run(ansible_doc_command() + ["-t", "filter", "--json"] + names, env=env, capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stderr
    assert "WARNING" not in run.stderr and "ERROR" not in run.stderr, run.stderr
    docs = json.loads(run.stdout)
    assert sorted(docs) == names
    for name, doc in docs.items():
        assert doc["doc"]["name"] == name.split(".")[-1]
        assert doc["doc"]["short_description"] and doc["doc"]["description"], name
        assert doc["doc"]["version_added"] == "0.1.0", name
        assert "_input" in doc["doc"]["options"], name
        assert doc["return"]["_value"]["description"], name
        assert "secops.async_tasks." + doc["doc"]["name"] in doc["examples"], name
        yaml.safe_load(doc["examples"])  # the examples are valid YAML
