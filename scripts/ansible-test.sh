#!/usr/bin/env bash
# ansible-test.sh COMMAND [ARGS...]: `ansible-test COMMAND` (sanity, units) on a copy of the working tree.
#
# ansible-test wants the collection at a real .../ansible_collections/NAMESPACE/NAME path (a
# symlink is refused), so the tracked and untracked-but-not-ignored files are copied to
# $ANSIBLE_TEST_ROOT/ansible_collections/NAMESPACE/NAME (default .tmp/sanity; the matrix gives each
# cell its own). tests/output/ of the copy is kept between runs:
# it holds ansible-test's own venv. The per-test venvs live in ~/.ansible/test/venv (--venv
# keeps them apart from .venv, whose tool versions differ), so only the first run on a machine
# installs anything. Extra arguments go to ansible-test (e.g. --test pylint). ansible-test and the
# Python it runs on are the ones first on PATH and in $PYTHON.
set -euo pipefail
if [ $# -eq 0 ]; then
    echo "usage: $0 sanity|units [ANSIBLE-TEST ARGS...]" >&2
    exit 2
fi
command=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

python=${PYTHON:-python}
namespace=$("$python" scripts/collection-info.py namespace)
name=$("$python" scripts/collection-info.py name)
pyver=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
test_root=${ANSIBLE_TEST_ROOT:-.tmp/sanity}
dest=$test_root/ansible_collections/$namespace/$name

mkdir -p "$dest/tests"
find "$dest" -mindepth 1 -maxdepth 1 ! -name tests ! -name .git -exec rm -rf {} +
find "$dest/tests" -mindepth 1 -maxdepth 1 ! -name output -exec rm -rf {} +

# Files git knows or would add; a tracked file deleted in the work tree is skipped.
git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' file; do if [ -e "$file" ]; then printf '%s\0' "$file"; fi; done \
    | tar --null --files-from=- -cf - \
    | tar -xf - -C "$dest"

# ansible-test lists files with git from the nearest .git upwards; without a repo of its own the
# copy would be seen as part of this checkout, where .tmp/ is ignored, and nothing would be tested.
[ -d "$dest/.git" ] || git init --quiet "$dest"

"$python" scripts/ansible-test-pip-bootstrap.py

cd "$dest"
# The first run on a machine installs each test's requirements: drop pip's per-package warnings
# about this machine's absent local index folders (see scripts/venv.sh), keep the rest.
ansible-test "$command" --python "$pyver" --venv "$@" 2>&1 \
    | { grep --line-buffered -v "is ignored: it is neither a file nor a directory" || true; }
