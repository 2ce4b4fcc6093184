"""Pinned headline numbers of every shipped preset (final year, central values).

`make pin` (`python -m tools.pin_headlines`) prints what moved against tests/fixtures/headlines.yaml;
`make pin ARGS=--write` rewrites the file after the change has been reviewed; `--check` exits 1 on a
move. tests/test_headlines.py fails on any move beyond RELATIVE_TOLERANCE, so a change that halves every effect cannot pass unnoticed, while a
last-digit difference from another numpy or BLAS build is not a change.
"""
from __future__ import annotations

import math
import sys
from functools import lru_cache
from pathlib import Path

import yaml

from model import engine
from model.data import default_data
from model.scenario import load_scenario

from .generated import Generated, main

ROOT = Path(__file__).resolve().parent.parent

PIN_FILE = ROOT / "tests" / "fixtures" / "headlines.yaml"
HEADLINES = ("consumer.surplus", "consumer.surplus_pv", "consumer.harm", "welfare.total", "welfare.total_pv",
             "concentration.hhi", "share.alibaba", "market.take_rate", "sme.margin", "sme.profit.marketplace",
             "sme.profit.private_domain")
SIGNIFICANT = 6             # digits stored in the file
RELATIVE_TOLERANCE = 1e-5   # a move under 0.001 % is not a change (twice the rounding to 6 digits)
ABSOLUTE_TOLERANCE = 1e-9   # for values at zero


@lru_cache(maxsize=1)
def current() -> dict[str, dict[str, float]]:
    data = default_data()
    pins = {}
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        final = engine.run(load_scenario(path, data), data).final["value"]
        pins[path.stem] = {o: float(final[o]) for o in HEADLINES}
    return pins


def rounded(pins: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    return {preset: {o: float(f"{v:.{SIGNIFICANT}g}") for o, v in values.items()} for preset, values in pins.items()}


def moved(before: float | None, after: float | None) -> bool:
    if before is None or after is None:
        return before != after
    return not math.isclose(before, after, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE)


def differences(old: dict, new: dict) -> list[str]:
    """One line per pinned number that moved beyond the tolerance, with its relative change."""
    lines = []
    for preset in sorted(set(old) | set(new)):
        before, after = old.get(preset, {}), new.get(preset, {})
        for outcome in sorted(set(before) | set(after)):
            a, b = before.get(outcome), after.get(outcome)
            if moved(a, b):
                change = f" ({(b - a) / abs(a):+.3%})" if a and b is not None else ""
                lines.append(f"{preset}: {outcome}: {a} -> {b if b is None else f'{b:.{SIGNIFICANT}g}'}{change}")
    return lines


def pin_text() -> str:
    return ("# Written by `make pin ARGS=--write` after review; see tools/pin_headlines.py.\n"
            + yaml.safe_dump(rounded(current()), sort_keys=True, allow_unicode=True))


# The file's text is rounded; what moved is judged on the unrounded numbers, within the tolerance.
PINS = Generated(PIN_FILE, pin_text, lambda old, new: differences(yaml.safe_load(old) or {}, current()))

if __name__ == "__main__":
    sys.exit(main([PINS], prog="python -m tools.pin_headlines"))
