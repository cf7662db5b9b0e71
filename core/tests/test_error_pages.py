"""Error pages speak Vietnamese and lead back home, as the rest of the site does."""

from django.test import override_settings
from django.urls import reverse


@override_settings(DEBUG=False)
def test_a_missing_page_is_explained_in_vietnamese_with_a_way_home(client, world):
    client.force_login(world.member)
    response = client.get(reverse("organizations:detail", args=[world.foreign_cell.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="vi">' in page and reverse("home:home") in page
    assert "Not Found" not in page


@override_settings(DEBUG=False)
def test_a_refused_action_is_explained_in_vietnamese(client, world):
    client.force_login(world.member)
    response = client.get(reverse("organizations:member_add", args=[world.cell.pk]))
    assert response.status_code == 403
    assert '<html lang="vi">' in response.content.decode() and "Forbidden" not in response.content.decode()


def test_a_refused_small_form_names_the_field_to_correct(client, world):
    from django.contrib.messages import get_messages

    from planning import services as planning

    plan = planning.create_plan(actor=world.secretary, cell=world.cell, year=2026)
    session = planning.add_session(actor=world.secretary, plan=plan, quarter=1, title="Chuyên đề")
    client.force_login(world.secretary)
    response = client.post(reverse("planning:session_cancel", args=[session.pk]), {"reason": ""})
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts and texts[0].startswith("Lý do:")
