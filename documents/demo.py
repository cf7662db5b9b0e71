"""The demo's signatures (issue 17): the article's cell gets a demo certificate, made at load (a fresh CA
and a certificate whose name says it has no legal value), and its issued resolutions are signed by its
secretary, so a newcomer finds them frozen, PDF/A, signed and in the register."""

from django.conf import settings

from documents import demo_certificate, services
from documents.models import DocumentType, IssuedDocument
from organizations.demo import ARTICLE_CELL, Demo

DEMO_PASSPHRASE = "chuyende-demo"


def add_signatures(demo: Demo) -> None:
    if not settings.ENCRYPTION_KEYS:
        # A production-like run without ENCRYPTION_KEY cannot keep a certificate: the demo stays unsigned
        # rather than failing (development derives a key, so `make run` signs).
        return
    cell = next(c for c in demo.cells.values() if c.name == ARTICLE_CELL)
    made = demo_certificate.make(cell.name, passphrase=DEMO_PASSPHRASE)
    services.store_certificate(
        actor=None, organization=cell, pkcs12_data=made.pkcs12, passphrase=made.passphrase
    )
    secretary = demo.users["bithu"]
    for document in IssuedDocument.objects.filter(
        organization=cell, doc_type=DocumentType.RESOLUTION
    ).select_related("organization"):
        services.sign_document(actor=secretary, document=document)
