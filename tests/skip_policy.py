"""A pytest plugin: no run goes green by skipping, and every run says what it skipped.

Registered by `tests/conftest.py`. What counts as a skip: `pytest.skip`, `skipif`,
`importorskip`, a module skipped at collection, an imperative `pytest.xfail`, an `xfail` mark
with `run=False`, and an `xfail` mark that is not strict (whether the test then fails or
passes: either way it cannot fail the run). A strict `xfail` that runs is a statement ("this
fails, for this reason") and is not a skip.

- In CI (`tests/ci_mode.py`), each skip fails its test unless an entry of
  `tests/skip-allowlist.toml` matches the test's id; the failure gives the skip's reason.
- Every run ends with the number of tests collected and the list of skips with their reasons
  (and, in CI, which ones an allow-list entry accepted).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import tomli

ALLOWLIST = Path(__file__).resolve().parent / "skip-allowlist.toml"


@dataclass(frozen=True)
class Allowance:
    """One allow-list entry: the test ids it covers (an fnmatch pattern) and why CI may skip them."""

    tests: str
    reason: str

    def covers(self, nodeid: str) -> bool:
        return fnmatch.fnmatchcase(nodeid, self.tests)


def read_allowlist(path: Path = ALLOWLIST) -> list[Allowance]:
    """The entries of an allow-list file; each needs `tests` and a non-empty `reason`."""
    data = tomli.loads(path.read_text("utf-8"))
    entries = []
    for index, entry in enumerate(data.get("allow", []), start=1):
        tests, reason = entry.get("tests"), entry.get("reason")
        if not isinstance(tests, str) or not tests or not isinstance(reason, str) or not reason.strip():
            raise ValueError(f"{path}: entry {index} needs a `tests` pattern and a `reason`")
        entries.append(Allowance(tests, reason.strip()))
    return entries


@dataclass(frozen=True)
class Skip:
    """A test (or module) that did not prove anything in this run, and why."""

    nodeid: str
    kind: str  # "skipped", "xfail (not strict / not run / imperative)", "xpass (not strict)"
    reason: str
    allowance: Allowance | None


class SkipPolicy:
    """The plugin object: decides what is a skip, fails it in CI unless allowed, reports them all."""

    def __init__(self, in_ci: bool, allowlist: Iterable[Allowance]) -> None:
        self.in_ci = in_ci
        self.allowlist = list(allowlist)
        self.skips: list[Skip] = []
        self.strict_xfails = 0
        self.selected = 0
        self.deselected = 0

    def allowance(self, nodeid: str) -> Allowance | None:
        return next((a for a in self.allowlist if a.covers(nodeid)), None)

    # ---- deciding ------------------------------------------------------------------------------

    def _record(self, report: pytest.CollectReport | pytest.TestReport, kind: str, reason: str) -> None:
        allowance = self.allowance(report.nodeid)
        self.skips.append(Skip(report.nodeid, kind, reason, allowance))
        if self.in_ci and allowance is None:
            report.outcome = "failed"
            report.longrepr = (
                f"{kind} in CI: {reason}\n"
                "CI fails every skip that tests/skip-allowlist.toml does not name "
                "(install what the test needs, or add an entry with its reason)."
            )
            if hasattr(report, "wasxfail"):
                del report.wasxfail

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_make_collect_report(
        self, collector: pytest.Collector
    ) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
        report = yield
        if report.skipped:
            self._record(report, "skipped", _skip_reason(report.longrepr))
        return report

    @pytest.hookimpl(wrapper=True, tryfirst=True)  # outermost: sees pytest's xfail verdict
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        xfail_reason = getattr(report, "wasxfail", None)
        if xfail_reason is not None:
            kind = _xfail_kind(item)
            if kind is None:
                self.strict_xfails += report.skipped
            elif report.skipped:
                self._record(report, kind, xfail_reason or "no reason given")
            elif report.passed:
                self._record(report, "xpass (not strict)", xfail_reason or "no reason given")
        elif report.skipped:
            self._record(report, "skipped", _skip_reason(report.longrepr))
        return report

    # ---- reporting -----------------------------------------------------------------------------

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self.deselected += len(items)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.selected = session.testscollected  # pytest counts after deselection (-k, -m)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        for line in self.summary_lines():
            terminalreporter.write_line(line)

    def summary_lines(self) -> list[str]:
        """The end-of-run lines: collected count, then every skip with its reason."""
        collected = self.selected + self.deselected
        selected = f" ({self.selected} selected)" if self.deselected else ""
        mode = "CI: skips fail unless allow-listed" if self.in_ci else "not CI: skips are allowed"
        lines = [
            f"skip policy ({mode}): {collected} tests collected{selected}, "
            f"{len(self.skips)} skipped or not-strict xfail, {self.strict_xfails} strict xfail"
        ]
        for skip in self.skips:
            if not self.in_ci:
                verdict = ""
            elif skip.allowance is None:
                verdict = "  [FAILED: not on tests/skip-allowlist.toml]"
            else:
                verdict = f"  [allowed: {skip.allowance.reason}]"
            lines.append(f"  {skip.kind}: {skip.nodeid}: {skip.reason}{verdict}")
        return lines


def _skip_reason(longrepr: Any) -> str:
    """The reason of a skip report (pytest keeps it as (file, line, "Skipped: reason"))."""
    reason = str(longrepr[2]) if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    return reason.removeprefix("Skipped: ")


def _xfail_kind(item: pytest.Item) -> str | None:
    """None for a statement (an xfail mark that is strict, by its own `strict` or the
    `xfail_strict` ini, and lets the test run); otherwise what kind of skip the xfail is."""
    mark = item.get_closest_marker("xfail")
    if mark is None:  # pytest.xfail() called in the test: it stops the test, like a skip
        return "xfail (imperative)"
    if not mark.kwargs.get("run", True):
        return "xfail (not run)"
    if not mark.kwargs.get("strict", item.config.getini("xfail_strict")):
        return "xfail (not strict)"
    return None
