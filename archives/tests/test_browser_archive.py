"""The secretary archives the cell's term and restores the archive for reading, on a phone, in Chromium.

From the cell's page she opens "Lưu trữ nhiệm kỳ", makes the archive of the ended term (the job runs at
once in the embedded default), downloads the ZIP — its SHA-256 is the one the page shows — and gives it
back to the restore form, which checks it and shows its index.
"""

import hashlib
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from archives.models import TermArchive
from archives.tests.helpers import issue, past_term
from conftest import World
from tests.browser import accessibility_violations, assert_no_horizontal_scroll, save_screenshot, url, vi
from tests.test_browser import sign_in


@pytest.mark.browser
def test_the_secretary_archives_the_ended_term_and_restores_it(
    transactional_db: None, live_server: Any, world: World, phone: Any
) -> None:
    term = past_term(world.cell)
    plan = issue(world.cell, "KH", term.start_date.replace(year=2024, month=2, day=5))

    sign_in(phone, live_server, world.secretary.username)
    phone.goto(url(live_server, "organizations:detail", world.cell.pk))
    phone.get_by_role("link", name=vi("Term archives"), exact=True).click()
    phone.locator("select[name=term]").select_option(str(term.pk))
    phone.get_by_role("button", name=vi("Make the archive")).click()

    archive = TermArchive.objects.get(term=term)
    item = phone.locator("#archives li.archive-item").first
    expect(item).to_contain_text(vi("ready"))
    expect(item).to_contain_text(archive.sha256)
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "archives-list-phone.png")
    assert accessibility_violations(phone) == []

    with phone.expect_download() as download:
        item.get_by_role("link", name=vi("Download")).click()
    saved = Path(download.value.path())
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == archive.sha256

    phone.get_by_label(vi("Term archive (ZIP)")).set_input_files(str(saved))
    phone.get_by_role("button", name=vi("Check and restore")).click()

    expect(phone.get_by_role("heading", level=1)).to_contain_text(world.cell.name)
    expect(phone.get_by_role("link", name="MUC-LUC.txt")).to_be_visible()
    expect(phone.locator("main")).to_contain_text(plan.symbol)
    expect(phone.locator("main")).to_contain_text(vi("made by this installation"))
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "archives-restored-phone.png")
    assert accessibility_violations(phone) == []
