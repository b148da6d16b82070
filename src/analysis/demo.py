"""Deterministic demo dataset: synthetic SVH, PPM and CBS inputs for the whole pipeline.

Real SVH and PPM data are confidential, so the project ships this generator. It writes the same
raw files, in the same formats, that real exports come in (see `contracts/`), calibrated on
public orders of magnitude. Every figure below is rounded and indicative (*afgerond,
indicatief*): the output looks like Haaglanden but describes no real household, home or plan.

All randomness comes from one `np.random.default_rng(seed)`, drawn in a fixed order (stock,
CBS, PPM, lettings, and wijk codes last so that a boundary file changes nothing but `wijk_code`).
Same seed and inputs give byte-identical files.

For load tests the region can be blown up to a chosen number of lettings a year (up to national
scale): every absolute figure (stock and so mutaties, inhabitants and households, the PPM task)
is multiplied by one factor, while shares, mixes and rates keep their calibration.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
from openpyxl.styles import Font

from analysis import codes
from analysis.config import RegionConfig, load_config
from analysis.contracts import verhuringen

DEFAULT_SEED = 20250701
GENERATOR_VERSION = "1.0"  # raise when calibration or layout changes: the output changes with it
DEMO_LABEL = "DEMO — synthetische gegevens"
MARKER_FILE = "DEMO.json"
VOORRAAD_FILE = "svh_voorraad_mutaties.xlsx"
PPM_FILE = "ppm_woonopgave.csv"
CBS_FILE = "cbs_kerncijfers.csv"
VOORRAAD_TITLE = f"SVH — Sociale huurvoorraad en mutaties per gemeente — {DEMO_LABEL}"
PPM_YEARS_AHEAD = 5  # PPM reaches five years past the monitor period (2021–2030)

# Fixed timestamp for the XLSX metadata and zip entries, so the file is byte-identical.
FIXED_TIMESTAMP = datetime(2025, 1, 1, 0, 0, 0)

DEN_HAAG = "GM0518"
# Smallest volume for `verhuringen_per_jaar`: below it the smallest gemeenten get years without
# a single letting and the group mixes lose their meaning.
MIN_VERHURINGEN_PER_JAAR = 1_000

Mix = Mapping[str, float]  # code → relative weight (normalised when drawn)
Row = dict[str, Any]  # one output row, column → value


class DemoError(ValueError):
    """The demo cannot be generated (unknown gemeente, unreadable boundary file)."""


@dataclass
class DemoResult:
    files: list[Path] = field(default_factory=list)  # written files, marker last
    notes: list[str] = field(default_factory=list)  # Dutch remarks for the user


# ---------------------------------------------------------------------------------------------
# Calibration. All figures rounded and indicative (afgerond, indicatief), not real statistics.
# ---------------------------------------------------------------------------------------------

# Social-rent stock of housing associations on 1 January of the first year, and its yearly
# change. Source: orders of magnitude from Aedes corporatiedashboard / CBS StatLine
# "Woningvoorraad naar eigendom" and corporation annual reports (jaarverslagen); afgerond,
# indicatief.
VOORRAAD_START: dict[str, tuple[int, float]] = {
    "GM0518": (76_000, 0.003),  # 's-Gravenhage
    "GM0637": (19_000, 0.004),  # Zoetermeer
    "GM0503": (16_000, 0.004),  # Delft
    "GM1783": (10_000, 0.008),  # Westland
    "GM1916": (9_500, 0.003),  # Leidschendam-Voorburg
    "GM0603": (8_500, 0.010),  # Rijswijk (ZH.): Rijswijk Buiten adds homes
    "GM1926": (4_000, 0.008),  # Pijnacker-Nootdorp
    "GM0629": (2_600, 0.002),  # Wassenaar
    "GM1842": (2_000, 0.005),  # Midden-Delfland
}
START_RUIS = 0.01  # sd of the relative jitter on the rounded start values (stock, CBS)
VOORRAAD_RUIS = 0.002  # sd of the yearly stock change around the trend

# Mutatiegraad (vacancies re-let / stock). Source: SVH Jaarverslag and Woonnet Haaglanden
# verhuurcijfers, Aedes benchmark (5–7% in the region; Delft higher through small and student
# homes); afgerond, indicatief.
MUTATIEGRAAD: dict[str, float] = {
    "GM0518": 0.060, "GM0637": 0.062, "GM0503": 0.070, "GM1783": 0.055, "GM1916": 0.056,
    "GM0603": 0.060, "GM1926": 0.052, "GM0629": 0.050, "GM1842": 0.050,
}
# Year factor on the mutatiegraad: turnover fell nationally after 2021 (Aedes Corporatiemonitor,
# CBS "Verhuizingen"); afgerond, indicatief. Years not listed use 1.0.
MUTATIEGRAAD_JAARFACTOR: dict[int, float] = {
    2021: 1.04, 2022: 1.00, 2023: 0.95, 2024: 0.96, 2025: 0.98,
}
MUTATIES_RUIS = 0.03  # sd of the relative year-to-year noise on mutaties

# Share of mutaties let to priority groups (doelgroep ≠ 'geen'), mean ± AANDEEL_MARGE. Den Haag
# is well above the 30% limit, as discussed in the regional woonzorgvisie Haaglanden: about 45%
# of all its lettings, about 35% counting only the groups and routes under the limit
# (settings/verdeelmodel.yml); the others between 15 and 28%. Source: SVH/Woonnet Haaglanden
# verhuurcijfers (urgenten, statushouders, bemiddeling); afgerond, indicatief.
AANDEEL_AANDACHTSGROEPEN: dict[str, float] = {
    "GM0518": 0.45, "GM0503": 0.25, "GM0603": 0.25, "GM0637": 0.23, "GM1916": 0.21,
    "GM1783": 0.20, "GM1926": 0.18, "GM0629": 0.17, "GM1842": 0.16,
}
AANDEEL_MARGE = 0.03

# Mix of the priority groups among priority lettings (relative weights), with multipliers per
# gemeente: statushouders per rijkstaakstelling (COA), Den Haag as centrumgemeente for
# maatschappelijke opvang and beschermd wonen, Westland for arbeidsmigranten (glastuinbouw),
# Delft/Den Haag for students. Source: orders of magnitude from SVH verhuurcijfers and the
# regional woonzorgvisie Haaglanden; afgerond, indicatief.
DOELGROEP_MIX: dict[str, float] = {
    "ouderen": 0.17,
    "uitstroom_mo": 0.08,
    "uitstroom_vrouwenopvang": 0.04,
    "uitstroom_bw": 0.06,
    "uitstroom_ggz": 0.04,
    "uitstroom_jeugdzorg": 0.04,
    "uitstroom_detentie": 0.02,
    "stoppende_sekswerkers": 0.005,
    "mantelzorg": 0.03,
    "beperking": 0.08,
    "dakloos": 0.04,
    "dakloze_gezinnen": 0.04,
    "arbeidsmigranten": 0.02,
    "studenten": 0.04,
    "woonwagenbewoners": 0.01,
    "statushouders": 0.26,
}
DOELGROEP_FACTOR: dict[str, dict[str, float]] = {
    "uitstroom_mo": {DEN_HAAG: 1.5},
    "uitstroom_bw": {DEN_HAAG: 1.3},
    "dakloos": {DEN_HAAG: 1.5},
    "dakloze_gezinnen": {DEN_HAAG: 1.5},
    "stoppende_sekswerkers": {DEN_HAAG: 3.0},
    "arbeidsmigranten": {"GM1783": 8.0, "GM1842": 4.0, "GM1926": 3.0},
    "studenten": {"GM0503": 5.0, DEN_HAAG: 1.5, "GM0637": 0.2, "GM0603": 0.2, "GM1916": 0.2,
                  "GM1783": 0.0, "GM1926": 0.0, "GM0629": 0.0, "GM1842": 0.0},
}
# Gemeenten with woonwagenstandplaatsen: only there woonwagenbewoners are housed (and have a
# PPM task). Source: gemeentelijk woonwagenbeleid in the region; indicatief.
STANDPLAATS_GEMEENTEN = frozenset({"GM0518", "GM1783", "GM0637", "GM0503", "GM1916", "GM1926",
                                   "GM0603"})
STUDENTENSTEDEN = frozenset({"GM0503", DEN_HAAG})  # student homes let by DUWO

# Allocation route per doelgroep. The 'urgentie' route only for groups with an urgency category
# in codes/doelgroepen.csv. Source: Huisvestingsverordening Haaglanden (urgentie, bemiddeling),
# SVH verhuurcijfers (aanbodmodel, loting, direct te huur, lokaal maatwerk); afgerond, indicatief.
ROUTE_MIX: dict[str, Mix] = {
    "geen": {"regulier": 0.62, "loting": 0.14, "direct_te_huur": 0.08, "lokaal_maatwerk": 0.13,
             "bemiddeling_overig": 0.03},
    "ouderen": {"regulier": 0.70, "lokaal_maatwerk": 0.25, "loting": 0.05},
    "uitstroom_mo": {"urgentie": 0.55, "uitstroom": 0.45},
    "uitstroom_vrouwenopvang": {"urgentie": 0.60, "uitstroom": 0.40},
    "uitstroom_bw": {"urgentie": 0.45, "uitstroom": 0.55},
    "uitstroom_ggz": {"urgentie": 0.50, "uitstroom": 0.50},
    "uitstroom_jeugdzorg": {"urgentie": 0.55, "uitstroom": 0.45},
    "uitstroom_detentie": {"urgentie": 0.70, "uitstroom": 0.30},
    "stoppende_sekswerkers": {"urgentie": 0.80, "uitstroom": 0.20},
    "mantelzorg": {"urgentie": 1.0},
    "beperking": {"urgentie": 0.60, "regulier": 0.15, "lokaal_maatwerk": 0.10,
                  "bemiddeling_overig": 0.15},
    "dakloos": {"bemiddeling_overig": 0.60, "lokaal_maatwerk": 0.20, "regulier": 0.20},
    "dakloze_gezinnen": {"bemiddeling_overig": 0.70, "lokaal_maatwerk": 0.30},
    "arbeidsmigranten": {"regulier": 0.40, "direct_te_huur": 0.40, "lokaal_maatwerk": 0.20},
    "studenten": {"regulier": 0.50, "loting": 0.30, "direct_te_huur": 0.20},
    "woonwagenbewoners": {"bemiddeling_overig": 0.70, "regulier": 0.30},
    "statushouders": {"statushouder": 1.0},
}

# Origin of the household: (own gemeente, other region gemeente, outside the region, abroad,
# unknown). For 'geen' the own share varies per gemeente (EIGEN_HERKOMST_REGULIER) and the rest
# is split as HERKOMST_REST_REGULIER. Source: orders of magnitude from SVH verhuurcijfers
# (herkomst nieuwe huurders) and COA (statushouders from abroad); afgerond, indicatief.
HERKOMST_PROFIEL: dict[str, tuple[float, float, float, float, float]] = {
    "ouderen": (0.80, 0.15, 0.04, 0.00, 0.01),
    "statushouders": (0.08, 0.04, 0.00, 0.86, 0.02),
    "arbeidsmigranten": (0.45, 0.07, 0.00, 0.45, 0.03),
    "studenten": (0.25, 0.15, 0.50, 0.08, 0.02),
    "woonwagenbewoners": (0.90, 0.10, 0.00, 0.00, 0.00),
    "uitstroom_vrouwenopvang": (0.35, 0.45, 0.15, 0.00, 0.05),  # safety: often elsewhere
    "mantelzorg": (0.55, 0.35, 0.08, 0.00, 0.02),  # moving close to the carer
}
HERKOMST_PROFIEL_STANDAARD = (0.70, 0.20, 0.06, 0.00, 0.04)  # other priority groups
EIGEN_HERKOMST_REGULIER: dict[str, float] = {
    "GM0518": 0.75, "GM0637": 0.70, "GM1783": 0.72, "GM0503": 0.65, "GM1916": 0.62,
    "GM0603": 0.60, "GM1926": 0.62, "GM0629": 0.62, "GM1842": 0.60,
}
HERKOMST_REST_REGULIER = (0.70, 0.24, 0.00, 0.06)  # region, outside, abroad, unknown
# Priority households from elsewhere in the region come mostly from Den Haag (centrumgemeente):
# its population weight is multiplied by this factor as origin for the other gemeenten.
DEN_HAAG_HERKOMSTFACTOR = 3.0
# Origins outside the region: nearby and large gemeenten, weights indicatief.
HERKOMST_BUITEN_REGIO: dict[str, float] = {
    "GM0599": 0.22,  # Rotterdam
    "GM0546": 0.18,  # Leiden
    "GM1621": 0.10,  # Lansingerland
    "GM0606": 0.07,  # Schiedam
    "GM0537": 0.07,  # Katwijk
    "GM0484": 0.06,  # Alphen aan den Rijn
    "GM0363": 0.06,  # Amsterdam
    "GM0344": 0.06,  # Utrecht
    "GM0622": 0.05,  # Vlaardingen
    "GM0513": 0.05,  # Gouda
    "GM0547": 0.04,  # Leiderdorp
    "GM1892": 0.04,  # Zuidplas
}

# "Herkomstgemeente, tenzij": groups the principle applies to, and the recorded reason when the
# household was housed outside its (Dutch) origin gemeente; '' = no reason recorded. Source:
# regional woonzorgvisie Haaglanden (leidende principes); afgerond, indicatief.
TENZIJ_MIX: dict[str, Mix] = {
    "uitstroom_vrouwenopvang": {"veiligheid": 0.90, "eigen_keuze": 0.05, "": 0.05},
    "mantelzorg": {"eigen_keuze": 0.60, "geen_passende_woning": 0.10, "": 0.30},
}
TENZIJ_MIX_STANDAARD: Mix = {"geen_passende_woning": 0.35, "kansrijke_woonstart": 0.25,
                             "eigen_keuze": 0.10, "": 0.30}
TENZIJ_GROEPEN = frozenset({
    "uitstroom_mo", "uitstroom_vrouwenopvang", "uitstroom_bw", "uitstroom_ggz",
    "uitstroom_jeugdzorg", "uitstroom_detentie", "stoppende_sekswerkers", "mantelzorg",
    "beperking", "dakloos", "dakloze_gezinnen",
})

# Corporations per gemeente. Names indicatief (associations active in the gemeente per Aedes
# and their jaarverslagen); shares invented. Students in Delft and Den Haag rent from DUWO.
CORPORATIES: dict[str, Mix] = {
    "GM0518": {"Staedion": 0.40, "Haag Wonen": 0.32, "Vestia": 0.22, "Woonbron": 0.06},
    "GM0503": {"Woonbron": 0.45, "Vidomes": 0.40, "Vestia": 0.15},
    "GM0637": {"De Goede Woning": 0.50, "Vestia": 0.40, "Vidomes": 0.10},
    "GM1783": {"Arcade": 0.90, "Vestia": 0.10},
    "GM1916": {"Vidomes": 0.55, "WoonInvest": 0.35, "Staedion": 0.10},
    "GM0603": {"Rijswijk Wonen": 0.60, "Vestia": 0.25, "Staedion": 0.15},
    "GM1926": {"Vestia": 0.60, "Rondom Wonen": 0.40},
    "GM0629": {"Wassenaarsche Bouwstichting": 1.0},
    "GM1842": {"Vidomes": 0.60, "Arcade": 0.40},
}
STUDENTENCORPORATIE = "DUWO"

# Dwelling type mix by kind of gemeente, and per doelgroep where the group asks for a specific
# home. Source: orders of magnitude from CBS StatLine "Woningvoorraad naar woningtype" and
# Aedes; afgerond, indicatief.
GEMEENTE_SOORT: dict[str, str] = {
    "GM0518": "stedelijk", "GM0503": "stedelijk", "GM0603": "stedelijk",
    "GM0637": "suburbaan", "GM1916": "suburbaan", "GM0629": "suburbaan",
    "GM1783": "dorps", "GM1926": "dorps", "GM1842": "dorps",
}
WONINGTYPE_GEMEENTE: dict[str, Mix] = {
    "stedelijk": {"eengezinswoning": 0.10, "meergezins_lift": 0.35, "meergezins_zonder_lift": 0.35,
                  "benedenwoning": 0.12, "seniorenwoning": 0.05, "onzelfstandig": 0.03},
    "suburbaan": {"eengezinswoning": 0.25, "meergezins_lift": 0.38, "meergezins_zonder_lift": 0.22,
                  "benedenwoning": 0.07, "seniorenwoning": 0.06, "onzelfstandig": 0.02},
    "dorps": {"eengezinswoning": 0.45, "meergezins_lift": 0.25, "meergezins_zonder_lift": 0.12,
              "benedenwoning": 0.05, "seniorenwoning": 0.12, "onzelfstandig": 0.01},
}
_KLEIN_WONEN: Mix = {"meergezins_lift": 0.35, "meergezins_zonder_lift": 0.40,
                     "benedenwoning": 0.10, "onzelfstandig": 0.15}
WONINGTYPE_DOELGROEP: dict[str, Mix] = {
    "ouderen": {"seniorenwoning": 0.45, "meergezins_lift": 0.40, "benedenwoning": 0.10,
                "eengezinswoning": 0.05},
    "beperking": {"seniorenwoning": 0.30, "meergezins_lift": 0.40, "benedenwoning": 0.25,
                  "eengezinswoning": 0.05},
    "studenten": {"onzelfstandig": 0.60, "meergezins_zonder_lift": 0.25, "meergezins_lift": 0.15},
    "arbeidsmigranten": {"onzelfstandig": 0.30, "meergezins_zonder_lift": 0.35,
                         "meergezins_lift": 0.25, "eengezinswoning": 0.10},
    "woonwagenbewoners": {"woonwagen": 1.0},
    "dakloze_gezinnen": {"eengezinswoning": 0.35, "meergezins_zonder_lift": 0.35,
                         "meergezins_lift": 0.20, "benedenwoning": 0.10},
    "uitstroom_mo": _KLEIN_WONEN, "uitstroom_bw": _KLEIN_WONEN, "uitstroom_ggz": _KLEIN_WONEN,
    "uitstroom_jeugdzorg": _KLEIN_WONEN, "uitstroom_detentie": _KLEIN_WONEN,
    "stoppende_sekswerkers": _KLEIN_WONEN, "dakloos": _KLEIN_WONEN,
}

# Kale huur at 2025 level per dwelling type: (mean, sd) in euro per month. Source: CBS/Aedes
# gemiddelde kale huur corporatiewoningen 2025 (≈ € 640); afgerond, indicatief.
HUUR_2025: dict[str, tuple[float, float]] = {
    "eengezinswoning": (720.0, 70.0),
    "meergezins_lift": (650.0, 70.0),
    "meergezins_zonder_lift": (590.0, 70.0),
    "benedenwoning": (610.0, 70.0),
    "seniorenwoning": (640.0, 60.0),
    "onzelfstandig": (400.0, 60.0),
    "woonwagen": (330.0, 60.0),
}
HUUR_MINIMUM = 150.0
# Rent level relative to 2025 (huurbevriezing 2021, maximale huurverhogingen 2022–2025 per
# Rijksoverheid); afgerond, indicatief. Years not listed use 1.0.
HUURNIVEAU: dict[int, float] = {2021: 0.86, 2022: 0.88, 2023: 0.91, 2024: 0.96, 2025: 1.00}
# Huurklasse upper limits in cents. Source: Rijksoverheid huurprijsgrenzen 2025 (kwaliteits-
# kortingsgrens, aftoppingsgrenzen, liberalisatiegrens); the code list defines the classes on
# these 2025 limits, so every year is classified on them.
HUURGRENZEN_2025_CENT: tuple[tuple[str, int], ...] = (
    ("goedkoop", 47_720),
    ("betaalbaar_laag", 68_296),
    ("betaalbaar_hoog", 73_200),
    ("duur", 90_007),
)
# Passend toewijzen: priority households (low incomes) get a rent up to the aftoppingsgrens;
# the lage grens for one- and two-person households. Source: Woningwet / Rijksoverheid 2025.
AFTOPPING_LAAG_CENT = 68_296
AFTOPPING_HOOG_CENT = 73_200
KLEINE_HUISHOUDENS = frozenset({"eenpersoons", "paar_zonder_kinderen"})

# Household type and age class per doelgroep. Source: orders of magnitude from SVH
# verhuurcijfers and CBS "Huishoudens naar samenstelling"; afgerond, indicatief.
_ALLEENSTAAND: Mix = {"eenpersoons": 0.85, "eenoudergezin": 0.08, "paar_zonder_kinderen": 0.04,
                      "overig": 0.03}
HUISHOUDTYPE: dict[str, Mix] = {
    "geen": {"eenpersoons": 0.45, "paar_zonder_kinderen": 0.15, "paar_met_kinderen": 0.15,
             "eenoudergezin": 0.15, "overig": 0.10},
    "ouderen": {"eenpersoons": 0.60, "paar_zonder_kinderen": 0.38, "overig": 0.02},
    "studenten": {"eenpersoons": 0.90, "overig": 0.05, "paar_zonder_kinderen": 0.05},
    "dakloze_gezinnen": {"eenoudergezin": 0.65, "paar_met_kinderen": 0.35},
    "statushouders": {"eenpersoons": 0.45, "paar_met_kinderen": 0.30, "eenoudergezin": 0.10,
                      "paar_zonder_kinderen": 0.10, "overig": 0.05},
    "uitstroom_vrouwenopvang": {"eenoudergezin": 0.55, "eenpersoons": 0.45},
    "arbeidsmigranten": {"eenpersoons": 0.50, "overig": 0.30, "paar_zonder_kinderen": 0.10,
                         "paar_met_kinderen": 0.10},
    "woonwagenbewoners": {"paar_met_kinderen": 0.40, "eenpersoons": 0.25,
                          "paar_zonder_kinderen": 0.20, "eenoudergezin": 0.15},
    "mantelzorg": {"paar_zonder_kinderen": 0.35, "eenpersoons": 0.35, "paar_met_kinderen": 0.15,
                   "eenoudergezin": 0.15},
    "beperking": {"eenpersoons": 0.60, "paar_zonder_kinderen": 0.25, "paar_met_kinderen": 0.08,
                  "eenoudergezin": 0.07},
    "dakloos": {"eenpersoons": 0.90, "paar_zonder_kinderen": 0.05, "overig": 0.05},
    "stoppende_sekswerkers": {"eenpersoons": 0.75, "eenoudergezin": 0.25},
    "uitstroom_detentie": {"eenpersoons": 0.95, "paar_zonder_kinderen": 0.05},
}
HUISHOUDTYPE_STANDAARD = _ALLEENSTAAND  # other uitstroom groups
MET_KINDEREN = frozenset({"paar_met_kinderen", "eenoudergezin"})

_VOLWASSEN: Mix = {"18-22": 0.08, "23-34": 0.40, "35-54": 0.37, "55-64": 0.12, "65-74": 0.03}
LEEFTIJDSKLASSE: dict[str, Mix] = {
    "geen": {"18-22": 0.08, "23-34": 0.38, "35-54": 0.30, "55-64": 0.12, "65-74": 0.08,
             "75+": 0.04},
    "ouderen": {"65-74": 0.55, "75+": 0.45},
    "studenten": {"18-22": 0.65, "23-34": 0.35},
    "uitstroom_jeugdzorg": {"18-22": 0.90, "23-34": 0.10},
    "dakloze_gezinnen": {"18-22": 0.05, "23-34": 0.45, "35-54": 0.50},
    "mantelzorg": {"23-34": 0.10, "35-54": 0.35, "55-64": 0.30, "65-74": 0.15, "75+": 0.10},
    "beperking": {"18-22": 0.04, "23-34": 0.20, "35-54": 0.30, "55-64": 0.24, "65-74": 0.14,
                  "75+": 0.08},
    "arbeidsmigranten": {"18-22": 0.15, "23-34": 0.55, "35-54": 0.27, "55-64": 0.03},
    "statushouders": {"18-22": 0.20, "23-34": 0.45, "35-54": 0.30, "55-64": 0.05},
}
LEEFTIJDSKLASSE_STANDAARD = _VOLWASSEN
# Age of the main tenant of a household with minor children (never 65+).
LEEFTIJD_MET_KINDEREN: Mix = {"18-22": 0.03, "23-34": 0.40, "35-54": 0.50, "55-64": 0.07}

# CBS: inhabitants on 1 January of the first year, yearly growth, average household size.
# Source: CBS StatLine Regionale kerncijfers Nederland 2021–2024 (bevolking, particuliere
# huishoudens); afgerond, indicatief. Household size shrinks slowly (CBS huishoudensprognose).
INWONERS_START: dict[str, tuple[int, float, float]] = {
    "GM0518": (551_000, 0.0080, 2.00),  # 's-Gravenhage: small households
    "GM0637": (125_000, 0.0050, 2.20),  # Zoetermeer
    "GM1783": (112_000, 0.0060, 2.45),  # Westland
    "GM0503": (104_000, 0.0080, 2.05),  # Delft: students
    "GM1916": (76_800, 0.0050, 2.15),  # Leidschendam-Voorburg
    "GM0603": (55_500, 0.0150, 2.10),  # Rijswijk (ZH.)
    "GM1926": (56_000, 0.0060, 2.50),  # Pijnacker-Nootdorp
    "GM0629": (26_800, 0.0030, 2.25),  # Wassenaar
    "GM1842": (19_600, 0.0050, 2.40),  # Midden-Delfland
}
HUISHOUDGROOTTE_DALING = 0.003  # per year

# PPM: agreed yearly task (opgave) per doelgroep and gemeente, in the doelgroep's unit. Not
# every group is a task in every gemeente (woonwagens only where there are standplaatsen,
# students mainly Delft and Den Haag, arbeidsmigranten mainly Westland). Urgency-only groups
# (detentie, stoppende sekswerkers) have no building task. Source: orders of magnitude from the
# regional woonzorgvisie Haaglanden, local woonzorgvisies and woondeal Haaglanden; afgerond,
# indicatief, no real agreement.
OPGAVE_PER_JAAR: dict[str, dict[str, int]] = {
    "ouderen": {"GM0518": 900, "GM0637": 260, "GM1783": 200, "GM0503": 180, "GM1916": 150,
                "GM0603": 110, "GM1926": 90, "GM0629": 50, "GM1842": 35},
    "uitstroom_mo": {"GM0518": 60, "GM0503": 12, "GM0637": 10, "GM0603": 6, "GM1916": 5,
                     "GM1783": 4},
    "uitstroom_vrouwenopvang": {"GM0518": 15, "GM0503": 4, "GM0637": 3},
    "uitstroom_bw": {"GM0518": 80, "GM0503": 15, "GM0637": 15, "GM0603": 8, "GM1916": 8,
                     "GM1783": 6, "GM1926": 3},
    "uitstroom_ggz": {"GM0518": 30, "GM0503": 6, "GM0637": 5},
    "uitstroom_jeugdzorg": {"GM0518": 25, "GM0637": 6, "GM0503": 5, "GM1783": 3},
    "mantelzorg": {"GM1783": 10, "GM1842": 4, "GM1926": 4, "GM0629": 2},
    "beperking": {"GM0518": 70, "GM0637": 20, "GM0503": 15, "GM1783": 15, "GM1916": 12,
                  "GM0603": 8, "GM1926": 6, "GM0629": 3, "GM1842": 2},
    "dakloos": {"GM0518": 40, "GM0503": 6},
    "dakloze_gezinnen": {"GM0518": 30, "GM0637": 4},
    "arbeidsmigranten": {"GM1783": 250, "GM0518": 60, "GM1842": 40, "GM1926": 30},
    "studenten": {"GM0503": 400, "GM0518": 250},
    "woonwagenbewoners": {"GM0518": 12, "GM1783": 6, "GM0637": 4, "GM0503": 3, "GM1916": 2,
                          "GM1926": 2, "GM0603": 2},
    "statushouders": {"GM0518": 250, "GM0637": 60, "GM0503": 50, "GM1783": 45, "GM1916": 35,
                      "GM0603": 30, "GM1926": 20, "GM0629": 10, "GM1842": 8},
}
# The task grew from 2024 (woondeal Haaglanden, Nationale Woon- en Bouwagenda); indicatief.
OPGAVE_GROEI_VANAF = 2024
OPGAVE_GROEI = 1.15
# Care places count in 'plaatsen', woonwagens in 'standplaatsen', the rest in 'woningen'.
EENHEID: dict[str, str] = {
    "uitstroom_mo": "plaatsen", "uitstroom_bw": "plaatsen", "uitstroom_ggz": "plaatsen",
    "woonwagenbewoners": "standplaatsen",
}
# Realisation as a share of the task: mostly behind, varying per group. Source: orders of
# magnitude from PPM/monitor woonzorg and the woondeal monitor; afgerond, indicatief.
REALISATIE: dict[str, float] = {
    "ouderen": 0.55, "uitstroom_mo": 0.70, "uitstroom_vrouwenopvang": 0.60, "uitstroom_bw": 0.60,
    "uitstroom_ggz": 0.50, "uitstroom_jeugdzorg": 0.65, "mantelzorg": 0.35, "beperking": 0.45,
    "dakloos": 0.60, "dakloze_gezinnen": 0.50, "arbeidsmigranten": 0.50, "studenten": 0.75,
    "woonwagenbewoners": 0.25, "statushouders": 0.85,
}
# Current pipeline by expected delivery year (1 = first year after the monitor period): the
# expected number as a fraction of the task (in_aanbouw and harde plancapaciteit also scaled by
# the realisation rate). Indicatief.
PIJPLIJN: dict[str, dict[int, float]] = {
    "in_aanbouw": {1: 0.8, 2: 0.4},
    "harde_plancapaciteit": {1: 0.6, 2: 0.7, 3: 0.6, 4: 0.4, 5: 0.3},
    "plan": {2: 0.4, 3: 0.6, 4: 0.8, 5: 0.9},
}
SCHAAL_MET_REALISATIE = frozenset({"in_aanbouw", "harde_plancapaciteit"})


# ---------------------------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------------------------


def verhuringen_file(config: RegionConfig) -> str:
    """File name of the lettings CSV for the configured period."""
    return f"svh_verhuringen_{config.jaar_van}-{config.jaar_tot_en_met}.csv"


def generate_demo(
    out_dir: Path,
    *,
    config: RegionConfig | None = None,
    wijken: Path | None = None,
    seed: int = DEFAULT_SEED,
    verhuringen_per_jaar: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    """Write the demo raw files into `out_dir` and a DEMO.json marker with their checksums.

    `wijken` is a CBS wijk GeoJSON; without it the first `out_dir/geo/*wijk*.geojson` is used,
    and without any the optional wijk_code column stays empty (said in `notes`).
    `verhuringen_per_jaar` scales the region to about that many lettings a year for the region
    as a whole (see `region_scale`); None keeps the calibrated Haaglanden volume (≈ 8,800).
    """
    config = config or load_config()
    _check_calibrated(config)
    scale = region_scale(config, verhuringen_per_jaar)
    out_dir = Path(out_dir)
    result = DemoResult()
    report = progress or (lambda _message: None)
    wijk_file = wijken if wijken is not None else _find_wijk_file(out_dir)
    wijk_codes = _region_wijken(wijk_file, config, result.notes)  # fails before writing
    out_dir.mkdir(parents=True, exist_ok=True)

    rng = np.random.default_rng(seed)
    voorraad = voorraad_rows(config, rng, scale)
    cbs = cbs_rows(config, rng, scale)
    ppm = ppm_rows(config, rng, scale)
    lettings = letting_columns(config, voorraad, rng)
    lettings["wijk_code"] = draw_wijk_codes(rng, lettings, wijk_codes)

    writers: list[tuple[str, Callable[[Path], None]]] = [
        (verhuringen_file(config), lambda p: _write_verhuringen(p, lettings)),
        (VOORRAAD_FILE, lambda p: _write_voorraad(p, voorraad)),
        (PPM_FILE, lambda p: _write_ppm(p, ppm)),
        (CBS_FILE, lambda p: _write_cbs(p, cbs)),
    ]
    for name, write in writers:
        path = out_dir / name
        write(path)
        result.files.append(path)
        report(f"{name} geschreven")

    marker = out_dir / MARKER_FILE
    _write_marker(marker, seed, result.files, wijk_file if wijk_codes else None,
                  verhuringen_per_jaar)
    result.files.append(marker)
    report(f"{MARKER_FILE} geschreven")
    return result


def _check_calibrated(config: RegionConfig) -> None:
    missing = [g for g in config.gemeenten if g not in VOORRAAD_START]
    if missing:
        raise DemoError(
            "de demo is gekalibreerd op de Haaglanden-gemeenten; geen demogegevens voor "
            + ", ".join(missing)
        )


def expected_verhuringen_per_jaar(config: RegionConfig) -> float:
    """Lettings a year the calibration gives for the region, averaged over the period (the
    trend of stock and mutatiegraad without noise)."""
    totals = [
        sum(VOORRAAD_START[g][0] * (1 + VOORRAAD_START[g][1]) ** i * MUTATIEGRAAD[g]
            for g in config.gemeenten) * MUTATIEGRAAD_JAARFACTOR.get(jaar, 1.0)
        for i, jaar in enumerate(config.jaren)
    ]
    return sum(totals) / len(totals)


def region_scale(config: RegionConfig, verhuringen_per_jaar: int | None) -> float:
    """Factor on every absolute figure so the region lets about `verhuringen_per_jaar` homes a
    year; 1.0 (the calibrated volume) for None."""
    if verhuringen_per_jaar is None:
        return 1.0
    if verhuringen_per_jaar < MIN_VERHURINGEN_PER_JAAR:
        raise DemoError(f"verhuringen per jaar moet minstens {MIN_VERHURINGEN_PER_JAAR} zijn, "
                        f"niet {verhuringen_per_jaar}")
    return verhuringen_per_jaar / expected_verhuringen_per_jaar(config)


# ---------------------------------------------------------------------------------------------
# Wijk boundaries
# ---------------------------------------------------------------------------------------------


def _find_wijk_file(out_dir: Path) -> Path | None:
    candidates = sorted((out_dir / "geo").glob("*wijk*.geojson"))
    return candidates[0] if candidates else None


def load_wijken(path: Path) -> dict[str, tuple[str, ...]]:
    """Wijk codes per gemeente code from a CBS wijk GeoJSON (properties statcode, gmCode)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise DemoError(f"{path}: kan wijkgrenzen niet lezen ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise DemoError(f"{path}: geen geldige GeoJSON ({exc})") from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise DemoError(f"{path}: geen GeoJSON FeatureCollection")
    found: dict[str, set[str]] = {}
    for feature in features:
        props = (feature.get("properties") or {}) if isinstance(feature, dict) else {}
        code = str(props.get("statcode") or "")
        if not re.fullmatch(r"WK\d{6}", code):
            continue
        gemeente = str(props.get("gmCode") or f"GM{code[2:6]}")
        if gemeente[2:6] == code[2:6]:  # a wijk must lie in its own gemeente
            found.setdefault(gemeente, set()).add(code)
    return {g: tuple(sorted(c)) for g, c in sorted(found.items())}


def _region_wijken(
    path: Path | None, config: RegionConfig, notes: list[str]
) -> dict[str, tuple[str, ...]]:
    if path is None:
        notes.append("geen wijkgrenzen gevonden (geo/*wijk*.geojson): kolom wijk_code blijft leeg")
        return {}
    per_gemeente = load_wijken(path)
    region = {g: per_gemeente[g] for g in sorted(config.gemeenten) if g in per_gemeente}
    if not region:
        notes.append(f"{Path(path).name} bevat geen wijken van de regio: kolom wijk_code "
                     "blijft leeg")
        return {}
    total = sum(len(c) for c in region.values())
    notes.append(f"wijkcodes getrokken uit {Path(path).name} ({total} wijken in de regio)")
    for g in sorted(set(config.gemeenten) - set(region)):
        notes.append(f"geen wijken voor {config.gemeente_naam(g)} ({g}) in {Path(path).name}: "
                     "wijk_code blijft daar leeg")
    return region


# ---------------------------------------------------------------------------------------------
# Pure generators: one per source
# ---------------------------------------------------------------------------------------------


def voorraad_rows(config: RegionConfig, rng: np.random.Generator, scale: float = 1.0
                  ) -> list[Row]:
    """Stock and mutaties per gemeente and year; `scale` (see `region_scale`) multiplies the
    stock and so the mutaties, and draws the same random numbers as 1.0."""
    rows: list[Row] = []
    for gemeente in sorted(config.gemeenten):
        start, groei = VOORRAAD_START[gemeente]
        # The table is rounded: unround it with a little noise.
        stock = start * scale * (1 + rng.normal(0, START_RUIS))
        for jaar in config.jaren:
            if jaar != config.jaar_van:
                stock *= 1 + groei + rng.normal(0, VOORRAAD_RUIS)
            graad = MUTATIEGRAAD[gemeente] * MUTATIEGRAAD_JAARFACTOR.get(jaar, 1.0)
            mutaties = round(stock * graad * (1 + rng.normal(0, MUTATIES_RUIS)))
            rows.append({"gemeente": gemeente, "jaar": jaar,
                         "sociale_huurvoorraad": round(stock), "mutaties": mutaties})
    return rows


def cbs_rows(config: RegionConfig, rng: np.random.Generator, scale: float = 1.0) -> list[Row]:
    """Inhabitants and households per gemeente and year (smooth trend from a jittered start)."""
    rows: list[Row] = []
    for gemeente in sorted(config.gemeenten):
        inwoners, groei, grootte = INWONERS_START[gemeente]
        inwoners *= scale * (1 + rng.normal(0, START_RUIS / 3))
        grootte *= 1 + rng.normal(0, START_RUIS / 3)
        for i, jaar in enumerate(config.jaren):
            n = inwoners * (1 + groei) ** i
            size = grootte * (1 - HUISHOUDGROOTTE_DALING) ** i
            rows.append({"gemeente": gemeente, "jaar": jaar, "inwoners": round(n),
                         "huishoudens": round(n / size)})
    return rows


def ppm_rows(config: RegionConfig, rng: np.random.Generator, scale: float = 1.0) -> list[Row]:
    """Task, deliveries (up to the last monitor year) and current pipeline per group."""
    fasen = codes.codes("ppm_fasen")
    last = config.jaar_tot_en_met
    years = range(config.jaar_van, last + PPM_YEARS_AHEAD + 1)
    rows: list[Row] = []
    for gemeente in sorted(config.gemeenten):
        for doelgroep in _doelgroepen():
            base = OPGAVE_PER_JAAR.get(doelgroep, {}).get(gemeente)
            if not base:
                continue
            realisatie = REALISATIE[doelgroep]
            for jaar in years:
                growth = OPGAVE_GROEI if jaar >= OPGAVE_GROEI_VANAF else 1.0
                opgave = round(base * scale * growth)
                aantallen = {"opgave": opgave}
                if jaar <= last:
                    aantallen["opgeleverd"] = int(rng.poisson(opgave * realisatie))
                for fase, fractions in PIJPLIJN.items():
                    fraction = fractions.get(jaar - last)
                    if fraction is not None:
                        factor = realisatie if fase in SCHAAL_MET_REALISATIE else 1.0
                        aantallen[fase] = int(rng.poisson(opgave * fraction * factor))
                for fase in fasen:  # code-list order: opgave, plan, ..., opgeleverd
                    if fase in aantallen:
                        rows.append({"gemeente": gemeente, "doelgroep": doelgroep, "jaar": jaar,
                                     "fase": fase, "aantal": aantallen[fase],
                                     "eenheid": EENHEID.get(doelgroep, "woningen")})
    return rows


def letting_columns(
    config: RegionConfig, voorraad: Sequence[Row], rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """One row per letting; per gemeente-year exactly as many as its mutaties. Sorted by date."""
    groups = [g for g in _doelgroepen() if g != "geen"]
    mutaties = {(r["gemeente"], r["jaar"]): r["mutaties"] for r in voorraad}
    blocks: list[dict[str, np.ndarray]] = []
    for gemeente in sorted(config.gemeenten):
        weights = np.array([_group_weight(g, gemeente) for g in groups])
        weights /= weights.sum()
        mean = AANDEEL_AANDACHTSGROEPEN[gemeente]
        for jaar in config.jaren:
            n = mutaties[(gemeente, jaar)]
            share = float(np.clip(mean + rng.normal(0, AANDEEL_MARGE / 3),
                                  mean - AANDEEL_MARGE, mean + AANDEEL_MARGE))
            n_prio = round(n * share)
            counts = rng.multinomial(n_prio, weights)
            for doelgroep, k in [("geen", n - n_prio), *zip(groups, counts, strict=True)]:
                if k:
                    blocks.append(_letting_block(rng, gemeente, jaar, doelgroep, int(k)))
    columns = {name: np.concatenate([b[name] for b in blocks]) for name in blocks[0]}
    order = np.lexsort((columns["gemeente"], columns["datum"]))  # stable: by date, gemeente
    columns = {name: values[order] for name, values in columns.items()}
    columns["verhuring_id"] = _letting_ids(columns["datum"])
    return columns


def draw_wijk_codes(
    rng: np.random.Generator,
    lettings: Mapping[str, np.ndarray],
    wijken: Mapping[str, Sequence[str]],
) -> np.ndarray:
    """Wijk of each home; priority lettings lean towards a few wijken (visible concentration)."""
    gemeente, doelgroep = lettings["gemeente"], lettings["doelgroep"]
    out = np.full(len(gemeente), "", dtype=object)
    for g in sorted(wijken):
        options = np.array(wijken[g])
        spread = rng.gamma(2.0, size=len(options))  # social stock differs per wijk
        # Priority lettings concentrate: per wijk a factor of roughly 0.3–3 (lognormal).
        focus = spread * rng.lognormal(0.0, 0.6, size=len(options))
        in_g = gemeente == g
        for mask, weights in ((in_g & (doelgroep == "geen"), spread),
                              (in_g & (doelgroep != "geen"), focus)):
            out[mask] = rng.choice(options, size=int(mask.sum()), p=weights / weights.sum())
    return out


# ---------------------------------------------------------------------------------------------
# Letting details
# ---------------------------------------------------------------------------------------------


def _doelgroepen() -> tuple[str, ...]:
    return codes.codes("doelgroepen")


def _group_weight(doelgroep: str, gemeente: str) -> float:
    factor = DOELGROEP_FACTOR.get(doelgroep, {}).get(gemeente, 1.0)
    if doelgroep == "woonwagenbewoners" and gemeente not in STANDPLAATS_GEMEENTEN:
        factor = 0.0
    return DOELGROEP_MIX[doelgroep] * factor


@cache
def _urgentiecategorie(doelgroep: str) -> str:
    """The urgency category of a doelgroep per codes/doelgroepen.csv ('' if none)."""
    return {r["code"]: r["urgentiecategorie"] for r in codes.load("doelgroepen")}[doelgroep]


def _choice(rng: np.random.Generator, mix: Mix, size: int) -> np.ndarray:
    keys = list(mix)
    p = np.array([mix[k] for k in keys], dtype=float)
    return rng.choice(np.array(keys, dtype=object), size=size, p=p / p.sum())


def _letting_block(
    rng: np.random.Generator, gemeente: str, jaar: int, doelgroep: str, k: int
) -> dict[str, np.ndarray]:
    """`k` lettings of one doelgroep in one gemeente and year."""
    datum = np.datetime64(f"{jaar}-01-01") + rng.integers(0, _days(jaar), size=k)
    route = _choice(rng, ROUTE_MIX[doelgroep], k)
    categorie = _urgentiecategorie(doelgroep)
    if (route == "urgentie").any() and not categorie:
        raise AssertionError(f"route urgentie zonder urgentiecategorie voor {doelgroep}")
    urgentie = np.where(route == "urgentie", categorie, "").astype(object)
    herkomst = _herkomst(rng, gemeente, doelgroep, k)
    tenzij = _tenzij(rng, gemeente, doelgroep, herkomst)
    huishouden = _choice(rng, HUISHOUDTYPE.get(doelgroep, HUISHOUDTYPE_STANDAARD), k)
    leeftijd = _leeftijd(rng, doelgroep, huishouden)
    woningtype = _choice(rng, WONINGTYPE_DOELGROEP.get(doelgroep)
                         or WONINGTYPE_GEMEENTE[GEMEENTE_SOORT[gemeente]], k)
    huur = _kale_huur_cent(rng, jaar, doelgroep, woningtype, huishouden)
    if doelgroep == "studenten" and gemeente in STUDENTENSTEDEN:
        corporatie = np.full(k, STUDENTENCORPORATIE, dtype=object)
    else:
        corporatie = _choice(rng, CORPORATIES[gemeente], k)
    return {
        "datum": datum,
        "gemeente": np.full(k, gemeente, dtype=object),
        "corporatie": corporatie,
        "woningtype": woningtype,
        "huurklasse": _huurklasse(huur),
        "kale_huur": huur,
        "toewijzingsroute": route,
        "urgentiecategorie": urgentie,
        "doelgroep": np.full(k, doelgroep, dtype=object),
        "herkomst_gemeente": herkomst,
        "tenzij_reden": tenzij,
        "huishoudtype": huishouden,
        "leeftijdsklasse": leeftijd,
    }


def _days(jaar: int) -> int:
    return int((np.datetime64(f"{jaar + 1}-01-01") - np.datetime64(f"{jaar}-01-01")).astype(int))


def _herkomst(rng: np.random.Generator, gemeente: str, doelgroep: str, k: int) -> np.ndarray:
    if doelgroep == "geen":
        own = EIGEN_HERKOMST_REGULIER[gemeente]
        profile = (own, *((1 - own) * f for f in HERKOMST_REST_REGULIER))
    else:
        profile = HERKOMST_PROFIEL.get(doelgroep, HERKOMST_PROFIEL_STANDAARD)
    eigen, regio, buiten, buitenland, onbekend = profile
    others = sorted(g for g in INWONERS_START if g != gemeente)
    weights = np.array([INWONERS_START[g][0] for g in others], dtype=float)
    if doelgroep != "geen":
        weights[[g == DEN_HAAG for g in others]] *= DEN_HAAG_HERKOMSTFACTOR
    mix: dict[str, float] = {gemeente: eigen}
    mix.update(zip(others, regio * weights / weights.sum(), strict=True))
    total_buiten = sum(HERKOMST_BUITEN_REGIO.values())
    mix.update({g: buiten * w / total_buiten for g, w in HERKOMST_BUITEN_REGIO.items()})
    mix.update({"buitenland": buitenland, "onbekend": onbekend})
    return _choice(rng, {c: w for c, w in mix.items() if w > 0}, k)


def _tenzij(
    rng: np.random.Generator, gemeente: str, doelgroep: str, herkomst: np.ndarray
) -> np.ndarray:
    """Reason for housing outside the (Dutch) origin gemeente; only for the principle's groups."""
    out = np.full(len(herkomst), "", dtype=object)
    if doelgroep not in TENZIJ_GROEPEN:
        return out
    elsewhere = np.array([h.startswith("GM") and h != gemeente for h in herkomst], dtype=bool)
    out[elsewhere] = _choice(rng, TENZIJ_MIX.get(doelgroep, TENZIJ_MIX_STANDAARD),
                             int(elsewhere.sum()))
    return out


def _leeftijd(rng: np.random.Generator, doelgroep: str, huishouden: np.ndarray) -> np.ndarray:
    leeftijd = _choice(rng, LEEFTIJDSKLASSE.get(doelgroep, LEEFTIJDSKLASSE_STANDAARD),
                       len(huishouden))
    # A main tenant with minor children is not 65+: redraw those.
    bad = np.isin(huishouden, list(MET_KINDEREN)) & np.isin(leeftijd, ["65-74", "75+"])
    leeftijd[bad] = _choice(rng, LEEFTIJD_MET_KINDEREN, int(bad.sum()))
    return leeftijd


def _kale_huur_cent(
    rng: np.random.Generator, jaar: int, doelgroep: str, woningtype: np.ndarray,
    huishouden: np.ndarray,
) -> np.ndarray:
    """Kale huur in whole cents, within social rent; priority groups per passend toewijzen."""
    mean = np.array([HUUR_2025[w][0] for w in woningtype])
    sd = np.array([HUUR_2025[w][1] for w in woningtype])
    cent = np.rint(rng.normal(mean, sd) * HUURNIVEAU.get(jaar, 1.0) * 100).astype(np.int64)
    if doelgroep != "geen":
        cap = np.where(np.isin(huishouden, list(KLEINE_HUISHOUDENS)),
                       AFTOPPING_LAAG_CENT, AFTOPPING_HOOG_CENT)
        over = cent > cap
        cent[over] = cap[over] - rng.integers(0, 8_000, size=int(over.sum()))
    return np.clip(cent, int(HUUR_MINIMUM * 100), HUURGRENZEN_2025_CENT[-1][1])


def _huurklasse(cent: np.ndarray) -> np.ndarray:
    limits = np.array([limit for _, limit in HUURGRENZEN_2025_CENT])
    names = np.array([name for name, _ in HUURGRENZEN_2025_CENT], dtype=object)
    return names[np.searchsorted(limits, cent, side="left")]


def _letting_ids(datum: np.ndarray) -> np.ndarray:
    """DEMO-<jaar>-<volgnummer>, numbered per year in date order."""
    years = datum.astype("datetime64[Y]").astype(int) + 1970
    ids = np.empty(len(datum), dtype=object)
    for jaar in np.unique(years):
        idx = np.flatnonzero(years == jaar)
        ids[idx] = [f"DEMO-{jaar}-{i:06d}" for i in range(1, len(idx) + 1)]
    return ids


# ---------------------------------------------------------------------------------------------
# Writers (the only functions that touch the disk)
# ---------------------------------------------------------------------------------------------


def _format_date(day: np.datetime64) -> str:
    iso = str(day)  # yyyy-mm-dd
    return f"{iso[8:10]}-{iso[5:7]}-{iso[0:4]}"


def _format_cent(cent: int) -> str:
    euros, cents = divmod(int(cent), 100)
    return f"{euros},{cents:02d}"


def _write_verhuringen(path: Path, lettings: Mapping[str, np.ndarray]) -> None:
    """`;`-separated, UTF-8 with BOM, CRLF, dd-mm-yyyy and decimal comma: as Excel saves it."""
    names = [c.name for c in verhuringen.CONTRACT.columns]
    cells = dict(lettings)
    cells["datum_verhuring"] = _format_each_distinct(lettings["datum"], _format_date)
    cells["kale_huur"] = _format_each_distinct(lettings["kale_huur"], _format_cent)
    # Streamed to the file rather than built in memory: at national scale the text is ~270 MB.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows(zip(*(cells[n] for n in names), strict=True))


def _format_each_distinct(values: np.ndarray, format_one: Callable[[Any], str]) -> np.ndarray:
    """`format_one` applied per distinct value (a few thousand dates or rents, not millions of
    rows); the strings come back as an object array in the order of `values`."""
    distinct, inverse = np.unique(values, return_inverse=True)
    return np.array([format_one(v) for v in distinct], dtype=object)[inverse]


def _write_voorraad(path: Path, rows: Sequence[Row]) -> None:
    """XLSX with a title row, an empty row, the header on row 3; gemeente as official name."""
    names = codes.labels("gemeenten")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Voorraad"
    ws.append([VOORRAAD_TITLE])
    ws["A1"].font = Font(bold=True)
    ws.append([])
    header = ["gemeente", "jaar", "sociale_huurvoorraad", "mutaties"]
    ws.append(header)
    for row in rows:
        ws.append([names[str(row["gemeente"])], *(row[c] for c in header[1:])])
    for column, width in zip("ABCD", (26, 8, 22, 12), strict=True):
        ws.column_dimensions[column].width = width
    wb.properties.creator = "analysis.demo"
    wb.properties.title = VOORRAAD_TITLE
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_reproducible_zip(buffer.getvalue()))


def _reproducible_zip(data: bytes) -> bytes:
    """Rewrite an XLSX with fixed timestamps: openpyxl stamps now() into core.xml and the zip."""
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                                 rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return out.getvalue()


def _write_ppm(path: Path, rows: Sequence[Row]) -> None:
    """`,`-separated, UTF-8 without BOM, LF line ends."""
    header = ["gemeente", "doelgroep", "jaar", "fase", "aantal", "eenheid"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=",", lineterminator="\n")
    writer.writerow(header)
    writer.writerows([row[c] for c in header] for row in rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def _write_cbs(path: Path, rows: Sequence[Row]) -> None:
    """`;`-separated, Windows-1252, CRLF: as some StatLine exports come."""
    header = ["gemeente", "jaar", "inwoners", "huishoudens"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([row[c] for c in header] for row in rows)
    path.write_bytes(buffer.getvalue().encode("cp1252"))


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _write_marker(path: Path, seed: int, files: Sequence[Path], wijk_file: Path | None,
                  verhuringen_per_jaar: int | None = None) -> None:
    """DEMO.json: tells ingest (and every report) that these inputs are synthetic. The volume is
    only recorded when it was chosen, so the calibrated demo keeps its bytes."""
    marker = {
        "demo": True,
        "label": DEMO_LABEL,
        "generator": __name__,
        "generator_versie": GENERATOR_VERSION,
        "seed": seed,
        "wijkgrenzen": Path(wijk_file).name if wijk_file is not None else None,
        "bestanden": {p.name: sha256(p) for p in files},
    }
    if verhuringen_per_jaar is not None:
        marker["verhuringen_per_jaar"] = verhuringen_per_jaar
    text = json.dumps(marker, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    path.write_bytes(text.encode("utf-8"))


__all__ = [
    "DEFAULT_SEED",
    "DEMO_LABEL",
    "MARKER_FILE",
    "MIN_VERHURINGEN_PER_JAAR",
    "DemoError",
    "DemoResult",
    "expected_verhuringen_per_jaar",
    "generate_demo",
    "load_wijken",
    "region_scale",
    "verhuringen_file",
]
