"""Pinned headline numbers of every shipped preset (final year, central values).

`make pin` prints what changed against tests/fixtures/headlines.yaml; `make pin ARGS=--write`
rewrites the file after the change has been reviewed. tests/test_headlines.py fails on any move
beyond RELATIVE_TOLERANCE, so a change that halves every effect cannot pass unnoticed, while a
last-digit difference from another numpy or BLAS build is not a change.
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model import engine  # noqa: E402
from model.data import default_data  # noqa: E402
from model.scenario import load_scenario  # noqa: E402

PIN_FILE = ROOT / "tests" / "fixtures" / "headlines.yaml"
HEADLINES = ("consumer.surplus", "consumer.surplus_pv", "consumer.harm", "welfare.total", "welfare.total_pv",
             "concentration.hhi", "share.alibaba", "market.take_rate", "sme.margin", "sme.profit.marketplace",
             "sme.profit.private_domain")
SIGNIFICANT = 6             # digits stored in the file
RELATIVE_TOLERANCE = 1e-5   # a move under 0.001 % is not a change (twice the rounding to 6 digits)
ABSOLUTE_TOLERANCE = 1e-9   # for values at zero


def current() -> dict[str, dict[str, float]]:
    data = default_data()
    pins = {}
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        final = engine.run(load_scenario(path, data), data).final["value"]
        pins[path.stem] = {o: float(final[o]) for o in HEADLINES}
    return pins


def rounded(pins: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    return {preset: {o: float(f"{v:.{SIGNIFICANT}g}") for o, v in values.items()} for preset, values in pins.items()}


def pinned() -> dict:
    return yaml.safe_load(PIN_FILE.read_text(encoding="utf-8")) if PIN_FILE.exists() else {}


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tests/pin_headlines.py")
    parser.add_argument("--write", action="store_true", help="rewrite the pinned file")
    args = parser.parse_args(argv)
    new = current()
    changes = differences(pinned(), new)
    print("\n".join(changes) if changes else "headlines unchanged")
    if args.write:
        PIN_FILE.write_text("# Written by `make pin ARGS=--write` after review; see tests/pin_headlines.py.\n"
                            + yaml.safe_dump(rounded(new), sort_keys=True, allow_unicode=True), encoding="utf-8")
        print(f"wrote {PIN_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
