"""Generated data at the scale of a Đảng bộ, up to a province (``manage.py generate_scale_data``).

What it makes (docs/architecture.md, "Scale data"): a tree of Party organisations (province Đảng bộ →
district-level Đảng bộ → grassroots Đảng bộ → cells, with a few cells directly under a district or the
province, as offices are), terms, members with a login each, positions, officers of every Đảng ủy, and
``years`` years of history up to today: orientations, annual plans, thematic sessions through every
stage of their lifecycle, drafts with versions, reviews, readings and comments, monthly and thematic
meetings with attendance, speeches, votes and minutes, resolutions with tasks, evaluations, year-end
reviews, quarterly and annual reports, issued documents, notifications and audit entries; then the
search index.

Rows are written in bulk (:mod:`home.scale_writer`), one district at a time so memory stays flat. A
session's status is derived from its own timeline (the date each step would have been taken), so the
rows around it are the ones the services would have left: a distributed draft has its approved
version and distribution, a held session its approved minutes, an evaluated one its resolution and
evaluation.

Generated data is recognisable: the audit log holds a ``home.scale.generated`` entry on each generated
root organisation, members' e-mail addresses end in ``@sd.example.vn`` and usernames are ``sd<member
id>``. Every login's password is :data:`PASSWORD` (one hash, computed once).
"""

import random
import time as clock
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.models import AuditEntry, RuleSet
from documents.models import IssuedDocument, NumberRegister
from documents.wording import ISSUER_CELL, ISSUER_COMMITTEE, format_symbol
from drafts.models import Comment, Distribution, DraftVersion, Reading, Response, Review
from evaluations.models import ReviewProposal, ReviewRound, SessionEvaluation
from home.scale_writer import Tables
from library import package
from library.models import ModelSession
from meetings import rules as meeting_rules
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
from planning.seed import TOPIC_GROUPS
from reports.models import Report, period_bounds
from reports.selectors import Figures
from search.services import reindex_all

PASSWORD = "chuyende-demo"
EMAIL_DOMAIN = "sd.example.vn"
USERNAME_PREFIX = "sd"
MARK_ACTION = "home.scale.generated"
S = Session.Status


@dataclass(frozen=True)
class Preset:
    """The shape of a generated tree: ``levels`` 2 (a grassroots Đảng bộ and its cells), 3 (a district
    Đảng bộ above grassroots ones) or 4 (a province above districts)."""

    cells: int
    members_per_cell: int
    years: int
    levels: int


PRESETS = {
    "tiny": Preset(cells=6, members_per_cell=12, years=2, levels=2),
    "school": Preset(cells=30, members_per_cell=20, years=5, levels=2),
    "district": Preset(cells=300, members_per_cell=30, years=5, levels=3),
    "province": Preset(cells=3000, members_per_cell=30, years=5, levels=4),
}


# --- Words ---------------------------------------------------------------------------------------

FAMILY = [
    "Nguyễn",
    "Nguyễn",
    "Nguyễn",
    "Trần",
    "Trần",
    "Lê",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Trương",
    "Đinh",
    "Lâm",
    "Mai",
    "Tôn",
    "Cao",
    "Hà",
    "Tạ",
]
MIDDLE_M = [
    "Văn",
    "Văn",
    "Hữu",
    "Đức",
    "Minh",
    "Quốc",
    "Thanh",
    "Công",
    "Xuân",
    "Đình",
    "Ngọc",
    "Quang",
    "Anh",
    "Bá",
]
MIDDLE_F = [
    "Thị",
    "Thị",
    "Thị",
    "Ngọc",
    "Thu",
    "Thanh",
    "Kim",
    "Minh",
    "Phương",
    "Hồng",
    "Diệu",
    "Mai",
    "Bích",
]
GIVEN_M = [
    "An",
    "Bảo",
    "Bình",
    "Cường",
    "Dũng",
    "Duy",
    "Đạt",
    "Hải",
    "Hiếu",
    "Hoàng",
    "Hùng",
    "Huy",
    "Khang",
    "Khánh",
    "Khoa",
    "Kiên",
    "Lâm",
    "Long",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Tâm",
    "Thắng",
    "Thành",
    "Thịnh",
    "Toàn",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
]
GIVEN_F = [
    "Anh",
    "Ánh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Hương",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Nga",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Quyên",
    "Thảo",
    "Thơ",
    "Thủy",
    "Trang",
    "Trâm",
    "Tuyết",
    "Uyên",
    "Vân",
    "Xuân",
    "Yến",
]
PLACES = [
    "Bình",
    "Sơn",
    "Thanh",
    "Hà",
    "Phú",
    "Lộc",
    "Hòa",
    "Vang",
    "Tam",
    "Kỳ",
    "Quế",
    "Sơn",
    "Đại",
    "Lộc",
    "Duy",
    "Xuyên",
    "Điện",
    "Bàn",
    "Thăng",
    "Bình",
    "Núi",
    "Thành",
    "Tiên",
    "Phước",
    "Hiệp",
    "Đức",
    "Phú",
    "Ninh",
    "Nông",
    "Sơn",
    "Nam",
    "Giang",
    "Đông",
    "Giang",
    "Tây",
    "Giang",
    "Phước",
    "Sơn",
    "Bắc",
    "Trà",
    "My",
]
DISTRICT_NAMES = [" ".join(PLACES[i : i + 2]) for i in range(0, len(PLACES) - 1, 2)]  # two-word place names
GRASSROOTS = (
    "Xã {}",
    "Phường {}",
    "Thị trấn {}",
    "Trường THPT {}",
    "Bệnh viện Đa khoa {}",
    "Công ty Cổ phần Cấp nước {}",
    "Trung tâm Y tế {}",
    "Ban Quản lý Dự án {}",
)
CELL_NAMES = (
    "Thôn {}",
    "Khu phố {}",
    "Tổ dân phố {}",
    "Khoa {}",
    "Phòng {}",
    "Tổ {}",
)
CELL_WORDS = [
    "Một",
    "Hai",
    "Ba",
    "Bốn",
    "Năm",
    "Sáu",
    "Bảy",
    "Tám",
    "Chín",
    "Mười",
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Trung",
    "Thượng",
    "Hạ",
    "An",
    "Phú",
    "Hòa",
    "Bình",
    "Lợi",
    "Tân",
    "Mỹ",
    "Thạnh",
    "Phước",
    "Lộc",
    "Thọ",
    "Xuân",
    "Thu",
]
OFFICES = ("Cơ quan Ủy ban nhân dân", "Cơ quan Mặt trận Tổ quốc và các đoàn thể", "Văn phòng cấp ủy")
JOBS = (
    "Chuyên viên",
    "Giáo viên",
    "Bác sĩ",
    "Kỹ sư",
    "Cán bộ hưu trí",
    "Công chức",
    "Nhân viên",
    "Trưởng thôn",
    "Kế toán",
    "Điều dưỡng",
)
STRENGTHS = (
    "Tư tưởng Hồ Chí Minh; văn hóa công vụ",
    "Xây dựng Đảng, công tác kiểm tra giám sát",
    "Lịch sử Đảng bộ địa phương; giáo dục truyền thống",
    "Chuyển đổi số; cải cách hành chính",
    "Pháp luật; phòng, chống tham nhũng",
    "Kinh tế nông nghiệp; xây dựng nông thôn mới",
    "Công tác dân vận; mặt trận và đoàn thể",
    "",
    "",
)
TOPIC_TITLES = (
    (0, "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về {}"),
    (1, "Nâng cao năng lực chuyên môn, nghiệp vụ trong {}"),
    (2, "Quán triệt và thực hiện nghị quyết của Đảng về {}"),
    (3, "Phòng, chống suy thoái tư tưởng chính trị, đạo đức, lối sống trong {}"),
    (4, "Xây dựng, chỉnh đốn Đảng gắn với {}"),
    (5, "Nâng cao chất lượng thực hiện nhiệm vụ chính trị về {}"),
    (6, "Giáo dục truyền thống cách mạng gắn với {}"),
    (7, "Xây dựng văn hóa công sở gắn với {}"),
)
TOPIC_SUBJECTS = (
    "tinh thần trách nhiệm",
    "chuyển đổi số",
    "cải cách hành chính",
    "thực hành tiết kiệm",
    "đoàn kết nội bộ",
    "phục vụ nhân dân",
    "xây dựng nông thôn mới",
    "bảo vệ nền tảng tư tưởng của Đảng",
)
PARAGRAPHS = (
    "Chủ tịch Hồ Chí Minh là tấm gương sáng về tinh thần tự học, học suốt đời, học ở mọi nơi.",
    "Chi bộ xác định rõ trách nhiệm nêu gương của cán bộ, đảng viên, trước hết là người đứng đầu.",
    "Mỗi đảng viên đăng ký ít nhất một việc làm cụ thể để thực hiện trong năm và báo cáo kết quả.",
    "Thực tiễn ở đơn vị cho thấy việc học tập phải gắn với giải quyết công việc hằng ngày.",
    "Cần tăng cường kiểm tra, giám sát việc thực hiện nghị quyết của chi bộ.",
    "Phát huy dân chủ trong sinh hoạt, tự phê bình và phê bình thẳng thắn, chân thành.",
    "Ứng dụng công nghệ thông tin để nâng cao hiệu quả công tác và phục vụ nhân dân.",
    "Kiên quyết đấu tranh phản bác các quan điểm sai trái, thù địch trên không gian mạng.",
)
COMMENTS = (
    "Đề nghị bổ sung số liệu thực tiễn của đơn vị trong năm qua.",
    "Phần liên hệ còn chung chung, nên nêu việc làm cụ thể.",
    "Nhất trí với nội dung dự thảo.",
    "Nên rút gọn phần lý luận, dành thời gian cho thảo luận.",
    "Đề nghị làm rõ trách nhiệm của từng đảng viên.",
    "Cần có giải pháp cụ thể hơn cho thời gian tới.",
)
REPLIES = ("Tôi đồng ý với ý kiến này.", "Xin tiếp thu, sẽ bổ sung.", "Cảm ơn đồng chí đã góp ý.")
SPEECHES = (
    "Nhất trí với nội dung chuyên đề, đề nghị bổ sung giải pháp cụ thể.",
    "Liên hệ bản thân về việc thực hiện nhiệm vụ được giao.",
    "Đề xuất chi bộ phân công đảng viên theo dõi việc thực hiện.",
    "Báo cáo kết quả công tác tháng và đề xuất nhiệm vụ tháng tới.",
)
LESSONS = (
    "Chuẩn bị dự thảo sớm, gửi đảng viên nghiên cứu trước.\nGắn nội dung chuyên đề với nhiệm vụ của đơn vị.",
    "Phân công đảng viên chuẩn bị ý kiến thảo luận trước buổi sinh hoạt.",
    "Kết luận cần ngắn gọn, rõ người, rõ việc.\nTheo dõi việc thực hiện nghị quyết hằng tháng.",
)
TASKS = (
    "Mỗi đảng viên đăng ký một việc làm cụ thể và báo cáo kết quả",
    "Rà soát, bổ sung quy chế làm việc của chi bộ",
    "Tổ chức tuyên truyền nội dung chuyên đề đến quần chúng",
    "Báo cáo kết quả thực hiện nghị quyết với Đảng ủy",
)
REASONS = ("Đi công tác", "Ốm", "Việc gia đình", "Đi học tập trung")
# Points per criterion of the rule set's rubric for each quality level reached (100, 80 and 50 points).
_FULL = {
    "attendance": 20,
    "preparation": 15,
    "procedure": 15,
    "duration": 10,
    "participation": 20,
    "conclusion": 10,
    "minutes": 10,
}
QUALITY = {
    "tot": _FULL,
    "kha": {**_FULL, "preparation": 5, "procedure": 5},
    "trung_binh": {**_FULL, "preparation": 0, "procedure": 0, "participation": 10, "conclusion": 5},
}


