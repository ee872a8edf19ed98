"""The rule catalogue as declared (server/ai_strategy/rules/): every rule keeps its word.

These tests read the catalogue and keep no copy of it: each rule's documented example draws the
rule at the declared default severity, offers exactly the fixes its declaration promises, and each
fix resolves the finding. A rule added to a family module is covered here without a line added.
"""

from __future__ import annotations

import dataclasses

import pytest

from ai_strategy.rules import CHECKS, KNOWN_CODES, RULES, RULES_BY_CODE, Rule, is_selector
from ai_strategy.rules.registry import check, declare

from .rule_helpers import assert_fix_resolves, codes, findings, run


def ids(rule: Rule) -> str:
    return rule.code


@pytest.mark.parametrize("rule", RULES, ids=ids)
def test_the_documented_example_draws_the_rule_at_its_default_severity(rule: Rule) -> None:
    found = findings(run(rule.example), rule.code)
    assert found, f"{rule.code}'s example draws {codes(run(rule.example))}, not {rule.code}"
    assert {f.severity.value for f in found} == {rule.severity}


@pytest.mark.parametrize("rule", RULES, ids=ids)
def test_the_example_offers_the_fixes_the_rule_declares(rule: Rule) -> None:
    offered = {fix.applicability for f in findings(run(rule.example), rule.code) for fix in f.fixes}
    declared = {"": set(), "safe": {"safe"}, "unsafe": {"unsafe"}, "safe or unsafe": {"safe", "unsafe"}}
    if rule.fixable == "safe or unsafe":
        assert offered and offered <= declared[rule.fixable], offered  # one example shows one kind
    else:
        assert offered == declared[rule.fixable], offered


@pytest.mark.parametrize("rule", [r for r in RULES if r.fixable], ids=ids)
def test_every_fix_of_the_example_resolves_its_finding(rule: Rule) -> None:
    text = rule.example
    for finding in findings(run(text), rule.code):
        for fix in finding.fixes:
            # AIS301 removes the suppression comment itself: that comment may go
            assert_fix_resolves(text, finding, fix, keep_comments=rule.code != "AIS301")


def test_codes_are_unique_and_in_order_and_each_check_runs_once() -> None:
    listed = [r.code for r in RULES]
    assert listed == sorted(set(listed))
    assert KNOWN_CODES == set(listed) == set(RULES_BY_CODE)
    assert len(CHECKS) == len(set(CHECKS))


@pytest.mark.parametrize(
    ("text", "expected"), [("AIS105", True), ("AIS1", True), ("AIS", True), ("AIS999", False), ("", False)]
)
def test_selectors_are_codes_or_prefixes_of_declared_codes(text: str, expected: bool) -> None:
    assert is_selector(text) is expected


def rule_like(code: str, **changes: object) -> Rule:
    return dataclasses.replace(RULES[0], code=code, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rule", "complaint"),
    [
        (rule_like("AIS105"), "declared twice"),
        (rule_like("AIS1050"), "not a rule code"),
        (rule_like("XYZ123"), "not a rule code"),
        (rule_like("AIS399", name="Bad Name"), "lower-case"),
        (rule_like("AIS399", why=" "), "'why'"),
    ],
)
def test_a_declaration_that_breaks_the_catalogue_is_refused(rule: Rule, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        declare(rule)
    with pytest.raises(ValueError, match=complaint):
        check(rule)(lambda ctx: None)
    assert "AIS399" not in RULES_BY_CODE and len(RULES) == len(KNOWN_CODES)


@pytest.mark.parametrize(
    ("doc", "complaint"),
    [
        ("Summary.\n\nWhat it does: x.\n\nWhy: y.", "no 'How to fix'"),
        ("Summary.\n\nWhat it does: x.\n\nWhy: y.\n\nHow to fix: z.\n\nWhy: again.", "starts 'Why: again.'"),
        ("Summary.\n\nWhat it does: x.\n\nBecause: y.\n\nHow to fix: z.", "starts 'Because: y.'"),
    ],
)
def test_documentation_missing_a_part_is_refused(doc: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        Rule.documented("AIS399", "some-rule", "info", doc, example="x = 1\n")


def test_documentation_paragraphs_are_joined_and_labels_dropped() -> None:
    rule = Rule.documented(
        "AIS399",
        "some-rule",
        "info",
        """
        One line
        of summary.

        What it does: fires
        sometimes.

        Why: because.

        How to fix: do it.
        """,
        example="x = 1\n",
    )
    assert (rule.summary, rule.what, rule.why, rule.fix) == (
        "One line of summary.",
        "fires sometimes.",
        "because.",
        "do it.",
    )
