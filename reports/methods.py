"""docs/METHODS.md and the dashboard's Method page, both rendered from data/ by `methods_markdown`.

`make docs` (tools/methods.py) rewrites docs/METHODS.md; a test fails when it is stale.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from model import engine
from model.claims import FINDING_DRAWS, central_effect, finding_share
from model.data import ModelData, default_data
from model.engine import parameter_batch
from model.market import base_shares
from model.person import average_monthly_spending
from model.refs import place, reference_text
from model.scenario import load_scenario, status_quo
from model.yamlio import parse_yaml

from . import track_record

METHODS_PATH = Path(__file__).resolve().parent.parent / "docs" / "METHODS.md"
PRESETS_DIR = Path(__file__).resolve().parent.parent / "scenarios"
STRINGS_PATH = Path(__file__).resolve().parent / "strings.yaml"


@lru_cache(maxsize=1)
def strings() -> dict[str, dict[str, str]]:
    """reports/strings.yaml: `key: {en, zh}`, as ui/strings.yaml (ui.i18n.catalogue reads both)."""
    return parse_yaml(STRINGS_PATH.read_bytes(), max_bytes=200_000)


def headings(lang: str) -> dict[str, str]:
    """The METHODS document's strings in `lang`, by name (`methods.title` is "title")."""
    return {key.removeprefix("methods."): entry[lang] for key, entry in strings().items() if key.startswith("methods.")}


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


@lru_cache(maxsize=4)
def claim_shares(data: ModelData) -> dict[str, float]:
    """Share of draws in which each claim holds (computed once per process and data)."""
    return {c.id: finding_share(c, data) for c in data.claims.values()}



def preset_table(data: ModelData, lang: str) -> list[str]:
    """Each shipped preset's headline numbers, final year and central values."""
    h = headings(lang)
    rows = []
    for path in sorted(PRESETS_DIR.glob("*.yaml")):
        result = engine.run(load_scenario(path, data), data)
        change = result.final["change"]
        spending = float(result.final.loc["market.gmv", "value"])
        gain = float(change["consumer.surplus"])
        rows.append([path.stem, str(result.years[-1]), f"{spending:,.0f}", f"{gain:,.1f}",
                     f"{100 * gain / spending:.2f}", f"{change['consumer.harm']:,.1f}", f"{change['welfare.total']:,.1f}",
                     f"{change['consumer.surplus_pv']:,.0f}", f"{change['concentration.hhi']:+,.0f}"])
    return [h["presets_text"], ""] + _table(
        [h["preset"], h["year"], h["spending"], h["consumer_gain"], h["pct"], h["harms"], h["total_welfare"],
         h["consumer_pv"], h["hhi"]], rows)


def _structure(data: ModelData, h: dict, lang: str) -> list[str]:
    central_run = engine.run(status_quo(data), data)
    return [f"## {h['structure']}", "",
            h["structure_text"].format(seed=data.baseline.uncertainty.seed, draws=data.baseline.uncertainty.draws,
                                       alpha=central_run.price_coefficient, players=len(data.share_levers),
                                       coalitions=2 ** len(data.share_levers),
                                       first_year=data.baseline.simulation.first_policy_year), "",
            f"## {h['limits']}", "", h["limits_text"], "", f"## {h['pools']}", "", h["pools_text"], ""]


def _person(data: ModelData, h: dict, lang: str) -> list[str]:
    return [f"## {h['person']}", "",
            h["person_text"].format(shoppers=data.figure("online_shoppers_2021"), wechat=data.figure("wechat_users_2021"),
                                    spending=round(average_monthly_spending(data)),
                                    retail=data.figure("online_physical_retail_2021")), ""]


def _levers(data: ModelData, h: dict, lang: str) -> list[str]:
    rows = [[f"`{lever.id}`", getattr(lever.label, lang), getattr(lever.description, lang), lever.status_quo,
             ", ".join(lever.arguments)] for lever in data.levers.values()]
    return [f"## {h['levers']}", ""] + _table([h["id"], h["label"], h["description"], h["status_quo"], h["arguments"]], rows)


def _mechanisms(data: ModelData, h: dict, lang: str) -> list[str]:
    out = [f"## {h['mechanisms']}", ""]
    for m in data.mechanisms.values():
        out += [f"### {getattr(m.label, lang)} (`{m.id}`)", "", getattr(m.summary, lang), "", "$$", m.equation, "$$", ""]
        if m.arguments:
            out.append(f"- **{h['arguments']}:** {', '.join(m.arguments)}")
        if m.passages or m.literature:
            out.append(f"- **{h['sources']}:** {reference_text(data, m.passages, m.literature, lang)}")
        if m.parameters:
            out.append(f"- **{h['uses']}:** {', '.join(f'`{p}`' for p in m.parameters)}")
        out.append("")
    return out


