"""A rule's documentation, rendered once: Markdown and plain text from the same sections.

`ai-strategy rule`, the pages under docs/rules/ (`docs_gen.py`), hover and completion on rule
codes in the editor, and SARIF's rule help all call `rule_markdown` or `rule_plain`; the content
comes from the rule's declaration (`rules/registry.py`) and the sources table.
"""

from __future__ import annotations

from dataclasses import dataclass

from .knowledge.sources import SOURCES
from .rules import RULES_BY_CODE, Rule

DOCS_BASE_URL = "https://github.com/ai-strategy/ai-strategy/blob/main/docs/rules/"

FIX_SAFETY = {
    "safe": "The fix is safe: it keeps what the file means, so `check --fix` applies it and the "
    "editor offers it as the preferred quick fix.",
    "unsafe": "The fix is unsafe: it changes what the file declares, so `check --fix` applies it "
    "only with `--unsafe-fixes`; the editor offers it as a quick fix.",
    "safe or unsafe": "Some findings carry a safe fix (applied by `check --fix`), others only "
    "unsafe ones (applied with `--unsafe-fixes`); the editor offers every one as a quick fix.",
    "": "No automatic fix: the change is a decision for the file's authors.",
}
"""What each fix availability means, as the rule pages state it."""


@dataclass(frozen=True)
class Section:
    """One titled part of a rule's documentation; `toml` marks an example to show as code."""

    title: str
    body: str
    toml: bool = False


def rule_url(code: str, base: str = "") -> str:
    """The documentation page of a rule: `<base>/<CODE>.md` (DOCS_BASE_URL by default)."""
    base = base or DOCS_BASE_URL
    return base.rstrip("/") + f"/{code}.md"


def sections(rule: Rule) -> list[Section]:
    """What the documentation says, in order: what, why, how to fix, fix safety, example."""
    return [
        Section("What it does", rule.what),
        Section("Why", rule.why),
        Section("How to fix", rule.fix),
        Section("Fix safety", FIX_SAFETY[rule.fixable]),
        Section("Example", rule.example.rstrip("\n"), toml=True),
    ]


def _sources(rule: Rule) -> list[tuple[str, str]]:
    """(id, title, link and fact) of every source the rule cites."""
    found = []
    for source_id in rule.sources:
        source = SOURCES.get(source_id)
        if source is not None:
            link = f" <{source.url}>" if source.url else ""
            found.append((source.id, f"{source.title}.{link} {source.fact}".rstrip()))
    return found


def rule_markdown(code: str, docs_base_url: str = "", heading: str = "#") -> str:
    """The documentation of rule `code` as Markdown; `heading` is the title's level ("#", "###")."""
    rule = RULES_BY_CODE[code]
    parts = [
        f"{heading} {rule.code} {rule.name}",
        f"*{rule.family}* · default severity **{rule.severity}**"
        + (f" · fix: {rule.fixable}" if rule.fixable else ""),
        rule.summary,
    ]
    for section in sections(rule):
        body = f"```toml\n{section.body}\n```" if section.toml else section.body
        parts.append(f"{heading}# {section.title}\n\n{body}")
    sources = _sources(rule)
    if sources:
        parts.append(f"{heading}# Sources\n\n" + "\n".join(f"- **{id_}**: {text}" for id_, text in sources))
    parts.append(f"Documentation: {rule_url(code, docs_base_url)}")
    return "\n\n".join(parts) + "\n"


def rule_plain(code: str) -> str:
    """The documentation of rule `code` as plain text (terminals, clients without Markdown)."""
    rule = RULES_BY_CODE[code]
    lines = [
        f"{rule.code} {rule.name} ({rule.family}, default severity {rule.severity}"
        + (f", fix: {rule.fixable})" if rule.fixable else ")"),
        "",
        rule.summary,
    ]
    for section in sections(rule):
        lines += ["", f"{section.title}:", *("  " + line for line in section.body.splitlines())]
    sources = _sources(rule)
    if sources:
        lines += ["", "Sources:", *(f"  - {id_}: {text}" for id_, text in sources)]
    return "\n".join(lines) + "\n"
