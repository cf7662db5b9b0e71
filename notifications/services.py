"""Creating and revoking a user's private calendar link."""

from typing import Any

from django.db import transaction

from core.audit import log_action
from notifications.models import CalendarFeed, new_token


def create_or_renew_feed(*, actor: Any) -> CalendarFeed:
    """Give the user a calendar link; an existing one is replaced, so the old URL stops working."""
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=actor)
        if not created:
            feed.token = new_token()
            feed.save(update_fields=["token"])
        log_action(actor, "notifications.calendar.created", feed)
    return feed


def revoke_feed(*, actor: Any) -> None:
    """Delete the user's calendar link: its URL answers 404 from now on."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=actor).first()
        if feed is not None:
            log_action(actor, "notifications.calendar.revoked", feed)
            feed.delete()
