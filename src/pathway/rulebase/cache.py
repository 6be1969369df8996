"""A disk cache of validated rule bases and compiled rulesets, so that a command does not parse
YAML every time. It holds data, never code, and trusts only what this user wrote.

**Format.** An entry is JSON: a rule base as ``rulebase.codec`` writes it (no class or function
is ever named by the data: reading can build only the model's own objects, checked field by
field), a compiled ruleset as plain data checked by ``Compiled.from_data``. The file is a header
line, ``pathway-cache <FORMAT> <HMAC-SHA256 of the rest>``, then the JSON, which repeats the
entry's kind and key: an entry copied under another name does not match.

**Trust.** The HMAC is keyed by a secret of 32 random bytes created on first use, ``0600``, in
``$XDG_STATE_HOME/pathway`` (else ``~/.local/state/pathway``), a ``0700`` directory of the
user's own; it lives apart from the cache, so a cache directory restored from elsewhere (a CI
cache from another branch) brings no key that could vouch for its entries. The cache directory
must be the user's own and not writable by its group or others, and so must every entry; a
directory that is not is refused with one line on stderr (once per process) and the cache is
not used. An entry that is missing, truncated, corrupt, forged, from another version or keyed
with another secret is ignored and rebuilt: the cache only ever saves time.

**Key.** The entry's name is a digest of its kind and parts (the rule files' contents, their
folder...), the Python version and every source file of the pathway package: any change to
any of them misses the cache. Writes are atomic (a temporary file renamed into place).

**Size.** After each write (a batch: once, at its end), when the directory holds more than
``MAX_ENTRIES`` entries or ``MAX_TOTAL`` bytes, the entries used longest ago (written, or read
back: a read marks an entry used) are removed until it holds at most nine tenths of either (an
entry removed is rebuilt when next needed).

Where: ``$PATHWAY_CACHE_DIR``, else ``$XDG_CACHE_HOME/pathway``, else ``~/.cache/pathway``.
``PATHWAY_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ..io.private import PrivateDir, Untrusted
from ..io.walk import files_under

FORMAT = 2
MAGIC = b"pathway-cache"
MAX_ENTRY = 64 << 20  # bytes; a rule base is well under 1 MB
MAX_TOTAL = 512 << 20  # bytes in the cache directory; the oldest entries go beyond it
MAX_ENTRIES = 16384  # entries in the cache directory; the oldest go beyond it
KEY_FILE = "cache-key"
PACKAGE = Path(__file__).resolve().parents[1]

T = TypeVar("T")

_CODE_DIGEST: str | None = None
_keys: dict[Path, bytes] = {}
_warned: list[str] = []
_lock = threading.Lock()


def cache_dir() -> Path | None:
    if os.environ.get("PATHWAY_NO_CACHE"):
        return None
    explicit = os.environ.get("PATHWAY_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "pathway"


def key_dir() -> Path:
    """Where the secret the entries are authenticated with lives (never in the cache)."""
    base = os.environ.get("XDG_STATE_HOME")
    return (Path(base) if base else Path.home() / ".local" / "state") / "pathway"


def _code_digest() -> str:
    """A digest of the format, the Python version and every source file of the package, each
    by its path, size and modification time: what Python's own bytecode cache checks before it
    reuses compiled code (the shipped rules, ``_rules``, are keyed by content, by the caller;
    computed once per process, the same value from every thread)."""
    global _CODE_DIGEST
    if _CODE_DIGEST is None:
        text = "\n".join(
            f"{'/'.join(parts)}\0{info.st_size}\0{info.st_mtime_ns}"
            for parts, _, info in files_under(PACKAGE, ".py", skip=("__pycache__", "_rules"))
        )
        _CODE_DIGEST = hashlib.sha256(f"{FORMAT}:{sys.version}\n{text}".encode()).hexdigest()
    return _CODE_DIGEST


def entry_name(kind: str, *parts: str) -> str:
    key = hashlib.sha256("\0".join((_code_digest(), kind, *parts)).encode()).hexdigest()[:40]
    return f"{kind}-{key}.json"


def _warn_once(message: str) -> None:
    """One line on stderr, once per process, and none from a batch's worker processes (their
    parent loaded the rule base first, and said it)."""
    import multiprocessing

    with _lock:
        if message in _warned or multiprocessing.parent_process() is not None:
            return
        _warned.append(message)
    print(f"pathway: warning: not using the disk cache: {message}", file=sys.stderr)


def _open() -> tuple[PrivateDir, bytes] | None:
    """The cache directory, open, and the key; None when there is no usable cache."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        key = secret_key()
    except Untrusted as exc:
        _warn_once(f"{exc} (it holds the key the cache entries are checked with)")
        return None
    except OSError:
        return None  # no home, a read-only disk: run without the cache, as before
    try:
        return PrivateDir.open(folder), key
    except Untrusted as exc:
        _warn_once(f"{exc} (set PATHWAY_CACHE_DIR to a directory of your own)")
    except OSError:
        pass
    return None


