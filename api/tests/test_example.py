"""The Python example of docs/api.md (docs/examples/api_example.py) run as printed, against a live
server, with a token of the presenter: it lists this quarter's sessions, uploads the draft and reads
the comments. If an operation it uses changes shape, this fails and the documentation is fixed."""

import importlib.util
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from accounts import services as accounts
from drafts import services as drafts
from drafts.models import DraftVersion
from planning import services as planning
from tests.scenarios import draft_docx, record

EXAMPLE = Path(settings.BASE_DIR) / "docs" / "examples" / "api_example.py"


def load_example() -> Any:
    spec = importlib.util.spec_from_file_location("api_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_documented_example_runs(transactional_db, live_server, world, tmp_path, monkeypatch, capsys):
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    plan = planning.create_plan(actor=None, cell=world.cell, year=today.year)
    session = planning.add_session(
        actor=None,
        plan=plan,
        quarter=quarter,
        title="Chuyển đổi số trong công tác Đảng",
        planned_date=date(today.year, quarter * 3, 28),
    )
    planning.assign_presenters(actor=None, session=session, members=[record(world.member)])
    drafts.add_version(actor=None, session=session, text="Bản đầu tiên.")
    _token, secret = accounts.create_token(actor=world.member, name="ví dụ", days=30, scope="write")
    draft = tmp_path / "du-thao.docx"
    draft.write_bytes(draft_docx())

    monkeypatch.setenv("CHUYENDE_URL", live_server.url)
    monkeypatch.setenv("CHUYENDE_TOKEN", secret)
    load_example().main(world.cell.pk, str(draft))

    printed = capsys.readouterr().out
    assert "Xin chào" in printed
    assert f"Quý {quarter}/{today.year}: 1 buổi sinh hoạt chuyên đề" in printed
    assert f"#{session.pk} Chuyển đổi số trong công tác Đảng" in printed
    assert "Đã tải lên phiên bản 2" in printed
    assert "0 góp ý" in printed
    assert DraftVersion.objects.filter(session=session).count() == 2


def test_the_documentation_prints_the_example_as_it_is():
    documentation = (Path(settings.BASE_DIR) / "docs" / "api.md").read_text()
    block = documentation.split("## An example in Python", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    assert block == EXAMPLE.read_text()
