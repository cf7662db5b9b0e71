"""``manage.py generate_scale_data``: the tiny preset on the test database, its rows checked against the
models' own rules, the lifecycle and the search index; the refusal; determinism."""

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, models
from django.db.models import Count
from django.utils import translation

from accounts.models import User
from core.models import AuditEntry
from core.sentences import registered_actions
from documents.models import IssuedDocument, NumberRegister
from drafts.models import Comment, Distribution, DraftVersion, Reading, Response, Review
from evaluations.models import ReviewProposal, ReviewRound, SessionEvaluation
from home.scale import EMAIL_DOMAIN, MARK_ACTION, PASSWORD
from home.scale_writer import Tables
from library.models import ModelSession
from meetings.models import Attendance, Meeting, MinutesVersion, Resolution, ResolutionTask, Speech
from notifications.models import Notification
from organizations.models import (
    Exemption,
    Member,
    Membership,
    OfficerAssignment,
    Organization,
    Position,
    Term,
)
from planning.models import AnnualPlan, Assignment, Orientation, Registration, Session, Topic, TopicGroup
from reports.models import Report
from search.models import SearchEntry

S = Session.Status

GENERATED: list[type[models.Model]] = [
    User, Organization, Term, Member, Membership, Position, Exemption, OfficerAssignment, TopicGroup, Topic,
    Orientation, AnnualPlan, Session, Assignment, Registration, DraftVersion, Review, Distribution, Reading,
    Comment, Response, Meeting, Attendance, Speech, MinutesVersion, Resolution, ResolutionTask,
    SessionEvaluation, ReviewRound, ReviewProposal, Report, Notification, AuditEntry, IssuedDocument,
    NumberRegister, SearchEntry, ModelSession,
]  # fmt: skip


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_scale_data", "--preset", "tiny", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def tiny(db: Any) -> str:
    return generate("--seed", "7")


def test_the_tiny_preset_makes_every_kind_of_row_and_reports_its_progress(tiny):
    for model in GENERATED:
        assert model.objects.exists(), model.__name__
    assert "search index" in tiny and PASSWORD in tiny
    # Every audit entry reads as a sentence in an object's history.
    used = set(AuditEntry.objects.values_list("action", flat=True))
    assert used - registered_actions() == set()
    mark = AuditEntry.objects.get(action=MARK_ACTION)
    assert mark.sentence.endswith("để đo hiệu năng (hạt giống 7).")
    with translation.override("en"):
        assert mark.sentence == f"The system generated “{mark.object_repr}” for benchmarks (seed 7)."


