"""The build backend's check (``_build/pathway_build.py``): a Python pathway cannot run on, or a
compiler that would stop durable-rules' build for want of ``CPPFLAGS``, is refused before
anything is compiled, with the reason and what to set."""

from __future__ import annotations

import importlib.util
import shutil
import sys
import types
from pathlib import Path
from typing import Any

import pytest

BACKEND = Path(__file__).resolve().parent.parent / "_build" / "pathway_build.py"
STRICT = "gcc -Werror=implicit-function-declaration -Werror=int-conversion"  # as GCC 14 is
NEEDS_GCC = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The backend module, loaded beside stand-ins for setuptools (a venv of 3.12 or later has
    none, and only the check is tested here)."""
    build_meta = types.ModuleType("setuptools.build_meta")
    setuptools = types.ModuleType("setuptools")
    setuptools.build_meta = build_meta  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "setuptools", setuptools)
    monkeypatch.setitem(sys.modules, "setuptools.build_meta", build_meta)
    spec = importlib.util.spec_from_file_location("pathway_build", BACKEND)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def on_python(backend: Any, monkeypatch: pytest.MonkeyPatch, version: tuple[int, ...]) -> None:
    monkeypatch.setattr(backend, "sys", types.SimpleNamespace(version_info=version))


@pytest.mark.parametrize("version", [(3, 10, 13), (3, 15, 0)])
def test_a_python_pathway_cannot_run_on_is_refused_with_the_reason(
    backend: Any, monkeypatch: pytest.MonkeyPatch, version: tuple[int, ...]
) -> None:
    on_python(backend, monkeypatch, version)
    reason = backend._refusal()
    assert reason is not None and "3.11 to 3.14" in reason
    assert (
        "tested for 3.11 and later" if version < (3, 11) else "checked only up to 3.14"
    ) in reason
    with pytest.raises(SystemExit, match="pathway needs Python"):
        backend.get_requires_for_build_wheel()


@NEEDS_GCC
def test_a_compiler_like_gcc_14_without_cppflags_is_refused_naming_the_variable(
    backend: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_python(backend, monkeypatch, (3, 13, 0))
    monkeypatch.setenv("CC", STRICT)
    monkeypatch.delenv("CPPFLAGS", raising=False)
    reason = backend._refusal()
    assert reason is not None
    assert f"CPPFLAGS='{backend.BUILD_FLAGS}'" in reason and "implicit" in reason
    monkeypatch.setenv("CPPFLAGS", backend.BUILD_FLAGS)
    assert backend._refusal() is None


@NEEDS_GCC
@pytest.mark.parametrize("version", [(3, 11, 7), (3, 12, 1)])
def test_before_3_13_the_compiler_is_not_asked(
    backend: Any, monkeypatch: pytest.MonkeyPatch, version: tuple[int, ...]
) -> None:
    """durable-rules' C code declares everything it calls with 3.11's and 3.12's headers."""
    on_python(backend, monkeypatch, version)
    monkeypatch.setenv("CC", STRICT)
    monkeypatch.delenv("CPPFLAGS", raising=False)
    assert backend._refusal() is None


def test_the_flags_are_the_ones_the_engine_and_readme_name(backend: Any) -> None:
    from pathway.evaluate.durable._c import BUILD_FLAGS

    readme = (BACKEND.parent.parent / "README.md").read_text(encoding="utf-8")
    assert backend.BUILD_FLAGS == BUILD_FLAGS
    assert readme.count(f"CPPFLAGS='{BUILD_FLAGS}' .venv/bin/pip install") == 2
