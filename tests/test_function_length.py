"""No function in the project's layers runs over MAX_LINES lines (def to last line, docstring included):
a longer one is a list of named steps waiting to be written."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("model", "store", "reports", "cli", "tools", "ui", "app_pages")
MAX_LINES = 60
# Functions other engineers are breaking up in parallel (issues 20 and 25); the lead empties this
# list when their work is merged. Do not add to it: split the function instead.
BEING_SPLIT = {
    ("app_pages/compare.py", "comparison"),   # issue 25
    ("ui/urlstate.py", "from_query"),         # issue 25
    ("ui/report.py", "html_report"),          # issue 25
}


def long_functions() -> dict[tuple[str, str], int]:
    found = {}
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    lines = node.end_lineno - node.lineno + 1
                    if lines > MAX_LINES:
                        found[(path.relative_to(ROOT).as_posix(), node.name)] = lines
    return found


def test_no_function_runs_over_sixty_lines():
    too_long = {where: lines for where, lines in long_functions().items() if where not in BEING_SPLIT}
    assert too_long == {}


def test_the_allow_list_holds_only_functions_still_too_long():
    """Once a listed function is split, its entry must go, so the list can only shrink."""
    assert BEING_SPLIT <= set(long_functions())
