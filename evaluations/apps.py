from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluations and participation")

    def ready(self) -> None:
        from core.audit import register_actions
        from core.permissions import register_permissions
        from evaluations import permissions, selectors
        from planning import hooks

        register_permissions(permissions.ACTIONS, permissions.can)
        hooks.add_to_session_page(selectors.session_page)

        register_actions(
            {
                "evaluations.session.evaluated": _("%(actor)s evaluated the session and its presenter."),
                "evaluations.review.saved": _(
                    "%(actor)s saved %(count)s proposed levels of the %(year)s review."
                ),
                "evaluations.review.issued": _("%(actor)s issued the %(year)s review as %(symbol)s."),
            }
        )
