"""Comparing versions of a draft: word-level differences and carrying comments over.

Pure functions over the ``paragraphs`` lists that ``drafts.ingest`` produces (``{"anchor", "text"}``
in document order), so they work the same for Word, editor and PDF drafts.

Words are compared as written (a changed diacritic is a change worth showing), while paragraphs are
matched on folded words (``core.text.words``), so that a retyped accent or punctuation does not cut
a comment loose from its paragraph.
"""

import re
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher
from html import escape
from typing import TypedDict

from core.text import nfc, words

Paragraphs = Sequence[Mapping[str, str]]


class DiffEntry(TypedDict):
    """One aligned paragraph of a comparison (a plain dict, ready for templates and JSON)."""

    anchor_old: str | None
    anchor_new: str | None
    status: str  # "unchanged" | "changed" | "added" | "removed"
    html: str


# A word, a single punctuation mark, or a line break; spaces only separate them.
_TOKEN = re.compile(r"\n|\w+|[^\w\s]")
_BREAK = "\n"


def _tokens(text: str) -> list[tuple[str, bool]]:
    """(token, preceded by a space) pairs; runs of line breaks count as one paragraph break."""
    normalised = "\n".join(line for line in (ln.strip() for ln in nfc(text).splitlines()) if line)
    result: list[tuple[str, bool]] = []
    end = 0
    for match in _TOKEN.finditer(normalised):
        token = match.group()
        result.append((token, match.start() > end and token != _BREAK))
        end = match.end()
    return result


