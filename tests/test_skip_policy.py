"""The skip policy: what `CI` means, and that in CI a skip fails the run unless allow-listed.

Small pytest sessions (pytester) run a file of tests that skip in every way pytest offers; the
expected outcome of each is written here, not read from the plugin.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .ci_mode import UnclearCiValue, in_ci
from .skip_policy import ALLOWLIST, Allowance, SkipPolicy, read_allowlist

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("value", ["true", "TRUE", "1", "yes", "on", " true\n"])
def test_values_that_mean_ci(value: str) -> None:
    assert in_ci({"CI": value}) is True


@pytest.mark.parametrize("value", ["", "0", "false", "False", "no", "off"])
def test_values_that_mean_not_ci(value: str) -> None:
    assert in_ci({"CI": value}) is False


def test_unset_means_not_ci() -> None:
    assert in_ci({}) is False


@pytest.mark.parametrize("value", ["maybe", "2", "ture", "y"])
def test_an_unclear_value_is_an_error_not_a_guess(value: str) -> None:
    with pytest.raises(UnclearCiValue, match=f"CI='{value}' is not understood"):
        in_ci({"CI": value})


# ---- the plugin in a small session -------------------------------------------------------------

SKIPPING = """
import pytest

def test_passes():
    assert True

def test_skips():
    pytest.skip("no tool here")

@pytest.mark.skipif(True, reason="never on this machine")
def test_skipif():
    pass

def test_importorskip():
    pytest.importorskip("a_module_that_does_not_exist_anywhere")

@pytest.fixture
def tool():
    pytest.skip("the fixture's tool is missing")

def test_fixture_skips(tool):
    pass

@pytest.mark.xfail(reason="known bug", strict=False)
def test_loose_xfail_that_fails():
    assert False

@pytest.mark.xfail(reason="known bug", strict=False)
def test_loose_xfail_that_passes():
    assert True

@pytest.mark.xfail(reason="a statement", strict=True)
def test_strict_xfail_that_fails():
    assert False

def test_imperative_xfail():
    pytest.xfail("gave up")

@pytest.mark.xfail(reason="never run", strict=True, run=False)
def test_strict_xfail_not_run():
    assert False

def test_allowed_skip():
    pytest.skip("allowed for a reason")
"""

MODULE_SKIP = """
import pytest
pytest.skip("whole module", allow_module_level=True)

def test_never_collected():
    pass
