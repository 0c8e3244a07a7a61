"""module_utils/common.py: environment fallbacks (run_deadline is covered in test_polling.py)."""

import pytest

from ansible.module_utils.basic import AnsibleFallbackNotFound

from ansible_collections.secops.async_tasks.plugins.module_utils.specs import env_fallback_set


def test_env_fallback_takes_the_first_variable_set(monkeypatch):
    monkeypatch.setenv("SECOPS_TEST_A", "8443")
    monkeypatch.setenv("SECOPS_TEST_B", "9443")
    assert env_fallback_set("SECOPS_TEST_A", "SECOPS_TEST_B") == "8443"


@pytest.mark.parametrize("blank", ["", "  ", "\t"])
def test_env_fallback_treats_a_blank_variable_as_unset(monkeypatch, blank):
    # AWX injects every variable of a credential type, blank inputs included.
    monkeypatch.setenv("SECOPS_TEST_A", blank)
    monkeypatch.setenv("SECOPS_TEST_B", "9443")
    assert env_fallback_set("SECOPS_TEST_A", "SECOPS_TEST_B") == "9443"
    monkeypatch.delenv("SECOPS_TEST_B")
    with pytest.raises(AnsibleFallbackNotFound):
        env_fallback_set("SECOPS_TEST_A", "SECOPS_TEST_B")


def test_env_fallback_without_any_variable(monkeypatch):
    monkeypatch.delenv("SECOPS_TEST_A", raising=False)
    with pytest.raises(AnsibleFallbackNotFound):
        env_fallback_set("SECOPS_TEST_A")