def word_diff(old_text: str, new_text: str) -> str:
    """Safe HTML showing how ``old_text`` became ``new_text``, word by word.

    Removed words are in ``<del>``, added ones in ``<ins>``, the rest plain; every word is escaped.
    The result follows the new text's paragraphs (``<p>`` each); a paragraph break that was added or
    removed also shows as a ``¶`` in ``<ins>``/``<del>``. When one side is empty the other is shown
    whole, paragraph by paragraph."""
    old, new = _tokens(old_text), _tokens(new_text)
    if not old and not new:
        return ""
    if not old or not new:
        tag, text = ("ins", new_text) if new else ("del", old_text)
        return "".join(f"<p><{tag}>{escape(line)}</{tag}></p>" for line in _lines(text))

    paragraphs: list[list[str]] = [[]]

    def put(kind: str, tokens: list[tuple[str, bool]]) -> None:
        # Consecutive tokens of one kind go into one <ins>/<del>. A paragraph break that was added
        # or removed shows as a pilcrow in that <ins>/<del>; an added or kept one starts a new <p>.
        run: list[str] = []

        def add(text: str, spaced: bool) -> None:
            if spaced and (run or paragraphs[-1]):
                (run if run else paragraphs[-1]).append(" ")
            run.append(text)

        def close() -> None:
            if run:
                body = "".join(run)
                paragraphs[-1].append(body if kind == "equal" else f"<{kind}>{body}</{kind}>")
                run.clear()

        after_pilcrow = False
        for token, spaced in tokens:
            if token != _BREAK:
                add(escape(token), spaced or after_pilcrow)
                after_pilcrow = False
                continue
            if kind != "equal":
                add("¶", True)
                after_pilcrow = True
            if kind != "del":
                close()
                paragraphs.append([])
                after_pilcrow = False
        close()

    matcher = SequenceMatcher(None, [t for t, _ in old], [t for t, _ in new], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            put("equal", new[j1:j2])
        if op in ("delete", "replace"):
            put("del", old[i1:i2])
        if op in ("insert", "replace"):
            # In a replacement the new words follow the struck ones directly: <del>a</del><ins>b</ins>.
            tokens = new[j1:j2]
            if op == "replace" and tokens:
                tokens = [(tokens[0][0], False), *tokens[1:]]
            put("ins", tokens)
    return "".join(f"<p>{''.join(parts)}</p>" for parts in paragraphs if parts)


def _lines(text: str) -> list[str]:
    lines = (" ".join(line.split()) for line in nfc(text).splitlines())
    return [line for line in lines if line]


def diff_versions(old_paragraphs: Paragraphs, new_paragraphs: Paragraphs) -> list[DiffEntry]:
    """The two versions aligned paragraph by paragraph, in the new version's order.

    Each entry has ``anchor_old`` and ``anchor_new`` (``None`` for an added or removed paragraph),
    ``status`` (``unchanged``, ``changed``, ``added`` or ``removed``) and ``html``: the word-level
    difference, or the whole paragraph in ``<ins>``/``<del>``. A removed paragraph is shown where it
    stood, before the paragraph that followed it in the old version."""
    matches = match_anchors(old_paragraphs, new_paragraphs)
    old_by_anchor = {p["anchor"]: (i, p) for i, p in enumerate(old_paragraphs)}
    # One old paragraph per new one: when several old paragraphs were merged into one, the first
    # is compared with it and the others are shown as removed.
    partner: dict[str, str] = {}
    for matched_old, matched_new in matches.items():
        if matched_new is not None and matched_new not in partner:
            partner[matched_new] = matched_old
    paired_old = set(partner.values())

    result: list[DiffEntry] = []
    next_old = 0

    def removed_until(stop: int) -> None:
        nonlocal next_old
        for paragraph in old_paragraphs[next_old:stop]:
            if paragraph["anchor"] not in paired_old:
                result.append(_entry(paragraph["anchor"], None, "removed", word_diff(paragraph["text"], "")))
        next_old = max(next_old, stop)

    for paragraph in new_paragraphs:
        old_anchor = partner.get(paragraph["anchor"])
        if old_anchor is None:
            result.append(_entry(None, paragraph["anchor"], "added", word_diff("", paragraph["text"])))
            continue
        index, old = old_by_anchor[old_anchor]
        removed_until(index)
        status = "unchanged" if nfc(old["text"]) == nfc(paragraph["text"]) else "changed"
        result.append(
            _entry(old_anchor, paragraph["anchor"], status, word_diff(old["text"], paragraph["text"]))
        )
    removed_until(len(old_paragraphs))
    return result


def _entry(anchor_old: str | None, anchor_new: str | None, status: str, html: str) -> DiffEntry:
    return {"anchor_old": anchor_old, "anchor_new": anchor_new, "status": status, "html": html}


def match_anchors(
    old_paragraphs: Paragraphs, new_paragraphs: Paragraphs, *, threshold: float = 0.6
) -> dict[str, str | None]:
    """For each old anchor, the new anchor of the same paragraph, so comments follow their text.

    Similarity is difflib's ratio on folded words. The most similar pairs are taken first; on equal
    similarity the pair closest in position wins (an unchanged paragraph stays where it was). Each new
    anchor takes one old paragraph while others remain; an old paragraph left over (two paragraphs
    merged into one) still goes to its best new paragraph. ``None`` when nothing reaches
    ``threshold``: the paragraph was removed or rewritten."""
    old_words = [words(p["text"]) for p in old_paragraphs]
    new_words = [words(p["text"]) for p in new_paragraphs]

    candidates: list[tuple[float, int, int, int]] = []
    matcher = SequenceMatcher(autojunk=False)
    for j, new in enumerate(new_words):
        matcher.set_seq2(new)  # difflib caches its analysis of the second sequence
        for i, old in enumerate(old_words):
            matcher.set_seq1(old)
            # The cheap upper bounds skip most pairs of a long draft before the real comparison.
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold:
                candidates.append((-ratio, abs(i - j), i, j))
    candidates.sort()

    result: dict[str, str | None] = {p["anchor"]: None for p in old_paragraphs}
    best: dict[int, int] = {}
    used: set[int] = set()
    for _ratio, _distance, i, j in candidates:
        best.setdefault(i, j)
        anchor = old_paragraphs[i]["anchor"]
        if result[anchor] is None and j not in used:
            result[anchor] = new_paragraphs[j]["anchor"]
            used.add(j)
    for i, j in best.items():
        anchor = old_paragraphs[i]["anchor"]
        if result[anchor] is None:
            result[anchor] = new_paragraphs[j]["anchor"]
    return result
