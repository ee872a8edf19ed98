"""Syntax and schema rules AIS001-AIS007 (docs/format.md, docs/rules/README.md).

Each rule: it fires on a minimal realistic file, stays quiet on the nearby legal case, quotes the
keys and values involved, sits where docs/rules/README.md says (the key for unknown keys, the value for
wrong values, the header for table-level findings), has its default severity, and its fix, once
applied, leaves valid TOML without the finding and with the comments still there.
"""

from __future__ import annotations

import pytest

from ai_strategy.findings import Severity
from ai_strategy.template import starter_text

from .rule_helpers import (
    apply_fix,
    assert_fix_resolves,
    at,
    codes,
    doc,
    findings,
    header_span,
    is_valid_toml,
    key_span,
    load_toml,
    one,
    run,
    value_span,
)

MINIMAL = 'version = 1\n\n[strategy]\napproach = "prompting"\n\n[task]\ntype = "other"\n'


def test_minimal_file_has_no_schema_finding() -> None:
    report = run(MINIMAL)
    assert not [c for c in codes(report) if c.startswith("AIS0")]


# ---- AIS001 toml-syntax --------------------------------------------------------------------


BROKEN = """version = 1

[strategy]
approach = "fine-tuning"
provider = "openaj"

[task]
type = "qa"
goal =

[data]
update_frequency = "daily"
labeled_examples = -3

[requirements]
latency_ms = 800
citations = true

[rag]
vector_store = "pinecone"
"""


def test_ais001_fires_with_the_parser_position() -> None:
    report = run(BROKEN)
    finding = one(report, "AIS001")
    assert finding.severity is Severity.ERROR
    assert finding.message.startswith("invalid TOML")
    # tomli stops right after `goal =` on line 8 (0-based)
    assert finding.range.start.line == 8
    assert finding.range.start.column >= len("goal =")


def test_ais001_at_end_of_document_is_mapped_to_the_end() -> None:
    text = doc("rag") + "[data]\nlabeled_examples = [1,"
    finding = one(run(text), "AIS001")
    last = text.splitlines()[-1]
    assert (finding.range.start.line, finding.range.start.column) == (
        len(text.splitlines()) - 1,
        len(last),
    )
    assert "end of document" in finding.message


def test_ais001_schema_rules_still_run_on_the_intact_parts() -> None:
    report = run(BROKEN)
    assert at(one(report, "AIS005")) == value_span(BROKEN, "data", "labeled_examples")
    assert at(one(report, "AIS002")) == key_span(BROKEN, "requirements", "latency_ms")
    assert at(one(report, "AIS004")) == value_span(BROKEN, "strategy", "provider")


def test_ais001_strategy_and_consistency_rules_wait_for_valid_toml() -> None:
    report = run(BROKEN)
    # valid, this file would give AIS101 (daily), AIS103 (citations), AIS201 ([rag])...
    assert not [c for c in codes(report) if c[3] in "12"], codes(report)
    assert report.recommendation is None
    fixed = BROKEN.replace("goal =\n", 'goal = "both"\n')
    assert {"AIS101", "AIS103", "AIS201"} <= set(codes(run(fixed)))


def test_ais001_no_missing_key_reports_while_broken() -> None:
    # the broken part may hold the required keys: AIS006 waits too
    text = 'version = 1\n[strategy]\napproach = "rag\n'
    report = run(text)
    assert codes(report) == ["AIS001"]


def test_ais001_no_unused_suppression_reports_while_broken() -> None:
    text = doc("rag") + "[data]\nlabeled_examples = 12  # ai-strategy: ignore[AIS102]\nx = [\n"
    assert "AIS301" not in codes(run(text))


def test_ais001_half_typed_string_does_not_move_the_next_table_keys() -> None:
    # an unterminated string while typing: the keys of the next table are still in that table
    text = (
        'version = 1\n[strategy]\napproach = "rag"\n[task]\ntype = "qa"\ngoal = "add-knowledge\n'
        '[data]\nlabeled_examples = 12\nupdate_frequency = "dayly"\n'
    )
    report = run(text)
    assert "AIS001" in codes(report)
    assert "AIS002" not in codes(report), [f.message for f in report.findings]
    assert at(one(report, "AIS004")) == value_span(text, "data", "update_frequency")


