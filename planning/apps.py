from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Annual plans and sessions")

    def ready(self) -> None:
        from core.audit import register_actions
        from core.permissions import register_permissions
        from notifications.calendar import register_session_file
        from planning import calendar, permissions

        register_permissions(permissions.ACTIONS, permissions.can)
        register_session_file(calendar.session_file)

        register_actions(
            {
                "planning.topic_group.updated": _("%(actor)s edited the topic group %(object)s."),
                "planning.topic.created": _("%(actor)s added the topic “%(object)s” (%(group)s)."),
                "planning.orientation.saved": _(
                    "%(actor)s saved the orientation for %(year)s (%(count)s topics asked for)."
                ),
                "planning.plan.created": _("%(actor)s started the annual plan %(object)s."),
                "planning.plan.revision_opened": _(
                    "%(actor)s changed the acknowledged plan: revision %(revision)s opened."
                ),
                "planning.plan.submitted": _(
                    "%(actor)s submitted revision %(revision)s of the plan to the Party committee "
                    "(%(symbol)s)."
                ),
                "planning.plan.acknowledged": _("%(actor)s acknowledged revision %(revision)s of the plan."),
                "planning.plan.returned": _("%(actor)s returned the plan with remarks: %(remarks)s"),
                "planning.session.added": _("%(actor)s added “%(object)s” to quarter %(quarter)s."),
                "planning.session.updated": _("%(actor)s changed “%(object)s” (%(fields)s)."),
                "planning.session.removed": _("%(actor)s removed “%(title)s” from the plan."),
                "planning.session.restored": _("%(actor)s put “%(title)s” back in the plan."),
                "planning.session.presenters_set": _("%(actor)s assigned “%(object)s” to %(names)s."),
                "planning.session.postponed": _(
                    "%(actor)s postponed “%(object)s” from %(from)s to %(to)s: %(reason)s"
                ),
                "planning.session.cancelled": _("%(actor)s cancelled “%(object)s”: %(reason)s"),
                "planning.registration.created": _("%(actor)s registered to present “%(title)s”."),
                "planning.registration.accepted": _("%(actor)s accepted the registration for “%(title)s”."),
                "planning.registration.declined": _("%(actor)s declined the registration: %(reason)s"),
            }
        )
