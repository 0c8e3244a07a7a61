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

# The scenarios run the collection `make install` installed from the built tarball (what ships, as in
# the integration tests), not a copy molecule would build and install once per scenario: every
# scenario has `prerun: false`. A home of its own per run keeps Ansible's temporary files and caches
# out of the user's ~/.ansible.
collections=${SECOPS_COLLECTIONS_PATH:-$root/.tmp/collections}
python=${PYTHON:-python}
installed=$collections/ansible_collections/$("$python" scripts/collection-info.py namespace)/$("$python" scripts/collection-info.py name)
if [ ! -d "$installed" ]; then
    echo "molecule: the collection is not installed in $collections (run make install)" >&2
    exit 1
fi
export ANSIBLE_COLLECTIONS_PATH=$collections
mkdir -p .tmp/molecule
ANSIBLE_HOME=$(mktemp -d "$root/.tmp/molecule/home.XXXXXX")
export ANSIBLE_HOME
trap 'rm -rf "$ANSIBLE_HOME"' EXIT

# Every ansible-playbook start (molecule's steps and the runs a verify step starts) adds a line to a
# tally; more than SECOPS_MAX_PLAYBOOK_RUNS (the Makefile sets it) fails the stage.
export SECOPS_PLAYBOOK_TALLY_FILE=$ANSIBLE_HOME/playbook-runs.txt
: >"$SECOPS_PLAYBOOK_TALLY_FILE"
export ANSIBLE_CALLBACK_PLUGINS=$root/tests/integration/callback_plugins
export ANSIBLE_CALLBACKS_ENABLED=playbook_tally

echo "molecule: scenarios: ${scenarios[*]}"
# Molecule 26 looks for the `default` scenario before any other (also with -s) and logs "CRITICAL
# ... default/molecule.yml glob failed" without one: extensions/molecule/default is the demo.
scripts/with-simulator.sh molecule test --all "$@"

runs=$(wc -l <"$SECOPS_PLAYBOOK_TALLY_FILE")
limit=${SECOPS_MAX_PLAYBOOK_RUNS:-}
echo "molecule: ansible-playbook runs: $runs${limit:+ (at most $limit)}"
if [ -n "$limit" ] && [ "$runs" -gt "$limit" ]; then
    echo "molecule: more ansible-playbook runs than SECOPS_MAX_PLAYBOOK_RUNS=$limit; by playbook:" >&2
    sort "$SECOPS_PLAYBOOK_TALLY_FILE" | uniq -c | sort -rn >&2
    exit 1
fi
