"""Permission rows of the organisations URLs (loaded by tests/test_permissions.py): the tree, the
pages of cells, Đảng bộ and members, and managing a cell and its members' records (members may not
edit even their own)."""

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import World
from organizations.models import Member, Membership, Position
from tests.factories import ExemptionFactory
from tests.matrix import ANYONE_SIGNED_IN, MANAGES_CELL, SEES_CELL, SEES_PARTY, Route, rule, today
from tests.scenarios import record

SEES_OTHER_CELL = rule(ok=("other_member", "officer", "admin"))
SEES_FOREIGN_CELL = rule(ok=("foreign_officer", "admin"))


def cell(world: World) -> dict[str, Any]:
    return {"pk": world.cell.pk}


def cell_mate(world: World) -> dict[str, Any]:
    """Lê Văn Đức, world.member's own record: a cell-mate for everyone else in world.cell."""
    return {"pk": record(world.member).pk}


def open_exemption(world: World) -> dict[str, Any]:
    exemption = ExemptionFactory.create(member=record(world.member), start_date=date(2024, 1, 1))
    return {"pk": exemption.pk}


def cell_membership(world: World) -> dict[str, Any]:
    return {"pk": Membership.objects.get(member__user=world.member, organization=world.cell).pk}


def deputy_position(world: World) -> dict[str, Any]:
    return {"pk": Position.objects.get(member__user=world.deputy).pk}


def new_member_data(world: World) -> dict[str, Any]:
    return {
        "full_name": "Đặng Thị Thu",
        "date_of_birth": "1985-03-02",
        "gender": Member.Gender.FEMALE,
        "party_card_number": "79123456",
        "admission_date": "2010-05-19",
        "official_date": "2011-05-19",
        "status": Member.Status.FULL,
        "job_title": "Giảng viên",
        "joined_on": "2024-09-01",
    }


def member_list_upload(world: World) -> dict[str, Any]:
    rows = [
        "Họ và tên,Ngày sinh,Giới tính,Số thẻ đảng viên,Ngày vào Đảng,Ngày chính thức,Trạng thái",
        "Đặng Thị Thu,02/03/1985,Nữ,79123456,19/05/2010,19/05/2011,Chính thức",
    ]
    content = "\r\n".join([*rows, ""]).encode()
    return {"file": SimpleUploadedFile("danh-sach.csv", content, content_type="text/csv")}


def edited_record_data(world: World) -> dict[str, Any]:
    member = record(world.member)
    return {
        "full_name": member.full_name,
        "date_of_birth": member.date_of_birth.isoformat(),
        "gender": member.gender,
        "party_card_number": member.party_card_number,
        "admission_date": member.admission_date.isoformat(),
        "official_date": member.official_date.isoformat() if member.official_date else "",
        "status": member.status,
        "job_title": "Trưởng khoa",
    }


ROUTES = [
    # listing and pages
    Route("organizations:tree", "page", ANYONE_SIGNED_IN),
    Route("organizations:detail", "cell", SEES_CELL, kwargs=cell),
    Route("organizations:detail", "other-cell", SEES_OTHER_CELL, kwargs=lambda w: {"pk": w.other_cell.pk}),
    Route(
        "organizations:detail", "foreign-cell", SEES_FOREIGN_CELL, kwargs=lambda w: {"pk": w.foreign_cell.pk}
    ),
    Route("organizations:detail", "party", SEES_PARTY, kwargs=lambda w: {"pk": w.party.pk}),
    Route("organizations:member", "cell-mate", SEES_CELL, kwargs=cell_mate),
    Route(
        "organizations:member",
        "other-cell-member",
        SEES_OTHER_CELL,
        kwargs=lambda w: {"pk": record(w.other_member).pk},
    ),
    # managing a cell
    Route("organizations:member_add", "cell", MANAGES_CELL, kwargs=cell),
    Route(
        "organizations:member_add",
        "cell",
        MANAGES_CELL,
        "POST",
        kwargs=cell,
        data=new_member_data,
        changes_state=True,
    ),
    Route("organizations:term_add", "cell", MANAGES_CELL, kwargs=cell),
    Route(
        "organizations:term_add",
        "cell",
        MANAGES_CELL,
        "POST",
        kwargs=cell,
        data=lambda w: {"name": "2030–2035", "start_date": "2030-06-02", "end_date": "2035-06-01"},
        changes_state=True,
    ),
    Route("organizations:position_add", "cell", MANAGES_CELL, kwargs=cell),
    Route(
        "organizations:position_add",
        "cell",
        MANAGES_CELL,
        "POST",
        kwargs=cell,
        data=lambda w: {
            "member": record(w.member).pk,
            "role": Position.Role.DEPUTY_SECRETARY,
            "start_date": today(),
        },
        changes_state=True,
    ),
    Route(
        "organizations:position_end",
        "deputy",
        MANAGES_CELL,
        "POST",
        kwargs=deputy_position,
        data=lambda w: {"end_date": today()},
        changes_state=True,
    ),
    Route(
        "organizations:membership_end",
        "cell-mate",
        MANAGES_CELL,
        "POST",
        kwargs=cell_membership,
        data=lambda w: {"end_date": today()},
        changes_state=True,
    ),
    Route("organizations:import", "cell", MANAGES_CELL, kwargs=cell),
    Route(
        "organizations:import",
        "cell",
        MANAGES_CELL,
        "POST",
        kwargs=cell,
        data=member_list_upload,
        changes_state=True,
    ),
    Route("organizations:import_template", "xlsx", ANYONE_SIGNED_IN, kwargs=lambda w: {"fmt": "xlsx"}),
    # managing a member's record (members may not edit even their own)
    Route("organizations:member_edit", "cell-mate", MANAGES_CELL, kwargs=cell_mate),
    Route(
        "organizations:member_edit",
        "cell-mate",
        MANAGES_CELL,
        "POST",
        kwargs=cell_mate,
        data=edited_record_data,
        changes_state=True,
    ),
    Route("organizations:exemption_add", "cell-mate", MANAGES_CELL, kwargs=cell_mate),
    Route(
        "organizations:exemption_add",
        "cell-mate",
        MANAGES_CELL,
        "POST",
        kwargs=cell_mate,
        data=lambda w: {"start_date": "2026-01-01", "reason": "Đi học nước ngoài"},
        changes_state=True,
    ),
    Route(
        "organizations:exemption_end",
        "cell-mate",
        MANAGES_CELL,
        "POST",
        kwargs=open_exemption,
        data=lambda w: {"end_date": today()},
        changes_state=True,
    ),
]
