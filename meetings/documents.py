"""The meeting's Party documents: the notice (Thông báo), the minutes (Biên bản), the resolution (Nghị quyết
or Kết luận), built as document frames from the live record (docs/domain.md §4).

The wording is the text of the official documents, written in Vietnamese whatever language the reader
uses the application in (as in planning/exports.py), so it is not translated.
"""

from datetime import date, time
from typing import Any

from documents.frame import (
    DocumentFrame,
    bullet_list,
    frame_for,
    heading,
    paragraph,
    superior_recipient,
    table,
)
from documents.models import DocumentType
from documents.wording import day_phrase
from meetings import hooks, rules
from meetings.models import Attendance, Meeting, Resolution, Speech
from organizations.selectors import vietnamese_name_key

MEMBERS_RECIPIENT = "Đảng viên trong chi bộ"
KIND_PHRASE: dict[str, str] = {
    Meeting.Kind.REGULAR: "sinh hoạt chi bộ thường kỳ",
    Meeting.Kind.THEMATIC: "sinh hoạt chi bộ chuyên đề",
    Meeting.Kind.COMBINED: "sinh hoạt chi bộ thường kỳ kết hợp sinh hoạt chuyên đề",
}
CHAIR = "CHỦ TRÌ"
MINUTES_SECRETARY = "THƯ KÝ"
IMPLEMENTATION = (
    "Chi ủy (bí thư chi bộ) chỉ đạo, theo dõi, đôn đốc việc thực hiện; các đồng chí được phân công thực "
    "hiện nhiệm vụ đúng thời hạn và báo cáo kết quả tại các kỳ sinh hoạt chi bộ. Chi bộ kiểm điểm việc "
    "thực hiện nghị quyết tại kỳ sinh hoạt thường kỳ."
)
ROLE_TITLES = {
    "secretary": "Bí thư chi bộ",
    "deputy_secretary": "Phó Bí thư chi bộ",
    "committee_member": "Chi ủy viên",
}


def _hm(value: time) -> str:
    return f"{value.hour:02d} giờ {value.minute:02d} phút"


def _day(value: date) -> str:
    return day_phrase(value)


def _month_phrase(meeting: Meeting) -> str:
    phrase = KIND_PHRASE[meeting.kind]
    if meeting.kind != Meeting.Kind.THEMATIC:
        phrase += f" tháng {meeting.date.month} năm {meeting.date.year}"
    return phrase


def _topic(meeting: Meeting) -> str:
    return meeting.session.title if meeting.session is not None else ""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- Notice --------------------------------------------------------------------------------------


def notice_frame(meeting: Meeting) -> DocumentFrame:
    """THÔNG BÁO về việc tổ chức <kind>: time, place, content, the approved draft attached."""
    from drafts.services import distributed_version

    body = [
        paragraph(
            f"Chi bộ {_cell_name(meeting)} thông báo tổ chức {_month_phrase(meeting)}"
            + (f" với chuyên đề “{_topic(meeting)}”" if meeting.session else "")
            + " như sau:"
        ),
        paragraph(f"1. Thời gian: {_hm(meeting.start_time)}, {_day(meeting.date)}."),
        paragraph(f"2. Địa điểm: {meeting.place}."),
        paragraph("3. Nội dung:"),
        bullet_list(_lines(meeting.agenda) or [KIND_PHRASE[meeting.kind].capitalize()]),
    ]
    if meeting.session is not None:
        version = distributed_version(meeting.session)
        presenters = ", ".join(p.full_name for p in meeting.session.presenters.all())
        if version is not None:
            body.append(
                paragraph(
                    f"4. Tài liệu: dự thảo chuyên đề “{_topic(meeting)}” (phiên bản {version.number})"
                    + (f" do đồng chí {presenters} chuẩn bị" if presenters else "")
                    + ", đã được duyệt và gửi kèm thông báo này để đảng viên nghiên cứu, chuẩn bị ý kiến."
                )
            )
    body.append(
        paragraph(
            "Đề nghị các đồng chí đảng viên trong chi bộ sắp xếp công việc, dự họp đầy đủ, đúng giờ; "
            "trường hợp vắng mặt phải báo cáo và nêu lý do với đồng chí bí thư chi bộ."
        )
    )
    return frame_for(
        meeting.cell,
        doc_type=DocumentType.NOTICE,
        summary=f"Về việc tổ chức {_month_phrase(meeting)}",
        body=body,
        recipients=[MEMBERS_RECIPIENT],
    )


def _cell_name(meeting: Meeting) -> str:
    name = meeting.cell.name
    return name[len("Chi bộ ") :] if name.lower().startswith("chi bộ ") else name


