from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoomConfig(AppConfig):
    name = "room"
    verbose_name = _("The meeting room on members' phones")

    def ready(self) -> None:
        from core.audit import register_actions
        from meetings import hooks
        from room import links, live

        hooks.add_to_meeting_page(links.meeting_links)
        hooks.on_record_change(live.changed)

        register_actions(
            {
                "room.vote.opened": _("%(actor)s opened an electronic vote: %(subject)s"),
                "room.vote.closed": _(
                    "%(actor)s closed the electronic vote: %(voted)s of %(eligible)s eligible members voted."
                ),
                "room.checked_in": _("%(actor)s checked in at %(time)s."),
                "room.speech.requested": _("%(actor)s asked to speak."),
                "room.speech.ended": _("%(actor)s ended the turn of %(member)s (%(start)s–%(end)s)."),
                "room.vote.withdrawn": _(
                    "%(actor)s withdrew the electronic vote before anyone had voted: %(subject)s"
                ),
            }
        )
