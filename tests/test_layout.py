"""The package's layout keeps the data flow visible: no import runs against the layering
(docs/architecture.md), no module grows past the size a reader takes in at once, and the
architecture page names only things that exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "pathway"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"

# Floors, ground floor first: a module may import from its own floor and the floors below it.
FLOORS = [
    {"errors", "values", "text"},
    {"io"},
    {"contract"},
    {"rulebase"},
    {"product"},
    {"facts"},
    {"evaluate"},
    {"assessment"},
    {"analysis", "authoring"},
    {"render"},
    {"batch"},
    {"web"},
    {"cli"},
]
FLOOR = {name: i for i, names in enumerate(FLOORS) for name in names}
MAX_LINES = 420


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py"))


def _room(path: Path) -> str:
    """The top-level module or subpackage of ``pathway`` a file belongs to."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _imported_rooms(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]
    if path.name == "__init__.py":
        package = path.relative_to(PACKAGE.parent).parts[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = [*base, *(node.module.split(".") if node.module else [])]
            else:
                target = (node.module or "").split(".")
            names = [target] if node.module else [[*target, a.name] for a in node.names]
            for full in names:
                if full[:1] == ["pathway"] and len(full) > 1:
                    found.add(full[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "pathway" and len(parts) > 1:
                    found.add(parts[1])
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_import_runs_against_the_layering(path: Path) -> None:
    room = _room(path)
    if room == "__init__" or room == "__main__":
        return  # the public API imports what it exports
    assert room in FLOOR, f"{room} has no floor in the layering: add it to FLOORS and the docs"
    above = {r for r in _imported_rooms(path) if r in FLOOR and FLOOR[r] > FLOOR[room]}
    assert not above, f"{path.relative_to(PACKAGE)} ({room}) imports from a floor above: {above}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_too_long(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines"


def test_architecture_page_names_only_modules_that_exist() -> None:
    text = DOCS.read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:[a-z_]+/)*[a-z_]+\.py)`", text)) - {"tests/test_layout.py"}
    assert named, "the architecture page names the modules it describes"
    existing = {p.relative_to(PACKAGE).as_posix() for p in _modules()}
    missing = {n for n in named if not any(e == n or e.endswith("/" + n) for e in existing)}
    assert not missing, f"docs/architecture.md names modules that do not exist: {missing}"


def _resolve(dotted: str) -> object:
    """The object a dotted name names: the longest importable module, then attributes."""
    import importlib

    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


def test_architecture_page_names_only_functions_that_exist() -> None:
    text = DOCS.read_text(encoding="utf-8")
    names = set(re.findall(r"`(pathway(?:\.[A-Za-z_][A-Za-z0-9_]*)+)`", text))
    assert len(names) > 20, "the flow of one assessment is named function by function"
    missing = []
    for name in sorted(names):
        try:
            _resolve(name)
        except (ImportError, AttributeError):
            missing.append(name)
    assert not missing, f"docs/architecture.md names what does not exist: {missing}"
