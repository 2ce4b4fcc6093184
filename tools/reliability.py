"""docs/RELIABILITY.md's table of hostile cases, generated from the corpus the tests run:
`python -m tools.reliability [--check|--write]` (the rest of the document is written by hand)."""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

from .generated import Generated, main

ROOT = Path(__file__).resolve().parent.parent

DOC = ROOT / "docs" / "RELIABILITY.md"
CORPUS = ROOT / "tests" / "fixtures" / "bad_scenarios"
BEGIN, END = "<!-- hostile-cases:begin -->", "<!-- hostile-cases:end -->"


def table() -> str:
    expected = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
    rows = ["| file | size (bytes) | what every entrance answers (after `<path>: `) |", "|---|---:|---|"]
    for name in sorted(expected):
        message = expected[name].replace("|", "\\|")
        rows.append(f"| `{name}` | {(CORPUS / name).stat().st_size:,} | `{message}` |")
    return "\n".join(rows)


def render(current: str) -> str:
    head, _, rest = current.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{table()}\n{END}{tail}"


RELIABILITY = Generated(DOC, lambda: render(DOC.read_text(encoding="utf-8")))

if __name__ == "__main__":
    sys.exit(main([RELIABILITY], prog="python -m tools.reliability"))
