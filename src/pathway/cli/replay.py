"""Answers already given: ``pathway assess`` or ``pathway check`` run again on the same product
file, with the same options, rule base and pathway, prints what it printed before.

A CI pipeline runs ``pathway check`` on every commit, and most commits leave most product files
as they were. The output of a command on one product file depends only on:

- the command and every option that shapes its output (jurisdictions, the day assessed, the
  format, colour, ``--explain``, ``--fail-on``...), the day resolved (``--as-of`` or today);
- the product file's name as given (it is printed) and its bytes (a sha256), and the working
  directory (SARIF names it);
- the rule base: its directory and the sha256 of its files' contents (``rulebase.fingerprint``);
- pathway's own code and the Python running it (every disk-cache entry's name includes them),
  and the libraries that render the output (pydantic, pydantic-core, click, durable-rules),
  by the size and time of their files.

So the output, with its exit code, is kept in the disk cache (``rulebase.cache``: JSON data,
authenticated, the user's own) under a name made of all of those, and replayed when they are
all the same: a new process then loads neither the product nor the rule base nor the engine.
Only a run on one product file that wrote nothing on stderr and exited 0 or 1 is kept (an
error, a warning or a crash is never replayed); stdin, directories, JSON Lines, ``--rules``
given by environment changes nothing (the directory is part of the key), and the options that
read or write other files (``check --baseline``, ``--write-baseline``, ``--since``,
``--report``) are never replayed. ``PATHWAY_NO_REPLAY=1`` turns replaying off (the test suite
does, but for the tests of replaying); ``PATHWAY_NO_CACHE=1`` turns it off with the rest of the
cache.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import importlib.util
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..batch import FAULT
from ..rulebase import cache as disk_cache
from ..rulebase.fingerprint import default_rules_dir, fingerprint

KIND = "answer"
LIBRARIES = ("pydantic", "pydantic_core", "click", "durable_rules_engine")


@dataclass(frozen=True)
class Answer:
    """A command's whole output on one product, and its exit code."""

    text: str
    exit_code: int


def _file_bytes(given: str, max_bytes: int) -> bytes | None:
    """The bytes of a regular product file within the limit; None for anything else (the
    command itself then reads it and reports what is wrong)."""
    if given == "-" or given.endswith(".jsonl"):
        return None
    try:
        with open(given, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
                return None
            return handle.read(max_bytes + 1)
    except OSError:
        return None


def _libraries() -> str:
    parts = []
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin is None:
            parts.append(f"{name}:-")
            continue
        info = os.stat(origin)
        parts.append(f"{name}:{origin}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts)


def key(
    command: str, product: str, rules: str | None, max_bytes: int, options: dict[str, Any]
) -> tuple[str, ...] | None:
    """The cache key of this run, or None when it cannot be replayed."""
    if os.environ.get("PATHWAY_NO_REPLAY") or os.environ.get(FAULT):
        return None
    data = _file_bytes(product, max_bytes)
    if data is None or disk_cache.cache_dir() is None:
        return None
    try:
        root = Path(rules) if rules else default_rules_dir()
        if not root.is_dir():
            return None
        _, sha = fingerprint(root)
    except Exception:  # an unreadable rule base: the command reports it
        return None
    options = {
        **options,
        "NO_COLOR": bool(os.environ.get("NO_COLOR")),  # plain text in colour
        "cwd": os.getcwd(),  # SARIF's %SRCROOT%
    }
    shown = json.dumps(options, sort_keys=True, default=_plain)
    return (
        command,
        shown,
        product,
        hashlib.sha256(data).hexdigest(),
        str(root.resolve()),
        sha,
        str(max_bytes),
        _libraries(),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, set, frozenset)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    raise TypeError(f"not a plain option value: {value!r}")


def _decode(data: Any) -> Answer:
    if (
        type(data) is not dict
        or type(data.get("text")) is not str
        or data.get("exit_code") not in (0, 1)
    ):
        raise ValueError("not an answer")
    return Answer(data["text"], data["exit_code"])


def recall(parts: tuple[str, ...] | None) -> Answer | None:
    """The answer kept for ``parts``, if any."""
    if parts is None:
        return None
    return disk_cache.load(KIND, *parts, decode=_decode)


def keep(parts: tuple[str, ...] | None, text: str, exit_code: int) -> None:
    """Keep a run's answer (only a clean run: exit 0, or 1 for a failed check)."""
    if parts is not None and exit_code in (0, 1):
        disk_cache.store({"text": text, "exit_code": exit_code}, KIND, *parts)
