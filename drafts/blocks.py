"""Split a version's sanitised HTML into the blocks the reading page shows, each with its comments.

A block is a top-level element (paragraph, heading, table, quote), or one item of a top-level list
(each wrapped in its own list so it still renders as one). Every anchor inside a block (a nested list
item, say) belongs to it, so a comment on any of them is shown under that block.

The HTML comes from our own sanitiser (drafts.ingest); it is re-serialised here with escaping, never
passed through as raw text.
"""

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

VOID = {"br", "img", "hr", "col"}
LISTS = {"ul", "ol"}
ANCHOR = re.compile(r"^(p|page)-\d+$")


@dataclass
class Block:
    anchor: str
    html: str
    anchors: set[str] = field(default_factory=set)


class _Splitter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.stack: list[str] = []
        self.current: list[str] = []
        self.anchors: set[str] = set()
        self.list_tag = ""
        self.list_start = 0
        self.items = 0

    def _block_depth(self) -> int:
        """Depth at which a block starts: 1 for a top-level element, 2 inside a top-level list."""
        return 2 if self.list_tag else 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if not self.stack and tag in LISTS:
            self.list_tag, self.items = tag, 0
            self.list_start = int(values.get("start") or 1) if tag == "ol" else 0
            self.stack.append(tag)
            return
        if len(self.stack) + 1 == self._block_depth():
            self.current, self.anchors = [], set()
        anchor = values.get("id") or ""
        if ANCHOR.match(anchor):
            self.anchors.add(anchor)
        rendered = "".join(f' {name}="{escape(value or "", quote=True)}"' for name, value in attrs)
        self.current.append(f"<{tag}{rendered}>")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or not self.stack:
            return
        self.stack.pop()
        if self.list_tag and not self.stack:
            self.list_tag = ""
            return
        self.current.append(f"</{tag}>")
        if len(self.stack) + 1 == self._block_depth():
            html = "".join(self.current)
            if self.list_tag:
                start = f' start="{self.list_start + self.items}"' if self.list_tag == "ol" else ""
                html = f"<{self.list_tag}{start}>{html}</{self.list_tag}>"
                self.items += 1
            first = sorted(self.anchors, key=_anchor_order)[0] if self.anchors else ""
            self.blocks.append(Block(first, html, set(self.anchors)))

    def handle_data(self, data: str) -> None:
        if len(self.stack) < self._block_depth():
            if data.strip():
                self.blocks.append(Block("", f"<p>{escape(data)}</p>"))
            return
        self.current.append(escape(data, quote=False))


def _anchor_order(anchor: str) -> int:
    return int(anchor.rsplit("-", 1)[1])


def split_blocks(html: str) -> list[Block]:
    """The blocks of ``html`` in document order."""
    splitter = _Splitter()
    splitter.feed(html)
    splitter.close()
    return splitter.blocks
