"""Each tidy table declared once: its columns in output order, their dtypes,
nullability, checks and messages, its key and its value column; and the bounds
of each kind of figure (``MEASURES``). Everything else is derived from here:
``tidy`` (empty frames, dtypes, keys, value columns), the pandera schemas, the
results template's data validation (``template``). Display labels of the
columns are data, in ``reference/column_labels.csv`` (a test checks that every
declared column has one).

``validate_table`` first evaluates the declared checks with pandas alone; only
when one of them fails (or cannot be evaluated) does it import pandera and
validate with the schema built from ``TABLES``, whose failure cases become the
findings. Both paths read the same rule list (``Rule``, ``FrameCheck``); a test
proves they decide alike on every rule. Importing and running pandera on a
valid workbook makes ``ntm-analysis validate`` take 2.1 times as long as
importing pandas and openpyxl (0.70 s against 0.33 s; with the fast path 0.46 s,
1.4 times: hyperfine, 15 runs, plan 05), beyond the 1.5 times allowed, hence the fast path.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

import pandas as pd

from ..findings import Findings
from ..i18n import N_, _, value_text
from ..reference import load_reference, period_label

#: The English text of each check (as pandera reports it) -> its message id and the
#: values of its placeholders, so that a failure is reported in the analyst's language.
_MESSAGES: dict[str, tuple[str, dict[str, object]]] = {}


def _msg(message_id: str, **values: object) -> str:
    """A check's message: the English text given to pandera, registered with its id."""
    text = message_id.format(**values)
    _MESSAGES[text] = (message_id, values)
    return text


def check_message(text: str) -> str:
    """A check's message (as pandera reports it) in the current language; a text
    this module did not write (pandera's own) as it is."""
    known = _MESSAGES.get(text)
    if known is None:
        return text
    message_id, values = known
    return _(message_id).format(**values)

STATUS = ["actual", "target"]


@dataclass(frozen=True)
class Rule:
    """A built-in pandera column check (``pa.Check.<kind>(*args, error=...)``)."""

    kind: str  # in_range | isin | ge | gt | str_matches
    args: tuple
    error: str | None = None

    def holds(self, s: pd.Series) -> pd.Series:
        """The check evaluated as pandera's pandas backend evaluates it."""
        if self.kind == "in_range":
            return (self.args[0] <= s) & (self.args[1] >= s)
        if self.kind == "isin":
            return s.isin(self.args[0])
        if self.kind == "ge":
            return s >= self.args[0]
        if self.kind == "gt":
            return s > self.args[0]
        if self.kind == "str_matches":
            return s.str.match(self.args[0], na=False)
        raise ValueError(f"unknown check kind {self.kind!r}")

    def to_pandera(self, pa: Any) -> Any:
        make = getattr(pa.Check, self.kind)
        return make(*self.args, error=self.error) if self.error else make(*self.args)


@dataclass(frozen=True)
class Col:
    dtype: str
    rules: tuple[Rule, ...] = ()
    nullable: bool = False


@dataclass(frozen=True)
class FrameCheck:
    """A table-wide check: ``fn(frame)`` gives one boolean per row."""

    fn: Callable[[pd.DataFrame], pd.Series]
    error: str


@dataclass(frozen=True)
class Table:
    """One tidy table: ``columns`` in output order (provenance columns follow, see
    ``tidy.PROVENANCE``); ``keys`` identify one figure; ``value`` holds it."""

    columns: dict[str, Col]
    keys: tuple[str, ...]
    value: str
    checks: tuple[FrameCheck, ...] = field(default_factory=tuple)
    trailing: dict[str, Col] = field(default_factory=dict)  # columns after the provenance columns
    #: An analysis of the tidy tables (``province_overview``), not read from a source: its
    #: ``source_id`` and ``cell`` list the sources and cells of the figures it is computed from.
    derived: bool = False


