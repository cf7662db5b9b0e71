from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications and calendars")

    def ready(self) -> None:
        from core.audit import register_actions
        from core.permissions import register_permissions
        from notifications import permissions

        register_permissions(permissions.ACTIONS, permissions.can)

        register_actions(
            {
                "notifications.calendar.created": _("%(actor)s created a private calendar link."),
                "notifications.calendar.revoked": _("%(actor)s revoked the private calendar link."),
                "notifications.announcement.created": _("%(actor)s sent the announcement “%(object)s”."),
                "notifications.channels.chosen": _("%(actor)s chose how they are notified."),
                "notifications.channels.cell_defaults": _(
                    "%(actor)s set the default notification channels of %(object)s."
                ),
                "notifications.webhook.created": _(
                    "%(actor)s registered the webhook %(object)s (%(events)s)."
                ),
                "notifications.webhook.rotated": _("%(actor)s made a new secret for the webhook %(object)s."),
                "notifications.webhook.deactivated": _("%(actor)s deactivated the webhook %(object)s."),
                "notifications.webhook.activated": _("%(actor)s activated the webhook %(object)s again."),
                "notifications.webhook.resent": _(
                    "%(actor)s sent delivery #%(delivery)s of the webhook %(object)s again."
                ),
            }
        )
