"""The rules: each one declared by code, with its documentation, next to the code that reports it.

One module per family (`registry.FAMILIES`): `syntax` (AIS001), `schema` (AIS002-AIS007),
`fit` (AIS101-AIS121), `consistency` (AIS201-AIS206) and `suppressions` (AIS301). Importing this
package imports them all, so `RULES` is the whole catalogue: `ai-strategy rule`, the generated
docs (docs/rules/), hover on codes, the output formats and the tests read it. How to add a rule:
CONTRIBUTING.md.
"""

from __future__ import annotations

from . import consistency, fit, schema, suppressions, syntax
from .context import Context
from .registry import Check, Rule, is_selector, registered_checks, registered_rules

__all__ = ["CHECKS", "KNOWN_CODES", "RULES", "RULES_BY_CODE", "Context", "Rule", "is_selector", "run_checks"]

_FAMILY_MODULES = (syntax, schema, fit, consistency, suppressions)  # imported for their registrations

RULES: tuple[Rule, ...] = registered_rules()
"""Every rule, in code order."""
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
KNOWN_CODES: frozenset[str] = frozenset(RULES_BY_CODE)
CHECKS: tuple[Check, ...] = registered_checks()
"""The checks that run on a valid file once the recommendation is known, in code order."""


def run_checks(ctx: Context) -> None:
    """Run every rule that has a check of its own (the strategy-fit and consistency rules)."""
    for check in CHECKS:
        check(ctx)
