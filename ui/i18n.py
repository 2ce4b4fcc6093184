"""The string catalogue (ui/strings.yaml, with the reports' reports/strings.yaml) and number formatting
for English and Chinese.

Every user-visible string in the pages comes from here or from the bilingual labels in data/.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from model.data import default_data
from model.refs import place
from model.yamlio import parse_yaml
from reports.methods import strings as report_strings

LANGUAGES = ("en", "zh")
CATALOGUE_PATH = Path(__file__).resolve().parent / "strings.yaml"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Every user-facing string: the dashboard's and the generated reports' (keys never shared)."""
    return parse_yaml(CATALOGUE_PATH.read_bytes(), max_bytes=500_000) | report_strings()


def text(key: str, lang: str, **values) -> str:
    """The catalogue entry `key` in `lang`, with {placeholders} filled; a missing key is a bug."""
    entry = catalogue()[key][lang]
    return entry.format(**values) if values else entry



def label(item, lang: str) -> str:
    """A bilingual label from data/ (an object with .en and .zh)."""
    return getattr(item, lang)


def source_line(passage, lang: str) -> str:
    """"— title (author, date), place" for a quoted passage, in the page's language."""
    document = default_data().documents[passage.document]
    title = document.title if lang == "zh" else document.title_en
    author = text("source.unnamed", lang) if document.author == "unnamed" else document.author
    return f"— {title} ({author}, {document.date}), {place(passage.location, lang)}"


def original_words(passage) -> str:
    """The passage's Chinese original as the source has it, with each name the source damaged followed by
    what it stands for in editor's brackets: "Aauto Quicker〔快手〕"."""
    damaged = default_data().documents[passage.document].damaged_names
    if not damaged:
        return passage.zh
    names = re.compile("|".join(re.escape(name) for name in sorted(damaged, key=len, reverse=True)))
    return names.sub(lambda found: f"{found.group()}〔{damaged[found.group()]}〕", passage.zh)


MINUS = "\u2212"  # the true minus sign, as Plotly draws it on the axes
YI_PER_BN = 10  # 1 RMB bn = 10 亿元
YI_PER_WAN_YI = 10_000


def number(value: float, decimals: int = 0, signed: bool = False) -> str:
    """A number with thousands separators and a true minus; a value that rounds to zero has no sign."""
    digits = f"{abs(value):,.{decimals}f}"
    if not digits.strip("0.,"):
        return digits
    return (MINUS if value < 0 else "+" if signed else "") + digits


MONEY_UNITS = ("rmb_bn", "rmb_bn_pv")  # RMB bn a year, and its present value: the same figures on screen


def display_scale(unit: str, lang: str) -> float:
    """How a model value in `unit` is multiplied for the page: shares as %, RMB bn as 亿元 in Chinese."""
    if unit == "share":
        return 100.0
    return YI_PER_BN if unit in MONEY_UNITS and lang == "zh" else 1.0


def display_unit(unit: str, lang: str) -> str:
    """The unit of `display_scale`'s numbers, for axis titles and table headers."""
    if unit in ("share", *MONEY_UNITS):
        return text(f"unit.{unit}_axis", lang)
    return label(default_data().units[unit], lang)


def with_unit(name: str, unit: str, lang: str) -> str:
    """A heading with its unit in brackets, half-width in English and full-width in Chinese; after a
    comma when the unit has brackets of its own ("Swing, HHI (0–10,000)", not "Swing (HHI (0–10,000))")."""
    nested = any(bracket in unit for bracket in "(（")
    return text("unit.with_bracketed" if nested else "unit.with", lang, name=name, unit=unit)


def named_unit(unit: str, lang: str) -> str:
    """`display_unit` after the outcome's label, without what the label says already: that a value
    is a present value, or that concentration is an HHI."""
    return text(f"unit.{unit}_named", lang) if unit in ("rmb_bn_pv", "hhi") else display_unit(unit, lang)


def amount(value: float, unit: str, lang: str, signed: bool = False) -> str:
    """A value in one of the outcome units, formatted for the language: shares in % (changes in
    percentage points), RMB bn as 亿元 or 万亿元 in Chinese."""
    if unit == "share":
        return (f"{number(value * 100, 1, signed)} {text('unit.pp', lang)}" if signed
                else f"{number(value * 100, 1)}%")
    if unit == "hhi":
        return number(value, 0, signed)
    if unit == "rmb_per_customer":
        return f"{number(value, 0, signed)} {text('unit.rmb_per_customer_short', lang)}"
    if unit in MONEY_UNITS:
        if lang == "zh":
            yi = value * YI_PER_BN
            if abs(yi) >= YI_PER_WAN_YI:
                return f"{number(yi / YI_PER_WAN_YI, 2, signed)} {text('unit.wan_yi', lang)}"
            return f"{number(yi, 0, signed)} {text('unit.yi', lang)}"
        # Below 10 bn one decimal: "+0.2 RMB bn", as Chinese shows "+2 亿元", never "↑ 0 RMB bn".
        return f"{number(value, 1 if abs(value) < 9.95 else 0, signed)} {text('unit.rmb_bn_short', lang)}"
    return number(value, 1, signed)



WAN = 10_000
YI = 100_000_000


def rmb(value: float, lang: str, signed: bool = False) -> str:
    """A person's RMB amount: "+RMB 3,400" in English; "+3,400 元", "+34.1 万元" or "+1.25 亿元" in Chinese."""
    if lang == "en":
        digits = number(value, 0, signed)
        sign = digits[0] if digits[0] in (MINUS, "+") else ""
        return f"{sign}RMB {digits[len(sign):]}"
    if abs(value) >= YI:
        return f"{number(value / YI, 2, signed)} {text('unit.yi', lang)}"
    if abs(value) >= WAN:
        return f"{number(value / WAN, 1 if abs(value) < 100 * WAN else 0, signed)} {text('unit.wan_yuan', lang)}"
    return f"{number(value, 0, signed)} {text('unit.yuan', lang)}"


MARKDOWN_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


# Where GitHub-flavoured Markdown would turn bare text into a link (escaping does not stop it): after a
# scheme's colon, between "www" and its dot, and before an e-mail address's "@". A word joiner there (an
# invisible character that does not break the line) shows the text as typed and unlinked.
AUTOLINK_POINTS = re.compile(r"(?<=:)(?=//)|(?i:(?<=www))(?=\.)|(?=@)")
WORD_JOINER = "\u2060"


def escape_markdown(value: str) -> str:
    """User text made safe inside Markdown (st.warning, a caption, a help tooltip): every ASCII punctuation
    mark backslash-escaped, so links, images, :red[...] directives and $LaTeX$ show exactly as typed, and
    bare addresses (https://…, www.…, name@host) kept from becoming links."""
    unlinked = AUTOLINK_POINTS.sub(WORD_JOINER, str(value))
    return "".join("\\" + ch if ch in MARKDOWN_PUNCTUATION else ch for ch in unlinked)


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
