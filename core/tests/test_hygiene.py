"""Text is stored in one form (issue 13 item 5): NFC everywhere, no control characters, single-line
fields on one line; and the calendar writers never fail on a title stored before that rule."""

import unicodedata

from django.urls import reverse

from core.hygiene import multi_line, single_line
from drafts import services as drafts
from planning import services as planning
from planning.models import Session
from tests import scenarios

NFD = unicodedata.normalize("NFD", "Đồng ý với đoạn này, đề nghị bổ sung số liệu năm 2025.")


def test_a_comment_typed_in_decomposed_unicode_is_stored_precomposed(world):
    session = scenarios.session_at(world, "distributed")
    comment = drafts.add_comment(actor=world.probationary, session=session, body=NFD + "\r\nDòng hai\x00.")
    comment.refresh_from_db()
    assert comment.body == unicodedata.normalize("NFC", NFD) + "\nDòng hai."
    assert unicodedata.is_normalized("NFC", comment.body)


def test_a_title_with_a_line_break_or_control_characters_is_stored_on_one_line(world):
    plan = scenarios.plan(world)
    session = planning.add_session(
        actor=world.secretary, plan=plan, quarter=2, title="Văn hóa\nHồ Chí Minh\t\x07", planned_date=None
    )
    session.refresh_from_db()
    assert session.title == "Văn hóa Hồ Chí Minh"


def test_the_session_calendar_file_survives_a_title_stored_with_a_line_break(client, world):
    session = scenarios.plan(world).sessions.get()
    Session.objects.filter(pk=session.pk).update(title="Văn hóa\nHồ Chí Minh")  # as stored before the rule
    client.force_login(world.member)
    response = client.get(reverse("notifications:session_ics", args=[session.pk]))
    assert response.status_code == 200
    ics = response.content.decode()
    assert "X-WR-CALNAME:Văn hóa Hồ Chí Minh" in ics
    assert "Văn hóa\\nHồ Chí Minh" in ics  # the event's summary, escaped as iCalendar says


def test_the_helpers():
    assert single_line(" a\u2028b\r\nc ") == "a b  c"
    assert multi_line("a\r\nb\rc\x1bd\te") == "a\nb\ncd\te"
