"""The layers as a rule: every import of every project module (top-level and inside functions, read
with ast) points down the stack, and no two modules import each other, however indirectly.

    app.py, server.py            the Streamlit router and the static server: may use anything
    app_pages/  ui/              the pages and their shared code: model, store, reports, ui
    cli/                         the command line: model, store, reports
    tools/                       maintenance commands for generated files: model, store, reports
    reports/                     generated prose and files (METHODS): model
    store/                       the scenario library's database: model
    model/                       the model: nothing else of the project; numpy, pandas, pydantic, yaml
"""
import ast
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVERY_LAYER = {"model", "store", "reports", "cli", "tools", "ui", "app_pages"}
MAY_IMPORT = {
    "model": {"model"},
    "store": {"model", "store"},
    "reports": {"model", "reports"},
    "cli": {"model", "store", "reports", "cli"},
    "tools": {"model", "store", "reports", "tools"},
    "ui": {"model", "store", "reports", "ui"},
    "app_pages": {"model", "store", "reports", "ui"},
    "app": EVERY_LAYER,
    "server": EVERY_LAYER,
}
# `python -m model …` still works for old scripts: the one arrow upwards, an entry point nothing imports.
ALLOWED = {("model.__main__", "cli.main")}
MODEL_LIBRARIES = {"numpy", "pandas", "pydantic", "yaml"}


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the layers above, by dotted name (tests/, bench/ and data/ are outside them)."""
    paths = [root / "app.py", root / "server.py"]
    for package in MAY_IMPORT:
        if (root / package).is_dir():
            paths += sorted((root / package).rglob("*.py"))
    return {module_name(path, root): path for path in paths if path.exists() and "migrations" not in path.parts}


def imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The dotted names `name` imports anywhere in its file: a project module when the name is one
    (`from . import state` is ui.state), else the package or outside library imported."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return {n for n in found if n}


def graph(root: Path = ROOT) -> dict[str, set[str]]:
    modules = project_modules(root)
    return {name: imports(name, path, modules) for name, path in modules.items()}


def layer(name: str) -> str:
    return name.split(".")[0]


def arrows_against_the_rule(edges: dict[str, set[str]]) -> list[str]:
    return sorted(f"{source} imports {target}" for source, targets in edges.items() for target in targets
                  if layer(target) in MAY_IMPORT and layer(target) not in MAY_IMPORT[layer(source)]
                  and (source, target) not in ALLOWED)


def test_every_import_points_down_the_layers():
    assert arrows_against_the_rule(graph()) == []


def import_cycle(edges: dict[str, set[str]]) -> list[str]:
    """One cycle among the project's modules (a list that ends where it starts), or []."""
    project = {source: {t for t in targets if t in edges and (source, t) not in ALLOWED}
               for source, targets in edges.items()}
    try:
        TopologicalSorter(project).prepare()
    except CycleError as error:
        return error.args[1]
    return []


def test_no_two_modules_import_each_other():
    assert import_cycle(graph()) == []


def test_the_model_uses_only_the_standard_library_and_its_own_libraries():
    outside = {target.split(".")[0] for source, targets in graph().items() if layer(source) == "model"
               for target in targets if layer(target) not in MAY_IMPORT and (source, target) not in ALLOWED}
    assert outside - set(sys.stdlib_module_names) - MODEL_LIBRARIES == set()


def test_the_rule_sees_function_level_and_relative_imports(tmp_path):
    """The rule catches what the tree had before the layers were fixed: the old model/cli.py, whose
    store command imported store.library inside a function, and the ui/state <-> ui/library cycle
    held together the same way."""
    files = {"model/cli.py": "def store_command():\n    from store.library import ADMIN\n",
             "store/library.py": "from model.scenario import Scenario\n",
             "ui/state.py": "def init():\n    from .library import library\n",
             "ui/library.py": "from . import state\n"}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)
    edges = graph(tmp_path)
    assert arrows_against_the_rule(edges) == ["model.cli imports store.library"]
    assert sorted(import_cycle(edges)[1:]) == ["ui.library", "ui.state"]
