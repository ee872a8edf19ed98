"""`--format junit`: a JUnit XML report, one test case per checked file.

A file's test case fails when it has findings at or above its fail level (`--fail-on`, else its
project's `fail-on`: the same rule as the exit code); the failure lists every finding of the file
as `path:line:col: CODE [severity] message`. Findings below the fail level are listed in the test
case's `system-out`, so that CI dashboards (GitLab, Jenkins, Azure DevOps) show them without failing
the test. Paths and messages go through `escaping.printable`: one line per finding, no terminal
escapes, whatever the file holds.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

from ...escaping import log_line, printable
from ...findings import Finding
from ..check_run import CheckRun, FileResult

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot carry, even escaped."""


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def finding_line(result: FileResult, finding: Finding) -> str:
    """`path:line:col: CODE [severity] message`, as the text format's heading."""
    start = finding.range.start
    return log_line(
        f"{printable(result.display)}:{start.line + 1}:{start.column + 1}: "
        f"{finding.code} [{finding.severity.value}] {printable(finding.message)}"
    )


def testcase(run: CheckRun, result: FileResult) -> tuple[ElementTree.Element, bool]:
    """The test case of one file, and whether it failed."""
    name = _xml_text(printable(result.display))
    case = ElementTree.Element(
        "testcase", {"name": name, "classname": "ai-strategy", "file": name, "time": "0"}
    )
    findings = result.report.findings
    failing = [f for f in findings if f.severity.rank >= result.fail_on.rank]
    listing = "\n".join(finding_line(result, f) for f in findings)
    if failing:
        codes = sorted({f.code for f in failing})
        count = len(failing)
        failure = ElementTree.SubElement(
            case,
            "failure",
            {
                "message": _xml_text(
                    f"{count} finding{'' if count == 1 else 's'} at or above {result.fail_on.value}: "
                    + ", ".join(codes)
                ),
                "type": result.fail_on.value,
            },
        )
        failure.text = _xml_text(listing + "\n")
    elif findings:
        ElementTree.SubElement(case, "system-out").text = _xml_text(listing + "\n")
    return case, bool(failing)


def render(run: CheckRun) -> str:
    """The XML document, with a declaration and a final newline."""
    cases = [testcase(run, result) for result in run.files]
    failures = str(sum(1 for _, failed in cases if failed))
    tests = str(len(cases))
    suites = ElementTree.Element(
        "testsuites", {"name": "ai-strategy", "tests": tests, "failures": failures, "errors": "0"}
    )
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        {"name": "ai-strategy", "tests": tests, "failures": failures, "errors": "0", "skipped": "0"},
    )
    suite.extend(case for case, _ in cases)
    ElementTree.indent(suites)
    body = ElementTree.tostring(suites, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
