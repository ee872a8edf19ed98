"""Writing a Python value as TOML 1.0 source: the one writer behind every fix, message and snippet.

A fix that writes a value, a message that quotes one, the starter file of `ai-strategy init`, the
schema's examples and the editor's completions all call `toml_value`, so a value is written one
way everywhere and `tomli` reads back exactly the value written (tests/test_toml_value.py).
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping
from typing import Any

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SHORT_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_INT64 = range(-(2**63), 2**63)


def toml_value(value: Any, *, group_digits: bool = False) -> str:
    """`value` as TOML source: a basic string (escaped), integer, float, boolean, date/time, array or
    inline table.

    `group_digits` writes integers of five digits or more in groups of three (`500_000`), as the
    starter file does for readability. Raises ValueError for what TOML cannot hold: an integer
    outside 64 bits, a string with a lone surrogate, or a type TOML has no literal for here.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if value not in _INT64:
            raise ValueError(f"{value} does not fit TOML's 64-bit integers")
        return f"{value:_}" if group_digits and abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, Mapping):
        pairs = (f"{toml_key(str(k))} = {toml_value(v, group_digits=group_digits)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v, group_digits=group_digits) for v in value) + "]"
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()  # RFC 3339, as TOML writes dates and times
    raise ValueError(f"no TOML literal for a {type(value).__name__}")


def toml_string(text: str) -> str:
    """`text` as a TOML basic string: quotes, backslashes and control characters escaped,
    everything else (non-ASCII included) written as it is."""
    if _NEEDS_ESCAPE.search(text) is None:
        body = text
    else:
        body = _NEEDS_ESCAPE.sub(lambda m: _SHORT_ESCAPES.get(m.group(0), f"\\u{ord(m.group(0)):04X}"), text)
    try:
        body.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("a lone surrogate cannot be written in TOML") from error
    return f'"{body}"'


def toml_key(name: str) -> str:
    """A key as TOML source: bare when it can be, a quoted basic string otherwise."""
    return name if _BARE_KEY.fullmatch(name) else toml_string(name)


def _float(value: float) -> str:
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(value)  # the shortest text that reads back exactly: "0.0002", "1e+16", "-0.0"