@dataclass(frozen=True)
class Measure:
    """What one kind of figure may be: ``low`` ≤ value ≤ ``high`` (``None``: no upper
    bound, or for communes the communes of the area), whole or not. Names are those of
    the ``rule`` column of ``reference/results_template.csv``."""

    low: float
    high: float | None
    whole: bool


#: The national criteria sets have 19 criteria (QĐ 1980/QĐ-TTg, QĐ 318/QĐ-TTg).
CRITERIA = 19
MEASURES: dict[str, Measure] = {
    "communes": Measure(0, None, True),  # up to the communes of the province or district
    "average_criteria": Measure(0, CRITERIA, False),  # criteria per commune
    "percent": Measure(0, 100, False),  # %
    "count": Measure(0, None, True),  # workers
    "amount": Measure(0, None, False),  # million VND
}


def _col(dtype: str, *rules: Rule, nullable: bool = False) -> Col:
    return Col(dtype, rules, nullable)


#: Every table starts with its province (GSO code): two provinces' figures never conflict.
_PROVINCE = _col("str", Rule("str_matches", (r"^\d{2}$",), _msg(N_("province codes are 2-digit GSO codes"))))
_YEARS = (1990, 2100)
_YEAR = _col("int64", Rule("in_range", _YEARS, _msg(N_("the year must be between {low} and {high}"),
                                                   low=_YEARS[0], high=_YEARS[1])))
_YEAR_OR_BLANK = _col("Int64", Rule("in_range", _YEARS, _msg(N_("a year between {low} and {high}"), low=_YEARS[0],
                                                            high=_YEARS[1])), nullable=True)
_CRITERIA_RANGE = (0, CRITERIA)
_CRITERION_ID = _col("int64", Rule("in_range", (1, CRITERIA), _msg(N_("criteria are numbered 1 to {n}"), n=CRITERIA)))
_BAND_BOUND = _col("int64", Rule("in_range", _CRITERIA_RANGE, _msg(N_("bands run from 0 to {n} criteria"), n=CRITERIA)))
_COMMUNE_CODE = _col("str", Rule("str_matches", (r"^\d{5}$",), _msg(N_("commune codes are 5-digit GSO codes"))))
_UNITS = _col("str", Rule("isin", (("2021", "2025"),), _msg(N_("units must be '2021' or '2025'"))))
_STATUS = _col("str", Rule("isin", (STATUS,), _msg(N_("status must be 'actual' or 'target'"))))
_AVERAGE = MEASURES["average_criteria"]
_PERCENT = MEASURES["percent"]
_COMMUNES = _col("Int64", Rule("ge", (MEASURES["communes"].low,), _msg(N_("a number of communes cannot be negative"))),
                 nullable=True)
_AVERAGE_CHECK = FrameCheck(
    lambda d: (d.indicator != "avg_criteria") | d.value.isna() | (d.value <= _AVERAGE.high),
    _msg(N_("the average number of criteria must be between {low} and {high}"), low=_AVERAGE.low,
         high=_AVERAGE.high))
_VALUE = _col("float64", Rule("ge", (0,), _msg(N_("the value cannot be negative"))), nullable=True)
_PERCENT_COL = _col("float64", Rule("in_range", (_PERCENT.low, _PERCENT.high),
                                    _msg(N_("a percentage must be between {low} and {high}"), low=_PERCENT.low,
                                         high=_PERCENT.high)), nullable=True)

