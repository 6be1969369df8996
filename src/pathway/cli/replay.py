"""Answers already given: ``pathway assess`` or ``pathway check`` run again on the same product
file, with the same options, rule base and pathway, prints what it printed before.

A CI pipeline runs ``pathway check`` on every commit, and most commits leave most product files
as they were. The output of a command on one product file depends only on:

- the command and every option that shapes its output (jurisdictions, the day assessed, the
  horizon, the format, colour, ``--explain``, ``--fail-on``...), the day resolved (``--as-of``
  or today), and ``NO_COLOR``;
- the product file's name as given (it is printed) and its bytes (a sha256), and the working
  directory (SARIF names it);
- the rule base: its directory and the sha256 of its files' contents (``rulebase.fingerprint``);
- pathway's own code and the Python running it (every disk-cache entry's name includes them),
  and the libraries that read the input or render the output (pydantic, pydantic-core, click,
  durable-rules, ruamel.yaml), by the size and time of every file of theirs.

So the output, with its exit code, is kept in the disk cache (``rulebase.cache``: JSON data,
authenticated, the user's own) under a name made of all of those, and replayed when they are
all the same: a new process then loads neither the product nor the rule base nor the engine.
The run assesses the very bytes the key was made of (they are handed to it, not read again), and
its answer is kept only if the rule base's files still have the key's sha256 when it ends (a
file edited during the run is not filed under the old content). Only a clean run on one product
file is kept (no product refused, no crash, exit 0 or 1); stdin, directories, JSON Lines and the
options that read or write other files (``check --baseline``, ``--write-baseline``,
``--since``, ``--report``) are never replayed. ``PATHWAY_NO_REPLAY=1`` turns replaying off (the
test suite does, but for the tests of replaying); ``PATHWAY_NO_CACHE=1`` turns it off with the
rest of the cache.
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
LIBRARIES = ("pydantic", "pydantic_core", "click", "durable_rules_engine", "ruamel.yaml")
NOT_SHAPING = ("products", "output", "parallel", "jsonl_input", "rules", "max_bytes")


@dataclass(frozen=True)
class Answer:
    """A command's whole output on one product, and its exit code."""

    text: str
    exit_code: int


@dataclass(frozen=True)
class Key:
    """What a run's answer is kept under: ``parts`` name the cache entry; ``data`` are the
    product's bytes the key was made of (the run assesses these); ``root`` and ``rules_sha``
    the rule base they were made with."""

    parts: tuple[str, ...]
    data: bytes
    root: Path
    rules_sha: str


def shaping(params: dict[str, Any], **resolved: Any) -> dict[str, Any]:
    """The options of a command that shape its output: every parameter but those that do not
    (where the output goes, how many processes, the products and rule base, which are keyed by
    content), with the values the command resolved (the day, colour)."""
    return {
        **{k: v for k, v in params.items() if k not in NOT_SHAPING},
        **resolved,
    }


def file_bytes(given: str, max_bytes: int) -> bytes | None:
    """The bytes of a regular product file within the limit; None for anything else (the
    command itself then reads it and reports what is wrong)."""
    if given == "-" or given.endswith(".jsonl"):
        return None
    # a named pipe or a device is left to the product reader: opening one here would block, or
    # take from a pipe the bytes its writer meant for the product reader
    if not stat.S_ISREG(os.stat(given).st_mode):
        return None
    fd = os.open(given, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        data = handle.read(max_bytes + 1)
    return data if len(data) <= max_bytes else None


def _libraries() -> str:
    """Each library by the size and time of every file of its package (or its module)."""
    parts = []
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin is None:
            parts.append(f"{name}:-")
            continue
        place = Path(origin)
        files = sorted(place.parent.iterdir()) if place.name == "__init__.py" else [place]
        for path in files:
            info = path.stat()
            parts.append(f"{name}:{path}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts)


def _plain(value: Any) -> Any:
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, set, frozenset)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    raise TypeError(f"not a plain option value: {value!r}")


def _shared(
    command: str, rules: str | None, max_bytes: int, options: dict[str, Any]
) -> tuple[tuple[str, ...], Path, str] | None:
    """What every answer of this run is keyed by besides its product (the key's parts, the
    rule base's directory and sha256); None when nothing can be replayed."""
    if os.environ.get("PATHWAY_NO_REPLAY") or os.environ.get(FAULT):
        return None
    if disk_cache.cache_dir() is None:
        return None
    root = Path(rules) if rules is not None else default_rules_dir()
    if not root.is_dir():
        return None
    _, sha = fingerprint(root)
    every = {
        **options,
        "NO_COLOR": bool(os.environ.get("NO_COLOR")),  # plain text in colour
        "cwd": os.getcwd(),  # SARIF's %SRCROOT%
    }
    parts = (
        command,
        json.dumps(every, sort_keys=True, default=_plain),
        str(root.resolve()),
        sha,
        str(max_bytes),
        _libraries(),
    )
    return parts, root, sha


def key(
    command: str, product: str, rules: str | None, max_bytes: int, options: dict[str, Any]
) -> Key | None:
    """The key of this run, or None when it cannot be replayed (anything unusual: the command
    then runs as usual and says what is wrong)."""
    try:
        shared = _shared(command, rules, max_bytes, options)
        data = file_bytes(product, max_bytes) if shared is not None else None
        if shared is None or data is None:
            return None
    except Exception:  # an unreadable file or rule base, a removed working directory...
        return None
    parts, root, sha = shared
    return Key((*parts, product, hashlib.sha256(data).hexdigest()), data, root, sha)


@dataclass(frozen=True)
class PerProduct:
    """How a batch keeps each product's answer (``cli.jobs``): the key's parts every product of
    the run shares, and the rule base they were made with (picklable, for worker processes)."""

    parts: tuple[str, ...]
    root: str
    rules_sha: str

    def parts_for(self, name: str, data: bytes) -> tuple[str, ...]:
        """The key of one product: the shared parts, its name as given and its sha256."""
        return (*self.parts, "product", name, hashlib.sha256(data).hexdigest())

    def unchanged(self) -> bool:
        """Whether the rule files still have the sha256 the key was made with."""
        try:
            return fingerprint(Path(self.root))[1] == self.rules_sha
        except Exception:
            return False


def per_product(
    command: str, rules: str | None, max_bytes: int, options: dict[str, Any]
) -> PerProduct | None:
    """The per-product key of a batch run, or None when its answers cannot be kept."""
    try:
        shared = _shared(command, rules, max_bytes, options)
    except Exception:
        return None
    if shared is None:
        return None
    parts, root, sha = shared
    return PerProduct(parts, str(root), sha)


def _decode(data: Any) -> Answer:
    if (
        type(data) is not dict
        or type(data.get("text")) is not str
        or data.get("exit_code") not in (0, 1)
    ):
        raise ValueError("not an answer")
    return Answer(data["text"], data["exit_code"])


def recall(found: Key | None) -> Answer | None:
    """The answer kept under ``found``, if any."""
    if found is None:
        return None
    return disk_cache.load(KIND, *found.parts, decode=_decode)


def keep(found: Key | None, text: str, exit_code: int) -> None:
    """Keep a run's answer: only a clean run (exit 0, or 1 for a failed check) whose rule base
    still has the files the key was made of."""
    if found is None or exit_code not in (0, 1):
        return
    try:
        unchanged = fingerprint(found.root)[1] == found.rules_sha
    except Exception:
        return
    if unchanged:
        disk_cache.store({"text": text, "exit_code": exit_code}, KIND, *found.parts)
