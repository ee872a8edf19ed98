"""Text -> parsed document: values from tomli, positions from tree-sitter-toml.

tomli decides validity and values (TOML 1.0). tree-sitter-toml gives the range of every table
header, key and value, and keeps a tree for broken text, so the parts that still parse can still
be checked, hovered and completed. The tree is built lazily: a clean file that produces no
finding never pays for it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate, pairwise
from typing import Any, TypeVar

import tomli

from .findings import Position, Range

MAX_BYTES = 4 * 1024 * 1024
"""Largest file analysed (4 MiB). A strategy file is a few kilobytes; larger input is refused
with a finding instead of being parsed, so no input can make a front end hang."""

MAX_NESTING = 256
"""Deepest bracket nesting handed to the parsers (tomli recurses; tree walks are bounded too)."""

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_HEADER_LINE = re.compile(r"\[[^\[\]]+\]\s*(#.*)?$")
"""A line that is a `[table]` header (possibly with a comment), as far as text can tell."""
_KEY_KINDS = frozenset({"bare_key", "quoted_key", "dotted_key"})
_KEY_PART_KINDS = frozenset({"bare_key", "quoted_key"})
_SUPPRESSION = re.compile(r"#\s*ai-strategy:\s*ignore\[([^\]]*)\]")


@dataclass(frozen=True)
class SyntaxProblem:
    """Why the text is not valid TOML 1.0, and where."""

    message: str
    range: Range


class LineIndex:
    """Converts between character offsets, UTF-8 byte offsets and (line, code-point column)."""

    def __init__(self, text: str) -> None:
        self.text = text
        if "\r" in text:
            starts = [0]
            for match in _LINE_BREAK.finditer(text):
                starts.append(match.end())
        else:  # the common case, three times as fast: line i starts after i lines and i breaks
            lengths = accumulate(map(len, text.split("\n")[:-1]), initial=0)
            starts = [total + index for index, total in enumerate(lengths)]
        self.line_starts = starts

    @property
    def line_count(self) -> int:
        """Number of lines (a final line break opens an empty last line)."""
        return len(self.line_starts)

    def line_text(self, line: int) -> str:
        """The text of `line` without its line break."""
        start = self.line_starts[line]
        end = self.line_starts[line + 1] if line + 1 < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def line_length(self, line: int) -> int:
        """len(line_text(line)) without copying the line (positions on a 1 MB line stay cheap)."""
        start = self.line_starts[line]
        if line + 1 >= len(self.line_starts):
            return len(self.text) - start
        end = self.line_starts[line + 1]
        return end - start - (2 if self.text.startswith("\r\n", end - 2) else 1)

    def position(self, offset: int) -> Position:
        """The position of a character offset (clamped to the text)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.line_starts, offset) - 1
        return Position(line, offset - self.line_starts[line])

    def offset(self, position: Position) -> int:
        """The character offset of a position (clamped to its line)."""
        line = max(0, min(position.line, len(self.line_starts) - 1))
        return self.line_starts[line] + min(max(position.column, 0), self.line_length(line))

    def end(self) -> Position:
        """The position just after the last character."""
        return self.position(len(self.text))

    @cached_property
    def _byte_starts(self) -> list[int]:
        text, line_starts = self.text, self.line_starts
        if text.isascii():
            return list(line_starts)
        starts = [0]
        for start, end in pairwise(line_starts):
            starts.append(starts[-1] + len(text[start:end].encode("utf-8", "surrogatepass")))
        return starts

    @cached_property
    def rows_match_tree_sitter(self) -> bool:
        """True when every line break is LF or CRLF, so tree-sitter's rows are our lines."""
        return self.text.count("\r") == self.text.count("\r\n")

    def position_of_point(self, row: int, byte_column: int) -> Position:
        """The position of a tree-sitter point (row, UTF-8 byte column on that row)."""
        if row >= len(self.line_starts):
            return self.end()
        encoded = self._encoded_line(row)
        if encoded is None:
            return Position(row, min(byte_column, self.line_length(row)))
        return Position(row, len(encoded[:byte_column].decode("utf-8", "ignore")))

    def _encoded_line(self, row: int) -> bytes | None:
        """The UTF-8 bytes of line `row`, or None when the line is ASCII (bytes == code points)."""
        cache = self._encoded_cache
        if row not in cache:
            text = self.line_text(row)
            encoded = text.encode("utf-8", "surrogatepass")
            cache[row] = None if len(encoded) == len(text) else encoded
        return cache[row]

    @cached_property
    def _encoded_cache(self) -> dict[int, bytes | None]:
        return {}

    def position_of_byte(self, byte_offset: int) -> Position:
        """The position of a UTF-8 byte offset, as tree-sitter reports them."""
        starts = self._byte_starts
        line = max(0, bisect_right(starts, byte_offset) - 1)
        within = byte_offset - starts[line]
        if within <= 0:
            return Position(line, 0)
        encoded = self._encoded_line(line)
        if encoded is None:
            return Position(line, min(within, self.line_length(line)))
        return Position(line, len(encoded[:within].decode("utf-8", "ignore")))