"""

ARGS = ("-p", "no:cacheprovider", "-o", "asyncio_default_fixture_loop_scope=function")
ALLOWED = [Allowance("test_skipping.py::test_allowed_*", "the test says why")]


def run_session(pytester: pytest.Pytester, in_ci: bool) -> tuple[SkipPolicy, pytest.RunResult]:
    pytester.makepyfile(test_skipping=SKIPPING)
    policy = SkipPolicy(in_ci=in_ci, allowlist=ALLOWED)
    result = pytester.runpytest(*ARGS, plugins=[policy])
    return policy, result


def outcomes(result: pytest.RunResult) -> dict[str, str]:
    """Test name -> the outcome of its call (or of its setup, when that did not pass)."""
    found: dict[str, str] = {}
    for report in result.reprec.getreports("pytest_runtest_logreport"):  # type: ignore[attr-defined]
        name = report.nodeid.split("::")[-1]
        if report.when == "call" or (report.when == "setup" and not report.passed):
            found[name] = "xfailed" if hasattr(report, "wasxfail") and report.skipped else report.outcome
            if hasattr(report, "wasxfail") and report.passed:
                found[name] = "xpassed"
    return found


def test_outside_ci_skips_pass_and_are_listed(pytester: pytest.Pytester) -> None:
    policy, result = run_session(pytester, in_ci=False)
    assert outcomes(result) == {
        "test_passes": "passed",
        "test_skips": "skipped",
        "test_skipif": "skipped",
        "test_importorskip": "skipped",
        "test_fixture_skips": "skipped",
        "test_loose_xfail_that_fails": "xfailed",
        "test_loose_xfail_that_passes": "xpassed",
        "test_strict_xfail_that_fails": "xfailed",
        "test_imperative_xfail": "xfailed",
        "test_strict_xfail_not_run": "xfailed",
        "test_allowed_skip": "skipped",
    }
    assert result.ret == 0
    listed = {(s.nodeid.split("::")[-1], s.kind, s.reason) for s in policy.skips}
    assert listed == {
        ("test_skips", "skipped", "no tool here"),
        ("test_skipif", "skipped", "never on this machine"),
        (
            "test_importorskip",
            "skipped",
            "could not import 'a_module_that_does_not_exist_anywhere': "
            "No module named 'a_module_that_does_not_exist_anywhere'",
        ),
        ("test_fixture_skips", "skipped", "the fixture's tool is missing"),
        ("test_loose_xfail_that_fails", "xfail (not strict)", "known bug"),
        ("test_loose_xfail_that_passes", "xpass (not strict)", "known bug"),
        ("test_imperative_xfail", "xfail (imperative)", "gave up"),
        ("test_strict_xfail_not_run", "xfail (not run)", "[NOTRUN] never run"),
        ("test_allowed_skip", "skipped", "allowed for a reason"),
    }
    result.stdout.fnmatch_lines(
        [
            "skip policy (not CI: skips are allowed): 11 tests collected, "
            "9 skipped or not-strict xfail, 1 strict xfail",
            "  skipped: test_skipping.py::test_skips: no tool here",
            "  xpass (not strict): test_skipping.py::test_loose_xfail_that_passes: known bug",
        ]
    )


def test_in_ci_every_skip_fails_unless_allow_listed(pytester: pytest.Pytester) -> None:
    _, result = run_session(pytester, in_ci=True)
    assert outcomes(result) == {
        "test_passes": "passed",
        "test_skips": "failed",
        "test_skipif": "failed",
        "test_importorskip": "failed",
        "test_fixture_skips": "failed",
        "test_loose_xfail_that_fails": "failed",
        "test_loose_xfail_that_passes": "failed",
        "test_strict_xfail_that_fails": "xfailed",  # a statement, not a skip
        "test_imperative_xfail": "failed",
        "test_strict_xfail_not_run": "failed",
        "test_allowed_skip": "skipped",
    }
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "skipped in CI: the fixture's tool is missing",  # setup errors are listed first
            "skipped in CI: no tool here",
            "*xpass (not strict) in CI: known bug",
            "  skipped: test_skipping.py::test_skips: no tool here"
            "  [[]FAILED: not on tests/skip-allowlist.toml[]]",
            "  skipped: test_skipping.py::test_allowed_skip: allowed for a reason"
            "  [[]allowed: the test says why[]]",
        ]
    )


def test_a_module_skipped_at_collection_fails_in_ci(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_module_skip=MODULE_SKIP)
    policy = SkipPolicy(in_ci=True, allowlist=[])
    result = pytester.runpytest(*ARGS, plugins=[policy])
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*skipped in CI: whole module*"])
    assert [(s.nodeid, s.reason) for s in policy.skips] == [("test_module_skip.py", "whole module")]

    outside = SkipPolicy(in_ci=False, allowlist=[])
    assert pytester.runpytest(*ARGS, plugins=[outside]).ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_the_repository_conftest_reads_ci_and_applies_the_policy(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wiring, end to end: `CI=true` in the environment makes this repository's conftest
    fail a skip; `CI=0` lets it pass; an unclear value stops the run."""
    pytester.makeconftest("from tests.conftest import pytest_configure  # noqa: F401\n")
    pytester.makepyfile(test_one="import pytest\n\ndef test_skips():\n    pytest.skip('no tool')\n")
    monkeypatch.setenv("CI", "true")
    strict = pytester.runpytest(*ARGS)
    strict.assert_outcomes(failed=1)
    strict.stdout.fnmatch_lines(["skip policy (CI: skips fail unless allow-listed): 1 tests collected*"])
    monkeypatch.setenv("CI", "0")
    pytester.runpytest(*ARGS).assert_outcomes(skipped=1)
    monkeypatch.setenv("CI", "sometimes")
    unclear = pytester.runpytest(*ARGS)
    assert unclear.ret == pytest.ExitCode.USAGE_ERROR
    unclear.stderr.fnmatch_lines(["*CI='sometimes' is not understood*"])


# ---- the allow-list ---------------------------------------------------------------------------


def test_allowlist_entries_need_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "allow.toml"
    path.write_text('[[allow]]\ntests = "tests/test_x.py::*"\nreason = " "\n', "utf-8")
    with pytest.raises(ValueError, match="entry 1 needs a `tests` pattern and a `reason`"):
        read_allowlist(path)


def _test_functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test")
    }


def test_every_allowlist_entry_names_a_test_that_exists() -> None:
    """A stale entry would silently allow a future skip: each pattern matches a test function."""
    for entry in read_allowlist(ALLOWLIST):
        file, _, name = entry.tests.partition("::")
        path = ROOT / file
        assert path.is_file(), f"{entry.tests}: no file {file}"
        function = name.split("[")[0]
        assert any(Allowance(function, "").covers(f) for f in _test_functions(path)), (
            f"{entry.tests}: no test function in {file} matches"
        )
