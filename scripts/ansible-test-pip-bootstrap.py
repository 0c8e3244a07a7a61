#!/usr/bin/env python
"""Let `ansible-test` bootstrap pip without reaching its download host.

ansible-test starts every venv it makes by running a `get-pip` script that it downloads from a
host this project's machines cannot reach, and caches at ~/.ansible/test/cache/get_pip_X_Y.py.
This writes that cache file with a stand-in: with uv on PATH, `uv pip install` of what ansible-test
asked for; without it, pip from the interpreter's own `ensurepip`, then `pip install` of it, from the
configured index (PyPI).

Run it with the Python that has ansible-core installed. Idempotent: an existing cache file (the
real script, or our stand-in) is left alone unless it is an older stand-in of ours.
"""

import inspect
import os
import re
import sys

MARKER_PREFIX = '# secops.async_tasks stand-in for get-pip, v'
MARKER = MARKER_PREFIX + '2'

STAND_IN = MARKER + '''
import shutil
import subprocess
import sys

options = sys.argv[1:]
uv = shutil.which('uv')
if uv:
    # uv on PATH (.venv/bin has it, from requirements-dev.txt; ansible-test passes PATH on, not UV): the
    # new venv gets its packages in a fraction of a second, where ensurepip and a pip run cost five
    # CPU-seconds for each venv ansible-test makes. Like get-pip, it adds setuptools and wheel unless
    # told not to.
    packages = [arg for arg in options if not arg.startswith('-')]
    packages += [name for name in ('setuptools', 'wheel') if '--no-' + name not in options]
    sys.exit(subprocess.call([uv, 'pip', 'install', '--quiet', '--native-tls', '--python', sys.executable] + packages))
# ensurepip runs in its own process: it sets PIP_CONFIG_FILE for itself, which must not leak into
# the install below (that one has to see the machine's pip configuration).
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'])
wanted = [arg for arg in options if arg not in ('--no-setuptools', '--no-wheel')]
sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install'] + wanted))
'''


def pip_version():
    """The pip version ansible-test pins for its venvs (it has no public API for it)."""
    from ansible_test._internal import python_requirements
    found = re.search(r"pip='([0-9.]+)'", inspect.getsource(python_requirements))
    if not found:
        sys.exit('ansible-test-pip-bootstrap: cannot find the pinned pip version in ansible-test')
    return found.group(1)


def main():
    cache = os.path.expanduser('~/.ansible/test/cache')
    path = os.path.join(cache, 'get_pip_%s.py' % pip_version().replace('.', '_'))
    if os.path.exists(path):
        with open(path, encoding='utf-8') as handle:
            current = handle.read()
        if not current.startswith(MARKER_PREFIX) or current == STAND_IN:
            return
    os.makedirs(cache, exist_ok=True)
    with open(path + '.tmp', 'w', encoding='utf-8') as handle:
        handle.write(STAND_IN)
    os.replace(path + '.tmp', path)
    print('ansible-test pip bootstrap: wrote %s' % path)


if __name__ == '__main__':
    main()
