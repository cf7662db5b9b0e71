"""The planning pages as people see them, and their query counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planning import services
from planning.seed import TOPIC_GROUPS
from planning.tests.conftest import full_year
from tests.factories import CellFactory, member_in


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.new_year
def test_the_officer_sees_the_eight_topic_groups_to_edit_and_the_topics_asked_for(client, world, hcm_topic):
    services.set_orientation(
        actor=world.officer,
        party=world.party,
        year=date.today().year,
        plans_due=date.today(),
        topics=[hcm_topic],
    )
    client.force_login(world.officer)
    page = client.get(reverse("planning:topics")).content.decode()
    for name, _keywords in TOPIC_GROUPS:
        assert name in page
    assert page.count(reverse("planning:topic_group_edit", args=[hcm_topic.group_id])) == 1
    assert reverse("planning:catalogue_topic_add", args=[world.party.pk]) in page
    assert 'class="tag tag-position"' in page  # "asked for by the Party committee"


def test_a_member_sees_the_catalogue_without_edit_links(client, world, hcm_topic):
    client.force_login(world.member)
    page = client.get(reverse("planning:topics")).content.decode()
    assert hcm_topic.title in page
    assert "nhom-chuyen-de" not in page
    assert reverse("planning:topic_register", args=[hcm_topic.pk]) in page


def test_the_plan_page_shows_the_warnings_and_what_the_viewer_may_do(client, world, plan):
    services.add_session(actor=world.secretary, plan=plan, quarter=1, title="Chuyên đề quý 1")
    client.force_login(world.secretary)
    page = client.get(reverse("planning:plan", args=[plan.pk])).content.decode()
    assert page.count('data-warning="quarter_without_session"') == 3
    assert reverse("planning:plan_submit", args=[plan.pk]) in page
    client.force_login(world.member)
    page = client.get(reverse("planning:plan", args=[plan.pk])).content.decode()
    assert reverse("planning:plan_submit", args=[plan.pk]) not in page
    assert reverse("planning:session_add", args=[plan.pk]) not in page


def test_suggestions_are_shown_to_the_secretary_only(client, world, plan):
    session = services.add_session(actor=world.secretary, plan=plan, quarter=1, title="Văn hóa Hồ Chí Minh")
    client.force_login(world.secretary)
    assert 'id="suggestions"' in client.get(reverse("planning:session", args=[session.pk])).content.decode()
    client.force_login(world.member)
    assert (
        'id="suggestions"' not in client.get(reverse("planning:session", args=[session.pk])).content.decode()
    )


def test_the_plan_page_costs_the_same_queries_with_four_or_twenty_sessions(client, world, plan, members):
    full_year(plan, world.secretary)
    client.force_login(world.secretary)
    url = reverse("planning:plan", args=[plan.pk])
    few = queries(client, url)
    for month in range(1, 13):
        extra = member_in(world.cell)
        session = services.add_session(
            actor=world.secretary,
            plan=plan,
            quarter=(month - 1) // 3 + 1,
            title=f"Bổ sung {month}",
            month=month,
        )
        services.assign_presenters(actor=world.secretary, session=session, members=[extra, members["member"]])
    assert queries(client, url) == few


def test_the_oversight_page_costs_the_same_queries_with_two_or_twelve_cells(client, world, plan):
    full_year(plan, world.secretary)
    url = reverse("planning:oversight", args=[world.party.pk])
    client.force_login(world.officer)
    # Once first: the resolutions are counted through their issued documents, whose content type
    # Django looks up once per process (ContentType's cache), not once per page.
    client.get(url)
    few = queries(client, url)
    for n in range(10):
        cell = CellFactory(parent=world.party, name=f"Chi bộ thêm {n}")
        services.create_plan(actor=world.admin, cell=cell, year=plan.year)
    assert queries(client, url) == few


def test_the_returned_plan_shows_the_remarks_to_the_secretary(client, world, plan):
    full_year(plan, world.secretary)
    services.submit_plan(actor=world.secretary, plan=plan)
    services.return_plan(actor=world.officer, plan=plan, remarks="Bổ sung chuyên đề về chống lãng phí")
    client.force_login(world.secretary)
    page = client.get(reverse("planning:plan", args=[plan.pk])).content.decode()
    assert "Bổ sung chuyên đề về chống lãng phí" in page
    assert reverse("planning:plan_submit", args=[plan.pk]) in page


def primaries(html: str) -> list[str]:
    """The labels of the primary (red) buttons and links in the page's main part."""
    import re

    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return [
        re.sub(r"<[^>]+>", "", label).strip()
        for label in re.findall(r'class="btn"[^>]*>(.*?)</(?:a|button)>', main, flags=re.S)
    ]


def test_the_session_page_shows_its_step_compactly_and_one_primary_action(client, world, plan, members):
    session = services.add_session(
        actor=world.secretary, plan=plan, quarter=4, title="Văn hóa HCM", planned_date=date(2026, 12, 20)
    )
    url = reverse("planning:session", args=[session.pk])
    client.force_login(world.secretary)
    html = client.get(url).content.decode()
    assert "<strong>Bước 1/11</strong> · Trong kế hoạch" in html
    assert '<progress class="progress-bar" value="1" max="11"' in html
    # The eleven steps are there for whoever wants them, folded.
    assert html.count('class="step step-') == 11 and '<details class="cycle-all">' in html
    # One primary action: assigning the presenter, which is what comes next (its form's button is the
    # same step); the rest are secondary.
    assert primaries(html)[0] == "Phân công người chuẩn bị"
    assert set(primaries(html)) <= {"Phân công người chuẩn bị", "Phân công các đồng chí đã chọn"}
    client.force_login(world.member)
    assert "Đăng ký chuẩn bị" in client.get(url).content.decode()

    services.assign_presenters(actor=world.secretary, session=session, members=[members["member"]])
    html = client.get(url).content.decode()
    assert "<strong>Bước 2/11</strong> · Đã phân công người chuẩn bị" in html
    assert primaries(html) == ["Viết dự thảo và trình duyệt"]  # the presenter's next step, alone
    client.force_login(world.probationary)
    html = client.get(url).content.decode()
    assert "Đăng ký chuẩn bị" not in html  # someone is assigned: registering no longer applies
    assert primaries(html) == []
    client.force_login(world.secretary)
    html = client.get(url).content.decode()
    assert 'id="suggestions"' not in html  # suggestions helped choose; the folded form changes
    assert "Tự chọn người chuẩn bị" in html


def test_a_cancelled_session_shows_no_step(client, world, plan):
    session = services.add_session(actor=world.secretary, plan=plan, quarter=4, title="Huỷ")
    services.cancel_session(actor=world.secretary, session=session, reason="Sáp nhập chi bộ")
    client.force_login(world.secretary)
    html = client.get(reverse("planning:session", args=[session.pk])).content.decode()
    assert "Bước " not in html and "<progress" not in html
