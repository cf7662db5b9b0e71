"""Importing a member list: every row is checked first, then everything is written, or nothing.

Files are built in memory with openpyxl and csv, the way people make them in Excel.
"""

import csv
import io
import zipfile
from datetime import date

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from core.errors import DomainError, PermissionDenied
from core.models import AuditEntry
from core.web import XLSX_CONTENT_TYPE
from organizations import importing, services
from organizations.importing import ImportRejected, import_members
from organizations.models import Member, Membership
from tests.factories import ProbationaryMemberFactory

HEADERS = [
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số thẻ đảng viên",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Trạng thái",
    "Chức vụ / nghề nghiệp",
    "Sở trường, chuyên môn",
    "Email",
    "Điện thoại",
    "Ngày sinh hoạt tại chi bộ",
]

AN = {
    "Họ và tên": "Nguyễn Văn An",
    "Ngày sinh": date(1985, 3, 2),
    "Giới tính": "Nam",
    "Số thẻ đảng viên": "79123456",
    "Ngày vào Đảng": date(2010, 5, 19),
    "Ngày chính thức": date(2011, 5, 19),
    "Trạng thái": "Chính thức",
    "Chức vụ / nghề nghiệp": "Giảng viên chính",
    "Sở trường, chuyên môn": "Tư tưởng Hồ Chí Minh",
    "Email": "an.nv@example.vn",
    "Điện thoại": "0912345678",
    "Ngày sinh hoạt tại chi bộ": date(2020, 9, 1),
}
HA = {
    "Họ và tên": "Lê Thị Hà",
    "Ngày sinh": date(1998, 11, 20),
    "Giới tính": "Nữ",
    "Số thẻ đảng viên": "",
    "Ngày vào Đảng": date(2025, 3, 26),
    "Ngày chính thức": None,
    "Trạng thái": "Dự bị",
    "Chức vụ / nghề nghiệp": "Giảng viên",
}


@pytest.fixture(autouse=True)
def _english() -> object:
    # Messages are asserted by their English msgids, whatever the Vietnamese catalogue says.
    with translation.override("en"):
        yield


def xlsx(rows: list[dict], headers: list[str] = HEADERS, name: str = "danh-sach.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(
    rows: list[dict], headers: list[str] = HEADERS, *, bom: bool = True, delimiter: str = ","
) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(header, "") for header in headers])
    return SimpleUploadedFile("danh-sach.csv", (("\ufeff" if bom else "") + buffer.getvalue()).encode())


def snapshot() -> tuple[int, int, int]:
    return Member.objects.count(), Membership.objects.count(), AuditEntry.objects.count()


def reasons_of(error: ImportRejected) -> dict[int, list[str]]:
    return {bad.row: bad.reasons for bad in error.rows}


# --- A good file -----------------------------------------------------------------------------


@pytest.mark.new_year
def test_a_good_xlsx_adds_members_to_the_cell_with_audit_entries(world):
    result = import_members(actor=world.secretary, cell=world.cell, uploaded_file=xlsx([AN, HA]))

    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    an = Member.objects.get(party_card_number="79123456")
    assert an.full_name == "Nguyễn Văn An"
    assert an.date_of_birth == date(1985, 3, 2)
    assert an.gender == Member.Gender.MALE and an.status == Member.Status.FULL
    assert an.official_date == date(2011, 5, 19)
    assert (an.job_title, an.email, an.phone) == ("Giảng viên chính", "an.nv@example.vn", "0912345678")
    membership = an.memberships.get()
    assert membership.organization == world.cell and membership.kind == Membership.Kind.REGULAR
    assert membership.start_date == date(2020, 9, 1)

    ha = Member.objects.get(full_name="Lê Thị Hà")
    assert ha.status == Member.Status.PROBATIONARY and ha.party_card_number == "" and ha.official_date is None
    assert ha.memberships.get().start_date == timezone.localdate()  # no start given: today

    entry = AuditEntry.objects.get(object_id=an.pk, action="organizations.member.imported")
    assert entry.actor == world.secretary
    assert entry.data == {"file": "danh-sach.xlsx"}
    assert "danh-sach.xlsx" in entry.sentence