@pytest.mark.parametrize(
    "text",
    [
        "[strategy\napproach = 'rag'\n",
        "version = 1\nversion = 1\n",
        "[a]\n[a]\n",
        'x = """\n',
        "= 3\n",
        "a = {b = 1, b = 2}\n",
        "a = 1979-05-27T07:32:00Z7\n",
    ],
)
def test_ais001_fires_and_never_crashes(text: str) -> None:
    report = run(text)
    assert "AIS001" in codes(report)
    assert report.recommendation is None


def test_ais001_not_on_valid_toml() -> None:
    assert "AIS001" not in codes(run(MINIMAL))


# ---- AIS002 unknown-key --------------------------------------------------------------------


def test_ais002_unknown_key_on_the_key_with_did_you_mean_and_safe_rename() -> None:
    text = doc("rag") + "[requirements]\nlatency_ms = 3000  # agreed with ops\n"
    finding = one(run(text), "AIS002")
    assert finding.severity is Severity.ERROR
    assert at(finding) == key_span(text, "requirements", "latency_ms")
    assert "`latency_ms`" in finding.message and "[requirements]" in finding.message
    assert "did you mean `latency_p95_ms`?" in finding.message
    assert finding.fix is not None and finding.fix.safe
    fixed = assert_fix_resolves(text, finding)
    assert "latency_p95_ms = 3000  # agreed with ops" in fixed


def test_ais002_unknown_table_on_the_header_with_rename() -> None:
    text = (
        'version = 1\n[strategy]\napproach = "rag"\n\n[task]\ntype = "qa"\n\n'
        "[knowledgebase]  # the corpus\nsize_tokens = 300_000\n"
    )
    finding = one(run(text), "AIS002")
    assert at(finding) == header_span(text, "knowledgebase")
    assert "unknown table `knowledgebase`" in finding.message
    assert "did you mean `knowledge_base`?" in finding.message
    assert finding.fix is not None and finding.fix.safe
    fixed = assert_fix_resolves(text, finding)
    assert "[knowledge_base]  # the corpus" in fixed


def test_ais002_belongs_in_another_table_with_an_unsafe_move() -> None:
    text = (
        doc("rag")
        + '[requirements]\nupdate_frequency = "weekly"  # the wiki\nlatency_p95_ms = 3000\n'
        + "\n[data]\nlabeled_examples = 0\n"
    )
    finding = one(run(text), "AIS002")
    assert at(finding) == key_span(text, "requirements", "update_frequency")
    assert "`update_frequency` belongs in [data]" in finding.message
    move = finding.fix
    assert move is not None and not move.safe
    fixed = assert_fix_resolves(text, finding)
    values = load_toml(fixed)
    assert values["data"]["update_frequency"] == "weekly"
    assert "update_frequency" not in values["requirements"]
    assert "# the wiki" in fixed


def test_ais002_move_creates_the_missing_table() -> None:
    text = doc("rag") + "[requirements]\nlabeled_examples = 40\n"
    finding = one(run(text), "AIS002")
    assert "belongs in [data]" in finding.message
    fixed = assert_fix_resolves(text, finding)
    assert load_toml(fixed)["data"] == {"labeled_examples": 40}


def test_ais002_root_key_that_belongs_in_a_table() -> None:
    text = 'version = 1\napproach = "rag"\n\n[strategy]\nprovider = "openai"\n\n[task]\ntype = "qa"\n'
    report = run(text)
    finding = findings(report, "AIS002")[0]
    assert at(finding) == key_span(text, "", "approach")
    assert "unknown key `approach`" in finding.message
    assert "belongs in [strategy]" in finding.message
    # the message reads as a sentence: the two parts are separated
    assert "`approach` `approach`" not in finding.message
    fixed = assert_fix_resolves(text, finding)
    assert load_toml(fixed)["strategy"]["approach"] == "rag"


@pytest.mark.parametrize("typo", ["labelled_examples", "labled_examples", "lbaeled_examples"])
def test_ais002_a_clear_winner_is_the_safe_fix_and_every_candidate_a_fix(typo: str) -> None:
    text = doc("fine-tuning") + f"[data]\n{typo} = 400  # from the support team\n"
    finding = one(run(text), "AIS002")
    # the closest first: one edit away (a swap counts as one) against five or more
    assert "did you mean `labeled_examples` or `" in finding.message
    renames = [(fix.edits[0].new_text, fix.safe) for fix in finding.fixes]
    assert renames[0] == ("labeled_examples", True)
    # the others are further away: offered, never safe (their order depends on the typo)
    assert sorted(renames[1:]) == [("eval_examples", False), ("generated_examples", False)]
    fixed = assert_fix_resolves(text, finding)
    assert "labeled_examples = 400  # from the support team" in fixed


