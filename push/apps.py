from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PushConfig(AppConfig):
    """The installable web app (manifest, service worker) and Web Push (docs/pwa.md)."""

    name = "push"
    verbose_name = _("Installable app and Web Push")

    def ready(self) -> None:
        from core.audit import register_actions
        from core.permissions import register_permissions
        from notifications import channels
        from push import permissions
        from push.sender import PushSender

        register_permissions(permissions.ACTIONS, permissions.can)
        channels.register(PushSender())
        register_actions(
            {
                "push.subscription.created": _("%(actor)s turned on notifications on a device (%(object)s)."),
                "push.subscription.deleted": _(
                    "%(actor)s turned off notifications on a device (%(object)s)."
                ),
            }
        )
