"""The library's naming rules: which display names a saved scenario may have, the slug its links and
files use, and the key that tells look-alike names apart (so "Status quo" and "Stаtus quo" with a
Cyrillic а cannot both be saved)."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from model.scenario import NAME_MAX
from model.yamlio import Problem

_SLUG_DROP = re.compile(r"[^\w\-]+", re.UNICODE)
# Letters, combining marks (é written as e + accent, Devanagari), digits, punctuation of either language
# and currency or maths signs; not controls, invisible format characters (bidi, zero-width) or emoji.
NAME_CATEGORIES = ("L", "M", "N", "P", "Sc", "Sm", "Zs")
# Names reach Markdown (titles, captions) and plotly labels (a subset of HTML): no brackets for links and
# images, no emphasis stars or code ticks, no $ for LaTeX, no angle brackets for tags, no backslash.
NAME_FORBIDDEN = frozenset("[]*`$<>\\|~^")


SLUG_MAX = 60


def slug(name: str) -> str:
    """A safe identifier from a scenario name (letters, digits, CJK, '-' and '_'), for links and file names.
    A name too long for it keeps its first 51 characters and ends in a hash of the whole, so two long
    names sharing a beginning get different slugs whichever is saved first (never each other's)."""
    stem = _SLUG_DROP.sub("-", unicodedata.normalize("NFKC", name).strip().lower()).strip("-_")
    if len(stem) > SLUG_MAX:
        stem = f"{stem[:SLUG_MAX - 9]}-{hashlib.sha256(stem.encode()).hexdigest()[:8]}"
    return stem or "scenario"


def check_name(name: str) -> list[Problem]:
    """Problems with a scenario's display name: length and characters. The name is only ever shown as
    text; links and files use an identifier derived separately."""
    stripped = name.strip()
    if not stripped:
        return [Problem("name", "must not be empty", "name_empty")]
    problems = []
    if len(stripped) > NAME_MAX:
        problems.append(Problem("name", f"must be at most {NAME_MAX} characters, got {len(stripped)}",
                                "name_too_long", {"limit": NAME_MAX, "length": len(stripped)}))
    bad = sorted({ch for ch in stripped
                  if not unicodedata.category(ch).startswith(NAME_CATEGORIES) or ch in NAME_FORBIDDEN})
    if bad:
        shown = " ".join(f"U+{ord(ch):04X}" if not ch.isprintable() else repr(ch) for ch in bad)
        problems.append(Problem("name", "may hold letters (Chinese too), digits, spaces and punctuation, but not "
                                        f"[ ] * ` $ < > \\ | ~ ^, emoji or invisible characters; remove {shown}",
                                "name_characters", {"characters": shown}))
    return problems


@lru_cache(maxsize=1)
def _prototypes() -> dict[str, str]:
    """Each character that Unicode lists as confusable (in either case), mapped to the lowest code point
    among its look-alikes, followed until it stops changing: Cyrillic а and fullwidth ａ go to a, Greek Ο
    to o and on to 0. Only direct look-alikes count, so ordinary letters stay apart (t is not r)."""
    from confusable_homoglyphs.confusables import confusables_data

    def nearest(ch: str) -> str:
        alikes = {ch}
        for variant in {ch, ch.upper(), ch.lower()}:
            alikes.update(a["c"] for a in confusables_data.get(variant, []) if len(a["c"]) == 1)
        low = min(alikes).casefold()
        return low if len(low) == 1 else ch

    mapping = {}
    for ch in {c.casefold() for c in confusables_data if len(c) == 1 and len(c.casefold()) == 1}:
        target = ch
        while (step := nearest(target)) < target:
            target = step
        if target != ch:
            mapping[ch] = target
    return mapping


def name_key(name: str) -> str:
    """What a name looks like, for telling look-alike names apart: NFKC, case-folded, confusable letters
    mapped to one prototype, and spaces and punctuation ignored ("Status quo.", "STATUS-QUO", "Stаtus quo"
    with a Cyrillic а all give the same key)."""
    prototypes = _prototypes()
    text = unicodedata.normalize("NFKC", name).casefold()
    return "".join(prototypes.get(ch, ch) for ch in text if ch.isalnum())
