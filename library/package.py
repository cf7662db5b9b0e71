"""The package of a model session, frozen at publication (STYLE "Snapshot, then render").

:func:`problems` says what is missing before a session can be published; :func:`build` reads the live
records once and returns plain JSON-ready data, every text in Unicode NFC:

* ``topic``: title and topic group;
* ``session``: the cell, the date, the presenters;
* ``final_text``: the approved final version (DraftVersion of stage "final"): its HTML, sanitised by
  nh3 when it was uploaded or typed (drafts.ingest), or the text of each page of a PDF;
* ``minutes``: the attendance in numbers (no names: the package is read by other cells) and the
  proceedings of the approved minutes — presentation, speeches, the chair's conclusion, the vote —
  taken from the latest approved version's document frame;
* ``resolution``: its number and symbol, results, shortcomings and tasks (with their owners and
  deadlines, as issued);
* ``evaluation``: the result of the session and the lessons learned (SessionEvaluation.lesson_lines);
* ``quality``: the meeting's quality level and points.

The texts of the minutes and the resolution are official documents' words, in Vietnamese whatever the
reader's language (as documents/wording.py); the headings around them are translated in the template.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from documents import wording
from drafts.models import DraftVersion
from meetings import rules
from meetings.models import Meeting, MinutesVersion, Resolution
from organizations.selectors import vietnamese_name_key
from planning.models import Session

# Bumped when the shape of the package changes, so old packages can still be read.
PACKAGE_VERSION = 1
# The minutes' proceedings start at this section (after "I. THÀNH PHẦN", which names who was absent
# and why: that stays with the cell).
PROCEEDINGS_FROM = "II."


def final_version(session: Session) -> DraftVersion | None:
    """The approved final text (the newest one, should a correction ever follow)."""
    return (
        DraftVersion.objects.filter(
            session=session, stage=DraftVersion.Stage.FINAL, approved_at__isnull=False
        )
        .order_by("-number")
        .first()
    )


def _meeting(session: Session) -> Meeting | None:
    return Meeting.objects.filter(session=session).select_related("minutes_document").first()


def _resolution(meeting: Meeting | None) -> Resolution | None:
    if meeting is None:
        return None
    return (
        Resolution.objects.filter(meeting=meeting, issued_at__isnull=False)
        .select_related("document")
        .prefetch_related("tasks__owners")
        .first()
    )


def _latest_minutes(meeting: Meeting | None) -> MinutesVersion | None:
    if meeting is None:
        return None
    return meeting.minutes_versions.order_by("-number").first()


def problems(session: Session) -> list[str]:
    """What must happen before the session's package can be published (empty when ready)."""
    from evaluations.models import SessionEvaluation

    found: list[str] = []
    evaluated = SessionEvaluation.objects.filter(session=session).exists()
    if session.status != Session.Status.EVALUATED or not evaluated:
        found.append(
            _("The session must be held and evaluated first (it is now: %(status)s).")
            % {"status": session.get_status_display()}
        )
    if final_version(session) is None:
        found.append(_("The final text has not been approved."))
    meeting = _meeting(session)
    if _latest_minutes(meeting) is None:
        found.append(_("The minutes of the meeting have not been approved."))
    elif meeting is not None and meeting.status == Meeting.Status.CORRECTING:
        # The attendance in the package is read from the record: it must be the approved one.
        found.append(_("The minutes are being corrected; publish once they are approved again."))
    if _resolution(meeting) is None:
        found.append(_("The resolution has not been issued."))
    return found


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _proceedings(minutes: MinutesVersion) -> list[dict[str, Any]]:
    """The blocks of the minutes from section II on: the agenda, the presentation, the speeches, the
    conclusion and the vote. A table (each member's named vote) is left out: it is the cell's own."""
    body = minutes.frame.body
    start = next(
        (
            index
            for index, block in enumerate(body)
            if block["kind"] == "heading" and block["text"].startswith(PROCEEDINGS_FROM)
        ),
        0,
    )
    return [block for block in body[start:] if block["kind"] in ("heading", "paragraph", "list")]


def _attendance(meeting: Meeting) -> dict[str, int]:
    rows = list(meeting.attendances.all())
    own = [a for a in rows if not a.attached_here]
    return {
        "members": len(own),
        "exempted": sum(1 for a in own if a.exempted),
        "present": sum(1 for a in rows if a.status in rules.ATTENDED),
        "excused": sum(1 for a in rows if a.status == rules.EXCUSED),
        "unexcused": sum(1 for a in rows if a.status == rules.UNEXCUSED),
    }


def _final_text(version: DraftVersion) -> dict[str, Any]:
    text: dict[str, Any] = {
        "version": version.number,
        "kind": version.kind,
        "approved_at": version.approved_at.isoformat() if version.approved_at else None,
        # Sanitised by nh3 at ingest (drafts.ingest.sanitize_html); shown as it is.
        "html": version.html,
        "pages": [],
    }
    if not version.html:  # a PDF: its pages' text, shown as plain text
        text["pages"] = [p.get("text", "") for p in version.paragraphs]
    return text


def _resolution_data(resolution: Resolution) -> dict[str, Any]:
    document = resolution.document
    return {
        "kind": resolution.kind,
        "title": document.title if document else "",
        "symbol": document.symbol if document else "",
        "issued_on": document.issued_on.isoformat() if document else None,
        "results": _lines(resolution.results),
        "shortcomings": _lines(resolution.shortcomings),
        "tasks": [
            {
                "description": task.description,
                "owners": sorted(
                    (o.full_name for o in task.owners.all()), key=lambda name: vietnamese_name_key(name)
                ),
                "deadline": task.deadline.isoformat(),
            }
            for task in resolution.tasks.all()
        ],
    }


def build(session: Session) -> dict[str, Any]:
    """The package of an evaluated session (call :func:`problems` first: this one assumes it is empty)."""
    from evaluations.models import SessionEvaluation
    from meetings.selectors import quality_label

    evaluation = SessionEvaluation.objects.get(session=session)
    version = final_version(session)
    meeting = _meeting(session)
    minutes = _latest_minutes(meeting)
    resolution = _resolution(meeting)
    assert version is not None and meeting is not None and minutes is not None and resolution is not None
    topic = session.topic
    presenters = sorted(
        (m.full_name for m in session.presenters.all()), key=lambda name: vietnamese_name_key(name)
    )
    package = {
        "version": PACKAGE_VERSION,
        "frozen_at": timezone.now().isoformat(),
        "topic": {"title": session.title, "group": topic.group.name if topic else ""},
        "session": {
            "cell": session.cell.name,
            "year": session.plan.year,
            "quarter": session.quarter,
            "date": meeting.date.isoformat(),
            "presenters": presenters,
        },
        "final_text": _final_text(version),
        "minutes": {
            "symbol": meeting.minutes_document.symbol if meeting.minutes_document else "",
            "version": minutes.number,
            "kind": meeting.kind,
            "attendance": _attendance(meeting),
            "blocks": _proceedings(minutes),
        },
        "resolution": _resolution_data(resolution),
        "evaluation": {"result": evaluation.result, "lessons": evaluation.lesson_lines},
        "quality": {
            "level": meeting.quality_level,
            "label": quality_label(meeting),
            "score": meeting.quality_score,
        },
    }
    return wording.nfc(package)
