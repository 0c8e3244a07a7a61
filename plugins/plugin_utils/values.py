# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Checks of filter arguments, and module_utils errors as filter errors, shared by the controller-side filters."""

from __future__ import annotations

import contextlib

from ansible.errors import AnsibleFilterError

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import InvalidInput
from ansible_collections.secops.async_tasks.plugins.module_utils.replies import to_int


def whole_number(value, where, minimum):
    """``value`` as an int of at least ``minimum``, or AnsibleFilterError naming ``where`` ("filter: option")."""
    number = to_int(value, exact=True)
    if number is None:
        raise AnsibleFilterError("%s %r is not a whole number" % (where, value))
    if number < minimum:
        raise AnsibleFilterError("%s must be %d or more, got %d" % (where, minimum, number))
    return number


@contextlib.contextmanager
def filter_errors(name):
    """Turn module_utils' InvalidInput (a time, a duration, a zone) into ``AnsibleFilterError("name: ...")``."""
    try:
        yield
    except InvalidInput as err:
        raise AnsibleFilterError("%s: %s" % (name, err.msg)) from None