# --- The people of one cell, as the generator keeps them -----------------------------------------


@dataclass
class Person:
    member_id: int
    user_id: int
    name: str
    full_since: date | None  # None: probationary
    joined: date
    exempt: tuple[date, date | None] | None = None
    elsewhere_from: date | None = None  # temporarily attached to another cell from this date
    guest_from: date | None = None  # attached here from another cell

    def is_full(self, on: date) -> bool:
        return self.full_since is not None and self.full_since <= on

    def exempted(self, on: date) -> bool:
        return (
            self.exempt is not None
            and self.exempt[0] <= on
            and (self.exempt[1] is None or on <= self.exempt[1])
        )


@dataclass
class CellInfo:
    org_id: int
    name: str
    party_id: int  # the grassroots Đảng bộ (or the district/province for an office cell)
    people: list[Person] = field(default_factory=list)
    terms: list[tuple[int, date, date | None]] = field(default_factory=list)  # (term id, start, end)
    secretary: Person | None = None
    # The first cell of each Đảng bộ has a draft out for comment now, with a long discussion (40+ comments).
    showcase: bool = False
    meeting_day: int = 5  # the day of the month of the regular meeting


# --- The generator ----------------------------------------------------------------------------------


class Refused(Exception):
    """The database holds data the generator did not make (or made before), and ``force`` is off."""


def existing_data() -> tuple[int, int]:
    """(foreign, generated): how many organisations and members the generator did not make, and how
    many root organisations it did."""
    org_type = ContentType.objects.get_for_model(Organization)
    roots = list(
        Organization.objects.filter(
            pk__in=AuditEntry.objects.filter(action=MARK_ACTION, content_type=org_type).values("object_id")
        ).values_list("path", flat=True)
    )
    orgs = Organization.objects.all()
    for path in roots:
        orgs = orgs.exclude(path__startswith=path)
    foreign = orgs.count() + Member.objects.exclude(email__endswith=f"@{EMAIL_DOMAIN}").count()
    return foreign, len(roots)


