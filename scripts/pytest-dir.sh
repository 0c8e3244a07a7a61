#!/usr/bin/env bash
# pytest on one test folder (tests/unit, tests/integration). A folder with no test files yet is
# skipped with a message; once it has test files, "no tests collected" (exit 5) is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1
shift

if [ -z "$(find "$dir" -name 'test_*.py' -o -name '*_test.py' 2>/dev/null | head -n 1)" ]; then
    echo "pytest: no test files under $dir yet; skipped"
    exit 0
fi
exec python -m pytest "$dir" "$@"
