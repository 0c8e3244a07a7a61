#!/usr/bin/env bash
# Create .venv with the pinned development tools (requirements-dev.txt); VENV and REQUIREMENTS
# name another venv and file (the docs and release-check venvs).
# `make venv` calls this only when a requirements file is newer than the venv's stamp,
# so it is cheap to depend on; running it again by hand is harmless.
#
# With UV set (the Makefile sets it to the uv in .venv-uv), the venv is made and filled by uv: about
# 2 seconds for requirements-dev.txt where pip takes 25 on this machine's two cores, and `make test`
# waits for it. Without UV, pip does it (that is how .venv-uv, which holds only uv, is made).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
venv=${VENV:-.venv}
requirements=${REQUIREMENTS:-requirements-dev.txt}
uv=${UV:-}

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "venv: $python is missing or older than 3.11; ansible-core 2.19 needs 3.11+ (set PYTHON=...)" >&2
    exit 1
fi

# This machine's pip config names local index folders that may not exist; pip warns once per
# package about each. Drop those lines, keep everything else (and pip's exit status).
quiet_pip() {
    "$@" 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }
}

if [ -n "$uv" ]; then
    if [ ! -x "$venv/bin/python" ]; then
        echo "venv: creating $venv with $("$python" --version 2>&1) (uv)"
        # uv is given the interpreter's path: left to itself it may pick another Python it knows.
        "$uv" venv --quiet --python "$(command -v "$python")" "$venv"
    fi
    echo "venv: installing $requirements into $venv (uv)"
    # Bytecode is compiled now, on every core, rather than by the first processes of the test lanes,
    # which would each compile the same modules at once.
    "$uv" pip install --quiet --compile-bytecode --python "$venv/bin/python" -r "$requirements"
    exit 0
fi

# Without uv: the venv gets no pip of its own (installing it costs 4 seconds); the creating
# interpreter's pip fills it (pip 22.3+ for --python).
if [ ! -x "$venv/bin/python" ]; then
    echo "venv: creating $venv with $("$python" --version 2>&1)"
    "$python" -m venv --without-pip "$venv"
fi

echo "venv: installing $requirements into $venv"
quiet_pip "$python" -m pip --python "$venv/bin/python" install --quiet --disable-pip-version-check \
    -r "$requirements"
