"""docs/RELIABILITY.md's table of hostile cases, generated from the corpus the tests run.

`python -m bench.reliability` rewrites the table between the markers; tests check it is current."""
from __future__ import annotations

import sys

import yaml

from .paths import ROOT

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


def main() -> int:
    DOC.write_text(render(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
