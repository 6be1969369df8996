"""Errors that cross the library boundary. Each knows its CLI exit code (``ExitCode``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """The exit codes of the command line (contract section 3)."""

    OK = 0
    CHECK_FAILED = 1  # pathway check: an expectation failed (or --fail-on matched)
    BAD_INPUT = 2  # a product file, an option, a rule base: the message names file and line
    INTERNAL = 3  # a bug in pathway
    ABORTED = 130  # interrupted (Ctrl-C at a prompt)


class PathwayError(Exception):
    """Base class. ``exit_code`` follows the CLI contract (2 bad input, 3 internal)."""

    exit_code: int = ExitCode.INTERNAL


@dataclass(frozen=True)
class Location:
    """A place in a text file: 1-based line and column."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class InputError(PathwayError):
    """Bad input: a product file, an option, a date. Exit code 2.

    ``str()`` is one line: ``file:line:column: field: message``.
    """

    exit_code = ExitCode.BAD_INPUT

    def __init__(
        self,
        message: str,
        *,
        file: str = "<input>",
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = " ".join(message.split())
        self.location = Location(file, line, column)
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.location)
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"


class RuleBaseError(InputError):
    """The rule base is invalid (shipped or given with --rules). Exit code 2.

    ``check`` names the lint check the defect belongs to (``lint.duplicate-id``...), when the
    loader is the place that check is made; ``rules`` the rule ids involved.
    """

    def __init__(
        self,
        message: str,
        *,
        check: str | None = None,
        rules: tuple[str, ...] = (),
        file: str = "<input>",
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message, file=file, line=line, column=column, field=field)
        self.check = check
        self.rules = tuple(rules)


class ContradictionError(InputError):
    """The product's facts contradict each other, found while applying the rules. Exit code 2."""


class EngineError(PathwayError):
    """A bug: the engine failed or the rule base produced conflicting conclusions. Exit code 3."""
