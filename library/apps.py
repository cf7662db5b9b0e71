from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Model sessions")

    def ready(self) -> None:
        from core.audit import register_actions
        from core.permissions import register_permissions
        from library import permissions

        register_permissions(permissions.ACTIONS, permissions.can)

        register_actions(
            {
                "library.model.registered": _(
                    "%(actor)s registered the session of %(cell)s as a model session with the Party "
                    "committee."
                ),
                "library.model.approved": _("%(actor)s approved the model session."),
                "library.model.declined": _("%(actor)s declined the model session: %(reason)s."),
                "library.model.withdrawn": _("%(actor)s withdrew the model session: %(reason)s."),
                "library.model.published": _("%(actor)s published the model session in the library."),
                "library.model.adopted": _(
                    "%(actor)s adopted the model session for %(cell)s (quarter %(quarter)s of %(year)s)."
                ),
                "library.session.registered": _(
                    "%(actor)s registered this session as a model session with the committee of %(party)s."
                ),
                "library.session.published": _(
                    "%(actor)s published this session in the library of model sessions."
                ),
                "library.session.adopted": _(
                    "%(actor)s added this session to the plan from the model session of %(cell)s."
                ),
            }
        )