class Entry:
    """A key = value pair found in the text; its ranges are computed on first use."""

    def __init__(
        self,
        outline: Outline,
        path: tuple[str, ...],
        node: Any,
        key: Any,
        value: Any,
        value_kind: str,
        broken: bool,
    ) -> None:
        self.path = path
        self.broken = broken
        self.value_kind = value_kind
        self._outline = outline
        self._node, self._key, self._value = node, key, value

    @cached_property
    def key_range(self) -> Range:
        """The range of the key (all of a dotted key)."""
        return self._outline.range_of(self._key)

    @cached_property
    def value_range(self) -> Range | None:
        """The range of the value, or None when the pair has no value yet."""
        return self._outline.range_of(self._value) if self._value is not None else None

    @cached_property
    def range(self) -> Range:
        """The range of the whole pair, key to value (trailing comment excluded)."""
        end = self._value if self._value is not None else self._key
        return Range(self.key_range.start, self._outline.range_of(end).end)

    @cached_property
    def value_text(self) -> str:
        """The value as written."""
        return self._outline.text_of(self._value) if self._value is not None else ""

    @cached_property
    def item_ranges(self) -> list[Range]:
        """For an array value: the range of each item."""
        if self.value_kind != "array":
            return []
        return [
            self._outline.range_of(c)
            for c in self._value.children
            if c.type not in ("[", "]", ",", "comment")
        ]


class TableHeader:
    """A `[table]` or `[[array]]` header and the span of its body; ranges computed on first use."""

    def __init__(
        self, outline: Outline, path: tuple[str, ...], node: Any, header_end: Any, is_array: bool
    ) -> None:
        self.path = path
        self.is_array = is_array
        self.broken: bool = node.has_error
        self._outline, self._node, self._header_end = outline, node, header_end

    @cached_property
    def range(self) -> Range:
        """The header and every line of the table's body."""
        return self._outline.range_of(self._node)

    @cached_property
    def header_range(self) -> Range:
        """`[name]` itself."""
        start = self.range.start
        if self._header_end is None:
            return Range(start, Position(start.line, len(self._outline.lines.line_text(start.line))))
        return Range(start, self._outline.range_of(self._header_end).end)


class Comment:
    """A comment: where it is and its text (with the `#`)."""

    def __init__(self, outline: Outline, node: Any) -> None:
        self._outline, self._node = outline, node

    @cached_property
    def range(self) -> Range:
        """Where the comment is."""
        return self._outline.range_of(self._node)

    @cached_property
    def text(self) -> str:
        """The comment's text, `#` included."""
        return self._outline.text_of(self._node)


@dataclass(frozen=True)
class Suppression:
    """An inline `# ai-strategy: ignore[CODE, ...]` comment and the codes it names."""

    line: int
    codes: tuple[str, ...]
    code_ranges: tuple[Range, ...]
    range: Range


