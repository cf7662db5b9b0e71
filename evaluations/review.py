"""Year-end review support (bình xét thi đua, docs/domain.md §3.4): the secretary proposes a level for
each member with the evidence beside it; the rule set's constraints are checked and flagged; the result
is issued as a document. People decide: nothing here proposes or ranks a level on its own.

Constraints (rule set "HD 12 / HD 42", QĐ 366 and HD 43 of 2025): the 100-point cut-offs of each level
(excellent ≥ 90, good ≥ 70, complete ≥ 50, below that not complete); an optional cap on "excellent"
(a share of the members ranked; 0 or empty turns it off); members admitted less than N months before
the end of the year are not ranked.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import log_action
from core.errors import DomainError, InvalidTransition
from core.permissions import require
from documents.frame import frame_for, heading, paragraph, superior_recipient, table
from documents.models import DocumentType
from documents.services import issue_document
from evaluations import participation
from evaluations.models import ReviewProposal, ReviewRound
from organizations.models import Member, Organization
from organizations.selectors import cell_members

LEVEL_NAMES = {
    ReviewProposal.Level.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    ReviewProposal.Level.GOOD: "Hoàn thành tốt nhiệm vụ",
    ReviewProposal.Level.COMPLETE: "Hoàn thành nhiệm vụ",
    ReviewProposal.Level.INCOMPLETE: "Không hoàn thành nhiệm vụ",
    ReviewProposal.Level.NOT_RANKED: "Không xếp loại",
}


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)


def roster(cell: Organization, year: int) -> list[Member]:
    """The cell's own members at the end of the year (or today, during the year): the cell reviews
    the members it keeps the records of, so those attached here are reviewed by their own cell, while
    its exempted members and those attached elsewhere are reviewed here."""
    on = min(date(year, 12, 31), timezone.localdate())
    return cell_members(cell, on, exempted=True, attached_here=False, attached_elsewhere=True)


def not_ranked_reason(member: Member, year: int, params: dict[str, Any]) -> str:
    """Why the member is not ranked this year ("" when they are)."""
    months = _months_between(member.admission_date, date(year, 12, 31))
    minimum = params["review_min_months_since_admission"]
    if months < minimum:
        return str(
            _("Admitted %(months)s months before the end of the year (less than %(minimum)s): not ranked.")
            % {"months": max(months, 0), "minimum": minimum}
        )
    return ""


def expected_level(points: int, params: dict[str, Any]) -> str:
    if points >= params["review_excellent_min_points"]:
        return ReviewProposal.Level.EXCELLENT
    if points >= params["review_good_min_points"]:
        return ReviewProposal.Level.GOOD
    if points >= params["review_complete_min_points"]:
        return ReviewProposal.Level.COMPLETE
    return ReviewProposal.Level.INCOMPLETE


@dataclass
class Row:
    member: Member
    record: participation.Record
    proposal: ReviewProposal | None
    not_ranked: str
    flags: list[str] = field(default_factory=list)


@dataclass
class Review:
    cell: Organization
    year: int
    round: ReviewRound | None
    rows: list[Row]
    flags: list[str]
    params: dict[str, Any]

    @property
    def complete(self) -> bool:
        return all(row.proposal is not None and row.proposal.level for row in self.rows)


def review(cell: Organization, year: int) -> Review:
    """Every member of the cell with their evidence, their proposal and the flags (a fixed number of
    queries whatever the size of the cell)."""
    params = cell.effective_rule_set().params
    members = roster(cell, year)
    records = participation.records(members, year)
    current = ReviewRound.objects.filter(cell=cell, year=year).select_related("document").first()
    proposals = {p.member_id: p for p in current.proposals.all()} if current else {}
    rows = []
    for member in members:
        proposal = proposals.get(member.pk)
        row = Row(member, records[member.pk], proposal, not_ranked_reason(member, year, params))
        if proposal is not None and proposal.level:
            if row.not_ranked and proposal.level != ReviewProposal.Level.NOT_RANKED:
                row.flags.append(row.not_ranked)
            if not row.not_ranked and proposal.level == ReviewProposal.Level.NOT_RANKED:
                row.flags.append(str(_("Admitted long enough to be ranked: propose a level.")))
            if proposal.points is not None and proposal.level != ReviewProposal.Level.NOT_RANKED:
                expected = expected_level(proposal.points, params)
                if expected != proposal.level:
                    row.flags.append(
                        str(
                            _("%(points)s points correspond to “%(expected)s”, not “%(proposed)s”.")
                            % {
                                "points": proposal.points,
                                "expected": ReviewProposal.Level(expected).label,
                                "proposed": proposal.get_level_display(),
                            }
                        )
                    )
        rows.append(row)
    flags = []
    cap = params.get("review_excellent_cap_percent") or 0
    ranked = [
        r
        for r in rows
        if r.proposal and r.proposal.level and r.proposal.level != ReviewProposal.Level.NOT_RANKED
    ]
    excellent = sum(1 for r in ranked if r.proposal and r.proposal.level == ReviewProposal.Level.EXCELLENT)
    if cap and ranked and 100 * excellent > cap * len(ranked):
        flags.append(
            str(
                _("%(count)s of %(ranked)s members ranked are proposed “excellent”: more than %(cap)s%%.")
                % {"count": excellent, "ranked": len(ranked), "cap": cap}
            )
        )
    missing = [r.member.full_name for r in rows if r.proposal is None or not r.proposal.level]
    if missing:
        flags.append(str(_("No level proposed yet for: %(names)s.") % {"names": ", ".join(missing)}))
    return Review(cell, year, current, rows, flags, params)


@dataclass
class ProposalInput:
    member_id: int
    level: str
    points: int | None
    note: str


def save_review(*, actor: Any, cell: Organization, year: int, proposals: list[ProposalInput]) -> ReviewRound:
    """Save the proposed levels (all checked before any is written)."""
    require(actor, "review.edit", cell)
    members = {m.pk: m for m in roster(cell, year)}
    errors = []
    for item in proposals:
        if item.member_id not in members:
            errors.append(str(_("One of the members is not in the cell this year.")))
        if item.level and item.level not in ReviewProposal.Level.values:
            errors.append(str(_("Choose a level from the list.")))
        if item.points is not None and not 0 <= item.points <= 100:
            name = members[item.member_id].full_name if item.member_id in members else "?"
            errors.append(str(_("%(name)s: points are between 0 and 100.") % {"name": name}))
    if errors:
        raise DomainError(" ".join(dict.fromkeys(errors)))
    with transaction.atomic():
        # The cell's row is the lock two secretaries saving at once queue on (the review may not exist).
        Organization.objects.select_for_update().get(pk=cell.pk)
        current, _created = ReviewRound.objects.get_or_create(cell=cell, year=year)
        if current.status == ReviewRound.Status.ISSUED:
            raise InvalidTransition(_("The review of this year was issued; it can no longer be changed."))
        for item in proposals:
            ReviewProposal.objects.update_or_create(
                round=current,
                member_id=item.member_id,
                defaults={"level": item.level, "points": item.points, "note": item.note.strip()[:500]},
            )
        log_action(actor, "evaluations.review.saved", cell, {"year": year, "count": len(proposals)})
    return current


def issue_review(*, actor: Any, cell: Organization, year: int) -> ReviewRound:
    """Issue the result list (a numbered BC to the Đảng ủy) once every member has a level."""
    require(actor, "review.issue", cell)
    with transaction.atomic():
        current = ReviewRound.objects.select_for_update().filter(cell=cell, year=year).first()
        if current is None:
            raise InvalidTransition(_("Propose the levels first."))
        if current.status == ReviewRound.Status.ISSUED:
            raise InvalidTransition(_("The review of this year was already issued."))
        result = review(cell, year)
        if not result.complete:
            raise DomainError(" ".join(result.flags))
        document = issue_document(
            actor=actor,
            organization=cell,
            doc_type=DocumentType.REPORT,
            frame=result_frame(result),
            source=current,
        )
        current.status, current.document, current.issued_at = (
            ReviewRound.Status.ISSUED,
            document,
            timezone.now(),
        )
        current.save(update_fields=["status", "document", "issued_at"])
        log_action(actor, "evaluations.review.issued", cell, {"year": year, "symbol": document.symbol})
    return current


def result_frame(result: Review) -> Any:
    """BÁO CÁO kết quả đánh giá, xếp loại chất lượng đảng viên năm …: counts per level and the list."""
    counts = {level: 0 for level in LEVEL_NAMES}
    for row in result.rows:
        if row.proposal and row.proposal.level:
            counts[ReviewProposal.Level(row.proposal.level)] += 1
    ranked = sum(n for level, n in counts.items() if level != ReviewProposal.Level.NOT_RANKED)
    body = [
        paragraph(
            "Thực hiện Quy định số 366-QĐ/TW và Hướng dẫn số 43-HD/BTCTW năm 2025, chi bộ đã tổ chức "
            f"kiểm điểm, đánh giá, xếp loại chất lượng đảng viên năm {result.year}. Căn cứ kết quả tự đánh "
            "giá của đảng viên và các minh chứng về việc tham gia sinh hoạt chi bộ, chi bộ báo cáo kết quả "
            "như sau:"
        ),
        heading("I. KẾT QUẢ XẾP LOẠI"),
        paragraph(f"Tổng số đảng viên được xếp loại: {ranked} đồng chí."),
        *(
            paragraph(f"- {LEVEL_NAMES[level]}: {n} đồng chí.")
            for level, n in counts.items()
            if level != ReviewProposal.Level.NOT_RANKED
        ),
        paragraph(f"Đảng viên không xếp loại: {counts[ReviewProposal.Level.NOT_RANKED]} đồng chí."),
        heading("II. DANH SÁCH"),
        table(
            ["TT", "Họ và tên", "Mức xếp loại", "Ghi chú"],
            [
                [
                    str(index),
                    row.member.full_name,
                    LEVEL_NAMES[ReviewProposal.Level(row.proposal.level)] if row.proposal else "",
                    (row.proposal.note if row.proposal else "") or row.not_ranked,
                ]
                for index, row in enumerate(result.rows, start=1)
            ],
            widths=[1, 5, 5, 4],
        ),
    ]
    return frame_for(
        result.cell,
        doc_type=DocumentType.REPORT,
        summary=f"Kết quả đánh giá, xếp loại chất lượng đảng viên năm {result.year}",
        body=body,
        recipients=[superior_recipient(result.cell), "Đảng viên trong chi bộ"],
    )
