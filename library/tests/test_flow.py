"""The whole journey of a model session: registered with the Đảng ủy, approved (or declined), refused
publication until evaluated, published, read and adopted by another cell, seen on the overview."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from core.errors import DomainError, InvalidTransition
from library import services
from library.models import Adoption, ModelSession
from library.tests import helpers
from notifications.models import Notification
from planning.models import AnnualPlan, Session
from tests import scenarios


def _recipients(title_part: str) -> set[str]:
    """Who was notified since the last call, about something whose title contains ``title_part``."""
    told = set(
        Notification.objects.filter(title__contains=title_part).values_list("recipient__username", flat=True)
    )
    Notification.objects.all().delete()
    return told


def test_register_approve_publish_read_adopt_and_oversee(client, world, issued, other_secretary):
    Notification.objects.all().delete()  # those of the session's own cycle
    # The secretary registers the session; the Đảng ủy is asked to approve it.
    model = services.register_model(actor=world.secretary, session=issued, note="Chuẩn bị công phu")
    assert (model.status, model.cell, model.party) == (
        ModelSession.Status.REGISTERED,
        world.cell,
        world.party,
    )
    assert _recipients(issued.title) == {world.officer.username}

    services.approve_model(actor=world.officer, model=model)
    model.refresh_from_db()
    assert model.status == ModelSession.Status.APPROVED and model.decided_by == world.officer
    assert _recipients(issued.title) == {world.secretary.username, world.deputy.username}

    # Not evaluated yet: publication is refused, nothing is frozen.
    with pytest.raises(InvalidTransition) as refused:
        services.publish_model(actor=world.secretary, model=model)
    assert str(issued.get_status_display()) in str(refused.value.message)
    model.refresh_from_db()
    assert model.status == ModelSession.Status.APPROVED and model.package is None

    scenarios.evaluate(issued, actor=world.secretary)
    Notification.objects.all().delete()  # the presenter's
    services.publish_model(actor=world.secretary, model=model)
    model.refresh_from_db()
    package = model.package
    assert model.status == ModelSession.Status.PUBLISHED and model.published_by == world.secretary
    assert package["topic"]["title"] == issued.title
    assert package["session"]["presenters"] == ["Lê Văn Đức"]
    assert "Bản hoàn chỉnh sau buổi sinh hoạt." in package["final_text"]["html"]
    assert package["resolution"]["symbol"] == "01-NQ/CB"
    assert package["resolution"]["tasks"][0]["description"] == "Xây dựng giờ giảng mẫu"
    assert package["minutes"]["symbol"] == "01-BB/CB"
    assert package["minutes"]["attendance"]["present"] == 4
    texts = [b.get("text", "") for b in package["minutes"]["blocks"]]
    assert texts[0].startswith("II.") and "Nhất trí" in texts
    assert package["evaluation"]["lessons"] == [
        "Gửi dự thảo trước một tuần",
        "Phân công người chuẩn bị ý kiến liên hệ",
        "Nghị quyết có thời hạn cụ thể",
    ]
    # The secretaries of the Đảng bộ's cells are told a model is in the library (not the one who
    # published it).
    assert _recipients(issued.title) == {world.deputy.username, other_secretary.username}

    # The secretary of the other cell reads it and adopts it for next year's second quarter.
    client.force_login(other_secretary)
    library = client.get(reverse("library:list")).content.decode()
    assert issued.title in library
    page = client.get(reverse("library:detail", args=[model.pk])).content.decode()
    assert "Bản hoàn chỉnh sau buổi sinh hoạt." in page and "01-NQ/CB" in page and 'id="adopt"' in page
    year = helpers.next_year()
    response = client.post(
        reverse("library:adopt", args=[model.pk]),
        {"cell": world.other_cell.pk, "year": year, "quarter": 2},
    )
    adoption = Adoption.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:session", args=[adoption.session_id])
    session = adoption.session
    assert (session.cell, session.title, session.quarter, session.plan.year) == (
        world.other_cell,
        issued.title,
        2,
        year,
    )
    assert session.status == Session.Status.PLANNED
    # The other cell had no plan for next year: adopting started it, as a draft.
    assert adoption.plan_created and session.plan.status == AnnualPlan.Status.DRAFT
    # The Đảng ủy and the model's cell are told.
    assert _recipients(world.other_cell.name) == {
        world.officer.username,
        world.secretary.username,
        world.deputy.username,
    }

    # The adopted session links back to the model (the tag planning's session page includes).
    request = RequestFactory().get("/")
    request.user = other_secretary
    links = Template("{% load library %}{% model_session_links session %}").render(
        Context({"request": request, "session": session})
    )
    assert reverse("library:detail", args=[model.pk]) in links and world.cell.name in links

    # The Đảng ủy sees which cell adopted which model.
    client.force_login(world.officer)
    overview = client.get(reverse("library:adoptions", args=[world.party.pk])).content.decode()
    assert world.other_cell.name in overview
    assert reverse("planning:session", args=[session.pk]) in overview


def test_the_party_committee_declines_with_a_reason_and_the_cell_may_register_again(world, issued):
    model = services.register_model(actor=world.deputy, session=issued)
    with pytest.raises(DomainError) as refused:
        services.decline_model(actor=world.officer, model=model, reason="   ")
    assert refused.value.field == "reason"
    services.decline_model(actor=world.officer, model=model, reason="Chưa đủ điều kiện")
    model.refresh_from_db()
    assert (model.status, model.reason) == (ModelSession.Status.DECLINED, "Chưa đủ điều kiện")
    with pytest.raises(InvalidTransition):
        services.approve_model(actor=world.officer, model=model)
    with pytest.raises(InvalidTransition):
        services.publish_model(actor=world.secretary, model=model)
    again = services.register_model(actor=world.secretary, session=issued)
    assert again.pk != model.pk and again.status == ModelSession.Status.REGISTERED


def test_a_session_is_registered_once_at_a_time_and_never_when_cancelled(world, issued):
    services.register_model(actor=world.secretary, session=issued)
    with pytest.raises(InvalidTransition):
        services.register_model(actor=world.deputy, session=issued)
    cancelled = helpers.plan_session(world.cell, "Buổi đã hủy")
    from planning import services as planning

    planning.cancel_session(actor=world.secretary, session=cancelled, reason="Trùng lịch")
    with pytest.raises(InvalidTransition):
        services.register_model(actor=world.secretary, session=cancelled)
    assert ModelSession.objects.count() == 1


def test_the_cell_withdraws_before_publication(world, issued):
    Notification.objects.all().delete()
    model = services.register_model(actor=world.secretary, session=issued)
    services.approve_model(actor=world.officer, model=model)
    with pytest.raises(DomainError):
        services.withdraw_model(actor=world.secretary, model=model, reason="")
    services.withdraw_model(actor=world.secretary, model=model, reason="Buổi sinh hoạt bị hủy")
    model.refresh_from_db()
    assert model.status == ModelSession.Status.WITHDRAWN
    assert world.officer.username in _recipients(issued.title)


def test_the_package_is_frozen_at_publication(world, published):
    session = published.session
    scenarios.evaluate(session, actor=world.secretary, lessons="Một bài học mới")
    published.refresh_from_db()
    assert "Một bài học mới" not in published.package["evaluation"]["lessons"]
    with pytest.raises(InvalidTransition):
        services.publish_model(actor=world.officer, model=published)


def test_the_officer_may_publish_the_cells_model(world, evaluated):
    model = services.register_model(actor=world.secretary, session=evaluated)
    services.approve_model(actor=world.officer, model=model)
    services.publish_model(actor=world.officer, model=model)
    model.refresh_from_db()
    assert model.is_published and model.published_by == world.officer


def test_removing_a_planned_session_takes_its_registration_along(world):
    from planning import services as planning

    session = helpers.plan_session(world.cell, "Chuyên đề quý I")
    services.register_model(actor=world.secretary, session=session)
    planning.remove_session(actor=world.secretary, session=session)
    assert not ModelSession.objects.exists()


def test_publication_waits_for_corrected_minutes(world, evaluated):
    from meetings import services as meetings
    from meetings.models import Meeting

    model = services.register_model(actor=world.secretary, session=evaluated)
    services.approve_model(actor=world.officer, model=model)
    meetings.start_correction(
        actor=world.secretary, meeting=Meeting.objects.get(session=evaluated), reason="Sai giờ"
    )
    with pytest.raises(InvalidTransition):
        services.publish_model(actor=world.secretary, model=model)
    model.refresh_from_db()
    assert model.package is None
