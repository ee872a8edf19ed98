"""Consistency rules AIS201-AIS206: the tables and cadences agree with the approach and the data."""

from __future__ import annotations

from typing import Any

from ..findings import Edit, Fix, Position, Range
from ..knowledge import thresholds as t
from ..schema_file import documented_defaults
from ..toml_value import toml_value
from ..vocabulary import FREQUENCY_ORDER
from .context import Context
from .fit import stale_knowledge
from .registry import Rule, check
from .schema import misspelled_table

APPROACH = ("strategy", "approach")


def _rank(frequency: Any) -> int | None:
    """0 for realtime ... 6 for static; None for anything else."""
    return FREQUENCY_ORDER.index(frequency) if frequency in FREQUENCY_ORDER else None


def _decided(ctx: Context) -> bool:
    return ctx.approach not in (None, "undecided")


def _unused_table(ctx: Context, code: str, table: str, verb: str) -> None:
    """AIS201/AIS202: `[table]` is configured while the approach does not `verb`."""
    header = ctx.document.outline.table((table,))
    where = header.header_range if header else ctx.table_range((table,))
    fix = None
    if header is not None and not header.is_array:
        fix = Fix(f"Remove the [{table}] table", (Edit(_table_span(ctx, header.range), ""),), False)
    ctx.report(
        code,
        f'[{table}] is configured but approach = "{ctx.approach}" does not {verb}',
        where,
        related=ctx.related(APPROACH),
        unnecessary=True,
        fixes=(fix,),
    )


def _unused_table_rule(
    code: str, table: str, verb: str, doing: frozenset[str], others: str, why: str, example: str
) -> None:
    """Register AIS201 or AIS202, one rule for two tables: `[table]` is present while the approach
    is none of `doing` (the approaches that `verb`)."""
    name = f"unused-{table.replace('_', '-')}-table"
    rule = Rule.documented(
        code,
        name,
        "warning",
        f"""
        A [{table}] table while the approach does not {verb}.

        What it does: Fires when [{table}] is present and the approach is {others}.

        Why: {why}

        How to fix: Remove the [{table}] table (an unsafe fix does), or choose an approach that {verb}s.
        """,
        example=example,
        fixable="unsafe",
    )

    def check_unused_table(ctx: Context) -> None:
        """The check of this rule: the approach is decided, does not `verb`, and `[table]` is there."""
        if _decided(ctx) and ctx.approach not in doing and table in ctx.values:
            _unused_table(ctx, code, table, verb)

    check(rule)(check_unused_table)


_unused_table_rule(
    "AIS201",
    "rag",
    "retrieve",
    t.RETRIEVAL_APPROACHES,
    "fine-tuning or prompting",
    "The table describes a retrieval step the system does not have: reviewers read an index, a "
    "store and a reindex cadence that nothing runs.",
    example='[strategy]\napproach = "fine-tuning"\n[rag]\ntop_k = 5\n',
)
_unused_table_rule(
    "AIS202",
    "fine_tuning",
    "train",
    t.TRAINING_APPROACHES,
    "rag or prompting",
    "The table describes training that never happens: reviewers read a method, epochs and a "
    "retraining cadence for a model the system does not tune.",
    example='[strategy]\napproach = "rag"\n[fine_tuning]\nmethod = "lora"\n',
)


@check(
    Rule.documented(
        "AIS203",
        "missing-approach-table",
        "warning",
        """
        The approach needs a [rag] or [fine_tuning] table that is missing.

        What it does: Fires when the approach retrieves and [rag] is missing, or trains and
        [fine_tuning] is missing.

        Why: The table says how retrieval or training is done; without it reviewers cannot check
        it.

        How to fix: Insert the table (a safe fix does: reindex or retrain copied from
        data.update_frequency, the other keys as commented-out lines with their documented
        defaults).
        """,
        example='[strategy]\napproach = "rag"\n# no [rag] table\n',
        fixable="safe",
    )
)
def check_missing_approach_table(ctx: Context) -> None:
    """AIS203: the approach retrieves without [rag], or trains without [fine_tuning]."""
    if not _decided(ctx):
        return
    for table, needed, cadence in (
        ("rag", ctx.approach in t.RETRIEVAL_APPROACHES, "reindex"),
        ("fine_tuning", ctx.approach in t.TRAINING_APPROACHES, "retrain"),
    ):
        if needed and table not in ctx.values and not _table_in_text(ctx, table):
            _report_missing_table(ctx, table, cadence)


