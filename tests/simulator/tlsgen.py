"""TLS material for the simulator: a private CA and the server certificates it signs, made by trustme.

`ensure_tls_material(state_dir)` makes (or reuses) `ca.pem` and a server certificate for
127.0.0.1 and localhost. `write_expired_server_cert` and `write_wrong_host_cert` make the broken
certificates that TLS failure tests need. The certificates themselves come from trustme; this module
only keeps them in the state dir, so a simulator started later (another process, `make demo`)
serves a certificate the clients' `ca_path` already trusts. FOR TESTS ONLY: keys are EC P-256
(trustme's default), unencrypted, 0600.
"""

import contextlib
import datetime
import fcntl
import os
import ssl

import trustme
from cryptography import x509
from cryptography.exceptions import InvalidSignature

from .common import atomic_write

CA_CERT = "ca.pem"
CA_KEY = "ca-key.pem"
SERVER_CERT = "server.pem"
SERVER_KEY = "server-key.pem"
EXPIRED_CERT = "server-expired.pem"
EXPIRED_KEY = "server-expired-key.pem"
WRONG_HOST_CERT = "server-wrong-host.pem"
WRONG_HOST_KEY = "server-wrong-host-key.pem"
LOCK_FILE = ".tls.lock"

GOOD_HOSTS = ("127.0.0.1", "localhost")
WRONG_HOSTS = ("wrong-host.invalid",)
ORGANIZATION = "secops.async_tasks simulator"


class TlsPaths:
    """Where the CA certificate and the server certificate and key are."""

    def __init__(self, ca_cert, server_cert, server_key):
        self.ca_cert = ca_cert
        self.server_cert = server_cert
        self.server_key = server_key


def _read(path):
    with open(path, "rb") as handle:
        return handle.read()


def _load_ca(state_dir):
    """The trustme CA kept in state_dir, or None when it is missing or unreadable."""
    try:
        return trustme.CA.from_pem(_read(os.path.join(state_dir, CA_CERT)), _read(os.path.join(state_dir, CA_KEY)))
    except (OSError, ValueError, TypeError):
        return None


def _new_ca(state_dir):
    ca = trustme.CA(organization_name=ORGANIZATION)
    atomic_write(os.path.join(state_dir, CA_KEY), ca.private_key_pem.bytes(), mode=0o600)
    atomic_write(os.path.join(state_dir, CA_CERT), ca.cert_pem.bytes())
    return ca


def _write_leaf(state_dir, cert_name, key_name, leaf):
    """Write a trustme leaf certificate (its chain: the leaf alone, the CA is the trust anchor) and key."""
    atomic_write(os.path.join(state_dir, key_name), leaf.private_key_pem.bytes(), mode=0o600)
    atomic_write(os.path.join(state_dir, cert_name), b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
    return os.path.join(state_dir, cert_name), os.path.join(state_dir, key_name)


def _signed_by_ca(state_dir, cert_name, key_name):
    """True when the certificate and key in state_dir exist, are valid now and the CA signed it."""
    try:
        cert = x509.load_pem_x509_certificate(_read(os.path.join(state_dir, cert_name)))
        ca_cert = x509.load_pem_x509_certificate(_read(os.path.join(state_dir, CA_CERT)))
        _read(os.path.join(state_dir, key_name))
        cert.verify_directly_issued_by(ca_cert)
    except (OSError, ValueError, TypeError, InvalidSignature):
        return False
    return cert.not_valid_after_utc > datetime.datetime.now(datetime.timezone.utc)


@contextlib.contextmanager
def _state_lock(state_dir):
    """Serialise certificate creation between simulators sharing a state dir."""
    os.makedirs(state_dir, exist_ok=True)
    with open(os.path.join(state_dir, LOCK_FILE), "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _ca(state_dir):
    """The CA of state_dir; a new one (and so new server certificates) when there is none."""
    return _load_ca(state_dir) or _new_ca(state_dir)


def ensure_tls_material(state_dir):
    """The CA and the good server certificate in state_dir, made on first use and reused after."""
    state_dir = os.path.abspath(state_dir)
    with _state_lock(state_dir):
        ca = _ca(state_dir)
        if not _signed_by_ca(state_dir, SERVER_CERT, SERVER_KEY):
            leaf = ca.issue_cert(*GOOD_HOSTS, common_name=GOOD_HOSTS[0], organization_name=ORGANIZATION)
            _write_leaf(state_dir, SERVER_CERT, SERVER_KEY, leaf)
    return TlsPaths(os.path.join(state_dir, CA_CERT), os.path.join(state_dir, SERVER_CERT),
                    os.path.join(state_dir, SERVER_KEY))


def _write_variant(state_dir, cert_name, key_name, hosts, **validity):
    state_dir = os.path.abspath(state_dir)
    ensure_tls_material(state_dir)
    with _state_lock(state_dir):
        leaf = _ca(state_dir).issue_cert(*hosts, common_name=hosts[0], organization_name=ORGANIZATION, **validity)
        return _write_leaf(state_dir, cert_name, key_name, leaf)


def write_expired_server_cert(state_dir):
    """A certificate for 127.0.0.1/localhost from the simulator CA that expired yesterday; (cert, key) paths."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return _write_variant(state_dir, EXPIRED_CERT, EXPIRED_KEY, GOOD_HOSTS,
                          not_before=now - datetime.timedelta(days=30), not_after=now - datetime.timedelta(days=1))


def write_wrong_host_cert(state_dir):
    """A valid certificate from the simulator CA, but for another host name; (cert, key) paths."""
    return _write_variant(state_dir, WRONG_HOST_CERT, WRONG_HOST_KEY, WRONG_HOSTS)


def _good_server_cert(state_dir):
    paths = ensure_tls_material(state_dir)
    return paths.server_cert, paths.server_key


CERT_VARIANTS = {
    "good": _good_server_cert,
    "expired": write_expired_server_cert,
    "wrong-host": write_wrong_host_cert,
}


def server_certificate(state_dir, variant="good"):
    """(cert, key) paths of the server certificate variant: good, expired or wrong-host."""
    if variant not in CERT_VARIANTS:
        raise ValueError("unknown certificate variant %r (expected %s)" % (variant, ", ".join(CERT_VARIANTS)))
    return CERT_VARIANTS[variant](state_dir)


def server_context(cert_path, key_path):
    """A server-side TLS context (TLS 1.2 or newer) for the given certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_path, key_path)
    return context
