"""Fixtures for the search tests: one searchable thing of each kind in world.cell, and a topic in the
Đảng bộ's catalogue.

* ``catalogue_topic``: "Văn hóa Hồ Chí Minh về học tập, lao động và làm việc" in world.party's catalogue;
* ``proposed_topic``: "Đảng viên với chuyển đổi số", proposed by world.cell;
* ``distributed`` (drafts.tests.conftest): the approved draft "Văn hóa Hồ Chí Minh về học tập";
* ``issued``: the thematic meeting of another session, its resolution issued (tests.scenarios);
* ``evaluated``: that session evaluated, with its lessons learned.
"""

from typing import Any

import pytest

from drafts.tests.conftest import distributed, presenter, session  # noqa: F401 (fixtures)
from planning import services as planning
from planning.models import Topic
from search import selectors
from tests import scenarios

LESSONS = "Chuẩn bị tư liệu thực tiễn của Khoa từ sớm.\nMời đại diện Đảng ủy dự và góp ý."


@pytest.fixture
def catalogue_topic(world: Any) -> Topic:
    group = planning.ensure_topic_groups(world.party)[0]
    return planning.create_topic(
        actor=None,
        organization=world.party,
        group=group,
        title="Văn hóa Hồ Chí Minh về học tập, lao động và làm việc",
        description="Áp dụng cho giảng viên, đảng viên và học viên của Trường.",
    )


@pytest.fixture
def proposed_topic(world: Any) -> Topic:
    group = planning.ensure_topic_groups(world.party)[1]
    return planning.create_topic(
        actor=None,
        organization=world.cell,
        group=group,
        title="Đảng viên với chuyển đổi số",
        description="Ứng dụng công nghệ trong sinh hoạt chi bộ.",
    )


@pytest.fixture
def issued(world: Any) -> Any:
    """The meeting whose resolution is issued: results "Chi bộ thống nhất nội dung chuyên đề.", one
    task "Xây dựng giờ giảng mẫu" for world.member."""
    return scenarios.thematic_meeting(world, "resolution-issued")


@pytest.fixture
def evaluated(world: Any, issued: Any) -> Any:
    from evaluations import services as evaluations

    return evaluations.evaluate_session(
        actor=world.secretary,
        session=issued.session,
        presenter_strengths="Chuẩn bị công phu",
        presenter_weaknesses="",
        presenter_rating="good",
        result="Đạt yêu cầu",
        lessons=LESSONS,
    )


def found(user: Any, text: str) -> list[tuple[str, str]]:
    """(kind, title) of what ``user`` finds for ``text``, best first."""
    return [(e.kind, e.title) for e in selectors.search(user, selectors.parse_query(text))]


def kinds_found(user: Any, text: str) -> set[str]:
    return {kind for kind, _title in found(user, text)}
