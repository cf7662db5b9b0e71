"""The secretary signs an issued resolution on her phone, in a real Chromium (issue 17, item 3).

She opens the register of her cell, then the resolution's page, presses "Ký số": the page says who
signed and when, the signed PDF is listed beside the issued one, and the PDF she downloads is the
signed one. A member of the cell sees the page without the button.
"""

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import World
from documents import demo_certificate, files, services
from documents.frame import frame_for, paragraph
from documents.models import DocumentType, IssuedFile
from tests.browser import assert_no_horizontal_scroll, save_screenshot, url, vi
from tests.test_browser import sign_in


@pytest.mark.browser
def test_the_secretary_signs_a_resolution_from_its_page(
    transactional_db: None, live_server: Any, world: World, phone: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    made = demo_certificate.make(world.cell.name, passphrase="x")
    services.store_certificate(
        actor=world.admin, organization=world.cell, pkcs12_data=made.pkcs12, passphrase="x"
    )
    frame = frame_for(
        world.cell,
        doc_type=DocumentType.RESOLUTION,
        summary="về học tập và làm theo Bác",
        body=[paragraph("Chi bộ thống nhất nội dung chuyên đề.")],
        recipients=["Đảng ủy Trường (b/c)"],
        on=date(2026, 3, 6),
    )
    document = services.issue_document(
        actor=world.secretary,
        organization=world.cell,
        doc_type=DocumentType.RESOLUTION,
        frame=frame,
        issued_on=date(2026, 3, 6),
    )
    files.freeze_document(document.pk)

    # An officer of the Đảng ủy above reads the register's page but does not sign the cell's documents.
    sign_in(phone, live_server, world.officer.username)
    phone.goto(url(live_server, "documents:detail", document.pk))
    expect(phone.get_by_role("heading", level=1)).to_contain_text(document.symbol)
    expect(phone.get_by_role("button", name=vi("Digitally sign"))).to_have_count(0)

    phone.context.clear_cookies()
    sign_in(phone, live_server, world.secretary.username)
    phone.goto(url(live_server, "documents:register", world.cell.pk))
    phone.get_by_role("link", name=document.symbol).click()
    expect(phone).to_have_url(url(live_server, "documents:detail", document.pk))
    phone.get_by_role("button", name=vi("Digitally sign")).click()
    expect(phone.locator("main")).to_contain_text(vi("The document is digitally signed."))
    expect(phone.locator("main")).to_contain_text("Nguyễn Văn Bình")
    expect(phone.get_by_role("button", name=vi("Digitally sign"))).to_have_count(0)
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "document-signed-phone.png")

    signed = IssuedFile.objects.get(document=document, kind=IssuedFile.Kind.SIGNED)
    with phone.expect_download() as download:
        phone.get_by_role("link", name=vi("Download PDF")).click()
    with signed.file.open("rb") as handle:
        assert Path(download.value.path()).read_bytes() == handle.read()
