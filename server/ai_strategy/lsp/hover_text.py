"""What hover says at a position: the markdown, and the range of the text it is about.

Targets, most specific first: a rule code in a suppression comment or in `[lint]`; an enum value;
a key; a table header. On `approach` (key or value) the whole score table and the decision.
Everything is read from the error-tolerant outline, so hover keeps working on a broken file.

This module imports the engine at its top; `hover.py` (imported when the server starts) loads it
with the first hover, after `initialize` has been answered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

from ..recommend import Recommendation, lookup
from ..schema_file import key_schema
from .completion import LINT_CODE_LISTS
from .describe import factor_table, key_summary, plain_text, rule_summary, table_summary, value_summary
from .documents import Analysis, OpenDocument
from .features import Wire
from .recommendation import explanation, shown_recommendation, waiting_reason

if TYPE_CHECKING:
    from ..document import Document
    from ..findings import Position, Range
    from .session import Session

APPROACH = ("strategy", "approach")
PART_BREAK = "\n\n---\n\n"
"""A Markdown horizontal rule between the parts of one hover (what the key is, what it does to
the recommendation)."""


def _inside(range_: Range, position: Position) -> bool:
    return range_.start <= position <= range_.end


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def markup(session: Session, markdown: str) -> Wire:
    """MarkupContent (JSON): Markdown when the client renders it, plain text otherwise."""
    text_caps = session.capabilities.text_document
    formats = text_caps.hover.content_format if text_caps and text_caps.hover else None
    if formats and types.MarkupKind.Markdown not in formats:
        return {"kind": types.MarkupKind.PlainText.value, "value": plain_text(markdown)}
    return {"kind": types.MarkupKind.Markdown.value, "value": markdown}


def hover_markdown(
    session: Session, doc: OpenDocument, analysis: Analysis, position: Position
) -> tuple[str, Range] | None:
    """The markdown to show at a position and the range it is about."""
    document = analysis.report.document
    if document is None:
        return None
    outline = document.outline
    base = session.settings.docs_base_url
    for suppression in outline.suppressions():
        for code, where in zip(suppression.codes, suppression.code_ranges, strict=False):
            if _inside(where, position):
                return rule_summary(code, base), where
    entries = [e for e in outline.entries_on(position.line) if _inside(e.range, position)]
    entries.sort(key=lambda e: len(e.path), reverse=True)
    values = document.working_values()
    recommendation, stale = shown_recommendation(doc, analysis)
    for entry in entries:
        if entry.path in LINT_CODE_LISTS:
            for item in entry.item_ranges:
                if _inside(item, position):
                    code = _unquote(document.text[_span(document, item)])
                    return rule_summary(code, base), item
        if (
            len(entry.path) == 3
            and entry.path[:2] == ("lint", "severity")
            and _inside(entry.key_range, position)
        ):
            return rule_summary(entry.path[2], base), entry.key_range
        on_key = _inside(entry.key_range, position)
        on_value = entry.value_range is not None and _inside(entry.value_range, position)
        if not (on_key or on_value):
            continue
        declared, value = lookup(values, ".".join(entry.path))
        if entry.path == APPROACH and recommendation is not None:
            reason = waiting_reason(analysis) if stale else ""
            text = key_summary(entry.path) + PART_BREAK + explanation(recommendation, value, reason)
            if on_value and isinstance(value, str):
                text = value_summary(entry.path, value) + PART_BREAK + text
            assert entry.value_range is not None or on_key
            return text, entry.value_range if on_value and entry.value_range else entry.key_range
        if on_value and entry.value_range is not None and isinstance(value, str):
            node = key_schema(entry.path) or {}
            if node.get("enum"):
                text = value_summary(entry.path, value)
                text += PART_BREAK + _key_text(entry.path, value, declared, recommendation, stale, analysis)
                return text, entry.value_range
        where = entry.key_range if on_key else entry.value_range or entry.key_range
        return _key_text(entry.path, value, declared, recommendation, stale, analysis), where
    for table in outline.tables:
        if _inside(table.header_range, position):
            return table_summary(".".join(table.path)), table.header_range
    return None


def _key_text(
    path: tuple[str, ...],
    value: Any,
    declared: bool,
    recommendation: Recommendation | None,
    stale: bool,
    analysis: Analysis,
) -> str:
    text = key_summary(path)
    table = factor_table(".".join(path), value, declared, recommendation)
    if table:
        text += PART_BREAK + table
        if stale:
            text += f"\n\n_Last valid recommendation, {waiting_reason(analysis)}._"
    return text


def _span(document: Document, range_: Range) -> slice:
    lines = document.lines
    return slice(lines.offset(range_.start), lines.offset(range_.end))


def hover_json(
    session: Session, doc: OpenDocument, analysis: Analysis, position: types.Position
) -> Wire | None:
    """The Hover (JSON) for a client position, or None when there is nothing to say."""
    found = hover_markdown(session, doc, analysis, analysis.positions.from_client(position))
    if found is None:
        return None
    markdown, where = found
    return {"contents": markup(session, markdown), "range": analysis.positions.range_json(where)}
