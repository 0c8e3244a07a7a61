"""Fixtures for the module_utils tests: modules run here as they do on a managed node."""

import pytest


@pytest.fixture(autouse=True)
def managed_node_side(monkeypatch):
    """Keep ansible's "this is the controller" flag off while a module runs in-process.

    Importing controller code (``ansible.errors``, as the filter plugin tests do) sets
    ``ansible.module_utils._internal.is_controller`` (ansible-core 2.19+), after which
    ``AnsibleModule.warn()`` prints to the controller's display instead of returning the warning
    in the module's result; the tests that read ``result["warnings"]`` then depend on test order.
    """
    try:
        from ansible.module_utils import _internal
    except ImportError:  # ansible-core < 2.19 has no such flag
        return
    if hasattr(_internal, "is_controller"):
        monkeypatch.setattr(_internal, "is_controller", False)
