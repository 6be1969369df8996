"""Which rule base a directory holds, without reading it as one: the shipped directory, and the
files of a rule base with the sha256 of their contents. Cheap (no model is built), so that a
command can tell whether it has answered the same question before (``cli.replay``)."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from ..errors import RuleBaseError
from ..io.walk import files_under

_digests: dict[tuple[tuple[str, int, int], ...], str] = {}
_lock = threading.Lock()


def default_rules_dir() -> Path:
    """The shipped rule base: inside the installed package, or the repository's ``rules/``."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "_rules", package.parent.parent / "rules"):
        if (candidate / "rulebase.yaml").is_file():
            return candidate
    raise RuleBaseError(
        "the shipped rule base is missing (no rulebase.yaml found)", file=str(package)
    )


def fingerprint(root: Path) -> tuple[list[Path], str]:
    """The rule files and the sha256 of their contents (recomputed only when a file changes)."""
    found = files_under(root, ".yaml")
    files = [Path(path) for _, path, _ in found]
    stats = tuple((path, info.st_mtime_ns, info.st_size) for _, path, info in found)
    with _lock:
        known = _digests.get(stats)
    if known is not None:
        return files, known
    digest = hashlib.sha256()
    for parts, path, _ in found:
        digest.update("/".join(parts).encode())
        digest.update(b"\0")
        with open(path, "rb") as handle:
            digest.update(handle.read())
        digest.update(b"\0")
    with _lock:
        _digests[stats] = digest.hexdigest()
    return files, digest.hexdigest()
