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
