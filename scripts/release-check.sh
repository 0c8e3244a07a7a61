#!/usr/bin/env bash
# release-check.sh: release galaxy.yml's version in a copy of the work tree and prove the result
# is what Galaxy would accept (`make release-check`):
#   1. `antsibull-changelog lint`, then `antsibull-changelog release` in the copy: the CHANGELOG.rst
#      it writes has the version, the release summary, every module and every role as new;
#   2. the tarball built from the copy carries that CHANGELOG.rst, and no changelog fragment that
#      Galaxy's linter would take for a playbook;
#   3. galaxy-importer (its own venv, $GALAXY_PYTHON) imports the tarball with no lint finding: it
#      runs ansible-lint on the tarball's contents as Galaxy does (production profile, Galaxy's own
#      exclusions, none of the repo's .ansible-lint). `make lint` holds the whole repository to the
#      production profile with no rule skipped, so no second lint of the tarball is run here.
# The work tree is not changed: the release itself is done when the version is tagged.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

python=${PYTHON:-python}
galaxy_python=${GALAXY_PYTHON:?set GALAXY_PYTHON to the python of the galaxy-importer venv}
version=$("$python" scripts/collection-info.py version)
work=$root/.tmp/release
copy=$work/src
rm -rf "$work"
# The tarball is unpacked to check what it carries (its changelog, no fragment taken for a playbook).
extracted=$work/extracted
mkdir -p "$copy" "$extracted"

# Files git knows or would add, as scripts/ansible-test.sh copies them.
git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' file; do if [ -e "$file" ]; then printf '%s\0' "$file"; fi; done \
    | tar --null --files-from=- -cf - | tar -xf - -C "$copy"

# A repo of its own: antsibull-changelog copies the files git does not ignore, and seen from the
# enclosing checkout everything under .tmp/ is ignored.
git init --quiet "$copy"

echo "release-check: changelog of $version"
(cd "$copy" && antsibull-changelog lint && antsibull-changelog release --version "$version" >/dev/null)
"$python" scripts/release-changelog-check.py "$copy" "$version"

echo "release-check: build"
(cd "$copy" && ansible-galaxy collection build --force --output-path "$work" >/dev/null)
tarball=$(ls "$work"/*.tar.gz)
tar -xzf "$tarball" -C "$extracted"
cmp "$copy/CHANGELOG.rst" "$extracted/CHANGELOG.rst"
"$python" scripts/release-changelog-check.py "$extracted" "$version"
if find "$extracted/changelogs" -iname '*playbook*' | grep .; then
    echo "release-check: a changelog file above has 'playbook' in its name: Galaxy lints it as a playbook" >&2
    exit 1
fi

echo "release-check: galaxy-importer"
# It prints its lint findings as WARNING lines and still exits 0: any such line fails the check.
(cd "$work" && "$galaxy_python" -m galaxy_importer.main "$tarball") >"$work/importer.log" 2>&1 || {
    cat "$work/importer.log" >&2; echo "release-check: galaxy-importer failed" >&2; exit 1; }
if grep -E "^(WARNING|ERROR)" "$work/importer.log"; then
    echo "release-check: galaxy-importer reported the findings above (full log: $work/importer.log)" >&2
    exit 1
fi

echo "release-check: $(basename "$tarball") is ready for Galaxy"
