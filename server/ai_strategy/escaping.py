"""Text from a checked file made safe for each place it is shown.

Anything that comes from a checked file or its name (keys, values, source lines, paths) is data.
Before it reaches a terminal, a CI log, Markdown or HTML it goes through one of these functions,
so that a file cannot write terminal escapes, start a GitHub workflow command on a line of its
own, or inject links, images or HTML into a hover. Every front end calls these; none rolls its own.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
"""C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional overrides that
can make a terminal or a log show text in another order than it is stored (CVE-2021-42574)."""

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\x1b"}


def _escape_control(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every control character written as a visible escape (`\\x1b`, `\\n`, ...).

    Use it for one line of terminal or log output: the result holds no line break and no
    escape sequence, so it cannot move the cursor, recolour the terminal or begin a new log line.
    """
    return _CONTROL.sub(_escape_control, text)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&])")


def markdown_text(text: str) -> str:
    """`text` as literal Markdown: no emphasis, link, image, HTML tag or heading can come of it.

    Control characters are made visible first, so a value cannot start a new Markdown block.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", printable(text))


def markdown_code(text: str) -> str:
    """`text` as an inline code span, whatever backticks it holds (CommonMark's rule: a fence
    longer than any run of backticks inside, padded with spaces when the text touches one)."""
    text = printable(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ")):
        text = f" {text} "
    return f"{fence}{text}{fence}"


def html_text(text: str) -> str:
    """`text` escaped for HTML element content and quoted attribute values."""
    import html  # here: only the HTML report needs it, and every `check` would pay for it

    return html.escape(printable(text), quote=True)


_WORKFLOW_COMMAND = re.compile(r"^(\s*):(?=:)")
_LEGACY_COMMAND = "##["


def log_line(text: str) -> str:
    """`printable`, and never a line a CI runner executes: GitHub reads a line that starts with
    `::` (after spaces) as a workflow command (`::error::`, `::stop-commands::`) and one holding
    `##[` as a legacy command. Their first character is written as a visible escape instead."""
    line = _WORKFLOW_COMMAND.sub(r"\1\\x3a", printable(text), count=1)
    return line.replace(_LEGACY_COMMAND, "##\\x5b") if _LEGACY_COMMAND in line else line


def json_text(document: str) -> str:
    """A JSON document (from `json.dumps(..., ensure_ascii=False)`) with the characters `printable`
    escapes written as `\\uXXXX` escapes too. json already escapes C0 controls; this adds DEL, C1
    controls (a terminal may read U+009B as an escape sequence), line separators and bidi
    overrides. Apart from the layout's line breaks they can only stand inside strings, where the
    escape means the same character."""
    return _CONTROL.sub(_json_escape, document)


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    return char if char == "\n" else f"\\u{ord(char):04x}"  # line breaks are the layout's


def markdown_table_cell(markdown: str) -> str:
    """Markdown made safe inside a GitHub table cell: `|` would end the cell, even in a code span."""
    return re.sub(r"(?<!\\)\|", r"\\|", markdown.replace("\n", " "))