def test_ais004_close_candidates_are_all_unsafe() -> None:
    text = doc("rag") + '[data]\nupdate_frequency = "weakly"\n'
    finding = one(run(text), "AIS004")
    assert 'did you mean "weekly" or "yearly"?' in finding.message  # one edit, then two
    offered = [(fix.edits[0].new_text, fix.safe) for fix in finding.fixes]
    assert offered == [('"weekly"', False), ('"yearly"', False)]


def test_ais002_no_suggestion_for_a_key_unlike_any_other() -> None:
    text = doc("rag") + '[data]\nowner = "ml-platform"\n'
    finding = one(run(text), "AIS002")
    assert "did you mean" not in finding.message
    assert "belongs in" not in finding.message
    assert finding.fixes == ()


def test_ais002_every_key_of_the_spec_example_is_known() -> None:
    from .conftest import SPEC_EXAMPLE

    report = run(SPEC_EXAMPLE.read_text("utf-8"))
    assert not [f for f in report.findings if f.severity is not Severity.INFO], codes(report)


def test_ais002_dotted_subtable_of_a_known_table() -> None:
    text = doc("rag") + "[rag.advanced]\nhnsw_m = 16\n"
    finding = one(run(text), "AIS002")
    assert "`advanced`" in finding.message and "[rag]" in finding.message


# ---- AIS003 wrong-type ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "key", "written", "expected", "converted"),
    [
        ("requirements", "latency_p95_ms", '"800"', "an integer", "800"),
        ("requirements", "citations", '"true"', "a boolean", "true"),
        ("data", "labeled_examples", "1200.0", "an integer", "1200"),
        ("resources", "upfront_budget_usd", '"20000"', "a number", "20000"),
        ("knowledge_base", "sources", '"zendesk"', "an array", '["zendesk"]'),
        ("project", "name", "42", "a string", '"42"'),
    ],
)
def test_ais003_obvious_conversions_are_safe_fixes(
    table: str, key: str, written: str, expected: str, converted: str
) -> None:
    text = doc("rag") + f"[{table}]\n{key} = {written}  # keep me\n"
    finding = one(run(text), "AIS003")
    assert finding.severity is Severity.ERROR
    assert at(finding) == value_span(text, table, key)
    assert f"`{table}.{key}` must be {expected}" in finding.message
    assert written.strip('"') in finding.message
    assert finding.fix is not None and finding.fix.safe
    fixed = assert_fix_resolves(text, finding)
    assert f"{key} = {converted}  # keep me" in fixed


def test_ais003_no_fix_without_an_obvious_conversion() -> None:
    text = doc("rag") + '[requirements]\nlatency_p95_ms = "fast"\n'
    finding = one(run(text), "AIS003")
    assert '"fast"' in finding.message
    assert finding.fixes == ()


def test_ais003_table_written_as_a_value() -> None:
    text = 'version = 1\ntask = "qa"\n\n[strategy]\napproach = "rag"\n'
    finding = one(run(text), "AIS003")
    assert at(finding) == value_span(text, "", "task")
    assert "`task` must be a table" in finding.message


def test_ais003_array_items_on_the_item() -> None:
    text = doc("rag") + '[knowledge_base]\nsources = ["wiki", 7]\n'
    finding = one(run(text), "AIS003")
    line, _, _ = value_span(text, "knowledge_base", "sources")
    column = text.splitlines()[line].index("7")
    assert at(finding) == (line, column, column + 1)
    assert "`knowledge_base.sources`" in finding.message and "(7)" in finding.message


def test_ais003_version_string_is_fixed_and_other_rules_still_run() -> None:
    text = doc("rag").replace("version = 1", 'version = "1"') + "[requirements]\nlatency_p95_ms = 800\n"
    report = run(text)
    finding = one(report, "AIS003")
    assert at(finding) == value_span(text, "", "version")
    assert finding.fix is not None and finding.fix.safe
    assert "AIS105" in codes(report)
    assert "AIS007" not in codes(report)
    fixed = assert_fix_resolves(text, finding)
    assert fixed.startswith("version = 1\n")