def test_importing_the_same_file_again_changes_nothing(world):
    import_members(actor=world.secretary, cell=world.cell, uploaded_file=xlsx([AN, HA]))
    before = snapshot()

    result = import_members(actor=world.secretary, cell=world.cell, uploaded_file=xlsx([AN, HA]))

    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert snapshot() == before


def test_a_changed_file_updates_only_the_changed_fields_of_members_matched_by_card_number(world):
    duc = world.member.member  # already in the cell, entered by hand
    duc_row = {
        "Họ và tên": duc.full_name,
        "Ngày sinh": duc.date_of_birth,
        "Giới tính": "Nam" if duc.gender == Member.Gender.MALE else "Nữ",
        "Số thẻ đảng viên": duc.party_card_number,
        "Ngày vào Đảng": duc.admission_date,
        "Ngày chính thức": duc.official_date,
        "Trạng thái": "Chính thức",
        "Chức vụ / nghề nghiệp": "Trưởng khoa",
    }
    import_members(actor=world.secretary, cell=world.cell, uploaded_file=xlsx([AN]))
    before_members = Member.objects.count()

    changed_an = {**AN, "Họ và tên": "Nguyễn Văn Ân", "Điện thoại": "0987654321"}
    result = import_members(
        actor=world.secretary, cell=world.cell, uploaded_file=xlsx([changed_an, duc_row], name="v2.xlsx")
    )

    assert (result.created, result.updated, result.unchanged) == (0, 2, 0)
    assert Member.objects.count() == before_members
    an = Member.objects.get(party_card_number="79123456")
    assert (an.full_name, an.phone, an.email) == ("Nguyễn Văn Ân", "0987654321", "an.nv@example.vn")
    entry = AuditEntry.objects.get(object_id=an.pk, action="organizations.member.import_updated")
    assert entry.data == {"file": "v2.xlsx", "fields": "full name, phone"}
    duc.refresh_from_db()
    assert duc.job_title == "Trưởng khoa"
    duc_entry = AuditEntry.objects.get(object_id=duc.pk, action="organizations.member.import_updated")
    assert duc_entry.data["fields"] == "job title"


def test_an_absent_optional_column_leaves_the_field_alone_and_an_empty_card_never_removes_one(world):
    import_members(actor=world.secretary, cell=world.cell, uploaded_file=xlsx([AN]))
    short_headers = [h for h in HEADERS if h not in ("Email", "Điện thoại", "Sở trường, chuyên môn")]

    result = import_members(
        actor=world.secretary,
        cell=world.cell,
        uploaded_file=xlsx([{**AN, "Số thẻ đảng viên": ""}], headers=short_headers),
    )

    assert (result.updated, result.unchanged) == (0, 1)
    an = Member.objects.get(full_name="Nguyễn Văn An")
    assert (an.party_card_number, an.email, an.phone) == ("79123456", "an.nv@example.vn", "0912345678")


def test_a_probationary_member_without_card_is_matched_by_name_and_date_of_birth(world):
    import_members(actor=world.secretary, cell=world.cell, uploaded_file=xlsx([HA]))
    ha = Member.objects.get(full_name="Lê Thị Hà")

    # A year later she is a full member with a card: the same person, not a new one.
    now_full = {
        **HA,
        "Trạng thái": "Chính thức",
        "Số thẻ đảng viên": "79000999",
        "Ngày chính thức": date(2026, 1, 5),
    }
    result = import_members(actor=world.secretary, cell=world.cell, uploaded_file=xlsx([now_full]))

    assert (result.created, result.updated) == (0, 1)
    ha.refresh_from_db()
    assert (ha.status, ha.party_card_number, ha.official_date) == (
        Member.Status.FULL,
        "79000999",
        date(2026, 1, 5),
    )


