"""The result of one `check` run, handed to every output format, and its plain-data form.

A file's result crosses a process boundary (a worker of the parallel path) or a run (the result
cache) as plain data: JSON-ready lists and dicts, never pickled objects (`FileResult.plain`,
`FileResult.from_plain`). The output formats read only what survives that trip: the name, the
findings, the text (for source excerpts), the recommendation's JSON and the fail level.

The recommendation crosses as the declared values it is made from (`Recommendation.declared`),
and its JSON is worked out only when an output shows it (`check --format json`): building the
whole explanation of every file for the cache cost more than the recommendation itself.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..analysis import LintOptions, Report
from ..document import LineIndex
from ..findings import Edit, Finding, Fix, Position, Range, Related, Severity

Plain = dict[str, Any]
"""A file's result as plain data: {"text": str | None (None: the file's bytes decoded as UTF-8),
"decoded": bool (the bytes were text: source excerpts can be shown), "findings": [...],
"declared": the values the recommendation is made from | None (no recommendation),
"recommendation": the recommendation's JSON | None (not worked out yet, or no recommendation)}."""


class FileResult:
    """One checked file: the name to show, its report, the level that fails it and the options
    it was analysed with."""

    def __init__(
        self,
        display: str,
        report: Report,
        fail_on: Severity = Severity.ERROR,
        options: LintOptions | None = None,
    ) -> None:
        self.display = display
        self.report = report
        self.fail_on = fail_on
        self.options = options or LintOptions()
        self._recommendation: dict[str, Any] | None = None
        self._declared: dict[str, Any] | None = None
        self._lines: LineIndex | None = None
        self._decoded = report.document is not None
        self.worker: int | None = None
        """The id of the worker process that analysed the file (None: this process, or the
        result cache)."""

    def recommendation_json(self) -> dict[str, Any] | None:
        """The recommendation as the JSON report and `recommend --format json` give it."""
        if self._recommendation is None:
            recommendation = self.report.recommendation
            if recommendation is None and self._declared is not None:
                from ..recommend import from_declared

                recommendation = from_declared(self._declared)
            if recommendation is not None:
                self._recommendation = recommendation.as_json()
        return self._recommendation

    def source_lines(self) -> LineIndex | None:
        """The lines of the checked text, for source excerpts (None when the file was not text)."""
        if self.report.document is not None:
            return self.report.document.lines
        if self._lines is None and self._decoded:
            self._lines = LineIndex(self.report.text)
        return self._lines

    def failed(self) -> bool:
        """True when a finding is at or above this file's fail level."""
        return any(finding.severity.rank >= self.fail_on.rank for finding in self.report.findings)

    def plain(self, data: bytes | None = None) -> Plain:
        """This result as plain data; `data`: the file's bytes, so an equal text is not stored."""
        text: str | None = self.report.text
        if data is not None:
            try:
                if data.decode("utf-8") == text:
                    text = None
            except UnicodeDecodeError:
                pass
        return {
            "text": text,
            "decoded": self._decoded,
            "findings": [_finding_plain(f) for f in self.report.findings],
            "declared": self._declared_values(),
            "recommendation": self._recommendation,
        }

    def _declared_values(self) -> dict[str, Any] | None:
        recommendation = self.report.recommendation
        return dict(recommendation.declared) if recommendation is not None else self._declared

    @classmethod
    def from_plain(
        cls,
        display: str,
        plain: Plain,
        data: bytes | None,
        fail_on: Severity = Severity.ERROR,
        options: LintOptions | None = None,
    ) -> FileResult:
        """A result from its plain form (`data`: the file's bytes, when the text was not stored)."""
        text = plain["text"] if plain["text"] is not None else (data or b"").decode("utf-8")
        findings = [_finding_from_plain(f) for f in plain["findings"]]
        result = cls(display, Report(display, text, findings, None, None), fail_on, options)
        result._decoded = bool(plain["decoded"])
        result._recommendation = plain["recommendation"]
        result._declared = plain["declared"]
        return result


@dataclass
class RunStats:
    """What a run did, for `check --verbose`: files found, served by the result cache, analysed,
    and the processes that analysed them (this one and its forked workers)."""

    files: int = 0
    from_cache: int = 0
    analysed: int = 0
    processes: set[int] = field(default_factory=set)

    def line(self) -> str:
        """One line for stderr."""
        this = os.getpid()
        workers = sorted(self.processes - {this})
        where = "in this process"
        if workers:
            pids = ", ".join(str(pid) for pid in workers)
            where = f"by {len(self.processes | {this})} processes: this one ({this}) and workers {pids}"
        return (
            f"{self.files} files: {self.from_cache} from the result cache, {self.analysed} analysed {where}"
        )


@dataclass
class CheckRun:
    """Every file of a run, plus what the user asked for (colour, statistics, quiet)."""

    files: list[FileResult]
    color: bool = False
    statistics: bool = False
    quiet: bool = False
    docs_base_url: str = ""
    notes: list[str] = field(default_factory=list)
    fixed: dict[str, int] = field(default_factory=dict)

    def findings(self) -> list[tuple[FileResult, Finding]]:
        """Every finding with its file, in file order."""
        return [(f, finding) for f in self.files for finding in f.report.findings]

    def counts(self) -> Counter[str]:
        """How many findings per severity name."""
        return Counter(finding.severity.value for _, finding in self.findings())

    def failed(self) -> bool:
        """True when some file has a finding at or above its fail level."""
        return any(result.failed() for result in self.files)


# ---- findings as plain data -------------------------------------------------------------------


def _range_plain(where: Range) -> list[int]:
    return [where.start.line, where.start.column, where.end.line, where.end.column]


def _range_from_plain(values: list[int]) -> Range:
    return Range(Position(values[0], values[1]), Position(values[2], values[3]))


def _finding_plain(finding: Finding) -> list[Any]:
    return [
        finding.code,
        finding.severity.value,
        finding.message,
        _range_plain(finding.range),
        [
            [fix.title, [[_range_plain(e.range), e.new_text] for e in fix.edits], fix.safe]
            for fix in finding.fixes
        ],
        [[_range_plain(r.range), r.message] for r in finding.related],
        finding.unnecessary,
    ]


def _finding_from_plain(values: list[Any]) -> Finding:
    code, severity, message, where, fixes, related, unnecessary = values
    return Finding(
        code,
        Severity(severity),
        message,
        _range_from_plain(where),
        tuple(
            Fix(title, tuple(Edit(_range_from_plain(r), text) for r, text in edits), bool(safe))
            for title, edits, safe in fixes
        ),
        tuple(Related(_range_from_plain(r), text) for r, text in related),
        bool(unnecessary),
    )
