"""Position encodings: the core counts code points, clients count UTF-16 (default) or UTF-8/32.

Lines are split exactly as the core and the LSP specification split them (`\n`, `\r\n`, `\r`),
so a position means the same place here, in the core and in the client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

if TYPE_CHECKING:
    from ..document import LineIndex
    from ..findings import Position, Range

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"


def encoding_name(encoding: object) -> str:
    """The plain name ("utf-8", "utf-16", "utf-32") of a negotiated encoding; UTF-16 otherwise."""
    name = str(getattr(encoding, "value", encoding) or UTF16)
    return name if name in (UTF8, UTF16, UTF32) else UTF16


def units(text: str, encoding: str) -> int:
    """How many code units of `encoding` the string takes."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


class Positions:
    """Converts positions of one text between code points and the client's encoding."""

    def __init__(self, lines: LineIndex, encoding: str) -> None:
        self.lines = lines
        self.encoding = encoding
        self._ascii_lines: dict[int, bool] = {}

    def to_client(self, position: Position) -> types.Position:
        """A core position as the client counts it (clamped to the text)."""
        return types.Position(*self._client_point(position))

    def _client_point(self, position: Position) -> tuple[int, int]:
        last = self.lines.line_count - 1
        if position.line > last:
            text = self.lines.line_text(last)
            return last, units(text, self.encoding)
        line = max(position.line, 0)
        column = min(max(position.column, 0), self.lines.line_length(line))
        if self.encoding == UTF32 or self._is_ascii(line):
            return line, column  # no copy of the line: cheap on a 1 MB line
        return line, units(self.lines.line_text(line)[:column], self.encoding)

    def _is_ascii(self, line: int) -> bool:
        known = self._ascii_lines.get(line)
        if known is None:
            known = self._ascii_lines[line] = self.lines.line_text(line).isascii()
        return known

    def range_to_client(self, range_: Range) -> types.Range:
        """A core range as the client counts it."""
        return types.Range(self.to_client(range_.start), self.to_client(range_.end))

    def range_json(self, range_: Range) -> dict[str, dict[str, int]]:
        """A core range as the client counts it, as protocol JSON (for replies built as JSON)."""
        start_line, start_character = self._client_point(range_.start)
        end_line, end_character = self._client_point(range_.end)
        return {
            "start": {"line": start_line, "character": start_character},
            "end": {"line": end_line, "character": end_character},
        }

    def from_client(self, position: types.Position) -> Position:
        """A client position as a core position (clamped; never inside a surrogate pair)."""
        from ..findings import Position

        last = self.lines.line_count - 1
        if position.line > last:
            return Position(last, len(self.lines.line_text(last)))
        line = max(position.line, 0)
        text = self.lines.line_text(line)
        wanted = max(position.character, 0)
        if self.encoding == UTF32 or text.isascii():
            return Position(line, min(wanted, len(text)))
        counted = 0
        for column, char in enumerate(text):
            if counted >= wanted:
                return Position(line, column)
            counted += units(char, self.encoding)
        return Position(line, len(text))

    def offset(self, position: types.Position) -> int:
        """The character offset in the text of a client position."""
        return self.lines.offset(self.from_client(position))
