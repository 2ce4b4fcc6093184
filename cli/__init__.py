"""The command line, above the model and the store: `python -m cli run|validate|compare|backtest|store …`.
Bad input gives located error lines on stderr and exit code 2, never a traceback."""
import sys

EXIT_INVALID = 2


def fail(lines: list[str]) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    return EXIT_INVALID
