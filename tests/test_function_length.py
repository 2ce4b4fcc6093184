"""No function in the project's layers runs over MAX_LINES lines (def to last line, docstring included):
a longer one is a list of named steps waiting to be written."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("model", "store", "reports", "analysis", "cli", "tools", "ui", "app_pages")
MAX_LINES = 60

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
    assert long_functions() == {}

