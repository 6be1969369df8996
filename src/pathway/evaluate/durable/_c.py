"""Python-version guard and durable_rules import, kept in one place.

durable-rules 2.0.28 (the last release) builds on any CPython but its C extension calls
``PyEval_CallObject``, which Python 3.13 removed: the import fails there. Upstream merged a fix
(jruizgit/rules PR #403) but never released it, so pathway supports 3.11 and 3.12 only.
"""

from __future__ import annotations

import sys
import warnings

SUPPORTED = ((3, 11), (3, 12))

if sys.version_info[:2] not in SUPPORTED:  # pragma: no cover - exercised only on other Pythons
    raise ImportError(
        f"pathway needs Python 3.11 or 3.12 (this is {sys.version.split()[0]}): its rule engine, "
        "durable-rules 2.0.28, has a C extension that calls PyEval_CallObject, which Python 3.13 "
        "removed (fixed upstream in jruizgit/rules PR #403, never released)."
    )

# The engine calls datetime.utcfromtimestamp() on every action; on 3.12 that warns, and a
# warning turned into an error inside the engine leaves a session leased for 30 s.
warnings.filterwarnings(
    "ignore",
    message=r"datetime\.datetime\.utcfromtimestamp",
    category=DeprecationWarning,
)

try:
    import durable_rules_engine as durable_c  # the C extension, which pathway drives directly
except ImportError as exc:  # pragma: no cover - depends on the build machine
    raise ImportError(
        f"the durable-rules C extension failed to load ({exc}). It is compiled from source when "
        "pathway is installed: install gcc and the Python headers (python3-dev), then reinstall."
    ) from exc

__all__ = ["durable_c"]