TABLES: dict[str, Table] = {
    "criteria": Table(
        {
            "province_code": _PROVINCE,
            "units": _UNITS,
            "year": _YEAR,
            "status": _STATUS,
            "criteria_set": _col("str", Rule("isin", (["2016-2020", "2021-2025"],),
                                             _msg(N_("unknown criteria set")))),
            "criterion_id": _CRITERION_ID,
            "criterion": _col("str"),
            "group": _col("str"),
            "communes": _COMMUNES,
            "total_communes": _col(
                "Int64", Rule("gt", (0,), _msg(N_("the total number of communes must be above zero"))), nullable=True
            ),
            "share": _col("float64", Rule("in_range", (0, 1), _msg(N_("a share must be between 0 and 1"))),
                          nullable=True),
        },
        ("province_code", "units", "year", "status", "criterion_id"),
        "communes",
        (
            FrameCheck(
                lambda d: d.communes.isna() | d.total_communes.isna() | (d.communes <= d.total_communes).fillna(True),
                _msg(N_("more communes meet the criterion than there are communes")),
            ),
        ),
    ),
    "commune_bands": Table(
        {
            "province_code": _PROVINCE,
            "units": _UNITS,
            "year": _YEAR,
            "status": _STATUS,
            "band": _col("str"),
            "min_criteria": _BAND_BOUND,
            "max_criteria": _BAND_BOUND,
            "communes": _COMMUNES,
        },
        ("province_code", "units", "year", "status", "band"),
        "communes",
        (FrameCheck(lambda d: d.min_criteria <= d.max_criteria,
                    _msg(N_("a band's lower bound is above its upper bound"))),),
    ),
    "province": Table(
        {
            "province_code": _PROVINCE,
            "units": _UNITS,
            "year": _YEAR,
            "status": _STATUS,
            "indicator": _col("str"),
            "value": _VALUE,
            "unit": _col("str"),
        },
        ("province_code", "units", "year", "status", "indicator"),
        "value",
        (
            _AVERAGE_CHECK,
            FrameCheck(
                lambda d: (d.unit != "communes") | d.value.isna() | (d.value % 1 == 0),
                _msg(N_("a number of communes must be a whole number")),
            ),
        ),
    ),
    "districts": Table(
        {
            "province_code": _PROVINCE,
            "units": _UNITS,
            "year": _YEAR,
            "status": _STATUS,
            # a province (2 digits), a district (3) or, in a plan of the 2025 units, a commune (5)
            "area_code": _col("str", Rule("str_matches", (r"^([0-9A-Za-z]{2,3}|\d{5})$",),
                                          _msg(N_("area codes are GSO codes")))),
            "area": _col("str"),
            "indicator": _col("str"),
            "value": _VALUE,
            "unit": _col("str"),
        },
        ("province_code", "units", "year", "status", "area_code", "indicator"),
        "value",
        (
            FrameCheck(
                lambda d: (d.unit != "%") | d.value.isna() | (d.value <= _PERCENT.high),
                _msg(N_("a percentage cannot be above {high}"), high=_PERCENT.high),
            ),
            _AVERAGE_CHECK,
            FrameCheck(
                lambda d: ~d.unit.isin(["communes", "workers"]) | d.value.isna() | (d.value % 1 == 0),
                _msg(N_("a count must be a whole number")),
            ),
        ),
    ),
    "funding": Table(
        {
            "province_code": _PROVINCE,
            "units": _UNITS,
            "year": _YEAR,
            "status": _STATUS,
            "code": _col("str"),
            "parent_code": _col("str", nullable=True),
            "level": _col("int64", Rule("ge", (0,))),
            "source": _col("str"),
            "amount_million_vnd": _col(
                "float64", Rule("ge", (MEASURES["amount"].low,), _msg(N_("an amount cannot be negative"))),
                nullable=True
            ),
            "is_leaf": _col("bool"),
            "share_of_total": _col("float64", nullable=True),
        },
        ("province_code", "units", "year", "status", "code"),
        "amount_million_vnd",
    ),
    # targets stated in the plan's text (cell = the paragraph; quote = the phrase, at most 200 characters)
    "narrative_targets": Table(
        {
            "province_code": _col("str", nullable=True),
            "units": _UNITS,
            "year": _col("Int64", nullable=True),
            "status": _col("str"),
            "indicator": _col("str"),
            "criterion_id": _col("Int64", nullable=True),
            "value": _col("float64", nullable=True),
            "value_max": _col("float64", nullable=True),
            "unit": _col("str"),
        },
        ("province_code", "units", "year", "status", "indicator", "criterion_id"),
        "value",
        trailing={"quote": _col("str")},
    ),
    # communes the text names as targets, matched to the GSO gazetteer (match: exact | near | none)
    "target_communes": Table(
        {
            "province_code": _col("str", nullable=True),
            "units": _UNITS,
            "year": _col("Int64", nullable=True),
            "commune_as_written": _col("str"),
            "district_code": _col("str", nullable=True),
            "commune_code": _col("str", nullable=True),
            "commune": _col("str", nullable=True),
            "match": _col("str"),
        },
        ("province_code", "units", "year", "district_code", "commune_as_written"),
        "commune_code",
    ),
    # commune level: one row per commune, criterion and period (criterion_met blank = not assessed)
    # units: the unit system of the codes (2021: the GSO list of 2021, with districts; 2025: from
    # 1 July 2025, no district); criteria_set: the national set the marks use (19 or 10 criteria)
    "commune_criteria": Table(
        {
            "province_code": _PROVINCE,
            "units": _UNITS,
            "year": _YEAR,
            "status": _STATUS,
            "criteria_set": _col("str"),
            "commune_code": _COMMUNE_CODE,
            "commune": _col("str"),
            "district_code": _col("str", Rule("str_matches", (r"^\d{3}$",),
                                              _msg(N_("district codes are 3-digit GSO codes"))), nullable=True),
            "criterion_id": _CRITERION_ID,
            "criterion_met": _col("boolean", nullable=True),
        },
        ("province_code", "units", "year", "status", "commune_code", "criterion_id"),
        "criterion_met",
    ),
    "commune_years": Table(
        {
            "province_code": _PROVINCE,
            "units": _UNITS,
            "year": _YEAR,
            "status": _STATUS,
            "commune_code": _COMMUNE_CODE,
            "recognised_year": _YEAR_OR_BLANK,
            "planned_year": _YEAR_OR_BLANK,
        },
        ("province_code", "units", "year", "status", "commune_code"),
        "recognised_year",
    ),
    # one row per province and period, computed from criteria, province and funding (analysis.provinces)
    "province_overview": Table(
        {
            "province_code": _PROVINCE,
            "units": _UNITS,
            "year": _YEAR,
            "status": _STATUS,
            "total_communes": _col(
                "Int64", Rule("gt", (0,), _msg(N_("the total number of communes must be above zero"))), nullable=True
            ),
            "ntm_communes": _COMMUNES,
            "ntm_share_pct": _PERCENT_COL,
            "avg_criteria": _col("float64", Rule("in_range", (_AVERAGE.low, _AVERAGE.high), _AVERAGE_CHECK.error),
                                 nullable=True),
            "binding_criteria": _col("str", nullable=True),
            "ceiling": _COMMUNES,
            "funding_million_vnd": _col(
                "float64", Rule("ge", (MEASURES["amount"].low,), _msg(N_("an amount cannot be negative"))),
                nullable=True),
            "central_share_pct": _PERCENT_COL,
        },
        ("province_code", "units", "year", "status"),
        "ntm_share_pct",
        derived=True,
    ),
}

