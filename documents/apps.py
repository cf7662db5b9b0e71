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
                "documents.document.signed": _("%(actor)s digitally signed %(symbol)s."),
                "documents.certificate.stored": _(
                    "%(actor)s stored the signing certificate of %(organization)s: %(subject)s."
                ),
            }
        )
