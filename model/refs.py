"""How a reference reads on screen and in the docs: a passage's place ("line 29", "¶8") in the reader's
language, and a list of passages and literature as one line."""
from __future__ import annotations

from .data import ModelData

PLACES = {"en": {"line": "line {}", "¶": "¶{}"}, "zh": {"line": "第{}行", "¶": "第{}段"}}


def place(location: str, lang: str) -> str:
    """"line 29" or "¶8" in the reader's language."""
    kind, number = ("line", location.removeprefix("line ")) if location.startswith("line ") else ("¶", location[1:])
    return PLACES[lang][kind].format(number)


def reference_text(data: ModelData, passages=(), literature=(), lang: str = "en") -> str:
    """Passage ids with their place, and literature as "Author year"."""
    parts = [f"{pid} ({place(data.passages[pid].location, lang)})" for pid in passages]
    for lid in literature:
        item = data.literature[lid]
        authors = item.authors_zh or item.authors if lang == "zh" else item.authors
        parts.append(f"{authors.split(',')[0].split('，')[0]} {item.year}" if item.year else item.title)
    return "; ".join(parts)
