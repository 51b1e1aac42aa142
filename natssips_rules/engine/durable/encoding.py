"""JSON text that durable_rules' C engine reads correctly (rules and facts alike).

The engine's JSON parser refuses numbers written with an exponent (``1e-05``
is error 204) and ``Infinity`` (202), and accepts ``NaN`` only to compare it
oddly; NaN and Infinity are refused at the facts boundary, and every number
is written here without an exponent.
"""

import decimal
import json
import math
import re
from typing import Any

__all__ = ["dumps"]


def _plain_number(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError(f"the engine cannot read {value!r}")
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(decimal.Decimal(text), "f")
        if "." not in text:
            text += ".0"
    return text


def dumps(data: Any) -> str:
    """JSON text the engine reads correctly (numbers never use an exponent)."""
    # Separators with a space: with compact separators a fact set was seen to lose an
    # id join in phase 2 (pinned by tests/engine/test_durable_guards.py).
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    # Python writes an exponent as e-NN or e+NN: look for those first (fast), then make sure
    if ("e-" not in text and "e+" not in text) or _EXPONENT.search(text) is None:
        return text
    # some number (or some text that looks like one) has an exponent: write every number plainly
    return _dumps_slow(data)


#: A JSON number written with an exponent (text that merely looks like one also takes the slow path).
_EXPONENT = re.compile(r"\d[eE][+-]?\d")


def _dumps_slow(data: Any) -> str:
    if isinstance(data, dict):
        return "{" + ", ".join(json.dumps(str(k), ensure_ascii=False) + ": " + _dumps_slow(v) for k, v in data.items()) + "}"
    if isinstance(data, list):
        return "[" + ", ".join(_dumps_slow(v) for v in data) + "]"
    if isinstance(data, float):
        return _plain_number(data)
    return json.dumps(data, ensure_ascii=False, allow_nan=False)
