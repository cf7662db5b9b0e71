"""The document frame: header names, place, signer and recipients filled in from the organisation."""

from datetime import date

import pytest

from documents.frame import (
    DocumentFrame,
    bullet_list,
    frame_for,
    heading,
    paragraph,
    superior_recipient,
    table,
)
from documents.models import DocumentType
from organizations.models import Organization, Position
from organizations.services import create_organization
from tests.factories import MemberFactory, PositionFactory, TermFactory

ON = date(2026, 2, 5)


def test_a_cell_prints_its_party_organisation_above_its_own_name(world):
    frame = frame_for(world.cell, doc_type=DocumentType.PLAN, summary="Sinh hoạt chuyên đề năm 2026", on=ON)
    assert frame.parent_name == "ĐẢNG BỘ TRƯỜNG CHÍNH TRỊ NGUYỄN CHÍ THANH"
    assert frame.org_name == "CHI BỘ KHOA XÂY DỰNG ĐẢNG"
    assert (frame.title, frame.summary, frame.place) == ("KẾ HOẠCH", "Sinh hoạt chuyên đề năm 2026", "Huế")


def test_a_draft_has_no_number_and_no_date(world):
    frame = frame_for(world.cell, doc_type=DocumentType.PLAN, on=ON)
    assert frame.is_draft and frame.number is None and frame.date is None
    assert frame.number_line == "Số     -KH/CB"
    assert frame.date_line.startswith("Huế, ngày ")


def test_the_cell_secretary_signs_on_behalf_of_the_cell(world):
    frame = frame_for(world.cell, doc_type=DocumentType.RESOLUTION, on=ON)
    assert (frame.signer_capacity, frame.signer_title, frame.signer_name) == (
        "T/M CHI BỘ",
        "BÍ THƯ",
        "Nguyễn Văn Bình",
    )


def test_the_deputy_signs_when_the_cell_has_no_secretary(world):
    Position.objects.filter(role=Position.Role.SECRETARY).update(end_date=date(2026, 1, 31))
    frame = frame_for(world.cell, doc_type=DocumentType.RESOLUTION, on=ON)
    assert (frame.signer_title, frame.signer_name) == ("PHÓ BÍ THƯ", "Trần Thị Hoa")


def test_a_named_signer_replaces_the_secretary(world):
    deputy = Position.objects.get(role=Position.Role.DEPUTY_SECRETARY)
    frame = frame_for(world.cell, doc_type=DocumentType.NOTICE, signer=deputy, on=ON)
    assert (frame.signer_title, frame.signer_name) == ("PHÓ BÍ THƯ", "Trần Thị Hoa")


def test_a_party_committee_issues_in_the_name_of_its_đảng_ủy(world):
    term = TermFactory(organization=world.party, name="2025–2030")
    PositionFactory(term=term, member=MemberFactory(full_name="Hồ Văn Tâm"), role=Position.Role.SECRETARY)
    frame = frame_for(world.party, doc_type=DocumentType.NOTICE, on=ON)
    assert (frame.parent_name, frame.org_name) == ("", "ĐẢNG ỦY TRƯỜNG CHÍNH TRỊ NGUYỄN CHÍ THANH")
    assert (frame.signer_capacity, frame.signer_title, frame.signer_name) == (
        "T/M ĐẢNG ỦY",
        "BÍ THƯ",
        "Hồ Văn Tâm",
    )
    assert frame.issuer == "ĐU" and frame.number_line == "Số     -TB/ĐU"
    assert frame.recipients[-1] == "- Lưu Văn phòng Đảng ủy."


def test_a_party_committee_under_another_prints_its_superior_above(world):
    section = create_organization(
        actor=None,
        name="Đảng bộ bộ phận Khối giảng dạy",
        kind=Organization.Kind.PARTY_COMMITTEE,
        parent=world.party,
    )
    frame = frame_for(section, doc_type=DocumentType.REPORT, on=ON)
    assert (frame.parent_name, frame.org_name) == (
        "ĐẢNG BỘ TRƯỜNG CHÍNH TRỊ NGUYỄN CHÍ THANH",
        "ĐẢNG ỦY BỘ PHẬN KHỐI GIẢNG DẠY",
    )
    assert frame.place == "Huế", "the place comes from the nearest organisation that has one"
    assert frame.signer_name == ""


def test_recipients_are_dashed_and_end_with_the_cells_archive(world):
    frame = frame_for(
        world.cell,
        doc_type=DocumentType.REPORT,
        recipients=[superior_recipient(world.cell), "- Đảng viên trong chi bộ,", "Lưu Chi bộ."],
        on=ON,
    )
    assert frame.recipients == [
        "- Đảng ủy Trường Chính trị Nguyễn Chí Thanh (b/c),",
        "- Đảng viên trong chi bộ,",
        "- Lưu Chi bộ.",
    ]


def test_the_frame_survives_a_round_trip_through_json(world):
    body = [
        heading("I. MỤC ĐÍCH, YÊU CẦU"),
        paragraph("Nâng cao chất lượng sinh hoạt chi bộ."),
        bullet_list(["Chi ủy phân công chuẩn bị.", "Đảng viên nghiên cứu, góp ý."]),
        table(["Quý", "Chuyên đề"], [["I", "Văn hóa Hồ Chí Minh"]], widths=[1, 4]),
    ]
    frame = frame_for(world.cell, doc_type=DocumentType.PLAN, body=body, on=ON).issued(
        number=3, symbol="03-KH/CB", on=ON
    )
    assert DocumentFrame.from_dict(frame.to_dict()) == frame
    assert frame.to_dict()["date"] == "2026-02-05"


@pytest.mark.parametrize(
    "block",
    [
        {"kind": "picture", "text": "x"},
        {"kind": "paragraph"},
        {"kind": "table", "header": ["Quý", "Chuyên đề"], "rows": [["I"]]},
    ],
)
def test_a_malformed_body_block_is_refused(world, block):
    with pytest.raises(ValueError):
        frame_for(world.cell, doc_type=DocumentType.PLAN, body=[block], on=ON)
