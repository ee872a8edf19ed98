"""The fix loop: safe fixes together, unsafe ones one at a time, nothing lost."""

from __future__ import annotations

import tomli

from ai_strategy.analysis import analyse
from ai_strategy.findings import Edit, Range
from ai_strategy.fixes import apply_edits, fix_text

from .conftest import EXAMPLES


def findings_of(text: str):  # type: ignore[no-untyped-def]
    return analyse(text).findings


def test_apply_edits_keeps_everything_else() -> None:
    text = "a = 1  # one\nb = 2\n"
    edits = [Edit(Range.at(0, 4, 0, 5), "10"), Edit(Range.at(1, 0), "# new\n")]
    assert apply_edits(text, edits) == "a = 10  # one\n# new\nb = 2\n"


def test_unsafe_fixes_go_one_at_a_time_and_lose_no_value() -> None:
    text = (EXAMPLES / "broken-schema" / "ai-strategy.toml").read_text()
    result = fix_text(text, findings_of, unsafe=True)
    values = tomli.loads(result.text)
    # the moved key survives: switching the approach made "remove [rag]" obsolete
    assert values["rag"]["top_k"] == 5
    assert values["rag"]["chunk_size_tokens"] == 0
    assert "top_k" not in values["requirements"]
    assert not result.text.endswith("\n\n")
    assert result.text.startswith("# Typos and wrong types")


def test_safe_only_leaves_unsafe_fixes_alone() -> None:
    text = (EXAMPLES / "broken-schema" / "ai-strategy.toml").read_text()
    result = fix_text(text, findings_of, unsafe=False)
    values = tomli.loads(result.text)
    assert values["strategy"]["approach"] == "fine-tuning"
    assert values["requirements"]["top_k"] == 5  # a move is unsafe
    assert values["version"] == 1


def test_removing_the_last_table_leaves_no_trailing_blank_line() -> None:
    text = (
        'version = 1\n[strategy]\napproach = "rag"\n[task]\ntype = "qa"\ngoal = "add-knowledge"\n\n'
        '[rag]\ntop_k = 5\n\n[fine_tuning]\nmethod = "lora"\n'
    )  # a knowledge need with no corpus size declared: rag is the recommendation, [rag] stays
    result = fix_text(text, findings_of, unsafe=True)
    assert result.text.endswith("[rag]\ntop_k = 5\n")
