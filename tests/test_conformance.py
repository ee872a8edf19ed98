"""Conformance: every TOML case through the engine and the command line.

Two corpora: the toml-test suite (`tests/vendor/toml-test`, its TOML 1.0 list: about 500 invalid
and 200 valid files) and the few dozen cases of `tests/toml_cases/`. For every case: nothing
raises; an invalid case gets AIS001 at a position inside the file (for our own cases, on the
expected line); a valid case never gets AIS001; every range of
every finding, related place and fix edit lies inside its document. The command line checks all
of them in one run, in every output format, with the same findings as the engine. The server side
of the corpus is in test_server_robustness.py.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ai_strategy.analysis import analyse, analyse_bytes

from .robustness import (
    Case,
    assert_no_traceback,
    check_json_range,
    check_report,
    own_cases,
    own_expected_lines,
    run_cli,
    split_lines,
    toml_test_cases,
)

CORPUS = toml_test_cases()
OWN = own_cases()
EXPECTED_LINES = own_expected_lines()


def _ais001(report_findings: list) -> list:  # type: ignore[type-arg]
    return [f for f in report_findings if f.code == "AIS001"]


def _check_case(case: Case) -> None:
    data = case.data
    report = analyse_bytes(data, case.id)
    check_report(report)
    syntax = _ais001(report.findings)
    if case.valid:
        assert not syntax, f"valid TOML 1.0 got AIS001: {syntax[0].message} at {syntax[0].range}"
    else:
        assert syntax, f"invalid TOML got no AIS001 (findings: {[f.code for f in report.findings]})"
        assert len(syntax) == 1, syntax
        assert syntax[0].message, syntax[0]
        assert report.recommendation is None
        # the strategy rules wait for valid TOML
        assert not [f for f in report.findings if f.code >= "AIS100"]
    try:
        text = data.decode("utf-8-sig")  # as an editor holds it: without the byte-order mark
    except UnicodeDecodeError:
        return
    # the text entry point (what the server calls) agrees with the bytes entry point
    by_text = analyse(text, case.id)
    check_report(by_text)
    if b"\x00" not in data:
        assert [(f.code, f.message, f.range) for f in by_text.findings] == [
            (f.code, f.message, f.range) for f in report.findings
        ]


# ---- the engine -----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CORPUS])
def test_toml_test_case_through_the_engine(case: Case) -> None:
    _check_case(case)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in OWN])
def test_own_case_through_the_engine(case: Case) -> None:
    _check_case(case)


def test_own_cases_are_a_few_dozen_and_all_have_an_expected_line() -> None:
    invalid = [c for c in OWN if not c.valid]
    assert len(invalid) >= 36 and len([c for c in OWN if c.valid]) >= 5
    assert sorted(EXPECTED_LINES) == sorted(c.path.name for c in invalid)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in OWN if not c.valid])
def test_own_invalid_case_is_reported_on_the_right_line(case: Case) -> None:
    report = analyse_bytes(case.data, case.id)
    (syntax,) = _ais001(report.findings)
    assert syntax.range.start.line + 1 == EXPECTED_LINES[case.path.name], syntax


def test_toml_test_corpus_figures() -> None:
    """The whole corpus at once: counts of crashes, false and missed AIS001 (all must be 0)."""
    crashes, false_positive, missed = [], [], []
    for case in CORPUS:
        try:
            report = analyse_bytes(case.data, case.id)
        except Exception as error:
            crashes.append(f"{case.id}: {error!r}")
            continue
        has = bool(_ais001(report.findings))
        if case.valid and has:
            false_positive.append(case.id)
        if not case.valid and not has:
            missed.append(case.id)
    valid = sum(c.valid for c in CORPUS)
    print(
        f"\ntoml-test 1.0: {len(CORPUS)} files ({valid} valid, {len(CORPUS) - valid} invalid); "
        f"crashes {len(crashes)}, false AIS001 {len(false_positive)}, missed AIS001 {len(missed)}"
    )
    assert len(CORPUS) > 600
    assert (crashes, false_positive, missed) == ([], [], [])


# ---- regressions found by the corpus ----------------------------------------------------------------


def test_syntax_error_position_in_a_crlf_file_is_where_the_error_is() -> None:
    """tomli reports offsets in its CRLF->LF normalised text; the finding must not drift left."""
    lf = 'version = 1\n\n[strategy]\napproach = "rag"\n\n[task]\ntype = = "qa"\n'
    crlf = lf.replace("\n", "\r\n")
    (on_lf,) = _ais001(analyse(lf).findings)
    (on_crlf,) = _ais001(analyse(crlf).findings)
    assert on_crlf.range == on_lf.range
    assert on_crlf.range.start.line == 6 and on_crlf.range.start.column == 7


def test_syntax_error_at_the_end_of_a_crlf_file_stays_inside_it() -> None:
    text = '# a comment\r\nname = "unterminated\r\n'
    report = analyse(text)
    check_report(report)
    assert _ais001(report.findings)


def test_a_second_byte_order_mark_is_a_syntax_error() -> None:
    report = analyse_bytes(b"\xef\xbb\xbf\xef\xbb\xbfversion = 1\n")
    (syntax,) = _ais001(report.findings)
    assert (syntax.range.start.line, syntax.range.start.column) == (0, 0)
    one_bom = analyse_bytes(b'\xef\xbb\xbfversion = 1\n[strategy]\napproach = "rag"\n[task]\ntype = "qa"\n')
    assert not _ais001(one_bom.findings)


def test_positions_count_from_the_text_the_caller_holds() -> None:
    """An editor drops the file's BOM; a U+FEFF still in its buffer is content, and every position
    must count it (stripping it silently shifted every column of the first line by one)."""
    from_bytes = analyse_bytes(b"\xef\xbb\xbfversion = 2\n")
    assert [(f.code, f.range.start.column) for f in from_bytes.findings] == [("AIS007", 10)]
    buffer = "\ufeffversion = 2\n"
    report = analyse(buffer)
    assert report.text == buffer
    assert [(f.code, f.range.start.column) for f in report.findings] == [("AIS001", 0), ("AIS007", 11)]


def test_invalid_utf8_points_into_the_text_an_editor_shows() -> None:
    data = b'version = 1\n# caf\xe9 \xf0\x9f\x98\x80\nname = "x"\n'
    report = analyse_bytes(data)
    (syntax,) = _ais001(report.findings)
    assert "invalid UTF-8" in syntax.message and "0xe9" in syntax.message
    assert (syntax.range.start.line, syntax.range.start.column) == (1, 5)
    assert report.text == data.decode("utf-8", "replace")
    check_report(report)


# ---- the command line: every case in one run --------------------------------------------------------


def _cli_cases() -> list[Case]:
    return OWN + CORPUS


@pytest.fixture(scope="module")
def all_cases_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Case]]:
    """Every case copied into its own folder as ai-strategy.toml (the name users give it)."""
    root = tmp_path_factory.mktemp("cases")
    by_display: dict[str, Case] = {}
    for index, case in enumerate(_cli_cases()):
        folder = root / f"{index:04d}"
        folder.mkdir()
        (folder / "ai-strategy.toml").write_bytes(case.data)
        by_display[f"{index:04d}/ai-strategy.toml"] = case
    return root, by_display


def test_cli_json_on_every_case_in_one_run(all_cases_folder: tuple[Path, dict[str, Case]]) -> None:
    root, by_display = all_cases_folder
    result = run_cli("check", "--format", "json", ".", cwd=root, timeout=300)
    assert_no_traceback(result.stderr)
    assert result.code == 1, result.stderr  # the invalid cases are errors
    report = json.loads(result.stdout)
    files = {entry["path"]: entry for entry in report["files"]}
    assert sorted(files) == sorted(by_display)
    assert report["summary"]["files"] == len(by_display)
    for display, case in by_display.items():
        entry = files[display]
        data = case.data
        engine = analyse_bytes(data, display)
        lines = split_lines(engine.text)
        codes = [d["code"] for d in entry["diagnostics"]]
        if case.valid:
            assert "AIS001" not in codes, (case.id, entry["diagnostics"])
        else:
            assert codes.count("AIS001") == 1, (case.id, codes)
        for diagnostic in entry["diagnostics"]:
            what = f"{case.id}: {diagnostic['code']}"
            check_json_range(lines, diagnostic["range"], what)
            for related in diagnostic["related"]:
                check_json_range(lines, related["range"], what + " (related)")
            if diagnostic["fix"] is not None:
                for edit in diagnostic["fix"]["edits"]:
                    check_json_range(lines, edit["range"], what + " (fix)")
        # the command line says exactly what the engine says
        assert [
            (d["code"], d["message"], d["range"]["start"], d["range"]["end"]) for d in entry["diagnostics"]
        ] == [
            (
                f.code,
                f.message,
                {"line": f.range.start.line + 1, "column": f.range.start.column + 1},
                {"line": f.range.end.line + 1, "column": f.range.end.column + 1},
            )
            for f in engine.findings
        ], case.id
    print(f"\ncheck --format json: {len(by_display)} files in one run, {result.seconds:.2f} s")


def test_cli_json_with_explicit_file_paths(tmp_path: Path) -> None:
    """Files given by name are checked whatever they are called."""
    cases = OWN + CORPUS[:: len(CORPUS) // 120]
    args = [str(c.path) for c in cases]
    result = run_cli("check", "--format", "json", *args, cwd=tmp_path, timeout=300)  # its cache there
    assert_no_traceback(result.stderr)
    report = json.loads(result.stdout)
    assert len(report["files"]) == len(cases)
    for entry, case in zip(report["files"], cases, strict=True):
        codes = [d["code"] for d in entry["diagnostics"]]
        assert ("AIS001" in codes) is (not case.valid), (case.id, codes)


@pytest.mark.parametrize("fmt", ["text", "sarif", "github", "gitlab", "junit"])
def test_every_output_format_survives_every_case(
    fmt: str, all_cases_folder: tuple[Path, dict[str, Case]]
) -> None:
    root, by_display = all_cases_folder
    result = run_cli("check", "--format", fmt, ".", cwd=root, timeout=300)
    assert_no_traceback(result.stderr)
    assert result.code == 1, result.stderr[-2000:]
    if fmt in ("sarif", "gitlab"):
        json.loads(result.stdout)
    elif fmt == "junit":
        ET.fromstring(result.stdout.encode("utf-8"))
    elif fmt == "text":
        invalid = sum(not c.valid for c in by_display.values())
        assert result.stdout.count("AIS001") >= invalid


@pytest.mark.parametrize(
    "toml_1_1",
    [
        'name = "escape \\e"\n',  # \e: TOML 1.1
        'name = "hex \\x41"\n',  # \xHH: TOML 1.1
        "table = {\n  a = 1,\n}\n",  # a multi-line inline table with a trailing comma: TOML 1.1
        "at = 07:32\n",  # a time without seconds: TOML 1.1
        "when = 1979-05-27T07:32Z\n",
    ],
)
def test_toml_1_1_syntax_is_refused_as_toml_1_0_requires(toml_1_1: str) -> None:
    """The format is TOML 1.0 (README: why tomli is pinned below 2.4): whichever parser runs,
    syntax that only TOML 1.1 allows is a syntax error."""
    from ai_strategy.analysis import analyse

    text = 'version = 1\n[strategy]\napproach = "rag"\n[task]\ntype = "qa"\n[project]\n' + toml_1_1
    assert [f.code for f in analyse(text).findings if f.code == "AIS001"] == ["AIS001"]
