"""Apps talk through public functions (STYLE.md "The seams between apps"): no module imports a name
with a leading underscore from another app, nor reaches one through an imported module
(``services._past_deadline``). A helper a second app needs is its owner's public API, tests
included: a test helper shared across apps is public too.

Read from the source with ``ast``, so nothing is imported and a violation anywhere fails here.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
# Our code: the apps of this repository, the project package and the cross-app tests.
OURS = frozenset(
    {app for app in settings.INSTALLED_APPS if (ROOT / app.replace(".", "/")).is_dir()}
    | {"chuyende", "tests"}
)
# Shared test builders live in tests/scenarios.py under public names; nothing is exempt.
IGNORED_SOURCES: frozenset[str] = frozenset()


def _owner(module: str) -> str:
    return module.split(".")[0]


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _foreign(source: str, importer: str) -> bool:
    """Is ``source`` a module of another of our apps than the importer's (and not an ignored one)?"""
    owner = _owner(source)
    return owner in OURS and owner != _owner(importer) and source not in IGNORED_SOURCES


def private_uses(code: str, module: str) -> list[str]:
    """The private names of other apps that ``code`` (the text of ``module``) imports or reaches
    through an imported module, as "line: what" strings."""
    tree = ast.parse(code)
    found: list[str] = []
    modules: dict[str, str] = {}  # local name -> the module of ours it is bound to
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    modules[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    modules[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                target = f"{node.module}.{alias.name}"
                if _is_module(target):
                    modules[alias.asname or alias.name] = target
                elif _is_private(alias.name) and _foreign(node.module, module):
                    found.append(f"{node.lineno}: from {node.module} import {alias.name}")

    def resolve(node: ast.expr) -> str | None:
        """The dotted module an expression names (``services``, ``drafts.services``), if any."""
        if isinstance(node, ast.Name):
            return modules.get(node.id)
        if isinstance(node, ast.Attribute):
            base = resolve(node.value)
            if base is not None and _is_module(f"{base}.{node.attr}"):
                return f"{base}.{node.attr}"
        return None

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_private(node.attr):
            source = resolve(node.value)
            if source is not None and _foreign(source, module):
                found.append(f"{node.lineno}: {source}.{node.attr}")
    return found


def _our_modules() -> list[tuple[Path, str]]:
    files = [path for owner in sorted(OURS) for path in sorted((ROOT / owner).rglob("*.py"))]
    files.append(ROOT / "conftest.py")
    return [(path, ".".join(path.relative_to(ROOT).with_suffix("").parts)) for path in files]


def test_no_app_uses_another_apps_private_names():
    modules = _our_modules()
    assert len(modules) > 100  # the apps were found
    found = [
        f"{path.relative_to(ROOT)}:{use}"
        for path, module in modules
        for use in private_uses(path.read_text(encoding="utf-8"), module)
    ]
    assert not found, "Private names used across apps (make them public in their owner):\n" + "\n".join(found)


@pytest.mark.parametrize(
    "code",
    [
        "from drafts.services import _notify_later",
        "from drafts.services import _notify_later as notify",
        "from drafts import services\nservices._past_deadline(session)",
        "import drafts.services as drafts\ndrafts._past_deadline(session)",
        "import drafts.services\ndrafts.services._past_deadline(session)",
        "def f():\n    from drafts.demo import _comment",
    ],
)
def test_a_private_name_of_another_app_is_caught(code):
    assert private_uses(code, "meetings.demo")


@pytest.mark.parametrize(
    "code",
    [
        "from drafts.services import _notify_later",  # the owner's own name
        "from meetings.models import Attendance\nAttendance._meta",  # a class's attribute, not a module's
        "from drafts import services\nservices.__name__",
        "from django.db.models import _something",  # not ours
    ],
)
def test_what_is_not_a_private_name_of_another_app(code):
    assert private_uses(code, "drafts.views") == []
