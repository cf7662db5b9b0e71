from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchivesConfig(AppConfig):
    name = "archives"
    verbose_name = _("Term archives")

    def ready(self) -> None:
        from archives import permissions
        from core.audit import register_actions
        from core.permissions import register_permissions

        register_permissions(permissions.ACTIONS, permissions.can)

        register_actions(
            {
                "archives.archive.requested": _(
                    "%(actor)s asked for version %(version)s of the archive of term %(term)s."
                ),
                "archives.archive.made": _(
                    "%(actor)s made version %(version)s of the archive of term %(term)s."
                ),
                "archives.archive.downloaded": _("%(actor)s downloaded version %(version)s of the archive."),
                "archives.restored.restored": _(
                    "%(actor)s restored the archive of %(cell)s, term %(term)s, for reading."
                ),
                "archives.restored.file_read": _("%(actor)s opened %(path)s of a restored archive."),
            }
        )
