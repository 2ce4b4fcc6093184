"""Every user-visible string comes from the catalogue (ui/strings.yaml and reports/strings.yaml) or data/,
in both languages."""
import ast
import re
import string
from pathlib import Path

import pytest

from model.yamlio import parse_yaml
from reports.methods import STRINGS_PATH
from ui.i18n import CATALOGUE_PATH, LANGUAGES, catalogue

ROOT = Path(__file__).resolve().parent.parent
UI_FILES = [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]
DISPLAY_CALLS = {"title", "header", "subheader", "caption", "markdown", "write", "info", "warning", "error",
                 "success", "button", "slider", "selectbox", "multiselect", "radio", "toggle", "checkbox",
                 "text_input", "text_area", "number_input", "download_button", "file_uploader", "metric",
                 "segmented_control", "expander", "tabs", "form_submit_button", "Page", "set_page_config"}
# The page title is bilingual on purpose: it is the browser tab before a language is known.
ALLOWED_LITERALS = {"互联互通 · Interconnection scenarios", "🔗", "⚠️"}


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_entry_has_both_languages_with_the_same_placeholders():
    for key, entry in catalogue().items():
        assert set(entry) == set(LANGUAGES), key
        assert all(entry[lang].strip() for lang in LANGUAGES), key
        assert _placeholders(entry["en"]) == _placeholders(entry["zh"]), key


def test_the_two_catalogue_files_share_no_key():
    ui, reports = (set(parse_yaml(path.read_bytes(), max_bytes=500_000)) for path in (CATALOGUE_PATH, STRINGS_PATH))
    assert ui & reports == set() and reports <= set(catalogue())


def test_every_key_used_exists():
    keys = set(catalogue())
    for path in UI_FILES:
        source = path.read_text(encoding="utf-8")
        for key in re.findall(r'text\("([a-z_]+\.[a-z_0-9.]+)"', source):
            assert key in keys, f"{path.name}: {key}"
        for prefix in re.findall(r'text\(f"([a-z_]+\.)\{', source):
            assert any(k.startswith(prefix) for k in keys), f"{path.name}: {prefix}"


@pytest.mark.parametrize("path", UI_FILES, ids=[p.name for p in UI_FILES])
def test_no_literal_text_reaches_the_page(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in DISPLAY_CALLS):
            continue
        arguments = list(node.args) + [k.value for k in node.keywords if k.arg in
                                       ("label", "help", "placeholder", "page_title", "title", "icon")]
        for argument in arguments:
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                assert argument.value in ALLOWED_LITERALS or not re.search(r"[A-Za-z\u4e00-\u9fff]", argument.value), \
                    f"{path.name}:{node.lineno}: literal {argument.value!r} bypasses the catalogue"
            if isinstance(argument, ast.JoinedStr):
                literal = "".join(v.value for v in argument.values if isinstance(v, ast.Constant))
                assert not re.search(r"[A-Za-z\u4e00-\u9fff]{3,}", literal), \
                    f"{path.name}:{node.lineno}: f-string text {literal!r} bypasses the catalogue"
