"""docs/model.md holds the model's tables generated from its data, and says what the code does."""

from __future__ import annotations

from ai_strategy.docs_gen import model_doc_with_tables
from ai_strategy.knowledge.factors import FACTORS, HARD_CONSTRAINTS, MODEL_VERSION

from .conftest import ROOT

MODEL_DOC = ROOT / "docs" / "model.md"


def test_model_doc_tables_match_the_data() -> None:
    text = MODEL_DOC.read_text("utf-8")
    assert text == model_doc_with_tables(text), "regenerate: python -m ai_strategy.docs_gen"


def test_every_factor_and_constraint_is_on_the_page() -> None:
    text = MODEL_DOC.read_text("utf-8")
    for factor in FACTORS:
        assert f"| `{factor.key}` | {factor.when.label} |" in text
    for constraint in HARD_CONSTRAINTS:
        assert f"| {constraint.condition} |" in text


def test_the_changelog_names_this_model_version_and_its_cases() -> None:
    text = MODEL_DOC.read_text("utf-8")
    changelog = text.split("## Changelog of model versions", 1)[1]
    assert f"- **{MODEL_VERSION}**" in changelog
    for case in ("prompt-anthropic-small-kb-caching", "hybrid-nvidia-chipnemo", "prompt-din-sql"):
        assert f"`{case}`" in changelog
