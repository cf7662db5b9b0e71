"""The index follows its sources (why signals here, and only here: ``search/services.py``).

Connected in ``SearchConfig.ready()``. Raw saves (fixtures being loaded) are skipped: the objects they
point at may not exist yet; ``manage.py reindex_search`` catches up afterwards.
"""

from typing import Any

from django.db.models.signals import post_delete, post_save

from search import services
from search.models import SearchEntry

Kind = SearchEntry.Kind


def topic_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        services.index_topic(instance)


def version_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        services.index_version(instance)


def resolution_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        services.index_resolution(instance)


def evaluation_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        services.index_lessons(instance)


def session_saved(
    sender: Any,
    instance: Any,
    raw: bool = False,
    update_fields: Any = None,
    created: bool = False,
    **kwargs: Any,
) -> None:
    # Sessions change state often; only a new title changes what the index shows.
    if raw or created or (update_fields is not None and "title" not in update_fields):
        return
    services.index_session(instance)


def version_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    services.unindex_version(instance.pk, instance.session_id)


def _remover(kind: str) -> Any:
    def removed(sender: Any, instance: Any, **kwargs: Any) -> None:
        services.unindex(kind, instance.pk)

    return removed


RECEIVERS = (
    ("planning.Topic", topic_saved, Kind.TOPIC),
    ("drafts.DraftVersion", version_saved, Kind.DRAFT),
    ("meetings.Resolution", resolution_saved, Kind.RESOLUTION),
    ("evaluations.SessionEvaluation", evaluation_saved, Kind.LESSON),
)


def connect() -> None:
    for model, saved, kind in RECEIVERS:
        post_save.connect(saved, sender=model, dispatch_uid=f"search.saved.{kind}")
        removed = version_deleted if kind == Kind.DRAFT else _remover(kind)
        post_delete.connect(removed, sender=model, dispatch_uid=f"search.deleted.{kind}", weak=False)
    post_save.connect(session_saved, sender="planning.Session", dispatch_uid="search.saved.session")
