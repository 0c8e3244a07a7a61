#!/usr/bin/env bash
# Run every molecule scenario in extensions/molecule/ (collection mode: from the collection root),
# with the simulator up and its connection variables in the environment. Skipped while there
# are none.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

scenarios=()
for file in extensions/molecule/*/molecule.yml; do
    [ -e "$file" ] && scenarios+=("$(basename "$(dirname "$file")")")
done
if [ ${#scenarios[@]} -eq 0 ]; then
    echo "molecule: no scenarios in extensions/molecule/ yet; skipped"
    exit 0
fi

# Molecule builds this collection and installs it under $ANSIBLE_HOME/collections before the
# scenarios run. A home of its own per run keeps that out of the user's ~/.ansible, and keeps two
# runs in one checkout from reinstalling the collection under each other's feet.
mkdir -p .tmp/molecule
ANSIBLE_HOME=$(mktemp -d "$root/.tmp/molecule/home.XXXXXX")
export ANSIBLE_HOME
trap 'rm -rf "$ANSIBLE_HOME"' EXIT

echo "molecule: scenarios: ${scenarios[*]}"
# Molecule 26 looks for the `default` scenario before any other (also with -s) and logs "CRITICAL
# ... default/molecule.yml glob failed" without one: extensions/molecule/default is the demo.
scripts/with-simulator.sh molecule test --all "$@"