def test_a_sample_of_every_table_passes_the_models_validation(tiny):
    for model in GENERATED:
        # The first, middle and last rows: the sample spans cells, years and statuses.
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        for pk in {ids[0], ids[len(ids) // 2], ids[-1]}:
            row = model.objects.get(pk=pk)
            row.full_clean()  # fields, choices and every constraint (unique ones by query)
    # Document numbers run without gaps per term and type, and the registers hold the last one.
    for register in NumberRegister.objects.all():
        numbers = IssuedDocument.objects.filter(term=register.term, doc_type=register.doc_type)
        assert sorted(numbers.values_list("number", flat=True)) == list(range(1, register.last_number + 1))
    # Logins work with the documented password, through the one shared hash.
    member = Member.objects.filter(user__isnull=False).select_related("user").first()
    assert member.user.check_password(PASSWORD)
    assert member.email.endswith(f"@{EMAIL_DOMAIN}")


def test_the_tree_has_its_levels_and_cells_their_sizes(tiny):
    root = Organization.objects.get(parent=None)
    assert root.kind == Organization.Kind.PARTY_COMMITTEE
    cells = Organization.objects.filter(kind=Organization.Kind.CELL)
    assert cells.count() == 6
    assert {cell.depth for cell in cells} == {1}
    sizes = cells.annotate(n=Count("memberships", filter=models.Q(memberships__kind="regular"))).values_list(
        "n", flat=True
    )
    assert all(8 <= n <= 60 for n in sizes)
    # Every cell has a secretary in the current term; the Đảng ủy has officers.
    for cell in cells:
        assert Position.objects.filter(term__organization=cell, role="secretary", end_date=None).count() == 1
    assert OfficerAssignment.objects.filter(organization=root).exists()
    assert Member.objects.filter(status="probationary").exists()


def test_the_province_shape_has_four_levels_and_offices_at_each(db):
    call_command(
        "generate_scale_data", "--preset", "province", "--cells", "30", "--years", "1", stdout=StringIO()
    )
    root = Organization.objects.get(parent=None)
    parties = Organization.objects.filter(kind="party_committee")
    assert {p.depth for p in parties} == {0, 1, 2}  # province, districts, grassroots Đảng bộ
    assert parties.filter(parent=root).count() >= 2
    cells = Organization.objects.filter(kind="cell")
    assert cells.count() == 30
    assert {c.depth for c in cells} == {1, 2, 3}  # the province's offices, the districts', the rest
    # Officers at every level, for the benchmarks' personas.
    assert all(OfficerAssignment.objects.filter(organization=p).exists() for p in parties)


def test_the_district_shape_has_grassroots_parties_and_offices(db):
    call_command(
        "generate_scale_data", "--preset", "district", "--cells", "12", "--years", "1", stdout=StringIO()
    )
    root = Organization.objects.get(parent=None)
    parties = Organization.objects.filter(kind="party_committee")
    assert {p.depth for p in parties} == {0, 1}
    cells = Organization.objects.filter(kind="cell")
    assert cells.count() == 12
    assert {c.depth for c in cells} == {1, 2}  # offices directly under the district, the rest one down
    assert cells.filter(parent=root).exists()
    assert all(OfficerAssignment.objects.filter(organization=p).exists() for p in parties)


def test_session_statuses_agree_with_their_drafts_meetings_and_evaluations(db):
    # Enough cells for every stage to occur on the tests' day.
    call_command(
        "generate_scale_data", "--preset", "school", "--cells", "60", "--years", "1", stdout=StringIO()
    )
    sessions = Session.objects.select_related("meeting", "evaluation", "distribution", "meeting__resolution")
    seen = set()
    for session in sessions.prefetch_related("presenters", "draft_versions", "reviews"):
        status = session.status
        seen.add(status)
        meeting = getattr(session, "meeting", None)
        versions = list(session.draft_versions.all())
        reviews = sorted(session.reviews.all(), key=lambda r: r.pk)
        after_meeting = status in (
            S.HELD, S.REVISING, S.FINAL_SUBMITTED, S.FINAL_APPROVED, S.RESOLUTION_ISSUED, S.EVALUATED
        )  # fmt: skip
        assert (meeting is not None and meeting.status == Meeting.Status.APPROVED) == after_meeting, session
        if after_meeting:
            assert meeting.minutes_versions.exists() and meeting.attendances.exists()
        if status in (S.PLANNED, S.CANCELLED):
            assert meeting is None
        if status == S.PLANNED:
            assert not session.presenters.exists() and not versions
        if status == S.ASSIGNED:
            assert session.presenters.exists() and not versions
        if status == S.SUBMITTED:
            assert reviews[-1].decision == Review.Decision.PENDING
        if status == S.RETURNED:
            assert reviews[-1].decision == Review.Decision.RETURNED
        if status == S.DISTRIBUTED or after_meeting:
            assert Distribution.objects.filter(session=session).exists()
            assert any(v.approved_at for v in versions if v.stage == DraftVersion.Stage.DRAFT)
        if status == S.DISTRIBUTED:
            assert meeting is not None and meeting.status == Meeting.Status.SCHEDULED
        if status == S.FINAL_SUBMITTED:
            assert reviews[-1].decision == Review.Decision.PENDING and versions[-1].stage == "final"
        issued = status in (S.RESOLUTION_ISSUED, S.EVALUATED)
        assert (
            (hasattr(meeting, "resolution") and meeting.resolution.is_issued) == issued
            if meeting
            else not issued
        )
        assert hasattr(session, "evaluation") == (status == S.EVALUATED)
    # The sample is varied enough to mean something: finished, under way and still to come.
    assert seen == set(S.values), set(S.values) - seen


def test_each_party_has_a_draft_out_for_comment_with_a_long_discussion(tiny):
    lively = Session.objects.filter(status=S.DISTRIBUTED).annotate(n=Count("comments")).filter(n__gte=40)
    session = lively.get()  # one Đảng bộ in the tiny preset
    assert session.planned_date is not None and session.planned_date > date(2026, 11, 18)
    assert session.meeting.status == Meeting.Status.SCHEDULED
    # The library holds a published model session built from the generated records.
    model = ModelSession.objects.get()
    assert (
        model.status == ModelSession.Status.PUBLISHED
        and model.package["topic"]["title"] == model.session.title
    )


def test_the_search_index_has_one_row_per_source(tiny):
    approved_sessions = DraftVersion.objects.exclude(approved_at=None).values("session").distinct().count()
    expected = (
        Topic.objects.count()
        + approved_sessions
        + Resolution.objects.exclude(issued_at=None).count()
        + SessionEvaluation.objects.exclude(lessons="").count()
    )
    assert SearchEntry.objects.count() == expected
    assert SearchEntry.objects.filter(kind="draft").count() == approved_sessions


def test_it_refuses_a_database_with_real_data_unless_forced(world):
    with pytest.raises(CommandError) as refused:
        generate()
    assert "--force" in str(refused.value)
    assert not AuditEntry.objects.filter(action=MARK_ACTION).exists()
    generate("--force")
    assert Organization.objects.filter(parent=None).count() == 3  # the world's two parties and the new one


def test_it_refuses_to_run_twice_and_the_same_seed_gives_the_same_data(db):
    generate("--seed", "3")
    with pytest.raises(CommandError):
        generate("--seed", "3")
    generate("--seed", "3", "--force")
    first, second = Organization.objects.filter(parent=None).order_by("pk")
    assert second.name.startswith(first.name)  # "… (2)"

    def names(root: Organization) -> list[str]:
        return list(
            Member.objects.filter(
                memberships__organization__path__startswith=root.path, memberships__kind="regular"
            )
            .order_by("pk")
            .values_list("full_name", flat=True)
        )

    def statuses(root: Organization) -> list[str]:
        return list(
            Session.objects.filter(cell__path__startswith=root.path)
            .order_by("pk")
            .values_list("status", flat=True)
        )

    assert names(first) == names(second) and len(names(first)) > 48
    assert statuses(first) == statuses(second)
    assert (
        Attendance.objects.filter(meeting__cell__path__startswith=first.path).count()
        == Attendance.objects.filter(meeting__cell__path__startswith=second.path).count()
    )


def test_with_the_key_triggers_off_a_key_pointing_nowhere_is_still_refused(db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite checks every key at commit; only PostgreSQL's triggers are turned off")
    tables = Tables([Term])
    assert tables.defer_key_checks()
    tables[Term].add(organization_id=987654, name="2020–2025", start_date=date(2020, 5, 1), end_date=None)
    tables.flush()
    with pytest.raises(IntegrityError, match=r"organizations\.Term\.organization: 1"):
        tables.check_keys()