# --- Minutes -------------------------------------------------------------------------------------


def _names(attendances: list[Attendance], with_reason: bool = False) -> str:
    parts = []
    for a in sorted(attendances, key=lambda a: vietnamese_name_key(a.member.full_name)):
        parts.append(f"{a.member.full_name} ({a.reason})" if with_reason and a.reason else a.member.full_name)
    return ", ".join(parts)


def _count_line(label: str, rows: list[Attendance], with_reason: bool = False) -> str:
    if not rows:
        return f"{label}: 0."
    return f"{label}: {len(rows)} đồng chí ({_names(rows, with_reason)})."


def _role(meeting: Meeting, member_id: int | None) -> str:
    from organizations.models import Position
    from organizations.permissions import active_q
    from organizations.selectors import current_term

    if member_id is None:
        return ""
    term = current_term(meeting.cell, meeting.date)
    if term is None:
        return ""
    position = (
        Position.objects.filter(active_q(on=meeting.date), term=term, member_id=member_id)
        .order_by("role")
        .first()
    )
    return ROLE_TITLES.get(position.role, "") if position else ""


def vote_sentence(meeting: Meeting) -> list[str]:
    """The vote against the adjusted total, with its parts (docs/domain.md §3), as printed in the minutes."""
    if not meeting.vote_basis or meeting.votes_for is None:
        return []
    return vote_lines(
        meeting.vote_basis,
        votes_for=meeting.votes_for,
        against=meeting.votes_against or 0,
        other=meeting.votes_other or 0,
        passed=bool(meeting.vote_passed),
    )


def vote_lines(
    basis: dict[str, int], *, votes_for: int, against: int, other: int, passed: bool, what: str = "nghị quyết"
) -> list[str]:
    """A vote's two lines in the minutes: the adjusted total with its parts, and the result. ``what``
    passes: the resolution (the record's vote) or another content put to the vote (a motion)."""
    deductions = [
        ("sinh hoạt tạm thời nơi khác", basis["attached_elsewhere"]),
        ("được miễn sinh hoạt và vắng mặt", basis["exempted_absent"]),
        ("bị đình chỉ sinh hoạt", basis["suspended"]),
        ("bị truy tố, tạm giam", basis["detained"]),
    ]
    minus = "".join(f" − {n} {label}" for label, n in deductions if n)
    total = basis["adjusted_total"]
    share = f"{100 * votes_for / total:.1f}".replace(".", ",") if total else "0"
    return [
        f"Tổng số đảng viên chính thức được triệu tập: {basis['full_members']}{minus}; "
        f"tổng số làm căn cứ biểu quyết: {total} đồng chí; "
        f"{what} được thông qua khi có ít nhất {basis['needed']} đồng chí tán thành (quá một nửa).",
        f"Kết quả: tán thành {votes_for}/{total} đồng chí ({share}%); "
        f"không tán thành {against}; ý kiến khác {other}. "
        + ("Chi bộ thông qua." if passed else "Không được thông qua (chưa quá một nửa)."),
    ]


def minutes_frame(meeting: Meeting) -> DocumentFrame:
    """BIÊN BẢN with every field of docs/domain.md §4: time and place; the totals split full / probationary /
    temporarily attached; exempted; present; absent with reasons; absent without reason; guests; chair;
    minutes secretary; agenda; the presenter; each speaker and their opinion; the conclusion; the vote
    against the adjusted total; the quality level; the end time; two signatures."""
    attendances = list(meeting.attendances.select_related("member"))
    speeches = list(meeting.speeches.select_related("member"))
    body: list[dict[str, Any]] = [
        _time_and_place(meeting),
        heading("I. THÀNH PHẦN"),
        *_totals(attendances),
        *_attendance_lists(attendances),
        _guests(meeting),
        _chair_and_secretary(meeting),
        heading("II. NỘI DUNG"),
        *_agenda(meeting, [s for s in speeches if s.kind == "presentation"]),
        *_speeches([s for s in speeches if s.kind != "presentation"]),
        *_conclusion(meeting),
        *_vote(meeting, attendances),
        *_quality(meeting),
        _end(meeting),
    ]
    frame = frame_for(
        meeting.cell,
        doc_type=DocumentType.MINUTES,
        summary=KIND_PHRASE[meeting.kind].capitalize()
        + (
            f" tháng {meeting.date.month} năm {meeting.date.year}"
            if meeting.kind != Meeting.Kind.THEMATIC
            else ""
        ),
        body=body,
        on=meeting.date,
    )
    _signatures(frame, meeting)
    return frame.normalized()