def _outcomes(data: ModelData, h: dict, lang: str) -> list[str]:
    return [f"## {h['outcomes']}", ""] + _table(
        [h["id"], h["label"], h["unit"], h["better"], h["description"]],
        [[f"`{o.id}`", getattr(o.label, lang), getattr(data.units[o.unit], lang), h[f"better.{o.better}"], getattr(o.description, lang)]
         for o in data.outcomes.values()])


def _parameters(data: ModelData, h: dict, lang: str) -> list[str]:
    out = [f"## {h['parameters']}", ""]
    groups: dict[str, list] = {}
    for p in data.parameters.values():
        groups.setdefault(p.group, []).append(p)
    for group, items in groups.items():
        out += [f"### {group}", ""]
        out += _table([h["id"], h["label"], h["unit"], h["low"], h["central"], h["high"], h["source"], h["range"]],
                      [[f"`{p.id}`", getattr(p.label, lang), getattr(p.unit, lang), f"{p.low:g}", f"{p.central:g}", f"{p.high:g}",
                        reference_text(data, p.reference.passages, p.reference.literature, lang), getattr(p.range_note, lang)] for p in items])
    return out


def _baseline(data: ModelData, h: dict, lang: str) -> list[str]:
    gmv, shares = base_shares(parameter_batch(data, 1), data)
    out = [f"## {h['baseline']}", ""] + _table(
        [h["platform"], h["gmv"], h["share"], h["access"], h["source"]],
        [[getattr(p.label, lang), f"{gmv[0, j]:,.0f}", f"{shares[0, j]:.1%}", f"{p.wechat_access:g}",
          reference_text(data, p.gmv_reference.passages, p.gmv_reference.literature, lang)]
         for j, p in enumerate(data.platforms)])
    return out + [f"## {h['figures']}", ""] + _table(
        [h["id"], h["raw"], h["value"], h["unit"], h["confidence"], h["reading"], h["source"]],
        [[f"`{f.id}`", f.raw, f"{f.value:g}", getattr(f.unit, lang), f.confidence, getattr(f.reading, lang),
          f"{f.passage} ({place(data.passages[f.passage].location, lang)})"] for f in data.figures.values()])


def _findings(data: ModelData, h: dict, lang: str) -> list[str]:
    shares = claim_shares(data)
    return [f"## {h['findings']}", "", h["findings_text"].format(draws=FINDING_DRAWS), ""] + _table(
        [h["id"], h["role"], h["arguments"], h["lever"], h["outcome"], h["direction"], h["holds"],
         h["central_effect"], h["mechanisms"]],
        [[f"`{c.id}`", h[c.role], ", ".join(c.arguments), _experiment(c),
          f"`{c.outcome}` ({c.year})", h[c.direction], f"{shares[c.id]:.0%}", f"{central_effect(c, data):+.4g}",
          f"`{c.mechanism}`"] for c in data.claims.values()])


def _analyses(data: ModelData, h: dict, lang: str) -> list[str]:
    """What the findings' sensitivity analysis and the policy frontier do (analysis/)."""
    shares_count = len(data.share_levers)
    settings_count = 11 ** shares_count * len(data.levers["openness"].choices)
    return [f"## {h['believe']}", "", h["believe_text"], "",
            f"## {h['frontier']}", "", h["frontier_text"].format(shares=shares_count, settings=settings_count), ""]


def _experiment(claim) -> str:
    """What a claim's experiment moves: one lever, every lever of a package, or the status-quo trend."""
    if claim.lever:
        return f"{claim.lever}: {claim.from_value} → {claim.to_value}"
    if claim.kind == "package":
        return ", ".join(f"{lever}: {value}" for lever, value in claim.context.items())
    return claim.kind


def _claims_and_literature(data: ModelData, h: dict, lang: str) -> list[str]:
    out = [f"## {h['claims']}", ""]
    out += [f"- **`{c.id}`** ({', '.join(c.passages)}): {getattr(c.statement, lang)}" for c in data.claims.values()]
    out += ["", f"## {h['literature']}", ""]
    for item in data.literature.values():
        link = f" <{item.link}>" if item.link else ""
        authors, title = (item.authors_zh or item.authors, item.title_zh or item.title) if lang == "zh" else (item.authors, item.title)
        out.append(f"- **{item.id}** — {authors} ({item.year}). {title}. {item.venue}.{link}")
    return out


def methods_markdown(data: ModelData | None = None, lang: str = "en") -> str:
    """The full method document in English or Chinese, section by section."""
    data = data or default_data()
    h = headings(lang)
    out = [f"# {h['title']}", "", f"_{h['generated']}_", ""]
    for section in (_structure, _person, _levers, _mechanisms, _outcomes, _parameters, _baseline):
        out += section(data, h, lang)
    out += [f"## {h['presets']}", ""] + preset_table(data, lang)
    out += _findings(data, h, lang) + _analyses(data, h, lang) + [track_record.methods_section(lang, data=data)]
    out += _claims_and_literature(data, h, lang)
    return "\n".join(out) + "\n"
