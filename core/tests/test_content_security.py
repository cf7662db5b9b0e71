"""A strict Content-Security-Policy on every page, and templates that need nothing looser (issue 13
item 7): no inline script, no event-handler attribute, no style attribute in any page template (the
PDF frame, rendered by WeasyPrint and never sent to a browser, is the exception)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PDF_ONLY = {"documents/templates/documents/frame.html"}


def templates() -> list[Path]:
    found = [p for p in ROOT.glob("*/templates/**/*.html") if ".venv" not in p.parts]
    found += list((ROOT / "templates").glob("**/*.html"))
    return [p for p in found if p.relative_to(ROOT).as_posix() not in PDF_ONLY]


def test_the_templates_are_searched():
    names = {p.relative_to(ROOT).as_posix() for p in templates()}
    assert "templates/base.html" in names and "drafts/templates/drafts/read.html" in names


@pytest.mark.parametrize("path", templates(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_template_needs_an_unsafe_inline_policy(path):
    html = path.read_text()
    inline_scripts = [m for m in re.findall(r"<script\b[^>]*>", html) if "src=" not in m]
    handlers = re.findall(r"\son[a-z]+\s*=\s*[\"']", html)
    styles = re.findall(r"<[a-zA-Z][^>]*\sstyle\s*=", html)
    assert not inline_scripts and not handlers and not styles, (inline_scripts, handlers, styles)
    assert "javascript:" not in html


def test_every_page_sends_the_policy_and_permissions_policy(client, world):
    client.force_login(world.secretary)
    for url in (reverse("home:home"), reverse("notifications:list"), reverse("accounts:login")):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'"):
            assert directive in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert "camera=()" in response["Permissions-Policy"]
    client.logout()
    assert "script-src 'self'" in client.get(reverse("accounts:login"))["Content-Security-Policy"]
