from django.contrib import admin
from django.http import HttpRequest

from push.models import PushSubscription


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    """Read-only: a subscription is made by a person's browser, never typed in."""

    list_display = ("user", "browser_name", "created_at", "last_success_at", "failures")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    readonly_fields = (
        "user",
        "endpoint",
        "p256dh",
        "auth",
        "user_agent",
        "created_at",
        "last_success_at",
        "failures",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
