"""AIS301: suppressions that silence nothing, or name a code that does not exist.

`analyse` applies the file's `[lint]` table and its `# ai-strategy: ignore[...]` comments, then
calls `report_unused` with what they silenced; this module declares the rule and reports it.
"""

from __future__ import annotations

from typing import Any

from ..findings import Edit, Finding, Fix, Range
from .context import Context
from .registry import Rule, declare, is_selector

declare(
    Rule.documented(
        "AIS301",
        "unused-suppression",
        "warning",
        """
        A suppression that silences nothing, or names an unknown code.

        What it does: Checks every [lint] ignore entry and every `# ai-strategy: ignore[...]`
        comment.

        Why: Stale suppressions hide future findings and mislead reviewers (as ruff's RUF100).

        How to fix: Remove the suppression (a safe fix removes a comment that silences nothing).
        """,
        example="[requirements]\nlatency_p95_ms = 3000  # ai-strategy: ignore[AIS105]\n",
        fixable="safe",
    )
)


def report_unused(
    ctx: Context,
    raw: list[Finding],
    inline: list[Any],
    used_inline: set[tuple[int, str]],
    file_ignore: tuple[str, ...],
) -> None:
    """AIS301 for every inline code not in `used_inline` and every `[lint] ignore` entry that
    silences none of the `raw` findings (or is not a rule code at all)."""
    raw_codes = {f.code for f in raw}
    for suppression in inline:
        unused = []
        for code, where in zip(suppression.codes, suppression.code_ranges, strict=True):
            if (suppression.line, code) in used_inline:
                continue
            unused.append(code)
            reason = _why_unused(code)
            ctx.report("AIS301", f"suppression of {code} {reason}", where)
        if unused:
            fix = _suppression_fix(ctx, suppression, unused)
            if fix is not None:
                last = ctx.findings[-len(unused) :]
                ctx.findings[-len(unused) :] = [
                    Finding(f.code, f.severity, f.message, f.range, (fix,)) for f in last
                ]
    for index, code in enumerate(file_ignore):
        if is_selector(code):
            if _matches_any(code, raw_codes):
                continue
            message = f"[lint] ignore entry {code!r} silences nothing in this file"
        else:
            message = f"[lint] ignore entry {code!r} is not a known rule code"
        ctx.report("AIS301", message, ctx.item_range(("lint", "ignore"), index))


def _matches_any(prefix: str, codes: set[str]) -> bool:
    return any(c.startswith(prefix) for c in codes)


def _why_unused(code: str) -> str:
    if is_selector(code):
        return "silences nothing on this line"
    return "names an unknown rule code"


def _suppression_fix(ctx: Context, suppression: Any, unused: list[str]) -> Fix | None:
    remaining = [c for c in suppression.codes if c not in unused]
    lines = ctx.document.lines
    line_text = lines.line_text(suppression.line)
    comment_start = suppression.range.start.column
    comment_text = line_text[comment_start : suppression.range.end.column]
    if remaining:
        first, last = suppression.code_ranges[0], suppression.code_ranges[-1]
        return Fix(
            "Remove the unused codes from the suppression",
            (Edit(Range(first.start, last.end), ",".join(remaining)),),
            True,
        )
    marker = comment_text.find("ai-strategy:")
    if comment_text[1:marker].strip() == "" and comment_text.rstrip().endswith("]"):
        # the comment is only the suppression: remove it and the spaces before it
        start = len(line_text[:comment_start].rstrip())
        return Fix(
            "Remove the unused suppression comment",
            (Edit(Range.at(suppression.line, start, suppression.line, suppression.range.end.column), ""),),
            True,
        )
    return None
