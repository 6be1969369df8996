"""What every command shares: option callbacks, the product arguments, writing results."""

from __future__ import annotations

import datetime as _dt
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from ..errors import InputError
from ..rulebase.loader import load_rulebase
from ..rulebase.model import RuleBase
from ..yamlio import Limits

PRODUCT_SUFFIXES = (".yaml", ".yml", ".json")


def parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> _dt.date | None:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def parse_codes(ctx: click.Context, param: click.Parameter, value: str | None) -> list[str] | None:
    if not value:
        return None
    return [c.strip().lower() for c in value.split(",") if c.strip()]


def rulebase(rules: str | None) -> RuleBase:
    return load_rulebase(rules)


def products(paths: Sequence[str]) -> Iterator[tuple[str, Path | bytes]]:
    """(display name, path or stdin bytes) for every product named on the command line."""
    for given in paths:
        if given == "-":
            yield "<stdin>", sys.stdin.buffer.read()
            continue
        path = Path(given)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.suffix in PRODUCT_SUFFIXES and p.is_file()
            )
            if not found:
                raise InputError("directory holds no *.yaml, *.yml or *.json files", file=given)
            for p in found:
                yield str(p), p
        else:
            yield given, path


def write(text: str, output: str | None) -> None:
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror or exc}", file=output) from None
    else:
        click.echo(text, nl=False)


def word(value: Any) -> str:
    return "true" if value is True else "false" if value is False else str(value)


rules_option = click.option(
    "--rules",
    "rules",
    metavar="DIR",
    envvar="PATHWAY_RULES",
    help="Use the rule base in DIR instead of the shipped one (env PATHWAY_RULES).",
)
jurisdictions_option = click.option(
    "-j",
    "--jurisdictions",
    callback=parse_codes,
    metavar="us,eu,jp,cn",
    help="Only these jurisdictions.",
)
as_of_option = click.option(
    "--as-of",
    callback=parse_date,
    metavar="YYYY-MM-DD",
    help="Apply the law in force on this day (default: today).",
)
output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the result to this file.",
)
max_bytes_option = click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=Limits().max_bytes,
    show_default=True,
    help="Refuse product files larger than this.",
)
