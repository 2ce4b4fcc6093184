"""CSV that a spreadsheet opens as data: cells that Excel or LibreOffice would run as a formula get a
leading apostrophe (OWASP's "CSV injection" advice). Scenario names are user text and reach CSV cells
and column headers, so every CSV the app or the command line writes goes through `to_csv`."""
from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> object:
    """Text that a spreadsheet would read as a formula, prefixed with "'"; anything else unchanged."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def to_csv(frame: pd.DataFrame, index: bool = True) -> str:
    """`frame.to_csv`, with text cells, column headers and index labels neutralised (numbers stay numbers).
    RFC 4180 line ends, so that a carriage return inside a cell is quoted rather than splitting the row."""
    safe = frame.map(neutralise) if not frame.empty else frame.copy()
    safe.columns = [neutralise(c) for c in safe.columns]
    safe.index = safe.index.map(neutralise)
    return safe.to_csv(index=index, lineterminator="\r\n")