def _time_and_place(meeting: Meeting) -> dict[str, Any]:
    return paragraph(
        f"Hồi {_hm(meeting.start_time)}, {_day(meeting.date)}, tại {meeting.place}, "
        f"Chi bộ {_cell_name(meeting)} tiến hành {_month_phrase(meeting)}"
        + (f" với chuyên đề “{_topic(meeting)}”." if meeting.session else ".")
    )


def _totals(attendances: list[Attendance]) -> list[dict[str, Any]]:
    """The cell's own members (full / probationary), those attached here, exempted, attached elsewhere."""
    own = [a for a in attendances if not a.attached_here]
    attached_here = [a for a in attendances if a.attached_here]
    return [
        paragraph(
            f"Tổng số đảng viên của chi bộ: {len(own)} đồng chí "
            f"(chính thức: {sum(1 for a in own if a.full)}, dự bị: {sum(1 for a in own if not a.full)}); "
            f"đảng viên sinh hoạt tạm thời tại chi bộ: {len(attached_here)} đồng chí."
        ),
        paragraph(_count_line("Đảng viên được miễn sinh hoạt", [a for a in own if a.exempted])),
        paragraph(
            _count_line("Đảng viên sinh hoạt tạm thời nơi khác", [a for a in own if a.attached_elsewhere])
        ),
    ]


def _attendance_lists(attendances: list[Attendance]) -> list[dict[str, Any]]:
    """Present (and who came late), absent with and without reason, suspended and detained if any."""
    by_status: dict[str, list[Attendance]] = {}
    for a in attendances:
        by_status.setdefault(a.status, []).append(a)
    late = by_status.get(rules.LATE, [])
    present = by_status.get(rules.PRESENT, []) + late
    lines = [
        paragraph(
            f"Có mặt: {len(present)} đồng chí"
            + (f", trong đó đến muộn: {_names(late)}" if late else "")
            + "."
        ),
        paragraph(_count_line("Vắng có lý do", by_status.get(rules.EXCUSED, []), with_reason=True)),
        paragraph(_count_line("Vắng không có lý do", by_status.get(rules.UNEXCUSED, []))),
    ]
    for status, label in (
        (rules.SUSPENDED, "Bị đình chỉ sinh hoạt"),
        (rules.DETAINED, "Bị truy tố, tạm giam"),
    ):
        if by_status.get(status):
            lines.append(paragraph(_count_line(label, by_status[status])))
    return lines


def _guests(meeting: Meeting) -> dict[str, Any]:
    guests = _lines(meeting.guests)
    return paragraph(f"Khách mời: {'; '.join(guests)}." if guests else "Khách mời: không.")


def _chair_and_secretary(meeting: Meeting) -> dict[str, Any]:
    chair_role = _role(meeting, meeting.chair_id)
    secretary_role = _role(meeting, meeting.minutes_secretary_id)
    secretary_name = meeting.minutes_secretary.full_name if meeting.minutes_secretary else "…"
    return paragraph(
        f"Chủ trì: đồng chí {meeting.chair.full_name if meeting.chair else '…'}"
        + (f", {chair_role}" if chair_role else "")
        + f". Thư ký: đồng chí {secretary_name}"
        + (f", {secretary_role}" if secretary_role else "")
        + "."
    )


def _agenda(meeting: Meeting, presentations: list[Speech]) -> list[dict[str, Any]]:
    """The programme, then each presentation of the draft."""
    return [
        paragraph("Chương trình sinh hoạt:"),
        bullet_list(_lines(meeting.agenda)),
        *(
            paragraph(
                f"Đồng chí {speech.speaker} trình bày dự thảo chuyên đề"
                + (f" “{_topic(meeting)}”" if meeting.session else "")
                + f": {speech.summary}"
            )
            for speech in presentations
        ),
    ]


def _speeches(others: list[Speech]) -> list[dict[str, Any]]:
    """Each speaker and their opinion (the presentations are in the agenda section)."""
    if others:
        opinions = bullet_list(f"Đồng chí {s.speaker}: {s.summary}" for s in others)
    else:
        opinions = paragraph("Không có ý kiến phát biểu.")
    return [heading("III. Ý KIẾN PHÁT BIỂU"), opinions]


def _conclusion(meeting: Meeting) -> list[dict[str, Any]]:
    return [
        heading("IV. KẾT LUẬN CỦA CHỦ TRÌ"),
        *(paragraph(line) for line in (_lines(meeting.conclusion) or ["…"])),
    ]


