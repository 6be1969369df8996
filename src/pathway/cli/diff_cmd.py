"""``pathway diff``: the products a change of the rule base moves, and the rules responsible."""

from __future__ import annotations

import datetime as _dt
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path

import click

from .. import render
from ..errors import InputError
from ..io.document import Limits
from . import common

TIMEOUT = 60


def _git(args: list[str], option: str) -> bytes:
    try:
        proc = subprocess.run(["git", *args], capture_output=True, timeout=TIMEOUT, check=False)
    except FileNotFoundError:
        raise InputError("a git revision needs git, which is not installed", file=option) from None
    except subprocess.TimeoutExpired:
        raise InputError(f"git did not answer within {TIMEOUT} s", file=option) from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(
            f"not a rule-base directory, nor a git revision here ({message[-1] if message else 'git failed'})",
            file=option,
        )
    return proc.stdout


def rules_dir(spec: str, option: str, scratch: Path) -> Path:
    """The rule-base directory ``spec`` names: a directory, or ``REV`` / ``REV:PATH`` (the
    folder PATH, by default ``rules``, of the git repository here as it was at revision REV,
    written into ``scratch``)."""
    if Path(spec).is_dir():
        return Path(spec)
    revision, _, folder = spec.partition(":")
    folder = folder.strip("/") or "rules"
    if not revision or revision.startswith("-"):
        raise InputError(f"{spec!r} is neither a directory nor a git revision", file=option)
    top = Path(_git(["rev-parse", "--show-toplevel"], option).decode().strip())
    tar = _git(["-C", str(top), "archive", "--format=tar", revision, "--", folder], option)
    target = scratch / f"{option.strip('-')}"
    target.mkdir()
    archive = target / "rules.tar"
    archive.write_bytes(tar)
    with tarfile.open(archive) as opened:
        members = [
            m
            for m in opened.getmembers()
            if (m.isfile() or m.isdir())
            and not os.path.isabs(m.name)
            and ".." not in Path(m.name).parts
        ]
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # 3.11.4+
        opened.extractall(target, members=members, **safe)  # type: ignore[arg-type]
    found = target / folder
    if not (found / "rulebase.yaml").is_file():
        raise InputError(f"{folder}/ at {revision} holds no rulebase.yaml", file=option)
    return found


@click.command("diff")
@common.products_argument
@click.option(
    "--rules-from",
    required=True,
    metavar="DIR|REV",
    help="The rule base before: a directory, or a git revision (REV or REV:PATH, PATH "
    "defaulting to rules).",
)
@click.option(
    "--rules-to",
    default=None,
    metavar="DIR|REV",
    help="The rule base after (default: the shipped one, or --rules / PATHWAY_RULES).",
)
@common.jurisdictions_option
@common.as_of_option
@common.format_option(render.REPORT_FORMATS)
@common.output_option
@common.max_bytes_option
@common.rules_option
def diff(
    products: tuple[str, ...],
    rules_from: str,
    rules_to: str | None,
    jurisdictions: list[str] | None,
    as_of: _dt.date | None,
    fmt: str,
    output: str | None,
    max_bytes: int,
    rules: str | None,
) -> None:
    """Assess each PRODUCT under two rule bases and report every product whose pathway,
    classification, premarket review, obligations or questions changed, with the rules
    responsible. Exit 1 when a pathway changed, 0 when none did, 2 on a product that cannot
    be read."""
    from ..analysis.rulediff import RuleDiff
    from ..rulebase.fingerprint import default_rules_dir
    from ..rulebase.load import load_rulebase

    day = as_of or _dt.date.today()
    with tempfile.TemporaryDirectory(prefix="pathway-diff-") as tmp:
        scratch = Path(tmp)
        after_spec = rules_to or rules or str(default_rules_dir())
        before = load_rulebase(rules_dir(rules_from, "--rules-from", scratch))
        after = load_rulebase(rules_dir(after_spec, "--rules-to", scratch))
        before.require_jurisdictions(jurisdictions or ())
        after.require_jurisdictions(jurisdictions or ())
        engine = RuleDiff(
            before,
            after,
            (rules_from, rules_to or rules or "shipped"),
            day,
            jurisdictions,
            Limits(max_bytes=max_bytes),
        )
        files = list(common.products(products))
        if any(not isinstance(source, Path) for _, source in files):
            raise InputError("give product files or directories (not stdin)", file="-")
        report = engine.report((name, source) for name, source in files if isinstance(source, Path))
    common.write(render.diff(fmt, report), output)
    click.get_current_context().exit(report.exit_code)
