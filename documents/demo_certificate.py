"""A certificate authority and a signing certificate made on the spot, for the demo and the tests.

Named so nobody can take them for real ones: the CN says "CHỨNG THƯ SỐ DEMO — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"
(a demo certificate, of no legal value). Never used by a real organisation: an administrator uploads
the organisation's own PKCS#12 (docs/architecture.md "PDF/A and signatures").
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.utils import timezone

DEMO_LABEL = "CHỨNG THƯ SỐ DEMO — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"
CA_NAME = "CA DEMO chuyende — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"


@dataclass(frozen=True)
class DemoCertificate:
    """The PKCS#12 archive (key, certificate, CA), its passphrase, and the CA as the trust root."""

    pkcs12: bytes
    passphrase: str
    ca_certificate: x509.Certificate
    certificate: x509.Certificate

    @property
    def ca_pem(self) -> bytes:
        return self.ca_certificate.public_bytes(serialization.Encoding.PEM)


def _name(common_name: str, organization: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        ]
    )


def make(
    organization: str,
    *,
    passphrase: str = "demo",
    not_before: datetime | None = None,
    days: int = 3 * 365,
) -> DemoCertificate:
    """A fresh CA and a certificate of ``organization`` signed by it (P-256 keys: quick to make)."""
    start = not_before or timezone.now() - timedelta(days=1)
    end = start + timedelta(days=days)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(CA_NAME, organization)
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(DEMO_LABEL, organization))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    archive = pkcs12.serialize_key_and_certificates(
        name=b"chuyende-demo",
        key=key,
        cert=certificate,
        cas=[ca],
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
    )
    return DemoCertificate(pkcs12=archive, passphrase=passphrase, ca_certificate=ca, certificate=certificate)
