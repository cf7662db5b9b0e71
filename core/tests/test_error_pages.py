"""Error pages speak Vietnamese and lead back home, as the rest of the site does."""

from django.test import override_settings
from django.urls import reverse


@override_settings(DEBUG=False)
def test_a_missing_page_is_explained_in_vietnamese_with_a_way_home(client, world):
    client.force_login(world.member)
    response = client.get(reverse("organizations:detail", args=[world.foreign_cell.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="vi">' in page and reverse("core:home") in page
    assert "Not Found" not in page


@override_settings(DEBUG=False)
def test_a_refused_action_is_explained_in_vietnamese(client, world):
    client.force_login(world.member)
    response = client.get(reverse("organizations:member_add", args=[world.cell.pk]))
    assert response.status_code == 403
    assert '<html lang="vi">' in response.content.decode() and "Forbidden" not in response.content.decode()
