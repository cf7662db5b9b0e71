"""PDF/A-2b and PAdES signatures of issued documents (issue 17 items 2 and 3): the stored PDF is PDF/A,
the organisation's certificate is kept encrypted, the secretary or deputy signs once, the signed PDF
verifies in pyHanko's validator (and no longer does after one byte changed), stays PDF/A, shows its
signature on the signature block, and is what downloads, verification and the register see."""

import io
from datetime import date, timedelta
from typing import Any

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader
from weasyprint import HTML

from core.audit import AuditEntry
from core.errors import DomainError, PermissionDenied
from core.permissions import can
from documents import demo_certificate, files, services, signing
from documents.frame import frame_for, paragraph
from documents.models import DocumentType, IssuedFile, Signature, SigningCertificate
from documents.signing import run_async
from documents.tests.pdfa_check import problems

pytestmark = pytest.mark.freezes

ON = date(2026, 3, 6)
PASSPHRASE = "mật-khẩu đúng"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def made():
    """One demo CA and certificate for the module (a key pair takes a moment)."""
    return demo_certificate.make("Chi bộ Khoa Xây dựng Đảng", passphrase=PASSPHRASE)


@pytest.fixture
def issued(world):
    frame = frame_for(
        world.cell,
        doc_type=DocumentType.RESOLUTION,
        summary="về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        # Long enough for a second page: the signature goes on the last.
        body=[paragraph("Chi bộ thống nhất nội dung chuyên đề và phân công thực hiện. " * 40)] * 3,
        recipients=["Đảng ủy Trường (b/c)", "Đảng viên trong chi bộ"],
        on=ON,
    )
    document = services.issue_document(
        actor=world.secretary,
        organization=world.cell,
        doc_type=DocumentType.RESOLUTION,
        frame=frame,
        issued_on=ON,
    )
    files.freeze_document(document.pk)
    return document


@pytest.fixture
def certificate(world, made):
    return services.store_certificate(
        actor=world.admin, organization=world.cell, pkcs12_data=made.pkcs12, passphrase=PASSPHRASE
    )


@pytest.fixture
def signed(world, issued, certificate):
    return services.sign_document(actor=world.secretary, document=issued)


def content(row: IssuedFile) -> bytes:
    with row.file.open("rb") as handle:
        return handle.read()


def issued_pdf(document) -> bytes:
    return content(document.files.get(format="pdf", kind=IssuedFile.Kind.ISSUED))


def validate(pdf: bytes, made):
    trust_root = asn1_x509.Certificate.load(made.ca_certificate.public_bytes(serialization.Encoding.DER))
    context = ValidationContext(trust_roots=[trust_root], allow_fetching=False)
    reader = PdfFileReader(io.BytesIO(pdf))
    assert len(reader.embedded_signatures) == 1
    return run_async(lambda: async_validate_pdf_signature(reader.embedded_signatures[0], context))


def one_byte_changed(pdf: bytes) -> bytes:
    """One bit of the header's binary comment flipped: still a readable PDF, inside the signed range."""
    changed = bytearray(pdf)
    at = pdf.index(b"\n%") + 2
    changed[at] ^= 1
    assert bytes(changed) != pdf
    return bytes(changed)


# --- PDF/A-2b ---------------------------------------------------------------------------------------


def test_the_stored_pdf_is_pdf_a_2b(issued):
    assert problems(issued_pdf(issued)) == []


def test_the_checker_fails_a_plain_pdf():
    plain = HTML(string="<p>Xin chào</p>").write_pdf()
    found = problems(plain)
    assert "no XMP metadata in the catalogue" in found
    assert "no GTS_PDFA1 output intent" in found


# --- The certificate --------------------------------------------------------------------------------


def test_the_certificate_is_stored_encrypted_with_its_facts_in_clear(world, made, certificate):
    row = SigningCertificate.objects.get(pk=certificate.pk)
    assert made.pkcs12 not in row.pkcs12_encrypted.encode()
    assert PASSPHRASE not in row.passphrase_encrypted
    # Not the archive in base64 either: the column is a Fernet token.
    assert row.pkcs12_encrypted.startswith("gAAAA")
    assert demo_certificate.DEMO_LABEL in row.subject
    assert demo_certificate.CA_NAME in row.issuer
    assert row.fingerprint == made.certificate.fingerprint(hashes.SHA256()).hex()
    assert AuditEntry.objects.filter(action="documents.certificate.stored").exists()


