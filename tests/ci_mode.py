"""Whether the tests run in CI: the one place that reads the `CI` environment variable.

In CI when `CI` is `1`, `true`, `yes` or `on`; not in CI when it is unset, empty, `0`, `false`,
`no` or `off` (case and surrounding spaces ignored). Any other value stops the run with a
message: a typo must neither relax CI nor make a laptop run strict by surprise.

In CI, a skipped test fails the run unless `tests/skip-allowlist.toml` names it
(`tests/skip_policy.py`), so a test that needs a tool CI installs simply calls `pytest.skip`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

VARIABLE = "CI"
IN_CI_VALUES = frozenset({"1", "true", "yes", "on"})
NOT_IN_CI_VALUES = frozenset({"", "0", "false", "no", "off"})


class UnclearCiValue(ValueError):
    """`CI` holds a value that says neither yes nor no."""


def in_ci(environ: Mapping[str, str] | None = None) -> bool:
    """True when `CI` says the tests run in CI (see the module docstring for the values)."""
    raw = (os.environ if environ is None else environ).get(VARIABLE, "")
    value = raw.strip().lower()
    if value in IN_CI_VALUES:
        return True
    if value in NOT_IN_CI_VALUES:
        return False
    raise UnclearCiValue(
        f"{VARIABLE}={raw!r} is not understood: use one of {sorted(IN_CI_VALUES)} for CI "
        f"or one of {sorted(NOT_IN_CI_VALUES - {''})} (or leave it unset) otherwise"
    )