def _vote(meeting: Meeting, attendances: list[Attendance]) -> list[dict[str, Any]]:
    """The vote against the adjusted total, with who voted how when the vote was by name, then the other
    contents put to the vote at the meeting (the room's motions, meetings.hooks); nothing before a vote
    is recorded."""
    others = hooks.minutes_votes(meeting)
    if meeting.votes_for is None and not others:
        return []
    lines = [heading("V. BIỂU QUYẾT")]
    if meeting.votes_for is not None:
        if meeting.vote_subject:
            lines.append(paragraph(f"Nội dung biểu quyết: {meeting.vote_subject}."))
        lines.extend(paragraph(line) for line in vote_sentence(meeting))
        if meeting.vote_mode == Meeting.VoteMode.NAMED:
            names = {
                vote: ", ".join(a.member.full_name for a in attendances if a.vote == vote)
                for vote in Attendance.Vote.values
            }
            lines.append(names_table(names))
    return lines + others


def names_table(names: dict[str, str]) -> dict[str, Any]:
    """Who voted how in a vote by name: the names under each choice."""
    return table(
        ["Tán thành", "Không tán thành", "Ý kiến khác"],
        [[names["for"], names["against"], names["other"]]],
    )


def _quality(meeting: Meeting) -> list[dict[str, Any]]:
    from meetings.selectors import quality_label

    if not meeting.quality_level:
        return []
    return [paragraph(f"Chất lượng buổi sinh hoạt: {quality_label(meeting)} ({meeting.quality_score} điểm).")]


def _end(meeting: Meeting) -> dict[str, Any]:
    end = _hm(meeting.end_time) if meeting.end_time else "…"
    return paragraph(
        f"Buổi sinh hoạt kết thúc lúc {end} cùng ngày. Biên bản đã được đọc lại cho chi bộ nghe "
        "và được nhất trí thông qua."
    )


def _signatures(frame: DocumentFrame, meeting: Meeting) -> None:
    """The chair and the minutes secretary sign side by side; the minutes are sent to nobody."""
    frame.signer_capacity = ""
    frame.signer_title = CHAIR
    frame.signer_name = meeting.chair.full_name if meeting.chair else ""
    frame.cosigner_title = MINUTES_SECRETARY
    frame.cosigner_name = meeting.minutes_secretary.full_name if meeting.minutes_secretary else ""
    frame.recipients = []


# --- Resolution ----------------------------------------------------------------------------------


def resolution_frame(resolution: Resolution) -> DocumentFrame:
    """NGHỊ QUYẾT (or KẾT LUẬN) "về chuyên đề …": I. results and shortcomings, II. tasks and solutions
    with named members and deadlines, III. implementation; sent to the Đảng ủy (b/c)."""
    meeting = resolution.meeting
    tasks = list(resolution.tasks.prefetch_related("owners"))
    verb = "QUYẾT NGHỊ" if resolution.kind == Resolution.Kind.RESOLUTION else "KẾT LUẬN"
    body: list[dict[str, Any]] = [
        paragraph(
            f"Chi bộ {_cell_name(meeting)} họp {_day(meeting.date)}, sinh hoạt chuyên đề "
            f"“{_topic(meeting)}”, sau khi thảo luận, {verb}:"
        ),
        heading("I. KẾT QUẢ ĐẠT ĐƯỢC VÀ HẠN CHẾ"),
        *(paragraph(line) for line in _lines(resolution.results)),
    ]
    if resolution.shortcomings.strip():
        body.append(paragraph("Hạn chế:"))
        body.extend(paragraph(line) for line in _lines(resolution.shortcomings))
    body.append(heading("II. NHIỆM VỤ VÀ GIẢI PHÁP"))
    if tasks:
        body.append(
            table(
                ["TT", "Nhiệm vụ, giải pháp", "Người thực hiện", "Thời hạn"],
                [
                    [
                        str(index),
                        task.description,
                        ", ".join(
                            o.full_name
                            for o in sorted(task.owners.all(), key=lambda m: vietnamese_name_key(m.full_name))
                        ),
                        task.deadline.strftime("%d/%m/%Y"),
                    ]
                    for index, task in enumerate(tasks, start=1)
                ],
                widths=[1, 7, 4, 3],
            )
        )
    body.append(heading("III. TỔ CHỨC THỰC HIỆN"))
    body.extend(paragraph(line) for line in (_lines(resolution.implementation) or [IMPLEMENTATION]))
    title = "NGHỊ QUYẾT" if resolution.kind == Resolution.Kind.RESOLUTION else "KẾT LUẬN"
    return frame_for(
        meeting.cell,
        doc_type=resolution.kind,
        title=title,
        summary=f"Về chuyên đề “{_topic(meeting)}”",
        body=body,
        recipients=[superior_recipient(meeting.cell), MEMBERS_RECIPIENT],
    )