@check(
    Rule.documented(
        "AIS204",
        "stale-index",
        "warning",
        """
        The index is rebuilt less often than the data changes.

        What it does: Fires when rag.reindex is less frequent than data.update_frequency.

        Why: Answers lag the data by up to one reindex interval (S1, S2).

        How to fix: Set reindex to the update frequency (a safe fix does).
        """,
        example='[data]\nupdate_frequency = "daily"\n[rag]\nreindex = "weekly"\n',
        sources=("S1", "S2"),
        fixable="safe",
    )
)
def check_stale_index(ctx: Context) -> None:
    """AIS204: the index is rebuilt less often than the data changes."""
    frequency = ctx.get("data.update_frequency")
    reindex = ctx.get("rag.reindex")
    data_rank, reindex_rank = _rank(frequency), _rank(reindex)
    if data_rank is None or reindex_rank is None or reindex_rank <= data_rank:
        return
    ctx.report_on(
        "AIS204",
        "rag.reindex",
        f'rag.reindex = "{reindex}" is less frequent than data.update_frequency = '
        f'"{frequency}": answers lag the data',
        related=("data.update_frequency",),
        fixes=(ctx.replace_value(("rag", "reindex"), frequency, f'Set reindex = "{frequency}"', safe=True),),
    )


@check(
    Rule.documented(
        "AIS205",
        "retrain-cadence",
        "warning",
        """
        The retraining cadence does not fit the approach.

        What it does: Fires when the approach is hybrid and fine_tuning.retrain is more often
        than monthly (retrieval carries freshness), or when it is fine-tuning and retrain is
        less frequent than data.update_frequency (where AIS101 does not already fire).

        Why: Retraining is the costly part; in a hybrid, retrieval keeps answers current, while
        a tuned-only model is as stale as its last training (S2; Ovadia 2023).

        How to fix: Align the cadence (an unsafe fix sets it).
        """,
        example='[strategy]\napproach = "hybrid"\n[fine_tuning]\nretrain = "daily"\n',
        sources=("S2", "Ovadia 2023"),
        fixable="unsafe",
    )
)
def check_retrain_cadence(ctx: Context) -> None:
    """AIS205: a hybrid retrains more often than monthly, or fine-tuning less often than the data
    changes (where AIS101 does not already say so)."""
    approach = ctx.approach
    frequency = ctx.get("data.update_frequency")
    retrain = ctx.get("fine_tuning.retrain")
    retrain_rank = _rank(retrain)
    if retrain_rank is None:
        return
    floor = FREQUENCY_ORDER.index(t.HYBRID_MIN_RETRAIN)
    if approach == "hybrid" and retrain_rank < floor:
        ctx.report_on(
            "AIS205",
            "fine_tuning.retrain",
            f'approach = "hybrid" retrains {retrain} (fine_tuning.retrain = "{retrain}"): '
            f"retrieval carries freshness, so retraining more often than {t.HYBRID_MIN_RETRAIN} "
            "buys little",
            related=("strategy.approach",),
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
        ctx.report_on(
            "AIS205",
            "fine_tuning.retrain",
            f'fine_tuning.retrain = "{retrain}" is less frequent than data.update_frequency = '
            f'"{frequency}": the model lags the data',
            related=("strategy.approach", "data.update_frequency"),
            fixes=(
                ctx.replace_value(
                    ("fine_tuning", "retrain"), frequency, f'Set retrain = "{frequency}"', safe=False
                ),
            ),
        )


@check(
    Rule.documented(
        "AIS206",
        "chunk-overlap-too-large",
        "error",
        """
        Chunk overlap is not smaller than the chunk size.

        What it does: Fires when rag.chunk_overlap_tokens >= rag.chunk_size_tokens.

        Why: Each chunk would repeat the whole previous one: chunking never advances.

        How to fix: Make the overlap a fraction of the chunk size (10-20% is common).
        """,
        example="[rag]\nchunk_size_tokens = 256\nchunk_overlap_tokens = 256\n",
    )
)
def check_chunk_overlap(ctx: Context) -> None:
    """AIS206: chunk overlap not smaller than the chunk size."""
    size = ctx.get("rag.chunk_size_tokens")
    overlap = ctx.get("rag.chunk_overlap_tokens")
    if isinstance(size, int) and isinstance(overlap, int) and overlap >= size:
        ctx.report_on(
            "AIS206",
            "rag.chunk_overlap_tokens",
            f"rag.chunk_overlap_tokens = {overlap} is not smaller than rag.chunk_size_tokens = "
            f"{size}: chunking never advances",
            related=("rag.chunk_size_tokens",),
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
        lines.append(f"{cadence} = {toml_value(frequency)}  # copied from data.update_frequency")
    for key, default in documented_defaults(table).items():
        if key != cadence:
            lines.append(f"# {key} = {toml_value(default)}")
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
