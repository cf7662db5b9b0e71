from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZaloConfig(AppConfig):
    name = "zalo"
    verbose_name = _("Zalo")

    def ready(self) -> None:
        from core.audit import register_actions
        from core.permissions import register_permissions
        from notifications import channels
        from zalo import permissions
        from zalo.sender import ZaloSender

        register_permissions(permissions.ACTIONS, permissions.can)
        channels.register(ZaloSender())
        register_actions(
            {
                "zalo.account.saved": _("%(actor)s saved the Zalo Official Account %(object)s."),
                "zalo.account.enabled": _(
                    "%(actor)s enabled sending through the Zalo Official Account %(object)s."
                ),
                "zalo.account.disabled": _(
                    "%(actor)s disabled sending through the Zalo Official Account %(object)s."
                ),
                "zalo.template.saved": _(
                    "%(actor)s set the ZNS template %(template)s for “%(kind)s” notices of %(object)s."
                ),
                "zalo.template.deleted": _(
                    "%(actor)s removed the ZNS template %(template)s for “%(kind)s” notices of %(object)s."
                ),
            }
        )
