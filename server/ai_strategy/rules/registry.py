"""The rule registry: each rule declared once, by code, in the module that reports it.

A `Rule` holds everything said about a rule: code, name, default severity, which fixes it offers,
and its documentation (what it does, why, with sources, how to fix, an example), written with
`Rule.documented` as it reads on the rule's page. A family module declares a rule right above the
code that reports it:

- `@check(Rule(...))` on a function of its own, which `analyse` runs on every valid file once the
  recommendation is known (the strategy-fit and consistency rules);
- `declare(Rule(...))` when a shared pass finds it (the parser for AIS001, the schema walk for
  AIS002-AIS007, the suppression check for AIS301): the declaration sits next to that pass.

`ai_strategy.rules` imports every family module, so the catalogue it exposes is complete.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .context import Context

SeverityName = Literal["error", "warning", "info"]
FixAvailability = Literal["safe", "unsafe", "safe or unsafe", ""]
"""Which fixes a rule's findings carry: only safe ones, only unsafe ones, either, or none ("")."""
Check = Callable[["Context"], None]

FAMILIES = {"0": "Syntax and schema", "1": "Strategy fit", "2": "Consistency", "3": "Hygiene"}
"""The rule families, by the first digit of the code."""
_CODE = re.compile(r"AIS[0-3][0-9]{2}")
_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_DOC_LABELS = ("What it does", "Why", "How to fix")


@dataclass(frozen=True)
class Rule:
    """One rule: its identity, default severity, fix availability and documentation."""

    code: str
    name: str
    severity: SeverityName
    summary: str
    """One sentence: what a finding of this rule means."""
    what: str
    """What it checks: when it fires, and when it stays quiet."""
    why: str
    """Why it matters, citing the sources listed in `sources`."""
    fix: str
    """How to fix a finding by hand, and what the automatic fixes do."""
    example: str
    """A short TOML text that draws the finding (tests/test_rules_catalogue.py runs it)."""
    sources: tuple[str, ...] = ()
    """Ids of `knowledge/sources.py`."""
    fixable: FixAvailability = ""

    @classmethod
    def documented(
        cls,
        code: str,
        name: str,
        severity: SeverityName,
        doc: str,
        *,
        example: str,
        sources: tuple[str, ...] = (),
        fixable: FixAvailability = "",
    ) -> Rule:
        """A rule from its documentation written as it reads: a summary paragraph, then paragraphs
        starting "What it does:", "Why:" and "How to fix:" (lines of a paragraph are joined)."""
        # paragraphs split at blank lines (indented or not); textwrap's dedent is not needed, as
        # every paragraph's whitespace is collapsed, and importing it costs each `check` 1 ms
        paragraphs = [" ".join(p.split()) for p in _BLANK_LINE.split(doc.strip())]
        summary, labelled = paragraphs[0], paragraphs[1:]
        parts: dict[str, str] = {}
        for paragraph in labelled:
            label, _, text = paragraph.partition(": ")
            if label not in _DOC_LABELS or label in parts:
                raise ValueError(f"{code}: a paragraph of its documentation starts {paragraph[:30]!r}")
            parts[label] = text
        missing = [label for label in _DOC_LABELS if label not in parts]
        if missing:
            raise ValueError(f"{code}: its documentation has no {missing[0]!r} paragraph")
        return cls(
            code,
            name,
            severity,
            summary,
            parts["What it does"],
            parts["Why"],
            parts["How to fix"],
            example,
            sources,
            fixable,
        )

    @property
    def family(self) -> str:
        """ "Syntax and schema", "Strategy fit", "Consistency" or "Hygiene"."""
        return FAMILIES[self.code[3]]

    def as_json(self) -> dict[str, Any]:
        """The rule's fields as plain data (`ai-strategy rule --format json`)."""
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "summary": self.summary,
            "what": self.what,
            "why": self.why,
            "fix": self.fix,
            "example": self.example,
            "sources": list(self.sources),
            "fixable": self.fixable,
        }


_RULES: dict[str, Rule] = {}
_CHECKS: dict[str, Check] = {}


def declare(rule: Rule) -> Rule:
    """Register `rule`, whose findings a shared pass reports (not a check of its own)."""
    if not _CODE.fullmatch(rule.code):
        raise ValueError(f"{rule.code!r} is not a rule code (AIS followed by three digits, 0-3 first)")
    if not _NAME.fullmatch(rule.name):
        raise ValueError(f"{rule.code}: the name {rule.name!r} is not lower-case words joined by '-'")
    if rule.code in _RULES:
        raise ValueError(f"{rule.code} is declared twice")
    for part in ("summary", "what", "why", "fix", "example"):
        if not getattr(rule, part).strip():
            raise ValueError(f"{rule.code}: its documentation has no {part!r}")
    _RULES[rule.code] = rule
    return rule


def check(rule: Rule) -> Callable[[Check], Check]:
    """Register `rule` with the decorated function as its check (run on every valid file)."""

    def register(function: Check) -> Check:
        declare(rule)
        _CHECKS[rule.code] = function
        return function

    return register


def registered_rules() -> tuple[Rule, ...]:
    """Every rule registered so far, in code order."""
    return tuple(_RULES[code] for code in sorted(_RULES))


def registered_checks() -> tuple[Check, ...]:
    """The check of every rule that has one, in code order."""
    return tuple(_CHECKS[code] for code in sorted(_CHECKS))


def rule_for(code: str) -> Rule:
    """The rule registered as `code` (KeyError if none is)."""
    return _RULES[code]


def is_selector(text: str) -> bool:
    """True for a rule code or a prefix of one (`AIS105`, `AIS1`, `AIS`): what select and ignore
    lists may hold. A full code is one dict lookup (files may list thousands)."""
    return text in _RULES or (bool(text) and any(code.startswith(text) for code in _RULES))