#: The tables read from sources (every table of ``TABLES`` but the derived ones).
SOURCE_TABLES: tuple[str, ...] = tuple(name for name, table in TABLES.items() if not table.derived)

#: The pandas dtype a column must have for the fast path to pass it (the dtypes
#: ``tidy.frame_from_rows`` produces; tests check that pandera accepts each).
FAST_DTYPES = {
    name: pd.Series([], dtype=name).dtype for name in ("int64", "Int64", "float64", "bool", "boolean", "str")
}


@lru_cache(maxsize=None)
def pandera_schema(name: str) -> Any:
    """The pandera ``DataFrameSchema`` of table ``name``, built from ``TABLES``."""
    import pandera.pandas as pa  # noqa: PLC0415  (only when a table fails the fast checks)

    spec = TABLES[name]
    columns = {
        col: pa.Column(c.dtype, [r.to_pandera(pa) for r in c.rules], nullable=c.nullable)
        for col, c in spec.columns.items()
    }
    return pa.DataFrameSchema(columns, checks=[pa.Check(k.fn, error=k.error) for k in spec.checks])


def __getattr__(name: str) -> Any:
    if name == "SCHEMAS":  # the pandera schemas, as before (imports pandera)
        return {table: pandera_schema(table) for table in TABLES}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _all_true(result: object) -> bool:
    return isinstance(result, pd.Series) and not result.isna().any() and bool(result.all())


