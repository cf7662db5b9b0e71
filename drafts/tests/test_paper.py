"""Paper where it must (issue 16, item 4): the printed pack of a member and of the whole cell, and the
comments a member hands in on paper, typed in by a secretary on their behalf."""

import io
import re
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core import jobs
from core.errors import DomainError, InvalidTransition, PermissionDenied
from core.models import AuditEntry, Job
from drafts import exports, paper, permissions, services
from drafts.models import Comment, Distribution, Reading
from evaluations import participation
from organizations.models import Member
from planning.models import Session

# The paragraphs of drafts.tests.conftest.TEXT: a heading, two paragraphs, two list items, a paragraph.
PARAGRAPHS = 6


def member(world, persona):
    return Member.objects.get(user=world.persona(persona))


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def announce(world, session):
    """The session's meeting, planned with its notice issued (Số 01-TB/CB)."""
    from meetings import services as meetings

    meeting = meetings.create_meeting(
        actor=world.secretary,
        cell=world.cell,
        kind="thematic",
        session=session,
        date=session.planned_date,
        start_time=time(14, 0),
        place="Phòng họp Khoa",
        with_notice=True,
    )
    meeting.refresh_from_db()
    return meeting


def test_a_members_pack_has_their_name_every_paragraph_number_the_qr_address_and_the_notice(
    client, world, distributed
):
    meeting = announce(world, distributed)
    client.force_login(world.secretary)
    mai = member(world, "probationary")
    response = client.get(reverse("drafts:pack", args=[distributed.pk, mai.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content)
    text = "\n".join(pages)
    assert "Phạm Thị Mai" in pages[0]  # the cover
    assert paper.reading_url(distributed) in pages[0]
    assert meeting.notice.symbol in text and "THÔNG BÁO" in text
    for n in range(1, PARAGRAPHS + 1):
        assert f"[{n}]" in text  # the draft, numbered as the reading page's anchors p-1…p-6
        assert f"Ý kiến góp ý đoạn {n}" in text  # the comment sheet
    assert f"[{PARAGRAPHS + 1}]" not in text
    # The member's name heads every page of the comment sheet (its pages come last).
    sheet = [p for p in pages if "PHIẾU GÓP Ý" in p or "Ý kiến góp ý đoạn" in p]
    assert sheet and all("Phạm Thị Mai" in p for p in sheet)


def test_before_the_notice_the_pack_says_the_meeting_is_not_announced(client, world, distributed):
    client.force_login(world.secretary)
    response = client.get(reverse("drafts:pack", args=[distributed.pk, member(world, "deputy").pk]))
    text = "\n".join(pdf_pages(response.content))
    assert "chưa được thông báo" in text and "THÔNG BÁO" not in text


def test_the_whole_cells_pack_is_every_members_pack_in_turn_made_in_the_background(
    client, world, distributed
):
    announce(world, distributed)
    client.force_login(world.secretary)
    response = client.post(reverse("drafts:pack_cell", args=[distributed.pk]))
    job = Job.objects.get(kind="drafts.paper_pack")
    assert response.status_code == 302 and response["Location"] == reverse("core:job", args=[job.pk])
    if job.state == Job.State.QUEUED:  # a worker is configured: run it here
        jobs.run(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.message
    pages = pdf_pages(jobs.path_of(job).read_bytes())
    # The recipients but the presenter (world.member wrote it), in name order.
    names = [m.full_name for m in services.paper_recipients(distributed)]
    assert names == ["Nguyễn Văn Bình", "Trần Thị Hoa", "Phạm Thị Mai"]  # by given name
    covers = [i for i, p in enumerate(pages) if "TÀI LIỆU SINH HOẠT" in p]
    assert [next(n for n in names if n in pages[i]) for i in covers] == names
    # Each pack starts on an odd page (a double-sided print never puts two members on one sheet).
    assert all(i % 2 == 0 for i in covers) and len(pages) % 2 == 0
    assert sum(len(re.findall(r"Ý kiến góp ý đoạn 1(?!\d)", p)) for p in pages) == len(names)


def test_a_member_gets_their_own_pack_but_not_anothers_and_another_cell_sees_nothing(
    client, world, distributed
):
    mai, hoa = member(world, "probationary"), member(world, "deputy")
    client.force_login(world.probationary)
    assert client.get(reverse("drafts:pack", args=[distributed.pk, mai.pk])).status_code == 200
    assert client.get(reverse("drafts:pack", args=[distributed.pk, hoa.pk])).status_code == 403
    assert client.get(reverse("drafts:paper", args=[distributed.pk])).status_code == 403
    client.force_login(world.other_member)
    assert client.get(reverse("drafts:pack", args=[distributed.pk, mai.pk])).status_code == 404
    client.force_login(world.secretary)
    # Not among those the draft was sent to (the presenter; a member of another cell): no pack.
    for outsider in (member(world, "member"), member(world, "other_member")):
        assert client.get(reverse("drafts:pack", args=[distributed.pk, outsider.pk])).status_code == 404


def test_no_pack_before_the_draft_is_sent(client, world, session):
    client.force_login(world.secretary)
    assert client.get(reverse("drafts:paper", args=[session.pk])).status_code == 404


# --- Comments on paper ---------------------------------------------------------------------------


def test_a_paper_comment_is_the_members_marked_counted_and_audited(client, world, distributed):
    mai = member(world, "probationary")
    client.force_login(world.secretary)
    page = client.get(reverse("drafts:paper", args=[distributed.pk]))
    assert page.status_code == 200
    assert [c[1] for c in page.context["form"].fields["member"].choices][1:] == [
        "Nguyễn Văn Bình",
        "Trần Thị Hoa",
        "Phạm Thị Mai",
    ]
    response = client.post(
        reverse("drafts:paper", args=[distributed.pk]),
        {
            "member": mai.pk,
            "anchor": "p-3",
            "body": "Đề nghị bổ sung ví dụ về tự học.",
            "handed_in_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    comment = Comment.objects.get(session=distributed)
    assert (comment.author, comment.anchor, comment.on_paper, comment.late) == (mai, "p-3", True, False)
    assert comment.recorded_by == world.secretary and comment.handed_in_on == timezone.localdate()
    # She read it (on paper), and it counts in her participation record like any comment.
    assert Reading.objects.filter(session=distributed, member=mai).exists()
    year = timezone.localdate().year
    record = participation.record(mai, year)
    assert record.comments == 1 and record.opened == 1
    assert [line.text for line in participation.details(mai, year, "comments")] == [
        f"{distributed.title}: Đề nghị bổ sung ví dụ về tự học."
    ]
    entry = AuditEntry.objects.get(action="drafts.comment.paper")
    assert entry.actor == world.secretary and entry.data["member"] == "Phạm Thị Mai"
    assert entry.data["member_id"] == mai.pk
    # On the reading page and in the responses table, with the mark.
    for name in ("drafts:read", "drafts:responses"):
        html = client.get(reverse(name, args=[distributed.pk])).content.decode()
        assert "Đề nghị bổ sung ví dụ về tự học." in html and "góp ý bằng văn bản" in html
    # And in the response table as a Party document, marked in the commenter's column.
    assert exports.response_rows(distributed)[0][1] == "Phạm Thị Mai (góp ý bằng văn bản)"
    # The member cannot rewrite or delete the record of their sheet.
    assert not permissions.can(world.probationary, "comment.edit", comment)
    assert not permissions.can(world.probationary, "comment.delete", comment)


def test_a_sheet_handed_in_on_time_may_be_typed_in_after_the_deadline(world, distributed):
    """The meeting was yesterday and its minutes are not approved yet (the draft is still open): the
    sheets handed in by the deadline are typed in today, and count as on time."""
    days = distributed.cell.effective_rule_set().param("comments_due_days_before")
    meeting_day = timezone.localdate() - timedelta(days=1)
    Session.objects.filter(pk=distributed.pk).update(planned_date=meeting_day)
    Distribution.objects.filter(session=distributed).update(
        distributed_at=timezone.now() - timedelta(days=10)
    )
    distributed.refresh_from_db()
    due = meeting_day - timedelta(days=days)
    assert services.comments_closed(distributed)
    on_time = services.add_paper_comment(
        actor=world.secretary,
        session=distributed,
        member=member(world, "probationary"),
        body="Nộp đúng hạn.",
        handed_in_on=due,
    )
    assert on_time.late is False and on_time.created_at.date() > due
    # A sheet handed in today, after the meeting's day, is no comment on the draft.
    with pytest.raises(DomainError):
        services.add_paper_comment(
            actor=world.secretary,
            session=distributed,
            member=member(world, "deputy"),
            body="Nộp sau buổi sinh hoạt.",
            handed_in_on=timezone.localdate(),
        )


def test_paper_comments_are_refused_like_the_others(world, distributed):
    mai = member(world, "probationary")
    today = timezone.localdate()

    def add(**kwargs):
        values = {"actor": world.secretary, "session": distributed, "member": mai, "body": "Ý kiến"}
        return services.add_paper_comment(**{**values, **kwargs})

    for outsider in (member(world, "other_member"), member(world, "member")):  # not sent it; presenter
        with pytest.raises(DomainError) as refused:
            add(member=outsider)
        assert refused.value.field == "member"
    with pytest.raises(DomainError):
        add(body="   ")
    with pytest.raises(DomainError):
        add(anchor="p-99")
    with pytest.raises(DomainError) as refused:
        add(handed_in_on=today + timedelta(days=1))
    assert refused.value.field == "handed_in_on"
    with pytest.raises(DomainError):
        add(handed_in_on=today - timedelta(days=1))  # before the draft was sent (today)
    with pytest.raises(PermissionDenied):
        add(actor=world.probationary)  # a member does not record comments for others
    Session.objects.filter(pk=distributed.pk).update(planned_date=today - timedelta(days=1))
    with pytest.raises(DomainError):
        add(handed_in_on=today)  # after the meeting's day
    Session.objects.filter(pk=distributed.pk).update(status=Session.Status.HELD)
    with pytest.raises(InvalidTransition):
        add(handed_in_on=today)
    assert not Comment.objects.exists()


def test_a_draft_kept_as_pdf_goes_into_the_pack_as_it_is_and_the_sheet_asks_page_by_page(
    client, world, session
):
    from drafts.tests.ingest.files import pdf, pdf_bytes

    upload = pdf_bytes(pdf(2, ["Chuyen de trang mot", "Trang hai"]))
    services.add_version(actor=world.member, session=session, upload=("du-thao.pdf", upload))
    services.submit_draft(actor=world.member, session=session)
    services.approve_draft(actor=world.secretary, session=session)
    client.force_login(world.secretary)
    pages = pdf_pages(
        client.get(reverse("drafts:pack", args=[session.pk, member(world, "deputy").pk])).content
    )
    assert "Trần Thị Hoa" in pages[0]
    assert pages[1:3] == ["Chuyen de trang mot", "Trang hai"]  # the draft's own pages, after the cover
    text = "\n".join(pages[3:])
    assert "Ý kiến góp ý trang 1" in text and "Ý kiến góp ý trang 2" in text and "trang 3" not in text


def test_the_paper_page_reads_the_same_number_of_queries_whatever_was_recorded(client, world, distributed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(persona):
        services.add_paper_comment(
            actor=world.secretary, session=distributed, member=member(world, persona), body="Ý kiến"
        )

    client.force_login(world.secretary)
    url = reverse("drafts:paper", args=[distributed.pk])
    add("probationary")
    client.get(url)  # the frame's cache, warm
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add("deputy")
    add("secretary")
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        assert "Ý kiến" in client.get(url).content.decode()
    assert len(three) == len(one)
