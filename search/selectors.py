"""Reading the search index for the results page: the query, the matching entries, the snippets.

Matching
--------
A query is folded like the index (``core.text.words``) and split into words; an entry matches when
every word of the query begins a word of its folded title and text (``LIKE '% word%'``). So "nghi quy"
finds "nghị quyết" while it is being typed, but "an" does not find "văn", "toàn" or "bản": Vietnamese
words are short syllables, and matching inside them finds mostly noise. On PostgreSQL the ``LIKE`` is
answered by a trigram index on the folded column (``pg_trgm``, ``gin_trgm_ops``: migration 0002): the
space before the word counts in the pattern's trigrams, so even a two-letter word narrows the scan. On
SQLite the same ``LIKE`` scans the table; the results are the same, as the SQL is the same.

Ranking
-------
The same on both databases, in this order (each a plain SQL expression on the matched rows):

1. how many words of the query begin a word of the **title** (an entry whose title holds them all comes
   first, as a person expects: they typed a title);
2. how many words of the query are **whole words** of the title and text ("hoa" is "hóa", not only the
   beginning of "hoạt"), so a query typed in full ranks the entries that say exactly that above those
   that only share prefixes;
3. the newest first, then the highest id (a stable order for the pager).

No similarity score or text-search rank: they differ between the databases and are hard to explain to
the reader; these three are.

Two bounded scans per page
--------------------------
Visibility is part of the same query (``search.permissions.visible_entries``). A page costs the same
queries whatever the number of matches, and reads the matches twice: one query counts them by kind,
which also gives the pager its count (:class:`CountedPaginator`), and one fetches the page's rows
(:class:`Ranked`: the ranking sorts ids and sort keys only, then the twenty rows are read by id); a
page of one kind counts that kind once more. Counting stops at :data:`MAX_COUNTED`: at a province,
two common syllables ("van hoa") begin words in a tenth of all entries, and an exact count read every
one of them; past the cap the page says "more than 1,000" and pages through the best 1,000. The
ranking itself still sorts every match (the best of them may be anywhere), keys only.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from core.text import fold, words
from search.models import SearchEntry
from search.permissions import visible_entries

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
# Matches are counted up to this number; past it the page says "more than" (counts_by_kind).
MAX_COUNTED = 1000
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


def _words_in(field: str, terms: tuple[str, ...], *, whole: bool = False) -> Any:
    """How many of ``terms`` begin a word of ``field`` (or, with ``whole``, are a word of it: followed
    by a space or the end), as an SQL expression summed over the terms."""
    total: Any = Value(0)
    for term in terms:
        found = Q(**{f"{field}__contains": f" {term}"})
        if whole:
            found = Q(**{f"{field}__contains": f" {term} "}) | Q(**{f"{field}__endswith": f" {term}"})
        total = total + Case(When(found, then=Value(1)), default=Value(0), output_field=IntegerField())
    return total


def matching(user: Any, query: Query) -> QuerySet[SearchEntry]:
    """The entries ``user`` may see that contain every word of ``query``, in no particular order."""
    if not query.words:
        return SearchEntry.objects.none()
    return visible_entries(user).filter(_all_words_in("folded", query.words))


def _ranked(entries: QuerySet[SearchEntry], query: Query) -> QuerySet[SearchEntry]:
    return entries.annotate(
        title_words=_words_in("folded_title", query.words),
        whole_words=_words_in("folded", query.words, whole=True),
    ).order_by("-title_words", "-whole_words", "-dated", "-id")


def search(user: Any, query: Query) -> QuerySet[SearchEntry]:
    """The entries ``user`` may see that contain every word of ``query``, best first (the module's
    docstring says what "best" means); the pager reads it through :class:`Ranked`."""
    return _ranked(matching(user, query), query)


class Ranked:
    """The found entries (:func:`search`, best first) for the pager, a page read in one query: the
    ranking sorts only the ids and sort keys of the matches, and the page's rows (text, organisation)
    are then read by id. Sorting the whole rows of thousands of matches to keep twenty cost about as
    much as finding them (PostgreSQL carries every selected column into the sort)."""

    def __init__(self, found: QuerySet[SearchEntry], query: Query) -> None:
        self.found, self.query = found, query

    def __getitem__(self, page: slice) -> list[SearchEntry]:
        ids = self.found.values("pk")[page]
        rows = SearchEntry.objects.filter(pk__in=ids).select_related("organization")
        return list(_ranked(rows, self.query).defer("folded", "folded_title"))


@dataclass(frozen=True)
class Counts:
    """How many entries were found, of each kind, counted up to :data:`MAX_COUNTED`. ``capped``: more
    were found, and ``by_kind`` holds only the kinds of those counted, not of all."""

    by_kind: dict[str, int]
    capped: bool

    @property
    def counted(self) -> int:
        return sum(self.by_kind.values())

    @property
    def total(self) -> int:
        return min(self.counted, MAX_COUNTED)


def counts_by_kind(found: QuerySet[SearchEntry]) -> Counts:
    """How many of the found entries are of each kind (one query), counting no further than
    :data:`MAX_COUNTED` + 1. "văn hóa" begins words in a tenth of a province's entries: counting all
    of them reads every one (the trigram index finds them, each row is read to check it) for a
    number nobody pages through. Past the cap the scan stops."""
    first = found.order_by()[: MAX_COUNTED + 1]
    row = first.aggregate(**{code: Count("id", filter=Q(kind=code)) for code in SearchEntry.Kind.values})
    by_kind = {code: n for code, n in row.items() if n}
    return Counts(by_kind, capped=sum(by_kind.values()) > MAX_COUNTED)


def count_of_kind(found: QuerySet[SearchEntry], kind: str) -> int:
    """How many of the found entries are of ``kind``, counting no further than :data:`MAX_COUNTED` + 1
    (one query)."""
    return found.filter(kind=kind).order_by()[: MAX_COUNTED + 1].count()


class CountedPaginator(Paginator):
    """A paginator told its count (from :func:`counts_by_kind`) rather than running a ``COUNT`` of
    the same matches again."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


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
