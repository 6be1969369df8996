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
import hashlib
import threading
from pathlib import Path

from pydantic import ValidationError

from ...errors import RuleBaseError
from ...io.document import RULE_LIMITS
from ...io.pydantic_errors import to_input_error
from ...io.read import files_under, read_document
from ...text import did_you_mean
from .. import cache as disk_cache
from .. import codec, schema
from ..model import RuleBase
from . import citations, consistency, facts, jurisdictions, rules, vocabulary
from .context import Context, as_rulebase_error

__all__ = ["default_rules_dir", "load_rulebase"]


def default_rules_dir() -> Path:
    """The shipped rule base: inside the installed package, or the repository's ``rules/``."""
    package = Path(__file__).resolve().parents[2]
    for candidate in (package / "_rules", package.parent.parent / "rules"):
        if (candidate / "rulebase.yaml").is_file():
            return candidate
    raise RuleBaseError(
        "the shipped rule base is missing (no rulebase.yaml found)", file=str(package)
    )


_cache: dict[tuple[str, str], RuleBase] = {}
_digests: dict[tuple[tuple[str, int, int], ...], str] = {}
_shipped: list[RuleBase] = []  # the shipped rule base, once read (it is part of the install)
_cache_lock = threading.Lock()


def _fingerprint(root: Path) -> tuple[list[Path], str]:
    """The rule files and the sha256 of their contents (recomputed only when a file changes)."""
    found = files_under(root, ".yaml")
    files = [Path(path) for _, path, _ in found]
    stats = tuple((path, info.st_mtime_ns, info.st_size) for _, path, info in found)
    with _cache_lock:
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
    with _cache_lock:
        _digests[stats] = digest.hexdigest()
    return files, digest.hexdigest()


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
    files, sha = _fingerprint(path)
    key = (str(path.resolve()), sha)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    loaded = disk_cache.load("rulebase", *key, decode=codec.decode)
    if loaded is None or loaded.sha256 != sha:
        loaded = build(Context(path, files, sha))
        with contextlib.suppress(ValueError):  # a value the cache cannot hold: not cached
            disk_cache.store(codec.encode(loaded), "rulebase", *key)
    with _cache_lock:
        _cache[key] = loaded
    return loaded


def _read(ctx: Context) -> None:
    """Read every file and check it has the shape of its ``kind``."""
    for path in ctx.paths:
        doc = read_document(path, RULE_LIMITS, display=ctx.rel(path))
        if not isinstance(doc.data, dict):
            raise ctx.error(doc, "a rule-base file must be a mapping with a 'kind'")
        kind = doc.data.get("kind")
        spec_type = schema.FILE_KINDS.get(kind) if isinstance(kind, str) else None
        if spec_type is None:
            message = f"unknown kind {kind!r}" if kind else "missing 'kind'"
            message += did_you_mean(
                str(kind),
                schema.FILE_KINDS if kind else (),
                f"; expected one of {', '.join(schema.FILE_KINDS)}",
            )
            raise ctx.error(doc, message, ("kind",) if kind else ())
        try:
            spec = spec_type.model_validate(doc.data)
        except ValidationError as exc:
            raise as_rulebase_error(to_input_error(exc, doc, spec_type)) from None
        ctx.docs.setdefault(kind, []).append((doc, spec))


def build(ctx: Context) -> RuleBase:
    """Every section in order, then the whole-base checks."""
    _read(ctx)
    meta = ctx.docs.get("rulebase", [])
    if len(meta) != 1 or meta[0][0].file != "rulebase.yaml":
        raise RuleBaseError(
            "the rule base needs exactly one rulebase.yaml at its root", file=str(ctx.root)
        )
    meta_doc, meta_spec = meta[0]
    assert isinstance(meta_spec, schema.RulebaseFile)
    for doc, spec in ctx.docs.get("citations", []):
        citations.load_citations(ctx, doc, spec)  # type: ignore[arg-type]
    facts.load_input_facts(ctx)
    for doc, spec in ctx.docs.get("vocabulary", []):
        vocabulary.load_vocabulary(ctx, doc, spec)  # type: ignore[arg-type]
    order = {code: i for i, code in enumerate(meta_spec.jurisdictions)}
    # attributes in the order of the jurisdictions (then of the files): the projection facts' order
    attribute_files = sorted(
        ctx.docs.get("attributes", []),
        key=lambda d: (order.get(ctx.jurisdiction_of(d[0]), len(order)), d[0].file),
    )
    for doc, spec in attribute_files:
        vocabulary.load_attributes(ctx, doc, spec)  # type: ignore[arg-type]
    vocabulary.resolve_vocabulary_fields(ctx)
    for doc, spec in ctx.docs.get("facts", []):
        if spec.scope == "derived":  # type: ignore[attr-defined]
            facts.load_derived_facts(ctx, doc, spec)  # type: ignore[arg-type]
    for doc, spec in ctx.docs.get("jurisdiction", []):
        jurisdictions.load_jurisdiction(ctx, doc, spec)  # type: ignore[arg-type]
    for code in meta_spec.jurisdictions:
        if code not in ctx.jurisdictions:
            raise ctx.error(
                meta_doc,
                f"jurisdiction {code!r} has no {code}/jurisdiction.yaml",
                ("jurisdictions",),
            )
    for doc, spec in sorted(ctx.docs.get("rules", []), key=lambda d: d[0].file):
        rules.load_rules(ctx, doc, spec)  # type: ignore[arg-type]
    consistency.check_whole(ctx)
    return RuleBase(
        name=meta_spec.name,
        version=meta_spec.version,
        sha256=ctx.sha,
        root=str(ctx.root),
        jurisdictions=dict(sorted(ctx.jurisdictions.items(), key=lambda kv: order.get(kv[0], 99))),
        facts=ctx.facts,
        vocabularies=ctx.vocabs,
        rules=tuple(ctx.rules),
        decisions=ctx.decisions,
        citations=ctx.citations,
        files=tuple(ctx.rel(p) for p in ctx.paths),
    )
