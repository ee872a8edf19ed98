"""Coverage-guided fuzzing of the engine with atheris (libFuzzer for Python).

Every input goes through `analyse_bytes` (the CLI's path) and, when it decodes, through `analyse`
(the server's path); a crash, a range outside the text or a missing AIS001 on an undecodable
input is a finding. Seeds: the examples and tests/toml_cases, copied to a scratch corpus folder
so the repository is never written to.

    pip install atheris
    python fuzz/fuzz_analyse.py -runs=20000            # a fixed number of inputs (CI)
    python fuzz/fuzz_analyse.py -max_total_time=600    # a longer hunt

Extra arguments go to libFuzzer (-runs, -max_len, -max_total_time, -seed...). A crashing input
is written to ./crash-<sha1> (run `python fuzz/fuzz_analyse.py crash-<sha1>` to replay it).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from ai_strategy.analysis import Report, analyse, analyse_bytes

REPO = Path(__file__).resolve().parents[1]
SEEDS = [
    *sorted((REPO / "examples").glob("*/ai-strategy.toml")),
    *sorted((REPO / "tests" / "toml_cases").glob("*/*.toml")),
]


def _lines(text: str) -> list[str]:
    import re

    return re.split(r"\r\n|\r|\n", text)


def check(report: Report) -> None:
    """Every range of every finding lies inside the report's text, start before end."""
    lines = _lines(report.text)
    for finding in report.findings:
        ranges = [finding.range, *(r.range for r in finding.related)]
        ranges += [e.range for fix in finding.fixes for e in fix.edits]
        for where in ranges:
            if where.start > where.end:
                raise AssertionError(f"{finding.code}: range ends before it starts: {where}")
            for position in (where.start, where.end):
                if not (
                    0 <= position.line < len(lines) and 0 <= position.column <= len(lines[position.line])
                ):
                    raise AssertionError(f"{finding.code}: {position} outside the text ({finding.message})")


def test_one_input(data: bytes) -> None:
    report = analyse_bytes(data)
    check(report)
    if report.document is None and not any(f.code == "AIS001" for f in report.findings):
        raise AssertionError("unreadable input without AIS001")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    check(analyse(text))


def main() -> None:
    args = list(sys.argv)
    if not any(not a.startswith("-") for a in args[1:]):  # no corpus folder or input given
        # one scratch folder, emptied at each start (libFuzzer exits without running cleanups)
        corpus = Path(tempfile.gettempdir()) / "ai-strategy-fuzz-corpus"
        shutil.rmtree(corpus, ignore_errors=True)
        corpus.mkdir()
        for index, seed in enumerate(SEEDS):
            shutil.copyfile(seed, corpus / f"seed-{index:03d}.toml")
        args.append(str(corpus))
    atheris.Setup(args, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