class Generator:
    def __init__(
        self,
        preset: Preset,
        *,
        seed: int = 1,
        today: date | None = None,
        out: Callable[[str], None] = lambda line: None,
    ) -> None:
        self.preset = preset
        self.rng = random.Random(seed)
        self.seed = seed
        self.today = today or timezone.localdate()
        self.now = timezone.now()
        self.first_year = self.today.year - preset.years + 1
        self.out = out
        self.started = clock.monotonic()
        self.tz = timezone.get_default_timezone()
        self.password = make_password(PASSWORD)
        self.rules = RuleSet.current(self.today).params
        self.content_types: dict[type, int] = {
            model: ContentType.objects.get_for_model(model).pk
            for model in (Organization, AnnualPlan, Session, Meeting, Report, Resolution, Member)
        }
        # Addresses with a placeholder id, filled in per row (reverse() per row would dominate).
        self.urls = {
            name: reverse(name, args=[987654321]).replace("987654321", "{}")
            for name in ("drafts:read", "meetings:detail", "planning:session", "reports:detail")
        }
        self.lively_day = self.today + timedelta(days=3)
        # One published model session per Đảng bộ (library), built once the district's rows are written.
        self.models_made: set[int] = set()
        self.model_candidates: list[tuple[int, int, int, int, datetime]] = []
        self.t: Tables | None = None

    # --- helpers ---

    def at(self, day: date, hour: int = 9, minute: int = 0) -> datetime:
        moment = datetime.combine(day, time(hour, minute), tzinfo=self.tz)
        return min(moment, self.now)

    def log(self, phase: str, rows: int) -> None:
        """One line of progress: the phase, rows written so far, seconds since the start, and the CPU
        seconds of this process and of the database server's process (PostgreSQL on this machine)."""
        cpu = f"cpu {clock.process_time():.0f} s"
        server = self.t.server_cpu() if self.t else None
        if server is not None:
            cpu += f" + db {server:.0f} s"
        self.out(f"{phase:<40} {rows:>10,} rows {clock.monotonic() - self.started:>8.1f} s  ({cpu})")

    def name(self) -> tuple[str, str, str, str]:
        """(full name, given name, family and middle names, gender)."""
        rng = self.rng
        gender = "female" if rng.random() < 0.45 else "male"
        family = rng.choice(FAMILY)
        middle = rng.choice(MIDDLE_F if gender == "female" else MIDDLE_M)
        given = rng.choice(GIVEN_F if gender == "female" else GIVEN_M)
        return f"{family} {middle} {given}", given, f"{family} {middle}", gender

    def audit(
        self,
        action: str,
        model: type,
        object_id: int,
        text: str,
        when: datetime,
        actor: int | None,
        data: dict[str, Any] | None = None,
    ) -> None:
        assert self.t is not None
        self.t[AuditEntry].add(
            actor_id=actor,
            action=action,
            content_type_id=self.content_types[model],
            object_id=object_id,
            object_repr=text[:255],
            data=data or {},
            created_at=when,
        )

    def document(
        self,
        org_id: int,
        term: int,
        doc_type: str,
        is_cell: bool,
        title: str,
        summary: str,
        on: date,
        model: type,
        source: int,
        numbers: dict[tuple[int, str], int],
        place: str,
        names: tuple[str, str],
    ) -> int:
        """An issued document with the next number of its type in the term."""
        assert self.t is not None
        number = numbers.get((term, doc_type), 0) + 1
        numbers[(term, doc_type)] = number
        issuer = ISSUER_CELL if is_cell else ISSUER_COMMITTEE
        symbol = format_symbol(number, doc_type, issuer)
        snapshot = {
            "parent_name": names[0].upper(),
            "org_name": names[1].upper(),
            "doc_type": doc_type,
            "issuer": issuer,
            "place": place,
            "title": title,
            "summary": summary,
            "body": [{"kind": "paragraph", "text": summary}],
            "recipients": [],
            "signer_capacity": "T/M CHI BỘ" if is_cell else "T/M ĐẢNG ỦY",
            "signer_title": "BÍ THƯ",
            "signer_name": "",
            "cosigner_title": "",
            "cosigner_name": "",
            "number": number,
            "symbol": symbol,
            "numbered": True,
            "date": on.isoformat(),
        }
        self.last_snapshot = snapshot
        return self.t[IssuedDocument].add(
            organization_id=org_id,
            term_id=term,
            doc_type=doc_type,
            number=number,
            symbol=symbol,
            title=title,
            summary=summary,
            issued_on=on,
            place=place,
            snapshot=snapshot,
            content_type_id=self.content_types[model],
            object_id=source,
            issued_by_id=None,
            created_at=self.at(on, 10),
        )

    # --- the run ---

    def run(self) -> dict[str, int]:
        models_: list[type[models.Model]] = [
            User, Organization, Term, Member, Membership, Position, Exemption, OfficerAssignment,
            TopicGroup, Topic, Orientation, AnnualPlan, Session, Assignment, Registration,
            DraftVersion, Review, Distribution, Reading, Comment, Response, Meeting, Attendance, Speech,
            MinutesVersion, Resolution, ResolutionTask, ResolutionTask.owners.through, SessionEvaluation,
            Orientation.topics.through, ModelSession,
            ReviewRound, ReviewProposal, Report, Notification, AuditEntry, IssuedDocument, NumberRegister,
        ]  # fmt: skip
        with transaction.atomic():
            self.t = Tables(models_)
            trusted = self.t.defer_key_checks()
            self.log("start" + (" (foreign keys checked at the end)" if trusted else ""), 0)
            for district in self.tree():
                self.write_district(district)
                self.t.flush()
                self.publish_models()
                self.t.flush()
                self.log(f"district {district['name'][:24]}", self.t.written())
            if trusted:
                self.t.check_keys()
                self.log("foreign keys checked", self.t.written())
            self.t.reset_sequences()
            counts = self.t.counts()
        self.log("committed", sum(counts.values()))
        with transaction.atomic():
            counts["search.SearchEntry"] = reindex_all()
        self.log("search index", counts["search.SearchEntry"])
        # The planner's statistics, as after a restore: without them PostgreSQL takes every table for
        # the few rows it had before the load and picks nested loops over 3,000 cells (the dashboard
        # measured 5.5 s before, 2 s after). SQLite's ANALYZE does the same for its planner.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.log("statistics (ANALYZE)", sum(counts.values()))
        return counts

    def publish_models(self) -> None:
        """The library's model sessions: their package is built by the library itself from the rows
        just written (which also checks that an evaluated session has everything publishing needs)."""
        assert self.t is not None
        sessions = Session.objects.select_related("cell", "plan", "topic__group").in_bulk(
            [c[0] for c in self.model_candidates]
        )
        for session_id, cell_id, party_id, user_id, evaluated in self.model_candidates:
            session = sessions[session_id]
            problems = package.problems(session)
            if problems:
                raise RuntimeError(f"Generated session {session_id} is not complete: {problems}")
            published = evaluated + timedelta(days=10)
            self.t[ModelSession].add(
                session_id=session_id,
                cell_id=cell_id,
                party_id=party_id,
                status="published",
                note="Chuẩn bị công phu, thảo luận sôi nổi, nghị quyết khả thi.",
                registered_by_id=user_id,
                registered_at=evaluated + timedelta(days=2),
                decided_by_id=None,
                decided_at=evaluated + timedelta(days=5),
                published_by_id=None,
                published_at=min(published, self.now),
                package=package.build(session),
            )
        self.model_candidates = []

    # --- the tree ----------------------------------------------------------------------------------

    def tree(self) -> Iterator[dict[str, Any]]:
        """The districts one by one (a district's plan of grassroots Đảng bộ and cells); the root and
        the districts themselves are written first."""
        assert self.t is not None
        rng, preset = self.rng, self.preset
        orgs = self.t[Organization]
        cells = preset.cells
        ordinal = AuditEntry.objects.filter(action=MARK_ACTION).count() + 1
        suffix = f" ({ordinal})" if ordinal > 1 else ""
        if preset.levels == 4:
            root_name = f"Đảng bộ tỉnh Sông Thu{suffix}"
        elif preset.levels == 3:
            root_name = f"Đảng bộ huyện {rng.choice(DISTRICT_NAMES)}{suffix}"
        else:
            root_name = f"Đảng bộ Trường THPT {rng.choice(DISTRICT_NAMES)}{suffix}"
        root = orgs.new_id()
        root_path = f"{root:06d}."
        orgs.add(
            id=root, name=root_name, kind="party_committee", parent_id=None, path=root_path, place="Tam Kỳ"
        )
        self.audit(
            MARK_ACTION,
            Organization,
            root,
            root_name,
            self.now,
            None,
            {"seed": self.seed, "cells": preset.cells, "years": preset.years},
        )
        self.root = {"id": root, "path": root_path, "name": root_name, "parent_name": ""}
        self.parties: dict[int, dict[str, Any]] = {root: self.root}
        if preset.levels == 2:
            yield {"name": root_name, "node": self.root, "grassroots": [(self.root, cells)], "offices": 0}
            return
        # Districts: about 200 cells each in a province, the whole tree in a district preset.
        n_districts = max(2, round(cells / 200)) if preset.levels == 4 else 1
        offices_root = max(1, cells // 150) if preset.levels == 4 else 0
        left = cells - offices_root
        shares = [rng.uniform(0.6, 1.4) for _ in range(n_districts)]
        total = sum(shares)
        district_cells = [max(3, round(left * s / total)) for s in shares]
        district_cells[-1] = max(3, left - sum(district_cells[:-1]))
        if offices_root:
            # The province's own offices: cells directly under it, written with the first district.
            pass
        for index, count in enumerate(district_cells):
            if preset.levels == 4:
                name = f"Đảng bộ huyện {DISTRICT_NAMES[index % len(DISTRICT_NAMES)]}"
                if index >= len(DISTRICT_NAMES):
                    name += f" {index // len(DISTRICT_NAMES) + 1}"
                node_id = orgs.new_id()
                node = {
                    "id": node_id,
                    "path": f"{root_path}{node_id:06d}.",
                    "name": name,
                    "parent_name": root_name,
                }
                orgs.add(
                    id=node_id,
                    name=name,
                    kind="party_committee",
                    parent_id=root,
                    path=node["path"],
                    place=name.split(" ", 3)[-1],
                )
                self.parties[node_id] = node
            else:
                node = self.root
            offices = max(1, count // 40)
            rest = count - offices
            grassroots = []
            while rest > 0:
                size = min(rest, max(3, int(rng.lognormvariate(2.4, 0.5))))
                if rest - size < 3:
                    size = rest
                grassroots.append(size)
                rest -= size
            parties = []
            for g_index, size in enumerate(grassroots):
                place = rng.choice(PLACES)
                kind = GRASSROOTS[g_index % len(GRASSROOTS)]
                g_name = f"Đảng bộ {kind.format(place)}"
                g_id = orgs.new_id()
                g = {
                    "id": g_id,
                    "path": f"{node['path']}{g_id:06d}.",
                    "name": g_name,
                    "parent_name": node["name"],
                }
                orgs.add(
                    id=g_id,
                    name=g_name,
                    kind="party_committee",
                    parent_id=node["id"],
                    path=g["path"],
                    place=place,
                )
                self.parties[g_id] = g
                parties.append((g, size))
            extra = offices_root if index == 0 else 0
            yield {
                "name": node["name"],
                "node": node,
                "grassroots": parties,
                "offices": offices,
                "root_offices": extra,
            }

    # --- one district ------------------------------------------------------------------------------

    def write_district(self, district: dict[str, Any]) -> None:
        assert self.t is not None
        cells: list[CellInfo] = []
        party_cells: dict[int, list[CellInfo]] = {}
        # Offices of the district (and, with the first district, of the province) come straight under.
        under: list[tuple[dict[str, Any], int, tuple[str, ...]]] = [
            (district["node"], district["offices"], OFFICES)
        ]
        if district.get("root_offices"):
            under.append((self.root, district["root_offices"], OFFICES))
        for party, size in district["grassroots"]:
            under.append((party, size, CELL_NAMES))
        for party, size, patterns in under:
            self.topics_of(party)
            for index in range(size):
                pattern = patterns[index % len(patterns)]
                word = CELL_WORDS[index % len(CELL_WORDS)] + (
                    f" {index // len(CELL_WORDS) + 1}" if index >= len(CELL_WORDS) else ""
                )
                name = f"Chi bộ {pattern.format(word)}" if "{}" in pattern else f"Chi bộ {pattern}"
                if "{}" not in pattern and index >= len(patterns):
                    name += f" {index // len(patterns) + 1}"
                cell = self.cell(party, name)
                cell.showcase = index == 0
                cells.append(cell)
                party_cells.setdefault(party["id"], []).append(cell)
        self.attach_some(cells)
        for party_id, its_cells in party_cells.items():
            self.party_people(self.parties[party_id], its_cells)
        # A district or province without cells of its own takes its officers from cells further down.
        for node, some in ((district["node"], cells[-1:]), (self.root, cells[len(cells) // 2 :][:1])):
            if node["id"] not in party_cells:
                self.party_people(node, some)
        for cell in cells:
            self.history(cell)

    def topics_of(self, party: dict[str, Any]) -> None:
        """The eight topic groups, a catalogue of topics, and one orientation a year (once per party)."""
        assert self.t is not None
        if "topics" in party:
            return
        rng = self.rng
        party["topics"] = []
        for index, (group_name, keywords) in enumerate(TOPIC_GROUPS, start=1):
            group = self.t[TopicGroup].add(
                organization_id=party["id"], name=group_name, keywords=keywords, order=index
            )
            pattern = TOPIC_TITLES[index - 1][1]
            for subject in rng.sample(TOPIC_SUBJECTS, 2):
                title = pattern.format(subject)
                topic = self.t[Topic].add(
                    organization_id=party["id"],
                    group_id=group,
                    title=title,
                    description=f"Chuyên đề về {subject}.",
                    source="orientation",
                    proposed_by_id=None,
                    created_at=self.at(date(self.first_year - 1, 12, 1)),
                )
                party["topics"].append((topic, title))
        for year in range(self.first_year, self.today.year + 1):
            orientation = self.t[Orientation].add(
                organization_id=party["id"],
                year=year,
                plans_due=date(year, 1, 31),
                note="Các chi bộ xây dựng kế hoạch sinh hoạt chuyên đề năm.",
            )
            for topic, _title in rng.sample(party["topics"], 2):
                self.t[Orientation.topics.through].add(orientation_id=orientation, topic_id=topic)

    def terms_for(self, org_id: int, is_cell: bool) -> list[tuple[int, date, date | None]]:
        """Committee terms of five years covering the generated years, the current one open."""
        assert self.t is not None
        month = 5 if is_cell else 7
        start_year = self.today.year - (self.today.year % 5)
        if date(start_year, month, 1) > self.today:
            start_year -= 5
        terms: list[tuple[int, date, date | None]] = []
        year = start_year
        while True:
            start = date(year, month, 1)
            end = None if year == start_year else date(year + 5, month, 1) - timedelta(days=1)
            term = self.t[Term].add(
                organization_id=org_id, name=f"{year}–{year + 5}", start_date=start, end_date=end
            )
            terms.append((term, start, end))
            if year <= self.first_year - 1:
                break
            year -= 5
        return sorted(terms, key=lambda t: t[1])

    def person(self, cell_id: int, joined: date, probationary_days: int | None = None) -> Person:
        assert self.t is not None
        rng = self.rng
        full_name, given, family, gender = self.name()
        member_id = self.t[Member].new_id()
        username = f"{USERNAME_PREFIX}{member_id}"
        email = f"{username}@{EMAIL_DOMAIN}"
        user = self.t[User].add(
            password=self.password,
            last_login=None,
            is_superuser=False,
            username=username,
            first_name=given,
            last_name=family,
            email=email,
            is_staff=False,
            is_active=True,
            date_joined=self.at(joined),
        )
        if probationary_days is not None:
            admitted = self.today - timedelta(days=probationary_days)
            official, status, card = None, "probationary", ""
            born = date(self.today.year - rng.randint(20, 35), rng.randint(1, 12), rng.randint(1, 28))
            joined = admitted
        else:
            born = date(rng.randint(1955, 1998), rng.randint(1, 12), rng.randint(1, 28))
            admitted = min(
                date(born.year + rng.randint(19, 40), rng.randint(1, 12), rng.randint(1, 28)),
                joined - timedelta(days=400),
            )
            admitted = max(admitted, born + timedelta(days=18 * 366))
            official = admitted + timedelta(days=365)
            status, card = "full", f"SD{member_id:09d}"
        self.t[Member].add(
            id=member_id,
            full_name=full_name,
            date_of_birth=born,
            gender=gender,
            party_card_number=card,
            admission_date=admitted,
            official_date=official,
            status=status,
            job_title=rng.choice(JOBS),
            strengths=rng.choice(STRENGTHS),
            email=email,
            phone="",
            user_id=user,
        )
        self.t[Membership].add(
            member_id=member_id, organization_id=cell_id, kind="regular", start_date=joined, end_date=None
        )
        return Person(member_id, user, full_name, official, joined)

    def cell(self, party: dict[str, Any], name: str) -> CellInfo:
        """A cell with its members (8–60, most 15–35), terms and positions."""
        assert self.t is not None
        rng = self.rng
        org_id = self.t[Organization].new_id()
        path = f"{party['path']}{org_id:06d}."
        self.t[Organization].add(
            id=org_id, name=name, kind="cell", parent_id=party["id"], path=path, place=""
        )
        cell = CellInfo(org_id, name, party["id"], meeting_day=rng.randint(3, 8))
        mean = self.preset.members_per_cell
        size = int(
            min(60, max(8, rng.gauss(mean, mean * 0.3) if rng.random() < 0.85 else rng.uniform(8, 60)))
        )
        since = date(self.first_year - 1, 1, 1)
        for index in range(size):
            probationary = index >= 3 and rng.random() < 0.06
            if probationary:
                person = self.person(org_id, since, probationary_days=rng.randint(20, 330))
            else:
                joined = since - timedelta(days=rng.randint(0, 3000))
                person = self.person(org_id, joined)
            if index >= 3 and rng.random() < 0.02:
                start = self.today - timedelta(days=rng.randint(30, 900))
                end = None if rng.random() < 0.5 else start + timedelta(days=rng.randint(60, 400))
                person.exempt = (start, end)
                self.t[Exemption].add(
                    member_id=person.member_id,
                    start_date=start,
                    end_date=end,
                    reason=rng.choice(("Điều trị bệnh dài ngày", "Tuổi cao, sức yếu")),
                )
            cell.people.append(person)
        cell.terms = self.terms_for(org_id, True)
        full = [p for p in cell.people if p.is_full(self.today)]
        cell.secretary = full[0]
        committee = len(full) >= self.rules["committee_min_full_members"]
        roles = [("secretary", full[0]), ("deputy_secretary", full[1])]
        if committee:
            roles += [("committee_member", p) for p in full[2 : 2 + rng.randint(1, 3)]]
        for term, start, end in cell.terms:
            for role, person in roles:
                self.t[Position].add(
                    term_id=term, member_id=person.member_id, role=role, start_date=start, end_date=end
                )
        return cell

    def attach_some(self, cells: list[CellInfo]) -> None:
        """A few members temporarily attached to another cell of the district since last September."""
        assert self.t is not None
        if len(cells) < 2:
            return
        start = date(self.today.year - 1, 9, 1)
        for cell in cells:
            for person in cell.people[3:]:
                if self.rng.random() < 0.015 and person.exempt is None and person.joined < start:
                    host = self.rng.choice([c for c in cells if c is not cell][:20])
                    self.t[Membership].add(
                        member_id=person.member_id,
                        organization_id=host.org_id,
                        kind="temporary",
                        start_date=start,
                        end_date=None,
                    )
                    person.elsewhere_from = start
                    guest = replace(person, elsewhere_from=None, guest_from=start)
                    host.people.append(guest)

    def party_people(self, party: dict[str, Any], cells: list[CellInfo]) -> None:
        """The Đảng ủy's terms, its secretary and deputy (members of its cells), and their officer
        assignments (one to three officers per Đảng ủy)."""
        assert self.t is not None
        if party.get("officers") or not cells:
            return
        terms = self.terms_for(party["id"], False)
        people = [
            p for c in cells[:3] for p in c.people[:4] if p.is_full(self.today) and p.guest_from is None
        ]
        chosen = people[: self.rng.randint(1, 3)]
        titles = ("Bí thư Đảng ủy", "Phó Bí thư Đảng ủy", "Chuyên viên Văn phòng Đảng ủy")
        for index, person in enumerate(chosen):
            if index < 2:
                for term, start, end in terms:
                    self.t[Position].add(
                        term_id=term,
                        member_id=person.member_id,
                        role="secretary" if index == 0 else "deputy_secretary",
                        start_date=start,
                        end_date=end,
                    )
            self.t[OfficerAssignment].add(
                user_id=person.user_id, organization_id=party["id"], title=titles[index]
            )
        party["officers"] = [p.user_id for p in chosen]

    # --- the history of one cell -------------------------------------------------------------------

    def term_on(self, cell: CellInfo, on: date) -> int:
        for term, start, end in cell.terms:
            if start <= on and (end is None or on <= end):
                return term
        return cell.terms[0][0]

    def history(self, cell: CellInfo) -> None:
        assert self.t is not None
        rng, today = self.rng, self.today
        party = self.parties[cell.party_id]
        names = (party["name"], cell.name)
        numbers: dict[tuple[int, str], int] = {}
        secretary = cell.secretary
        assert secretary is not None
        own = [p for p in cell.people if p.guest_from is None]
        figures: dict[tuple[int, int], Figures] = {}
        for year in range(self.first_year, today.year + 1):
            current = year == today.year
            if current and rng.random() < 0.03 and not cell.showcase:
                # No plan this year yet, although it was due: only the monthly meetings.
                self.regular_meetings(cell, year, own, numbers, names, figures, set())
                continue
            plan_id = self.t[AnnualPlan].new_id()
            # Sessions: one per quarter, a few cells below the minimum or with an extra one.
            quarters = [1, 2, 3, 4]
            if rng.random() < 0.08 and not (current and cell.showcase):
                quarters.remove(rng.choice(quarters))
            if rng.random() < 0.1:
                quarters.append(rng.choice((2, 4)))
            sessions = []
            days: set[date] = set()
            for quarter in sorted(quarters):
                month = 3 * quarter - 2 + rng.choice((0, 1, 1, 2))
                day = date(year, month, rng.randint(8, 25))
                if (
                    cell.showcase
                    and self.lively_day.year == year
                    and (self.lively_day.month - 1) // 3 + 1 == quarter
                ):
                    day = self.lively_day
                while day in days:
                    day += timedelta(days=1)
                days.add(day)
                sessions.append(
                    self.session(cell, plan_id, year, quarter, day, own, party, numbers, names, figures)
                )
            # The plan.
            due = date(year, 1, 31)
            on_time = date(year, 1, rng.randint(10, 30))
            late = due + timedelta(days=rng.randint(3, 30))
            submitted: date | None = on_time if rng.random() < 0.85 else late
            acknowledged: date | None = (submitted or due) + timedelta(days=rng.randint(3, 12))
            status, remarks = "acknowledged", ""
            if current:
                roll = rng.random()
                if roll < 0.05:
                    status, acknowledged, submitted = "draft", None, None
                elif roll < 0.12:
                    status, acknowledged = "submitted", None
                elif roll < 0.17:
                    status, acknowledged, remarks = "returned", None, "Đề nghị bổ sung chuyên đề và gửi lại."
            elif rng.random() < 0.04:
                remarks = "Đã bổ sung theo ý kiến của Đảng ủy."
            if acknowledged and acknowledged > today:
                status, acknowledged = "submitted", None
            document = None
            if submitted:
                document = self.document(
                    cell.org_id,
                    self.term_on(cell, submitted),
                    "KH",
                    True,
                    "KẾ HOẠCH",
                    f"Sinh hoạt chuyên đề năm {year}",
                    submitted,
                    AnnualPlan,
                    plan_id,
                    numbers,
                    "",
                    names,
                )
            snapshot = None
            if status == "acknowledged":
                snapshot = {
                    "revision": 1,
                    "sessions": [
                        {
                            "id": s[0],
                            "title": s[1],
                            "quarter": s[2],
                            "month": s[3].month,
                            "planned_date": s[3].isoformat(),
                            "combined": s[4],
                            "cancelled": s[5],
                        }
                        for s in sessions
                    ],
                }
            self.t[AnnualPlan].add(
                id=plan_id,
                cell_id=cell.org_id,
                year=year,
                status=status,
                revision=1,
                purpose="Nâng cao chất lượng sinh hoạt chi bộ.",
                remarks=remarks,
                submitted_at=self.at(submitted) if submitted else None,
                first_submitted_at=self.at(submitted) if submitted else None,
                acknowledged_at=self.at(acknowledged) if acknowledged else None,
                acknowledged_snapshot=snapshot,
                document_id=document,
                lock_version=0,
            )
            if submitted:
                self.audit(
                    "planning.plan.submitted",
                    AnnualPlan,
                    plan_id,
                    f"{cell.name} · {year}",
                    self.at(submitted),
                    secretary.user_id,
                )
            if acknowledged:
                self.audit(
                    "planning.plan.acknowledged",
                    AnnualPlan,
                    plan_id,
                    f"{cell.name} · {year}",
                    self.at(acknowledged),
                    None,
                )
            if current and rng.random() < 0.15:
                topic, _title = rng.choice(party["topics"])
                declined = rng.random() < 0.3
                self.t[Registration].add(
                    member_id=rng.choice(own).member_id,
                    cell_id=cell.org_id,
                    session_id=None,
                    topic_id=topic,
                    note="Tôi có kinh nghiệm thực tiễn về chủ đề này.",
                    status="declined" if declined else "pending",
                    decision_reason="Chi bộ đã phân công đồng chí khác." if declined else "",
                    created_at=self.at(today - timedelta(days=rng.randint(3, 40))),
                    decided_at=self.at(today - timedelta(days=1)) if declined else None,
                )
            self.regular_meetings(
                cell, year, own, numbers, names, figures, {s[3].month for s in sessions if s[4] and not s[5]}
            )
            if year < today.year:
                self.review_round(cell, year, own)
        self.reports(cell, figures, numbers, names)
        for (term, doc_type), last in numbers.items():
            org = cell.org_id
            self.t[NumberRegister].add(organization_id=org, term_id=term, doc_type=doc_type, last_number=last)

    def session(
        self,
        cell: CellInfo,
        plan_id: int,
        year: int,
        quarter: int,
        day: date,
        people: list[Person],
        party: dict[str, Any],
        numbers: dict[tuple[int, str], int],
        names: tuple[str, str],
        figures: dict[tuple[int, int], Figures],
    ) -> tuple[int, str, int, date, bool, bool]:
        """One thematic session and everything its timeline has reached by today."""
        assert self.t is not None
        t, rng, today = self.t, self.rng, self.today
        topic_id, title = rng.choice(party["topics"])
        session_id = t[Session].new_id()
        combined = rng.random() < 0.25
        postponed_from, postponed_reason = None, ""
        if day < today and rng.random() < 0.05:
            postponed_from = day - timedelta(days=rng.randint(7, 21))
            postponed_reason = "Trùng lịch công tác của đơn vị"
        quarter = (day.month - 1) // 3 + 1
        fig = figures.setdefault((year, quarter), Figures())
        fig.planned += 1
        presenter = rng.choice(people[1:]) if len(people) > 1 else people[0]
        secretary = cell.secretary
        assert secretary is not None
        # The day each step is taken, counted from the meeting.
        steps = {
            "assigned": day - timedelta(days=60),
            # The presenter's pace varies: writing starts two to five weeks before, the draft is sent for
            # approval one to two weeks before, and reaches the members two to seven days before.
            "drafting": day - timedelta(days=rng.randint(15, 35)),
            "submitted": day - timedelta(days=rng.randint(8, 14)),
            "distributed": day - timedelta(days=rng.randint(2, 7)),
            "held": day,
            "revising": day + timedelta(days=4),
            "final_submitted": day + timedelta(days=6),
            "final_approved": day + timedelta(days=8),
            "resolution_issued": day + timedelta(days=12),
            "evaluated": day + timedelta(days=20),
        }
        lively = cell.showcase and day == self.lively_day
        if lively:
            steps["distributed"] = day - timedelta(days=5)  # out for comment now
        order = list(steps)
        reached = [s for s in order if steps[s] <= today]
        status = reached[-1] if reached else S.PLANNED
        # Some sessions stop on the way: not evaluated, resolution not issued, no presenter yet.
        roll = rng.random()
        if status == S.EVALUATED and roll < 0.1:
            status = S.RESOLUTION_ISSUED if roll < 0.07 else S.FINAL_APPROVED
        if status == S.ASSIGNED and roll < 0.3:
            status = S.PLANNED
        returned_first = rng.random() < 0.25
        if status == S.DRAFTING and returned_first and today >= steps["drafting"] + timedelta(days=2):
            status = S.RETURNED  # the first version came back with remarks; the next is not in yet
        cancelled = rng.random() < 0.03 and status not in (S.PLANNED,) and not lively
        if cancelled:
            status = S.CANCELLED
            fig.cancelled += 1
        index = order.index(status) if status in order else -1
        if status == S.RETURNED:
            index = order.index("submitted")
        reached_ = lambda step: not cancelled and index >= order.index(step)  # noqa: E731
        t[Session].add(
            id=session_id,
            plan_id=plan_id,
            cell_id=cell.org_id,
            topic_id=topic_id,
            title=title,
            quarter=quarter,
            month=day.month,
            planned_date=day,
            planned_time=time(14, 0),
            combined_with_regular=combined,
            status=status,
            postponed_from=postponed_from,
            postponed_reason=postponed_reason,
            cancelled_reason="Đơn vị có nhiệm vụ đột xuất" if cancelled else "",
        )
        repr_ = title
        if cancelled:
            self.audit(
                "planning.session.cancelled",
                Session,
                session_id,
                repr_,
                self.at(min(day, today)),
                secretary.user_id,
            )
        # Presenter: assigned (through an accepted registration now and then), or a pending offer.
        if status != S.PLANNED and (not cancelled or rng.random() < 0.5):
            t[Assignment].add(
                session_id=session_id,
                member_id=presenter.member_id,
                assigned_at=self.at(steps["assigned"]),
                assigned_by_id=secretary.user_id,
            )
            if rng.random() < 0.2:
                t[Registration].add(
                    member_id=presenter.member_id,
                    cell_id=cell.org_id,
                    session_id=session_id,
                    topic_id=None,
                    note="Xin được chuẩn bị chuyên đề này.",
                    status="accepted",
                    decision_reason="",
                    created_at=self.at(steps["assigned"] - timedelta(days=5)),
                    decided_at=self.at(steps["assigned"]),
                )
        elif status == S.PLANNED and rng.random() < 0.3:
            t[Registration].add(
                member_id=presenter.member_id,
                cell_id=cell.org_id,
                session_id=session_id,
                topic_id=None,
                note="Tôi xin đăng ký chuẩn bị chuyên đề.",
                status="pending",
                decision_reason="",
                created_at=self.at(min(today, steps["assigned"])),
                decided_at=None,
            )
        if reached_("assigned"):
            self.audit(
                "planning.session.presenters_set",
                Session,
                session_id,
                repr_,
                self.at(steps["assigned"]),
                secretary.user_id,
                {"names": presenter.name},
            )
        if not reached_("drafting"):
            return session_id, title, quarter, day, combined, cancelled
        # Draft versions.
        paragraphs = [
            {"anchor": f"p-{i + 1}", "text": text} for i, text in enumerate(rng.sample(PARAGRAPHS, 5))
        ]
        html = "".join(
            f'<p id="{p["anchor"]}" data-anchor="{p["anchor"]}">{p["text"]}</p>' for p in paragraphs
        )
        versions: list[int] = []
        number = 0

        def version(stage: str, on: date, approved: bool) -> int:
            nonlocal number
            number += 1
            vid = t[DraftVersion].add(
                session_id=session_id,
                number=number,
                stage=stage,
                kind="html",
                file="",
                original_name="",
                html=html,
                paragraphs=paragraphs,
                pages=None,
                note="" if number == 1 else "Tiếp thu góp ý",
                created_by_id=presenter.user_id,
                created_at=self.at(on, 15),
                approved_at=self.at(on + timedelta(days=1), 10) if approved else None,
            )
            versions.append(vid)
            return vid

        def review(vid: int, on: date, decision: str) -> None:
            t[Review].add(
                session_id=session_id,
                version_id=vid,
                submitted_by_id=presenter.user_id,
                submitted_at=self.at(on, 16),
                decision=decision,
                remarks="Đề nghị bổ sung phần liên hệ thực tiễn." if decision == "returned" else "",
                decided_by_id=secretary.user_id if decision != "pending" else None,
                decided_at=self.at(on + timedelta(days=1), 10) if decision != "pending" else None,
            )

        fig.drafts += 1
        if status == S.DRAFTING:
            version("draft", steps["drafting"], False)
            return session_id, title, quarter, day, combined, cancelled
        if returned_first:
            v1 = version("draft", steps["drafting"], False)
            review(v1, steps["drafting"] + timedelta(days=1), "returned")
            self.audit(
                "drafts.draft.returned",
                Session,
                session_id,
                repr_,
                self.at(steps["drafting"] + timedelta(days=2)),
                secretary.user_id,
            )
            if status == S.RETURNED:
                return session_id, title, quarter, day, combined, cancelled
        if status == S.SUBMITTED:
            vid = version("draft", steps["submitted"], False)
            review(vid, steps["submitted"], "pending")
            return session_id, title, quarter, day, combined, cancelled
        approved = version("draft", steps["submitted"], True)
        review(approved, steps["submitted"], "approved")
        distributed_on = steps["distributed"]
        t[Distribution].add(
            session_id=session_id,
            version_id=approved,
            distributed_at=self.at(distributed_on, 11),
            distributed_by_id=secretary.user_id,
            include_exempted=False,
            late=False,
        )
        self.audit(
            "drafts.draft.distributed",
            Session,
            session_id,
            repr_,
            self.at(distributed_on, 11),
            secretary.user_id,
        )
        url = self.urls["drafts:read"].format(session_id)
        readers = 0
        for person in people:
            if rng.random() < 0.85:
                readers += 1
                t[Reading].add(
                    session_id=session_id,
                    member_id=person.member_id,
                    version_id=approved,
                    first_opened_at=self.at(distributed_on + timedelta(days=rng.randint(0, 5)), 20),
                )
            seen = distributed_on + timedelta(days=rng.randint(0, 6))
            t[Notification].add(
                recipient_id=person.user_id,
                title=f"Dự thảo chuyên đề gửi đảng viên nghiên cứu: {title}"[:255],
                body="Đồng chí đọc dự thảo và góp ý trước buổi sinh hoạt.",
                url=url,
                created_at=self.at(distributed_on, 11),
                read_at=self.at(seen, 21) if seen < today else None,
                email_sent_at=self.at(distributed_on, 11),
                work_key="",
            )
        fig.readers += readers
        # Comments on the distributed version (the reading page of the current one has many).
        final = None
        if reached_("revising"):
            final = version("final", steps["revising"], reached_("final_approved"))
            if reached_("final_submitted"):
                review(
                    final, steps["final_submitted"], "approved" if reached_("final_approved") else "pending"
                )
        current = final or approved
        if lively:
            authors = [rng.choice(people) for _ in range(rng.randint(40, 45))]
        else:
            authors = rng.sample(people, min(len(people), rng.randint(2, 8)))
        answered = 0
        for author in authors:
            anchor = rng.choice(paragraphs)["anchor"] if rng.random() < 0.8 else ""
            written = self.at(distributed_on + timedelta(days=rng.randint(0, 5)), 21)
            cid = t[Comment].add(
                session_id=session_id,
                version_id=approved,
                anchor=anchor,
                current_version_id=current,
                current_anchor=anchor,
                unmatched=False,
                parent_id=None,
                author_id=author.member_id,
                body=rng.choice(COMMENTS),
                created_at=written,
                edited_at=None,
                deleted_at=None,
                late=False,
                client_id=None,
            )
            if rng.random() < 0.3:
                t[Comment].add(
                    session_id=session_id,
                    version_id=approved,
                    anchor=anchor,
                    current_version_id=current,
                    current_anchor=anchor,
                    unmatched=False,
                    parent_id=cid,
                    author_id=presenter.member_id,
                    body=rng.choice(REPLIES),
                    created_at=written + timedelta(hours=2),
                    edited_at=None,
                    deleted_at=None,
                    late=False,
                    client_id=None,
                )
            if reached_("revising"):
                answered += 1
                t[Response].add(
                    comment_id=cid,
                    decision=rng.choice(("accepted", "accepted", "partly", "not_accepted")),
                    explanation="Đã tiếp thu trong bản hoàn thiện.",
                    responded_by_id=presenter.user_id,
                    responded_at=self.at(steps["revising"], 15),
                )
        fig.commented += len({a.member_id for a in authors})
        fig.comments += len(authors)
        fig.answered += answered
        # The meeting: scheduled while the draft is out, its record approved once held.
        kind = "combined" if combined else "thematic"
        held = reached_("held")
        meeting_id = self.meeting(
            cell, day, time(14, 0), kind, session_id, title, people, held, presenter, numbers, names, fig
        )
        if held:
            fig.held += 1
            self.audit(
                "meetings.session.held", Session, session_id, repr_, self.at(day, 17), secretary.user_id
            )
        if reached_("final_approved"):
            self.audit(
                "drafts.final.approved",
                Session,
                session_id,
                repr_,
                self.at(steps["final_approved"]),
                secretary.user_id,
            )
        if reached_("resolution_issued"):
            issued = steps["resolution_issued"]
            resolution = t[Resolution].new_id()
            doc = self.document(
                cell.org_id,
                self.term_on(cell, issued),
                "NQ",
                True,
                "NGHỊ QUYẾT",
                title,
                issued,
                Resolution,
                resolution,
                numbers,
                "",
                names,
            )
            t[Resolution].add(
                id=resolution,
                meeting_id=meeting_id,
                kind="NQ",
                results="Đảng viên nắm vững nội dung chuyên đề; thảo luận dân chủ, sôi nổi.",
                shortcomings="Một số đảng viên chưa chuẩn bị ý kiến trước.",
                implementation="Chi ủy theo dõi, đôn đốc; báo cáo kết quả hằng quý.",
                document_id=doc,
                issued_at=self.at(issued, 10),
                revision=1,
            )
            fig.resolutions += 1
            self.audit(
                "meetings.resolution.issued",
                Session,
                session_id,
                repr_,
                self.at(issued, 10),
                secretary.user_id,
            )
            for position, text in enumerate(rng.sample(TASKS, rng.randint(2, 3))):
                deadline = issued + timedelta(days=rng.randint(30, 120))
                done = deadline < today - timedelta(days=10) and rng.random() < 0.85
                task = t[ResolutionTask].add(
                    resolution_id=resolution,
                    position=position,
                    description=text,
                    deadline=deadline,
                    done_at=self.at(deadline - timedelta(days=3)) if done else None,
                    done_note="Đã hoàn thành" if done else "",
                    done_by_id=secretary.user_id if done else None,
                )
                t[ResolutionTask.owners.through].add(
                    resolutiontask_id=task, member_id=rng.choice(people).member_id
                )
                fig.tasks += 1
                fig.tasks_done += done
        if status == S.EVALUATED:
            when = self.at(steps["evaluated"], 10)
            if party["id"] not in self.models_made and rng.random() < 0.3:
                self.models_made.add(party["id"])
                self.model_candidates.append((session_id, cell.org_id, party["id"], secretary.user_id, when))
            t[SessionEvaluation].add(
                session_id=session_id,
                presenter_strengths="Chuẩn bị công phu, trình bày mạch lạc.",
                presenter_weaknesses="",
                presenter_rating=rng.choice(("excellent", "good", "good", "fair")),
                result="Đạt yêu cầu đề ra.",
                lessons=rng.choice(LESSONS),
                evaluated_by_id=secretary.user_id,
                evaluated_at=when,
            )
            self.audit("evaluations.session.evaluated", Session, session_id, repr_, when, secretary.user_id)
        return session_id, title, quarter, day, combined, cancelled

    def meeting(
        self,
        cell: CellInfo,
        day: date,
        start: time,
        kind: str,
        session_id: int | None,
        subject: str,
        people: list[Person],
        held: bool,
        presenter: Person | None,
        numbers: dict[tuple[int, str], int],
        names: tuple[str, str],
        fig: Figures,
    ) -> int:
        assert self.t is not None
        t, rng = self.t, self.rng
        secretary = cell.secretary
        assert secretary is not None
        meeting_id = t[Meeting].new_id()
        minutes_secretary = people[-1] if people[-1] is not secretary else people[0]
        values: dict[str, Any] = {}
        if held:
            present = full_total = elsewhere = exempted_absent = 0
            statuses = []
            everyone = [
                p for p in cell.people if p.joined <= day and (p.guest_from is None or p.guest_from <= day)
            ]
            for person in everyone:
                here = person.guest_from is not None
                away = person.elsewhere_from is not None and person.elsewhere_from <= day
                exempted = person.exempted(day)
                full = person.is_full(day)
                if away:
                    status, reason = "attached_elsewhere", ""
                elif exempted:
                    status, reason = ("exempted", "") if rng.random() < 0.8 else ("present", "")
                else:
                    roll = rng.random()
                    status, reason = (
                        ("present", "")
                        if roll < 0.88
                        else ("late", "")
                        if roll < 0.92
                        else ("absent_excused", rng.choice(REASONS))
                        if roll < 0.975
                        else ("absent_unexcused", "")
                    )
                attended = status in meeting_rules.ATTENDED
                t[Attendance].add(
                    meeting_id=meeting_id,
                    member_id=person.member_id,
                    status=status,
                    reason=reason,
                    full=full,
                    attached_here=here,
                    exempted=exempted,
                    attached_elsewhere=away,
                    vote="",
                )
                if meeting_rules.expected_at_meeting(status, exempted=exempted, attached_elsewhere=away):
                    fig.expected += 1
                    fig.attended += attended
                    fig.late += status == "late"
                    fig.excused += status == "absent_excused"
                    fig.unexcused += status == "absent_unexcused"
                statuses.append(status)
                if full and not here:
                    full_total += 1
                    elsewhere += away
                    exempted_absent += exempted and not attended
                    present += attended
            adjusted = max(full_total - elsewhere - exempted_absent, 1)
            level = "tot" if rng.random() < 0.55 else "kha" if rng.random() < 0.9 else "trung_binh"
            scores = dict(QUALITY[level])
            end = (
                datetime.combine(day, start) + timedelta(minutes=150 if kind != "thematic" else 120)
            ).time()
            values = dict(
                end_time=end,
                status="approved",
                vote_subject=f"Thông qua nghị quyết: {subject}"[:300],
                vote_mode="counts",
                votes_for=present,
                votes_against=0,
                votes_other=0,
                vote_basis={
                    "full_members": full_total,
                    "attached_elsewhere": elsewhere,
                    "exempted_absent": exempted_absent,
                    "suspended": 0,
                    "detained": 0,
                    "adjusted_total": adjusted,
                    "needed": adjusted // 2 + 1,
                    "eligible_present": present,
                },
                vote_passed=present >= adjusted // 2 + 1,
                quality_scores=scores,
                quality_score=sum(scores.values()),
                quality_level=level,
                conclusion="Chi bộ thống nhất các nội dung và giao chi ủy tổ chức thực hiện.",
            )
            fig.quality[level] = fig.quality.get(level, 0) + 1
            fig.meetings += 1
            fig.regular += kind == "regular"
            fig.thematic += kind == "thematic"
            fig.combined += kind == "combined"
            speakers = rng.sample(people, min(len(people), rng.randint(2, 5)))
            if presenter is not None:
                t[Speech].add(
                    meeting_id=meeting_id,
                    member_id=presenter.member_id,
                    speaker_name="",
                    kind="presentation",
                    summary="Trình bày nội dung chuyên đề.",
                    created_at=self.at(day, start.hour, 10),
                )
            for minute, speaker in enumerate(speakers):
                t[Speech].add(
                    meeting_id=meeting_id,
                    member_id=speaker.member_id,
                    speaker_name="",
                    kind="speech",
                    summary=rng.choice(SPEECHES),
                    created_at=self.at(day, start.hour, 20 + minute * 5),
                )
            term = self.term_on(cell, day)
            title = "BIÊN BẢN"
            summary = (
                "Sinh hoạt chi bộ chuyên đề"
                if kind != "regular"
                else (f"Sinh hoạt chi bộ thường kỳ tháng {day.month} năm {day.year}")
            )
            doc = self.document(
                cell.org_id, term, "BB", True, title, summary, day, Meeting, meeting_id, numbers, "", names
            )
            values["minutes_document_id"] = doc
            t[MinutesVersion].add(
                meeting_id=meeting_id,
                number=1,
                snapshot=self.last_snapshot,
                reason="",
                approved_at=self.at(day, 17),
                approved_by_id=secretary.user_id,
            )
            self.audit(
                "meetings.minutes.approved",
                Meeting,
                meeting_id,
                f"{summary} · {cell.name}",
                self.at(day, 17),
                secretary.user_id,
                {"number": 1},
            )
        t[Meeting].add(
            id=meeting_id,
            cell_id=cell.org_id,
            kind=kind,
            session_id=session_id,
            date=day,
            start_time=start,
            place=f"Hội trường {cell.name.removeprefix('Chi bộ ')}"[:200],
            chair_id=secretary.member_id,
            minutes_secretary_id=minutes_secretary.member_id,
            guests="",
            agenda="Kiểm điểm việc thực hiện nghị quyết tháng trước\nNội dung sinh hoạt\nThảo luận, kết luận",
            created_at=self.at(day - timedelta(days=7)),
            revision=1,
            **values,
        )
        return meeting_id

    def regular_meetings(
        self,
        cell: CellInfo,
        year: int,
        people: list[Person],
        numbers: dict[tuple[int, str], int],
        names: tuple[str, str],
        figures: dict[tuple[int, int], Figures],
        combined: set[int],
    ) -> None:
        """The monthly meeting of each month up to next month (a combined session stands for it)."""
        horizon = self.today + timedelta(days=31)
        for month in range(1, 13):
            if month in combined:
                continue
            day = date(year, month, cell.meeting_day)
            if day > horizon:
                break
            fig = figures.setdefault((year, (month - 1) // 3 + 1), Figures())
            self.meeting(
                cell,
                day,
                time(7, 30),
                "regular",
                None,
                f"Sinh hoạt thường kỳ tháng {month}",
                people,
                day < self.today,
                None,
                numbers,
                names,
                fig,
            )

    def review_round(self, cell: CellInfo, year: int, people: list[Person]) -> None:
        assert self.t is not None
        rng = self.rng
        round_id = self.t[ReviewRound].add(
            cell_id=cell.org_id,
            year=year,
            status="issued",
            document_id=None,
            issued_at=self.at(date(year, 12, 20)),
        )
        for person in people:
            if person.joined > date(year, 6, 30):
                continue
            points = rng.randint(60, 98)
            level = "good" if points >= 70 else "complete"
            self.t[ReviewProposal].add(
                round_id=round_id, member_id=person.member_id, level=level, points=points, note=""
            )

    def reports(
        self,
        cell: CellInfo,
        figures: dict[tuple[int, int], Figures],
        numbers: dict[tuple[int, str], int],
        names: tuple[str, str],
    ) -> None:
        """Quarterly reports for every finished quarter (a few missing, late or returned) and a draft for
        the quarter under way; an annual report for every finished year."""
        assert self.t is not None
        rng, today = self.rng, self.today
        secretary = cell.secretary
        assert secretary is not None
        periods: list[tuple[int, int | None]] = []
        for year in range(self.first_year, today.year + 1):
            periods += [(year, q) for q in (1, 2, 3, 4)]
            periods.append((year, None))
        for year, quarter in periods:
            first, last = period_bounds(year, quarter)
            if first > today:
                continue
            fig = self.sum_figures(figures, year, quarter)
            report_id = self.t[Report].new_id()
            if last >= today:
                if rng.random() < 0.4:
                    self.t[Report].add(
                        id=report_id,
                        cell_id=cell.org_id,
                        year=year,
                        quarter=quarter,
                        status="draft",
                        assessment="",
                        direction="",
                        figures=None,
                        document_id=None,
                        remarks="",
                        created_at=self.at(today - timedelta(days=2)),
                        created_by_id=secretary.user_id,
                    )
                continue
            if rng.random() < 0.05:
                continue  # missing
            submitted = last + timedelta(
                days=rng.randint(2, 12) if rng.random() < 0.85 else rng.randint(16, 40)
            )
            if submitted > today:
                continue
            roll = rng.random()
            status = "acknowledged" if roll < 0.9 else "submitted" if roll < 0.97 else "returned"
            acknowledged = (
                submitted + timedelta(days=rng.randint(2, 10)) if status == "acknowledged" else None
            )
            if acknowledged and acknowledged > today:
                status, acknowledged = "submitted", None
            document = None
            if status != "returned":
                document = self.document(
                    cell.org_id,
                    self.term_on(cell, submitted),
                    "BC",
                    True,
                    "BÁO CÁO",
                    f"Kết quả sinh hoạt chuyên đề {'quý ' + str(quarter) if quarter else 'năm'} {year}",
                    submitted,
                    Report,
                    report_id,
                    numbers,
                    "",
                    names,
                )
            frozen = {
                "year": year,
                "quarter": quarter,
                "as_of": submitted.isoformat(),
                "figures": fig.to_dict(),
                "sessions": [],
                "resolutions": [],
                "levels": [["tot", "Tốt"], ["kha", "Khá"], ["trung_binh", "Trung bình"], ["kem", "Kém"]],
                "attendance_min": self.rules["attendance_min_percent"],
                "plan_symbol": "",
                "plan_date": "",
            }
            self.t[Report].add(
                id=report_id,
                cell_id=cell.org_id,
                year=year,
                quarter=quarter,
                status=status,
                assessment="Chi bộ duy trì nền nếp sinh hoạt chuyên đề.",
                direction="Tiếp tục nâng cao chất lượng.",
                figures=frozen if status != "returned" else None,
                document_id=document,
                remarks="Đề nghị bổ sung số liệu." if status == "returned" else "",
                created_at=self.at(submitted - timedelta(days=2)),
                created_by_id=secretary.user_id,
                submitted_at=self.at(submitted) if status != "returned" else None,
                submitted_by_id=secretary.user_id if status != "returned" else None,
                acknowledged_at=self.at(acknowledged) if acknowledged else None,
                acknowledged_by_id=None,
            )
            self.audit(
                "reports.report.submitted",
                Report,
                report_id,
                f"{cell.name} · {year}/{quarter or ''}",
                self.at(submitted),
                secretary.user_id,
            )

    @staticmethod
    def sum_figures(figures: dict[tuple[int, int], Figures], year: int, quarter: int | None) -> Figures:
        if quarter is not None:
            return figures.get((year, quarter), Figures())
        total = Figures()
        for q in (1, 2, 3, 4):
            if (year, q) in figures:
                total.add(figures[(year, q)])
        return total


def refusal_message() -> str:
    """The refusal, in Vietnamese and in English."""
    from django.utils import translation

    text = (
        "The database already holds data that this command did not generate (or data it generated "
        "before). Run it on an empty database, or add --force to add a generated province beside it."
    )
    with translation.override("vi"):
        vietnamese = _(text)
    with translation.override("en"):
        english = _(text)
    return vietnamese if vietnamese == english else f"{vietnamese}\n{english}"
