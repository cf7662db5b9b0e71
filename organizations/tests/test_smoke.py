from django.urls import reverse


def test_cell_page_lists_members_for_the_secretary(client, world):
    client.force_login(world.secretary)
    response = client.get(reverse("organizations:detail", args=[world.cell.pk]))
    assert response.status_code == 200
    assert "Lê Văn Đức" in response.content.decode()
