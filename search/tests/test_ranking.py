"""Which entries a query finds, and in which order: the same on SQLite and PostgreSQL.

The entries are written straight into the index (it is a read model: what matters here is matching and
ranking, not how rows get there, which test_index.py checks). The expected lists below are written by
hand; the suite runs on both databases, so passing on both is the "same results" check.
"""

from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone

from drafts import services as drafts
from search.models import SearchEntry
from search.services import folded
from search.tests.conftest import found

pytestmark = pytest.mark.django_db

Kind = SearchEntry.Kind
_ids = count(1)


def add(organization, title: str, text: str = "", *, days_ago: int = 0) -> SearchEntry:
    return SearchEntry.objects.create(
        kind=Kind.TOPIC,
        object_id=next(_ids),
        organization=organization,
        audience=SearchEntry.Audience.ORGANISATION,
        title=title,
        text=text,
        url="/",
        dated=timezone.now() - timedelta(days=days_ago),
        folded_title=folded(title),
        folded=folded(f"{title}\n{text}"),
    )


@pytest.fixture
def library(world):
    """Five entries of world.party's catalogue (every member of its cells finds them), newest last."""
    add(world.party, "Văn hóa Hồ Chí Minh", "Học tập và làm theo tư tưởng, đạo đức, phong cách.", days_ago=50)
    add(world.party, "Nghị quyết về công tác đảng viên", "Đảng viên dự bị phấn đấu.", days_ago=40)
    add(world.party, "Vấn đề hoạt động", "Văn bản hướng dẫn hoạt động.", days_ago=30)
    add(world.party, "Đổi mới phương thức lãnh đạo", "Đội ngũ cán bộ.", days_ago=20)
    add(world.party, "Học tập suốt đời", "Xây dựng xã hội học tập.", days_ago=10)


QUERIES = [
    # Diacritics and capitals do not matter; whole words rank above shared prefixes, the date comes last.
    ("VĂN HÓA", ["Văn hóa Hồ Chí Minh", "Vấn đề hoạt động"]),
    ("van hoa", ["Văn hóa Hồ Chí Minh", "Vấn đề hoạt động"]),
    # đ folds to d, typed either way.
    ("Đảng viên", ["Nghị quyết về công tác đảng viên"]),
    ("dang vien", ["Nghị quyết về công tác đảng viên"]),
    # Words typed halfway.
    ("nghi quy", ["Nghị quyết về công tác đảng viên"]),
    ("doi", ["Học tập suốt đời", "Đổi mới phương thức lãnh đạo"]),  # both titles, the newer first
    # Two words: the title holding both first, then the one holding them in its text.
    ("hoc tap", ["Học tập suốt đời", "Văn hóa Hồ Chí Minh"]),
    ("doi moi", ["Đổi mới phương thức lãnh đạo"]),
    # No match: an unknown word, every word needed, nothing inside words.
    ("xyz", []),
    ("hoc tap xyz", []),
    ("an oa", []),
]


@pytest.mark.parametrize(("text", "titles"), QUERIES, ids=[q[0] for q in QUERIES])
def test_the_same_results_in_the_same_order_on_every_database(world, library, text, titles):
    assert [title for _kind, title in found(world.member, text)] == titles


def test_ranking_title_words_then_whole_words_then_the_newest(world):
    # Written newest first, so that the date alone would give the reverse order.
    add(world.party, "Chi bộ D", "vấn đề hoạt động", days_ago=1)  # title 0, whole words 1 ("van")
    add(world.party, "Chi bộ C", "văn hóa", days_ago=2)  # title 0, whole words 2
    add(world.party, "Chi bộ B", "vạn hoa", days_ago=3)  # the same, older
    add(world.party, "Văn kiện", "văn hóa đọc", days_ago=4)  # title 1 ("van"), whole words 2
    add(world.party, "Văn kiện hoạt động", days_ago=5)  # title 2 (both begin a word), whole words 1
    add(world.party, "Văn hóa cơ sở", days_ago=6)  # title 2, whole words 2
    assert [title for _kind, title in found(world.member, "van hoa")] == [
        "Văn hóa cơ sở",
        "Văn kiện hoạt động",
        "Văn kiện",
        "Chi bộ C",
        "Chi bộ B",
        "Chi bộ D",
    ]


def test_a_draft_with_three_versions_one_approved_is_one_hit_with_the_approved_text(world, session):
    texts = ("Dàn ý sơ bộ về tự học.", "Bản thảo thứ hai về tự học.", "Bản gửi duyệt về tự học suốt đời.")
    for text in texts:
        last = drafts.add_version(actor=world.member, session=session, text=text)
    drafts.submit_draft(actor=world.member, session=session)
    drafts.approve_draft(actor=world.secretary, session=session)

    hits = list(SearchEntry.objects.filter(kind=Kind.DRAFT))
    assert [(hit.object_id, hit.text) for hit in hits] == [(last.pk, "Bản gửi duyệt về tự học suốt đời.")]
    assert found(world.probationary, "tu hoc") == [(Kind.DRAFT, f"{session.title} · v3")]
    # The versions nobody approved stay between the presenter and the approvers.
    assert found(world.probationary, "dan y so bo") == []
    assert found(world.probationary, "ban thao thu hai") == []
