"""`--format github`: GitHub Actions workflow commands, shown as annotations on the pull request.

One line per finding:
`::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=CODE::MESSAGE` (`warning` and
`notice` for the other severities). Lines and columns are 1-based, columns in code points, end
column exclusive, as in the other formats. Text from the checked file (paths, messages) goes
through `escaping.printable` first (no terminal escapes in the log), then is escaped as the runner
expects (`%`, CR, LF; property values also `:` and `,`), so it can never end the annotation or
start a command of its own.
"""

from __future__ import annotations

from ...escaping import printable
from ...findings import Finding
from ...rule_docs import rule_url
from ...rules import RULES_BY_CODE
from ..check_run import CheckRun

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
"""Our severity -> the workflow command that annotates with it."""


def escape_data(text: str) -> str:
    """Escape a command's message (after `::`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property's value (`file=`, `title=`)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(display: str, finding: Finding, docs_base_url: str = "") -> str:
    """The workflow command for one finding."""
    start, end = finding.range.start, finding.range.end
    properties = {
        "file": printable(display),
        "line": str(start.line + 1),
        "col": str(start.column + 1),
        "endLine": str(end.line + 1),
        "endColumn": str(end.column + 1),
        "title": finding.code,
    }
    head = ",".join(f"{name}={escape_property(value)}" for name, value in properties.items())
    rule = RULES_BY_CODE[finding.code]
    link = f"{finding.code} {rule.name}: {rule_url(finding.code, docs_base_url)}"
    message = f"{printable(finding.message)}\n{link}"
    return f"::{COMMANDS[finding.severity.value]} {head}::{escape_data(message)}"


def render(run: CheckRun) -> str:
    """One annotation per finding; nothing when the files are clean."""
    lines = [annotation(result.display, finding, run.docs_base_url) for result, finding in run.findings()]
    return "".join(line + "\n" for line in lines)
