"""The demo's channel choices (notifications/demo.py): varied, and a meeting notice to the article's cell
still e-mails at least three people at once at any hour (the production smoke test counts on it)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import User
from notifications import services
from notifications.demo import add_channels
from notifications.kinds import Kind
from notifications.models import ChannelChoice, DeliveryPreference, OutboundEmail
from organizations.demo import ARTICLE_CELL, load_demo
from organizations.models import Member

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _choice(username: str, kind: str = Kind.MEETING) -> tuple[bool, bool, bool] | None:
    row = ChannelChoice.objects.filter(user__username=username, kind=kind).first()
    return (row.email, row.zalo, row.push) if row else None


@pytest.mark.parametrize("hour", [10, 23])  # by day, and inside duby's quiet hours
def test_the_demos_members_choose_differently_and_a_meeting_notice_emails_three_at_once(hour):
    assert load_demo(add_channels)
    assert _choice("bithu") == (True, True, False)  # Zalo and e-mail
    assert _choice("dangvien") == (True, False, True)  # push and e-mail
    assert _choice("phobithu") is None  # the cell's default
    duby = DeliveryPreference.objects.get(user__username="duby")
    assert (duby.quiet_from.hour, duby.quiet_until.hour) == (21, 6)
    assert DeliveryPreference.objects.get(user__username="danguy").digest

    members = Member.objects.filter(memberships__organization__name=ARTICLE_CELL)
    with time_machine.travel(datetime(2026, 12, 7, hour, 0, tzinfo=HANOI), tick=False):
        services.notify_members(
            members=members, title="Thông báo họp chi bộ", body="", url="/", kind=Kind.MEETING
        )
        now_due = OutboundEmail.objects.filter(next_attempt_at__lte=datetime.now(HANOI))
        recipients = set(now_due.values_list("to", flat=True))
    expected = {User.objects.get(username=name).email for name in ("bithu", "phobithu", "dangvien")}
    assert expected <= recipients
    assert (User.objects.get(username="duby").email in recipients) is (hour == 10)
