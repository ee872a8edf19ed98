"""What a rule sees and how it reports: the `Context` every check and pass shares.

A rule reads declared values from `Context` and reports `Finding`s anchored as docs/rules/README.md
says: on the key for unknown keys, on the value for wrong values and strategy findings, on the
header for table-level findings. Ranges are looked up lazily, only when a rule fires.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..document import Document, Entry
from ..findings import Edit, Finding, Fix, Position, Range, Related, Severity
from ..recommend import Recommendation, lookup
from ..toml_value import toml_value
from .registry import rule_for

Path = tuple[str, ...]


@dataclass
class Context:
    """What rules see: the document, its usable values and the recommendation."""

    document: Document
    values: Mapping[str, Any]
    """Declared values that passed the schema checks (wrong ones are left out)."""
    recommendation: Recommendation | None = None
    findings: list[Finding] = field(default_factory=list)
    suggestions_searched: int = 0
    """How many unknown names got a did-you-mean search (bounded per file, see rules.schema)."""
    _approach: tuple[Mapping[str, Any], str | None] | None = field(default=None, repr=False, compare=False)
    """(the values it was read from, the approach): every strategy rule asks for it."""

    # ---- values -------------------------------------------------------------------------
    def get(self, dotted: str) -> Any:
        """The declared value of "table.key", or None when it is not declared."""
        return lookup(self.values, dotted)[1]

    def declared(self, dotted: str) -> bool:
        """True when "table.key" is declared (with a valid value)."""
        return lookup(self.values, dotted)[0]

    @property
    def approach(self) -> str | None:
        """The declared approach, or None."""
        known = self._approach
        if known is None or known[0] is not self.values:  # read once per values (about 27 asks a file)
            value = self.get("strategy.approach")
            known = self._approach = (self.values, value if isinstance(value, str) else None)
        return known[1]

    # ---- ranges -------------------------------------------------------------------------
    def entry(self, path: Path) -> Entry | None:
        """The key = value pair at `path`, if the text has one."""
        return self.document.outline.entry(path)

    def value_range(self, path: Path) -> Range:
        """The range of the value at `path` (or of the nearest thing that exists)."""
        entry = self.entry(path)
        if entry is not None and entry.value_range is not None:
            return entry.value_range
        if entry is not None:
            return entry.key_range
        return self.table_range(path[:-1]) if len(path) > 1 else self.document_start()

    def key_range(self, path: Path) -> Range:
        """The range of the key at `path`."""
        entry = self.entry(path)
        if entry is not None:
            return entry.key_range
        return self.table_range(path)

    def item_range(self, path: Path, index: int) -> Range:
        """The range of item `index` of the array at `path`."""
        entry = self.entry(path)
        if entry is not None and index < len(entry.item_ranges):
            return entry.item_ranges[index]
        return self.value_range(path)

    def table_range(self, path: Path) -> Range:
        """The header of table `path`; for a table made by dotted keys, its first key."""
        if not path:
            return self.document_start()
        header = self.document.outline.table(path)
        if header is not None:
            return header.header_range
        entry = self.document.outline.first_entry_under(path)
        if entry is not None:
            return entry.key_range
        return self.table_range(path[:-1]) if len(path) > 1 else self.document_start()

    def document_start(self) -> Range:
        """An empty range at the first line that is not a comment or blank."""
        lines = self.document.lines
        for line in range(lines.line_count):
            text = lines.line_text(line).strip()
            if text and not text.startswith("#"):
                return Range.at(line, 0)
        return Range.at(0, 0)

    def related(self, *paths: Path) -> tuple[Related, ...]:
        """Related information pointing at the values of `paths` that are declared with a valid value."""
        out = []
        for path in paths:
            declared, value = lookup(self.values, ".".join(path))
            if declared and self.entry(path) is not None:
                out.append(Related(self.value_range(path), f"{'.'.join(path)} = {toml_value(value)}"))
        return tuple(out)

    # ---- edits --------------------------------------------------------------------------
    def replace_value(self, path: Path, value: Any, title: str, safe: bool) -> Fix | None:
        """A fix that replaces the value at `path` with `value` written as TOML."""
        entry = self.entry(path)
        if entry is None or entry.value_range is None:
            return None
        return Fix(title, (Edit(entry.value_range, toml_value(value)),), safe)

    def line_span(self, first: int, last: int) -> Range:
        """Lines first..last whole, including the last line's line break."""
        lines = self.document.lines
        end = (
            Position(last + 1, 0)
            if last + 1 < lines.line_count
            else Position(last, len(lines.line_text(last)))
        )
        return Range(Position(first, 0), end)

    def insertion_after_table(self, table: Path) -> Position | None:
        """Where a new key of `table` goes: the line after its last key (None if no header)."""
        header = self.document.outline.table(table)
        if header is None:
            return None
        last = header.header_range.end.line
        for entry in self.document.outline.entries:
            inside = (
                header.header_range.end <= entry.range.start
                and entry.range.start.line <= header.range.end.line
            )
            if entry.path[: len(table)] == table and inside:
                last = max(last, entry.range.end.line)
        return Position(last + 1, 0)

    def append_text(self, text: str) -> Edit:
        """An edit adding `text` at the end of the document, after a blank line."""
        lines = self.document.lines
        end = lines.end()
        body = self.document.text
        prefix = "" if not body or body.endswith("\n\n") else ("\n" if body.endswith("\n") else "\n\n")
        return Edit(Range(end, end), prefix + text)

    def insert_line(self, position: Position, text: str) -> Edit:
        """An edit inserting a whole line (text without its line break) at `position`."""
        lines = self.document.lines
        if position.line >= lines.line_count:
            end = lines.end()
            body = self.document.text
            lead = "" if body.endswith("\n") or not body else "\n"
            return Edit(Range(end, end), lead + text + "\n")
        return Edit(Range(position, position), text + "\n")

    # ---- reporting ----------------------------------------------------------------------
    def report(
        self,
        code: str,
        message: str,
        where: Range,
        *,
        fixes: tuple[Fix | None, ...] = (),
        related: tuple[Related, ...] = (),
        severity: Severity | None = None,
        unnecessary: bool = False,
    ) -> None:
        """Record a finding with the rule's default severity unless one is given."""
        self.findings.append(
            Finding(
                code=code,
                severity=severity or Severity(rule_for(code).severity),
                message=message,
                range=where,
                fixes=tuple(f for f in fixes if f is not None),
                related=related,
                unnecessary=unnecessary,
            )
        )

    def report_on(
        self,
        code: str,
        dotted: str,
        message: str,
        *,
        related: tuple[str, ...] = (),
        fixes: tuple[Fix | None, ...] = (),
        severity: Severity | None = None,
    ) -> None:
        """Record a finding on the value of the key `dotted` ("rag.reindex"), with the values of the
        `related` keys as related information: where a finding about a declared value sits."""
        self.report(
            code,
            message,
            self.value_range(tuple(dotted.split("."))),
            related=self.related(*(tuple(key.split(".")) for key in related)),
            fixes=fixes,
            severity=severity,
        )
