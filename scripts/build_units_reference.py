"""Build the dated unit reference of ``ntm_analysis/reference/`` (issue 22) from downloaded data.

Inputs (none is a dependency of the package; each is read once, here):

- ``--gso``: the GSO list of administrative units exported 2021-02-03
  (``../shared/reference/gso-units-2021-02-03.csv``; sunshine-tech/VietnamProvinces,
  dev/seed-data/Xa_2021-02-03.csv);
- ``--conversion``: the official conversion table "Bảng chuyển đổi ĐVHC mới – cũ" of the reform of
  1 July 2025, as kept in sunshine-tech/VietnamProvinces (GPL-3.0 code; the table is public data),
  file ``dev/seed-data/2025-07/BangChuyendoiĐVHCmoi_cu_khong_merge.csv``:
  ``git show <commit>:dev/seed-data/2025-07/BangChuyendoiĐVHCmoi_cu_khong_merge.csv > conv.csv``;
- ``--vau``: the wheel of ``vietnamadminunits`` (MIT), ``pip download --no-deps vietnamadminunits``;
  its ``data/dataset.db`` gives the units just before the reform with the names of the units merged
  into each in 2023–2025 (``wardAlias``), used only for the 2021 units the conversion table lacks;
- ``--lao-cai``: ``../shared/reference/lao-cai-communes-2021.csv`` (Tà Chải → Thị trấn Bắc Hà, 2024-11-01).

Outputs: ``units_2021.csv.gz``, ``units_2025.csv.gz``, ``provinces_2025.csv``,
``conversion_2025.csv.gz``, ``merged_2021_2025.csv.gz`` (see ``reference/README.md``). The script
checks what the issue asks: 34 provinces, 3,321 new units, 10,033 unit codes converted, every 2021 unit
either converted, merged into a converted unit, or listed with no known successor.

    python scripts/build_units_reference.py --gso ../shared/reference/gso-units-2021-02-03.csv \
        --conversion /tmp/x/conv.csv --vau /tmp/x/vietnamadminunits-1.0.4-py3-none-any.whl \
        --lao-cai ../shared/reference/lao-cai-communes-2021.csv
"""
from __future__ import annotations

import argparse
import json
import re
import sqlite3
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "ntm_analysis" / "reference"
_CODE = re.compile(r"^(.*?)\s*\((\d+)\)\s*$")


def _split(text: str) -> tuple[str, str]:
    """"Tỉnh Lào Cai (15)" -> ("Tỉnh Lào Cai", "15")."""
    m = _CODE.match(text.strip())
    if not m:
        raise ValueError(f"no code in {text!r}")
    return m.group(1).strip(), m.group(2)


def _nfc(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(text))).strip()


def _key(text: str) -> str:
    """vietnamadminunits' keys: lower case, no accents, letters and digits only."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in text if unicodedata.category(c) != "Mn"))


def _unit_type(name: str) -> str:
    for prefix in ("Thị trấn", "Phường", "Xã", "Đặc khu"):
        if _key(name.split(" ")[0] + " " + name.split(" ")[1]).startswith(_key(prefix)):
            return prefix
    raise ValueError(f"no unit type in {name!r}")


def _fix_prefix(name: str) -> str:
    """The table's few typed-without-accent prefixes ("Xa Ea Kly") given their accents (printed)."""
    fixed = re.sub(r"^Xa ", "Xã ", name)
    if fixed != name:
        print(f"corrected: {name!r} -> {fixed!r}")
    return fixed


def _change(note: str) -> str:
    """The official note in one word: whole, part or unchanged."""
    folded = _key(note)
    if "motphan" in folded:
        return "part"
    if folded.startswith(("giunguyen", "doiten", "doiloaihinh")):
        return "unchanged"
    return "whole"  # "Nhập toàn bộ", "Nhập toàn bộ diện tích", "Sắp xếp toàn bộ … thành đặc khu …"


