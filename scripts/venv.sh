#!/usr/bin/env bash
# Create .venv with the pinned development tools (requirements-dev.txt); VENV and REQUIREMENTS
# name another venv and file (the docs and release-check venvs).
# `make venv` calls this only when a requirements file is newer than the venv's stamp,
# so it is cheap to depend on; running it again by hand is harmless.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
venv=${VENV:-.venv}
requirements=${REQUIREMENTS:-requirements-dev.txt}

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "venv: $python is missing or older than 3.11; ansible-core 2.19 needs 3.11+ (set PYTHON=...)" >&2
    exit 1
fi

if [ ! -x "$venv/bin/python" ]; then
    echo "venv: creating $venv with $("$python" --version 2>&1)"
    "$python" -m venv "$venv"
fi

echo "venv: installing $requirements into $venv"
# This machine's pip config names local index folders that may not exist; pip warns once per
# package about each. Drop those lines, keep everything else (and pip's exit status).
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" 2>&1 \
    | { grep -v "is ignored: it is neither a file nor a directory" || true; }
