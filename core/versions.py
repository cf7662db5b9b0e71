"""Version tokens in the cache, so that what is cached across requests (the frame of every page: the
user's scope, the work queue, the bell) is found again only while nothing it was read from has changed.

A cached value's key carries the tokens of what it depends on (``cell:12``, ``member:40``,
``path:000001.``, ``all``); a change replaces those tokens, and every key built from the old ones is
never asked for again (the stale values simply expire). Tokens are random, not counters: a token
evicted from the cache comes back as a new one, which can only cause a miss, never a stale hit.

A change bumps its tokens twice: at once, so the rest of the same request sees it, and again when the
transaction commits, so that a value another request cached from the old rows meanwhile (it could not
see the uncommitted change) is dropped too.

Only worth having when every app server shares the cache: with a cache in each process's memory, a
change made through one process would not reach the others. ``settings.FRAME_CACHE`` says whether to
use it (on with Redis, off with the per-process default unless asked for); when off, :func:`current`
returns None and callers compute afresh.
"""

from collections.abc import Iterable, Mapping
from typing import TypeVar
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

PREFIX = "v:"
# Part of every key built on the tokens: change it when the shape of a cached value changes (a field
# added to Scope or WorkItem), so that a deploy never reads values pickled by the previous code.
SCHEMA = "1"
# Everything cached with a version expires anyway after this long; the tokens themselves never do.
TIMEOUT = 10 * 60

K = TypeVar("K")


def enabled() -> bool:
    return bool(getattr(settings, "FRAME_CACHE", False))


def current(names: Iterable[str]) -> str | None:
    """One string made of the tokens of ``names`` (created when missing), or None when caching is off."""
    if not enabled():
        return None
    keys = sorted({PREFIX + name for name in names})
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            token = uuid4().hex[:12]
            # add(): when two requests create the same token at once, both use the one stored first.
            found[key] = token if cache.add(key, token, timeout=None) else cache.get(key, token)
    return SCHEMA + "." + ".".join(str(found[key]) for key in keys)


def current_each(groups: Mapping[K, Iterable[str]]) -> dict[K, str] | None:
    """:func:`current` for many values at once (the figures of every organisation under a Đảng bộ):
    ``{key: version of its names}`` read in one round trip, or None when caching is off.

    Missing tokens are created together with ``set_many`` and read back, not one ``add`` each: if
    another request creates or replaces one meanwhile, its token is the one read back, or a value
    stored under ours is simply never found again (a miss, never a stale hit, as tokens never repeat)."""
    if not enabled():
        return None
    wanted = {key: sorted({PREFIX + name for name in names}) for key, names in groups.items()}
    every = sorted({name for names in wanted.values() for name in names})
    found = cache.get_many(every)
    missing = [name for name in every if name not in found]
    if missing:
        cache.set_many({name: uuid4().hex[:12] for name in missing}, timeout=None)
        found.update(cache.get_many(missing))
    # A token evicted at once stands as a new random one: a miss, never a match.
    return {
        key: SCHEMA + "." + ".".join(str(found.get(name) or uuid4().hex[:12]) for name in names)
        for key, names in wanted.items()
    }


def _replace(keys: list[str]) -> None:
    cache.set_many({key: uuid4().hex[:12] for key in keys}, timeout=None)


def bump(names: Iterable[str]) -> None:
    """Say that what ``names`` stand for has changed: values cached with the old tokens are not read again."""
    if not enabled():
        return
    keys = sorted({PREFIX + name for name in names})
    if not keys:
        return
    _replace(keys)
    transaction.on_commit(lambda: _replace(keys))
