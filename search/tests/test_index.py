"""The index follows its sources: what is indexed, for whom, and how it stays up to date."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from drafts import services as drafts
from meetings.models import Resolution
from search.models import SearchEntry
from search.services import reindex_all
from tests import scenarios

pytestmark = pytest.mark.django_db

Kind = SearchEntry.Kind
Audience = SearchEntry.Audience


def entry(kind: str, object_id: int) -> SearchEntry:
    return SearchEntry.objects.get(kind=kind, object_id=object_id)


def snapshot() -> set[tuple]:
    return set(
        SearchEntry.objects.values_list(
            "kind", "object_id", "organization_id", "audience", "title", "text", "url", "dated", "folded"
        )
    )


def test_a_catalogue_topic_belongs_to_its_party_organisation(world, catalogue_topic):
    row = entry(Kind.TOPIC, catalogue_topic.pk)
    assert (row.organization, row.audience) == (world.party, Audience.ORGANISATION)
    assert row.folded_title == " van hoa ho chi minh ve hoc tap lao dong va lam viec"
    assert "giang vien dang vien" in row.folded
    assert row.url == reverse("planning:topics")


def test_a_proposed_topic_belongs_to_its_cell(world, proposed_topic):
    row = entry(Kind.TOPIC, proposed_topic.pk)
    assert (row.organization, row.audience) == (world.cell, Audience.CELL)


def test_draft_versions_are_indexed_once_approved(world, session):
    version = drafts.add_version(actor=world.member, session=session, text="Tấm gương Hồ Chí Minh.")
    assert not SearchEntry.objects.filter(kind=Kind.DRAFT).exists()
    drafts.submit_draft(actor=world.member, session=session)
    assert not SearchEntry.objects.filter(kind=Kind.DRAFT).exists()

    drafts.approve_draft(actor=world.secretary, session=session)

    row = entry(Kind.DRAFT, version.pk)
    assert (row.organization, row.audience) == (world.cell, Audience.CELL)
    assert row.title == "Văn hóa Hồ Chí Minh về học tập · v1"
    assert row.text == "Tấm gương Hồ Chí Minh."
    assert row.url == reverse("drafts:read", args=[session.pk]) + "?v=1"


def test_a_resolution_is_indexed_when_issued_with_its_tasks(world):
    meeting = scenarios.thematic_meeting(world, "resolution-draft")
    resolution = Resolution.objects.get(meeting=meeting)
    assert not SearchEntry.objects.filter(kind=Kind.RESOLUTION).exists()
    # Its text is found meanwhile: one row, the final text, which supersedes the approved draft.
    final = meeting.session.draft_versions.order_by("number").last()
    assert list(SearchEntry.objects.filter(kind=Kind.DRAFT).values_list("object_id", flat=True)) == [final.pk]

    from meetings import services as meetings

    meetings.issue_resolution(actor=None, meeting=meeting)

    resolution.refresh_from_db()
    row = entry(Kind.RESOLUTION, resolution.pk)
    assert row.title == f"{resolution.document.symbol} · Văn hóa Hồ Chí Minh"
    assert "Chi bộ thống nhất nội dung chuyên đề." in row.text
    assert "Xây dựng giờ giảng mẫu" in row.text
    assert (row.organization, row.audience) == (world.cell, Audience.CELL)
    assert row.url == reverse("meetings:resolution", args=[meeting.pk])


def test_lessons_are_indexed_and_follow_a_revised_evaluation(world, evaluated):
    row = entry(Kind.LESSON, evaluated.pk)
    assert row.text.startswith("Chuẩn bị tư liệu thực tiễn")
    assert row.url == reverse("planning:session", args=[evaluated.session_id])

    from evaluations import services as evaluations

    evaluations.evaluate_session(
        actor=world.secretary,
        session=evaluated.session,
        presenter_strengths="Chuẩn bị công phu",
        presenter_weaknesses="",
        presenter_rating="good",
        result="Đạt yêu cầu",
        lessons="Giữ đúng thời lượng 90 phút.",
    )
    assert entry(Kind.LESSON, evaluated.pk).folded.endswith("giu dung thoi luong 90 phut")

    evaluations.evaluate_session(
        actor=world.secretary,
        session=evaluated.session,
        presenter_strengths="Chuẩn bị công phu",
        presenter_weaknesses="",
        presenter_rating="good",
        result="Đạt yêu cầu",
        lessons="",
    )
    assert not SearchEntry.objects.filter(kind=Kind.LESSON).exists()


def test_a_changed_topic_is_found_by_its_new_words_and_a_deleted_one_no_more(world, proposed_topic):
    proposed_topic.title = "Chuyển đổi số trong sinh hoạt chi bộ"
    proposed_topic.save()
    assert entry(Kind.TOPIC, proposed_topic.pk).folded_title == " chuyen doi so trong sinh hoat chi bo"

    pk = proposed_topic.pk
    proposed_topic.delete()
    assert not SearchEntry.objects.filter(kind=Kind.TOPIC, object_id=pk).exists()


def test_renaming_a_session_renames_its_entries(world, evaluated):
    session = evaluated.session
    session.title = "Học tập và làm theo tư tưởng Hồ Chí Minh"
    session.save()
    titles = set(SearchEntry.objects.filter(organization=world.cell).values_list("title", flat=True))
    assert "Học tập và làm theo tư tưởng Hồ Chí Minh" in titles
    old = "Văn hóa Hồ Chí Minh"
    assert not any(title == old or title.endswith(f"· {old}") for title in titles)


def test_deleted_lessons_and_resolutions_leave_the_index(world, evaluated):
    resolution = Resolution.objects.get(meeting__session=evaluated.session)
    evaluated.delete()
    resolution.delete()
    assert set(SearchEntry.objects.values_list("kind", flat=True)) == {Kind.DRAFT}


def test_rebuilding_is_idempotent_and_repairs_the_index(world, catalogue_topic, proposed_topic, evaluated):
    kept = snapshot()
    assert {row[0] for row in kept} == {Kind.TOPIC, Kind.DRAFT, Kind.RESOLUTION, Kind.LESSON}

    assert reindex_all() == len(kept)
    assert snapshot() == kept

    # Writes that bypass save() (the demo's backdating) are caught up.
    SearchEntry.objects.filter(kind=Kind.TOPIC).delete()
    SearchEntry.objects.filter(kind=Kind.LESSON).update(title="?", folded="")
    out = StringIO()
    call_command("reindex_search", stdout=out)
    assert snapshot() == kept
    assert str(len(kept)) in out.getvalue()


def test_a_session_revised_after_approval_is_one_row_its_newest_approved_version(world):
    meeting = scenarios.thematic_meeting(world, "final-approved")  # the approved draft, then the final text
    session = meeting.session
    draft, final = session.draft_versions.order_by("number")
    assert draft.approved_at and final.approved_at
    rows = SearchEntry.objects.filter(kind=Kind.DRAFT)
    assert list(rows.values_list("object_id", "url")) == [
        (final.pk, reverse("drafts:read", args=[session.pk]) + f"?v={final.number}")
    ]
    snapshot_before = snapshot()
    reindex_all()  # the rebuild keeps the same single row
    assert snapshot() == snapshot_before

    # A title change rewrites the one row, and adds none for the older version.
    session.title = "Văn hóa Hồ Chí Minh trong nhà trường"
    session.save(update_fields=["title"])
    assert list(rows.values_list("object_id", "title")) == [(final.pk, f"{session.title} · v{final.number}")]

    # The draft's words still find the session: they lead to the final text.
    assert "van hoa ho chi minh ve hoc tap lao dong" in rows.get().folded
    assert "Bản hoàn chỉnh" in rows.get().text and "lao động" not in rows.get().text

    # Should the newest version go, the one before it takes its place.
    final.delete()
    assert list(rows.values_list("object_id", flat=True)) == [draft.pk]
