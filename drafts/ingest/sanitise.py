"""The allow-list every draft's HTML is reduced to (nh3): text structure, safe links, embedded pictures.

Whatever a Word file or the editor produced, what is stored and shown is this sanitiser's output, so
nothing in a draft can run code or fetch content when a member opens it.
"""

import re
from urllib.parse import urlsplit

import nh3

from core.text import nfc

BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "table"})
LIST_TAGS = frozenset({"ul", "ol"})
_TABLE_PARTS = frozenset({"thead", "tbody", "tr", "th", "td"})
INLINE_TAGS = frozenset({"strong", "em", "u", "sub", "sup", "br", "a", "img"})
ALLOWED_TAGS = BLOCK_TAGS | LIST_TAGS | _TABLE_PARTS | INLINE_TAGS
VOID_TAGS = frozenset({"br", "img"})
# Removed together with their content: what is inside them is code or markup, never draft text.
_DROP_WITH_CONTENT = frozenset(
    {"script", "style", "svg", "math", "iframe", "object", "embed", "template", "noscript", "textarea"}
)
_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href"},
    "img": {"src", "alt"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    **{tag: {"id", "data-anchor"} for tag in BLOCK_TAGS},
}
_LINK_REL = "noopener noreferrer nofollow"
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_ANCHOR = re.compile(r"p-[1-9][0-9]{0,5}")
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+")
_SPAN = re.compile(r"[1-9][0-9]{0,2}")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # nh3 has already applied the tag and attribute allow-list and the URL schemes; this narrows
    # values further. It must never raise: nh3 would only report the error and drop the attribute.
    if attribute in ("id", "data-anchor"):
        return value if tag in BLOCK_TAGS and _ANCHOR.fullmatch(value) else None
    if tag == "a" and attribute == "href":
        try:
            scheme = urlsplit(value.strip()).scheme.lower()
        except ValueError:
            return None
        return value if scheme in _LINK_SCHEMES else None
    if tag == "a" and attribute == "rel":
        return _LINK_REL
    if tag == "img" and attribute == "src":
        return value if _DATA_IMAGE.fullmatch(value) else None
    if tag == "img" and attribute == "alt":
        return value
    if tag in ("td", "th") and attribute in ("colspan", "rowspan"):
        return value if _SPAN.fullmatch(value.strip()) else None
    return None


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(_DROP_WITH_CONTENT),
    attributes=_ATTRIBUTES,
    attribute_filter=_attribute_filter,
    strip_comments=True,
    link_rel=_LINK_REL,
    # "data" only for pictures: the attribute filter keeps it on img src and never on a link.
    url_schemes={"http", "https", "mailto", "data"},
    url_relative="deny",
)


def sanitize_html(html: str) -> str:
    """The HTML reduced to our allow-list (text structure, links, embedded pictures), in NFC.

    Anchors (``id``/``data-anchor`` of the form ``p-N``) survive, so anchored HTML can be cleaned
    again before it is shown."""
    return _CLEANER.clean(nfc(html))
