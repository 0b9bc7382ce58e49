"""The floor for ``ntm-analysis build``: the least any build of the same outputs costs.

It imports what a build needs (pandas, matplotlib, seaborn, openpyxl), loads the
same raw workbooks (every cell of every sheet, values), and saves the same number
of plain matplotlib figures (a bar chart with a title and axis labels), at the
same size and dpi, as PNG and SVG. benchmarks/run.py measures the figure count,
size and dpi from what ``build`` wrote to figures/ and passes them here.

Usage: python benchmarks/floor.py RAW_DIR OUT_DIR [--png N] [--svg N]
       [--width 12.8] [--height 7.2] [--dpi 150]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn  # noqa: E402,F401  (imported, as a build imports it)


def load(raw_dir: Path) -> pd.DataFrame:
    """Every non-empty cell of every workbook in ``raw_dir``, as one frame."""
    cells = []
    for path in sorted(Path(raw_dir).glob("*.xlsx")):
        wb = openpyxl.load_workbook(path, data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                cells.extend((path.name, ws.title, c.row, c.column, c.value) for c in row if c.value is not None)
    return pd.DataFrame(cells, columns=["file", "sheet", "row", "col", "value"])


def figures(out: Path, n_png: int, n_svg: int, width: float, height: float, dpi: float) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(max(n_png, n_svg)):
        fig, ax = plt.subplots(figsize=(width, height))
        labels = [f"Huyện {j + 1}" for j in range(10)]
        ax.bar(labels, [(i * 7 + j * 13) % 19 + 1 for j in range(10)], color="#2b6cb0")
        ax.set_title(f"Hình {i + 1}: số tiêu chí bình quân/xã")
        ax.set_xlabel("Huyện, thị xã, thành phố")
        ax.set_ylabel("Tiêu chí/xã")
        if i < n_png:
            written.append(out / f"figure_{i + 1:02d}.png")
            fig.savefig(written[-1], dpi=dpi)
        if i < n_svg:
            written.append(out / f"figure_{i + 1:02d}.svg")
            fig.savefig(written[-1])
        plt.close(fig)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("raw", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--png", type=int, default=8)
    ap.add_argument("--svg", type=int, default=8)
    ap.add_argument("--width", type=float, default=12.8, help="inches")
    ap.add_argument("--height", type=float, default=7.2, help="inches")
    ap.add_argument("--dpi", type=float, default=150)
    args = ap.parse_args(argv)
    frame = load(args.raw)
    written = figures(args.out, args.png, args.svg, args.width, args.height, args.dpi)
    print(f"floor: {len(frame)} cells read, {len(written)} figure files written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
