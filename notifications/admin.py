"""Back office: the e-mail outbox and the channel outbox, read-only, with an action to send failed
messages again; the members' channel choices, the cells' defaults and the delivery preferences."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import (
    CellChannelDefault,
    ChannelChoice,
    ChannelMessage,
    DeliveryPreference,
    OutboundEmail,
)


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["to", "subject", "state", "attempts", "created_at", "sent_at", "last_error"]
    list_filter = ["state"]
    search_fields = ["to", "subject", "message_id"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Send the chosen failed e-mails again"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboundEmail]) -> None:
        count = queryset.filter(state=OutboundEmail.State.FAILED).update(
            state=OutboundEmail.State.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
        )
        self.message_user(
            request, _("%(count)s e-mails are queued again.") % {"count": count}, messages.SUCCESS
        )


@admin.register(ChannelMessage)
class ChannelMessageAdmin(admin.ModelAdmin):
    """The channel outbox (Zalo, push, e-mails held for a digest): delivery results for the
    administrator, read-only, with an action to send failed messages again."""

    list_display = [
        "pk",
        "channel",
        "recipient",
        "kind",
        "state",
        "attempts",
        "created_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["channel", "state", "kind"]
    search_fields = ["recipient__username", "provider_id", "title"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = [f.name for f in ChannelMessage._meta.fields]
    list_select_related = ["recipient"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Send the chosen failed messages again"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[ChannelMessage]) -> None:
        count = queryset.filter(state=ChannelMessage.State.FAILED).update(
            state=ChannelMessage.State.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
        )
        self.message_user(
            request, _("%(count)s messages are queued again.") % {"count": count}, messages.SUCCESS
        )


@admin.register(ChannelChoice)
class ChannelChoiceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "email", "zalo", "push"]
    list_filter = ["kind"]
    search_fields = ["user__username"]


@admin.register(CellChannelDefault)
class CellChannelDefaultAdmin(admin.ModelAdmin):
    list_display = ["organization", "kind", "email", "zalo", "push"]
    list_filter = ["kind"]


@admin.register(DeliveryPreference)
class DeliveryPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "quiet_from", "quiet_until", "digest", "digest_hour", "last_digest_on"]
    search_fields = ["user__username"]
