"""Regenerate ``ntm_analysis/reference/communes.csv``: every commune (xã) of
Vietnam in 2021 with its GSO codes, and, for Lào Cai, its successor unit after
the reform of 1 July 2025.

Sources (see ``ntm_analysis/reference/README.md``):
- the GSO list of administrative units exported on 2021-02-03
  (``shared/reference/gso-units-2021-02-03.csv``). Only units of type "Xã" are
  kept: wards (phường) and towns (thị trấn) are not in the NTM programme. One
  known error is corrected: Phường Hàm Rồng (03016, Thị xã Sa Pa) is tagged "Xã"
  but is a ward.
- ``shared/reference/lao-cai-communes-2021.csv`` for ``code_2025`` and
  ``commune_2025`` (Lào Cai only; blank elsewhere).

    python scripts/make_communes_reference.py [SHARED_REFERENCE_DIR]
"""
from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "ntm_analysis" / "reference" / "communes.csv"
#: Units the GSO list tags "Xã" that are wards (facts.md § 5).
NOT_COMMUNES = {"03016": "Phường Hàm Rồng is a ward of Thị xã Sa Pa, tagged Xã in the GSO export"}


def _nfc(s: pd.Series) -> pd.Series:
    return s.map(lambda v: unicodedata.normalize("NFC", v).strip())


def build(shared: Path) -> pd.DataFrame:
    gso = pd.read_csv(shared / "gso-units-2021-02-03.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    gso = gso[(gso["Cấp"] == "Xã") & ~gso["Mã PX"].isin(NOT_COMMUNES)]
    out = pd.DataFrame({"province_code": gso["Mã TP"], "district_code": gso["Mã QH"],
                        "commune_code": gso["Mã PX"], "commune": _nfc(gso["Phường Xã"])})
    lao_cai = pd.read_csv(shared / "lao-cai-communes-2021.csv", dtype=str, keep_default_na=False,
                          encoding="utf-8")
    successors = lao_cai.set_index("commune_code")[["code_2025", "commune_2025"]]
    out = out.join(successors, on="commune_code").fillna("")
    out["commune_2025"] = _nfc(out["commune_2025"])
    return out.sort_values("commune_code").reset_index(drop=True)


def main(argv: list[str]) -> int:
    shared = Path(argv[0]) if argv else ROOT.parent / "shared" / "reference"
    frame = build(shared)
    lao_cai = frame[frame.province_code == "10"]
    assert len(lao_cai) == 127, f"Lào Cai should have 127 communes in the programme, not {len(lao_cai)}"
    assert (lao_cai.code_2025 != "").all(), "every Lào Cai commune has a 2025 successor"
    frame.to_csv(OUT, index=False, encoding="utf-8", lineterminator="\n")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(frame)} communes in {frame.province_code.nunique()} provinces")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