class Outline:
    """Every table, key and comment of the text with its range, from tree-sitter-toml."""

    def __init__(self, lines: LineIndex, data: bytes, previous_tree: Any = None) -> None:
        self.lines = lines
        self.tables: list[TableHeader] = []
        self.entries: list[Entry] = []
        self.comments: list[Comment] = []
        self.errors: list[Range] = []
        self._by_path: tuple[int, dict[tuple[str, ...], Entry]] = (-1, {})
        self._tables_by_path: tuple[int, dict[tuple[str, ...], TableHeader]] = (-1, {})
        self._by_prefix: dict[int, tuple[int, dict[tuple[str, ...], Entry]]] = {}
        self._by_line: tuple[int, dict[int, list[Entry]]] = (-1, {})
        self._suppressions: list[Suppression] | None = None
        self._build(data, previous_tree)

    def _build(self, data: bytes, previous_tree: Any) -> None:
        from .treesitter import parse_tree

        self.tree = parse_tree(data, previous_tree)
        if previous_tree is not None and self.tree.root_node.has_error:
            # error recovery may depend on the tree reused: broken text is always parsed afresh,
            # so every front end sees the same outline of it
            self.tree = parse_tree(data)
        root = self.tree.root_node
        self._data = data
        self._rows_match = self.lines.rows_match_tree_sitter
        current: tuple[str, ...] = ()
        loose: tuple[str, ...] = ()  # where top-level pairs go: the root, or a header lost in an error
        for node in root.children:
            kind = node.type
            if kind in ("table", "table_array_element"):
                current = self._table(node, kind == "table_array_element")
                loose = ()
            elif kind == "pair":
                self._pair(node, loose)
            elif kind == "comment":
                self._comment(node)
            elif kind == "ERROR" or node.is_missing:
                self.errors.append(self._range(node))
                lost = self._salvage(node, current)
                if lost is not None:
                    current = loose = lost

    def range_of(self, node: Any) -> Range:
        """The range of a tree-sitter node."""
        return self._range(node)

    def text_of(self, node: Any) -> str:
        """The text of a tree-sitter node."""
        return self._text(node)

    def _range(self, node: Any) -> Range:
        if self._rows_match:
            start, end = node.start_point, node.end_point
            return Range(
                self.lines.position_of_point(start[0], start[1]),
                self.lines.position_of_point(end[0], end[1]),
            )
        return Range(self.lines.position_of_byte(node.start_byte), self.lines.position_of_byte(node.end_byte))

    def _text(self, node: Any) -> str:
        return self._data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def _key_parts(self, node: Any, kind: str | None = None) -> tuple[str, ...] | None:
        kind = kind or node.type
        if kind == "bare_key":
            return (self._data[node.start_byte : node.end_byte].decode("utf-8", "replace"),)
        if kind == "dotted_key":
            # tree-sitter nests `a.b.c` as ((a . b) . c): walked with a stack, not recursion, so
            # a key of 50,000 parts cannot exhaust Python's stack
            parts: list[str] = []
            pending = list(reversed(node.children))
            while pending:
                child = pending.pop()
                child_kind = child.type
                if child_kind == "dotted_key":
                    pending.extend(reversed(child.children))
                elif child_kind in _KEY_PART_KINDS:
                    sub = self._key_parts(child, child_kind)
                    if sub is None:
                        return None
                    parts.extend(sub)
                elif child_kind != ".":
                    return None
            return tuple(parts)
        if kind == "quoted_key":
            text = self._text(node)
            try:
                parsed = tomli.loads(f"{text} = 0")
            except (tomli.TOMLDecodeError, RecursionError):
                return (text.strip("\"'"),)
            return (next(iter(parsed)),)
        return None

    def _table(self, node: Any, is_array: bool) -> tuple[str, ...]:
        path: tuple[str, ...] = ()
        header_end = None
        children = node.children
        for child in children:
            kind = child.type
            if kind in _KEY_KINDS and header_end is None:
                path = self._key_parts(child, kind) or ()
            elif kind == "]" or kind == "]]":
                header_end = child
                break
        self.tables.append(TableHeader(self, path, node, header_end, is_array))
        prefix = path
        comments = self.comments
        for child in children:
            kind = child.type
            if kind == "pair":
                self._pair(child, prefix)
            elif kind == "comment":
                comments.append(Comment(self, child))
            elif kind == "ERROR":
                self.errors.append(self._range(child))
                lost = self._salvage(child, prefix)
                if lost is not None:
                    prefix = lost
        return prefix

    def _salvage(self, node: Any, prefix: tuple[str, ...]) -> tuple[str, ...] | None:
        """Record the intact pairs of an error node; return the path of a table header it swallowed.

        A half-typed value (an unterminated string, say) makes tree-sitter swallow the next
        `[table]` header into the error, and hand the pairs after it to the previous table. The
        header is still recognisable (`[`, a key and `]`, first on their line), so the pairs after
        it keep their real table instead of turning into unknown keys of the previous one.
        """
        lost: tuple[str, ...] | None = None
        children = node.children
        for index, child in enumerate(children):
            if child.type == "pair":
                self._pair(child, prefix if lost is None else lost)
            elif child.type == "comment":
                self._comment(child)
            else:
                header = self._lost_header(children, index)
                if header is not None:
                    lost = header
        return lost

    def _lost_header(self, children: Any, index: int) -> tuple[str, ...] | None:
        child = children[index]
        start = self._range(child).start
        if self.lines.line_text(start.line)[: start.column].strip():
            return None
        if not _HEADER_LINE.match(self.lines.line_text(start.line)[start.column :]):
            return None
        if child.type == "[" and index + 1 < len(children):
            return self._key_parts(children[index + 1])
        if child.type == "array":  # `[data]` read as an array holding a bare key
            inner = [c for c in child.children if c.type not in ("[", "]")]
            if len(inner) == 1 and inner[0].type == "ERROR" and len(inner[0].children) == 1:
                return self._key_parts(inner[0].children[0])
        return None

    def _comment(self, node: Any) -> None:
        self.comments.append(Comment(self, node))

    def _pair(self, node: Any, prefix: tuple[str, ...], depth: int = 0) -> None:
        key_node = value_node = None
        key_kind = value_kind = ""
        for child in node.children:
            kind = child.type
            if key_node is None:
                if kind in _KEY_KINDS:
                    key_node, key_kind = child, kind
                elif kind == "comment":
                    self.comments.append(Comment(self, child))
            elif kind == "comment":
                self.comments.append(Comment(self, child))
            elif value_node is None and kind != "=":
                value_node, value_kind = child, kind
        if key_node is None:
            return
        parts = self._key_parts(key_node, key_kind)
        if parts is None:
            return
        broken = value_node is None or value_kind == "ERROR" or node.has_error
        entry = Entry(self, prefix + parts, node, key_node, value_node, value_kind, broken)
        self.entries.append(entry)
        if value_node is None or depth > MAX_NESTING:
            return
        if value_kind == "array":
            if b"#" in self._data[value_node.start_byte : value_node.end_byte]:  # skip the walk if none
                for c in value_node.children:
                    if c.type == "comment":
                        self.comments.append(Comment(self, c))
        elif value_kind == "inline_table":
            for child in value_node.children:
                if child.type == "pair":
                    self._pair(child, entry.path, depth + 1)

    def entry(self, path: tuple[str, ...]) -> Entry | None:
        """The first entry with exactly this path (indexed: rules look up every reported key)."""
        self._by_path = _first_by_path(self.entries, self._by_path)
        return self._by_path[1].get(path)

    def table(self, path: tuple[str, ...]) -> TableHeader | None:
        """The first header that declares this table (indexed, like `entry`)."""
        self._tables_by_path = _first_by_path(self.tables, self._tables_by_path)
        return self._tables_by_path[1].get(path)

    def entries_on(self, line: int) -> list[Entry]:
        """The entries whose range covers `line`, in text order (indexed: hover asks each time)."""
        count, by_line = self._by_line
        if count != len(self.entries):
            by_line = {}
            for entry in self.entries:
                where = entry.range
                for row in range(where.start.line, where.end.line + 1):
                    by_line.setdefault(row, []).append(entry)
            self._by_line = (len(self.entries), by_line)
        return by_line.get(line, [])

    def first_entry_under(self, prefix: tuple[str, ...]) -> Entry | None:
        """The first entry whose path starts with `prefix` (indexed per prefix length)."""
        size = len(prefix)
        count, by_prefix = self._by_prefix.get(size, (-1, {}))
        if count != len(self.entries):
            by_prefix = {}
            for entry in reversed(self.entries):
                if len(entry.path) >= size:
                    by_prefix[entry.path[:size]] = entry
            self._by_prefix[size] = (len(self.entries), by_prefix)
        return by_prefix.get(prefix)

    def partial_values(self) -> dict[str, Any]:
        """The values of every intact key = value pair, nested as tomli would give them.

        Used on broken text, so the schema rules still check the parts that parse.
        """
        values: dict[str, Any] = {}
        inline_parents = {e.path for e in self.entries if e.value_kind == "inline_table"}
        for entry in self.entries:
            if entry.broken or entry.path[:-1] in inline_parents or not entry.path:
                continue
            try:
                value = tomli.loads("v = " + entry.value_text)["v"]
            except (tomli.TOMLDecodeError, RecursionError, ValueError):
                continue
            if out_of_range_integer(value) is not None:
                continue  # not valid TOML 1.0 either
            node: Any = values
            ok = True
            for part in entry.path[:-1]:
                child = node.setdefault(part, {})
                if not isinstance(child, dict):
                    ok = False
                    break
                node = child
            if ok and entry.path[-1] not in node:
                node[entry.path[-1]] = value
        for table in self.tables:
            node = values
            for part in table.path:
                child = node.setdefault(part, {}) if isinstance(node, dict) else None
                if not isinstance(child, dict):
                    break
                node = child
        return values

    def suppressions(self) -> list[Suppression]:
        """Every inline suppression comment, with the range of each code it names (found once)."""
        if self._suppressions is None:
            self._suppressions = self._find_suppressions()
        return self._suppressions

    def _find_suppressions(self) -> list[Suppression]:
        found = []
        for comment in self.comments:
            match = _SUPPRESSION.search(comment.text)
            if not match:
                continue
            codes = []
            ranges = []
            base = comment.range.start
            for code_match in re.finditer(r"[^,\s]+", match.group(1)):
                codes.append(code_match.group(0))
                col = base.column + match.start(1) + code_match.start()
                ranges.append(Range.at(base.line, col, base.line, col + len(code_match.group(0))))
            found.append(Suppression(base.line, tuple(codes), tuple(ranges), comment.range))
        return found