def test_a_csv_with_bom_excel_style_dates_and_semicolons_is_read(world):
    rows = [
        {**AN, "Ngày sinh": "2/3/1985", "Ngày vào Đảng": "19/05/2010", "Ngày chính thức": "2011-05-19"},
        {**HA, "Ngày sinh": "20.11.1998", "Ngày vào Đảng": "26-03-2025", "Ngày chính thức": ""},
    ]
    for header in ("Ngày sinh hoạt tại chi bộ",):
        for row in rows:
            row[header] = ""

    result = import_members(
        actor=world.secretary, cell=world.cell, uploaded_file=csv_file(rows, delimiter=";")
    )

    assert result.created == 2
    an = Member.objects.get(party_card_number="79123456")
    assert (an.date_of_birth, an.admission_date, an.official_date) == (
        date(1985, 3, 2),
        date(2010, 5, 19),
        date(2011, 5, 19),
    )
    assert Member.objects.get(full_name="Lê Thị Hà").date_of_birth == date(1998, 11, 20)


def test_headers_are_found_below_a_title_regardless_of_case_diacritics_and_spaces(world):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH ĐẢNG VIÊN CHI BỘ KHOA XÂY DỰNG ĐẢNG"])
    sheet.append([])
    # Loosely spelt headers, an ordinal and a notes column the import ignores.
    headers = "STT|HỌ VÀ TÊN| ngay  sinh |Gioi tinh|Số thẻ Đảng viên|Ngày vào đảng|NGÀY CHÍNH THỨC|trạng thái"
    sheet.append([*headers.split("|"), "Chức vụ/Nghề nghiệp", "Ghi chú"])
    # A card number typed as a number; the status written in full.
    cells = ["Nguyễn Văn An", date(1985, 3, 2), "nam", 79123456, date(2010, 5, 19), date(2011, 5, 19)]
    sheet.append([1, *cells, "Đảng viên chính thức", "Giảng viên", "chuyển đến 2020"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = import_members(
        actor=world.secretary, cell=world.cell, uploaded_file=SimpleUploadedFile("ds.xlsx", buffer.getvalue())
    )

    assert result.created == 1
    an = Member.objects.get(party_card_number="79123456")
    assert (an.gender, an.status, an.job_title) == (Member.Gender.MALE, Member.Status.FULL, "Giảng viên")


def test_a_phone_number_typed_as_a_number_keeps_its_leading_zero(world):
    import_members(
        actor=world.secretary, cell=world.cell, uploaded_file=xlsx([{**AN, "Điện thoại": 912345678}])
    )
    assert Member.objects.get(party_card_number="79123456").phone == "0912345678"


# --- Bad rows --------------------------------------------------------------------------------


def test_a_file_with_bad_rows_writes_nothing_and_reports_every_bad_row_with_its_reason(world):
    before = snapshot()
    rows = [
        AN,  # row 2: good
        {**HA, "Ngày sinh": "31/02/1998"},  # row 3: no such date
        {**AN, "Số thẻ đảng viên": "79000001", "Trạng thái": "Tạm hoãn"},  # row 4: unknown status
        {**HA, "Họ và tên": ""},  # row 5: no name
        {**AN, "Họ và tên": "Trần Văn Bảo", "Ngày sinh": date(1990, 1, 1)},  # row 6: An's card again
        {**AN, "Họ và tên": "Phan Thị Cúc", "Số thẻ đảng viên": "79000002", "Ngày chính thức": None},  # row 7
    ]

    with pytest.raises(ImportRejected) as caught:
        import_members(actor=world.secretary, cell=world.cell, uploaded_file=xlsx(rows))

    reasons = reasons_of(caught.value)
    assert sorted(reasons) == [3, 4, 5, 6, 7]
    assert reasons[3] == ["Ngày sinh: “31/02/1998” is not a date; write it as dd/mm/yyyy."]
    assert reasons[4] == ["Trạng thái: “Tạm hoãn” is not one of: Chính thức, Dự bị."]
    assert reasons[5] == ["“Họ và tên” is empty."]
    assert reasons[6] == ["The card number 79123456 is also in row 2."]
    assert reasons[7] == ["A full member needs the date they became a full member."]
    assert {bad.row: bad.full_name for bad in caught.value.rows}[7] == "Phan Thị Cúc"
    assert "5 rows have errors, so nothing was imported" in str(caught.value.message)
    assert snapshot() == before


def test_model_rules_apply_to_each_row(world):
    rows = [
        {**AN, "Ngày chính thức": date(2009, 1, 1)},  # full before admitted
        {**HA, "Email": "not-an-e-mail", "Ngày sinh": date(2030, 1, 1)},  # bad e-mail, birth in the future
    ]

    with pytest.raises(ImportRejected) as caught:
        import_members(actor=world.secretary, cell=world.cell, uploaded_file=xlsx(rows))

    reasons = reasons_of(caught.value)
    assert reasons[2] == ["The full membership date cannot be before the admission date."]
    assert "Ngày sinh: 01/01/2030 is in the future." in reasons[3]
    assert "Email: Enter a valid email address." in reasons[3]


def test_the_same_member_twice_in_a_file_is_refused(world):
    with pytest.raises(ImportRejected) as caught:
        import_members(actor=world.secretary, cell=world.cell, uploaded_file=xlsx([HA, AN, HA]))
    assert reasons_of(caught.value) == {4: ["This is the same member as in row 2."]}


def test_a_member_who_belongs_to_another_cell_is_refused(world):
    khanh = world.other_member.member
    row = {
        **AN,
        "Họ và tên": khanh.full_name,
        "Ngày sinh": khanh.date_of_birth,
        "Số thẻ đảng viên": khanh.party_card_number,
    }
    before = snapshot()

    with pytest.raises(ImportRejected) as caught:
        import_members(actor=world.secretary, cell=world.cell, uploaded_file=xlsx([AN, row]))

    assert reasons_of(caught.value) == {
        3: ["This member belongs to another cell; that cell must end the membership first."]
    }
    assert snapshot() == before
    khanh.refresh_from_db()
    assert khanh.job_title != AN["Chức vụ / nghề nghiệp"]


def test_a_former_member_matched_by_card_number_is_added_back_to_the_cell(world):
    import_members(actor=world.secretary, cell=world.cell, uploaded_file=xlsx([AN]))
    an = Member.objects.get(party_card_number="79123456")
    services.end_membership(
        actor=world.secretary, membership=an.memberships.get(), end_date=date(2024, 12, 31)
    )

    back = {**AN, "Ngày sinh hoạt tại chi bộ": date(2025, 9, 1)}
    result = import_members(actor=world.secretary, cell=world.cell, uploaded_file=xlsx([back]))

    assert result.created == 1
    assert Member.objects.filter(party_card_number="79123456").count() == 1
    assert an.memberships.get(end_date__isnull=True).start_date == date(2025, 9, 1)


def test_a_row_without_card_that_fits_several_members_asks_for_the_card_number(world):
    twins = {"full_name": HA["Họ và tên"], "date_of_birth": HA["Ngày sinh"]}
    ProbationaryMemberFactory(**twins)
    ProbationaryMemberFactory(**twins)

    with pytest.raises(ImportRejected) as caught:
        import_members(actor=world.secretary, cell=world.cell, uploaded_file=xlsx([HA]))

    assert reasons_of(caught.value) == {
        2: ["Several members have this name and date of birth; add the party card number."]
    }


# --- Files that are not member lists ---------------------------------------------------------

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [("anh.png", PNG), ("van-ban.pdf", PDF), ("danh-sach.xlsx", PDF), ("bien-ban.docx", _docx())],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(world, name, content):
    before = snapshot()
    with pytest.raises(DomainError) as caught:
        import_members(
            actor=world.secretary, cell=world.cell, uploaded_file=SimpleUploadedFile(name, content)
        )
    assert str(caught.value.message) == "The file is not an XLSX or CSV spreadsheet."
    assert snapshot() == before


def test_an_old_xls_file_and_a_csv_not_in_utf8_get_advice(world):
    with pytest.raises(DomainError, match=r"\.xls\)"):
        import_members(
            actor=world.secretary,
            cell=world.cell,
            uploaded_file=SimpleUploadedFile("cu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64),
        )
    # Windows-1258, as older Excel saves "CSV (Comma delimited)": base letters and combining tones.
    windows = "Ho\u0323 va\u0300 tên,Ngày sinh\r\nNguyên An,02/03/1985\r\n".encode("cp1258")
    with pytest.raises(DomainError, match="not in UTF-8"):
        import_members(
            actor=world.secretary, cell=world.cell, uploaded_file=SimpleUploadedFile("ds.csv", windows)
        )


@pytest.mark.parametrize(
    "upload",
    [
        lambda: SimpleUploadedFile("trong.csv", b""),
        lambda: SimpleUploadedFile("trong.csv", b"\xef\xbb\xbf\r\n"),
        lambda: xlsx([], headers=[]),
        lambda: xlsx([]),
        lambda: csv_file([]),
    ],
    ids=["empty-file", "bom-only", "empty-workbook", "header-only-xlsx", "header-only-csv"],
)
def test_an_empty_or_header_only_file_is_refused(world, upload):
    with pytest.raises(DomainError) as caught:
        import_members(actor=world.secretary, cell=world.cell, uploaded_file=upload())
    assert str(caught.value.message) == "The file has no data rows."


def test_missing_required_columns_are_named(world):
    headers = [h for h in HEADERS if h not in ("Ngày sinh", "Trạng thái")]
    with pytest.raises(DomainError) as caught:
        import_members(actor=world.secretary, cell=world.cell, uploaded_file=xlsx([AN], headers=headers))
    message = str(caught.value.message)
    assert message.startswith("The file lacks these columns: “Ngày sinh”, “Trạng thái”.")


def test_a_file_over_the_size_limit_is_refused(world, settings):
    settings.UPLOAD_MAX_MB = 1
    big = csv_file([{**AN, "Sở trường, chuyên môn": "x" * (1024 * 1024)}])
    with pytest.raises(DomainError, match="larger than 1 MB"):
        import_members(actor=world.secretary, cell=world.cell, uploaded_file=big)


# --- Who may import --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["member", "probationary", "other_member", "foreign_officer"])
def test_only_those_who_manage_the_cell_may_import(world, persona):
    with pytest.raises(PermissionDenied):
        import_members(actor=world.persona(persona), cell=world.cell, uploaded_file=xlsx([AN]))
    assert not Member.objects.filter(party_card_number="79123456").exists()


def test_the_party_committee_officer_may_import_into_a_cell(world):
    result = import_members(actor=world.officer, cell=world.other_cell, uploaded_file=xlsx([AN]))
    assert result.created == 1


# --- The pages -------------------------------------------------------------------------------


@pytest.fixture
def english_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_import_page_is_refused_to_a_plain_member_and_hidden_from_another_cell(world, english_client):
    url = reverse("organizations:import", args=[world.cell.pk])
    english_client.force_login(world.member)
    assert english_client.get(url).status_code == 403
    assert english_client.post(url, {"file": xlsx([AN])}).status_code == 403
    english_client.force_login(world.other_member)
    assert english_client.get(url).status_code == 404
    assert not Member.objects.filter(party_card_number="79123456").exists()


def test_the_import_page_offers_the_form_and_both_templates(world, english_client):
    english_client.force_login(world.secretary)
    response = english_client.get(reverse("organizations:import", args=[world.cell.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
    assert reverse("organizations:import_template", args=["xlsx"]) in page
    assert reverse("organizations:import_template", args=["csv"]) in page


def test_uploading_a_file_with_bad_rows_lists_them_on_the_page(world, english_client):
    english_client.force_login(world.secretary)
    bad = xlsx([AN, {**HA, "Giới tính": "X"}, {**AN, "Họ và tên": "Trần Văn Bảo"}])

    response = english_client.post(reverse("organizations:import", args=[world.cell.pk]), {"file": bad})

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 rows have errors, so nothing was imported" in page
    assert "Lê Thị Hà" in page and "Giới tính: “X” is not one of: Nam, Nữ." in page
    assert "Trần Văn Bảo" in page and "The card number 79123456 is also in row 2." in page
    assert not Member.objects.filter(party_card_number="79123456").exists()


def test_uploading_a_non_spreadsheet_shows_the_reason_on_the_form(world, english_client):
    english_client.force_login(world.secretary)
    response = english_client.post(
        reverse("organizations:import", args=[world.cell.pk]), {"file": SimpleUploadedFile("a.png", PNG)}
    )
    assert response.status_code == 200
    assert "The file is not an XLSX or CSV spreadsheet." in response.content.decode()


def test_uploading_a_good_file_imports_it_and_returns_to_the_cell(world, english_client):
    english_client.force_login(world.secretary)

    response = english_client.post(
        reverse("organizations:import", args=[world.cell.pk]), {"file": xlsx([AN, HA])}, follow=True
    )

    assert response.redirect_chain == [(reverse("organizations:detail", args=[world.cell.pk]), 302)]
    page = response.content.decode()
    assert "Import finished: 2 added, 0 updated, 0 unchanged." in page
    assert "Nguyễn Văn An" in page and "Lê Thị Hà" in page


def test_the_import_page_of_a_party_organisation_does_not_exist(world, english_client):
    english_client.force_login(world.officer)
    assert english_client.get(reverse("organizations:import", args=[world.party.pk])).status_code == 404


# --- The template ----------------------------------------------------------------------------


def test_the_xlsx_template_has_the_official_headers_and_a_guide_with_an_example(world, english_client):
    english_client.force_login(world.secretary)
    response = english_client.get(reverse("organizations:import_template", args=["xlsx"]))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Danh sách đảng viên", "Hướng dẫn"]
    data = workbook["Danh sách đảng viên"]
    assert [cell.value for cell in data[1]] == HEADERS
    assert data.max_row == 1  # no example member among the data
    guide_values = [value for row in workbook["Hướng dẫn"].iter_rows(values_only=True) for value in row]
    assert "Nguyễn Văn An" in guide_values


def test_the_csv_template_is_utf8_with_bom_and_has_the_official_headers(world, english_client):
    english_client.force_login(world.member)
    response = english_client.get(reverse("organizations:import_template", args=["csv"]))

    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert next(csv.reader(io.StringIO(response.content.decode("utf-8-sig")))) == HEADERS


def test_an_unknown_template_format_does_not_exist(world, english_client):
    english_client.force_login(world.secretary)
    assert english_client.get(reverse("organizations:import_template", args=["pdf"])).status_code == 404


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_untouched_template_imports_nothing(world, fmt):
    content = importing.template_xlsx() if fmt == "xlsx" else importing.template_csv()
    with pytest.raises(DomainError, match="no data rows"):
        import_members(
            actor=world.secretary, cell=world.cell, uploaded_file=SimpleUploadedFile(f"mau.{fmt}", content)
        )


def test_a_filled_in_template_imports(world):
    workbook = openpyxl.load_workbook(io.BytesIO(importing.template_xlsx()))
    workbook["Danh sách đảng viên"].append([AN.get(header) for header in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = import_members(
        actor=world.secretary,
        cell=world.cell,
        uploaded_file=SimpleUploadedFile("mau.xlsx", buffer.getvalue()),
    )

    assert result.created == 1
