"""Each service that changes what another system of the Đảng ủy wants to know writes its webhook event
in its own transaction: the event is there when the change is, and gone when the change rolls back."""

from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications import services
from notifications.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from tests import scenarios

SITE = "https://chuyende.truongchinhtri.vn"


@pytest.fixture
def endpoint(world, settings):
    """The Đảng bộ's portal, asking for every event (of the Đảng bộ and every cell under it)."""
    settings.SITE_URL = SITE
    return services.register_webhook(
        actor=world.officer,
        organization=world.party,
        url="https://cong-thong-tin.example.vn/hook",
        events=WebhookEvent.values,
    )


def _events() -> list[str]:
    return list(WebhookDelivery.objects.order_by("pk").values_list("event", flat=True))


def _payload(event: str) -> dict:
    return WebhookDelivery.objects.get(event=event).payload


def _check_common(payload: dict, world, kind: str, path: str) -> None:
    assert payload["organization"] == {"id": world.cell.pk, "name": world.cell.name}
    assert payload["cell"] == world.cell.pk
    assert payload["object"]["kind"] == kind
    assert payload["object"]["url"] == SITE + path
    assert payload["occurred_at"].endswith("Z")


def test_the_plan_submitted_returned_and_acknowledged(world, endpoint):
    from planning import services as planning

    plan = scenarios.plan(world, "submitted")
    planning.return_plan(actor=world.officer, plan=plan, remarks="Bổ sung chuyên đề quý II.")
    planning.submit_plan(actor=world.secretary, plan=plan)
    planning.acknowledge_plan(actor=world.officer, plan=plan)

    assert _events() == ["plan.submitted", "plan.returned", "plan.submitted", "plan.acknowledged"]
    payload = _payload("plan.acknowledged")
    _check_common(payload, world, "plan", f"/ke-hoach/{plan.pk}/")
    assert (payload["object"]["id"], payload["year"], payload["quarter"]) == (plan.pk, plan.year, None)


def test_a_session_postponed_then_cancelled(world, endpoint):
    from planning import services as planning

    session = scenarios.session_at(world, "planned")
    year = session.plan.year
    planning.postpone_session(
        actor=world.secretary, session=session, new_date=date(year, 5, 12), reason="Trùng lịch"
    )
    planning.cancel_session(actor=world.secretary, session=session, reason="Gộp với buổi sau")

    assert _events() == ["session.postponed", "session.cancelled"]
    payload = _payload("session.postponed")
    _check_common(payload, world, "session", f"/ke-hoach/buoi/{session.pk}/")
    assert payload["object"]["title"] == scenarios.SESSION_TITLE
    assert (payload["year"], payload["quarter"]) == (year, 2)  # the quarter it moved to


def test_a_session_from_its_draft_to_its_published_model(world, endpoint):
    """Draft distributed, minutes approved, resolution issued, model session published."""
    model = scenarios.model_session(world, "published")

    assert _events() == [
        "draft.distributed",
        "minutes.approved",
        "resolution.issued",
        "model_session.published",
    ]
    session = model.session
    _check_common(_payload("draft.distributed"), world, "session", reverse("drafts:read", args=[session.pk]))
    minutes = _payload("minutes.approved")
    meeting = session.meeting
    _check_common(minutes, world, "meeting", f"/hop/{meeting.pk}/")
    assert (minutes["year"], minutes["quarter"]) == (meeting.date.year, (meeting.date.month + 2) // 3)
    resolution = _payload("resolution.issued")
    _check_common(resolution, world, "resolution", f"/hop/{meeting.pk}/nghi-quyet/")
    symbol = meeting.resolution.document.symbol
    assert resolution["object"] == {
        "id": meeting.resolution.pk,
        "kind": "resolution",
        "title": f"{symbol}: {scenarios.SESSION_TITLE}",
        "url": SITE + reverse("meetings:resolution", args=[meeting.pk]),
    }
    published = _payload("model_session.published")
    _check_common(published, world, "model_session", f"/mau/{model.pk}/")
    assert (published["year"], published["quarter"]) == (session.plan.year, session.quarter)


def test_a_report_submitted_and_acknowledged(world, endpoint):
    from reports import services as reports

    report = reports.create_report(
        actor=world.secretary, cell=world.cell, year=timezone.localdate().year, quarter=1
    )
    reports.save_text(
        actor=world.secretary, report=report, assessment="Chi bộ thực hiện đúng kế hoạch.", direction=""
    )
    reports.submit_report(actor=world.secretary, report=report)
    reports.acknowledge_report(actor=world.officer, report=report)

    assert _events() == ["report.submitted", "report.acknowledged"]
    payload = _payload("report.submitted")
    _check_common(payload, world, "report", f"/bao-cao/{report.pk}/")
    assert (payload["year"], payload["quarter"]) == (report.year, 1)


def test_the_event_rolls_back_with_the_change(world, endpoint):
    from planning import services as planning
    from planning.models import AnnualPlan

    plan = scenarios.plan(world)

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        planning.submit_plan(actor=world.secretary, plan=plan)
        assert _events() == ["plan.submitted"]  # written in the change's transaction
        raise Undone

    assert _events() == []
    assert AnnualPlan.objects.get(pk=plan.pk).status == AnnualPlan.Status.DRAFT


def test_a_refused_change_emits_nothing(world, endpoint):
    from core.errors import PermissionDenied
    from planning import services as planning

    plan = scenarios.plan(world)
    with pytest.raises(PermissionDenied):
        planning.submit_plan(actor=world.member, plan=plan)
    assert _events() == []


def test_only_the_endpoints_above_the_cell_that_asked_for_the_event_receive_it(world, settings):
    from planning.models import AnnualPlan  # noqa: F401 - the plan's app is loaded by the scenario

    def register(org, events, active=True):
        found = services.register_webhook(
            actor=None,
            organization=org,
            url=f"https://hooks.example.vn/{org.pk}/{len(events)}",
            events=events,
        )
        if not active:
            services.set_webhook_active(actor=None, endpoint=found, active=False)
        return found

    on_cell = register(world.cell, ["plan.submitted"])
    on_party = register(world.party, ["plan.submitted", "report.submitted"])
    register(world.party, ["report.submitted"])  # another event
    register(world.other_cell, ["plan.submitted"])  # a sister cell
    register(world.other_party, ["plan.submitted"])  # another Đảng bộ
    register(world.party, ["plan.submitted"], active=False)

    scenarios.plan(world, "submitted")

    reached = set(WebhookDelivery.objects.values_list("endpoint_id", flat=True))
    assert reached == {on_cell.pk, on_party.pk}
    assert len(set(WebhookDelivery.objects.values_list("event_id", flat=True))) == 1  # one event, two copies
    assert WebhookEndpoint.objects.count() == 6
