"""``manage.py refresh_dashboard_figures``: compute the figures the dashboard keeps per organisation
(reports.models.OrganizationFigures) for the current quarter and year of every top-level Đảng bộ, so
that no officer's first look of the day pays for the whole tree. Run it once a day just after midnight
(the kept figures hold for one day) and after a deploy or a restart of the cache (they hold under its
version tokens). Safe any time: only the rows out of date are computed. Without the shared cache
(settings.FRAME_CACHE off) nothing is kept and it does nothing."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from organizations.models import Organization
from reports import selectors


class Command(BaseCommand):
    help = "Compute the dashboard's figures kept per organisation for the current quarter and year."

    def handle(self, *args: Any, **options: Any) -> None:
        from core import versions

        if not versions.enabled():
            self.stdout.write("The shared cache is off (FRAME_CACHE): the dashboard keeps no figures.")
            return
        today = timezone.localdate()
        quarter = (today.month - 1) // 3 + 1
        tops = Organization.objects.filter(parent=None).exclude(kind=Organization.Kind.CELL).order_by("path")
        for party in tops:
            for period in (quarter, None):
                selectors.stored_figures(party, today.year, period, today, by_cell=False)
            self.stdout.write(f"{party.name}: quarter {quarter} and year {today.year}")
        self.stdout.write(self.style.SUCCESS("Dashboard figures are current."))
