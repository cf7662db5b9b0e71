import io
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document

from organizations.models import Member
from planning import services as planning

TEXT = """# I. Nội dung chuyên đề

Văn hóa Hồ Chí Minh về học tập là tấm gương sáng cho mỗi giảng viên, đảng viên.

Học tập suốt đời, học ở mọi nơi, học mọi người.

- Tự học, tự nghiên cứu
- Gắn học với hành

Liên hệ với nhiệm vụ giảng dạy của Khoa Xây dựng Đảng."""


def docx_bytes(*paragraphs: str) -> bytes:
    document = Document()
    document.add_heading("Văn hóa Hồ Chí Minh về học tập", level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def presenter(world):
    """world.member (Lê Văn Đức) presents the session."""
    return world.member


@pytest.fixture
def session(world):
    day = timezone.localdate() + timedelta(days=14)
    plan = planning.create_plan(actor=world.secretary, cell=world.cell, year=day.year)
    session = planning.add_session(
        actor=world.secretary,
        plan=plan,
        quarter=(day.month - 1) // 3 + 1,
        title="Văn hóa Hồ Chí Minh về học tập",
        planned_date=day,
    )
    planning.assign_presenters(
        actor=world.secretary, session=session, members=[Member.objects.get(user=world.member)]
    )
    session.refresh_from_db()
    return session


@pytest.fixture
def distributed(world, session):
    """A session whose draft (written in the editor) was approved and sent to the members."""
    from drafts import services

    services.add_version(actor=world.member, session=session, text=TEXT)
    services.submit_draft(actor=world.member, session=session)
    services.approve_draft(actor=world.secretary, session=session)
    session.refresh_from_db()
    return session
