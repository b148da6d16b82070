"""Tidy data for analysts: the indicator table and the model results as Parquet, CSV and XLSX,
each XLSX with a codebook sheet that explains every column and indicator."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import codes
from analysis.indicators.catalogue import catalogue
from analysis.report.data import ReportData

INDICATOR_COLUMNS = {
    "indicator": "Id van de indicator; zie het blad 'indicatoren' en docs/indicatoren.md.",
    "gebiedsniveau": "gemeente, regio of wijk.",
    "gebied": "CBS-code van gemeente (GM…) of wijk (WK…), of de naam van de regio.",
    "periode": "Jaar, of de hele periode (bijvoorbeeld 2021-2025).",
    "doelgroep": "Code van de doelgroep; 'aandachtsgroepen' = alle behalve 'geen'; 'alle' = "
                 "geen uitsplitsing; 'verdeelafspraak' = de doelgroepen van het verdeelmodel.",
    "categorie": "Nadere uitsplitsing (toewijzingsroute, urgentiecategorie, herkomst, eenheid, "
                 "gemeente van de wijk), anders 'alle'.",
    "waarde": "factor × teller / noemer; bij aantallen gelijk aan de teller.",
    "teller": "Teller (aantal).",
    "noemer": "Noemer; leeg bij aantallen.",
}
MODEL_COLUMNS = {
    "jaar": "Jaar van de modelrun.",
    "gemeente": "CBS-gemeentecode.",
    "sleutelaandeel": "Aandeel in de verdeelsleutel (0–1).",
    "mutatiebasis": "Mutaties waarop de capaciteit is gebaseerd.",
    "grensruimte": "Mutatiegrens × mutatiebasis, afgerond.",
    "reeds_toegezegd": "Verhuringen binnen de grens buiten het model (bijv. statushouders).",
    "capaciteit": "Grensruimte min reeds toegezegd (niet negatief).",
    "vraag_eigen": "Huishoudens uit de doelgroepen met deze gemeente als herkomst.",
    "geplaatst_eigen": "Eigen huishoudens gehuisvest in de eigen gemeente.",
    "uitgeplaatst": "Eigen huishoudens gehuisvest in andere gemeenten.",
    "niet_geplaatst": "Eigen huishoudens die nergens passen (deel van het tekort).",
    "ontvangen_overloop": "Huishoudens ontvangen uit andere gemeenten.",
    "ontvangen_pool": "Huishoudens ontvangen uit de regionale pool.",
    "taakstelling": "Totaal te huisvesten volgens het model.",
    "ruimte_over": "Capaciteit min taakstelling.",
    "realisatie": "Werkelijke verhuringen aan de doelgroepen van het model.",
    "saldo": "Realisatie min taakstelling.",
}


def _codebook(columns: dict[str, str]) -> dict[str, pd.DataFrame]:
    sheets = {"codeboek": pd.DataFrame({"kolom": list(columns),
                                        "betekenis": list(columns.values())})}
    sheets["indicatoren"] = pd.DataFrame([
        {"indicator": i.id, "titel": i.titel, "thema": i.thema, "definitie": i.definitie,
         "eenheid": i.eenheid, "teller": i.teller, "noemer": i.noemer or "", "factor": i.factor,
         "bron": i.bron, "kanttekeningen": i.kanttekeningen or ""}
        for i in catalogue().values()])
    sheets["doelgroepen"] = pd.DataFrame(codes.load("doelgroepen"))
    return sheets


def _write(frame: pd.DataFrame, folder: Path, name: str, columns: dict[str, str],
           demo: bool) -> list[Path]:
    parquet, csv, xlsx = (folder / f"{name}.{ext}" for ext in ("parquet", "csv", "xlsx"))
    frame.to_parquet(parquet, index=False)
    # Dutch Excel opens this directly: semicolons, decimal comma, UTF-8 with BOM.
    frame.to_csv(csv, sep=";", decimal=",", index=False, encoding="utf-8-sig")
    with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
        label = "DEMO — synthetische gegevens" if demo else None
        data_sheet = "data"
        frame.to_excel(writer, sheet_name=data_sheet, index=False, startrow=1 if label else 0)
        if label:
            writer.sheets[data_sheet]["A1"] = label
        for sheet, table in _codebook(columns).items():
            table.to_excel(writer, sheet_name=sheet, index=False)
    return [parquet, csv, xlsx]


def write_exports(data: ReportData, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    model = data.model.resultaten.astype({"gemeente": str})
    return [
        *_write(data.indicators, folder, "indicatoren", INDICATOR_COLUMNS, data.demo),
        *_write(model, folder, "verdeelmodel", MODEL_COLUMNS, data.demo),
    ]
