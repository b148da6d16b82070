"""Stock and mutaties, CBS figures and the PPM task: one row per gemeente and year (and group)."""

from __future__ import annotations

from typing import Any

import numpy as np

from analysis import codes
from analysis.config import RegionConfig
from analysis.demo.calibration import calibration

Row = dict[str, Any]  # one output row, column → value


def voorraad_rows(config: RegionConfig, rng: np.random.Generator, scale: float = 1.0
                  ) -> list[Row]:
    """Stock and mutaties per gemeente and year; `scale` (see `region_scale`) multiplies the
    stock and so the mutaties, and draws the same random numbers as 1.0."""
    voorraad, graden = calibration().voorraad, calibration().mutatiegraad
    rows: list[Row] = []
    for gemeente in sorted(config.gemeenten):
        start, groei = voorraad.start[gemeente]
        # The table is rounded: unround it with a little noise.
        stock = start * scale * (1 + rng.normal(0, voorraad.start_ruis))
        for jaar in config.jaren:
            if jaar != config.jaar_van:
                stock *= 1 + groei + rng.normal(0, voorraad.ruis)
            graad = graden.per_gemeente[gemeente] * graden.jaarfactor.get(jaar, 1.0)
            mutaties = round(stock * graad * (1 + rng.normal(0, graden.ruis)))
            rows.append({"gemeente": gemeente, "jaar": jaar,
                         "sociale_huurvoorraad": round(stock), "mutaties": mutaties})
    return rows


def cbs_rows(config: RegionConfig, rng: np.random.Generator, scale: float = 1.0) -> list[Row]:
    """Inhabitants and households per gemeente and year (smooth trend from a jittered start)."""
    cbs, ruis = calibration().cbs, calibration().voorraad.start_ruis
    rows: list[Row] = []
    for gemeente in sorted(config.gemeenten):
        inwoners, groei, grootte = cbs.inwoners_start[gemeente]
        inwoners *= scale * (1 + rng.normal(0, ruis / 3))
        grootte *= 1 + rng.normal(0, ruis / 3)
        for i, jaar in enumerate(config.jaren):
            n = inwoners * (1 + groei) ** i
            size = grootte * (1 - cbs.huishoudgrootte_daling) ** i
            rows.append({"gemeente": gemeente, "jaar": jaar, "inwoners": round(n),
                         "huishoudens": round(n / size)})
    return rows


def ppm_rows(config: RegionConfig, rng: np.random.Generator, scale: float = 1.0) -> list[Row]:
    """Task, deliveries (up to the last monitor year) and current pipeline per group."""
    ppm = calibration().ppm
    fasen = codes.codes("ppm_fasen")
    last = config.jaar_tot_en_met
    years = range(config.jaar_van, last + ppm.jaren_vooruit + 1)
    rows: list[Row] = []
    for gemeente in sorted(config.gemeenten):
        for doelgroep in codes.codes("doelgroepen"):
            base = ppm.opgave_per_jaar.get(doelgroep, {}).get(gemeente)
            if not base:
                continue
            realisatie = ppm.realisatie[doelgroep]
            for jaar in years:
                growth = ppm.groei if jaar >= ppm.groei_vanaf else 1.0
                opgave = round(base * scale * growth)
                aantallen = {"opgave": opgave}
                if jaar <= last:
                    aantallen["opgeleverd"] = int(rng.poisson(opgave * realisatie))
                for fase, fractions in ppm.pijplijn.items():
                    fraction = fractions.get(jaar - last)
                    if fraction is not None:
                        factor = realisatie if fase in ppm.schaal_met_realisatie else 1.0
                        aantallen[fase] = int(rng.poisson(opgave * fraction * factor))
                for fase in fasen:  # code-list order: opgave, plan, ..., opgeleverd
                    if fase in aantallen:
                        rows.append({"gemeente": gemeente, "doelgroep": doelgroep, "jaar": jaar,
                                     "fase": fase, "aantal": aantallen[fase],
                                     "eenheid": ppm.eenheid.get(doelgroep, ppm.eenheid_standaard)})
    return rows


def taakstelling_rows(cbs: list[Row]) -> list[Row]:
    """The national task per gemeente and half year: inhabitants on 1 January (the drawn CBS
    rows) over the inhabitants per person of that half year; no randomness, as the Rijk
    divides its task by inhabitants."""
    per_person = calibration().taakstelling_statushouders
    rows: list[Row] = []
    for row in cbs:
        for halfjaar in (1, 2):
            label = f"{row['jaar']}-H{halfjaar}"
            ratio = per_person.inwoners_per_persoon.get(label, per_person.standaard)
            rows.append({"gemeente": row["gemeente"], "jaar": row["jaar"], "halfjaar": halfjaar,
                         "taakstelling": round(row["inwoners"] / ratio)})
    return rows
