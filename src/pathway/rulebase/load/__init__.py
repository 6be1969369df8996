"""Load and validate a rule base directory. Every error names the file and line.

One module per section of the rule base, in the order they are read: ``citations``, ``facts``
(the input facts' questions, then each jurisdiction's derived facts), ``vocabulary`` (terms, then
each jurisdiction's attributes of them), ``jurisdictions``, ``rules`` (with ``condition_parser``),
and ``consistency`` checks over the whole base.
``Context`` carries what earlier sections defined.

Checks made here (``pathway rules lint`` adds the analyses that need evaluation):

* each file has a known ``kind`` and the shape of that kind (unknown keys get a suggestion);
* rule, case, decision and pathway ids are unique, dotted, and start with their jurisdiction;
* every fact a condition reads or a rule sets is defined, and every value is in its domain;
* conditions use only the whitelisted operators, each on a fact of a suitable type;
* every rule, obligation, option and note has at least one citation, each with a public URL;
* every rule has an effective-from date; rules that supersede each other leave no gap and do not
  overlap;
* every vocabulary value is a value of its attribute, cites its source (or explicitly the
  attribute's), and dated values of one term do not overlap.

The loader is the one place for the checks ``pathway rules lint`` lists as made by the loader
(``authoring.lint.CHECKS``): such a refusal carries its check id (``RuleBaseError.check``:
``lint.duplicate-id``, ``lint.no-citation``, ``lint.no-url``, ``lint.supersedes-dates``,
``lint.never-fires`` for a rule in force on no day, ``lint.unproduced-fact`` for an input fact
without a question) and the rule ids involved.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from ...errors import RuleBaseError
from .. import cache as disk_cache
from .. import codec
from ..fingerprint import default_rules_dir, fingerprint
from ..model import RuleBase

__all__ = ["default_rules_dir", "load_rulebase"]


_cache: dict[tuple[str, str], RuleBase] = {}
_shipped: list[RuleBase] = []  # the shipped rule base, once read (it is part of the install)
_cache_lock = threading.Lock()


def load_rulebase(root: str | Path | None = None) -> RuleBase:
    """Load (once per content) and validate the rule base at ``root`` (default: shipped).

    A directory given as ``root`` is checked for changed files on every call (a stat of each
    file), so an edited rule base is picked up; the shipped one is read once per process.
    """
    if root is None:
        with _cache_lock:
            if _shipped:
                return _shipped[0]
        loaded = load_rulebase(default_rules_dir())
        with _cache_lock:
            if not _shipped:
                _shipped.append(loaded)
            return _shipped[0]
    path = Path(root)
    if not path.is_dir():
        raise RuleBaseError("rule base directory not found", file=str(path))
    files, sha = fingerprint(path)
    key = (str(path.resolve()), sha)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    loaded = disk_cache.load("rulebase", *key, decode=codec.decode)
    if loaded is None or loaded.sha256 != sha:
        from .build import build  # the sections and their file shapes: only when building
        from .context import Context

        loaded = build(Context(path, files, sha))
        with contextlib.suppress(ValueError):  # a value the cache cannot hold: not cached
            disk_cache.store(codec.encode(loaded), "rulebase", *key)
    with _cache_lock:
        _cache[key] = loaded
    return loaded
