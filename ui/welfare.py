"""The numbers behind the charts as tables in the reader's language and units: yearly paths, platform
shares, and who pays and what a headline is made of (the welfare ledger and the consumer-gain
breakdown)."""
from __future__ import annotations

import pandas as pd

from model import engine
from model.data import default_data

from .charts import group_name
from .i18n import display_scale, display_unit, label, named_unit, number, text, with_unit


def path_table(paths: dict[str, pd.DataFrame], outcome: str, lang: str) -> pd.DataFrame:
    """One column per named set of yearly paths (engine's scenario or status-quo paths): `outcome`'s
    path in display units, a row per year."""
    scale = display_scale(default_data().outcomes[outcome].unit, lang)
    frame = pd.DataFrame({name: path[outcome] * scale for name, path in paths.items()})
    frame.index.name = text("chart.year", lang)
    return frame


def share_table(finals: dict[str, pd.Series], lang: str) -> pd.DataFrame:
    """One column per named set of final values (a result's `final` column): each platform's share
    of GMV in %, a row per platform."""
    platforms = default_data().platforms
    return pd.DataFrame({name: [final[f"share.{p.id}"] * 100 for p in platforms] for name, final in finals.items()},
                        index=pd.Index([label(p.short, lang) for p in platforms], name=text("table.platform", lang)))


def _figures(values, scale: float, signed: bool = True) -> list[str]:
    """Money in the reader's units, whole numbers; a missing bound as a dash."""
    return ["—" if pd.isna(v) else number(v * scale, 0, signed=signed) for v in values]


def ledger_frame(ledger: pd.DataFrame, year: int, lang: str) -> pd.DataFrame:
    """The ledger (engine.ledger) with named rows, final year and present value in display units."""
    scale, unit = display_scale("rmb_bn", lang), display_unit("rmb_bn", lang)
    return pd.DataFrame({
        with_unit(text('explore.ledger_final', lang, year=year), unit, lang): _figures(ledger["change_rmb_bn"], scale),
        # A present value is a sum of money, not a flow per year.
        with_unit(text('explore.ledger_pv', lang), named_unit("rmb_bn_pv", lang), lang):
            _figures(ledger["present_value_rmb_bn"], scale),
    }, index=pd.Index([group_name(g, lang) for g in ledger["group"]], name=text("explore.part", lang)))


def breakdown_frame(result: engine.RunResult, lang: str) -> pd.DataFrame:
    """engine.consumer_breakdown with named parts and the bound each channel cannot exceed."""
    table = engine.consumer_breakdown(result, default_data())
    scale, unit = display_scale("rmb_bn", lang), display_unit("rmb_bn", lang)
    return pd.DataFrame({
        with_unit(text('explore.contribution', lang), unit, lang): _figures(table["change_rmb_bn"], scale),
        with_unit(text('explore.bound', lang), unit, lang): _figures(table["bound_rmb_bn"], scale, signed=False),
    }, index=pd.Index([text(f"part.{p}", lang) for p in table["part"]], name=text("explore.part", lang)))
