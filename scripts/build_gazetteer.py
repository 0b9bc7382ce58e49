"""Regenerate ntm_analysis/reference/districts.csv, the national gazetteer of 2021,
from the GSO list of administrative units exported on 2021-02-03.

Source: /work/shared/reference/gso-units-2021-02-03.csv (GSO's list as kept in the
public repository sunshine-tech/VietnamProvinces, dev/seed-data/Xa_2021-02-03.csv;
see facts.md § 5). One row per province (its code as area_code) and one per
district-level unit (quận, huyện, thị xã, thành phố thuộc tỉnh), with:

* ``communes``: the unit's xã only. Wards (phường) and towns (thị trấn) are not in
  the NTM programme. The source's known error is corrected here: Phường Hàm Rồng
  (03016, TX Sa Pa) is tagged "Xã" but is a ward (facts.md § 5).
* ``short_name``: the name as plans write it ("Bát Xát", "TP Lào Cai", "TX Sa Pa"),
  or the full name where the bare one is shared in the province ("Huyện Kỳ Anh",
  beside "TX Kỳ Anh");
  the aliases the reader accepts are generated from the names when the reference
  is loaded (ntm_analysis/reference.py), not stored here.
* ``valid_from`` / ``valid_to``: the 2021 units hold for the plans of 2021-2025
  until 30 June 2025 (districts were abolished on 1 July 2025).

Run: .venv/bin/python scripts/build_gazetteer.py [GSO_CSV] [--out FILE]
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from pathlib import Path

SOURCE = Path("/work/shared/reference/gso-units-2021-02-03.csv")
OUT = Path(__file__).resolve().parent.parent / "ntm_analysis" / "reference" / "districts.csv"
VALID_FROM, VALID_TO = "2020-01-01", "2025-06-30"
SOURCE_NOTE = "GSO administrative units 2021-02-03"
#: Units the source tags wrongly: GSO commune code -> the right level (facts.md § 5).
LEVEL_CORRECTIONS = {"03016": "Phường"}
#: Prefix of a district-level unit's name -> (short form in plans, English kind).
KINDS = {"Huyện": ("", "district"), "Thị xã": ("TX ", "town"), "Thành phố": ("TP ", "city"),
         "Quận": ("Quận ", "urban district")}
COLUMNS = ["province_code", "province", "area_code", "area", "short_name", "area_en", "communes",
           "valid_from", "valid_to", "source"]


def clean(name: str) -> str:
    """NFC, single spaces, and the unit prefix in its usual case ("Thành Phố" -> "Thành phố")."""
    name = re.sub(r"\s+", " ", unicodedata.normalize("NFC", name)).strip()
    for prefix in (*KINDS, "Tỉnh"):
        if name.lower().startswith(prefix.lower() + " "):
            return prefix + name[len(prefix):]
    return name


def split_kind(name: str) -> tuple[str, str]:
    """("Thị xã", "Sa Pa") for "Thị xã Sa Pa"."""
    for prefix in KINDS:
        if name.startswith(prefix + " "):
            return prefix, name[len(prefix) + 1:]
    raise ValueError(f"unknown kind of district-level unit: {name!r}")


def build(source: Path) -> list[dict]:
    """The gazetteer rows, provinces and districts in GSO code order."""
    provinces: dict[str, dict] = {}
    districts: dict[str, dict] = {}
    with open(source, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            pcode, dcode = row["Mã TP"].strip(), row["Mã QH"].strip()
            level = LEVEL_CORRECTIONS.get(row["Mã PX"].strip(), row["Cấp"].strip())
            pname = clean(row["Tỉnh Thành Phố"])
            provinces.setdefault(pcode, {"name": pname, "communes": 0})
            d = districts.setdefault(dcode, {"province_code": pcode, "name": clean(row["Quận Huyện"]),
                                             "communes": 0})
            if d["province_code"] != pcode:
                raise ValueError(f"district {dcode} is listed under provinces {d['province_code']} and {pcode}")
            if level == "Xã":
                d["communes"] += 1
                provinces[pcode]["communes"] += 1
    out = []
    for pcode in sorted(provinces):
        p = provinces[pcode]
        kind = "Tỉnh" if p["name"].startswith("Tỉnh ") else "Thành phố"
        bare_name = p["name"][len("Tỉnh "):] if kind == "Tỉnh" else p["name"][len("Thành phố "):]
        out.append({"province_code": pcode, "province": p["name"], "area_code": pcode, "area": p["name"],
                    "short_name": "Tỉnh" if kind == "Tỉnh" else "Thành phố",
                    "area_en": f"{bare_name} province" if kind == "Tỉnh" else f"{bare_name} city",
                    "communes": p["communes"], "valid_from": VALID_FROM, "valid_to": VALID_TO,
                    "source": f"{SOURCE_NOTE} (communes in the NTM programme)"})
        codes = sorted(c for c, d in districts.items() if d["province_code"] == pcode)
        bare_names = [split_kind(districts[c]["name"])[1] for c in codes]
        for dcode in codes:
            d = districts[dcode]
            kind, name = split_kind(d["name"])
            short, kind_en = KINDS[kind]
            if not short and bare_names.count(name) > 1:  # "Kỳ Anh" alone could be the town too
                short = kind + " "
            out.append({"province_code": pcode, "province": p["name"], "area_code": dcode, "area": d["name"],
                        "short_name": f"{short}{name}", "area_en": f"{name} {kind_en}",
                        "communes": d["communes"], "valid_from": VALID_FROM, "valid_to": VALID_TO,
                        "source": SOURCE_NOTE})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", nargs="?", type=Path, default=SOURCE)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    rows = build(args.source)
    tmp = args.out.with_suffix(".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(args.out)
    n_prov = sum(r["area_code"] == r["province_code"] for r in rows)
    print(f"wrote {args.out}: {n_prov} provinces, {len(rows) - n_prov} district-level units, "
          f"{sum(r['communes'] for r in rows if r['area_code'] == r['province_code'])} communes (xã)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
