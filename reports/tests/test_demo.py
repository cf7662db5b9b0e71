"""The reports demo: the article's cell's last two quarterly reports, one acknowledged and one waiting
for the Đảng ủy, on top of the meetings demo."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from drafts.demo import add_drafts
from evaluations.demo import add_evaluations
from meetings.demo import add_meetings
from notifications.models import Notification
from organizations.demo import ARTICLE_CELL, load_demo
from planning.demo import add_plans
from reports.demo import add_reports
from reports.models import Report
from reports.selectors import report_figures

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def _load(settings, on: date) -> None:
    # As the load_demo command does: the demo's notices e-mail nobody.
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    with time_machine.travel(datetime(on.year, on.month, on.day, 9, 0, tzinfo=HCM), tick=False):
        assert load_demo(add_plans, add_drafts, add_meetings, add_evaluations, add_reports)


def test_after_september_quarter_two_is_acknowledged_and_quarter_three_waits(client, settings):
    _load(settings, date(2026, 11, 26))

    acknowledged, submitted = Report.objects.filter(cell__name=ARTICLE_CELL).order_by("quarter")
    assert (acknowledged.year, acknowledged.quarter, acknowledged.status) == (2026, 2, "acknowledged")
    assert (submitted.year, submitted.quarter, submitted.status) == (2026, 3, "submitted")
    assert (acknowledged.document.symbol, submitted.document.symbol) == ("01-BC/CB", "02-BC/CB")
    assert submitted.document.issued_on == date(2026, 10, 8)
    assert acknowledged.acknowledged_by.username == "danguy" and acknowledged.remarks
    # The assessment is written from the figures it goes with.
    figures = submitted.figures["figures"]
    assert figures["held"] == 1 and figures["meetings"] >= 3
    assert "Quán triệt Nghị quyết Đại hội XIV" in submitted.assessment
    if figures["tasks_overdue"]:
        assert f"{figures['tasks_overdue']} nhiệm vụ" in submitted.assessment
    assert submitted.figures == report_figures(submitted.cell, 2026, 3, date(2026, 10, 8)).to_dict()
    # The officer finds the report to acknowledge among his notices and on the dashboard.
    officer = User.objects.get(username="danguy")
    assert Notification.objects.filter(recipient=officer, url=reverse("reports:detail", args=[submitted.pk]))
    client.force_login(officer)
    with time_machine.travel(datetime(2026, 11, 26, 9, 0, tzinfo=HCM), tick=False):
        page = client.get(reverse("reports:dashboard", args=[submitted.cell.parent_id]) + "?nam=2026&quy=3")
    assert page.status_code == 200
    assert reverse("reports:detail", args=[submitted.pk]) in page.content.decode()


def test_in_the_first_quarter_there_is_only_the_report_so_far(settings):
    _load(settings, date(2027, 2, 10))

    [report] = Report.objects.all()
    assert (report.year, report.quarter, report.status) == (2027, 1, "submitted")
    assert report.document.issued_on == date(2027, 2, 10)
