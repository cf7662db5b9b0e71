"""System check: warn at start-up, not at the first PDF, when no usable document font is installed."""

from typing import Any

from django.core import checks

from documents.fonts import FontsMissing, document_fonts


@checks.register()
def document_fonts_installed(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A warning (not an error: the rest of the application works) naming the packages to install."""
    try:
        document_fonts()
    except FontsMissing as exc:
        return [checks.Warning(str(exc), id="documents.W001")]
    return []