@pytest.mark.parametrize(
    ("table", "key", "value"),
    [
        ("requirements", "latency_p95_ms", "800"),
        ("resources", "gpu_memory_gb", "40.5"),
        ("resources", "upfront_budget_usd", "999.99"),
        ("knowledge_base", "sources", "[]"),
        ("fine_tuning", "learning_rate", "2e-4"),
    ],
)
def test_ais003_not_on_the_right_type(table: str, key: str, value: str) -> None:
    text = doc("hybrid") + f"[{table}]\n{key} = {value}\n"
    assert "AIS003" not in codes(run(text))


# ---- AIS004 invalid-value ------------------------------------------------------------------


def test_ais004_single_close_match_is_a_safe_fix() -> None:
    text = doc("finetuning")
    finding = one(run(text), "AIS004")
    assert finding.severity is Severity.ERROR
    assert at(finding) == value_span(text, "strategy", "approach")
    assert '`strategy.approach` = "finetuning"' in finding.message
    assert 'did you mean "fine-tuning"?' in finding.message
    for allowed in ("rag", "fine-tuning", "hybrid", "prompting", "undecided"):
        assert f'"{allowed}"' in finding.message
    assert finding.fix is not None and finding.fix.safe
    fixed = assert_fix_resolves(text, finding)
    assert 'approach = "fine-tuning"' in fixed


def test_ais004_the_clear_winner_is_safe_and_the_others_follow_unsafe() -> None:
    text = doc("rag") + '[data]\nupdate_frequency = "daly"\n'
    finding = one(run(text), "AIS004")
    assert 'did you mean "daily" or "yearly"?' in finding.message
    offered = [(fix.edits[0].new_text, fix.safe) for fix in finding.fixes]
    assert offered == [('"daily"', True), ('"yearly"', False)]
    for fix in finding.fixes:
        assert_fix_resolves(text, finding, fix)


def test_ais004_no_suggestion_lists_the_allowed_values() -> None:
    text = doc("rag") + '[knowledge_base]\naccess_control = "vpn"\n'
    finding = one(run(text), "AIS004")
    assert "did you mean" not in finding.message
    assert '"none", "per-source", "per-document"' in finding.message
    assert finding.fixes == ()


def test_ais004_separator_and_case_slips_are_safe() -> None:
    text = doc("rag") + '[knowledge_base]\naccess_control = "per_document"\n'
    finding = one(run(text), "AIS004")
    assert finding.fix is not None and finding.fix.safe
    assert_fix_resolves(text, finding)


@pytest.mark.parametrize("approach", ["rag", "fine-tuning", "hybrid", "prompting", "undecided"])
def test_ais004_not_on_allowed_values(approach: str) -> None:
    assert "AIS004" not in codes(run(doc(approach)))


def test_ais004_lint_codes_and_levels() -> None:
    text = doc("rag") + '[lint]\nignore = ["AIS1x"]\nseverity = {AIS10 = "error", AIS105 = "fatal"}\n'
    report = run(text)
    messages = " | ".join(f.message for f in findings(report, "AIS004"))
    assert len(findings(report, "AIS004")) == 3, messages
    assert '"AIS1x"' in messages and "'AIS10'" in messages and '"fatal"' in messages


# ---- AIS005 out-of-range -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "key", "bad", "good", "bound"),
    [
        ("data", "labeled_examples", "-1", "0", ">= 0"),
        ("data", "eval_examples", "-5", "0", ">= 0"),
        ("knowledge_base", "size_tokens", "-1", "0", ">= 0"),
        ("requirements", "latency_p95_ms", "0", "1", ">= 1"),
        ("resources", "gpu_memory_gb", "-0.5", "0", ">= 0"),
        ("resources", "upfront_budget_usd", "-1", "0", ">= 0"),
        ("resources", "monthly_budget_usd", "-100", "0", ">= 0"),
        ("resources", "queries_per_day", "-1", "0", ">= 0"),
        ("rag", "chunk_size_tokens", "0", "1", ">= 1"),
        ("rag", "chunk_overlap_tokens", "-1", "0", ">= 0"),
        ("rag", "top_k", "0", "1", ">= 1"),
        ("fine_tuning", "epochs", "0", "1", ">= 1"),
        ("fine_tuning", "learning_rate", "0", "1e-9", "> 0"),
        ("fine_tuning", "learning_rate", "-2e-4", "0.1", "> 0"),
    ],
)
def test_ais005_bounds(table: str, key: str, bad: str, good: str, bound: str) -> None:
    text = doc("undecided") + f"[{table}]\n{key} = {bad}\n"
    finding = one(run(text), "AIS005")
    assert finding.severity is Severity.ERROR
    assert at(finding) == value_span(text, table, key)
    assert f"`{table}.{key}` = {bad}" in finding.message or f"`{table}.{key}`" in finding.message
    assert bound in finding.message
    assert "AIS005" not in codes(run(doc("undecided") + f"[{table}]\n{key} = {good}\n"))


