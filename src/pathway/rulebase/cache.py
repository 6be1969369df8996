"""A disk cache of validated rule bases, so that a command does not parse YAML every time.

Parsing and validating the rule files takes most of a cold start; the result is a tree of plain
frozen objects that pickles in a few milliseconds. The cache file's name is a digest of the rule
files' contents, their folder, the Python version and every source file of the pathway package:
any change to any of them misses the cache. Writes are atomic (a temporary
file renamed into place) and every failure to read or write the cache is silent: the cache only
ever saves time.

Where: ``$PATHWAY_CACHE_DIR``, else ``$XDG_CACHE_HOME/pathway``, else ``~/.cache/pathway``.
``PATHWAY_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

FORMAT = 1
PACKAGE = Path(__file__).resolve().parents[1]
_CODE_DIGEST: str | None = None


def cache_dir() -> Path | None:
    if os.environ.get("PATHWAY_NO_CACHE"):
        return None
    explicit = os.environ.get("PATHWAY_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "pathway"


def _code_digest() -> str:
    """A digest of the Python version and of every source file of the package (computed once
    per process; the same value from every thread)."""
    global _CODE_DIGEST
    if _CODE_DIGEST is None:
        digest = hashlib.sha256(f"{FORMAT}:{sys.version}".encode())
        for path in sorted(PACKAGE.rglob("*.py")):
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"unreadable")
            digest.update(b"\0")
        _CODE_DIGEST = digest.hexdigest()
    return _CODE_DIGEST


def _path(kind: str, *parts: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256("\0".join((_code_digest(), *parts)).encode()).hexdigest()[:40]
    return folder / f"{kind}-{key}.pickle"


def load(kind: str, *parts: str) -> Any | None:
    path = _path(kind, *parts)
    if path is None:
        return None
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except Exception:  # missing, partial, from another version: the cache only saves time
        return None


def store(value: Any, kind: str, *parts: str) -> None:
    path = _path(kind, *parts)
    if path is None:
        return
    temporary: str | None = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            temporary = tmp.name
            pickle.dump(value, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except Exception:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
