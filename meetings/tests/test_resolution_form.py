"""The resolution page's form: section II as a formset of task rows (owners as checkboxes), errors kept
beside the row they belong to, and who may read a resolution before it is issued."""

import re
from datetime import date

import pytest
from django.urls import reverse

from meetings.models import Resolution
from meetings.tests.helpers import hold, member_of, reload
from tests import scenarios


@pytest.fixture
def held(world, meeting):
    hold(world, meeting)
    return reload(meeting)


def _post(world, held, rows, **section):
    data = {
        "kind": "NQ",
        "results": section.get("results", "Chi bộ đã thảo luận sôi nổi."),
        "shortcomings": "",
        "implementation": "",
        "task-TOTAL_FORMS": str(len(rows)),
        "task-INITIAL_FORMS": "0",
    }
    for index, row in enumerate(rows):
        data[f"task-{index}-description"] = row.get("description", "")
        data[f"task-{index}-owners"] = row.get("owners", [])
        data[f"task-{index}-deadline"] = row.get("deadline", "")
    return data


def test_the_form_shows_a_checkbox_per_member_and_empty_rows(client, world, held):
    client.force_login(world.secretary)
    html = client.get(reverse("meetings:resolution", args=[held.pk])).content.decode()
    assert 'name="task-TOTAL_FORMS" value="1"' in html  # "+ Add a task" (or saving) brings more
    đức = member_of(world.member)
    assert f'type="checkbox" name="task-0-owners" value="{đức.pk}"' in html
    assert "Lê Văn Đức" in html


def test_saving_keeps_the_filled_rows_and_skips_the_empty_ones(client, world, held):
    client.force_login(world.secretary)
    đức, hoa = member_of(world.member), member_of(world.deputy)
    rows = [
        {"description": "Xây dựng giờ giảng mẫu", "owners": [đức.pk, hoa.pk], "deadline": "2027-03-31"},
        {},
        {"description": "Báo cáo kết quả", "owners": [hoa.pk], "deadline": "2027-06-30"},
    ]
    answer = client.post(reverse("meetings:resolution", args=[held.pk]), _post(world, held, rows))
    assert answer.status_code == 302
    resolution = Resolution.objects.get(meeting=held)
    tasks = list(resolution.tasks.order_by("id"))
    assert [t.description for t in tasks] == ["Xây dựng giờ giảng mẫu", "Báo cáo kết quả"]
    assert {o.pk for o in tasks[0].owners.all()} == {đức.pk, hoa.pk}
    assert tasks[1].deadline == date(2027, 6, 30)
    # Reopened, the saved rows come back checked, with an empty row after them.
    html = client.get(reverse("meetings:resolution", args=[held.pk])).content.decode()
    assert 'name="task-TOTAL_FORMS" value="3"' in html
    box = r'<input type="checkbox" name="task-0-owners" value="(\d+)"[^>]* checked>'
    checked = set(re.findall(box, html))
    assert checked == {str(đức.pk), str(hoa.pk)}


def test_a_bad_row_is_refused_beside_its_fields_and_keeps_what_was_typed(client, world, held):
    client.force_login(world.secretary)
    đức = member_of(world.member)
    outsider = member_of(world.other_member)
    rows = [
        {"description": "Việc tốt", "owners": [đức.pk], "deadline": "2027-03-31"},
        {"description": "Việc của người ngoài", "owners": [outsider.pk], "deadline": "không phải ngày"},
    ]
    answer = client.post(reverse("meetings:resolution", args=[held.pk]), _post(world, held, rows))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert not Resolution.objects.filter(meeting=held).exists()
    assert "Việc của người ngoài" in html and "Việc tốt" in html  # nothing typed is lost
    errors = html.split("Việc của người ngoài", 1)[1]
    assert errors.count('class="errorlist"') >= 2  # the owner and the deadline, beside the second row


def test_a_draft_resolution_is_the_secretaries_until_it_is_issued(client, world, held):
    client.force_login(world.secretary)
    đức = member_of(world.member)
    rows = [{"description": "Việc", "owners": [đức.pk], "deadline": "2027-03-31"}]
    client.post(reverse("meetings:resolution", args=[held.pk]), _post(world, held, rows))
    assert Resolution.objects.filter(meeting=held).exists()
    for persona, expected in (
        ("secretary", 200),
        ("deputy", 200),
        ("member", 404),
        ("probationary", 404),
        ("officer", 404),
    ):
        client.force_login(getattr(world, persona))
        assert client.get(reverse("meetings:resolution", args=[held.pk])).status_code == expected, persona


def test_saving_and_issuing_in_one_tap_waits_for_the_final_text(client, world, held):
    client.force_login(world.secretary)
    html = client.get(reverse("meetings:resolution", args=[held.pk])).content.decode()
    assert 'name="and_issue"' not in html  # the final text is not approved yet


def test_the_resolution_can_be_saved_and_issued_in_one_tap_once_the_final_text_is_approved(client, world):
    client.force_login(world.secretary)
    meeting = scenarios.thematic_meeting(world, "final-approved")
    url = reverse("meetings:resolution", args=[meeting.pk])
    html = client.get(url).content.decode()
    button = html.split('name="and_issue"', 1)[1].split("</button>", 1)[0]
    assert "data-confirm=" in button and "Lưu và ban hành nghị quyết" in button
    owner = member_of(world.member).pk
    rows = [{"description": "Xây dựng giờ giảng mẫu", "owners": [owner], "deadline": "2027-06-30"}]
    answer = client.post(url, {**_post(world, meeting, rows), "and_issue": "1"})
    assert answer.status_code == 302
    resolution = Resolution.objects.get(meeting=meeting)
    assert resolution.is_issued and resolution.document.symbol.endswith("-NQ/CB")
    assert resolution.tasks.get().description == "Xây dựng giờ giảng mẫu"


def test_the_resolution_form_sent_twice_keeps_one_set_of_tasks(client, world, held):
    """Saving replaces the tasks: a double tap (or a resend) stores them once."""
    client.force_login(world.secretary)
    rows = [
        {
            "description": "Xây dựng giờ giảng mẫu",
            "owners": [member_of(world.member).pk],
            "deadline": "2027-03-31",
        }
    ]
    url = reverse("meetings:resolution", args=[held.pk])
    for _ in range(2):
        assert client.post(url, _post(world, held, rows)).status_code == 302
    assert Resolution.objects.get(meeting=held).tasks.count() == 1
