"""A generated file: where it lives, how to build its text, and how to tell what changed."""
from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


def text_changes(old: str, new: str) -> list[str]:
    return [line.rstrip("\n") for line in difflib.unified_diff(old.splitlines(True), new.splitlines(True), n=0)
            if not line.startswith(("---", "+++"))]


@dataclass(frozen=True)
class Generated:
    path: Path
    build: Callable[[], str]                                    # the file's text as it should be
    changes: Callable[[str, str], list[str]] = text_changes     # (current text, built text) -> lines

    def current(self) -> str:
        return self.path.read_text(encoding="utf-8") if self.path.exists() else ""

    def stale(self) -> list[str]:
        """What would change; empty when the file is current."""
        return self.changes(self.current(), self.build())


def main(files: Sequence[Generated], argv: list[str] | None = None, prog: str = "python -m tools") -> int:
    parser = argparse.ArgumentParser(prog=prog, description="Print what would change in the generated files.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 if a file is stale")
    mode.add_argument("--write", action="store_true", help="rewrite the files")
    args = parser.parse_args(argv)
    status = 0
    for generated in files:
        built = generated.build()
        lines = generated.changes(generated.current(), built)
        name = generated.path.relative_to(Path.cwd()) if generated.path.is_relative_to(Path.cwd()) else generated.path
        if args.write:
            generated.path.parent.mkdir(parents=True, exist_ok=True)
            generated.path.write_text(built, encoding="utf-8")
            print(f"{name}: {'rewritten' if lines else 'unchanged'}")
        elif args.check:
            if lines:
                print(f"{name} is stale ({len(lines)} lines differ): run `make docs` (pins: `make pin`)", file=sys.stderr)
                status = 1
        else:
            print(f"{name}: " + ("unchanged" if not lines else f"{len(lines)} changes\n" + "\n".join(lines)))
    return status
