"""Files under a directory, found without reading them (what the caches fingerprint)."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def files_under(
    root: Path, suffix: str, skip: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], str, os.stat_result]]:
    """Every regular file under ``root`` whose name ends with ``suffix``, without descending
    into symbolic links to directories (as ``Path.rglob`` does not either) nor into folders
    named in ``skip``: the parts of its path below ``root``, its path and its ``stat``, sorted
    by the parts."""
    base = str(root)
    found = []
    for folder, dirs, names in os.walk(base):
        if skip:
            dirs[:] = [d for d in dirs if d not in skip]
        relative = os.path.relpath(folder, base)
        parts = () if relative == "." else tuple(relative.split(os.sep))
        for name in names:
            if name.endswith(suffix):
                path = os.path.join(folder, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                if stat.S_ISREG(info.st_mode):
                    found.append(((*parts, name), path, info))
    found.sort(key=lambda item: item[0])
    return found
