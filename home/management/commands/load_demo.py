"""``manage.py load_demo``: load the demo data into an empty database (``make run`` calls it)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from documents.demo import add_signatures
from drafts.demo import add_drafts
from evaluations.demo import add_evaluations
from library.demo import add_library
from meetings.demo import add_meetings
from notifications.demo import add_channels
from organizations.demo import demo_present, load_demo
from planning.demo import add_plans
from push.demo import add_push
from reports.demo import add_reports
from room.demo import add_room
from search.demo import add_search
from zalo.demo import add_zalo


class Command(BaseCommand):
    help = "Load the demo data (Đảng bộ Trường Chính trị Nguyễn Chí Thanh) into an empty database."

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's drafts notify members like real ones do; their e-mails would go to addresses that
        # do not exist (or fill the console of `make run`), so this short-lived process sends none.
        settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
        if load_demo(
            add_plans,
            add_drafts,
            add_meetings,
            add_room,
            add_evaluations,
            add_reports,
            add_library,
            add_zalo,
            add_push,
            add_search,
            add_channels,
            add_signatures,
        ):
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        elif demo_present():
            self.stdout.write("Demo data already present; nothing changed.")
        else:
            self.stdout.write(
                self.style.WARNING("The database already holds other data; demo data not loaded.")
            )
