from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports and the Party committee's dashboard")

    def ready(self) -> None:
        from core.audit import register_actions
        from core.permissions import register_permissions
        from reports import permissions

        register_permissions(permissions.ACTIONS, permissions.can)

        register_actions(
            {
                "reports.report.created": _("%(actor)s started the report (%(period)s)."),
                "reports.report.saved": _("%(actor)s wrote the report's assessment."),
                "reports.report.submitted": _(
                    "%(actor)s submitted the report to the Party committee as %(symbol)s."
                ),
                "reports.report.acknowledged": _("%(actor)s acknowledged the report %(symbol)s."),
                "reports.report.returned": _("%(actor)s returned the report with remarks: %(remarks)s"),
            }
        )
