from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core: audit log and rule sets")

    def ready(self) -> None:
        from core.audit import register_actions

        register_actions(
            {
                "core.admin.added": _("%(actor)s created %(object)s in the back office."),
                "core.admin.changed": _("%(actor)s changed %(object)s in the back office: %(fields)s."),
            }
        )
