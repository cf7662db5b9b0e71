"""Keeping the search index (``SearchEntry``) up to date with what it describes.

Design
------
Search reads one table, ``SearchEntry``: one row per topic, session's text (its newest approved
version), issued resolution and session's lessons, with its title, its text as written, the same
folded (``core.text.words``: lower case, no diacritics, đ → d, each word after a space), its address,
the organisation it belongs to and who may see it. A query is then one ``LIKE '% word%'`` per word
on the folded column (the word begins a word of the text: ``search.selectors``), the visibility
rules are a ``WHERE`` on the organisation (``search.permissions``), and a page of results costs the
same few queries however many rows match. The same SQL works on SQLite and PostgreSQL; no search
server. On PostgreSQL a trigram index (``pg_trgm``, migration 0002) answers the ``LIKE``; SQLite
scans the folded column, with the same results.

Only what every reader of the row may see is indexed, so the rule per row stays simple:

* a topic of a Đảng bộ's catalogue is seen by everyone in that Đảng bộ; a topic proposed by a cell by
  the cell and the officers above it;
* of a session's text, one row for its **approved** versions (drafts and final text): it shows and
  opens the newest, what ordinary members read last, and the words of the older ones find it too, so
  a draft revised after approval is one hit, not one per version. Versions awaiting approval are
  between the presenter and the approvers, and are not indexed;
* a resolution once **issued**; before, it is the secretaries' draft and is not indexed;
* a session's lessons learned (``SessionEvaluation.lessons``), not the presenter's evaluation.

The rows follow their sources through ``post_save``/``post_delete`` signals (``search/signals.py``).
This is the one place the project uses signals: the index is a copy, not a business rule, and the
apps it copies must not know that search exists. The rows are written in the source's transaction,
so a refused or rolled-back change leaves no trace in the index. Writes that bypass ``save()``
(``QuerySet.update``, as the demo loader does to backdate rows) are caught up by :func:`reindex_all`
(``manage.py reindex_search``; the demo's last step ``search.demo.add_search`` calls it), which
rebuilds the whole table and may be run at any time. Run it too after changing a URL pattern the
rows point at, since addresses are stored.
"""

from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice

from django.db import transaction
from django.urls import reverse
from django.utils.html import strip_tags

from core.text import nfc, words
from drafts.models import DraftVersion
from evaluations.models import SessionEvaluation
from meetings.models import Resolution
from organizations.models import Organization
from planning.models import Session, Topic
from search.models import SearchEntry

Kind = SearchEntry.Kind
Audience = SearchEntry.Audience
BATCH = 200


def folded(text: str) -> str:
    """The folded form stored for matching, each word after a space so that a query word can be matched
    at the beginning of words: "Văn hóa, Hồ Chí Minh!" → " van hoa ho chi minh"."""
    return "".join(f" {word}" for word in words(text))


def _entry(
    *,
    kind: str,
    object_id: int,
    organization_id: int,
    audience: str,
    title: str,
    text: str,
    url: str,
    dated: datetime,
) -> SearchEntry:
    title, text = nfc(title.strip()), nfc(text.strip())
    return SearchEntry(
        kind=kind,
        object_id=object_id,
        organization_id=organization_id,
        audience=audience,
        title=title[:500],
        text=text,
        url=url,
        dated=dated,
        folded_title=folded(title),
        folded=folded(f"{title}\n{text}"),
    )


# --- One row per source, or None when the source is not searchable (yet) ---------------------------


def topic_entry(topic: Topic) -> SearchEntry:
    organization = topic.organization
    return _entry(
        kind=Kind.TOPIC,
        object_id=topic.pk,
        organization_id=organization.pk,
        audience=Audience.ORGANISATION
        if organization.kind == Organization.Kind.PARTY_COMMITTEE
        else Audience.CELL,
        title=topic.title,
        text=topic.description,
        url=reverse("planning:topics"),
        dated=topic.created_at,
    )


def version_text(version: DraftVersion) -> str:
    """The plain text of a version: its numbered blocks (PDF pages included), else its HTML's text."""
    text = "\n".join(str(p.get("text", "")) for p in version.paragraphs if isinstance(p, dict))
    return text if text.strip() else strip_tags(version.html)


def _approved_versions(session_id: int) -> list[DraftVersion]:
    """The session's approved versions, newest first (one query)."""
    return list(
        DraftVersion.objects.filter(session_id=session_id)
        .exclude(approved_at=None)
        .select_related("session")
        .order_by("-number")
    )


def version_entry(version: DraftVersion) -> SearchEntry | None:
    """The row of a session's text, or None when ``version`` is not its newest approved version: a
    draft revised after approval is one hit, not one per version."""
    if version.approved_at is None:
        return None
    versions = _approved_versions(version.session_id)
    if not versions or versions[0].pk != version.pk:
        return None
    return _session_text_row(versions)


def _session_text_row(versions: list[DraftVersion]) -> SearchEntry:
    """One row for a session's approved versions (newest first): the newest is what the hit shows and
    opens; the words of the older ones still find it (a draft's words, once the final text is
    approved, lead to the final text)."""
    version = versions[0]
    session = version.session
    assert version.approved_at is not None  # only approved versions are given
    entry = _entry(
        kind=Kind.DRAFT,
        object_id=version.pk,
        organization_id=session.cell_id,
        audience=Audience.CELL,
        title=f"{session.title} · v{version.number}",
        text=version_text(version),
        url=f"{reverse('drafts:read', args=[session.pk])}?v={version.number}",
        dated=version.approved_at,
    )
    older = [nfc(version_text(v)) for v in versions[1:]]
    entry.folded = folded("\n".join([entry.title, entry.text, *older]))
    return entry


