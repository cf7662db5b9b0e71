from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core: audit log and rule sets")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, pre_save

        from core.audit import register_actions
        from core.hygiene import clean_text_fields
        from core.seeds import seed_rule_sets

        post_migrate.connect(seed_rule_sets, sender=self, dispatch_uid="core.seed_rule_sets")
        # Every text field saved in NFC, without control characters, single-line fields on one line.
        pre_save.connect(clean_text_fields, dispatch_uid="core.clean_text_fields")

        register_actions(
            {
                "core.admin.added": _("%(actor)s created %(object)s in the back office."),
                "core.admin.changed": _("%(actor)s changed %(object)s in the back office: %(fields)s."),
            }
        )
