"""Material copied into the repository so that no test depends on a folder outside it.

- `tests/vendor/toml-test/`: the toml-test corpus (its README says where it comes from).
- `tests/fixtures/spec-example.toml`: the example of the specification's section 2.

Each copy is compared with its source when the shared folder is next to the repository
(`../shared`); a CI machine that clones only the repository skips that comparison, which
`tests/skip-allowlist.toml` allows. The copies themselves are used by the tests everywhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import ROOT, SHARED, SPEC_EXAMPLE
from .robustness import TOML_1_0_LIST, TOML_TEST, toml_test_cases

VENDORED_TOML_TEST = ROOT / "tests" / "vendor" / "toml-test"


def shared(path: str) -> Path:
    """A path of the shared folder; the test skips when it is not there."""
    source = SHARED / path
    if not source.exists():
        pytest.skip(f"{source} is not next to the repository: nothing to compare the copy with")
    return source


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".gitattributes"
    }


def spec_section_2_example(spec: str) -> str:
    """The first TOML block of section 2 of the specification."""
    section = spec[spec.index("\n## 2. ") : spec.index("\n## 3. ")]
    found = re.search(r"```toml\n(.*?)```", section, re.S)
    assert found is not None, "no TOML block in section 2"
    return found.group(1)


def test_vendored_toml_test_equals_shared() -> None:
    assert files_under(VENDORED_TOML_TEST) == files_under(shared("toml-test"))


def test_spec_example_equals_shared_spec() -> None:
    spec = shared("SPEC.md").read_text("utf-8")
    assert SPEC_EXAMPLE.read_text("utf-8") == spec_section_2_example(spec)


def test_the_tests_read_the_vendored_corpus() -> None:
    assert TOML_TEST.is_relative_to(ROOT) and TOML_1_0_LIST.is_file()
    cases = toml_test_cases()
    assert len(cases) > 600
    assert {c.valid for c in cases} == {True, False}
    assert all(c.path.is_file() and c.path.is_relative_to(VENDORED_TOML_TEST) for c in cases)
