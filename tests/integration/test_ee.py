"""The execution environment definition: ``ansible-builder create`` makes a build context that installs
``requests`` and this collection.

Offline: nothing is built or pulled (no container runtime here). The collection tarball is built
from the checkout into a temp dir laid out like a checkout after ``make build``, ``ansible-builder
create`` writes the context next to it, and the test reads the generated files.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile

import pytest
import yaml

from tests.integration.helpers import ROOT

TOOL_TIMEOUT = 180


def tool(name):
    """An executable installed next to the Python running the tests (make venv puts them in .venv)."""
    path = os.path.join(os.path.dirname(sys.executable), name)
    if not os.access(path, os.X_OK):
        pytest.fail("%s not found next to %s: it is in requirements-dev.txt, run `make venv`" % (name, sys.executable))
    return path


def run(args, cwd):
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=TOOL_TIMEOUT, check=False)
    assert done.returncode == 0, "%s exited %d:\n%s\n%s" % (" ".join(args), done.returncode, done.stdout, done.stderr)
    return done


def load_yaml(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def galaxy():
    return load_yaml(os.path.join(ROOT, "galaxy.yml"))


@pytest.fixture(scope="module")
def context(tmp_path_factory, galaxy):
    """The build context ansible-builder creates from execution-environment.yml: its directory."""
    project = tmp_path_factory.mktemp("ee-project")
    for name in ("execution-environment.yml", "requirements.txt"):
        shutil.copy(os.path.join(ROOT, name), project / name)
    run([tool("ansible-galaxy"), "collection", "build", "--force", "--output-path", str(project / "dist")], cwd=ROOT)
    out = project / "context"
    run([tool("ansible-builder"), "create", "--file", str(project / "execution-environment.yml"),
         "--context", str(out), "--output-filename", "Containerfile"], cwd=str(project))
    return out


def test_definition_is_version_3_and_tagged_with_the_collection_version(galaxy):
    definition = load_yaml(os.path.join(ROOT, "execution-environment.yml"))
    assert definition["version"] == 3
    assert definition["options"]["tags"] == ["secops-async-tasks-ee:%s" % galaxy["version"]]


def test_context_installs_a_supported_ansible_core(context):
    """Every ansible-core minor the compatibility matrix supports, and none after the last."""
    from packaging.specifiers import SpecifierSet  # pylint: disable=import-outside-toplevel
    from packaging.version import Version  # pylint: disable=import-outside-toplevel

    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    try:
        import matrix  # pylint: disable=import-outside-toplevel
    finally:
        sys.path.pop(0)
    containerfile = (context / "Containerfile").read_text(encoding="utf-8")
    pinned = re.search(r'ANSIBLE_INSTALL_REFS="ansible-core([^"\s]*)', containerfile)
    assert pinned, containerfile
    allowed = SpecifierSet(pinned.group(1))
    for minor in matrix.CORES:
        assert Version(minor + ".0") in allowed and Version(minor + ".99") in allowed, (minor, pinned.group(1))
    last = Version(max(matrix.CORES, key=Version))
    assert Version("%d.%d.0" % (last.major, last.minor + 1)) not in allowed, pinned.group(1)


def test_context_installs_requests(context):
    with open(context / "_build" / "requirements.txt", encoding="utf-8") as handle:
        wanted = [line.strip() for line in handle if line.strip() and not line.lstrip().startswith("#")]
    assert any(re.match(r"^requests\b", line) for line in wanted), wanted

    containerfile = (context / "Containerfile").read_text(encoding="utf-8")
    # The builder stage resolves the user's requirements with the collections' own into wheels,
    # which the final stage installs.
    assert "COPY _build/requirements.txt requirements.txt" in containerfile
    assert re.search(r"introspect\.py introspect --user-pip=requirements\.txt", containerfile), containerfile
    assert "/output/scripts/install-from-bindep" in containerfile


def test_context_installs_this_collection(context, galaxy):
    tarball = "%s-%s-%s.tar.gz" % (galaxy["namespace"], galaxy["name"], galaxy["version"])
    requirements = load_yaml(context / "_build" / "requirements.yml")
    assert requirements["collections"] == [{"name": "/build/collections/%s" % tarball, "type": "file"}], (
        "execution-environment.yml does not name the tarball of galaxy.yml's version %s" % galaxy["version"])

    containerfile = (context / "Containerfile").read_text(encoding="utf-8")
    galaxy_stage = containerfile.split("FROM base AS galaxy", 1)[1].split("FROM base AS builder", 1)[0]
    # /build/collections/ inside the image is _build/collections/ of the context.
    assert "COPY _build /build" in galaxy_stage
    assert re.search(r"ansible-galaxy collection install .*-r requirements\.yml", galaxy_stage), galaxy_stage
    assert "COPY --from=galaxy /usr/share/ansible /usr/share/ansible" in containerfile.split("FROM base AS final", 1)[1]

    with tarfile.open(context / "_build" / "collections" / tarball) as archive:
        manifest = json.load(archive.extractfile("MANIFEST.json"))["collection_info"]
        meta_ee = yaml.safe_load(archive.extractfile("meta/execution-environment.yml"))
        shipped_requirements = archive.extractfile("requirements.txt").read().decode("utf-8")
        names = archive.getnames()
    assert (manifest["namespace"], manifest["name"], manifest["version"]) == (
        galaxy["namespace"], galaxy["name"], galaxy["version"])
    # What ansible-builder's introspection reads from an installed collection: the same requirements.
    assert meta_ee["dependencies"]["python"] == "requirements.txt"
    assert re.search(r"^requests\b", shipped_requirements, re.MULTILINE)
    assert "roles/fortiview_report/tasks/main.yml" in names
    assert "playbooks/gz_gate.yml" in names