def units_2021(gso: Path) -> pd.DataFrame:
    g = pd.read_csv(gso, dtype=str, keep_default_na=False, encoding="utf-8")
    g = g[g["Mã PX"] != ""]  # the five island districts without communes (rows of level "Huyện")
    out = pd.DataFrame({"province_code": g["Mã TP"], "province": g["Tỉnh Thành Phố"].map(_nfc),
                        "district_code": g["Mã QH"], "district": g["Quận Huyện"].map(_nfc),
                        "commune_code": g["Mã PX"], "commune": g["Phường Xã"].map(_nfc), "unit_type": g["Cấp"]})
    out.loc[out.commune_code == "03016", "unit_type"] = "Phường"  # Phường Hàm Rồng, facts.md §5
    return out


def conversion(path: Path) -> pd.DataFrame:
    c = pd.read_csv(path, skiprows=1, dtype=str, keep_default_na=False, encoding="utf-8").iloc[:, :8]
    c.columns = ["province_2025", "commune_2025", "code_2025", "commune_before", "code_before", "note",
                 "district_before", "province_before"]
    c = c[c.code_2025.str.strip() != ""].copy()  # rows with a new unit (the island districts have no old one)
    for col in c.columns:
        c[col] = c[col].map(_nfc)
    c[["province_2025", "province_code_2025"]] = c.province_2025.map(_split).tolist()
    c[["district_before", "district_code_before"]] = c.district_before.map(_split).tolist()
    c[["province_before", "province_code_before"]] = c.province_before.map(_split).tolist()
    c["commune_2025"] = c.commune_2025.map(_fix_prefix)
    c["change"] = c.note.map(_change)
    return c[["code_before", "commune_before", "district_code_before", "province_code_before", "code_2025",
              "commune_2025", "province_code_2025", "change", "note"]].drop_duplicates().reset_index(drop=True)


