"""Files in a directory that only the current user can change: the disk cache's ground rules.

``PrivateDir.open`` opens a directory (creating it ``0700`` if it is missing) and keeps it open;
it refuses, with ``Untrusted`` and the reason, a directory that is not owned by the effective
user or that its group or others can write to (``secret=True``: that they can read or enter).
Everything after goes through the open directory (``openat``, ``renameat``), so a directory
swapped or replaced by a symbolic link after the check changes nothing.

``read`` returns a file's bytes, or None when it is missing, is not a regular file (a link, a
pipe), is not the user's own, is writable by others (``secret``: readable by them), or is over
the size given. ``write`` replaces a file atomically (a new file renamed over it), so that a
reader sees the old or the new content, never part of one; ``create`` writes a file only if
there is none yet (the first of several processes wins, the others read its content).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

OPEN_DIR = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0)
OPEN_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class Untrusted(Exception):
    """A directory or file someone other than the user could have written."""


def problem(info: os.stat_result, secret: bool = False) -> str | None:
    """Why a file or directory with this ``stat`` cannot be trusted, or None."""
    if info.st_uid != os.geteuid():
        return f"owned by another user (uid {info.st_uid})"
    if info.st_mode & 0o022:
        return "writable by its group or by others"
    if secret and info.st_mode & 0o077:
        return "open to its group or to others"
    return None


class PrivateDir:
    """An open directory that passed ``problem``; close it (or use ``with``) when done."""

    def __init__(self, path: Path, fd: int, secret: bool) -> None:
        self.path = path
        self.fd = fd
        self.secret = secret

    @classmethod
    def open(cls, path: Path, secret: bool = False) -> PrivateDir:
        """Open ``path``, creating it (and its parents) if missing. ``OSError`` when it cannot
        be created or opened, ``Untrusted`` when it is not private enough."""
        try:
            fd = os.open(path, OPEN_DIR)
        except FileNotFoundError:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(path, OPEN_DIR)
        reason = problem(os.fstat(fd), secret)
        if reason is not None:
            os.close(fd)
            raise Untrusted(f"{path} is {reason}")
        return cls(path, fd, secret)

    def close(self) -> None:
        os.close(self.fd)

    def __enter__(self) -> PrivateDir:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def read(self, name: str, limit: int) -> bytes | None:
        """The content of ``name`` if it is the user's own regular file of at most ``limit``
        bytes that others cannot write (nor read, in a secret directory); else None."""
        try:
            fd = os.open(name, OPEN_FILE, dir_fd=self.fd)
        except OSError:  # missing, or a symbolic link (O_NOFOLLOW)
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or problem(info, self.secret):
                return None
            if info.st_size > limit:
                return None
            chunks = []
            size = 0
            while size <= limit:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)
                size += len(chunk)
            return None  # grew past the limit while read
        finally:
            os.close(fd)

    def exists(self, name: str) -> bool:
        """Whether there is anything called ``name`` (a link too, followed or not)."""
        try:
            os.stat(name, dir_fd=self.fd, follow_symlinks=False)
        except FileNotFoundError:
            return False
        return True

    def touch(self, name: str) -> None:
        """Mark ``name`` as used now (its modification time), if it is there."""
        with contextlib.suppress(OSError, NotImplementedError):
            os.utime(name, dir_fd=self.fd, follow_symlinks=False)

    def write(self, name: str, data: bytes) -> None:
        """Replace ``name`` with ``data`` atomically (``OSError`` if it cannot)."""
        temporary = self._temporary(data)
        try:
            os.replace(temporary, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
        except BaseException:
            self._discard(temporary)
            raise

    def create(self, name: str, data: bytes) -> bool:
        """Write ``name`` only if it does not exist (True if this call wrote it)."""
        temporary = self._temporary(data)
        try:
            os.link(temporary, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
            return True
        except FileExistsError:
            return False
        finally:
            self._discard(temporary)

    def files(self) -> list[tuple[str, int, int]]:
        """(name, size, modification time in ns) of every regular file in the directory."""
        out = []
        for name in os.listdir(self.fd):
            try:
                info = os.stat(name, dir_fd=self.fd, follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                out.append((name, info.st_size, info.st_mtime_ns))
        return out

    def remove(self, name: str) -> None:
        """Remove ``name`` if it is there."""
        self._discard(name)

    def _temporary(self, data: bytes) -> str:
        """A new file of the user's only (``0600``) holding ``data``; its name."""
        name = f".tmp-{secrets.token_hex(8)}"
        fd = os.open(name, NEW_FILE, 0o600, dir_fd=self.fd)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        except BaseException:
            os.close(fd)
            self._discard(name)
            raise
        os.close(fd)
        return name

    def _discard(self, name: str) -> None:
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=self.fd)
