from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from core.audit import register_actions

        register_actions(
            {
                "accounts.token.created": _("%(actor)s created the access token %(object)s."),
                "accounts.token.revoked": _("%(actor)s revoked the access token %(object)s."),
            }
        )
