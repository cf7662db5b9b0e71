"""The planning demo: what a newcomer finds in the plans (docs/domain.md §6 and the issue's demo list)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from organizations.demo import ARTICLE_CELL, SCHOOL
from organizations.models import Organization
from planning import selectors
from planning.models import AnnualPlan, Registration, Session

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def school(module_transaction: None) -> Organization:
    """Loaded once for the module's tests, which only read it."""
    out = StringIO()
    call_command("load_demo", stdout=out)  # as `make run` does: organisations and plans
    assert "Demo data loaded." in out.getvalue()
    return Organization.objects.get(name=SCHOOL, parent=None)


def test_the_article_cell_has_its_2023_and_2024_plans(school):
    cell = Organization.objects.get(name=ARTICLE_CELL)
    plan_2023 = AnnualPlan.objects.get(cell=cell, year=2023)
    plan_2024 = AnnualPlan.objects.get(cell=cell, year=2024)
    assert plan_2023.sessions.count() == 6  # "6 thematic/professional sessions in 2023"
    titles = list(plan_2024.sessions.values_list("title", flat=True))
    assert "Văn hóa Hồ Chí Minh về học tập, lao động và làm việc" in titles
    assert "Chi bộ lãnh đạo khoa thực hiện nhiệm vụ nghiên cứu khoa học và tổng kết thực tiễn" in titles
    assert "Chi bộ lãnh đạo Khoa nâng cao năng lực giảng dạy của giảng viên" in titles
    assert {plan_2023.status, plan_2024.status} == {AnnualPlan.Status.ACKNOWLEDGED}
    assert plan_2024.document.symbol.endswith("-KH/CB")
    assert "học viên Lào" in plan_2024.purpose


def test_this_years_plans_show_every_state_and_a_late_cell(school):
    year = timezone.localdate().year
    officer = User.objects.get(username="danguy")
    rows = {row.cell.name: row for row in selectors.oversight(school, year, officer)}
    statuses = {row.plan.status if row.plan else None for row in rows.values()}
    assert {
        AnnualPlan.Status.SUBMITTED,
        AnnualPlan.Status.RETURNED,
        AnnualPlan.Status.ACKNOWLEDGED,
        AnnualPlan.Status.DRAFT,  # the article cell's revision after acknowledgement
        None,  # the late cell
    } <= statuses
    late = [name for name, row in rows.items() if row.plan is None]
    assert late and all(rows[name].late for name in late)
    returned = AnnualPlan.objects.get(cell__parent=school, year=year, status=AnnualPlan.Status.RETURNED)
    assert "quý III" in returned.remarks
    revised = AnnualPlan.objects.get(cell__name=ARTICLE_CELL, year=year)
    assert (
        revised.revision == 2
        and selectors.revision_changes(revised, selectors.plan_sessions(revised))["added"]
    )


def test_the_demo_member_presents_an_upcoming_session_and_a_registration_awaits_the_secretary(client, school):
    client.force_login(User.objects.get(username="dangvien"))
    home = client.get(reverse("home:home")).content.decode()
    upcoming = Session.objects.get(
        presenters__user__username="dangvien", planned_date__gte=timezone.localdate()
    )
    assert upcoming.title in home
    assert Registration.objects.filter(
        status=Registration.Status.PENDING, member__user__username="duby"
    ).exists()
    client.force_login(User.objects.get(username="bithu"))
    assert "Trương Thị Ngọc Ánh" in client.get(reverse("home:home")).content.decode()


def test_the_oversight_page_reads_for_the_officer(client, school):
    client.force_login(User.objects.get(username="danguy"))
    page = client.get(reverse("planning:oversight", args=[school.pk])).content.decode()
    assert page.count('class="tag tag-late"') >= 1
    assert ARTICLE_CELL in page


def test_the_oversight_page_counts_the_resolutions_of_each_cell(client, school):
    """meetings adds them through planning.hooks: per row, and the latest ones listed."""
    from meetings.models import Resolution

    year = timezone.localdate().year
    issued = Resolution.objects.filter(
        meeting__cell__path__startswith=school.path, issued_at__isnull=False, document__issued_on__year=year
    )
    article = issued.filter(meeting__cell__name=ARTICLE_CELL).count()
    assert article >= 1
    client.force_login(User.objects.get(username="danguy"))
    response = client.get(reverse("planning:oversight", args=[school.pk]))
    rows = {row.org.name: row for row in response.context["rows"]}
    assert rows[ARTICLE_CELL].resolutions == article
    assert (
        sum(row.resolutions for row in rows.values())
        == issued.count()
        == response.context["resolutions_total"]
    )
    assert len(response.context["resolutions"]) == min(issued.count(), 10)
