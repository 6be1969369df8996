"""Python-version guard and durable_rules import, kept in one place (the only import of it).

**Versions.** pathway runs on Python 3.11 to 3.14 (``SUPPORTED``); any other version is refused
here, with the reason, as ``pyproject.toml``'s ``requires-python`` refuses it at install.

**Python 3.13 and later: lazy binding.** durable-rules 2.0.28 (the last release) has a C
extension whose five storage callbacks (``storeMessageCallback``, ``deleteMessageCallback``,
``queueMessageCallback``, ``getQueuedMessagesCallback``, ``getIdleStateCallback``) call
``PyEval_CallObject``, which Python 3.13 removed (upstream fixed it in jruizgit/rules PR #403,
never released). The extension still compiles there, with an undefined reference to that
symbol, and CPython opens extensions with ``RTLD_NOW``, which resolves every symbol at load:
the import fails with ``undefined symbol: PyEval_CallObject``. Here the extension is opened
with ``RTLD_LAZY`` instead, which resolves a function the first time it is called, and the
previous flags are restored right after (the import runs once per process, under the import
lock, so no other import sees the changed flags through this module).

Why that is safe: those callbacks run only when a storage callback has been registered with
one of the extension's ``set_*_callback`` functions (durable's ``Host`` does it for a store
such as Redis). pathway drives the extension directly and never registers one
(``tests/test_engine.py`` checks that no pathway module names those setters), so the missing
symbol is never looked up; had it been, the process would stop with ``symbol lookup error``
rather than run something else. Every other symbol the extension uses exists in 3.13 and is
bound on first use as usual. durable_rules' own code is neither copied nor changed.

**GCC 14.** With Python 3.13's headers the same call is an implicit function declaration,
an error by default in GCC 14 (and clang 16): building durable-rules needs ``CPPFLAGS`` (not
``CFLAGS``, which its setup.py overwrites) set to ``BUILD_FLAGS``. The README's install
commands set it; pathway's build backend (``_build/pathway_build.py``) refuses, with this advice,
to install on a compiler that needs it when it is missing.
"""

from __future__ import annotations

import os
import sys
import warnings
from types import ModuleType

SUPPORTED = ((3, 11), (3, 12), (3, 13), (3, 14))
BUILD_FLAGS = "-Wno-error=implicit-function-declaration -Wno-error=int-conversion"
NEEDS_LAZY_BINDING = (3, 13)

if sys.version_info[:2] not in SUPPORTED:  # pragma: no cover - exercised only on other Pythons
    _reason = (
        "it is written and tested for 3.11 and later"
        if sys.version_info < (3, 11)
        else "its rule engine, durable-rules 2.0.28, is a C extension checked only up to 3.14 "
        "(3.13 already removed a function it calls)"
    )
    raise ImportError(
        f"pathway needs Python 3.11 to 3.14 (this is {sys.version.split()[0]}): {_reason}."
    )

# The engine calls datetime.utcfromtimestamp() on every action; on 3.12 that warns, and a
# warning turned into an error inside the engine leaves a session leased for 30 s.
warnings.filterwarnings(
    "ignore",
    message=r"datetime\.datetime\.utcfromtimestamp",
    category=DeprecationWarning,
)


def _import_extension() -> ModuleType:
    """``import durable_rules_engine``, with lazy symbol binding on 3.13+ (see above)."""
    if sys.version_info < NEEDS_LAZY_BINDING or not hasattr(sys, "setdlopenflags"):
        import durable_rules_engine

        return durable_rules_engine
    previous = sys.getdlopenflags()
    sys.setdlopenflags((previous & ~os.RTLD_NOW) | os.RTLD_LAZY)
    try:
        import durable_rules_engine
    finally:
        sys.setdlopenflags(previous)
    return durable_rules_engine


try:
    durable_c = _import_extension()  # the C extension, which pathway drives directly
except ImportError as exc:  # pragma: no cover - depends on the build machine
    raise ImportError(
        f"the durable-rules C extension failed to load ({exc}). It is compiled from source when "
        "pathway is installed: install gcc and the Python headers (python3-dev), then reinstall "
        f"with CPPFLAGS='{BUILD_FLAGS}' set (needed with GCC 14 or clang 16 on Python 3.13+), "
        "as the README's install command does."
    ) from exc

__all__ = ["BUILD_FLAGS", "durable_c"]
