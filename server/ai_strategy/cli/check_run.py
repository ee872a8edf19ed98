"""The result of one `check` run, handed to every output format."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..analysis import Report
from ..findings import Finding, Severity


@dataclass
class FileResult:
    """One checked file: the name to show and its report."""

    display: str
    report: Report


@dataclass
class CheckRun:
    """Every file of a run, plus what the user asked for (colour, statistics, fail level)."""

    files: list[FileResult]
    fail_on: Severity = Severity.ERROR
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
        """True when a finding is at or above the fail level."""
        return any(finding.severity.rank >= self.fail_on.rank for _, finding in self.findings())
