"""The organisations API answers as the organisation pages do, in the one error shape."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEntry
from organizations.models import Member, Membership


@pytest.mark.django_db
class TestOrganizations:
    def test_anonymous_gets_401_in_the_error_shape(self, client):
        response = client.get("/api/v1/organizations")
        assert response.status_code == 401
        body = response.json()
        assert body["code"] == "unauthenticated" and body["message"] and body["fields"] == {}
        assert response["WWW-Authenticate"].startswith("Bearer")

    def test_member_lists_what_the_tree_shows_them(self, client, world):
        client.force_login(world.member)
        body = client.get("/api/v1/organizations").json()
        names = {item["name"] for item in body["items"]}
        assert world.cell.name in names
        assert world.foreign_cell.name not in names and world.other_party.name not in names
        assert body["count"] == len(body["items"])

    def test_what_cannot_be_seen_does_not_exist(self, client, world):
        client.force_login(world.member)
        response = client.get(f"/api/v1/organizations/{world.foreign_cell.pk}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"

    def test_private_details_only_for_who_manages_the_cell(self, client, world):
        client.force_login(world.member)
        roster = client.get(f"/api/v1/organizations/{world.cell.pk}/members").json()["items"]
        assert roster and all(entry["member"]["phone"] is None for entry in roster)
        client.force_login(world.secretary)
        roster = client.get(f"/api/v1/organizations/{world.cell.pk}/members").json()["items"]
        assert all(entry["member"]["date_of_birth"] for entry in roster)

    def test_page_size_is_capped_at_100(self, client, world):
        client.force_login(world.admin)
        response = client.get("/api/v1/organizations?page_size=101")
        assert response.status_code == 422
        assert "page_size" in response.json()["fields"]
        assert client.get("/api/v1/organizations?page_size=2").json()["items"].__len__() == 2

    def test_openapi_is_3_1(self, client, world):
        client.force_login(world.member)
        schema = client.get("/api/v1/openapi.json").json()
        assert schema["openapi"].startswith("3.1")
        assert "/api/v1/organizations" in schema["paths"]


# --- Terms and positions -------------------------------------------------------------------------


@pytest.mark.django_db
class TestTermsAndPositions:
    def test_the_cell_shows_its_term_and_who_holds_which_position(self, client, world):
        client.force_login(world.member)
        [term] = client.get(f"/api/v1/organizations/{world.cell.pk}/terms").json()["items"]
        assert term["current"] is True
        assert {(p["full_name"], p["role"]) for p in term["positions"]} == {
            ("Nguyễn Văn Bình", "secretary"),
            ("Trần Thị Hoa", "deputy_secretary"),
        }
        assert {p["role_label"] for p in term["positions"]} == {"Bí thư", "Phó bí thư"}

    def test_current_positions_leave_out_those_that_ended(self, client, world):
        from organizations.models import Position

        Position.objects.filter(member__user=world.deputy).update(end_date=date(2026, 1, 1))
        client.force_login(world.officer)
        url = f"/api/v1/organizations/{world.cell.pk}/positions"
        assert [p["role"] for p in client.get(f"{url}?current=true").json()["items"]] == ["secretary"]
        assert [p["role"] for p in client.get(f"{url}?current=false").json()["items"]] == ["deputy_secretary"]
        assert client.get(url).json()["count"] == 2

    def test_another_party_does_not_see_them(self, client, world):
        client.force_login(world.foreign_officer)
        assert client.get(f"/api/v1/organizations/{world.cell.pk}/terms").status_code == 404
        assert client.get(f"/api/v1/organizations/{world.cell.pk}/positions").status_code == 404

    def test_terms_cost_the_same_queries_however_many_positions(
        self, client, world, django_assert_max_num_queries
    ):
        from tests.factories import PositionFactory, TermFactory, member_in

        client.force_login(world.secretary)
        with django_assert_max_num_queries(12) as few:
            client.get(f"/api/v1/organizations/{world.cell.pk}/terms")
        old = TermFactory(
            organization=world.cell, name="2015–2020", start_date=date(2015, 6, 1), end_date=date(2020, 6, 1)
        )
        for n in range(3):
            PositionFactory(
                term=old,
                member=member_in(world.cell, full_name=f"Đảng viên {n}"),
                role="committee_member",
                start_date=date(2015, 6, 1),
            )
        with django_assert_max_num_queries(len(few.captured_queries)):
            terms = client.get(f"/api/v1/organizations/{world.cell.pk}/terms").json()["items"]
        assert [len(t["positions"]) for t in terms] == [2, 3]
        assert [t["current"] for t in terms] == [True, False]


# --- Importing the member list -----------------------------------------------------------------

HEADER = "Họ và tên,Ngày sinh,Giới tính,Số thẻ đảng viên,Ngày vào Đảng,Ngày chính thức,Trạng thái"
THU = "Đặng Thị Thu,02/03/1985,Nữ,79123456,19/05/2010,19/05/2011,Chính thức"


def member_list(*rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("danh-sach.csv", "\r\n".join([HEADER, *rows, ""]).encode(), "text/csv")


@pytest.mark.django_db
class TestImport:
    def url(self, world):
        return f"/api/v1/organizations/{world.cell.pk}/members/import"

    def test_the_secretary_imports_a_list_and_again_changes_nothing(self, client, world):
        client.force_login(world.secretary)
        response = client.post(self.url(world), {"file": member_list(THU)})
        assert response.status_code == 200, response.content
        assert response.json() == {"file_name": "danh-sach.csv", "created": 1, "updated": 0, "unchanged": 0}
        assert Membership.objects.filter(member__full_name="Đặng Thị Thu", organization=world.cell).exists()
        assert AuditEntry.objects.filter(action__startswith="organizations.").exists()
        again = client.post(self.url(world), {"file": member_list(THU)}).json()
        assert (again["created"], again["unchanged"]) == (0, 1)

    def test_a_wrong_row_imports_nothing_and_is_named(self, client, world):
        client.force_login(world.deputy)
        wrong = "Hồ Văn Sai,31/02/1985,Nữ,,19/05/2010,,Chính thức"
        response = client.post(self.url(world), {"file": member_list(THU, wrong)})
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "import_rejected"
        assert (
            body["message"] == "Có 1 dòng bị lỗi nên chưa nhập dữ liệu nào. Hãy sửa trong tệp rồi nhập lại."
        )
        assert [(r["row"], r["full_name"]) for r in body["rows"]] == [(3, "Hồ Văn Sai")]
        assert body["rows"][0]["reasons"]
        assert not Member.objects.filter(full_name="Đặng Thị Thu").exists()

    def test_a_file_that_is_no_member_list_is_refused_on_its_field(self, client, world):
        client.force_login(world.secretary)
        response = client.post(
            self.url(world), {"file": SimpleUploadedFile("anh.png", b"\x89PNG", "image/png")}
        )
        assert response.status_code == 400 and "file" in response.json()["fields"]
        response = client.post(self.url(world), {"file": SimpleUploadedFile("trong.csv", b"", "text/csv")})
        assert response.status_code == 400 and "file" in response.json()["fields"]

    @pytest.mark.parametrize(
        ("persona", "status"),
        [
            ("member", 403),
            ("probationary", 403),
            ("other_member", 404),
            ("foreign_officer", 404),
            ("officer", 200),
        ],
    )
    def test_who_may_import(self, client, world, persona, status):
        client.force_login(world.persona(persona))
        assert client.post(self.url(world), {"file": member_list(THU)}).status_code == status
        assert Member.objects.filter(full_name="Đặng Thị Thu").exists() == (status == 200)

    def test_a_party_organisation_has_no_member_list(self, client, world):
        client.force_login(world.officer)
        response = client.post(
            f"/api/v1/organizations/{world.party.pk}/members/import", {"file": member_list(THU)}
        )
        assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_address_the_api_does_not_have_answers_404_in_the_error_shape(client, world, method):
    client.force_login(world.secretary)
    for path in (
        "/api/v1/sessions/null%2Cnull/postpone",
        "/api/v1/khong-co",
        "/api/v1/organizations/-1",
        "/api/v1/models/%0A%08%F0%A3%A8%BB/approve",  # a line break in the path
    ):
        response = getattr(client, method)(path, content_type="application/json")
        assert response.status_code == 404, path
        assert response.json() == {"code": "not_found", "message": "Không tìm thấy.", "fields": {}}
