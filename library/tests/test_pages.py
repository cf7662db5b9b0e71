"""The library's pages: who sees what, the forms' refusals, and query counts that do not grow with the
number of model sessions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.errors import PermissionDenied
from library import services
from library.models import Adoption, ModelSession
from library.tests import helpers
from organizations.models import Member
from tests.factories import CellFactory, PositionFactory, TermFactory, UserFactory, member_in


def _page(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


# --- Who sees the library ------------------------------------------------------------------------


def test_every_cell_of_the_party_reads_a_published_model(client, world, published):
    for user in (world.member, world.probationary, world.other_member, world.officer):
        assert published.title in _page(client, user, "library:list").content.decode(), user
        assert _page(client, user, "library:detail", published.pk).status_code == 200, user


def test_a_cell_outside_the_party_does_not_see_the_library(client, world, published):
    outsider = UserFactory(username="ngoai")
    member_in(world.foreign_cell, user=outsider, full_name="Đỗ Văn Ngoại")
    for user in (outsider, world.foreign_officer):
        assert published.title not in _page(client, user, "library:list").content.decode()
        assert _page(client, user, "library:detail", published.pk).status_code == 404
        assert _page(client, user, "library:adoptions", world.party.pk).status_code == 404


def test_a_model_of_a_deeper_cell_reaches_the_whole_grassroots_party(client, world):
    """A cell under a Đảng bộ bộ phận registers with that Đảng bộ; the officers above read it."""
    from tests.factories import OrganizationFactory

    section = OrganizationFactory(name="Đảng bộ bộ phận Khoa", parent=world.party)
    deep_cell = CellFactory(name="Chi bộ Giảng viên trẻ", parent=section)
    model = helpers.stored_model(deep_cell, "Thanh niên với chuyển đổi số")
    assert model.party == section
    assert _page(client, world.officer, "library:detail", model.pk).status_code == 200
    # world.cell is beside the section, not under it.
    assert _page(client, world.member, "library:detail", model.pk).status_code == 404


def test_before_publication_only_the_cell_and_its_party_committee_see_the_model(client, world, issued):
    model = services.register_model(actor=world.secretary, session=issued)
    assert _page(client, world.probationary, "library:detail", model.pk).status_code == 200
    assert _page(client, world.officer, "library:detail", model.pk).status_code == 200
    assert _page(client, world.other_member, "library:detail", model.pk).status_code == 404
    assert model.session.title not in _page(client, world.other_member, "library:list").content.decode()


# --- Who acts ---------------------------------------------------------------------------------


def test_members_neither_register_nor_publish(client, world, evaluated):
    with pytest.raises(PermissionDenied):
        services.register_model(actor=world.member, session=evaluated)
    client.force_login(world.member)
    assert client.get(reverse("library:register", args=[evaluated.pk])).status_code == 403
    model = services.register_model(actor=world.secretary, session=evaluated)
    services.approve_model(actor=world.officer, model=model)
    with pytest.raises(PermissionDenied):
        services.publish_model(actor=world.probationary, model=model)
    assert client.post(reverse("library:publish", args=[model.pk])).status_code == 403
    model.refresh_from_db()
    assert model.status == ModelSession.Status.APPROVED


def test_only_the_party_committee_approves(client, world, issued):
    model = services.register_model(actor=world.secretary, session=issued)
    for user in (world.secretary, world.deputy, world.member):
        with pytest.raises(PermissionDenied):
            services.approve_model(actor=user, model=model)
    with pytest.raises(PermissionDenied):
        services.approve_model(actor=world.foreign_officer, model=model)
    client.force_login(world.secretary)
    assert client.post(reverse("library:approve", args=[model.pk])).status_code == 403
    client.force_login(world.officer)
    page = client.get(reverse("library:party", args=[world.party.pk])).content.decode()
    assert reverse("library:approve", args=[model.pk]) in page
    response = client.post(reverse("library:approve", args=[model.pk]), follow=True)
    assert 'class="msg msg-success"' in response.content.decode()
    model.refresh_from_db()
    assert model.status == ModelSession.Status.APPROVED


def test_the_secretary_registers_from_the_library_page(client, world, issued):
    client.force_login(world.secretary)
    page = client.get(reverse("library:list")).content.decode()
    url = reverse("library:register", args=[issued.pk])
    assert url in page
    assert client.get(url).status_code == 200
    response = client.post(url, {"note": "Chuẩn bị công phu, mời các chi bộ dự"})
    model = ModelSession.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("library:detail", args=[model.pk])
    assert model.note == "Chuẩn bị công phu, mời các chi bộ dự"
    # Registered: no longer offered, and the page says so instead of showing the form again.
    assert url not in client.get(reverse("library:list")).content.decode()
    assert "<textarea" not in client.get(url).content.decode()


# --- Bad input -----------------------------------------------------------------------------------


def test_declining_without_a_reason_is_refused_with_a_message(client, world, issued):
    model = services.register_model(actor=world.secretary, session=issued)
    client.force_login(world.officer)
    response = client.post(reverse("library:decline", args=[model.pk]), {"reason": "  "}, follow=True)
    assert 'class="msg msg-error"' in response.content.decode()
    model.refresh_from_db()
    assert model.status == ModelSession.Status.REGISTERED


def test_a_note_too_long_is_refused(client, world, issued):
    client.force_login(world.secretary)
    response = client.post(reverse("library:register", args=[issued.pk]), {"note": "x" * 2001})
    assert response.status_code == 200 and 'class="errorlist"' in response.content.decode()
    assert not ModelSession.objects.exists()


def test_the_page_of_an_unpublished_model_lists_what_is_missing(client, world, issued):
    model = services.register_model(actor=world.secretary, session=issued)
    services.approve_model(actor=world.officer, model=model)
    page = _page(client, world.secretary, "library:detail", model.pk).content.decode()
    assert str(issued.get_status_display()) in page
    assert reverse("library:publish", args=[model.pk]) not in page


def test_the_final_text_of_a_pdf_is_kept_as_the_text_of_its_pages():
    from drafts.models import DraftVersion
    from library.package import _final_text

    version = DraftVersion(
        number=3, kind="pdf", html="", paragraphs=[{"anchor": "page-1", "text": "Trang một"}]
    )
    assert _final_text(version)["pages"] == ["Trang một"]


# --- Query counts --------------------------------------------------------------------------------


def _add_models(world, count, start):
    """``count`` published models of new cells of world.party, each adopted by world.other_cell."""
    for index in range(start, start + count):
        cell = CellFactory(name=f"Chi bộ mẫu {index}", parent=world.party)
        model = helpers.stored_model(cell, f"Chuyên đề mẫu {index}")
        session = helpers.plan_session(world.other_cell, f"Áp dụng {index}", quarter=2)
        Adoption.objects.create(
            model=model,
            cell=world.other_cell,
            session=session,
            year=helpers.next_year(),
            quarter=2,
            adopted_at=model.published_at,
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize(
    ("persona", "url_name", "with_party"),
    [
        ("member", "library:list", False),
        ("officer", "library:list", False),
        ("officer", "library:party", True),
        ("officer", "library:adoptions", True),
    ],
)
def test_pages_make_as_many_queries_for_12_models_as_for_2(client, world, persona, url_name, with_party):
    client.force_login(world.persona(persona))
    url = reverse(url_name, args=[world.party.pk] if with_party else [])
    _add_models(world, 2, 0)
    client.get(url)  # fill the process-wide caches (content types) first
    few = _count(client, url)
    _add_models(world, 10, 2)
    many = _count(client, url)
    assert client.get(url).content.decode().count("Chuyên đề mẫu") >= 12
    assert len(few) == len(many), "\n".join(["few:", *few, "many:", *many])


def test_the_secretary_of_another_cell_sees_the_adopt_form(client, world, published):
    term = TermFactory(organization=world.other_cell)
    PositionFactory(term=term, member=Member.objects.get(user=world.other_member), role="secretary")
    page = _page(client, world.other_member, "library:detail", published.pk).content.decode()
    assert reverse("library:adopt", args=[published.pk]) in page
    own = _page(client, world.secretary, "library:detail", published.pk).content.decode()
    assert reverse("library:adopt", args=[published.pk]) not in own


def test_the_officers_home_lists_models_to_approve(world, issued):
    """The selector and partial the home page includes (home/views.py, home/home.html)."""
    from django.template.loader import render_to_string

    from library import selectors

    model = services.register_model(actor=world.secretary, session=issued)
    assert selectors.to_approve(world.officer) == [model]
    assert selectors.to_approve(world.secretary) == []
    assert selectors.to_approve(world.foreign_officer) == []
    html = render_to_string("library/_home.html", {"models_to_approve": [model]})
    assert reverse("library:detail", args=[model.pk]) in html
