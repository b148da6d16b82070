"""Dutch number formatting and Pandoc pipe tables."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pypandoc
import pytest

from analysis.indicators import catalogue
from analysis.tables import (
    MISSING,
    SUPPRESSED,
    fmt_decimal,
    fmt_int,
    fmt_number,
    fmt_percent,
    fmt_value,
    markdown_table,
)


@pytest.mark.parametrize(("value", "expected"), [
    (1234, "1.234"),
    (1234567, "1.234.567"),
    (999, "999"),
    (0, "0"),
    (-1234, "\u22121.234"),
    (1234.5, "1.235"),  # half away from zero, not babel's half-even "1.234"
    (np.int64(2500), "2.500"),
])
def test_fmt_int(value, expected):
    assert fmt_int(value) == expected


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (12.345, 1, "12,3"),
    (12.25, 1, "12,3"),
    (12.35, 1, "12,4"),
    (1.005, 2, "1,01"),  # the decimal as written, not its binary approximation 1.00499…
    (1234.56, 1, "1.234,6"),
    (3, 2, "3,00"),
    (-0.04, 1, "0,0"),  # no negative zero
    (np.float64(0.125), 2, "0,13"),
    (Fraction(1, 3), 2, "0,33"),
])
def test_fmt_decimal(value, decimals, expected):
    assert fmt_decimal(value, decimals) == expected


@pytest.mark.parametrize(("value", "max_decimals", "expected"), [
    (45, 2, "45"),
    (Fraction(45), 4, "45"),
    (2.5, 2, "2,5"),  # trailing zeros dropped
    (12.0, 2, "12"),
    (Fraction(25, 3), 2, "8,33"),  # a fraction rounded exactly, not via a float
    (Fraction(1, 3), 4, "0,3333"),
    (Fraction(1, 8), 2, "0,13"),  # half away from zero; the float 0.125 would give "0,12"
    (2.675, 2, "2,68"),  # the decimal as written; the float is 2.67499…
    (Fraction(-1, 8), 2, "\u22120,13"),
    (Fraction(-1, 1000), 2, "0"),  # no negative zero
    (313017.29, 2, "313.017,29"),
    (Fraction(5, 2), 0, "3"),
    (np.float64(0.1), 2, "0,1"),
])
def test_fmt_number_drops_trailing_zeros(value, max_decimals, expected):
    assert fmt_number(value, max_decimals) == expected


def test_fmt_percent_takes_the_0_100_scale():
    assert fmt_percent(12.345) == "12,3%"
    assert fmt_percent(30) == "30,0%"
    assert fmt_percent(7.25, decimals=0) == "7%"


@pytest.mark.parametrize("missing", [math.nan, np.nan, None, pd.NA, pd.NaT])
def test_missing_is_an_en_dash(missing):
    assert MISSING == "–"
    assert fmt_int(missing) == fmt_decimal(missing) == fmt_percent(missing) == "–"
    assert fmt_number(missing) == "–"
    assert fmt_value(missing, "procent") == "–"


@pytest.mark.parametrize(("eenheid", "expected"), [
    ("procent", "12,3%"),
    ("verhuringen", "12"),
    ("huishoudens", "12"),
    ("per 1.000 huishoudens", "12,3"),
    ("per 100 sociale huurwoningen", "12,3"),
    ("index", "12,35"),
])
def test_fmt_value_by_eenheid(eenheid, expected):
    assert fmt_value(12.345, eenheid) == expected


def test_every_catalogue_unit_has_a_format():
    for indicator in catalogue().values():
        fmt_value(1, indicator.eenheid)


def test_unknown_eenheid_fails():
    with pytest.raises(ValueError, match="onbekende eenheid 'kamers'"):
        fmt_value(1, "kamers")


def test_infinity_fails():
    with pytest.raises(ValueError, match="geen eindig getal"):
        fmt_decimal(math.inf)


@pytest.fixture
def frame():
    return pd.DataFrame({
        "Gemeente": ["Delft", "'s-Gravenhage", "Wassenaar"],
        "Verhuringen": [1234, 15678, 87],
        "Aandeel": [27.44, 33.1, math.nan],
    })


def test_markdown_table_exact(frame):
    table = markdown_table(frame, {"Verhuringen": "verhuringen", "Aandeel": "procent"},
                           caption="Verhuringen per gemeente, 2024")
    assert table == (
        "| Gemeente      | Verhuringen | Aandeel |\n"
        "|:--------------|------------:|--------:|\n"
        "| Delft         |       1.234 |   27,4% |\n"
        "| 's-Gravenhage |      15.678 |   33,1% |\n"
        "| Wassenaar     |          87 |       – |\n"
        "\n"
        ": Verhuringen per gemeente, 2024\n"
    )


def test_markdown_table_defaults_formatters_and_alignment(frame):
    table = markdown_table(frame.assign(Aandeel=[1.25, 2.0, 3.0]),
                           {"Verhuringen": fmt_int}, align={"Gemeente": "center"})
    lines = table.splitlines()
    assert lines[1] == "|:-------------:|------------:|--------:|"
    assert lines[2] == "|     Delft     |       1.234 |     1,3 |"  # floats: one decimal
    assert ": " not in table  # no caption line


def test_markdown_table_marks_suppressed_cells(frame):
    hidden = pd.DataFrame({"Verhuringen": [False, False, True]})
    table = markdown_table(frame, {"Verhuringen": "verhuringen"}, suppressed=hidden)
    assert SUPPRESSED == "x"
    assert "| Wassenaar     |           x |" in table


def test_markdown_table_escapes_pipes():
    table = markdown_table(pd.DataFrame({"Route": ["urgentie | medisch"]}))
    assert r"urgentie \| medisch" in table


def test_markdown_table_rejects_unknown_columns(frame):
    with pytest.raises(KeyError, match="Onbekend"):
        markdown_table(frame, {"Onbekend": "procent"})
    with pytest.raises(ValueError, match="onbekende eenheid"):
        markdown_table(frame, {"Aandeel": "promille"})


def test_pandoc_reads_a_real_table_with_caption(frame):
    table = markdown_table(frame, {"Verhuringen": "verhuringen", "Aandeel": "procent"},
                           caption="Verhuringen per gemeente")
    html = pypandoc.convert_text(table, "html", format="markdown")
    assert "<caption>Verhuringen per gemeente</caption>" in html
    assert '<td style="text-align: right;">15.678</td>' in html
    assert '<td style="text-align: left;">Delft</td>' in html
