"""What every command shares: option callbacks, the product arguments, writing results."""

from __future__ import annotations

import datetime as _dt
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from ..batch import Task
from ..errors import InputError
from ..io.document import Limits

if TYPE_CHECKING:  # imported when used: a replayed answer (``replay``) needs none of them
    from ..product.load import LoadedProduct
    from ..rulebase.model import RuleBase

PRODUCT_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")


def parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> _dt.date | None:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def assessed_day(as_of: _dt.date | None, horizon: _dt.date | None = None) -> _dt.date:
    """The day assessed (``--as-of``, else today), with ``--horizon`` checked to come after it."""
    day = as_of or _dt.date.today()
    if horizon is not None and horizon <= day:
        raise click.BadParameter(
            f"{horizon.isoformat()} is not after the day assessed ({day.isoformat()})",
            param_hint="--horizon",
        )
    return day


def parse_codes(ctx: click.Context, param: click.Parameter, value: str | None) -> list[str] | None:
    if not value:
        return None
    return [c.strip().lower() for c in value.split(",") if c.strip()]


def rulebase(rules: str | None) -> RuleBase:
    from ..rulebase.load import load_rulebase

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


def tasks(paths: Sequence[str], jsonl: bool = False) -> list[Task]:
    """One task per product: a file, or a line of a JSON Lines stream (``*.jsonl``, or every
    input with ``jsonl``)."""
    out: list[Task] = []
    for name, source in products(paths):
        stream = jsonl or name.endswith(".jsonl")
        if not stream:
            out.append(Task(len(out), name, source))
            continue
        if isinstance(source, Path):
            try:
                source = source.read_bytes()
            except OSError as exc:
                raise InputError(f"cannot read: {exc.strerror or exc}", file=name) from None
        for number, line in enumerate(source.split(b"\n"), 1):
            if line.strip():
                out.append(Task(len(out), f"{name}:{number}", line, line=number))
    return out


class Progress:
    """A one-line progress count on a terminal's stderr; nothing when stderr is not a terminal."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.enabled = total > 1 and sys.stderr.isatty()
        self.started = time.monotonic()

    def __call__(self, done: int) -> None:
        if not self.enabled or (done % 25 and done != self.total):
            return
        rate = done / max(time.monotonic() - self.started, 1e-6)
        sys.stderr.write(f"\r  {done:,}/{self.total:,} products ({rate:,.0f}/s)")
        if done == self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


class Output:
    """Where results go (a file or stdout), written as they come; ``written`` keeps what was
    written when asked to (``keep``), for ``replay``."""

    def __init__(self, output: str | None, keep: bool = False) -> None:
        self.path = output
        self.handle: TextIO | None = None
        self.written: list[str] | None = [] if keep else None

    def __enter__(self) -> Output:
        if self.path:
            try:
                self.handle = open(self.path, "w", encoding="utf-8")
            except OSError as exc:
                raise InputError(f"cannot write: {exc.strerror or exc}", file=self.path) from None
        return self

    def write(self, text: str) -> None:
        if self.written is not None:
            self.written.append(text)
        if self.handle is not None:
            self.handle.write(text)
        else:
            click.echo(text, nl=False)

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()


parallel_option = click.option(
    "-P",
    "--parallel",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for many products (default: one per CPU core).",
)
jsonl_input_option = click.option(
    "--jsonl-input",
    is_flag=True,
    help="Read every input (stdin included) as JSON Lines, one product per line "
    "(*.jsonl files always are).",
)


products_argument = click.argument("products", nargs=-1, required=True, metavar="PRODUCT...")
product_argument = click.argument("product", metavar="PRODUCT")


def format_option(choices: Sequence[str], help: str | None = None) -> Callable[[Any], Any]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default="text",
        show_default=True,
        help=help,
    )


def one_product(given: str, rb: RuleBase, max_bytes: int) -> LoadedProduct:
    """The one product a command takes (a file, or - for stdin), read and validated."""
    from ..product.load import load_product

    ((name, source),) = list(products([given]))
    return load_product(source, rb, limits=Limits(max_bytes=max_bytes), name=name)


def write(text: str, output: str | None) -> None:
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror or exc}", file=output) from None
    else:
        click.echo(text, nl=False)


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
horizon_option = click.option(
    "--horizon",
    callback=parse_date,
    metavar="YYYY-MM-DD",
    help="Also look ahead to this day: the changes of the law, and the deadlines, that change "
    "this product's pathway, classification or obligations before then.",
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
