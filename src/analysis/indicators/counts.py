"""Counting lettings into the parts the indicator table is made of (gemeente × jaar × doelgroep
× categorie, with a teller and, for ratios, a noemer)."""

from __future__ import annotations

import pandas as pd


def per_gemeente_jaar(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """A gemeente × jaar figure (e.g. mutaties, huishoudens) as a 'noemer' column."""
    return (frame[["gemeente", "jaar", column]]
            .astype({"gemeente": str, "jaar": int})
            .rename(columns={column: "noemer"}))


def count(lettings: pd.DataFrame, by: list[str], mask: pd.Series | None = None,
          categorie: str | None = None) -> pd.DataFrame:
    """Lettings per gemeente × jaar × `by`, zeros included (every category of every column),
    as KEYS-shaped parts with a 'teller'. `categorie` names the column that fills 'categorie'."""
    rows = lettings if mask is None else lettings[mask]
    counted = (rows.groupby(["gemeente", "jaar", *by], observed=False).size()
               .rename("teller").reset_index())
    if categorie is not None:
        counted = counted.rename(columns={categorie: "categorie"})
    for column, default in (("doelgroep", "alle"), ("categorie", "alle")):
        if column not in counted:
            counted[column] = default
    return counted.astype({"gemeente": str, "doelgroep": str, "categorie": str,
                           "jaar": int, "teller": "float64"})
