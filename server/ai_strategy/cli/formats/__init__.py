"""Output formats of `ai-strategy check`: each module renders a CheckRun to text.

Formats are looked up by name and imported on use, so a run pays only for the one it prints.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from ..check_run import CheckRun

FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json_format",
    "sarif": "sarif",
    "github": "github",
    "gitlab": "gitlab",
    "junit": "junit",
}
"""Format name -> module in this package defining `render(run: CheckRun) -> str`."""


def renderer(name: str) -> Callable[[CheckRun], str]:
    """The render function of format `name`."""
    module = importlib.import_module(f"{__name__}.{FORMATS[name]}")
    render: Callable[[CheckRun], str] = module.render
    return render
