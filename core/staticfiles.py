"""Static files under hashed names, compressed, cached by the browser for a year.

``collectstatic`` writes every file under a name carrying a hash of its content
(``app.3f2a….css``) with gzip and Brotli copies beside it; WhiteNoise serves the compressed copy the
browser accepts and tells it to keep a hashed file for a year without asking again (a changed file
gets a new name, so nothing stale is ever shown). Used in production and under ``make run``
(``STATIC_MANIFEST``); the tests keep Django's plain storage, which needs no ``collectstatic``.
"""

from typing import Any

from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.storage import CompressedManifestStaticFilesStorage

ONE_YEAR = 365 * 24 * 60 * 60


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage, with hashed names under ``DEBUG=true`` too.

    Django's manifest storage links the plain names while ``DEBUG`` is on, which would leave
    ``make run`` (a development server) without the names that can be cached for a year."""

    def url(self, name: Any, force: bool = False) -> str:
        return super().url(name, force=True)


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, keeping a hashed file a year (its default is ten years)."""

    FOREVER = ONE_YEAR
