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
# scenarios run; keep that (and its inventories) in .tmp, not in the user's ~/.ansible.
export ANSIBLE_HOME=$root/.tmp/molecule/ansible-home
mkdir -p "$ANSIBLE_HOME"

echo "molecule: scenarios: ${scenarios[*]}"
exec scripts/with-simulator.sh molecule test --all "$@"
