"""Codes and numbers as the published files write them: whole numbers read from a workbook as
floats, hidden values as 'x' or empty, decimal commas in CSV."""

from __future__ import annotations

import numpy as np
import pandas as pd


def as_text(value: object) -> str:
    """A code as text; a whole number read from a workbook (2024.0) as 2024; a gap as ''."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_codes(values: pd.Series) -> pd.Series:
    """Codes as text, gaps as ''; whole numbers read from a workbook (2024.0) as 2024."""
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        return values.astype(object).where(values.notna(), "").astype(str)
    return values.map(as_text)


def as_numbers(values: pd.Series) -> pd.Series:
    """Numbers from a column as any export writes them: floats, 'x' or empty for hidden,
    decimal commas in CSV."""
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64")
    text = values.astype(str).str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").astype("float64")
