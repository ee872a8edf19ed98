"""Findings and fixes: plain data shared by every front end (no LSP or CLI types here).

Positions are 0-based lines and 0-based columns counted in Unicode code points; range ends are
exclusive. Front ends convert: the CLI to 1-based columns, the server to the negotiated encoding.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    """How serious a finding is; `rank` orders them for `--fail-on`."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """3 for error, 2 for warning, 1 for info."""
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True, order=True)
class Position:
    """A place in the text: 0-based line and 0-based code-point column."""

    line: int
    column: int


@dataclass(frozen=True)
class Range:
    """A span of text, end exclusive. An insertion point has start == end."""

    start: Position
    end: Position

    @staticmethod
    def at(line: int, column: int, end_line: int | None = None, end_column: int | None = None) -> Range:
        """A range from plain numbers; a point when no end is given."""
        return Range(
            Position(line, column),
            Position(line if end_line is None else end_line, column if end_column is None else end_column),
        )


@dataclass(frozen=True)
class Edit:
    """Replace the text in `range` by `new_text`."""

    range: Range
    new_text: str


@dataclass(frozen=True)
class Fix:
    """Text edits that resolve a finding; `safe` fixes keep the file's meaning and apply by default."""

    title: str
    edits: tuple[Edit, ...]
    safe: bool

    @property
    def applicability(self) -> str:
        """ "safe" or "unsafe", as the JSON output and SARIF call it."""
        return "safe" if self.safe else "unsafe"


@dataclass(frozen=True)
class Related:
    """Another place that takes part in a finding (e.g. `approach` for a strategy finding)."""

    range: Range
    message: str


@dataclass(frozen=True)
class Finding:
    """One problem in one file: a rule code, where it is, what it says, and how to fix it."""

    code: str
    severity: Severity
    message: str
    range: Range
    fixes: tuple[Fix, ...] = ()
    related: tuple[Related, ...] = ()
    unnecessary: bool = False

    @property
    def fix(self) -> Fix | None:
        """The preferred fix (the first), as the JSON output shows it."""
        return self.fixes[0] if self.fixes else None

    def sort_key(self) -> tuple[int, int, str]:
        """Order of appearance in the file, then code."""
        return (self.range.start.line, self.range.start.column, self.code)
