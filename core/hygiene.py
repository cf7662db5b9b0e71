"""Text as it is stored, in one place: every text field of our models is saved in Unicode NFC (a
comment typed in decomposed form, as some phone keyboards send it, would otherwise not match the same
words typed precomposed, in search or in comparisons), without control characters, and a single-line
field (``CharField``) without line breaks — a title with a line break used to break the calendar file.

Applied by a ``pre_save`` receiver (core.apps) to the models of our apps (accounts' users too), so it
holds for the pages, the API, imports and the admin alike. Bulk writes (``update()``,
``bulk_create``) do not send ``pre_save``: their callers pass text already cleaned (they take it from
saved rows or from :func:`single_line`/:func:`multi_line`).
"""

import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# The same, but tab and line feed stay in multi-line text.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


@cache
def _ours(model: type[models.Model]) -> bool:
    """A model of this project's apps (their folders are in BASE_DIR; accounts holds the users)."""
    config = model._meta.app_config
    return config is not None and Path(config.path).parent == Path(settings.BASE_DIR)


def single_line(text: str) -> str:
    """NFC, each control character or line break turned into a space, trimmed."""
    return _BREAKS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def multi_line(text: str) -> str:
    """NFC, line endings as ``\\n``, other control characters removed."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", text)


def clean_text_fields(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """pre_save: clean every text value of ``instance`` in place (our apps' models only)."""
    if not _ours(sender):
        return
    for field in sender._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname)
        if not isinstance(value, str) or not value:
            continue
        if isinstance(field, models.TextField):
            cleaned = multi_line(value)
        elif field.choices or field.name in ("password",):
            continue  # codes and hashes, written by us
        else:
            cleaned = single_line(value)
        if cleaned != value:
            setattr(instance, field.attname, cleaned)
