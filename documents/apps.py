from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Party-format documents")

    def ready(self) -> None:
        from core.audit import register_actions
        from core.permissions import register_permissions
        from documents import (
            checks,  # noqa: F401  (registers the font check)
            permissions,
        )

        register_permissions(permissions.ACTIONS, permissions.can)

        register_actions(
            {
                "documents.document.issued": _("%(actor)s issued %(symbol)s: %(title)s."),
            }
        )
