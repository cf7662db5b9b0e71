"""The font files embedded in PDFs: a Times New Roman metric-compatible serif with Vietnamese glyphs.

Party documents are set in Times New Roman [HD 36-HD/VPTW]. Servers do not carry that font, so PDFs
embed a metric-compatible family: Liberation Serif 2.x (package fonts-liberation2) or Tinos (package
fonts-croscore). Liberation Serif 1.x (package fonts-liberation) has the same name but lacks most
Vietnamese letters (ạ, ế, ư, ộ…), and a PDF that silently borrows those from another font looks broken;
so a family is only used when its files are found and its regular face covers every Vietnamese
letter.
"""

import functools
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from fontTools.ttLib import TTFont  # installed with WeasyPrint, which uses it to embed fonts

# Searched in this order; the first complete family with full Vietnamese coverage wins.
FONT_FAMILIES = (("Liberation Serif", "LiberationSerif"), ("Tinos", "Tinos"))
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
# file suffix → (CSS font-weight, CSS font-style)
FACES = {
    "Regular": ("normal", "normal"),
    "Bold": ("bold", "normal"),
    "Italic": ("normal", "italic"),
    "BoldItalic": ("bold", "italic"),
}
_VIETNAMESE = "ĂÂĐÊÔƠƯăâđêôơư" + "".join(chr(code) for code in range(0x1EA0, 0x1EFA))


@dataclass(frozen=True)
class FontFace:
    """One face of the document font: its family, file, weight and style."""

    family: str
    path: Path
    weight: str
    style: str

    @property
    def url(self) -> str:
        return self.path.as_uri()


class FontsMissing(ImproperlyConfigured):
    """No font with full Vietnamese coverage is installed: PDFs cannot be rendered correctly."""


def _covers_vietnamese(path: Path) -> bool:
    with TTFont(path, lazy=True) as font:
        cmap = font.getBestCmap() or {}
    return all(ord(char) in cmap for char in _VIETNAMESE)


def _family_in(directory: Path, stem: str) -> dict[str, Path] | None:
    """The four faces of ``stem`` from one folder under ``directory`` with Vietnamese coverage."""
    for regular in sorted(directory.rglob(f"{stem}-Regular.ttf")):
        files = {suffix: regular.with_name(f"{stem}-{suffix}.ttf") for suffix in FACES}
        if all(path.is_file() for path in files.values()) and _covers_vietnamese(regular):
            return files
    return None


@functools.cache
def document_fonts() -> tuple[FontFace, ...]:
    """The four faces (regular, bold, italic, bold italic) of the first usable family."""
    for family, stem in FONT_FAMILIES:
        for directory in FONT_DIRS:
            if not directory.is_dir():
                continue
            files = _family_in(directory, stem)
            if files:
                return tuple(
                    FontFace(family, files[suffix], weight, style)
                    for suffix, (weight, style) in FACES.items()
                )
    raise FontsMissing(
        "No serif font with full Vietnamese coverage was found in "
        + ", ".join(str(directory) for directory in FONT_DIRS)
        + ": install Liberation Serif 2 (Debian package fonts-liberation2) or Tinos (fonts-croscore)."
    )
