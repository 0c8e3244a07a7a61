"""TLS material for the simulator: a private CA and server certificates it signs.

`ensure_tls_material(state_dir)` makes (or reuses) `ca.pem` and a server certificate for
127.0.0.1 and localhost. `write_expired_server_cert` and `write_wrong_host_cert` make the broken
certificates that TLS failure tests need. FOR TESTS ONLY: keys are EC P-256, unencrypted, 0600.
"""

import contextlib
import datetime
import fcntl
import ipaddress
import os
import ssl

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

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
CA_DAYS = 3650
SERVER_DAYS = 825
RENEW_BEFORE = datetime.timedelta(days=2)
CLOCK_SKEW = datetime.timedelta(hours=1)


class TlsPaths:
    """Where the CA certificate and the server certificate and key are."""

    def __init__(self, ca_cert, server_cert, server_key):
        self.ca_cert = ca_cert
        self.server_cert = server_cert
        self.server_key = server_key


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "secops.async_tasks simulator"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _new_key():
    return ec.generate_private_key(ec.SECP256R1())


def _key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _cert_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def create_ca():
    """A new self-signed CA certificate and its key."""
    key = _new_key()
    now = _now()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name("secops.async_tasks simulator CA"))
        .issuer_name(_name("secops.async_tasks simulator CA"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + datetime.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    return builder.sign(key, hashes.SHA256()), key


def _alt_name(host):
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def issue_server_cert(ca_cert, ca_key, hosts, not_before, not_after):
    """A server certificate for `hosts` (IPs or DNS names), signed by the CA, valid in the given window."""
    key = _new_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(hosts[0]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName([_alt_name(host) for host in hosts]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
    )
    return builder.sign(ca_key, hashes.SHA256()), key


def _write_pair(state_dir, cert_name, key_name, cert, key):
    atomic_write(os.path.join(state_dir, key_name), _key_pem(key), mode=0o600)
    atomic_write(os.path.join(state_dir, cert_name), _cert_pem(cert))
    return os.path.join(state_dir, cert_name), os.path.join(state_dir, key_name)


def _load_pair(state_dir, cert_name, key_name):
    """(cert, key) from the state dir, or None when missing or unreadable."""
    try:
        with open(os.path.join(state_dir, cert_name), "rb") as handle:
            cert = x509.load_pem_x509_certificate(handle.read())
        with open(os.path.join(state_dir, key_name), "rb") as handle:
            key = serialization.load_pem_private_key(handle.read(), password=None)
    except (OSError, ValueError, TypeError):
        return None
    return cert, key


def _fresh(cert):
    return cert.not_valid_after_utc - RENEW_BEFORE > _now()


def _signed_by(cert, ca_cert):
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


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


def _load_or_create_ca(state_dir):
    pair = _load_pair(state_dir, CA_CERT, CA_KEY)
    if pair is None or not _fresh(pair[0]):
        pair = create_ca()
        _write_pair(state_dir, CA_CERT, CA_KEY, *pair)
    return pair


def ensure_tls_material(state_dir):
    """The CA and the good server certificate in state_dir, made on first use and reused after."""
    state_dir = os.path.abspath(state_dir)
    with _state_lock(state_dir):
        ca_cert, ca_key = _load_or_create_ca(state_dir)
        server = _load_pair(state_dir, SERVER_CERT, SERVER_KEY)
        if server is None or not _fresh(server[0]) or not _signed_by(server[0], ca_cert):
            now = _now()
            server = issue_server_cert(ca_cert, ca_key, GOOD_HOSTS, now - CLOCK_SKEW,
                                       now + datetime.timedelta(days=SERVER_DAYS))
            _write_pair(state_dir, SERVER_CERT, SERVER_KEY, *server)
    return TlsPaths(os.path.join(state_dir, CA_CERT), os.path.join(state_dir, SERVER_CERT),
                    os.path.join(state_dir, SERVER_KEY))


def _write_variant(state_dir, cert_name, key_name, hosts, not_before, not_after):
    state_dir = os.path.abspath(state_dir)
    ensure_tls_material(state_dir)
    with _state_lock(state_dir):
        ca_cert, ca_key = _load_or_create_ca(state_dir)
        cert, key = issue_server_cert(ca_cert, ca_key, hosts, not_before, not_after)
        return _write_pair(state_dir, cert_name, key_name, cert, key)


def write_expired_server_cert(state_dir):
    """A certificate for 127.0.0.1/localhost from the simulator CA that expired yesterday; (cert, key) paths."""
    now = _now()
    return _write_variant(state_dir, EXPIRED_CERT, EXPIRED_KEY, GOOD_HOSTS,
                          now - datetime.timedelta(days=30), now - datetime.timedelta(days=1))


def write_wrong_host_cert(state_dir):
    """A valid certificate from the simulator CA, but for another host name; (cert, key) paths."""
    now = _now()
    return _write_variant(state_dir, WRONG_HOST_CERT, WRONG_HOST_KEY, WRONG_HOSTS,
                          now - CLOCK_SKEW, now + datetime.timedelta(days=SERVER_DAYS))


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