def test_a_wrong_passphrase_or_a_file_that_is_not_pkcs12_is_refused(world, made):
    for data, passphrase in ((made.pkcs12, "sai"), (b"%PDF-1.7 not a certificate", PASSPHRASE)):
        with pytest.raises(DomainError, match="PKCS#12"):
            services.store_certificate(
                actor=world.admin, organization=world.cell, pkcs12_data=data, passphrase=passphrase
            )
    assert not SigningCertificate.objects.exists()


def test_an_expired_certificate_is_refused_at_upload(world):
    old = demo_certificate.make(
        "Chi bộ", passphrase="x", not_before=timezone.now() - timedelta(days=400), days=30
    )
    with pytest.raises(DomainError, match="hết hạn"):
        services.store_certificate(
            actor=world.admin, organization=world.cell, pkcs12_data=old.pkcs12, passphrase="x"
        )


def test_only_an_administrator_uploads_a_certificate(world, made):
    with pytest.raises(PermissionDenied):
        services.store_certificate(
            actor=world.secretary, organization=world.cell, pkcs12_data=made.pkcs12, passphrase=PASSPHRASE
        )


# --- Signing --------------------------------------------------------------------------------------


def test_a_signed_pdf_verifies_with_the_configured_certificate_and_the_demo_ca(issued, signed, made):
    pdf = content(signed.file)
    status = validate(pdf, made)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.signing_cert.sha256_fingerprint.replace(" ", "").lower() == signed.certificate.fingerprint
    # An incremental update: the issued bytes are the signed file's first part, unchanged.
    assert pdf.startswith(issued_pdf(issued))
    assert signed.file.sha256 == signing.sha256(pdf)


def test_one_byte_changed_breaks_the_signature(signed, made):
    status = validate(one_byte_changed(content(signed.file)), made)
    # "valid" is the CMS signature over its own attributes; "intact" is the document digest in them.
    assert not status.intact and not status.bottom_line


def test_the_signed_pdf_is_still_pdf_a_2b(signed):
    assert problems(content(signed.file)) == []


def test_the_visible_signature_sits_on_the_last_pages_signature_block(signed):
    pdf = content(signed.file)
    reader = PdfReader(io.BytesIO(pdf))
    widgets = [
        (number, annot.get_object())
        for number, page in enumerate(reader.pages)
        for annot in page.get("/Annots", [])
        if annot.get_object().get("/FT") == "/Sig"
    ]
    assert len(widgets) == 1
    number, widget = widgets[0]
    assert len(reader.pages) >= 2 and number == len(reader.pages) - 1
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    top = reader.named_destinations[signing.ANCHOR_TOP]
    bottom = reader.named_destinations[signing.ANCHOR_BOTTOM]
    assert reader.get_destination_page_number(top) == number
    # Between the signer's title and name, inside the right-hand column, with its appearance drawn.
    assert float(bottom["/Top"]) < y1 < y2 < float(top["/Top"])
    assert float(top["/Left"]) <= x1 < x2 <= float(reader.pages[number].mediabox.right)
    assert y2 - y1 > 40 and x2 - x1 > 120  # a box one can see, not a point
    assert "/AP" in widget


def test_the_secretary_and_the_deputy_may_sign_nobody_else(world, issued, certificate):
    for persona in ("member", "probationary", "other_member", "officer", "foreign_officer", "admin"):
        with pytest.raises(PermissionDenied):
            services.sign_document(actor=world.persona(persona), document=issued)
    signature = services.sign_document(actor=world.deputy, document=issued)
    assert signature.signer_name == "Trần Thị Hoa"
    assert signature.signed_by == world.deputy


def test_signing_records_the_step_and_a_second_signature_is_refused(world, issued, signed):
    assert signed.signer_name == "Nguyễn Văn Bình" and not signed.timestamped
    entry = AuditEntry.objects.get(action="documents.document.signed")
    assert entry.data["symbol"] == issued.symbol and entry.data["sha256"] == signed.file.sha256
    with pytest.raises(DomainError, match="đã được ký số"):
        services.sign_document(actor=world.deputy, document=issued)
    assert IssuedFile.objects.filter(document=issued, kind=IssuedFile.Kind.SIGNED).count() == 1
    # The issued file stays beside it.
    assert IssuedFile.objects.filter(document=issued, kind=IssuedFile.Kind.ISSUED, format="pdf").count() == 1


