from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications and calendars")

    def ready(self) -> None:
        from core.audit import register_actions

        register_actions(
            {
                "notifications.calendar.created": _("%(actor)s created a private calendar link."),
                "notifications.calendar.revoked": _("%(actor)s revoked the private calendar link."),
                "notifications.announcement.created": _("%(actor)s sent the announcement “%(object)s”."),
            }
        )