def secret_key() -> bytes:
    """The user's cache key, created on first use (``OSError``/``Untrusted`` if unusable)."""
    where = key_dir()
    with _lock:
        known = _keys.get(where)
    if known is not None:
        return known
    with PrivateDir.open(where, secret=True) as folder:
        text = folder.read(KEY_FILE, 64)
        if text is None and not folder.exists(KEY_FILE):
            folder.create(KEY_FILE, os.urandom(32).hex().encode())  # the first process wins
            text = folder.read(KEY_FILE, 64)
    try:
        key = bytes.fromhex(text.decode("ascii")) if text is not None else b""
    except ValueError:
        key = b""
    if len(key) != 32:
        raise Untrusted(f"{where / KEY_FILE} is not a key of this user's own (remove it)")
    with _lock:
        _keys[where] = key
    return key


def _mac(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, body, hashlib.sha256).hexdigest().encode()


def load(kind: str, *parts: str, decode: Callable[[Any], T]) -> T | None:
    """The entry stored for ``(kind, *parts)``, read back by ``decode``; None when there is
    none that this user wrote (``decode`` raising counts as none)."""
    opened = _open()
    if opened is None:
        return None
    folder, key = opened
    name = entry_name(kind, *parts)
    try:
        raw = folder.read(name, MAX_ENTRY)
        if raw is None:
            return None
        header, _, body = raw.partition(b"\n")
        expected = b" ".join((MAGIC, str(FORMAT).encode(), _mac(key, body)))
        if not hmac.compare_digest(header, expected):
            return None  # truncated, forged, another format or another key: rebuilt by the caller
        try:
            envelope = json.loads(body)
            if envelope.get("kind") != kind or envelope.get("name") != name:
                return None
            found = decode(envelope["data"])
        except Exception:  # an entry this version cannot read: the cache only saves time
            return None
        folder.touch(name)  # used now: the bound removes the entries used longest ago first
        return found
    finally:
        folder.close()


def has(kind: str, *parts: str) -> bool:
    """Whether an entry is stored for ``(kind, *parts)`` (not read: ``load`` may still find
    it unusable)."""
    opened = _open()
    if opened is None:
        return False
    folder, _ = opened
    try:
        return folder.exists(entry_name(kind, *parts))
    finally:
        folder.close()


def store(data: Any, kind: str, *parts: str, bound: bool = True) -> None:
    """Store JSON-ready ``data`` for ``(kind, *parts)``; silently nothing when it cannot.
    ``bound`` False leaves the size bound to a later ``tidy()`` (a batch storing one entry per
    product tidies once at its end: a bound checked after every write costs a listing of the
    whole directory each time)."""
    opened = _open()
    if opened is None:
        return
    folder, key = opened
    name = entry_name(kind, *parts)
    try:
        envelope = {"kind": kind, "name": name, "data": data}
        # ASCII only (\u escapes): a one-byte-per-character text reads back a third faster
        body = json.dumps(envelope, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
        encoded = body.encode()
        header = b" ".join((MAGIC, str(FORMAT).encode(), _mac(key, encoded)))
        folder.write(name, header + b"\n" + encoded)
        if bound:
            prune(folder)
    except (OSError, TypeError, ValueError):  # unwritable, or a value JSON cannot hold
        pass
    finally:
        folder.close()


def tidy() -> None:
    """Bring the cache directory within its size bound (``prune``)."""
    opened = _open()
    if opened is None:
        return
    folder, _ = opened
    try:
        prune(folder, MAX_ENTRIES, MAX_TOTAL)
    except OSError:
        pass
    finally:
        folder.close()


def prune(folder: PrivateDir, entries: int = MAX_ENTRIES, total: int = MAX_TOTAL) -> None:
    """Remove the entries used longest ago (their modification time: written or read back)
    while the directory holds more than ``entries`` entries or ``total`` bytes, down to nine
    tenths of each."""
    found = [f for f in folder.files() if f[0].endswith(".json") and not f[0].startswith(".")]
    size = sum(f[1] for f in found)
    if len(found) <= entries and size <= total:
        return
    found.sort(key=lambda f: f[2])  # oldest first
    count = len(found)
    for name, bytes_, _ in found:
        if count <= entries * 9 // 10 and size <= total * 9 // 10:
            break
        folder.remove(name)
        count -= 1
        size -= bytes_
