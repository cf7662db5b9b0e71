from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    name = "drafts"
    verbose_name = _("Drafts and comments")

    def ready(self) -> None:
        from core.audit import register_actions
        from core.permissions import register_permissions
        from drafts import permissions

        register_permissions(permissions.ACTIONS, permissions.can)

        register_actions(
            {
                "drafts.version.added": _("%(actor)s added version %(number)s of the draft (%(kind)s)."),
                "drafts.draft.submitted": _(
                    "%(actor)s submitted version %(number)s of the draft for approval."
                ),
                "drafts.draft.returned": _("%(actor)s returned the draft with remarks: %(remarks)s"),
                "drafts.draft.distributed": _(
                    "%(actor)s approved version %(number)s and sent it to %(count)s members."
                ),
                "drafts.comment.added": _("%(actor)s commented on the draft of “%(title)s”."),
                "drafts.comment.paper": _(
                    "%(actor)s recorded the comment %(member)s handed in on paper on %(date)s "
                    "(draft of “%(title)s”)."
                ),
                "drafts.comment.edited": _("%(actor)s edited a comment."),
                "drafts.comment.deleted": _("%(actor)s deleted a comment."),
                "drafts.comment.answered": _("%(actor)s answered a comment: %(decision)s."),
                "drafts.final.submitted": _(
                    "%(actor)s submitted the final text (version %(number)s) for approval."
                ),
                "drafts.final.approved": _("%(actor)s approved the final text (version %(number)s)."),
                "drafts.final.returned": _("%(actor)s returned the final text with remarks: %(remarks)s"),
                "drafts.reminder.sent": _("%(actor)s reminded %(count)s members to comment."),
            }
        )
