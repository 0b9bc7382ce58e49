"""One pandera schema per tidy table, validated lazily; failures become
findings that name the cell and say in plain words what is wrong."""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from .findings import Findings

STATUS = ["actual", "target"]


def _col(dtype: str, *checks: pa.Check, nullable: bool = False) -> pa.Column:
    return pa.Column(dtype, list(checks), nullable=nullable)


def _integral(column: str, what: str) -> pa.Check:
    return pa.Check(lambda d: d[column].isna() | (d[column] % 1 == 0),
                    error=f"{what} must be a whole number")


_YEAR = _col("int64", pa.Check.in_range(1990, 2100, error="the year must be between 1990 and 2100"))
_STATUS = _col("str", pa.Check.isin(STATUS, error="status must be 'actual' or 'target'"))
_NOT_NEGATIVE = "cannot be negative"

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "criteria": pa.DataFrameSchema({
        "year": _YEAR, "status": _STATUS,
        "criteria_set": _col("str", pa.Check.isin(["2016-2020", "2021-2025"],
                                                  error="unknown criteria set")),
        "criterion_id": _col("int64", pa.Check.in_range(1, 19, error="criteria are numbered 1 to 19")),
        "criterion": _col("str"), "group": _col("str"),
        "communes": _col("Int64", pa.Check.ge(0, error=f"a number of communes {_NOT_NEGATIVE}"),
                         nullable=True),
        "total_communes": _col("Int64", pa.Check.gt(0, error="the total number of communes must be "
                                                             "above zero"), nullable=True),
        "share": _col("float64", pa.Check.in_range(0, 1, error="a share must be between 0 and 1"),
                      nullable=True),
    }, checks=[pa.Check(lambda d: d.communes.isna() | d.total_communes.isna()
                        | (d.communes <= d.total_communes).fillna(True),
                        error="more communes meet the criterion than there are communes")]),
    "commune_bands": pa.DataFrameSchema({
        "year": _YEAR, "status": _STATUS, "band": _col("str"),
        "min_criteria": _col("int64", pa.Check.in_range(0, 19, error="bands run from 0 to 19 criteria")),
        "max_criteria": _col("int64", pa.Check.in_range(0, 19, error="bands run from 0 to 19 criteria")),
        "communes": _col("Int64", pa.Check.ge(0, error=f"a number of communes {_NOT_NEGATIVE}"),
                         nullable=True),
    }, checks=[pa.Check(lambda d: d.min_criteria <= d.max_criteria,
                        error="a band's lower bound is above its upper bound")]),
    "province": pa.DataFrameSchema({
        "year": _YEAR, "status": _STATUS, "indicator": _col("str"),
        "value": _col("float64", pa.Check.ge(0, error=f"the value {_NOT_NEGATIVE}"), nullable=True),
        "unit": _col("str"),
    }, checks=[
        pa.Check(lambda d: (d.indicator != "avg_criteria") | d.value.isna() | (d.value <= 19),
                 error="the average number of criteria must be between 0 and 19"),
        pa.Check(lambda d: (d.unit != "communes") | d.value.isna() | (d.value % 1 == 0),
                 error="a number of communes must be a whole number"),
    ]),
    "districts": pa.DataFrameSchema({
        "year": _YEAR, "status": _STATUS,
        "area_code": _col("str", pa.Check.str_matches(r"^[0-9A-Za-z]{2,3}$",
                                                       error="area codes are GSO codes")),
        "area": _col("str"), "indicator": _col("str"),
        "value": _col("float64", pa.Check.ge(0, error=f"the value {_NOT_NEGATIVE}"), nullable=True),
        "unit": _col("str"),
    }, checks=[
        pa.Check(lambda d: (d.unit != "%") | d.value.isna() | (d.value <= 100),
                 error="a percentage cannot be above 100"),
        pa.Check(lambda d: (d.indicator != "avg_criteria") | d.value.isna() | (d.value <= 19),
                 error="the average number of criteria must be between 0 and 19"),
        pa.Check(lambda d: ~d.unit.isin(["communes", "workers"]) | d.value.isna() | (d.value % 1 == 0),
                 error="a count must be a whole number"),
    ]),
    "funding": pa.DataFrameSchema({
        "year": _YEAR, "status": _STATUS, "code": _col("str"), "parent_code": _col("str", nullable=True),
        "level": _col("int64", pa.Check.ge(0)), "source": _col("str"),
        "amount_million_vnd": _col("float64", pa.Check.ge(0, error=f"an amount {_NOT_NEGATIVE}"),
                                   nullable=True),
        "is_leaf": _col("bool"),
        "share_of_total": _col("float64", nullable=True),
    }),
}


def validate_table(name: str, frame: pd.DataFrame, findings: Findings, file: str = "") -> None:
    """Validate one tidy table lazily; add one error finding per failing cell."""
    if frame.empty:
        return
    try:
        SCHEMAS[name].validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        seen: set[tuple] = set()
        for case in cases.itertuples(index=False):
            index = case.index
            if index is None or pd.isna(index) or int(index) not in frame.index:
                findings.add("error", "schema", f"table {name}: {case.check}", file=file)
                continue
            row = frame.loc[int(index)]
            if (int(index), case.check) in seen:
                continue
            seen.add((int(index), case.check))
            sheet, _, cell = str(row.get("cell", "")).rpartition("!")
            label = _row_label(name, row)
            value_col = {"criteria": "communes", "commune_bands": "communes"}.get(name, "value")
            value = row.get(value_col, row.get("amount_million_vnd"))
            findings.add("error", "schema", f"{label} = {_fmt(value)}: {case.check}",
                         file=file, sheet=sheet, cell=cell)


def _fmt(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _row_label(name: str, row: pd.Series) -> str:
    period = f"{row.year} ({row.status})"
    if name == "criteria":
        return f"criterion {row.criterion_id}, {period}"
    if name == "commune_bands":
        return f"band {row.band} criteria, {period}"
    if name == "districts":
        return f"{row.area}, {row.indicator}, {period}"
    if name == "funding":
        return f"funding '{row.source}', {period}"
    return f"{row.indicator}, {period}"
