"""The errors that reach a user as one clear line (and exit status 2 on the CLI).

Anything else that escapes is a bug and is shown as such; these are the expected ways input is bad.
"""

from __future__ import annotations

from dataclasses import dataclass


class TaskbotError(Exception):
    """Bad input or configuration: the message is complete and meant for the user."""


class ConfigError(TaskbotError):
    pass


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding in an input file, with where it is (1-based line and column)."""

    path: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class InputError(TaskbotError):
    """A file that cannot be used; carries every problem found, each with file:line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class SchemaBehindError(TaskbotError):
    pass