def passes_fast(name: str, frame: pd.DataFrame) -> bool:
    """True when every column and check of table ``name`` holds for ``frame``,
    evaluated with pandas alone, as pandera evaluates it (nulls of a column are
    dropped before its checks, as pandera's ``ignore_na`` does). False means
    "not sure": a failure, or anything unexpected; pandera then decides."""
    spec = TABLES[name]
    try:
        if frame.columns.has_duplicates:
            return False
        for col, c in spec.columns.items():
            if col not in frame.columns:
                return False
            s = frame[col]
            if s.dtype != FAST_DTYPES[c.dtype]:
                return False
            if s.hasnans:
                if not c.nullable:
                    return False
                s = s.dropna()
            if not all(_all_true(rule.holds(s)) for rule in c.rules):
                return False
        return all(_all_true(check.fn(frame)) for check in spec.checks)
    except Exception:  # noqa: BLE001  (pandera reports whatever this was)
        return False


def validate_table(name: str, frame: pd.DataFrame, findings: Findings, file: str = "") -> None:
    """Validate one tidy table lazily; add one error finding per failing cell."""
    if frame.empty:
        return
    if passes_fast(name, frame):  # pandera would find nothing: spare its import and its run
        return
    from pandera.errors import SchemaErrors  # noqa: PLC0415

    try:
        pandera_schema(name).validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        seen: set[tuple] = set()
        for case in cases.itertuples(index=False):
            index = case.index
            if index is None or pd.isna(index) or int(index) not in frame.index:
                findings.add("error", "schema", _("table {table}: {problem}").format(
                    table=name, problem=check_message(str(case.check))), file=file)
                continue
            row = frame.loc[int(index)]
            if (int(index), case.check) in seen:
                continue
            seen.add((int(index), case.check))
            sheet, _sep, cell = str(row.get("cell", "")).rpartition("!")
            label = _row_label(name, row)
            value = row.get(TABLES[name].value)
            findings.add("error", "schema", _("{what} = {value}: {problem}").format(
                what=label, value=value_text(value), problem=check_message(str(case.check))),
                file=file, sheet=sheet, cell=cell)


def _row_label(name: str, row: pd.Series) -> str:
    """What a failing row is, in words ("tiêu chí số 5, 2021 (kế hoạch)")."""
    if name == "target_communes":  # no status: the commune as the text writes it
        return str(row.commune_as_written)
    period = period_label(row.year, row.status) if pd.notna(row.year) else ""
    if name == "criteria":
        return _("criterion {criterion}, {period}").format(criterion=row.criterion_id, period=period)
    if name == "commune_bands":
        return _("band {band} criteria, {period}").format(band=row.band, period=period)
    if name == "districts":
        return f"{row.area}, {load_reference().indicator_label(row.indicator)}, {period}"
    if name == "funding":
        return _("funding '{source}', {period}").format(source=row.source, period=period)
    if name in ("commune_criteria", "commune_years"):
        return _("commune {commune}, {period}").format(commune=row.commune_code, period=period)
    if name == "province_overview":
        return _("province {province}, {period}").format(province=row.province_code, period=period)
    return f"{load_reference().indicator_label(row.indicator)}, {period}"