def merged_before_reform(u21: pd.DataFrame, conv: pd.DataFrame, vau: Path, lao_cai: Path) -> pd.DataFrame:
    """The 2021 units without a conversion row: where each went before the reform, when sourced."""
    missing = u21[~u21.commune_code.isin(conv.code_before)]
    lc = pd.read_csv(lao_cai, dtype=str, keep_default_na=False, encoding="utf-8")
    sourced = {}
    for row in lc[~lc.commune_code.isin(conv.code_before)].itertuples():
        # facts.md §5: Tà Chải merged into Thị trấn Bắc Hà (NQ 1270/NQ-UBTVQH15, effective 2024-11-01)
        via = conv[(conv.code_2025 == row.code_2025) & (conv.commune_before.str.contains("Bắc Hà"))]
        sourced[row.commune_code] = (via.code_before.iloc[0], "facts.md §5; NQ 1270/NQ-UBTVQH15 (2024-11-01)")
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(vau) as wheel:
            db = Path(wheel.extract("vietnamadminunits/data/dataset.db", tmp))
        legacy = pd.read_sql("select districtCode, wardCode, ward, wardAlias from admin_units_legacy",
                             sqlite3.connect(db))
    by_alias: dict[tuple[str, str], list[str]] = {}
    for row in legacy[legacy.wardAlias.notna()].itertuples():
        for alias in json.loads(row.wardAlias):
            by_alias.setdefault((row.districtCode, alias), []).append(row.wardCode)
    rows = []
    for row in missing.itertuples():
        code, basis = sourced.get(row.commune_code, (None, ""))
        if code is None:
            hits = sorted(set(by_alias.get((row.district_code, _key(row.commune)), [])))
            if len(hits) == 1 and hits[0] in set(conv.code_before):
                code, basis = hits[0], "vietnamadminunits 1.0.4 (wardAlias of the unit just before the reform)"
        rows.append({"commune_code": row.commune_code, "code_before": code or "", "basis": basis})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("gso", "conversion", "vau", "lao-cai"):
        parser.add_argument(f"--{name}", type=Path, required=True)
    args = parser.parse_args()
    u21 = units_2021(args.gso)
    every = conversion(args.conversion)
    conv = every[every.code_before != ""].reset_index(drop=True)
    spelled = every.groupby("code_2025").commune_2025.agg(lambda s: s.value_counts().index[0])
    for code, names_ in every.groupby("code_2025").commune_2025.unique().items():
        if len(names_) > 1:  # one unit spelled two ways ("Điềm Thụy", "Điềm Thuỵ"): the commoner kept
            print(f"{code}: {list(names_)} -> {spelled[code]!r}")
    every["commune_2025"] = every.code_2025.map(spelled)
    conv = every[every.code_before != ""].reset_index(drop=True)
    province_of = dict(zip(u21.commune_code, u21.province_code))
    wrong = conv.code_before.map(province_of).fillna(conv.province_code_before) != conv.province_code_before
    for row in conv[wrong].itertuples():  # e.g. Phường 4 (27691) of TP Tân An, Long An (80), tagged 82
        print(f"province of {row.code_before} {row.commune_before}: {row.province_code_before} -> "
              f"{province_of[row.code_before]} (the GSO list's)")
    conv.loc[wrong, "province_code_before"] = conv.loc[wrong, "code_before"].map(province_of)
    u25 = (every[["province_code_2025", "code_2025", "commune_2025"]].drop_duplicates()
           .rename(columns={"province_code_2025": "province_code", "code_2025": "commune_code",
                            "commune_2025": "commune"}))
    u25["unit_type"] = u25.commune.map(_unit_type)
    raw = pd.read_csv(args.conversion, skiprows=1, dtype=str, keep_default_na=False).iloc[:, 0].map(_nfc)
    names = dict(_split(t)[::-1] for t in raw[raw.str.contains(r"\(\d+\)$")].unique())
    u25.insert(1, "province", u25.province_code.map(names))
    u25 = u25.sort_values(["province_code", "commune_code"], ignore_index=True)
    provinces = (conv.groupby("province_code_2025").province_code_before
                 .agg(lambda s: ";".join(sorted(set(s)))).rename("predecessors").reset_index()
                 .rename(columns={"province_code_2025": "province_code"}))
    provinces.insert(1, "province", provinces.province_code.map(names))
    merged = merged_before_reform(u21, conv, args.vau, args.lao_cai)
    assert len(provinces) == 34, len(provinces)
    assert len(u25) == 3321 and u25.commune_code.is_unique, len(u25)
    assert conv.code_before.nunique() == 10033, conv.code_before.nunique()  # 10,034 with the blank of the islands
    assert len(u21) == 10603 and u21.commune_code.is_unique
    parts = conv[conv.change == "part"].code_before.unique()
    split = conv[conv.code_before.isin(parts)].groupby("code_before").code_2025.nunique()
    print(f"units of 2021: {len(u21)}; converted: {u21.commune_code.isin(conv.code_before).sum()}; "
          f"merged before the reform: {len(merged)} ({(merged.code_before != '').sum()} with a sourced successor)")
    print(f"conversion rows: {len(conv)}; units split (part): {len(parts)}, of which listed with one successor "
          f"only: {(split == 1).sum()} ({', '.join(split[split == 1].index)})")
    u21.to_csv(OUT / "units_2021.csv.gz", index=False, encoding="utf-8", compression={"method": "gzip", "mtime": 0})
    u25.to_csv(OUT / "units_2025.csv.gz", index=False, encoding="utf-8", compression={"method": "gzip", "mtime": 0})
    conv.to_csv(OUT / "conversion_2025.csv.gz", index=False, encoding="utf-8",
                compression={"method": "gzip", "mtime": 0})
    merged.to_csv(OUT / "merged_2021_2025.csv.gz", index=False, encoding="utf-8",
                  compression={"method": "gzip", "mtime": 0})
    provinces.to_csv(OUT / "provinces_2025.csv", index=False, encoding="utf-8")


if __name__ == "__main__":
    main()
