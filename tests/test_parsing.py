from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis import parsing
from analysis.readers import normalise_header


@pytest.mark.parametrize(("text", "decimal", "expected"), [
    ("612,45", ",", 612.45),
    ("1.234,5", ",", 1234.5),
    ("1.234", ",", 1234.0),
    ("1,234.5", ".", 1234.5),
    ("1,234", ".", 1234.0),
    ("612.45", ".", 612.45),
    ("1.000", ".", 1.0),  # the mark is decided per column (decimal_mark), not per cell
    ("1.234.567", ",", 1234567.0),
    ("€ 1.234,50", ",", 1234.5),
    ("-12", ",", -12.0),
    ("−3,5", ",", -3.5),
    (7, ",", 7.0),
    (7.25, ",", 7.25),
])
def test_parse_decimal(text, decimal, expected):
    assert parsing.parse_decimal(text, decimal) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["veel", "1.23.4", "12,34,5", "1..2", "", "1,2.3,4", "0x10",
                                  "612.45", "0.125"])
def test_parse_decimal_rejects(text):
    assert parsing.parse_decimal(text, ",") is parsing.INVALID


@pytest.mark.parametrize(("cells", "mark"), [
    (["1.200", "75", "50.000"], ","),  # dots before three digits: thousands
    (["1.000", "1200"], ","),  # the case of the issue, in a comma-separated file
    (["1,000", "2,500"], "."),
    (["612,45", "1.050"], ","),
    (["612.45", "1,050"], "."),
    (["0.125", "3"], "."),  # a leading 0 is no group of thousands
    (["12", "75"], ";"),  # no mark in any cell: the file's convention (here a marker)
])
def test_decimal_mark_is_decided_per_column(cells, mark):
    assert parsing.decimal_mark(cells, ";") == mark


@pytest.mark.parametrize(("cells", "value", "other", "both"), [
    (["612,45", "612.45"], "612,45", "612.45", True),
    (["612.45", "1.050"], "1.050", "612.45", False),
    (["1.000", "2,500"], "1.000", "2,500", False),
])
def test_decimal_mark_refuses_a_column_in_doubt(cells, value, other, both):
    assert parsing.decimal_mark(cells, ",") == parsing.MixedMarks(value, other, both)


@pytest.mark.parametrize(("text", "expected"), [("1.200", 1200), ("75", 75), (75.0, 75)])
def test_parse_integer(text, expected):
    assert parsing.parse_integer(text, ",") == expected


def test_parse_integer_rejects_fractions():
    assert parsing.parse_integer("1,5", ",") is parsing.INVALID


@pytest.mark.parametrize("text", ["05-03-2024", "2024-03-05", "05/03/2024", "5-3-2024",
                                  dt.datetime(2024, 3, 5, 13, 0), dt.date(2024, 3, 5)])
def test_parse_date(text):
    assert parsing.parse_date(text, ",") == pd.Timestamp(2024, 3, 5)


@pytest.mark.parametrize("text", ["03-13-2024", "2024-02-30", "maart 2024", 45000])
def test_parse_date_rejects(text):
    assert parsing.parse_date(text, ",") is parsing.INVALID


@pytest.mark.parametrize(("text", "code"), [
    ("GM0518", "GM0518"), ("gm0518", "GM0518"), ("'s-Gravenhage", "GM0518"),
    ("Den Haag", "GM0518"), ("s-gravenhage", "GM0518"), ("Rijswijk", "GM0603"),
    ("Rijswijk (ZH.)", "GM0603"), ("Súdwest-Fryslân", "GM1900"), ("sudwest fryslan", "GM1900"),
])
def test_gemeente_spellings_map_to_codes(text, code):
    assert parsing.parse_gemeente(text, ",") == code


@pytest.mark.parametrize("text", ["518", "0518", "14", 14.0])
def test_a_bare_number_is_no_gemeente(text):
    assert parsing.parse_gemeente(text, ",") == str(text).removesuffix(".0")


def test_codes_accept_code_or_label_in_any_case():
    parse = parsing.code_parser("toewijzingsroutes")
    assert parse("Urgentie", ",") == "urgentie"
    assert parse("Direct te huur", ",") == "direct_te_huur"
    assert parse("onbekend iets", ",") == "onbekend iets"


@pytest.mark.parametrize(("header", "normalised"), [
    ("Datum verhuring", "datum_verhuring"), (" Gemeente (code) ", "gemeente_code"),
    ("Herkomst-gemeente", "herkomst_gemeente"), ("Categorie urgentië", "categorie_urgentie"),
])
def test_normalise_header(header, normalised):
    assert normalise_header(header) == normalised


def test_apply_parser_reports_only_filled_unreadable_cells():
    cells = pd.Series(["1", "", None, "x", "2"], dtype=object)
    values, failing = parsing.apply_parser(cells, parsing.parse_integer, ",")
    assert values.dtype == "Int64"
    assert values.tolist() == [1, pd.NA, pd.NA, pd.NA, 2]
    assert failing.tolist() == [False, False, False, True, False]


@pytest.mark.parametrize(("parser", "cells", "dtype", "expected"), [
    (parsing.parse_text, [" a", "b ", "", None, "a"], "category", ["a", "b", None, None, "a"]),
    (parsing.parse_decimal, ["1,5", "2", None], "float64", [1.5, 2.0, None]),
    (parsing.parse_date, ["01-02-2023", "", "2023-02-01"], "datetime64",
     [pd.Timestamp(2023, 2, 1), None, pd.Timestamp(2023, 2, 1)]),
    (lambda value, decimal: 1 if value == "een" else value, ["een", "twee"], "object",
     [1, "twee"]),
    (parsing.parse_text, [None, ""], "object", [None, None]),
])
def test_parsed_values_come_in_the_narrowest_type(parser, cells, dtype, expected):
    """Text as categories, numbers and dates in their own types, a mix as objects; the same
    from categorical cells (how a plain CSV is read) as from cells of objects."""
    for raw in (pd.Series(cells, dtype=object), pd.Series(cells, dtype="category")):
        values, failing = parsing.apply_parser(raw, parser, ",")
        assert str(values.dtype).startswith(dtype)
        assert [None if pd.isna(v) else v for v in values] == expected
        assert not failing.any()


@pytest.mark.parametrize("odd", [None, "V9 ", " V9", "", "V\x00X", "\xa0V9", "V\u30009"])
def test_plain_text_categories_are_their_own_values(odd):
    """An id column read as categories: when every text is plain (no white space at an end, no
    control character, not empty) the cells are their own values, without a call per text;
    otherwise each text goes through the parser as from cells of objects."""
    texts = [f"V{i}" for i in range(50)] + ([odd] if odd is not None else [])
    categorical = pd.Series(texts * 2, dtype="category")
    values, failing = parsing.apply_parser(categorical, parsing.parse_text, ",")
    expected, expected_failing = parsing.apply_parser(categorical.astype(object),
                                                      parsing.parse_text, ",")
    assert [None if pd.isna(v) else v for v in values] == [
        None if pd.isna(v) else v for v in expected]
    assert failing.tolist() == expected_failing.tolist()
    inner_space_only = odd is None or odd == "V\u30009"  # white space inside a text is kept
    assert (values is categorical) == inner_space_only
