"""Text helpers for Vietnamese: folding diacritics for matching and search, NFC normalisation."""

import re
import unicodedata

_WORD = re.compile(r"[a-z0-9]+")


def nfc(text: str) -> str:
    """Unicode NFC (TCVN 6909:2001 text is stored and rendered precomposed)."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case without diacritics: "Văn hóa Hồ Chí Minh" → "van hoa ho chi minh"."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The folded words of ``text``."""
    return _WORD.findall(fold(text))


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut at the last word boundary that fits in ``limit`` characters, with
    "…" (counted in ``limit``) when something was left out: "Văn hóa Hồ Chí Minh" → "Văn hóa Hồ…" at 12.
    A single word longer than the whole limit is the one case cut inside a word."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if text[limit - 1] != " " and " " in head:  # the cut falls inside a word: drop that word
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,;:–-") + "…"
