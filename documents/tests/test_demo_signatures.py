"""The demo, as `make run` loads it: the article's cell holds a demo certificate (named as such), and its
issued resolutions are stored as PDF/A, signed by its secretary, verifiable and in the register."""

import io
from functools import partial
from io import StringIO

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from accounts.models import User
from core import crypto
from documents import demo, demo_certificate
from documents.models import DocumentType, IssuedDocument, IssuedFile, SigningCertificate
from documents.signing import run_async
from documents.tests.pdfa_check import problems
from organizations.demo import ARTICLE_CELL

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(module_transaction: None, tmp_path_factory: pytest.TempPathFactory):
    """Loaded once for the module's tests, which only read it (files in a folder of their own)."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        call_command("load_demo", stdout=StringIO())
        yield


def test_the_cell_holds_a_demo_certificate_named_as_such(loaded):
    certificate = SigningCertificate.objects.get(organization__name=ARTICLE_CELL)
    assert demo_certificate.DEMO_LABEL in certificate.subject


def test_every_issued_resolution_of_the_cell_is_signed_pdf_a_and_verifies(loaded):
    resolutions = IssuedDocument.objects.filter(
        organization__name=ARTICLE_CELL, doc_type=DocumentType.RESOLUTION
    )
    assert resolutions.count() >= 1
    stored = SigningCertificate.objects.get(organization__name=ARTICLE_CELL)
    _key, _cert, chain = pkcs12.load_key_and_certificates(
        crypto.decrypt(stored.pkcs12_encrypted), demo.DEMO_PASSPHRASE.encode()
    )
    roots = [asn1_x509.Certificate.load(ca.public_bytes(serialization.Encoding.DER)) for ca in chain]
    for document in resolutions:
        signed = document.files.get(format="pdf", kind=IssuedFile.Kind.SIGNED)
        assert signed.signature.signer_name == "Hoàng Thị Thu Hương"
        with signed.file.open("rb") as handle:
            pdf = handle.read()
        assert problems(pdf) == []
        reader = PdfFileReader(io.BytesIO(pdf))
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        status = run_async(partial(async_validate_pdf_signature, reader.embedded_signatures[0], context))
        assert status.bottom_line, document.symbol


def test_the_register_shows_the_signer(loaded, client):
    client.force_login(User.objects.get(username="bithu"))
    cell = SigningCertificate.objects.get(organization__name=ARTICLE_CELL).organization
    html = client.get(reverse("documents:register", args=[cell.pk])).content.decode()
    assert "đã ký số: Hoàng Thị Thu Hương" in html


def test_loading_again_changes_nothing(loaded):
    before = IssuedFile.objects.count(), SigningCertificate.objects.count()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "already present" in out.getvalue()
    assert (IssuedFile.objects.count(), SigningCertificate.objects.count()) == before
