"""Reading the search index for the results page: the query, the matching entries, the snippets.

A query is folded like the index (``core.text.words``) and split into words; an entry matches when
every word of the query begins a word of its folded title and text (``LIKE '% word%'``). So "nghi quy"
finds "nghị quyết" while it is being typed, but "an" does not find "văn", "toàn" or "bản": Vietnamese
words are short syllables, and matching inside them finds mostly noise. Entries whose title holds
every word come first, then the newest. Visibility is part of the same query
(``search.permissions.visible_entries``); a page costs the same queries whatever the number of matches.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from core.text import fold, words
from search.models import SearchEntry
from search.permissions import visible_entries

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
SNIPPET_LENGTH = 200


@dataclass(frozen=True)
class Query:
    """What the person typed (cut to ``MAX_QUERY_LENGTH``) and the folded words searched for."""

    text: str
    words: tuple[str, ...]
    truncated: bool = False


def parse_query(raw: str) -> Query:
    raw = " ".join(raw.split())
    truncated = len(raw) > MAX_QUERY_LENGTH
    text = raw[:MAX_QUERY_LENGTH].strip()
    found = tuple(dict.fromkeys(words(text)))
    if len(found) > MAX_WORDS:
        found, truncated = found[:MAX_WORDS], True
    return Query(text=text, words=found, truncated=truncated)


def _all_words_in(field: str, terms: tuple[str, ...]) -> Q:
    """Every term begins a word of ``field`` (each word of a folded column follows a space)."""
    condition = Q()
    for term in terms:
        condition &= Q(**{f"{field}__contains": f" {term}"})
    return condition


def search(user: Any, query: Query) -> QuerySet[SearchEntry]:
    """The entries ``user`` may see that contain every word of ``query``, best first."""
    if not query.words:
        return SearchEntry.objects.none()
    return (
        visible_entries(user)
        .filter(_all_words_in("folded", query.words))
        .annotate(
            title_rank=Case(
                When(_all_words_in("folded_title", query.words), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .select_related("organization")
        .defer("folded", "folded_title")
        .order_by("title_rank", "-dated", "-id")
    )


def counts_by_kind(found: QuerySet[SearchEntry]) -> dict[str, int]:
    """How many of the found entries are of each kind (one query)."""
    rows = found.order_by().values("kind").annotate(n=Count("id"))
    return {row["kind"]: row["n"] for row in rows}


# --- Snippets ----------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return fold(char)


def _fold_with_positions(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` and, for each of its characters, the index of the character of ``text`` it came
    from, so a match in the folded text can be shown in the text as written."""
    folded = fold(text)
    if len(folded) == len(text):  # NFC Vietnamese: every letter folds to one letter
        return folded, list(range(len(text)))
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for piece in _fold_char(char):
            chars.append(piece)
            origin.append(index)
    return "".join(chars), origin


def snippet(text: str, terms: tuple[str, ...], length: int = SNIPPET_LENGTH) -> list[tuple[str, bool]]:
    """About ``length`` characters of ``text`` (as written, diacritics kept) around the first match of
    any of ``terms``, as (piece, is_match) pairs for the template to mark; the text's beginning when
    none matches (the words were in the title)."""
    text = " ".join(text.split())
    if not text:
        return []
    folded, origin = _fold_with_positions(text)
    origin.append(len(text))  # where a match that ends the text ends
    # The window opens on the first word of the query found in the text; every word found is marked
    # where a word of the text begins with it ("ho" in "Hồ" and "Học", not in "nhỏ"), as in the index.
    first: int | None = None
    hits: list[tuple[int, int]] = []
    for term in terms:
        for match in re.finditer(re.escape(term), folded):
            if match.start() == 0 or not folded[match.start() - 1].isalnum():
                hits.append((origin[match.start()], origin[match.end()]))
                first = hits[-1][0] if first is None else first
    start = 0
    if first is not None and first > length // 3:
        start = first - length // 3
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    marked = [False] * (end - start)
    for hit_start, hit_end in hits:
        for index in range(max(hit_start, start), min(hit_end, end)):
            marked[index - start] = True
    pieces: list[tuple[str, bool]] = [("… ", False)] if start > 0 else []
    index = start
    while index < end:
        flag = marked[index - start]
        stop = index
        while stop < end and marked[stop - start] == flag:
            stop += 1
        pieces.append((text[index:stop], flag))
        index = stop
    if end < len(text):
        pieces.append((" …", False))
    return pieces


@dataclass(frozen=True)
class Result:
    entry: SearchEntry
    snippet: list[tuple[str, bool]]


def results(entries: Any, query: Query) -> list[Result]:
    """The entries of one page, each with its snippet."""
    return [Result(entry, snippet(entry.text, query.words)) for entry in entries]
