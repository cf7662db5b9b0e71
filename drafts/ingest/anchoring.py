"""Anchoring: every block of a sanitised draft gets an anchor ``p-1``, ``p-2``… that comments attach
to, and the plain text of each block is read into the draft's ``paragraphs``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

from core.text import nfc
from drafts.ingest.sanitise import BLOCK_TAGS, INLINE_TAGS, LIST_TAGS, VOID_TAGS, sanitize_html


@dataclass
class _Node:
    tag: str
    attrs: list[tuple[str, str]] = field(default_factory=list)
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """A tree of the sanitised HTML (nh3's output is well formed, so a simple stack suffices)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self._stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, [(k, v or "") for k, v in attrs])
        self._stack[-1].children.append(node)
        if tag not in VOID_TAGS:
            self._stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack[-1].children.append(_Node(tag, [(k, v or "") for k, v in attrs]))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._stack) - 1, 0, -1):
            if self._stack[depth].tag == tag:
                del self._stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._stack[-1].children.append(data)


_BREAKING_TAGS = BLOCK_TAGS | LIST_TAGS | frozenset({"tr", "thead", "tbody"})


@dataclass
class _Anchoring:
    out: list[str] = field(default_factory=list)
    paragraphs: list[dict[str, str]] = field(default_factory=list)

    def next_anchor(self, text: str) -> str:
        anchor = f"p-{len(self.paragraphs) + 1}"
        self.paragraphs.append({"anchor": anchor, "text": text})
        return anchor


def anchor_blocks(clean_html: str) -> tuple[str, list[dict[str, str]]]:
    """Give every block of already sanitised HTML its anchor, and read each block's plain text.

    Blocks are paragraphs, headings, quotes and tables (one block each, whatever they contain) and
    list items (each its own block, nested items too). Text outside any block is wrapped in a
    paragraph so that it can be commented on; blocks without text or pictures are dropped. The
    result goes through the sanitiser once more, so what is stored is always nh3's output."""
    builder = _TreeBuilder()
    builder.feed(clean_html)
    builder.close()
    state = _Anchoring()
    for child in _wrap_loose(builder.root.children, "p"):
        _emit(child, state, flow=True)
    return sanitize_html("".join(state.out)), state.paragraphs


def _is_inline(item: _Node | str) -> bool:
    return isinstance(item, str) or item.tag in INLINE_TAGS


def _wrap_loose(children: Iterable[_Node | str], wrapper: str) -> list[_Node | str]:
    """Runs of text and inline elements between blocks, wrapped in ``wrapper`` (dropped when blank)."""
    result: list[_Node | str] = []
    run: list[_Node | str] = []

    def flush() -> None:
        if run and (_text_of(run) or _has_picture(run)):
            result.append(_Node(wrapper, [], list(run)))
        run.clear()

    for child in children:
        if _is_inline(child):
            run.append(child)
        else:
            flush()
            result.append(child)
    flush()
    return result


def _emit(item: _Node | str, state: _Anchoring, *, flow: bool) -> None:
    """Serialise ``item``; in the flow of the document (not inside a block) blocks get anchors."""
    if isinstance(item, str):
        state.out.append(escape(item, quote=False))
    elif flow and item.tag in BLOCK_TAGS:
        _emit_block(item, state)
    elif flow and item.tag in LIST_TAGS:
        state.out.append(_start_tag(item.tag, item.attrs))
        for child in _wrap_loose(item.children, "li"):
            _emit(child, state, flow=True)
        state.out.append(f"</{item.tag}>")
    elif item.tag == "img" and not _is_picture(item):
        return  # its source was refused by the sanitiser; an empty frame would only puzzle readers
    elif item.tag == "a" and not any(name == "href" for name, _value in item.attrs):
        for child in item.children:  # a link whose address was refused keeps its words
            _emit(child, state, flow=False)
    else:
        state.out.append(_start_tag(item.tag, item.attrs))
        for child in item.children:
            _emit(child, state, flow=False)
        if item.tag not in VOID_TAGS:
            state.out.append(f"</{item.tag}>")


def _emit_block(node: _Node, state: _Anchoring) -> None:
    # A list item's own content excludes its sub-lists, whose items are blocks of their own.
    is_item = node.tag == "li"
    own = [c for c in node.children if not (is_item and _is_list(c))]
    text = _text_of(own)
    has_own_content = bool(text) or _has_picture(own)
    nested = len(own) < len(node.children)
    if not has_own_content and not nested:
        return
    anchor = state.next_anchor(text) if has_own_content else None
    state.out.append(_start_tag(node.tag, node.attrs, anchor))
    for child in node.children:
        _emit(child, state, flow=is_item and _is_list(child))
    state.out.append(f"</{node.tag}>")


def _is_list(item: _Node | str) -> bool:
    return isinstance(item, _Node) and item.tag in LIST_TAGS


def _start_tag(tag: str, attrs: list[tuple[str, str]], anchor: str | None = None) -> str:
    # Anchors already in the input (pasted from an earlier version) are dropped and given afresh.
    kept = [(name, value) for name, value in attrs if name not in ("id", "data-anchor")]
    if anchor is not None:
        kept = [("id", anchor), ("data-anchor", anchor), *kept]
    rendered = "".join(f' {name}="{escape(value, quote=True)}"' for name, value in kept)
    return f"<{tag}{rendered}>"


def _text_of(items: Iterable[_Node | str]) -> str:
    """Plain text: one line per inner paragraph, table row or line break; a cell's text on its row."""
    pieces: list[str] = []

    def walk(item: _Node | str, in_cell: bool) -> None:
        if isinstance(item, str):
            pieces.append(item)
        elif item.tag == "br":
            pieces.append(" " if in_cell else "\n")
        elif item.tag == "img":
            return
        else:
            in_cell = in_cell or item.tag in ("td", "th")
            breaking = item.tag in _BREAKING_TAGS and not in_cell
            separator = "\n" if breaking else " " if in_cell else ""
            pieces.append(separator)
            for child in item.children:
                walk(child, in_cell)
            pieces.append(separator)

    for item in items:
        walk(item, False)
    return plain_lines(nfc("".join(pieces)))


def _has_picture(items: Iterable[_Node | str]) -> bool:
    return any(
        isinstance(item, _Node) and (_is_picture(item) or _has_picture(item.children)) for item in items
    )


def _is_picture(node: _Node) -> bool:
    return node.tag == "img" and any(name == "src" for name, _value in node.attrs)


def plain_lines(text: str) -> str:
    """The text's lines with their runs of spaces collapsed; blank lines dropped."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