class Document:
    """One strategy file: its text, its values (when valid TOML) and, lazily, its outline."""

    def __init__(self, text: str, path: str = "ai-strategy.toml", previous_tree: Any = None) -> None:
        self.path = path
        self.text = text
        self.values: dict[str, Any] | None = None
        self.syntax_problem: SyntaxProblem | None = None
        self._previous_tree = previous_tree
        self._partial_values: dict[str, Any] | None = None
        self._parse()

    @cached_property
    def lines(self) -> LineIndex:
        """Line and column arithmetic for this text."""
        return LineIndex(self.text)

    @cached_property
    def outline(self) -> Outline:
        """Ranges of every table, key and comment (tree-sitter; built on first use).

        With a `previous_tree` (the tree of an earlier text, every edit since recorded on it with
        `treesitter.record_edit`) only the edited part is parsed again.
        """
        previous, self._previous_tree = self._previous_tree, None
        return Outline(self.lines, self.text.encode("utf-8", "surrogatepass"), previous)

    @property
    def has_outline(self) -> bool:
        """True once the outline has been built (it is built on first use)."""
        return "outline" in self.__dict__

    @property
    def is_valid(self) -> bool:
        """True when the text is valid TOML 1.0."""
        return self.syntax_problem is None

    def _parse(self) -> None:
        try:
            self.values = tomli.loads(self.text)
            if _may_hold_long_integer(self.text):
                self._reject_long_integers(self.values)
        except tomli.TOMLDecodeError as error:
            message = getattr(error, "msg", None) or str(error)
            pos = getattr(error, "pos", None)
            if pos is None:
                pos = len(self.text)
            pos = _original_offset(self.text, pos)
            start = self.lines.position(pos)
            self.syntax_problem = SyntaxProblem(
                _describe_syntax(message, pos >= len(self.text)), self._error_range(start)
            )
        except RecursionError:
            self.syntax_problem = SyntaxProblem(
                f"invalid TOML: arrays or inline tables nested too deeply (over {MAX_NESTING} "
                "levels); ai-strategy does not read such a file",
                self._first_too_deep(),
            )
        except ValueError as error:
            self.syntax_problem = SyntaxProblem(
                f"invalid TOML: {error}", Range(Position(0, 0), Position(0, 0))
            )

    def _reject_long_integers(self, values: dict[str, Any]) -> None:
        """TOML 1.0 allows integers in the signed 64-bit range only ("an error must be thrown"
        for one it cannot represent losslessly); tomli reads any size, so the rest is refused
        here, as a syntax error at the integer."""
        found = out_of_range_integer(values)
        if found is None:
            return
        path, index, number = found
        entry = self.outline.entry(path)
        where = Range(Position(0, 0), Position(0, 0))
        if entry is not None:
            items = entry.item_ranges
            where = items[index] if index is not None and index < len(items) else entry.value_range or where
        self.values = None
        self.syntax_problem = SyntaxProblem(
            f"invalid TOML: integer {number} is outside the 64-bit range TOML 1.0 allows "
            f"({INT64_MIN} to {INT64_MAX})",
            where,
        )

    def _error_range(self, start: Position) -> Range:
        line = self.lines.line_text(start.line)
        if start.column < len(line):
            return Range(start, Position(start.line, start.column + 1))
        return Range(start, start)

    def _first_too_deep(self) -> Range:
        depth = 0
        for i, char in enumerate(self.text):
            if char in "[{":
                depth += 1
                if depth > MAX_NESTING:
                    return self._error_range(self.lines.position(i))
            elif char in "]}":
                depth -= 1
        return Range(Position(0, 0), Position(0, 0))

    def working_values(self) -> dict[str, Any]:
        """The values to check: all of them when valid, else those of the intact pairs."""
        if self.values is not None:
            return self.values
        if self.syntax_problem and "nested too deeply" in self.syntax_problem.message:
            return {}
        if self._partial_values is None:
            self._partial_values = self.outline.partial_values()
        return self._partial_values


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_DIGIT_RUNS = bytes(ord("x") if chr(i) in "0123456789abcdefABCDEF_" else ord(" ") for i in range(256))


