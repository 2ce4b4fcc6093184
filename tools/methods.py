"""docs/METHODS.md, from reports/methods.py: `python -m tools.methods [--check|--write]`."""
import sys

from reports.methods import METHODS_PATH, methods_markdown

from .generated import Generated, main

METHODS = Generated(METHODS_PATH, methods_markdown)

if __name__ == "__main__":
    sys.exit(main([METHODS], prog="python -m tools.methods"))
