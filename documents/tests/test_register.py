"""The register of issued documents (sổ đăng ký văn bản đi): what it lists, how it is searched and
exported, and that its page costs the same number of queries for any number of documents."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from documents import files, services
from documents.frame import frame_for, paragraph
from documents.models import DocumentType

# Their files are made as a site makes them: once the issue commits (conftest.py).
pytestmark = pytest.mark.freezes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def issue(world, doc_type, summary, on, organization=None):
    organization = organization or world.cell
    frame = frame_for(
        organization,
        doc_type=doc_type,
        summary=summary,
        body=[paragraph("Nội dung.")],
        recipients=["Đảng ủy Trường (b/c)", "Đảng viên trong chi bộ"],
        on=on,
    )
    return services.issue_document(
        actor=None, organization=organization, doc_type=doc_type, frame=frame, issued_on=on
    )


@pytest.fixture
def register(world):
    """Three documents of world.cell over two years, the resolution frozen, and one of another cell."""
    from tests.factories import TermFactory

    plan = issue(world, DocumentType.PLAN, "Sinh hoạt chuyên đề năm 2025", date(2025, 9, 10))
    notice = issue(world, DocumentType.NOTICE, "về họp chi bộ tháng 3", date(2026, 3, 1))
    resolution = issue(world, DocumentType.RESOLUTION, "về học tập và làm theo Bác", date(2026, 3, 6))
    files.freeze(resolution, "pdf")
    TermFactory(organization=world.other_cell)
    issue(world, DocumentType.NOTICE, "của chi bộ khác", date(2026, 3, 2), organization=world.other_cell)
    return {"plan": plan, "notice": notice, "resolution": resolution}


def url(world, **query):
    base = reverse("documents:register", args=[world.cell.pk])
    return base, query


def page_of(client, world, **query):
    base, query = url(world, **query)
    answer = client.get(base, query)
    assert answer.status_code == 200
    return answer.content.decode()


def test_the_register_lists_number_date_type_summary_signer_recipients_and_hash(client, world, register):
    client.force_login(world.secretary)
    html = page_of(client, world)
    resolution = register["resolution"]
    pdf = resolution.files.get(format="pdf")
    for text in (
        "01-NQ/CB",
        "06/03/2026",
        "Nghị quyết",
        "về học tập và làm theo Bác",
        "BÍ THƯ Nguyễn Văn Bình",
        "- Đảng ủy Trường (b/c),",
        "- Lưu Chi bộ.",
        pdf.sha256,
        resolution.code,
    ):
        assert text in html, text
    assert "chưa lưu bản cố định" in html  # the notice and the plan are not frozen yet
    assert "của chi bộ khác" not in html
    # Newest first.
    assert html.index("01-NQ/CB") < html.index("01-TB/CB") < html.index("01-KH/CB")


def test_the_register_is_searched_by_symbol_or_summary_type_and_year(client, world, register):
    client.force_login(world.officer)
    html = page_of(client, world, q="họp chi bộ")
    assert "01-TB/CB" in html and "01-NQ/CB" not in html
    html = page_of(client, world, q="nq/cb")
    assert "01-NQ/CB" in html and "01-TB/CB" not in html
    html = page_of(client, world, loai="KH")
    assert "01-KH/CB" in html and "01-TB/CB" not in html
    html = page_of(client, world, nam="2025")
    assert "01-KH/CB" in html and "01-NQ/CB" not in html
    html = page_of(client, world, nam="1999")  # refused by the form: the whole register
    assert "01-KH/CB" in html and "01-NQ/CB" in html


def test_the_register_downloads_as_xlsx_as_searched(client, world, register):
    client.force_login(world.secretary)
    base = reverse("documents:register_xlsx", args=[world.cell.pk])
    answer = client.get(base, {"nam": "2026"})
    assert answer.status_code == 200
    assert answer["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert "Chi bộ Khoa Xây dựng Đảng" in rows[0][0]
    body = rows[3:]
    assert [row[1] for row in body] == ["01-NQ/CB", "01-TB/CB"]
    resolution = body[0]
    assert resolution[2:6] == [
        "06/03/2026",
        "Nghị quyết",
        "về học tập và làm theo Bác",
        "BÍ THƯ Nguyễn Văn Bình",
    ]
    assert resolution[7] == register["resolution"].files.get(format="pdf").sha256
    assert body[1][7] == "chưa lưu bản cố định"


def test_the_page_makes_as_many_queries_for_many_documents_as_for_few(client, world, register):
    client.force_login(world.secretary)
    base, _ = url(world)
    with CaptureQueriesContext(connection) as few:
        assert client.get(base).status_code == 200
    for day in range(1, 13):
        document = issue(world, DocumentType.NOTICE, f"về họp ngày {day}", date(2026, 4, day))
        if day % 2:
            files.freeze(document, "pdf")
    with CaptureQueriesContext(connection) as many:
        html = client.get(base).content.decode()
    assert "về họp ngày 12" in html
    assert len(many) == len(few), [q["sql"] for q in many]


def test_the_organisation_page_links_the_register_for_its_leaders_only(client, world):
    link = reverse("documents:register", args=[world.cell.pk])
    client.force_login(world.secretary)
    assert link in client.get(reverse("organizations:detail", args=[world.cell.pk])).content.decode()
    client.force_login(world.member)
    assert link not in client.get(reverse("organizations:detail", args=[world.cell.pk])).content.decode()
    assert client.get(link).status_code == 403
