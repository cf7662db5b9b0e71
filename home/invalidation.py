"""What a change makes stale in the frame cached across requests (the work queue, the scope, the bell).

Cache invalidation, not a business rule: the signal handlers below only replace version tokens
(core.versions); nothing else happens in them. Every save or delete of a row of the apps the work
queue reads from bumps the tokens of the cell it belongs to (``cell:<id>``, and ``path:<p>`` for the
cell and each organisation above it, which officers' queues carry), of the members and users it names
(``member:<id>``, ``user:<id>``: a presenter, the author of a comment, the owner of a task, who may sit
in another cell), found by following its foreign keys up to the cell. A row that leads to no cell, and
every change to the organisations themselves (memberships, positions, terms, officers) or to a rule
set, bumps ``all``: rare changes after which every frame is computed afresh. The figures the
dashboard keeps per cell (reports) read ``tree`` instead, bumped with ``all`` except by members,
positions, terms, officers and memberships; a membership bumps its cell's tokens (and, moved to
another cell, the old one's).

What signals cannot see: ``QuerySet.update()`` and ``bulk_create()``. The services that use them on
rows the queue reads save a row of the same cell in the same transaction (open_record saves the
meeting; ending a membership saves the membership); a new one must do likewise or call
:func:`changed`. Notifications are bumped by notifications.services itself (``bell:<user>``).
"""

from typing import Any

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from core import versions
from organizations.permissions import STRUCTURE, TREE

# The apps whose rows make up the work queue. The organisations and the rule sets change scopes and
# deadlines everywhere: they bump everything.
QUEUE_APPS = ("planning", "drafts", "meetings", "reports", "library", "evaluations")
EVERYTHING = (("organizations", None), ("core", "ruleset"))
# Rows of the organisations app that change scopes (``all``) but neither the tree nor the rules
# (``tree``): the figures kept per cell need nothing, or, for a membership, its cell's tokens.
SCOPE_ONLY = ("member", "membership", "position", "term", "officerassignment")
# Parents followed from a row towards its cell: Comment → Session → Organization is two steps;
# ResolutionTask → Resolution → Meeting → Organization three.
DEPTH = 4


def cell_names(cell_id: int) -> set[str]:
    """The tokens of a cell: its own, and the path of it and of each organisation above it."""
    from organizations.models import Organization

    path = Organization.objects.filter(pk=cell_id).values_list("path", flat=True).first() or ""
    segments = [part for part in path.split(".") if part]
    prefixes = {".".join(segments[: i + 1]) + "." for i in range(len(segments))}
    return {f"cell:{cell_id}"} | {f"path:{prefix}" for prefix in prefixes}


def affected(instance: Model, depth: int = 0) -> set[str] | None:
    """The tokens a change to ``instance`` makes stale, or None when it leads to no cell."""
    from accounts.models import User
    from organizations.models import Member, Organization

    names: set[str] = set()
    cell = False
    parents = []
    for field in instance._meta.concrete_fields:
        if not field.many_to_one:
            continue
        value = getattr(instance, field.attname)
        if value is None:
            continue
        model = field.related_model
        if model is Organization:
            names |= cell_names(value)
            cell = True
        elif model is Member:
            names.add(f"member:{value}")
        elif model is User:
            names.add(f"user:{value}")
        elif model._meta.app_label in QUEUE_APPS:  # type: ignore[union-attr]
            parents.append(field.name)
    if cell:
        return names
    if depth >= DEPTH:
        return None
    for name in parents:
        try:
            parent = getattr(instance, name)
        except ObjectDoesNotExist:  # deleted with its parent in the same cascade
            continue
        found = affected(parent, depth + 1)
        if found is not None:
            return names | found
    return None


def changed(instance: Model) -> None:
    """Make stale what depends on ``instance`` (for writes no signal reports)."""
    if not versions.enabled():  # nothing is cached: no query to find the cell
        return
    names = affected(instance)
    versions.bump(names if names is not None else [STRUCTURE, TREE])


def _on_change(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # fixtures being loaded
        return
    changed(instance)


def _on_everything(sender: type[Model], **kwargs: Any) -> None:
    if kwargs.get("raw") or not versions.enabled():
        return
    names = {STRUCTURE}
    instance = kwargs.get("instance")
    if sender._meta.model_name not in SCOPE_ONLY:
        names.add(TREE)
    elif sender._meta.model_name == "membership" and isinstance(instance, Model):
        names |= cell_names(instance.organization_id)  # type: ignore[attr-defined]
        names |= getattr(instance, "_cell_before", set())
    versions.bump(names)


def _before_membership(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    """A membership moved to another cell (in the back office) changes the figures of the cell it
    leaves too: its tokens, read before the save, are bumped with the new cell's."""
    if kwargs.get("raw") or instance.pk is None or not versions.enabled():
        return
    before = type(instance).objects.filter(pk=instance.pk).values_list("organization_id", flat=True).first()
    if before is not None and before != instance.organization_id:
        instance._cell_before = cell_names(before)


def _on_m2m(
    sender: type[Model], instance: Model, action: str, model: Any, pk_set: Any, **kwargs: Any
) -> None:
    from organizations.models import Member

    if not action.startswith("post_") or not versions.enabled():
        return
    if isinstance(instance, Model) and type(instance)._meta.app_label not in QUEUE_APPS:
        return
    names = affected(instance)
    if names is None or pk_set is None:  # a cleared set names nobody: everything
        versions.bump([STRUCTURE, TREE])
        return
    if model is Member:
        names |= {f"member:{pk}" for pk in pk_set}
    versions.bump(names)


def _on_notification(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    from notifications.services import bump_bell

    if not kwargs.get("raw"):
        bump_bell([instance.recipient_id])


def connect() -> None:
    """Watch the rows of the queue's apps (called once, from HomeConfig.ready)."""
    # Notifications are created in bulk and read with update(): notifications.services bumps the bell
    # itself; these catch any other change (the admin, a deletion).
    notification = apps.get_model("notifications", "Notification")
    post_save.connect(_on_notification, sender=notification, dispatch_uid="frame-notification-save")
    post_delete.connect(_on_notification, sender=notification, dispatch_uid="frame-notification-delete")
    for label in QUEUE_APPS:
        for model in apps.get_app_config(label).get_models():
            # Rows derived from the others and kept under these very tokens (reports'
            # OrganizationFigures): writing them changes nothing they were read from.
            if not getattr(model, "derived_data", False):
                _watch(model, _on_change, _on_m2m)
    for label, model_name in EVERYTHING:
        config = apps.get_app_config(label)
        for model in config.get_models() if model_name is None else [config.get_model(model_name)]:
            _watch(model, _on_everything, _on_everything)
    membership = apps.get_model("organizations", "Membership")
    pre_save.connect(_before_membership, sender=membership, dispatch_uid="frame-membership-before")


def _watch(model: type[Model], on_change: Any, on_m2m: Any) -> None:
    label = model._meta.label
    post_save.connect(on_change, sender=model, dispatch_uid=f"frame-{label}-save")
    post_delete.connect(on_change, sender=model, dispatch_uid=f"frame-{label}-delete")
    for field in model._meta.local_many_to_many:
        through: Any = field.remote_field.through
        m2m_changed.connect(on_m2m, sender=through, dispatch_uid=f"frame-{through._meta.label}-m2m")
