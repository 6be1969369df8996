"""The previous version of a product file, from git: what a changed check points at.

``pathway check --since REV`` reads each product file as it was at ``REV`` (``git show``) and
compares its facts with the file as it is now, so that a failed check points at the line that
changed. A file git does not know at ``REV`` (a new product) has no previous version.
"""

from __future__ import annotations

import functools
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ...errors import InputError
from ...product.load import LoadedProduct, load_product
from ...rulebase.model import RuleBase

TIMEOUT = 20


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, timeout=TIMEOUT, check=False
        )
    except FileNotFoundError:
        raise InputError("--since needs git, and git is not installed", file="--since") from None
    except subprocess.TimeoutExpired:
        raise InputError(f"git did not answer within {TIMEOUT} s", file="--since") from None


class GitHistory:
    """Previous input facts of product files at one git revision."""

    def __init__(self, revision: str, rulebase: RuleBase) -> None:
        self.revision = revision
        self.rb = rulebase

    @functools.cache  # noqa: B019  (one instance per command run)
    def _top(self, folder: Path) -> Path:
        found = _git(["rev-parse", "--show-toplevel"], folder)
        if found.returncode != 0:
            raise InputError("--since: not inside a git work tree", file=str(folder))
        top = Path(found.stdout.decode().strip())
        verify = _git(["rev-parse", "--verify", "--quiet", f"{self.revision}^{{commit}}"], top)
        if verify.returncode != 0:
            raise InputError(f"--since: {self.revision!r} is not a git revision", file=str(top))
        return top

    def verify(self, paths: Iterable[str]) -> None:
        """Refuse, once and before any work, a revision the products' git tree lacks."""
        for given in paths:
            path = Path(given)
            if given != "-" and path.exists():
                self._top((path if path.is_dir() else path.parent).resolve())
                return

    def __call__(self, loaded: LoadedProduct) -> dict[str, Any] | None:
        path = Path(loaded.file)
        if not path.is_file():
            return None  # stdin
        top = self._top(path.resolve().parent)
        relative = Path(os.path.relpath(path.resolve(), top)).as_posix()
        shown = _git(["show", f"{self.revision}:{relative}"], top)
        if shown.returncode != 0:
            return None  # a new file
        try:
            before = load_product(shown.stdout, self.rb, name=f"{self.revision}:{relative}")
        except InputError:
            return None  # the old version did not validate: nothing to compare with
        return before.input_values(self.rb)
