"""The organisations API answers as the organisation pages do, in the one error shape."""

import pytest


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