def test_an_expired_certificate_signs_nothing(world, issued, certificate, monkeypatch):
    later = certificate.not_after + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with pytest.raises(DomainError, match="không còn hiệu lực"):
        services.sign_document(actor=world.secretary, document=issued)
    assert not Signature.objects.exists()


def test_without_a_certificate_signing_is_refused(world, issued):
    with pytest.raises(DomainError, match="chưa có chứng thư số"):
        services.sign_document(actor=world.secretary, document=issued)


# --- Downloads, verification, register, page ------------------------------------------------------


def test_the_download_serves_the_signed_pdf_once_there_is_one(world, issued, certificate):
    before, _type, _name = files.issued_file(issued, "pdf", "nghi-quyet")
    assert before == issued_pdf(issued)
    signature = services.sign_document(actor=world.secretary, document=issued)
    after, _type, _name = files.issued_file(issued, "pdf", "nghi-quyet")
    assert after == content(signature.file)


def verify(client, document, data: bytes):
    return client.post(
        reverse("documents:verify_code", args=[document.code]),
        {"file": SimpleUploadedFile("nq.pdf", data, content_type="application/pdf")},
    ).content.decode()


def test_verification_knows_the_issued_and_the_signed_file_and_not_a_changed_one(client, issued, signed):
    html = verify(client, issued, issued_pdf(issued))
    assert "Tệp khớp" in html and "như khi ban hành, trước khi ký số" in html
    html = verify(client, issued, content(signed.file))
    assert "Tệp khớp" in html and "bản đã ký số (do Nguyễn Văn Bình" in html
    html = verify(client, issued, one_byte_changed(content(signed.file)))
    assert "Tệp khớp" not in html and "không khớp" in html
    # Through the general page as well, by the fingerprint.
    html = client.post(reverse("documents:verify"), {"sha256": signed.file.sha256}).content.decode()
    assert "bản đã ký số" in html
    assert client.get(reverse("documents:verify_code", args=["3467ACDEFG"])).status_code == 404


