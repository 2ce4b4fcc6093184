"""Who pays and what a headline is made of: the welfare ledger and the consumer-gain breakdown as
tables in the reader's language and units."""
from __future__ import annotations

import pandas as pd

from model import engine
from model.data import default_data

from .charts import group_name
from .i18n import display_scale, display_unit, named_unit, number, text, with_unit


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
