"""pathway's build backend: setuptools', after a check that the rule engine can be built here.

pathway depends on durable-rules 2.0.28, whose C extension is compiled from source when pathway
is installed. On Python 3.13 and later its C code calls a function (``PyEval_CallObject``) that
the Python headers no longer declare; compilers that make an implicit function declaration an
error (GCC 14, clang 16 and later) stop there, unless ``CPPFLAGS`` holds ``BUILD_FLAGS`` (not
``CFLAGS``: durable-rules' setup.py overwrites that one). pip asks this backend for pathway's
build requirements before it builds any dependency, so the check runs first and stops the
install with a message saying what to set, instead of a compiler error pages later.

The check compiles a two-line C file of its own with the compiler and ``CPPFLAGS`` setuptools
will use; nothing of durable-rules is built, copied or changed here. A Python outside 3.11-3.14
is refused here too, with the reason (pip's own refusal, from ``requires-python``, gives none).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403  (every hook not redefined below)

BUILD_FLAGS = "-Wno-error=implicit-function-declaration -Wno-error=int-conversion"
PROBE = "int probe(void) {\n    char *p = pathway_probe_undeclared();\n    return p != 0;\n}\n"


def _refusal() -> str | None:
    """Why pathway cannot be installed with this Python and compiler, or None."""
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info < (3, 11):  # noqa: UP036  (this file runs on any Python, to refuse it)
        return (
            f"pathway needs Python 3.11 to 3.14 (this is {version}): it is written and tested "
            "for 3.11 and later."
        )
    if sys.version_info >= (3, 15):
        return (
            f"pathway needs Python 3.11 to 3.14 (this is {version}): its rule engine, "
            "durable-rules 2.0.28, is a C extension checked only up to 3.14."
        )
    if sys.version_info < (3, 13):
        return None  # durable-rules' C code declares everything it calls there
    compiler = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")
    flags = shlex.split(os.environ.get("CPPFLAGS", ""))
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "probe.c"
        source.write_text(PROBE)
        try:
            proc = subprocess.run(
                [*compiler, "-std=c99", *flags, "-c", str(source), "-o", str(source) + ".o"],
                capture_output=True,
                text=True,
                timeout=120,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None  # no compiler here: durable-rules' own build will say so
    if proc.returncode == 0 or not ("implicit" in proc.stderr or "int-conversion" in proc.stderr):
        return None  # compiles, or fails for another reason, which durable-rules' build will say
    return (
        f"pathway cannot be installed as it is: its rule engine, durable-rules 2.0.28, does not "
        f"compile on Python {version} with this C compiler "
        f"({compiler[0]}), which treats an implicit function declaration as an error (GCC 14 "
        "and clang 16 do). Install with\n\n"
        f"    CPPFLAGS='{BUILD_FLAGS}' pip install ...\n\n"
        "as the README's commands do (CPPFLAGS, not CFLAGS, which durable-rules' setup.py "
        f"overwrites). The compiler said:\n{proc.stderr.strip()[-1500:]}"
    )


def _check() -> None:
    reason = _refusal()
    if reason is not None:
        raise SystemExit(f"\n{reason}\n")


def get_requires_for_build_wheel(config_settings: dict[str, Any] | None = None) -> list[str]:
    _check()
    return _setuptools.get_requires_for_build_wheel(config_settings)


def get_requires_for_build_editable(config_settings: dict[str, Any] | None = None) -> list[str]:
    _check()
    return _setuptools.get_requires_for_build_editable(config_settings)