def test_the_register_and_its_xlsx_show_the_digital_signer(client, world, issued, signed):
    client.force_login(world.secretary)
    html = client.get(reverse("documents:register", args=[world.cell.pk])).content.decode()
    assert "đã ký số: Nguyễn Văn Bình" in html and signed.file.sha256 in html
    from openpyxl import load_workbook

    response = client.get(reverse("documents:register_xlsx", args=[world.cell.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[2][-3:] == ["Người ký số", "Thời điểm ký", "SHA-256 của PDF đã ký"]
    assert rows[3][-3] == "Nguyễn Văn Bình" and rows[3][-1] == signed.file.sha256


def test_the_document_page_offers_the_sign_button_to_the_secretary_only(client, world, issued, certificate):
    url = reverse("documents:detail", args=[issued.pk])
    client.force_login(world.member)
    assert client.get(url).status_code == 403  # the register's page: members read it at its source
    assert client.post(reverse("documents:sign", args=[issued.pk])).status_code == 403
    client.force_login(world.officer)
    page = client.get(url).content.decode()
    assert issued.symbol in page and reverse("documents:sign", args=[issued.pk]) not in page
    client.force_login(world.secretary)
    assert reverse("documents:sign", args=[issued.pk]) in client.get(url).content.decode()
    response = client.post(reverse("documents:sign", args=[issued.pk]), follow=True)
    assert "Nguyễn Văn Bình" in response.content.decode()
    assert Signature.objects.filter(file__document=issued).exists()
    assert reverse("documents:sign", args=[issued.pk]) not in client.get(url).content.decode()
    download = client.get(reverse("documents:download", args=[issued.pk, "pdf"]))
    assert download.content == content(Signature.objects.get().file)


def test_the_admin_upload_refuses_a_wrong_passphrase_and_stores_a_good_one(client, world, made):
    client.force_login(world.admin)
    url = reverse("admin:documents_signingcertificate_add")

    def post(passphrase: str):
        archive = SimpleUploadedFile("chi-bo.p12", made.pkcs12, content_type="application/x-pkcs12")
        return client.post(url, {"organization": world.cell.pk, "pkcs12": archive, "passphrase": passphrase})

    page = post("sai").content.decode()
    assert "mật khẩu không đúng" in page and not SigningCertificate.objects.exists()
    assert post(PASSPHRASE).status_code == 302
    stored = SigningCertificate.objects.get()
    assert stored.organization == world.cell and stored.uploaded_by == world.admin
    page = client.get(reverse("admin:documents_signingcertificate_change", args=[stored.pk])).content.decode()
    assert stored.fingerprint in page and "CHỨNG THƯ SỐ DEMO" in page


def _tsa() -> tuple[Any, Any]:
    """A timestamp authority of our own (self-signed, timeStamping): its certificate and key, in
    asn1crypto's types, as pyHanko's DummyTimeStamper wants them."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's dummy TSA: RSA only
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA DEMO")])
    now = timezone.now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return (
        asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        asn1_keys.PrivateKeyInfo.load(der_key),
    )


def test_with_a_timestamp_server_the_signature_carries_a_timestamp(
    world, issued, certificate, settings, made, monkeypatch
):
    settings.SIGNING_TSA_URL = "https://tsa.example.vn/"
    tsa_certificate, tsa_key = _tsa()
    asked: list[str] = []

    def stamper(url: str) -> DummyTimeStamper:
        asked.append(url)
        return DummyTimeStamper(tsa_cert=tsa_certificate, tsa_key=tsa_key)

    monkeypatch.setattr(signing.timestamps, "HTTPTimeStamper", stamper)
    signature = services.sign_document(actor=world.secretary, document=issued)
    assert asked == ["https://tsa.example.vn/"] and signature.timestamped
    trust = [
        asn1_x509.Certificate.load(made.ca_certificate.public_bytes(serialization.Encoding.DER)),
        tsa_certificate,
    ]
    reader = PdfFileReader(io.BytesIO(content(signature.file)))
    context = ValidationContext(trust_roots=trust, allow_fetching=False)
    status = run_async(lambda: async_validate_pdf_signature(reader.embedded_signatures[0], context))
    assert status.bottom_line and status.timestamp_validity is not None and status.timestamp_validity.trusted
    assert problems(content(signature.file)) == []


def test_only_the_dang_uys_own_officer_signs_its_documents(world):
    from documents.models import IssuedDocument

    own = IssuedDocument(organization=world.party)
    cells = IssuedDocument(organization=world.cell)
    assert can(world.officer, "document.sign", own)
    assert not can(world.foreign_officer, "document.sign", own)
    assert not can(world.secretary, "document.sign", own)
    # An officer above a cell manages it but does not sign for it.
    assert not can(world.officer, "document.sign", cells)


def test_a_corrected_version_is_offered_for_signing_and_each_format_downloads_its_newest(
    client, world, issued, signed
):
    """Minutes corrected under the same number: version 2 stored as PDF only (as the meeting's page
    stores each format when it is downloaded). Its page offers "Ký số" again and shows no signature
    for it; the DOCX download is the newest DOCX stored (version 1), not an error."""
    frame = frame_for(
        world.cell, doc_type=DocumentType.RESOLUTION, summary="bản sửa", body=[paragraph("Đã sửa.")], on=ON
    )
    files.freeze(issued, IssuedFile.Format.PDF, version=2, frame=frame)
    client.force_login(world.secretary)
    page = client.get(reverse("documents:detail", args=[issued.pk]))
    assert page.context["may_sign"] and page.context["signature"] is None
    docx = client.get(reverse("documents:download", args=[issued.pk, "docx"]))
    assert docx.status_code == 200
    assert docx.content == content(issued.files.get(format="docx", version=1))
    pdf = client.get(reverse("documents:download", args=[issued.pk, "pdf"]))
    assert pdf.content == content(issued.files.get(format="pdf", version=2, kind=IssuedFile.Kind.ISSUED))
    services.sign_document(actor=world.secretary, document=issued)
    assert issued.files.filter(kind=IssuedFile.Kind.SIGNED).count() == 2
    assert not client.get(reverse("documents:detail", args=[issued.pk])).context["may_sign"]
