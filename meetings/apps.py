from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings, minutes and resolutions")

    def ready(self) -> None:
        from core.audit import register_actions
        from core.permissions import register_permissions
        from meetings import calendar, permissions, selectors
        from notifications.calendar import register_feed
        from planning import hooks

        register_permissions(permissions.ACTIONS, permissions.can)
        register_feed(calendar.feed_events)
        hooks.add_to_session_page(selectors.session_page)
        hooks.add_to_oversight_page(selectors.oversight_page)

        register_actions(
            {
                "meetings.meeting.created": _("%(actor)s planned the meeting of %(date)s."),
                "meetings.notice.issued": _("%(actor)s issued the meeting notice %(symbol)s."),
                "meetings.record.opened": _("%(actor)s opened the record with %(count)s members to mark."),
                "meetings.attendance.all_present": _("%(actor)s marked %(count)s members present."),
                "meetings.attendance.changed": _(
                    "%(actor)s changed the attendance of %(member)s from “%(old)s” to “%(new)s”."
                ),
                "meetings.role.named": _("%(actor)s named %(member)s %(role)s of the meeting."),
                "meetings.role.changed": _(
                    "%(actor)s named %(member)s %(role)s of the meeting in place of %(previous)s."
                ),
                "meetings.role.removed": _("%(actor)s removed %(previous)s as %(role)s of the meeting."),
                "meetings.vote.recorded": _(
                    "%(actor)s recorded the vote: %(for)s for, of an adjusted total of %(total)s "
                    "(%(needed)s needed)."
                ),
                "meetings.vote.cleared": _("%(actor)s cleared the vote."),
                "meetings.quality.scored": _("%(actor)s assessed the meeting: %(level)s (%(score)s points)."),
                "meetings.speech.deleted": _("%(actor)s removed a speech of %(speaker)s."),
                "meetings.minutes.approved": _("%(actor)s approved version %(number)s of the minutes."),
                "meetings.minutes.correcting": _(
                    "%(actor)s re-opened the minutes to correct them: %(reason)s"
                ),
                "meetings.session.held": _("%(actor)s recorded the session as held on %(date)s."),
                "meetings.resolution.saved": _("%(actor)s saved the resolution with %(count)s tasks."),
                "meetings.resolution.issued": _("%(actor)s issued %(symbol)s."),
                "meetings.task.done": _("%(actor)s marked a task done: %(task)s"),
            }
        )