# ---- AIS006 missing-required ---------------------------------------------------------------


def test_ais006_missing_version_inserts_it() -> None:
    text = '# our strategy\n[strategy]\napproach = "rag"\n\n[task]\ntype = "qa"\n'
    finding = one(run(text), "AIS006")
    assert "`version`" in finding.message
    assert finding.fix is not None and finding.fix.safe
    fixed = assert_fix_resolves(text, finding)
    assert load_toml(fixed)["version"] == 1


def test_ais006_missing_approach_on_the_table_header() -> None:
    text = 'version = 1\n\n[strategy]  # what we chose\nprovider = "openai"\n\n[task]\ntype = "qa"\n'
    finding = one(run(text), "AIS006")
    assert at(finding) == header_span(text, "strategy")
    assert "`approach`" in finding.message and "[strategy]" in finding.message
    assert finding.fix is not None and finding.fix.safe
    fixed = assert_fix_resolves(text, finding)
    assert load_toml(fixed)["strategy"]["approach"] == "undecided"


def test_ais006_missing_task_type_is_an_unsafe_fix() -> None:
    text = 'version = 1\n\n[strategy]\napproach = "rag"\n\n[task]\ngoal = "add-knowledge"\n'
    finding = one(run(text), "AIS006")
    assert at(finding) == header_span(text, "task")
    assert "`type`" in finding.message and "[task]" in finding.message
    assert finding.fix is not None and not finding.fix.safe
    assert_fix_resolves(text, finding)


@pytest.mark.parametrize("table", ["strategy", "task"])
def test_ais006_missing_required_table(table: str) -> None:
    key = {"strategy": "approach", "task": "type"}[table]
    text = "".join(
        line for line in MINIMAL.splitlines(keepends=True) if not line.startswith((f"[{table}]", key))
    )
    finding = one(run(text), "AIS006")
    assert f"required table [{table}] with key `{key}` is missing" in finding.message
    assert finding.fix is not None
    fixed = assert_fix_resolves(text, finding)
    assert key in load_toml(fixed)[table]


@pytest.mark.parametrize("text", ["", "\n\n", "   \n", "# nothing here yet\n"])
def test_ais006_empty_file_gets_one_finding_and_the_template(text: str) -> None:
    report = run(text)
    assert codes(report) == ["AIS006"]
    finding = report.findings[0]
    assert "file is empty" in finding.message
    assert finding.fix is not None and not finding.fix.safe
    fixed = apply_fix(text, finding.fix)
    assert fixed == starter_text()
    assert is_valid_toml(fixed)
    after = run(fixed)
    assert "AIS006" not in codes(after)
    assert not [f for f in after.findings if f.severity is Severity.ERROR]


def test_ais006_not_on_a_complete_file() -> None:
    assert "AIS006" not in codes(run(MINIMAL))


# ---- AIS007 unsupported-version ------------------------------------------------------------


@pytest.mark.parametrize("version", ["2", "0", "1.0", "true", '"v1"', "[1]"])
def test_ais007_stops_every_other_rule(version: str) -> None:
    text = (
        f'version = {version}\n\n[strategy]\napproach = "fine-tuning"\ntypo = 1\n\n[task]\n'
        'type = "qa"\n\n[data]\nupdate_frequency = "daily"\nlabeled_examples = -4\n'
    )
    report = run(text)
    assert codes(report) == ["AIS007"]
    finding = report.findings[0]
    assert finding.severity is Severity.ERROR
    assert at(finding) == value_span(text, "", "version")
    assert f"version = {version}" in finding.message or version.strip('"') in finding.message
    assert report.recommendation is None


