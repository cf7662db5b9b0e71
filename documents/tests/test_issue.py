"""Issuing a document: numbered, frozen in NFC, linked to its source, logged, and only by its leaders."""

import unicodedata
from dataclasses import replace
from datetime import date

import pytest
from django.utils import translation

from core.audit import history
from core.errors import PermissionDenied
from documents import permissions, services
from documents.frame import DocumentFrame, frame_for, paragraph
from documents.models import DocumentType
from organizations.models import Member

ON = date(2026, 2, 5)


def plan_frame(world, **kwargs):
    return frame_for(
        world.cell,
        doc_type=DocumentType.PLAN,
        summary=kwargs.pop("summary", "Sinh hoạt chuyên đề năm 2026"),
        body=kwargs.pop("body", [paragraph("Mỗi quý ít nhất một chuyên đề.")]),
        recipients=["Đảng ủy Trường (b/c)", "Đảng viên trong chi bộ"],
        on=ON,
        **kwargs,
    )


def issue(world, frame=None, actor=None, **kwargs):
    return services.issue_document(
        actor=actor or world.secretary,
        organization=world.cell,
        doc_type=DocumentType.PLAN,
        frame=frame or plan_frame(world),
        issued_on=ON,
        **kwargs,
    )


def test_issuing_freezes_the_frame_with_its_number_symbol_and_date(world):
    document = issue(world)
    frame = document.frame
    assert (frame.number, frame.symbol, frame.date) == (1, "01-KH/CB", ON)
    assert frame.number_line == "Số 01-KH/CB"
    assert frame.date_line == "Huế, ngày 05 tháng 02 năm 2026"
    assert document.snapshot["summary"] == "Sinh hoạt chuyên đề năm 2026"
    assert (document.title, document.place, document.issued_by) == ("KẾ HOẠCH", "Huế", world.secretary)


def test_the_snapshot_does_not_follow_later_changes_to_the_organisation(world):
    document = issue(world)
    world.cell.name = "Chi bộ Khoa Lý luận Mác - Lênin"
    world.cell.save(update_fields=["name"])
    document.refresh_from_db()
    assert document.frame.org_name == "CHI BỘ KHOA XÂY DỰNG ĐẢNG"


def test_decomposed_unicode_is_stored_in_nfc(world):
    decomposed = unicodedata.normalize("NFD", "Nghị quyết về chuyên đề Văn hóa Hồ Chí Minh")
    frame = replace(
        plan_frame(world),
        summary=decomposed,
        body=[paragraph(decomposed)],
        signer_name=unicodedata.normalize("NFD", "Nguyễn Văn Bình"),
    )
    assert not unicodedata.is_normalized("NFC", frame.summary)

    document = issue(world, frame=frame)

    assert document.summary == unicodedata.normalize("NFC", decomposed)
    texts = [
        document.snapshot["summary"],
        document.snapshot["body"][0]["text"],
        document.snapshot["signer_name"],
    ]
    assert all(unicodedata.is_normalized("NFC", text) for text in texts)


def test_issuing_writes_one_audit_entry_that_reads_as_a_sentence(world):
    document = issue(world)
    entries = list(history(document))
    assert [entry.action for entry in entries] == ["documents.document.issued"]
    with translation.override("en"):
        assert entries[0].sentence == "bithu issued 01-KH/CB: KẾ HOẠCH Sinh hoạt chuyên đề năm 2026."


def test_the_document_remembers_what_it_was_issued_for(world):
    source = Member.objects.get(user=world.member)
    document = issue(world, source=source)
    document.refresh_from_db()
    assert document.source == source


def test_a_plain_member_cannot_issue_a_document(world):
    with pytest.raises(PermissionDenied):
        issue(world, actor=world.member)


def test_the_deputy_and_the_party_committee_officer_may_issue(world):
    assert issue(world, actor=world.deputy).number == 1
    assert issue(world, actor=world.officer).number == 2


def test_a_frame_of_another_type_or_already_issued_is_refused(world):
    with pytest.raises(ValueError):
        services.issue_document(
            actor=world.secretary,
            organization=world.cell,
            doc_type=DocumentType.RESOLUTION,
            frame=plan_frame(world),
        )
    issued: DocumentFrame = issue(world).frame
    with pytest.raises(ValueError):
        issue(world, frame=issued)


def test_members_see_the_documents_of_their_own_cell_only(world):
    document = issue(world)
    assert list(permissions.visible_documents(world.member)) == [document]
    assert list(permissions.visible_documents(world.officer)) == [document]
    assert not permissions.visible_documents(world.other_member).exists()
    assert not permissions.visible_documents(world.foreign_officer).exists()
    assert permissions.can(world.probationary, "document.view", document)
    assert not permissions.can(world.other_member, "document.view", document)
