"""The command line's one table of exit codes (contract section 3), and how a run's outcome maps
onto it. Every command ends through here; ``errors.ExitCode`` names the codes.

| code | meaning |
|---|---|
| 0 | success |
| 1 | a check failed (``pathway check``; ``pathway rules lint`` found an error) |
| 2 | bad input or usage: the message names file, line and field |
| 3 | internal error: a bug in pathway |
| 130 | aborted at a prompt |
"""

from __future__ import annotations

from ..errors import ExitCode

OK = ExitCode.OK
CHECK_FAILED = ExitCode.CHECK_FAILED
BAD_INPUT = ExitCode.BAD_INPUT
INTERNAL = ExitCode.INTERNAL
ABORTED = ExitCode.ABORTED


def of_batch(input_errors: int, internal_errors: int) -> ExitCode:
    """A batch: 3 if a product hit an internal error, else 2 if one could not be read, else 0."""
    if internal_errors:
        return INTERNAL
    return BAD_INPUT if input_errors else OK