def resolution_entry(resolution: Resolution) -> SearchEntry | None:
    if resolution.issued_at is None:
        return None
    meeting = resolution.meeting
    subject = meeting.session.title if meeting.session else meeting.vote_subject
    symbol = resolution.document.symbol if resolution.document else ""
    tasks = [task.description for task in resolution.tasks.all()]
    return _entry(
        kind=Kind.RESOLUTION,
        object_id=resolution.pk,
        organization_id=meeting.cell_id,
        audience=Audience.CELL,
        title=" · ".join(part for part in (symbol, subject) if part),
        text="\n".join([resolution.results, resolution.shortcomings, *tasks, resolution.implementation]),
        url=reverse("meetings:resolution", args=[meeting.pk]),
        dated=resolution.issued_at,
    )


def lessons_entry(evaluation: SessionEvaluation) -> SearchEntry | None:
    if not evaluation.lessons.strip():
        return None
    session = evaluation.session
    return _entry(
        kind=Kind.LESSON,
        object_id=evaluation.pk,
        organization_id=session.cell_id,
        audience=Audience.CELL,
        title=session.title,
        text=evaluation.lessons,
        url=reverse("planning:session", args=[session.pk]),
        dated=evaluation.evaluated_at,
    )


# --- Keeping rows up to date -----------------------------------------------------------------------


def _store(kind: str, object_id: int, entry: SearchEntry | None) -> None:
    """Write ``entry`` for the source ``(kind, object_id)``, or remove its row when it is None."""
    if entry is None:
        unindex(kind, object_id)
        return
    fields = {f.attname: getattr(entry, f.attname) for f in SearchEntry._meta.concrete_fields}
    for key in ("id", "kind", "object_id"):
        fields.pop(key)
    SearchEntry.objects.update_or_create(kind=kind, object_id=object_id, defaults=fields)


def index_topic(topic: Topic) -> None:
    _store(Kind.TOPIC, topic.pk, topic_entry(topic))


def index_version(version: DraftVersion) -> None:
    """Rewrite the row of the version's session (its newest approved version) and drop any row of
    the session's other versions."""
    _index_session_text(version.session_id)


def unindex_version(version_id: int, session_id: int) -> None:
    """A version was deleted: its row goes, and the newest approved version left takes its place."""
    unindex(Kind.DRAFT, version_id)
    _index_session_text(session_id)


def _index_session_text(session_id: int) -> None:
    versions = _approved_versions(session_id)
    others = DraftVersion.objects.filter(session_id=session_id)
    if versions:
        others = others.exclude(pk=versions[0].pk)
        _store(Kind.DRAFT, versions[0].pk, _session_text_row(versions))
    SearchEntry.objects.filter(kind=Kind.DRAFT, object_id__in=others.values("pk")).delete()


def index_resolution(resolution: Resolution) -> None:
    _store(Kind.RESOLUTION, resolution.pk, resolution_entry(resolution))


def index_lessons(evaluation: SessionEvaluation) -> None:
    _store(Kind.LESSON, evaluation.pk, lessons_entry(evaluation))


def unindex(kind: str, object_id: int) -> None:
    SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()


def index_session(session: Session) -> None:
    """Rewrite the rows that show the session's title: its approved versions, resolution, lessons."""
    _index_session_text(session.pk)
    for resolution in Resolution.objects.filter(meeting__session=session).select_related(
        "meeting__session", "document"
    ):
        index_resolution(resolution)
    for evaluation in SessionEvaluation.objects.filter(session=session):
        evaluation.session = session
        index_lessons(evaluation)


# --- Rebuilding everything -------------------------------------------------------------------------


def _all_entries() -> Iterator[SearchEntry]:
    for topic in Topic.objects.select_related("organization").iterator(chunk_size=BATCH):
        yield topic_entry(topic)
    # One row per session: its approved versions come together, newest first, in this order.
    versions = DraftVersion.objects.exclude(approved_at=None).select_related("session")
    session_versions: list[DraftVersion] = []
    for version in versions.order_by("session_id", "-number").iterator(chunk_size=BATCH):
        if session_versions and version.session_id != session_versions[0].session_id:
            yield _session_text_row(session_versions)
            session_versions = []
        session_versions.append(version)
    if session_versions:
        yield _session_text_row(session_versions)
    resolutions = (
        Resolution.objects.exclude(issued_at=None)
        .select_related("meeting__session", "document")
        .prefetch_related("tasks")
    )
    for resolution in resolutions.iterator(chunk_size=BATCH):
        if (entry := resolution_entry(resolution)) is not None:
            yield entry
    for evaluation in SessionEvaluation.objects.select_related("session").iterator(chunk_size=BATCH):
        if (entry := lessons_entry(evaluation)) is not None:
            yield entry


def _batches(entries: Iterable[SearchEntry]) -> Iterator[list[SearchEntry]]:
    iterator = iter(entries)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def reindex_all() -> int:
    """Rebuild the whole index from the sources (idempotent); returns the number of rows."""
    count = 0
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        for batch in _batches(_all_entries()):
            SearchEntry.objects.bulk_create(batch)
            count += len(batch)
    return count