def test_ais007_fix_sets_version_1() -> None:
    text = "version = 3  # bumped too early\n" + MINIMAL.split("\n", 1)[1]
    finding = one(run(text), "AIS007")
    assert finding.fix is not None and not finding.fix.safe
    fixed = assert_fix_resolves(text, finding)
    assert fixed.startswith("version = 1  # bumped too early")


def test_ais007_not_on_version_1() -> None:
    assert "AIS007" not in codes(run(MINIMAL))


@pytest.mark.parametrize(
    "text",
    [
        'verison = 1\n\n[strategy]\napproach = "rag"\n\n[task]\ntype = "qa"\n',
        'version = 1\n\n[strategy]\napproachs = "rag"  # chosen\n\n[task]\ntype = "qa"\n',
        'version = 1\n\n[strategi]\napproach = "rag"\n\n[task]\ntype = "qa"\n',
        'version = 1\n\n[strategy]\napproach = "rag"\n\n[task]\ntpye = "qa"\n',
    ],
)
def test_ais006_offers_no_insert_when_a_rename_restores_the_key(text: str) -> None:
    # both safe fixes together (as `check --fix` applies them) would duplicate the key or table
    from ai_strategy.analysis import analyse
    from ai_strategy.fixes import fix_text

    report = run(text)
    assert "AIS006" in codes(report)
    assert one(report, "AIS002").fix is not None
    assert all(f.fixes == () for f in findings(report, "AIS006"))
    fixed = fix_text(text, lambda t: analyse(t).findings, unsafe=True).text
    assert is_valid_toml(fixed), fixed
    assert not {"AIS002", "AIS006"} & set(codes(run(fixed)))


@pytest.mark.parametrize(
    ("text", "taken"),
    [
        (doc("rag") + "[requirements]\ncitations = false\ncitation = true\n", "citations"),
        (doc("rag") + "[data]\nlabeled_examples = 4\nlabelled_examples = 40\n", "labeled_examples"),
        (doc("rag") + "[rag]\ntop_k = 3\n\n[ragg]\ntop_k = 5\n", "rag"),
    ],
)
def test_ais002_never_renames_to_a_name_the_table_already_has(text: str, taken: str) -> None:
    # a rename to a name already there would write a duplicate key or table: no such fix
    finding = one(run(text), "AIS002")
    assert not [fix for fix in finding.fixes if fix.title.startswith("Rename")], finding.fixes
    assert f"`{taken}`" in finding.message  # still suggested, so the user sees the clash
    for fix in finding.fixes:
        assert is_valid_toml(apply_fix(text, fix))


def test_analysis_leaves_the_parsed_values_as_tomli_gave_them() -> None:
    """Valid values are passed on without a copy: no rule, fix or recommendation may modify them."""
    import copy
    from pathlib import Path

    import tomli

    from ai_strategy.analysis import analyse

    root = Path(__file__).resolve().parent.parent
    files = sorted(root.glob("examples/*/ai-strategy.toml")) + sorted(root.glob("tests/scenarios/*.toml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        report = analyse(text, str(path))
        if report.document is None or report.document.values is None:
            continue
        before = copy.deepcopy(report.document.values)
        assert report.document.values == tomli.loads(text), path
        if report.recommendation is not None:
            report.recommendation.as_json()
        assert report.document.values == before, path


def test_did_you_mean_is_searched_for_the_first_unknown_names_only() -> None:
    """Thousands of unknown names are no typo: past MAX_NAMES_SEARCHED they get no suggestion,
    so a hostile file stays linear; the first ones still get theirs."""
    from ai_strategy.analysis import analyse
    from ai_strategy.rules.schema import MAX_NAMES_SEARCHED

    head = 'version = 1\n\n[strategy]\napproach = "rag"\n\n[task]\ntype = "qa"\n\n[data]\n'
    typo = "update_frequncy"
    names = [typo] + [f"x{i}" for i in range(MAX_NAMES_SEARCHED)] + [typo.replace("ncy", "nci")]
    text = head + "".join(f"{name} = 1\n" for name in names)
    unknown = [f for f in analyse(text).findings if f.code == "AIS002"]
    assert len(unknown) == len(names)
    by_name = {f.message.split("`")[1]: f for f in unknown}
    assert "did you mean `update_frequency`" in by_name[typo].message
    assert "did you mean" not in by_name["update_frequnci"].message  # past the limit
