"""Consistency rules AIS201-AIS206: the tables and cadences agree with the approach and the data."""

from __future__ import annotations

from typing import Any

from ..findings import Edit, Fix, Position, Range
from ..knowledge import thresholds as t
from ..recommend import format_value
from ..schema_file import documented_defaults
from ..vocabulary import FREQUENCY_ORDER
from . import Context
from .fit import stale_knowledge
from .schema import misspelled_table

APPROACH = ("strategy", "approach")


def _rank(frequency: Any) -> int | None:
    """0 for realtime ... 6 for static; None for anything else."""
    return FREQUENCY_ORDER.index(frequency) if frequency in FREQUENCY_ORDER else None


def check_consistency(ctx: Context) -> None:
    """Run every consistency rule."""
    approach = ctx.approach
    decided = approach not in (None, "undecided")
    retrieves = approach in t.RETRIEVAL_APPROACHES
    trains = approach in t.TRAINING_APPROACHES
    for table, code, needed, verb in (
        ("rag", "AIS201", retrieves, "retrieve"),
        ("fine_tuning", "AIS202", trains, "train"),
    ):
        if decided and not needed and table in ctx.values:
            header = ctx.document.outline.table((table,))
            where = header.header_range if header else ctx.table_range((table,))
            fix = None
            if header is not None and not header.is_array:
                fix = Fix(f"Remove the [{table}] table", (Edit(_table_span(ctx, header.range), ""),), False)
            ctx.report(
                code,
                f'[{table}] is configured but approach = "{approach}" does not {verb}',
                where,
                related=ctx.related(APPROACH),
                unnecessary=True,
                fixes=(fix,),
            )
    for table, needed, cadence in (("rag", retrieves, "reindex"), ("fine_tuning", trains, "retrain")):
        if decided and needed and table not in ctx.values and not _table_in_text(ctx, table):
            _report_missing_table(ctx, table, cadence)

    frequency = ctx.get("data.update_frequency")
    reindex = ctx.get("rag.reindex")
    data_rank, reindex_rank = _rank(frequency), _rank(reindex)
    if data_rank is not None and reindex_rank is not None and reindex_rank > data_rank:
        ctx.report(
            "AIS204",
            f'rag.reindex = "{reindex}" is less frequent than data.update_frequency = '
            f'"{frequency}": answers lag the data',
            ctx.value_range(("rag", "reindex")),
            related=ctx.related(("data", "update_frequency")),
            fixes=(
                ctx.replace_value(("rag", "reindex"), frequency, f'Set reindex = "{frequency}"', safe=True),
            ),
        )

    _check_retrain(ctx, approach, frequency)

    size = ctx.get("rag.chunk_size_tokens")
    overlap = ctx.get("rag.chunk_overlap_tokens")
    if isinstance(size, int) and isinstance(overlap, int) and overlap >= size:
        ctx.report(
            "AIS206",
            f"rag.chunk_overlap_tokens = {overlap} is not smaller than rag.chunk_size_tokens = "
            f"{size}: chunking never advances",
            ctx.value_range(("rag", "chunk_overlap_tokens")),
            related=ctx.related(("rag", "chunk_size_tokens")),
        )


def _check_retrain(ctx: Context, approach: str | None, frequency: Any) -> None:
    retrain = ctx.get("fine_tuning.retrain")
    retrain_rank = _rank(retrain)
    if retrain_rank is None:
        return
    floor = FREQUENCY_ORDER.index(t.HYBRID_MIN_RETRAIN)
    if approach == "hybrid" and retrain_rank < floor:
        ctx.report(
            "AIS205",
            f'approach = "hybrid" retrains {retrain} (fine_tuning.retrain = "{retrain}"): '
            f"retrieval carries freshness, so retraining more often than {t.HYBRID_MIN_RETRAIN} "
            "buys little",
            ctx.value_range(("fine_tuning", "retrain")),
            related=ctx.related(APPROACH),
            fixes=(
                ctx.replace_value(
                    ("fine_tuning", "retrain"),
                    t.HYBRID_MIN_RETRAIN,
                    f'Set retrain = "{t.HYBRID_MIN_RETRAIN}"',
                    safe=False,
                ),
            ),
        )
        return
    data_rank = _rank(frequency)
    if (
        approach == "fine-tuning"
        and data_rank is not None
        and retrain_rank > data_rank
        and stale_knowledge(ctx) is None  # AIS101 already says it
    ):
        ctx.report(
            "AIS205",
            f'fine_tuning.retrain = "{retrain}" is less frequent than data.update_frequency = '
            f'"{frequency}": the model lags the data',
            ctx.value_range(("fine_tuning", "retrain")),
            related=ctx.related(APPROACH, ("data", "update_frequency")),
            fixes=(
                ctx.replace_value(
                    ("fine_tuning", "retrain"), frequency, f'Set retrain = "{frequency}"', safe=False
                ),
            ),
        )


def _table_in_text(ctx: Context, table: str) -> bool:
    return ctx.document.outline.table((table,)) is not None


def _table_span(ctx: Context, table_range: Range) -> Range:
    """Whole lines of a table, so that removing them leaves tidy text and the other tables' comments.

    tree-sitter's table node runs up to the next header, so it also holds the comment block that
    introduces the next table. The span is: the comment block right above the header (when a blank
    line or the start of the file precedes it), the header, the keys and the comments among them or
    right after them, then the blank lines that follow; a comment block after a blank line opens
    what comes next and stays.
    """
    lines = ctx.document.lines
    first = table_range.start.line
    last = table_range.end.line if table_range.end.column > 0 else table_range.end.line - 1
    last = max(first, min(last, lines.line_count - 1))

    def kind(line: int) -> str:
        text = lines.line_text(line).strip()
        return "blank" if not text else "comment" if text.startswith("#") else "content"

    end = last
    while end > first and kind(end) != "content":
        end -= 1
    while end < last and kind(end + 1) == "comment":
        end += 1
    while end < last and kind(end + 1) == "blank":
        end += 1
    start = first
    while start > 0 and kind(start - 1) == "comment":
        start -= 1
    if 0 < start < first and kind(start - 1) != "blank":
        start = first
    if all(kind(n) == "blank" for n in range(end + 1, lines.line_count)):
        # the last table of the file: take the blank lines before it too, so none is left trailing
        while start > 0 and kind(start - 1) == "blank":
            start -= 1
        if start > 0:
            return Range(Position(start, 0), lines.end())
    return ctx.line_span(start, end)


def _report_missing_table(ctx: Context, table: str, cadence: str) -> None:
    frequency = ctx.get("data.update_frequency")
    lines = [f"[{table}]"]
    if frequency is not None:
        lines.append(f'{cadence} = "{frequency}"  # copied from data.update_frequency')
    for key, default in documented_defaults(table).items():
        if key != cadence:
            lines.append(f"# {key} = {format_value(default)}")
    approach = ctx.approach
    verb = "retrieves" if table == "rag" else "trains"
    insert = Fix(f"Insert a [{table}] table", (ctx.append_text("\n".join(lines) + "\n"),), True)
    ctx.report(
        "AIS203",
        f'approach = "{approach}" {verb} but the [{table}] table is missing',
        ctx.value_range(APPROACH),
        # a misspelled header is renamed by AIS002's fix: inserting too would duplicate the table
        fixes=(None if misspelled_table(ctx.document.values or {}, table) else insert,),
    )
