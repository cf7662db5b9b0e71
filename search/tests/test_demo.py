"""The demo, as `make run` will load it with the search step last, is searchable at once."""

import pytest

from accounts.models import User
from drafts.demo import add_drafts
from drafts.models import DraftVersion
from meetings.demo import add_meetings
from organizations.demo import load_demo
from planning.demo import add_plans
from search.demo import add_search
from search.models import SearchEntry
from search.tests.conftest import found, kinds_found

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(module_transaction: None) -> None:
    """Loaded once for the module's tests, which only read it."""
    assert load_demo(add_plans, add_drafts, add_meetings, add_search)


def test_the_article_topic_is_found_without_accents(demo):
    member = User.objects.get(username="dangvien")
    results = found(member, "van hoa ho chi minh")
    assert (SearchEntry.Kind.TOPIC, "Văn hóa Hồ Chí Minh về học tập, lao động và làm việc") in results
    # The issued resolutions' task "Tổ chức giờ giảng mẫu…", for the cell and for the Đảng ủy.
    assert SearchEntry.Kind.RESOLUTION in kinds_found(member, "GIỜ giang mau")
    assert SearchEntry.Kind.RESOLUTION in kinds_found(User.objects.get(username="danguy"), "gio giang mau")


def test_the_index_matches_the_demo_as_backdated(demo):
    approved = DraftVersion.objects.exclude(approved_at=None)
    assert approved.exists()
    dated = dict(SearchEntry.objects.filter(kind=SearchEntry.Kind.DRAFT).values_list("object_id", "dated"))
    newest = {}  # one row per session: its newest approved version
    for version in approved.order_by("session_id", "number"):
        newest[version.session_id] = version
    assert dated == {v.pk: v.approved_at for v in newest.values()}
