"""The columns of the member list (their official Vietnamese names, as people write them in Excel)
and the words accepted in the gender and status cells."""

import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from organizations.models import Member

# The words people write in the file (data, like the column names), by the value they stand for.
GENDER_WORDS = {"Nam": Member.Gender.MALE, "Nữ": Member.Gender.FEMALE}
STATUS_WORDS = {"Chính thức": Member.Status.FULL, "Dự bị": Member.Status.PROBATIONARY}

JOINED_ON = "joined_on"  # not a Member field: the start of the membership in this cell


@dataclass(frozen=True)
class Column:
    """One column of the member list: the official Vietnamese name and how its cells are read."""

    key: str
    header: str
    kind: str  # "text", "date", "gender" or "status"
    required: bool
    width: int
    example: str
    help: Promise
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column(
        "full_name",
        "Họ và tên",
        "text",
        True,
        28,
        "Nguyễn Văn An",
        gettext_lazy("Full name, as on the Party card."),
        ("Họ tên",),
    ),
    Column("date_of_birth", "Ngày sinh", "date", True, 13, "02/03/1985", gettext_lazy("Day/month/year.")),
    Column("gender", "Giới tính", "gender", True, 10, "Nam", gettext_lazy("One of: %(values)s.")),
    Column(
        "party_card_number",
        "Số thẻ đảng viên",
        "text",
        True,
        18,
        "79123456",
        gettext_lazy("Empty for probationary members, who have no card yet."),
        ("Số thẻ", "Số thẻ Đảng"),
    ),
    Column(
        "admission_date",
        "Ngày vào Đảng",
        "date",
        True,
        15,
        "19/05/2010",
        gettext_lazy("Day/month/year."),
        ("Ngày kết nạp", "Ngày kết nạp Đảng"),
    ),
    Column(
        "official_date",
        "Ngày chính thức",
        "date",
        True,
        15,
        "19/05/2011",
        gettext_lazy("Day/month/year; empty for probationary members."),
    ),
    Column("status", "Trạng thái", "status", True, 13, "Chính thức", gettext_lazy("One of: %(values)s.")),
    Column(
        "job_title",
        "Chức vụ / nghề nghiệp",
        "text",
        False,
        28,
        "Giảng viên chính",
        gettext_lazy("Optional."),
        ("Chức vụ", "Nghề nghiệp"),
    ),
    Column(
        "strengths",
        "Sở trường, chuyên môn",
        "text",
        False,
        36,
        "Tư tưởng Hồ Chí Minh; xây dựng Đảng",
        gettext_lazy("Optional; used to suggest presenters for topics."),
        ("Sở trường", "Chuyên môn"),
    ),
    Column(
        "email",
        "Email",
        "text",
        False,
        28,
        "an.nv@example.vn",
        gettext_lazy("Optional."),
        ("E-mail", "Thư điện tử"),
    ),
    Column(
        "phone",
        "Điện thoại",
        "text",
        False,
        14,
        "0912345678",
        gettext_lazy("Optional."),
        ("Số điện thoại",),
    ),
    Column(
        JOINED_ON,
        "Ngày sinh hoạt tại chi bộ",
        "date",
        False,
        15,
        "01/09/2020",
        gettext_lazy("Optional; when empty, a new member's membership starts today."),
    ),
)


def _fold(text: Any) -> str:
    """A key that ignores case, diacritics, spaces and punctuation: "Số thẻ  Đảng viên" → "sothedangvien"."""
    decomposed = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in decomposed.lower() if c.isalnum() and not unicodedata.combining(c))


_COLUMN_BY_KEY = {_fold(name): column for column in COLUMNS for name in (column.header, *column.aliases)}
_GENDER_BY_KEY = {_fold(word): value for word, value in GENDER_WORDS.items()} | {
    "male": Member.Gender.MALE,
    "female": Member.Gender.FEMALE,
}
_STATUS_BY_KEY = {"full": Member.Status.FULL, "probationary": Member.Status.PROBATIONARY}


def column_for(header: Any) -> Column | None:
    """The column a header cell names, matched without regard to case, diacritics, spaces and
    punctuation, aliases included."""
    return _COLUMN_BY_KEY.get(_fold(header))


def choice_words(kind: str) -> str:
    """The words accepted in a gender or status cell, for instructions and error messages."""
    return ", ".join(GENDER_WORDS if kind == "gender" else STATUS_WORDS)


def choice_value(kind: str, text: str) -> str | None:
    """The gender or status a cell's words stand for; None when they stand for none."""
    return _GENDER_BY_KEY.get(_fold(text)) if kind == "gender" else _status(text)


def _status(text: str) -> str | None:
    key = _fold(text)
    # "Đảng viên chính thức", "ĐV dự bị" and the like are understood as well.
    for word, value in STATUS_WORDS.items():
        if key.endswith(_fold(word)):
            return value
    return _STATUS_BY_KEY.get(key)
