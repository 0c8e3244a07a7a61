"""Make the checkout importable as ``ansible_collections.secops.async_tasks`` for every test.

Python (and Ansible) find a collection only under ``.../ansible_collections/NAMESPACE/NAME``,
so ``.tmp/dev-collections`` holds a symlink to the repo root with that layout.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEV_COLLECTIONS = os.path.join(ROOT, ".tmp", "dev-collections")


def _link_collection():
    namespace_dir = os.path.join(DEV_COLLECTIONS, "ansible_collections", "secops")
    link = os.path.join(namespace_dir, "async_tasks")
    os.makedirs(namespace_dir, exist_ok=True)
    if os.path.islink(link) and os.path.realpath(link) == os.path.realpath(ROOT):
        return
    if os.path.islink(link):  # points at an old checkout
        os.unlink(link)
    try:
        os.symlink(ROOT, link)
    except FileExistsError:  # another pytest process made it first
        pass


_link_collection()
if DEV_COLLECTIONS not in sys.path:
    sys.path.insert(0, DEV_COLLECTIONS)


def pytest_configure(config):
    config.addinivalue_line("markers", "changing_modules(*names): integration tests only - modules of the collection "
                                       "that may report changed (the others must report changed: false)")
