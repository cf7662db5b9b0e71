"""The planning API does what the planning pages do: the same services change the same objects, the
same refusals come back in the one error shape, in Vietnamese (the default language)."""

from datetime import date

import pytest
from django.utils import timezone

from core.models import AuditEntry
from planning import services
from planning.models import AnnualPlan, Registration, Session, Topic
from tests import scenarios
from tests.factories import CellFactory
from tests.scenarios import record

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate().year + 1  # the scenarios' plan (fixed clock: 2027)


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def audited(action):
    return AuditEntry.objects.filter(action=action).count()


# --- Plans --------------------------------------------------------------------------------------


class TestPlans:
    def test_the_secretary_creates_a_plan_adds_a_session_and_submits_it(self, client, world):
        client.force_login(world.secretary)
        response = post(
            client, "/api/v1/plans", {"cell_id": world.cell.pk, "year": NEXT_YEAR, "purpose": "x"}
        )
        assert response.status_code == 201, response.content
        plan = response.json()
        assert (plan["year"], plan["status"], plan["cell_id"]) == (NEXT_YEAR, "draft", world.cell.pk)
        assert audited("planning.plan.created") == 1

        response = post(
            client,
            f"/api/v1/plans/{plan['id']}/sessions",
            {"quarter": 1, "title": "Văn hóa Hồ Chí Minh", "planned_date": f"{NEXT_YEAR}-02-10"},
        )
        assert response.status_code == 201, response.content
        session = response.json()
        assert (session["quarter"], session["month"], session["status"]) == (1, 2, "planned")
        assert session["ics_url"] == f"/lich/buoi/{session['id']}.ics"

        response = post(client, f"/api/v1/plans/{plan['id']}/submit")
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["status"] == "submitted" and body["document_symbol"]
        assert [s["title"] for s in body["sessions"]] == ["Văn hóa Hồ Chí Minh"]
        assert AnnualPlan.objects.get(pk=plan["id"]).status == AnnualPlan.Status.SUBMITTED

    def test_submitting_an_empty_plan_is_refused_with_the_pages_message(self, client, world):
        plan = services.create_plan(actor=None, cell=world.cell, year=NEXT_YEAR)
        client.force_login(world.secretary)
        response = post(client, f"/api/v1/plans/{plan.pk}/submit")
        assert response.status_code == 400
        assert response.json()["message"] == "Hãy thêm ít nhất một buổi sinh hoạt trước khi trình kế hoạch."
        plan.refresh_from_db()
        assert plan.status == AnnualPlan.Status.DRAFT

    def test_the_dang_uy_acknowledges_or_returns_with_remarks(self, client, world):
        plan = scenarios.plan(world, "submitted")
        client.force_login(world.officer)
        response = post(client, f"/api/v1/plans/{plan.pk}/return", {"remarks": "Bổ sung chuyên đề quý III"})
        assert response.status_code == 200
        assert (response.json()["status"], response.json()["remarks"]) == (
            "returned",
            "Bổ sung chuyên đề quý III",
        )
        # Returned, it is no longer waiting: the service's refusal, as the page shows it.
        response = post(client, f"/api/v1/plans/{plan.pk}/acknowledge")
        assert response.status_code == 409
        assert response.json() == {
            "code": "invalid_state",
            "message": "Chỉ tiếp nhận được kế hoạch đã trình.",
            "fields": {},
        }
        client.force_login(world.secretary)
        assert post(client, f"/api/v1/plans/{plan.pk}/submit").status_code == 200
        client.force_login(world.officer)
        response = post(client, f"/api/v1/plans/{plan.pk}/acknowledge")
        assert response.status_code == 200 and response.json()["status"] == "acknowledged"
        assert audited("planning.plan.acknowledged") == 1

    def test_returning_without_remarks_names_the_field(self, client, world):
        plan = scenarios.plan(world, "submitted")
        client.force_login(world.officer)
        response = post(client, f"/api/v1/plans/{plan.pk}/return", {"remarks": ""})
        assert response.status_code == 400
        assert response.json()["code"] == "invalid" and "remarks" in response.json()["fields"]

    def test_a_wrong_year_gets_the_forms_message(self, client, world):
        client.force_login(world.secretary)
        response = post(client, "/api/v1/plans", {"cell_id": world.cell.pk, "year": 1999})
        assert response.status_code == 400
        assert response.json()["fields"] == {"year": ["Năm phải từ 2000 đến 2100."]}
        response = post(client, "/api/v1/plans", {"cell_id": world.cell.pk})
        assert response.status_code == 422 and "year" in response.json()["fields"]

    def test_a_member_may_read_but_not_submit(self, client, world):
        plan = scenarios.plan(world)
        client.force_login(world.member)
        assert client.get(f"/api/v1/plans/{plan.pk}").status_code == 200
        response = post(client, f"/api/v1/plans/{plan.pk}/submit")
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
        assert not AuditEntry.objects.filter(action="planning.plan.submitted").exists()

    def test_another_party_does_not_see_the_plan(self, client, world):
        plan = scenarios.plan(world)
        client.force_login(world.foreign_officer)
        response = client.get(f"/api/v1/plans/{plan.pk}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert post(client, f"/api/v1/plans/{plan.pk}/acknowledge").status_code == 404

    def test_the_list_filters_by_year_status_and_cell(self, client, world):
        scenarios.plan(world, "submitted")
        services.create_plan(actor=None, cell=world.other_cell, year=NEXT_YEAR)
        services.create_plan(actor=None, cell=world.cell, year=NEXT_YEAR - 1)
        client.force_login(world.officer)
        body = client.get("/api/v1/plans").json()
        assert body["count"] == 3
        assert [p["year"] for p in body["items"]] == [NEXT_YEAR, NEXT_YEAR, NEXT_YEAR - 1]  # newest first
        assert client.get(f"/api/v1/plans?year={NEXT_YEAR}").json()["count"] == 2
        submitted = client.get("/api/v1/plans?status=submitted").json()["items"]
        assert [(p["cell_id"], p["status"]) for p in submitted] == [(world.cell.pk, "submitted")]
        assert client.get(f"/api/v1/plans?cell={world.other_cell.pk}").json()["count"] == 1
        assert client.get("/api/v1/plans?status=lost").status_code == 422
        # A member of the cell sees their own cell's plans only.
        client.force_login(world.member)
        assert {p["cell_id"] for p in client.get("/api/v1/plans").json()["items"]} == {world.cell.pk}

    def test_listing_plans_costs_the_same_queries_for_many_plans(
        self, client, world, django_assert_max_num_queries
    ):
        services.create_plan(actor=None, cell=world.cell, year=NEXT_YEAR)
        client.force_login(world.admin)
        with django_assert_max_num_queries(8) as few:
            assert client.get("/api/v1/plans").json()["count"] == 1
        for n in range(6):
            services.create_plan(
                actor=None, cell=CellFactory(parent=world.party, name=f"Chi bộ {n}"), year=NEXT_YEAR
            )
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get("/api/v1/plans").json()["count"] == 7

    def test_plan_detail_queries_do_not_grow_with_its_sessions(
        self, client, world, django_assert_max_num_queries
    ):
        plan = scenarios.plan(world)
        client.force_login(world.secretary)
        with django_assert_max_num_queries(40) as few:
            client.get(f"/api/v1/plans/{plan.pk}")
        for quarter in (2, 3, 4):
            session = services.add_session(actor=None, plan=plan, quarter=quarter, title=f"Quý {quarter}")
            services.assign_presenters(actor=None, session=session, members=[record(world.member)])
        with django_assert_max_num_queries(len(few.captured_queries)):
            body = client.get(f"/api/v1/plans/{plan.pk}").json()
        assert (
            len(body["sessions"]) == 4 and body["sessions"][-1]["presenters"][0]["full_name"] == "Lê Văn Đức"
        )


# --- A plan's sessions -------------------------------------------------------------------------


class TestPlanSessions:
    def test_editing_changes_only_what_is_sent(self, client, world):
        session = scenarios.session_at(world, "planned")
        client.force_login(world.deputy)
        response = client.patch(
            f"/api/v1/sessions/{session.pk}",
            {"planned_date": f"{NEXT_YEAR}-03-05"},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        session.refresh_from_db()
        assert (session.planned_date, session.month, session.title) == (
            date(NEXT_YEAR, 3, 5),
            3,
            scenarios.SESSION_TITLE,
        )
        assert AuditEntry.objects.filter(action="planning.session.updated").count() == 1

    def test_a_date_outside_the_quarter_is_refused_on_its_field(self, client, world):
        session = scenarios.session_at(world, "planned")
        client.force_login(world.secretary)
        response = client.patch(
            f"/api/v1/sessions/{session.pk}",
            {"planned_date": f"{NEXT_YEAR}-08-05"},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert list(response.json()["fields"]) in (["planned_date"], ["month"])
        session.refresh_from_db()
        assert session.planned_date == date(NEXT_YEAR, 2, 10)

    def test_an_empty_title_takes_the_topics_and_a_missing_quarter_is_named(self, client, world):
        session = scenarios.session_at(world, "planned")
        group = services.ensure_topic_groups(world.party)[0]
        topic = services.create_topic(
            actor=None, organization=world.party, group=group, title="Văn hóa công sở"
        )
        client.force_login(world.secretary)
        url = f"/api/v1/sessions/{session.pk}"
        response = client.patch(url, {"topic": topic.pk, "title": ""}, content_type="application/json")
        assert response.status_code == 200, response.content
        assert (response.json()["topic_id"], response.json()["title"]) == (topic.pk, "Văn hóa công sở")
        response = client.patch(url, {"quarter": None}, content_type="application/json")
        assert response.status_code == 400 and "quarter" in response.json()["fields"]

    def test_a_session_under_way_stays_as_it_is(self, client, world):
        session = scenarios.session_at(world, "drafting")
        client.force_login(world.secretary)
        response = client.patch(
            f"/api/v1/sessions/{session.pk}", {"title": "Khác"}, content_type="application/json"
        )
        assert response.status_code == 409
        client.force_login(world.member)
        response = client.patch(
            f"/api/v1/sessions/{session.pk}", {"title": "Khác"}, content_type="application/json"
        )
        assert response.status_code == 403
        session.refresh_from_db()
        assert session.title == scenarios.SESSION_TITLE

    def test_removing_then_restoring_a_session(self, client, world):
        session = scenarios.session_at(world, "assigned")
        client.force_login(world.secretary)
        assert client.delete(f"/api/v1/sessions/{session.pk}").status_code == 204
        assert not Session.objects.filter(pk=session.pk).exists()
        plan = client.get(f"/api/v1/plans/{session.plan_id}").json()
        assert plan["sessions"] == []
        [removed] = plan["removed_sessions"]
        assert removed["title"] == scenarios.SESSION_TITLE
        response = post(
            client, f"/api/v1/plans/{session.plan_id}/removed-sessions/{removed['entry_id']}/restore"
        )
        assert response.status_code == 200, response.content
        restored = response.json()
        assert restored["title"] == scenarios.SESSION_TITLE and restored["status"] == "assigned"
        assert [p["full_name"] for p in restored["presenters"]] == ["Lê Văn Đức"]
        # Once restored, the entry cannot be used again.
        response = post(
            client, f"/api/v1/plans/{session.plan_id}/removed-sessions/{removed['entry_id']}/restore"
        )
        assert response.status_code == 409

    def test_removed_sessions_are_shown_only_to_who_plans(self, client, world):
        plan = scenarios.plan(world)
        services.remove_session(actor=None, session=plan.sessions.get())
        client.force_login(world.member)
        assert client.get(f"/api/v1/plans/{plan.pk}").json()["removed_sessions"] == []

    def test_a_session_under_way_cannot_be_removed(self, client, world):
        session = scenarios.session_at(world, "drafting")
        client.force_login(world.secretary)
        response = client.delete(f"/api/v1/sessions/{session.pk}")
        assert response.status_code == 409
        assert (
            response.json()["message"]
            == "Buổi sinh hoạt này đang được triển khai; nếu cần, hãy hủy buổi sinh hoạt và nêu lý do."
        )
        assert Session.objects.filter(pk=session.pk).exists()


# --- Sessions ----------------------------------------------------------------------------------


class TestSessions:
    def test_the_session_as_its_page_shows_it(self, client, world):
        session = scenarios.session_at(world, "assigned")
        client.force_login(world.secretary)
        body = client.get(f"/api/v1/sessions/{session.pk}").json()
        assert [p["full_name"] for p in body["presenters"]] == ["Lê Văn Đức"]
        assert [d["code"] for d in body["deadlines"]] == ["draft", "approval", "distribution", "comments"]
        assert all(d["due"] <= f"{NEXT_YEAR}-02-10" for d in body["deadlines"])
        assert [s["state"] for s in body["steps"]][:3] == ["done", "current", "todo"]
        assert body["progress"]["number"] == 2 and body["progress"]["total"] == len(body["steps"])
        assert body["page_url"] == f"/ke-hoach/buoi/{session.pk}/"
        # The presenter is told to write the draft; the secretary is not.
        client.force_login(world.member)
        labels = [a["label"] for a in client.get(f"/api/v1/sessions/{session.pk}").json()["next_actions"]]
        assert "Viết dự thảo và trình duyệt" in labels

    def test_a_member_sees_only_their_own_registrations(self, client, world):
        session = scenarios.session_at(world, "planned")
        services.register(actor=None, member=record(world.probationary), cell=world.cell, session=session)
        services.register(actor=None, member=record(world.member), cell=world.cell, session=session)
        client.force_login(world.member)
        mine = client.get(f"/api/v1/sessions/{session.pk}").json()["registrations"]
        assert [r["member"]["full_name"] for r in mine] == ["Lê Văn Đức"]
        client.force_login(world.secretary)
        assert len(client.get(f"/api/v1/sessions/{session.pk}").json()["registrations"]) == 2

    def test_postponing_moves_the_date_and_keeps_the_stage(self, client, world):
        session = scenarios.session_at(world, "assigned")
        client.force_login(world.secretary)
        response = post(
            client,
            f"/api/v1/sessions/{session.pk}/postpone",
            {"new_date": f"{NEXT_YEAR}-04-08", "reason": "Trùng lịch"},
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["planned_date"], body["quarter"], body["postponed_from"], body["status"]) == (
            f"{NEXT_YEAR}-04-08",
            2,
            f"{NEXT_YEAR}-02-10",
            "assigned",
        )
        assert AuditEntry.objects.filter(action="planning.session.postponed").count() == 1

    def test_postponing_to_an_earlier_date_is_refused_on_its_field(self, client, world):
        session = scenarios.session_at(world, "planned")
        client.force_login(world.secretary)
        response = post(
            client,
            f"/api/v1/sessions/{session.pk}/postpone",
            {"new_date": f"{NEXT_YEAR}-01-08", "reason": "Trùng lịch"},
        )
        assert response.status_code == 400
        body = response.json()
        assert body["fields"] == {"new_date": [body["message"]]}
        assert body["message"] == "Ngày mới phải sau ngày dự kiến."
        response = post(
            client, f"/api/v1/sessions/{session.pk}/postpone", {"new_date": "hôm qua", "reason": "x"}
        )
        assert response.status_code == 422 and "new_date" in response.json()["fields"]

    def test_cancelling_needs_a_reason_and_then_keeps_the_session(self, client, world):
        session = scenarios.session_at(world, "planned")
        client.force_login(world.secretary)
        response = post(client, f"/api/v1/sessions/{session.pk}/cancel", {"reason": ""})
        assert response.status_code == 400 and "reason" in response.json()["fields"]
        response = post(client, f"/api/v1/sessions/{session.pk}/cancel", {"reason": "Chi bộ sáp nhập"})
        assert response.status_code == 200
        assert (response.json()["status"], response.json()["cancelled_reason"]) == (
            "cancelled",
            "Chi bộ sáp nhập",
        )
        assert response.json()["progress"] is None
        response = post(client, f"/api/v1/sessions/{session.pk}/cancel", {"reason": "Lần nữa"})
        assert response.status_code == 409

    def test_a_member_cannot_postpone(self, client, world):
        session = scenarios.session_at(world, "planned")
        client.force_login(world.member)
        response = post(
            client,
            f"/api/v1/sessions/{session.pk}/postpone",
            {"new_date": f"{NEXT_YEAR}-04-08", "reason": "x"},
        )
        assert response.status_code == 403
        assert response.json()["message"] == "Đồng chí không có quyền thực hiện việc này."

    def test_presenters_are_set_as_a_whole(self, client, world):
        session = scenarios.session_at(world, "planned")
        client.force_login(world.secretary)
        url = f"/api/v1/sessions/{session.pk}/presenters"
        member, probationary = record(world.member), record(world.probationary)
        response = client.put(url, {"members": [member.pk, probationary.pk]}, content_type="application/json")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "assigned"
        assert {p["id"] for p in response.json()["presenters"]} == {member.pk, probationary.pk}
        response = client.put(url, {"members": []}, content_type="application/json")
        assert response.json()["status"] == "planned" and response.json()["presenters"] == []

    def test_a_presenter_from_another_cell_is_refused(self, client, world):
        session = scenarios.session_at(world, "planned")
        client.force_login(world.secretary)
        outsider = record(world.other_member)
        response = client.put(
            f"/api/v1/sessions/{session.pk}/presenters",
            {"members": [outsider.pk]},
            content_type="application/json",
        )
        assert response.status_code == 400 and "members" in response.json()["fields"]
        assert not session.presenters.exists()

    def test_the_list_filters_by_year_quarter_cell_and_status(self, client, world):
        plan = scenarios.plan(world)
        services.add_session(actor=None, plan=plan, quarter=3, title="Quý 3")
        other = services.create_plan(actor=None, cell=world.other_cell, year=NEXT_YEAR)
        services.add_session(actor=None, plan=other, quarter=3, title="Chi bộ khác")
        client.force_login(world.officer)
        assert client.get("/api/v1/sessions").json()["count"] == 3
        assert client.get(f"/api/v1/sessions?year={NEXT_YEAR}&quarter=3").json()["count"] == 2
        found = client.get(f"/api/v1/sessions?cell={world.cell.pk}&quarter=3").json()["items"]
        assert [s["title"] for s in found] == ["Quý 3"]
        assert client.get("/api/v1/sessions?status=cancelled").json()["count"] == 0
        assert client.get("/api/v1/sessions?quarter=5").status_code == 422
        client.force_login(world.other_member)
        assert [s["title"] for s in client.get("/api/v1/sessions").json()["items"]] == ["Chi bộ khác"]

    def test_listing_sessions_costs_the_same_queries_for_many(
        self, client, world, django_assert_max_num_queries
    ):
        plan = scenarios.plan(world)
        client.force_login(world.secretary)
        with django_assert_max_num_queries(10) as few:
            client.get("/api/v1/sessions")
        for quarter in (2, 3, 4):
            session = services.add_session(actor=None, plan=plan, quarter=quarter, title=f"Quý {quarter}")
            services.assign_presenters(actor=None, session=session, members=[record(world.member)])
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get("/api/v1/sessions").json()["count"] == 4

    def test_pages_of_sessions(self, client, world):
        plan = scenarios.plan(world)
        for quarter in (2, 3, 4):
            services.add_session(actor=None, plan=plan, quarter=quarter, title=f"Quý {quarter}")
        client.force_login(world.member)
        first = client.get("/api/v1/sessions?page_size=3").json()
        second = client.get("/api/v1/sessions?page_size=3&page=2").json()
        assert first["count"] == second["count"] == 4
        ids = [s["id"] for s in first["items"] + second["items"]]
        assert len(ids) == len(set(ids)) == 4


# --- Registrations ------------------------------------------------------------------------------


class TestRegistrations:
    def test_a_member_registers_and_the_secretary_accepts(self, client, world):
        session = scenarios.session_at(world, "planned")
        client.force_login(world.probationary)
        response = post(client, f"/api/v1/sessions/{session.pk}/registrations", {"note": "Xin được chuẩn bị"})
        assert response.status_code == 201, response.content
        registration = response.json()
        assert (registration["status"], registration["session_id"]) == ("pending", session.pk)
        assert client.get(f"/api/v1/registrations/{registration['id']}").status_code == 200
        # Registering twice for the same session: the model's own message.
        again = post(client, f"/api/v1/sessions/{session.pk}/registrations")
        assert again.status_code == 400

        client.force_login(world.member)  # a cell-mate does not see someone else's registration
        assert client.get(f"/api/v1/registrations/{registration['id']}").status_code == 404

        client.force_login(world.secretary)
        response = post(client, f"/api/v1/registrations/{registration['id']}/accept")
        assert response.status_code == 200 and response.json()["status"] == "accepted"
        session.refresh_from_db()
        assert session.status == Session.Status.ASSIGNED
        assert list(session.presenters.all()) == [record(world.probationary)]
        response = post(client, f"/api/v1/registrations/{registration['id']}/decline", {"reason": "Muộn"})
        assert response.status_code == 409
        assert response.json()["message"] == "Đăng ký này đã được xử lý."

    def test_the_secretary_declines_with_a_reason(self, client, world):
        session = scenarios.session_at(world, "planned")
        registration = services.register(
            actor=None, member=record(world.probationary), cell=world.cell, session=session
        )
        client.force_login(world.deputy)
        response = post(client, f"/api/v1/registrations/{registration.pk}/decline", {"reason": ""})
        assert response.status_code == 400 and "reason" in response.json()["fields"]
        response = post(
            client,
            f"/api/v1/registrations/{registration.pk}/decline",
            {"reason": "Đã phân công đồng chí khác"},
        )
        assert response.status_code == 200
        assert (response.json()["status"], response.json()["decision_reason"]) == (
            "declined",
            "Đã phân công đồng chí khác",
        )
        client.force_login(world.member)
        assert post(client, f"/api/v1/registrations/{registration.pk}/accept").status_code == 403

    def test_a_topic_registration_is_accepted_into_a_new_session_of_a_quarter(self, client, world):
        this_year = services.create_plan(actor=None, cell=world.cell, year=timezone.localdate().year)
        group = services.ensure_topic_groups(world.party)[0]
        topic = services.create_topic(
            actor=None, organization=world.party, group=group, title="Văn hóa công sở"
        )
        client.force_login(world.member)
        response = post(client, f"/api/v1/topics/{topic.pk}/registrations", {"note": ""})
        assert response.status_code == 201, response.content
        registration_id = response.json()["id"]
        assert response.json()["topic_id"] == topic.pk and response.json()["cell_id"] == world.cell.pk
        client.force_login(world.secretary)
        response = post(client, f"/api/v1/registrations/{registration_id}/accept")
        assert response.status_code == 400
        assert response.json()["message"] == "Hãy chọn buổi sinh hoạt, hoặc chọn quý để thêm buổi mới."
        response = post(client, f"/api/v1/registrations/{registration_id}/accept", {"quarter": 4})
        assert response.status_code == 200, response.content
        new = Session.objects.get(pk=response.json()["session_id"])
        assert (new.plan, new.quarter, new.topic, new.title) == (this_year, 4, topic, "Văn hóa công sở")
        assert Registration.objects.get(pk=registration_id).status == Registration.Status.ACCEPTED

    def test_the_list_holds_what_the_secretary_decides_and_the_members_own(self, client, world):
        session = scenarios.session_at(world, "planned")
        for persona in ("probationary", "member"):
            services.register(
                actor=None, member=record(world.persona(persona)), cell=world.cell, session=session
            )
        declined = Registration.objects.get(member__user=world.member)
        services.decline_registration(actor=None, registration=declined, reason="Đã có người")
        client.force_login(world.secretary)
        body = client.get("/api/v1/registrations").json()
        assert [r["member"]["full_name"] for r in body["items"]] == ["Phạm Thị Mai", "Lê Văn Đức"]
        pending = client.get(f"/api/v1/registrations?status=pending&session={session.pk}").json()["items"]
        assert [r["member"]["full_name"] for r in pending] == ["Phạm Thị Mai"]
        client.force_login(world.member)
        assert [r["status"] for r in client.get("/api/v1/registrations").json()["items"]] == ["declined"]
        client.force_login(world.officer)
        assert client.get("/api/v1/registrations").json()["count"] == 0

    def test_the_officer_has_no_member_record_to_register_with(self, client, world):
        session = scenarios.session_at(world, "planned")
        client.force_login(world.officer)
        response = post(client, f"/api/v1/sessions/{session.pk}/registrations")
        assert response.status_code == 403
        assert not Registration.objects.exists()


# --- Topics and orientation -------------------------------------------------------------------


class TestCatalogue:
    def test_the_dang_uy_adds_to_its_catalogue_and_a_member_proposes(self, client, world):
        group = services.ensure_topic_groups(world.party)[0]
        client.force_login(world.officer)
        response = post(
            client,
            f"/api/v1/organizations/{world.party.pk}/topics",
            {"group": group.pk, "title": "Chuyển đổi số trong công tác đảng"},
        )
        assert response.status_code == 201, response.content
        assert (response.json()["source"], response.json()["proposed_by"]) == ("orientation", None)

        client.force_login(world.member)
        response = post(
            client,
            f"/api/v1/organizations/{world.cell.pk}/topics",
            {"group": group.pk, "title": "Học tập suốt đời"},
        )
        assert response.status_code == 201, response.content
        proposed = response.json()
        assert proposed["source"] == "member" and proposed["proposed_by"]["full_name"] == "Lê Văn Đức"
        assert Topic.objects.get(pk=proposed["id"]).organization == world.cell
        assert AuditEntry.objects.filter(action="planning.topic.created").count() == 2

    def test_a_group_from_another_party_is_not_a_choice(self, client, world):
        services.ensure_topic_groups(world.party)
        foreign = services.ensure_topic_groups(world.other_party)[0]
        client.force_login(world.member)
        response = post(
            client, f"/api/v1/organizations/{world.cell.pk}/topics", {"group": foreign.pk, "title": "Chủ đề"}
        )
        assert response.status_code == 400 and "group" in response.json()["fields"]
        assert not Topic.objects.exists()

    def test_the_officer_may_not_propose_for_a_cell(self, client, world):
        group = services.ensure_topic_groups(world.party)[0]
        client.force_login(world.officer)
        response = post(
            client, f"/api/v1/organizations/{world.cell.pk}/topics", {"group": group.pk, "title": "X"}
        )
        assert response.status_code == 403

    def test_the_catalogue_as_each_reader_sees_it(self, client, world):
        group = services.ensure_topic_groups(world.party)[0]
        services.ensure_topic_groups(world.other_party)
        services.create_topic(actor=None, organization=world.party, group=group, title="Văn hóa công sở")
        services.create_topic(actor=None, organization=world.other_cell, group=group, title="Của chi bộ khác")
        client.force_login(world.member)
        titles = [t["title"] for t in client.get("/api/v1/topics").json()["items"]]
        assert titles == ["Văn hóa công sở"]
        groups = client.get("/api/v1/topic-groups").json()
        assert groups["count"] == 8 and {g["organization_id"] for g in groups["items"]} == {world.party.pk}
        assert client.get(f"/api/v1/topic-groups/{group.pk}").json()["name"] == group.name
        client.force_login(world.foreign_officer)
        assert client.get(f"/api/v1/topic-groups/{group.pk}").status_code == 404
        assert client.get("/api/v1/topics").json()["count"] == 0
        client.force_login(world.admin)
        assert client.get(f"/api/v1/topics?organization={world.other_cell.pk}").json()["count"] == 1
        assert client.get("/api/v1/topics?source=orientation").json()["count"] == 1

    def test_the_orientation_is_read_by_the_dang_uy(self, client, world):
        group = services.ensure_topic_groups(world.party)[0]
        topic = services.create_topic(
            actor=None, organization=world.party, group=group, title="Văn hóa công sở"
        )
        services.set_orientation(
            actor=None, party=world.party, year=NEXT_YEAR, plans_due=date(NEXT_YEAR, 1, 31), topics=[topic]
        )
        client.force_login(world.officer)
        body = client.get(f"/api/v1/organizations/{world.party.pk}/orientations/{NEXT_YEAR}").json()
        assert body["plans_due"] == f"{NEXT_YEAR}-01-31"
        assert [t["title"] for t in body["topics"]] == ["Văn hóa công sở"]
        missing = client.get(f"/api/v1/organizations/{world.party.pk}/orientations/{NEXT_YEAR + 1}")
        assert missing.status_code == 404
        # The cell does not see its Đảng bộ as an organisation it may open.
        client.force_login(world.secretary)
        assert (
            client.get(f"/api/v1/organizations/{world.party.pk}/orientations/{NEXT_YEAR}").status_code == 404
        )


def test_every_planning_operation_is_documented_in_vietnamese(client, world):
    client.force_login(world.member)
    schema = client.get("/api/v1/openapi.json").json()
    ours = [
        operation
        for operations in schema["paths"].values()
        for operation in operations.values()
        if operation["tags"] == ["planning"]
    ]
    assert len(ours) == 27
    assert all(operation["summary"] for operation in ours)
    # The schemas carry examples (the inputs and the answers).
    for name in ("PlanIn", "SessionIn", "PostponeIn", "PlanOut", "SessionOut", "RegistrationOut"):
        properties = schema["components"]["schemas"][name]["properties"]
        assert any("examples" in field for field in properties.values()), name
