# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""IP addresses as the roles take them, for the controller-side filter ip_address. Nothing here runs on
a managed node.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
"""

from __future__ import annotations

import ipaddress

from ansible.errors import AnsibleFilterError

from ansible_collections.secops.async_tasks.plugins.module_utils.inputs import shown


def ip_address(value, name="address"):
    """``value`` as one IPv4 or IPv6 address in its canonical text (``2001:db8::1``), as Python's ``ipaddress``
    reads it; AnsibleFilterError naming ``name`` for anything else (a network, a zone index, a number)."""
    text = value.strip() if isinstance(value, str) else None
    try:
        if not text or "%" in text:
            raise ValueError(text)
        address = ipaddress.ip_address(text)
    except ValueError:
        raise AnsibleFilterError("%s %s is not an IPv4 or IPv6 address: give one address such as 10.0.1.5 or "
                                 "2001:db8::5 (no network, port or zone)" % (name, shown(value))) from None
    mapped = getattr(address, "ipv4_mapped", None)
    # Python 3.13 writes an IPv4-mapped address with its IPv4 part, older ones in hex: the same on all.
    return "::ffff:%s" % mapped if mapped else str(address)
