"""Who finds what: each persona of the world, each kind of entry, filtered in the query itself."""

import pytest
from django.contrib.auth.models import AnonymousUser

from drafts import services as drafts
from planning import services as planning
from search import selectors
from search.models import SearchEntry
from search.permissions import visible_entries
from search.tests.conftest import found, kinds_found
from tests import scenarios
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Kind = SearchEntry.Kind
CELL_AND_ABOVE = {"secretary", "deputy", "member", "probationary", "officer", "admin"}
PARTY = CELL_AND_ABOVE | {"other_member"}
EVERYONE = PARTY | {"foreign_officer"}

# (what is searched, the kind expected, who finds it)
CASES = [
    ("van hoa ho chi minh ve hoc tap lao dong", Kind.TOPIC, PARTY),
    ("chuyen doi so", Kind.TOPIC, CELL_AND_ABOVE),
    ("Y TẾ CƠ SỞ", Kind.TOPIC, {"foreign_officer", "admin"}),
    ("ban hoan chinh sau buoi sinh hoat", Kind.DRAFT, CELL_AND_ABOVE),
    ("gio giang mau", Kind.RESOLUTION, CELL_AND_ABOVE),
    ("tu lieu thuc tien", Kind.LESSON, CELL_AND_ABOVE),
]


@pytest.fixture
def everything(world, catalogue_topic, proposed_topic, evaluated):
    group = planning.ensure_topic_groups(world.other_party)[0]
    planning.create_topic(actor=None, organization=world.other_party, group=group, title="Y tế cơ sở")


@pytest.mark.parametrize(("words", "kind", "finders"), CASES, ids=[c[0] for c in CASES])
def test_each_persona_finds_only_what_they_may_see(world, everything, words, kind, finders):
    finding = {persona for persona in EVERYONE if kind in kinds_found(world.persona(persona), words)}
    assert finding == finders


def test_another_cell_and_another_party_find_nothing_of_the_cells_work(world, everything):
    for persona in ("other_member", "foreign_officer"):
        kinds = {kind for kind, _ in found(world.persona(persona), "chi bo")}
        assert not kinds & {Kind.DRAFT, Kind.RESOLUTION, Kind.LESSON}, persona


def test_unapproved_versions_are_found_by_nobody(world, session):
    drafts.add_version(actor=world.member, session=session, text="Bản nháp chưa duyệt về học tập suốt đời.")
    drafts.submit_draft(actor=world.member, session=session)
    for persona in ("member", "probationary", "secretary", "officer"):
        assert found(world.persona(persona), "ban nhap chua duyet") == [], persona


def test_an_unissued_resolution_is_found_by_nobody(world):
    scenarios.thematic_meeting(world, "resolution-draft")
    for persona in ("secretary", "member", "officer", "admin"):
        assert Kind.RESOLUTION not in kinds_found(world.persona(persona), "gio giang mau"), persona


def test_an_account_of_nobody_and_an_anonymous_visitor_find_nothing(world, everything):
    assert found(UserFactory(username="khach"), "van hoa") == []
    assert not visible_entries(AnonymousUser()).exists()
    assert selectors.search(world.admin, selectors.parse_query("")).count() == 0


def test_titles_holding_every_word_come_first(world, everything):
    # The catalogue topic holds the words in its title; the approved draft, newer, only in its text.
    results = found(world.member, "hoc tap lao dong")
    assert results[0] == (Kind.TOPIC, "Văn hóa Hồ Chí Minh về học tập, lao động và làm việc")
    kinds = [kind for kind, _ in results]
    assert Kind.DRAFT in kinds


def test_query_words_match_the_beginning_of_words(world, catalogue_topic):
    assert found(world.member, "VĂN HÓA") == found(world.member, "van hoa") != []
    assert found(world.member, "đảng viên") == found(world.member, "dang vien") != []
    assert found(world.member, "van ho chi mi")  # typed halfway
    assert found(world.member, "an oa") == []  # inside "văn", "hóa": noise in Vietnamese
    assert found(world.member, "van hoa ho chi minh xyz") == []  # every word is needed
