"""The string catalogue (ui/strings.yaml) and number formatting for English and Chinese.

Every user-visible string in the pages comes from here or from the bilingual labels in data/.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from model.data import default_data
from model.docs import place
from model.yamlio import parse_yaml

LANGUAGES = ("en", "zh")
CATALOGUE_PATH = Path(__file__).resolve().parent / "strings.yaml"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    return parse_yaml(CATALOGUE_PATH.read_bytes(), max_bytes=500_000)


def text(key: str, lang: str, **values) -> str:
    """The catalogue entry `key` in `lang`, with {placeholders} filled; a missing key is a bug."""
    entry = catalogue()[key][lang]
    return entry.format(**values) if values else entry


def plain(value: str) -> str:
    """User text made safe to put inside Markdown (st.warning, st.error, st.success): every ASCII
    punctuation mark backslash-escaped, so links, images, :red[...] directives and $LaTeX$ show as typed."""
    return "".join("\\" + ch if ch in _MARKDOWN_PUNCTUATION else ch for ch in str(value))


_MARKDOWN_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def label(item, lang: str) -> str:
    """A bilingual label from data/ (an object with .en and .zh)."""
    return getattr(item, lang)


def source_line(passage, lang: str) -> str:
    """"— title (author, date), place" for a quoted passage, in the page's language."""
    document = default_data().documents[passage.document]
    title = document.title if lang == "zh" else document.title_en
    author = text("source.unnamed", lang) if document.author == "unnamed" else document.author
    return f"— {title} ({author}, {document.date}), {place(passage.location, lang)}"


def amount(value: float, unit: str, lang: str, signed: bool = False) -> str:
    """A value in one of the outcome units, formatted for the language (RMB bn as 十亿元 in Chinese)."""
    sign = "+" if signed and value > 0 else ""
    if unit == "share":
        return f"{sign}{value * 100:,.1f}%" if not signed else f"{sign}{value * 100:,.1f} {text('unit.pp', lang)}"
    if unit == "hhi":
        return f"{sign}{value:,.0f}"
    if unit == "rmb_per_customer":
        return f"{sign}{value:,.0f} {text('unit.rmb_per_customer_short', lang)}"
    if unit == "rmb_bn":
        return f"{sign}{value:,.0f} {text('unit.rmb_bn_short', lang)}"
    return f"{sign}{value:,.1f}"


def problem_text(problem, lang: str) -> str:
    """A Problem's message in the page's language: the full template when its values are known,
    else a plain sentence for its kind, else the English message."""
    if lang == "en":
        return problem.message
    entries = catalogue()
    try:
        return text(f"problem.{problem.code}", lang, **problem.params)
    except KeyError:
        plain = f"problem_plain.{problem.code}"
        return text(plain, lang) if plain in entries else problem.message


def warning_text(warning: dict, lang: str) -> str:
    """A warning from model.engine.warnings in plain words."""
    data = default_data()
    short = {p.id: label(p.short, lang) for p in data.platforms}
    values = {k: v for k, v in warning.items() if k != "id"}
    if "platform" in values:
        values["platform"] = short[values["platform"]]
    if "alternative" in values:
        values["alternative"] = ", ".join(f"{short[k]} {v:.0%}" for k, v in values["alternative"].items())
    return text(f"warning.{warning['id']}", lang, **values)


def lever_value_text(lever: str, value, lang: str) -> str:
    """A lever's setting as text: a share in %, a choice by its label, a dated schedule step by step."""
    spec = default_data().levers[lever]
    if spec.kind == "choice":
        return label(next(c.label for c in spec.choices if c.id == value), lang)
    if isinstance(value, tuple):
        return text("lever.step_separator", lang).join(
            text("lever.step", lang, year=year, value=f"{v:.0%}") for year, v in value)
    return f"{value:.0%}"