def _may_hold_long_integer(text: str) -> bool:
    """An integer outside 64 bits takes at least 16 digits (hexadecimal) in TOML: only a text
    that holds such a run is searched for one. One C-speed pass (a byte translation and a
    substring search, 4 us on a 60-line file where a regular expression took 20 us)."""
    return b"x" * 16 in text.encode("utf-8", "surrogatepass").translate(_DIGIT_RUNS)


LongInteger = tuple[tuple[str, ...], "int | None", int]
"""Where an integer outside 64 bits is: its key path, its index in that key's array (or None)."""


def out_of_range_integer(value: Any, path: tuple[str, ...] = ()) -> LongInteger | None:
    """Where the first integer outside the 64-bit range is in parsed values (None: nowhere)."""
    if isinstance(value, dict):
        for key, item in value.items():
            found = out_of_range_integer(item, (*path, key))
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            inner = out_of_range_integer(item, path)
            if inner is not None:  # within an inline table of the array: its own key path
                return inner if inner[0] != path else (path, index, inner[2])
    elif isinstance(value, int) and not isinstance(value, bool) and not INT64_MIN <= value <= INT64_MAX:
        return path, None, value
    return None


def _original_offset(text: str, pos: int) -> int:
    """Map an offset of tomli's error into `text`: tomli parses `text` with CRLF turned into LF."""
    if "\r\n" not in text:
        return pos
    crlf_before = 0
    for match in re.finditer("\r\n", text):
        if match.start() - crlf_before >= pos:
            break
        crlf_before += 1
    return min(pos + crlf_before, len(text))


_Pathed = TypeVar("_Pathed", "Entry", "TableHeader")


def _first_by_path(
    items: list[_Pathed], index: tuple[int, dict[tuple[str, ...], _Pathed]]
) -> tuple[int, dict[tuple[str, ...], _Pathed]]:
    """`index` (how many items it saw, the first item of each path), rebuilt when items were added."""
    if index[0] == len(items):
        return index
    return len(items), {item.path: item for item in reversed(items)}


def _describe_syntax(message: str, at_end: bool) -> str:
    text = message[0].lower() + message[1:] if message else "invalid TOML"
    if at_end and "end of document" not in text:
        text += " (at end of document)"
    return f"invalid TOML: {text}"
