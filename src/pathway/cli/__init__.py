"""The command line (contract section 3).

Exit codes (``exit_codes``): 0 success; 1 a check failed; 2 bad input or usage (the message
names file, line and field); 3 internal error. Results go to stdout, messages to stderr; never a
traceback unless PATHWAY_DEBUG is set. One module per command; ``main`` maps every failure to an
exit code.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

import click

from .. import __version__
from ..errors import PathwayError
from . import exit_codes

# each command's module is imported only when the command runs (a fast start for CI loops)
COMMANDS = {
    "assess": "assess_cmd:assess",
    "brief": "brief_cmd:brief",
    "check": "check_cmd:check",
    "diff": "diff_cmd:diff",
    "interview": "questions_cmd:interview",
    "questions": "questions_cmd:questions",
    "rules": "rules_cmd:rules",
    "schema": "schema_cmd:schema",
    "serve": "serve_cmd:serve",
    "what-if": "whatif_cmd:what_if",
}


class PathwayGroup(click.Group):
    """Commands load lazily. Bad input and rule-base errors end the command with their
    one-line message and exit code (2, or 3 for an engine bug), under ``main`` and under
    click's test runner alike."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        command: click.Command = getattr(importlib.import_module(f"{__name__}.{module}"), attr)
        return command

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except PathwayError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(
    cls=PathwayGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="pathway")
def cli() -> None:
    """Regulatory pathways for cell, tissue and gene-modified-cell products (US, EU, JP, CN)."""


def _fail(message: str, code: int) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Console entry point: maps every failure to a one-line message and an exit code."""
    try:
        result = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="pathway",
            standalone_mode=False,
        )
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        _fail("aborted", exit_codes.ABORTED)
    except click.ClickException as exc:
        _fail(f"error: {exc.format_message()}", exit_codes.BAD_INPUT)
    except PathwayError as exc:
        _fail(f"error: {exc}", exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # a bug: one line, exit 3
        if os.environ.get("PATHWAY_DEBUG"):
            raise
        _fail(
            f"internal error: {type(exc).__name__}: {exc} (a bug in pathway: please report it; "
            "set PATHWAY_DEBUG=1 for the traceback)",
            exit_codes.INTERNAL,
        )
    sys.exit(result if isinstance(result, int) else exit_codes.OK)


__all__ = ["cli", "main"]
