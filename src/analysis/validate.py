"""Check raw tables against their data contract and return typed frames plus every issue found.

All problems of all files are collected before anyone decides to stop, so a user fixes an export
in one go. Column checks run through pandera; duplicates, cross-column rules and completeness are
checked here because their messages need to point at more than one cell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis import codes, parsing
from analysis.config import RegionConfig
from analysis.contracts import (
    CONTRACTS,
    ORIGINAL_SUFFIX,
    PERSONAL_DATA_TOKENS,
    Column,
    Contract,
)
from analysis.issues import InputError, Issue
from analysis.readers import RawTable, known_headers, normalise_header, read_table

_PARSERS: dict[str, Callable[[object, str], object]] = {
    "tekst": parsing.parse_text,
    "geheel getal": parsing.parse_integer,
    "decimaal getal": parsing.parse_decimal,
    "datum": parsing.parse_date,
    "jaar": parsing.parse_year,
    "gemeente in regio": parsing.parse_gemeente,
    "herkomst": parsing.parse_herkomst,
    "wijkcode": parsing.parse_wijk,
}
_DUPLICATES_SHOWN = 3  # rows named per duplicated key; the others are counted
_DUPLICATE_KEYS_SHOWN = 100  # duplicated keys reported one by one; the others are counted
_NUMBERS = ("geheel getal", "decimaal getal", "jaar")  # kinds read with a decimal mark
_EXPECTED_FORMAT = {
    "tekst": "tekst",
    "geheel getal": "een geheel getal, zoals 1234 of 1.234",
    "decimaal getal": "een getal, zoals 612,45",
    "datum": "een datum als dd-mm-jjjj of jjjj-mm-dd",
    "jaar": "een jaartal van vier cijfers",
    "wijkcode": "een CBS-wijkcode als WK051801",
}


@dataclass(frozen=True)
class FileResult:
    """One input file: the facts for the manifest and its rows as read."""

    table: RawTable
    rows: int


@dataclass(frozen=True)
class SourceResult:
    contract: Contract
    frame: pd.DataFrame | None  # typed, canonical columns; None when there are errors
    files: tuple[FileResult, ...]
    issues: tuple[Issue, ...]

    @property
    def ok(self) -> bool:
        return not any(issue.is_error for issue in self.issues)


def _is_personal_data(header: str) -> bool:
    tokens = set(normalise_header(header).split("_"))
    return bool(tokens & PERSONAL_DATA_TOKENS) or normalise_header(header) in PERSONAL_DATA_TOKENS


def map_columns(table: RawTable, contract: Contract) -> tuple[dict[str, int], list[Issue]]:
    """Canonical column → position in the file; unknown columns are warnings (they are not
    carried into processed data), personal-data columns and missing columns are errors."""
    known = known_headers(contract)
    issues: list[Issue] = []
    positions: dict[str, int] = {}

    def issue(message: str, column: str | None, severity: str = "fout", expected=None) -> Issue:
        return Issue(table.name, message, row=table.header_row, column=column,
                     sheet=table.sheet, severity=severity, expected=expected)

    for position, header in enumerate(table.headers):
        canonical = known.get(normalise_header(header))
        if canonical is None:
            if not header:
                if table.cells[position].map(parsing.is_blank).all():
                    continue
                issues.append(issue(f"kolom {position + 1} heeft geen naam maar wel waarden",
                                    None))
            elif _is_personal_data(header):
                issues.append(issue(
                    "deze kolom lijkt persoonsgegevens te bevatten; de monitor verwerkt geen "
                    "persoonsgegevens — verwijder de kolom uit de export", header))
            else:
                issues.append(issue("onbekende kolom; wordt genegeerd", header, "waarschuwing",
                                    expected=", ".join(c.name for c in contract.columns)))
        elif canonical in positions:
            first = table.headers[positions[canonical]]
            issues.append(issue(f"kolom komt twee keer voor (ook als '{first}')", header))
        else:
            positions[canonical] = position
    for column in contract.columns:
        if column.required and column.name not in positions:
            names = " of ".join(f"'{n}'" for n in (column.name, *column.aliases[:3]))
            issues.append(issue(f"verplichte kolom '{column.name}' ontbreekt", None,
                                expected=f"een kolom {names}"))
    return positions, issues


def _parser_for(column: Column) -> Callable[[object, str], object]:
    if column.kind == "code":
        assert column.codelist is not None
        return parsing.code_parser(column.codelist)
    return _PARSERS[column.kind]


def _expected_text(column: Column, config: RegionConfig) -> str:
    if column.kind == "code":
        return "een van " + ", ".join(codes.codes(column.codelist))
    if column.kind == "gemeente in regio":
        return f"een CBS-gemeentecode als GM0518 of een gemeentenaam uit regio {config.naam}"
    if column.kind == "herkomst":
        return ("een CBS-gemeentecode als GM0518 of een gemeentenaam (ook van een sinds 2015 "
                "opgeheven gemeente), 'buitenland' of 'onbekend'")
    return _EXPECTED_FORMAT[column.kind]


def _period_bounds(column: Column, config: RegionConfig) -> tuple[object, object, str]:
    if column.kind == "datum":
        return (pd.Timestamp(config.jaar_van, 1, 1), pd.Timestamp(config.jaar_tot_en_met, 12, 31),
                f"een datum van 1-1-{config.jaar_van} tot en met 31-12-{config.jaar_tot_en_met}")
    return (config.jaar_van, config.jaar_tot_en_met,
            f"een jaar van {config.jaar_van} tot en met {config.jaar_tot_en_met}")


def _checks(column: Column, config: RegionConfig) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if column.kind == "code":
        checks.append(pa.Check.isin(codes.codes(column.codelist),
                                    error="onbekende code|" + _expected_text(column, config)))
    if column.kind in ("gemeente in regio", "herkomst"):
        known = set(codes.codes("gemeenten"))
        if column.kind == "herkomst":
            known |= set(codes.codes("herkomst_bijzonder")) | set(codes.successors())
        checks.append(pa.Check.isin(sorted(known), error="onbekende gemeente|"
                                    + _expected_text(column, config)))
    if column.kind == "gemeente in regio":
        region, every = set(config.gemeenten), set(codes.codes("gemeenten"))
        checks.append(pa.Check(lambda s: ~(s.isin(every) & ~s.isin(region)),
                               error=f"deze gemeente hoort niet bij regio {config.naam}|"
                                     f"een van {', '.join(config.gemeenten)}"))
    if column.kind == "wijkcode":
        checks.append(pa.Check.str_matches(r"^WK\d{6}$", error="ongeldige wijkcode|"
                                           + _EXPECTED_FORMAT["wijkcode"]))
    if column.minimum is not None:
        checks.append(pa.Check.ge(column.minimum, error=f"waarde is kleiner dan {column.minimum:g}"
                                                        f"|minimaal {column.minimum:g}"))
    if column.maximum is not None:
        checks.append(pa.Check.le(column.maximum, error=f"waarde is groter dan {column.maximum:g}"
                                                        f"|maximaal {column.maximum:g}"))
    if column.in_period:
        low, high, text = _period_bounds(column, config)
        checks.append(pa.Check.in_range(low, high, error="valt buiten de monitorperiode|" + text))
    return checks


def _schema(contract: Contract, config: RegionConfig, absent: set[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {column.name: pa.Column(None, _checks(column, config), nullable=column.nullable)
         for column in contract.columns if column.name not in absent},
    )


def _mixed_marks_issue(table: RawTable, cells: pd.Series, header: str,
                       mixed: parsing.MixedMarks) -> Issue:
    """One issue for a number column whose decimal mark the file leaves open, at the first row
    of `mixed.value`, naming the first row of `mixed.other` as well."""
    def position(value: str) -> int:
        return int(cells.eq(value).to_numpy().argmax())

    def place(value: str) -> str:
        row, sheet = table.row_numbers[position(value)], table.row_sheets[position(value)]
        return f"blad '{sheet}', rij {row}" if sheet else f"regel {row}"

    other = f"'{mixed.other}' op {place(mixed.other)}"
    if mixed.both_decimal:
        message = f"de kolom gebruikt zowel de komma als de punt als decimaalteken (ook {other})"
    else:
        message = ("de waarde kan een duizendtal of een decimaal getal zijn, en de kolom maakt "
                   f"niet duidelijk welk (zie ook {other})")
    return Issue(table.name, message, row=table.row_numbers[position(mixed.value)],
                 column=header, value=mixed.value,
                 sheet=table.row_sheets[position(mixed.value)],
                 expected="in de hele kolom één schrijfwijze: 1.234,5 of "
                                             "1234,5 (decimale komma), 1,234.5 of 1234.5 "
                                             "(decimale punt)")


def _typed_frame(table: RawTable, contract: Contract, positions: dict[str, int],
                 config: RegionConfig) -> tuple[pd.DataFrame, list[Issue]]:
    """Parse every contract column; absent optional columns, and number columns whose decimal
    mark is in doubt (one issue), become empty."""
    issues: list[Issue] = []
    typed = {}
    rows = len(table.cells)

    def empty(column: Column) -> pd.Series:
        """No values, as the parsed ones would be: numbers compare with numbers in the row
        rules."""
        if column.kind in _NUMBERS:
            return pd.Series(np.nan, index=range(rows))
        return pd.Series([None] * rows, dtype=object)

    for column in contract.columns:
        if column.name not in positions:
            typed[column.name] = empty(column)
            continue
        cells = table.cells[positions[column.name]]
        header = table.headers[positions[column.name]]
        decimal = table.decimal
        if column.kind in _NUMBERS:
            decimal = parsing.decimal_mark(cells.unique(), table.decimal)
            if isinstance(decimal, parsing.MixedMarks):
                issues.append(_mixed_marks_issue(table, cells, header, decimal))
                typed[column.name] = empty(column)
                continue
        values, failing = parsing.apply_parser(cells, _parser_for(column), decimal)
        for index in failing.index[failing]:
            control = parsing.control_character(cells[index])
            message = ("waarde kan niet worden gelezen" if control is None else
                       f"de waarde bevat een onzichtbaar stuurteken ({control}), zoals een "
                       "regelovergang of NUL-teken")
            issues.append(Issue(table.name, message, row=table.row_numbers[index],
                                column=header, value=parsing.visible(str(cells[index])),
                                sheet=table.row_sheets[index],
                                expected=_expected_text(column, config)))
        # No value read at all has no type of its own: empty as an absent column.
        typed[column.name] = empty(column) if values.isna().all() else values
    return pd.DataFrame(typed), issues


@dataclass(frozen=True)
class _Located:
    """Typed rows of all files of one source, with where each row came from."""

    frame: pd.DataFrame
    origin: pd.DataFrame  # per row: file, sheet, row
    headers: dict[tuple[str, str], str]  # (file, canonical column) → header as written

    def place(self, index: int) -> str:
        """'file row' (or 'file, blad S, row') of a row, to name it inside another row's
        message."""
        sheet = self.origin.at[index, "sheet"]
        where = f", blad '{sheet}'," if sheet else ""
        return f"{self.origin.at[index, 'file']}{where} {self.origin.at[index, 'row']}"

    def issue(self, index: int, column: str | None, message: str, value=None,
              expected: str | None = None) -> Issue:
        # Cell by cell (`at`), not the row (`loc`): a file can hold a million failing rows.
        file = self.origin.at[index, "file"]
        header = None if column is None else self.headers.get((file, column), column)
        return Issue(file, message, row=int(self.origin.at[index, "row"]), column=header,
                     value=None if value is None else str(value), expected=expected,
                     sheet=self.origin.at[index, "sheet"])


def _schema_issues(located: _Located, raw: pd.DataFrame, schema: pa.DataFrameSchema
                   ) -> list[Issue]:
    try:
        schema.validate(located.frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        issues = []
        for case in exc.failure_cases.itertuples(index=False):
            if case.index is None or pd.isna(case.index):
                continue
            index = int(case.index)
            if case.check == "not_nullable" and not parsing.is_blank(raw.at[index, case.column]):
                continue  # filled but unreadable: already reported by the parser
            if case.check == "not_nullable":
                message, expected = "verplichte waarde ontbreekt", None
            else:
                message, _, expected = str(case.check).partition("|")
            issues.append(located.issue(index, case.column, message,
                                        value=raw.at[index, case.column], expected=expected))
        return issues
    return []


def _duplicate_issues(located: _Located, contract: Contract) -> list[Issue]:
    """Per duplicated key its first few rows, each naming the others and counting the rest; after
    the first hundred keys one issue counts the remaining keys. Linear in the rows: 10.000
    copies of one row give three issues, not 10.000 messages naming 10.000 places each."""
    key = list(contract.key)
    keys = located.frame[key]
    # A key with an empty part is already reported as missing; as a duplicate it is noise.
    keys = keys[keys.notna().all(axis=1)]
    repeated = keys[keys.duplicated(keep=False)]
    groups = list(repeated.groupby(key, sort=False).indices.values())
    expected = f"elke combinatie van {', '.join(key)} één keer"
    issues = []
    for positions in groups[:_DUPLICATE_KEYS_SHOWN]:
        shown = repeated.index[positions[:_DUPLICATES_SHOWN]]
        values = ", ".join(f"{k}={repeated.at[shown[0], k]}" for k in key)
        rest = len(positions) - len(shown)
        more = f" en nog {rest} andere rijen (samen {len(positions)} keer)" if rest else ""
        for index in shown:
            others = ", ".join(located.place(i) for i in shown if i != index)
            issues.append(located.issue(index, key[0], f"dubbele sleutel ({values}); ook op "
                                                       f"{others}{more}", expected=expected))
    hidden = groups[_DUPLICATE_KEYS_SHOWN:]
    if hidden:
        rows = sum(len(positions) for positions in hidden)
        issues.append(located.issue(repeated.index[hidden[0][0]], key[0],
                                    f"dubbele sleutel: nog {len(hidden)} andere sleutels komen "
                                    f"meer dan eens voor ({rows} rijen), niet elk apart gemeld",
                                    expected=expected))
    return issues


def _rule_issues(located: _Located, raw: pd.DataFrame, contract: Contract) -> list[Issue]:
    issues = []
    for rule in contract.rules:
        failing = rule.failing(located.frame).fillna(False).astype(bool)
        for index in located.frame.index[failing]:
            value = raw.at[index, rule.column]
            issues.append(located.issue(index, rule.column, rule.message,
                                        value=None if parsing.is_blank(value) else value,
                                        expected=rule.expected))
    return issues


def _completeness_issues(located: _Located, contract: Contract, config: RegionConfig,
                         files: Sequence[str]) -> list[Issue]:
    if contract.complete_per:
        return _complete_per_issues(located.frame, contract, config, files)
    if not contract.complete_over:
        return []
    present = set(located.frame[["gemeente", "jaar"]].itertuples(index=False, name=None))
    names = codes.labels("gemeenten")
    issues = []
    for gemeente in config.gemeenten:
        for jaar in config.jaren:
            if (gemeente, jaar) not in present:
                issues.append(Issue(", ".join(files),
                                    f"rij ontbreekt voor gemeente {gemeente} ({names[gemeente]}),"
                                    f" jaar {jaar}",
                                    expected="elke gemeente van de regio in elk jaar van de "
                                             "monitorperiode"))
    return issues


def _complete_per_issues(frame: pd.DataFrame, contract: Contract, config: RegionConfig,
                         files: Sequence[str]) -> list[Issue]:
    """Every gemeente of the region in each delivered combination of the contract's
    `complete_per` columns (without one, the region's figure for it would silently be too low).
    A combination with a value out of bounds is already an error, not a combination."""
    columns = contract.complete_per
    names = codes.labels("gemeenten")
    present = set(frame[["gemeente", *columns]].itertuples(index=False, name=None))
    valid = frame[list(columns)].dropna()
    for name in columns:
        low, high = contract.column(name).minimum, contract.column(name).maximum
        valid = valid[valid[name].between(-np.inf if low is None else low,
                                          np.inf if high is None else high)]
    delivered = sorted(set(valid.itertuples(index=False, name=None)))
    expected = ("elke gemeente van de regio in elke combinatie van "
                f"{' en '.join(columns)} die het bestand bevat")
    return [Issue(", ".join(files),
                  f"rij ontbreekt voor gemeente {gemeente} ({names[gemeente]}), "
                  + ", ".join(f"{column} {value}" for column, value in zip(columns, combination,
                                                                          strict=True)),
                  expected=expected)
            for combination in delivered for gemeente in config.gemeenten
            if (gemeente, *combination) not in present]


def _successor(code: str) -> str:
    return codes.successors().get(code, code)


def _final_dtypes(frame: pd.DataFrame, contract: Contract, config: RegionConfig) -> pd.DataFrame:
    """Typed columns for Parquet: codes as categoricals in code-list order."""
    out = {}
    for column in contract.columns:
        values = frame[column.name]
        if column.kind == "code":
            out[column.name] = pd.Categorical(values, categories=codes.codes(column.codelist))
        elif column.kind == "gemeente in regio":
            out[column.name] = pd.Categorical(values, categories=list(config.gemeenten))
        elif column.kind == "herkomst":
            # A gemeente dissolved since 2015 counts as its successor (inside or outside the
            # region as that one is); the code as delivered is kept next to it.
            special = codes.codes("herkomst_bijzonder")
            current = values.map(_successor, na_action="ignore")  # per category
            out[column.name] = pd.Categorical(current, categories=[*codes.codes("gemeenten"),
                                                                   *special])
            out[column.name + ORIGINAL_SUFFIX] = pd.Categorical(
                values, categories=[*codes.codes("gemeenten"), *codes.successors(), *special])
        elif column.kind == "wijkcode":
            out[column.name] = pd.Categorical(values, categories=sorted(values.dropna().unique()))
        elif column.kind == "tekst":
            out[column.name] = values.astype("string")
        elif column.kind == "datum":
            out[column.name] = pd.to_datetime(values).astype("datetime64[ms]")
        elif column.kind in ("geheel getal", "jaar"):
            out[column.name] = values.astype("Int64" if column.nullable else "int64")
        else:
            out[column.name] = values.astype("float64")
    typed = pd.DataFrame(out)
    return typed.sort_values(list(contract.key), kind="stable").reset_index(drop=True)


def validate_source(contract: Contract, paths: Sequence[Path], config: RegionConfig
                    ) -> SourceResult:
    """Read, type and check all files of one source; the frame is None when anything failed."""
    issues: list[Issue] = []
    files: list[FileResult] = []
    frames, raws, origins = [], [], []
    headers: dict[tuple[str, str], str] = {}
    absent: set[str] = set()  # required columns missing from a file: reported once, not per row
    for path in paths:
        try:
            table = read_table(path, contract)
        except InputError as exc:
            issues.extend(exc.issues)
            continue
        issues.extend(table.issues)
        positions, column_issues = map_columns(table, contract)
        issues.extend(column_issues)
        absent |= {c.name for c in contract.columns if c.required and c.name not in positions}
        if table.cells.empty:
            issues.append(Issue(table.name, "het bestand bevat geen gegevensrijen onder de "
                                            "kopregel", sheet=table.sheet))
        frame, parse_issues = _typed_frame(table, contract, positions, config)
        issues.extend(parse_issues)
        files.append(FileResult(table, len(frame)))
        raw = pd.DataFrame({name: table.cells[position] for name, position in positions.items()})
        frames.append(frame)
        raws.append(raw.reindex(columns=[c.name for c in contract.columns]))
        origins.append(pd.DataFrame({"file": table.name, "sheet": list(table.row_sheets),
                                     "row": list(table.row_numbers)}, dtype=object))
        headers.update({(table.name, name): table.headers[position]
                        for name, position in positions.items()})
    if not paths and contract.required:
        patterns = " of ".join(f"{p}.csv/.xlsx" for p in contract.file_patterns)
        issues.append(Issue("(map)", f"geen bestand gevonden voor bron '{contract.title}'",
                            expected=f"een bestand met een naam als {patterns}"))
    if frames:
        frame = pd.concat(frames, ignore_index=True)
        raw = pd.concat(raws, ignore_index=True)
        located = _Located(frame, pd.concat(origins, ignore_index=True), headers)
        issues.extend(_schema_issues(located, raw, _schema(contract, config, absent)))
        if not absent:
            issues.extend(_duplicate_issues(located, contract))
            issues.extend(_rule_issues(located, raw, contract))
            issues.extend(_completeness_issues(located, contract, config,
                                               [f.table.name for f in files]))
    errors = any(issue.is_error for issue in issues)
    typed = None if errors or not frames else _final_dtypes(frame, contract, config)
    return SourceResult(contract, typed, tuple(files), tuple(sorted(issues, key=Issue.sort_key)))


def contract_for_file(path: Path) -> Contract | None:
    """The contract whose file-name pattern matches `path`, if any."""
    from fnmatch import fnmatch

    name = path.name.lower()
    stem = path.stem.lower()
    for contract in CONTRACTS:
        if any(fnmatch(name, pattern) or fnmatch(stem, pattern)
               for pattern in contract.file_patterns):
            return contract
    return None
