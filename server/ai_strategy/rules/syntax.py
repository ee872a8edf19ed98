"""AIS001: text that is not TOML 1.0, or not text at all.

The document parser finds the problem (`document.py`); this module declares the rule and turns
the problem into its finding, for a parsed text and for bytes that never became text.
"""

from __future__ import annotations

from ..findings import Finding, Position, Range, Severity
from .context import Context
from .registry import Rule, declare

SYNTAX = declare(
    Rule.documented(
        "AIS001",
        "toml-syntax",
        "error",
        """
        The file is not valid TOML 1.0.

        What it does: Reports the first syntax error the TOML 1.0 parser meets, at the parser's
        position, and an integer outside the signed 64-bit range (TOML 1.0 requires an error for
        it). Text that is not UTF-8, binary content and files over the size limit are reported
        here too.

        Why: Nothing else can be checked reliably until the file parses: the strategy rules and
        the recommendation wait for valid TOML, while the schema rules still check the intact
        parts.

        How to fix: Correct the syntax at the reported position (an unclosed string or bracket,
        a missing value, a duplicate table).
        """,
        example='[strategy]\napproach = "rag     # unterminated string\n',
    )
)


def report_syntax_problem(ctx: Context) -> None:
    """AIS001 at the parser's position when the document is not valid TOML."""
    problem = ctx.document.syntax_problem
    if problem is not None:
        ctx.report(SYNTAX.code, problem.message, problem.range)


def unreadable(message: str, where: Position) -> Finding:
    """AIS001 for bytes that cannot be read as a strategy file (not UTF-8, binary, too large)."""
    return Finding(SYNTAX.code, Severity(SYNTAX.severity), message, Range(where, where))
