"""The four notebooks: what they share, and the runner that executes them.

Inside a notebook::

    from ntm_analysis.notebooks import load_project
    project = load_project(raw_dir, processed_dir)

reads every workbook of ``raw_dir`` (the single source of truth), combines
them, runs the analyses and, when no results source is in ``raw_dir``, brings
in the *illustrative* example results of ``data/examples/`` — never silently:
``project.actuals`` says where the actual figures come from.

From the shell (``make notebooks``)::

    python -m ntm_analysis.notebooks --execute --html reports
    python -m ntm_analysis.notebooks --execute -p raw_dir /tmp/other --only 02

executes the notebooks in a fresh kernel running this very Python (the venv's,
whatever kernelspecs are installed elsewhere), with parameters injected after
the ``parameters`` cell as papermill does, and exports each to HTML (the
story, tables and figures; ``--show-code`` keeps the code cells). The notebooks
on disk are never written to: they stay without outputs.
"""
from __future__ import annotations

import argparse
import ast
import subprocess
import copy
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .config import EXAMPLES_DIR, NOTEBOOKS_DIR, PROCESSED_DIR, RAW_DIR, REPORTS_DIR, sidecar_path

NOTEBOOKS: tuple[str, ...] = (
    "01-data-cleaning.ipynb",
    "02-criteria-gaps.ipynb",
    "03-district-targets-vs-achievements.ipynb",
    "04-funding-shares.ipynb",
    "05-communes.ipynb",
)
PARAMETERS_TAG = "parameters"
#: Notebooks executed at once by the command line (each has its own kernel).
DEFAULT_JOBS = max(1, min(len(NOTEBOOKS), (os.cpu_count() or 1)))
INJECTED_TAG = "injected-parameters"
#: The label every figure or table drawn from example (not real) figures carries.
ILLUSTRATIVE_LABEL = "Số liệu minh họa"
ILLUSTRATIVE_LABEL_EN = "Illustrative figures"


# ---------------------------------------------------------------------------
# The data a notebook works on
# ---------------------------------------------------------------------------
@dataclass
class Actuals:
    """Where the actual (results) figures come from.

    ``origin`` is ``"raw"`` (a results source in the raw folder: real figures),
    ``"example"`` (the illustrative example of ``data/examples/``) or ``"none"``.
    ``illustrative`` is read from the sidecars, never assumed.
    """

    origin: str = "none"
    files: list[Path] = field(default_factory=list)
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    illustrative: bool = False
    years: list[int] = field(default_factory=list)
    #: The sidecar of each file, as written (``illustrative`` comes from here).
    meta: list[dict] = field(default_factory=list)

    @property
    def tag(self) -> str:
        """"**[Số liệu minh họa]** " before every sentence quoting illustrative figures."""
        return f"**[{ILLUSTRATIVE_LABEL}]** " if self.illustrative else ""

    @property
    def available(self) -> bool:
        return self.origin != "none"

    @property
    def label(self) -> str:
        return ILLUSTRATIVE_LABEL if self.illustrative else ""


@dataclass
class Project:
    """Everything a notebook shows: sources, findings, tidy tables, analyses."""

    raw_dir: Path
    processed_dir: Path
    files: list[Path]
    reads: list  # SourceRead, one per raw workbook
    findings: Any  # Findings of every raw source (and of combining them)
    tables: Any  # TidyTables of the raw folder
    conflicts: pd.DataFrame
    reference: Any
    results: dict[str, pd.DataFrame]
    actuals: Actuals
    #: Tables and analyses with the actuals brought in (== tables/results when
    #: the actuals come from the raw folder or do not exist).
    tables_with_actuals: Any = None
    results_with_actuals: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def sources(self) -> pd.DataFrame:
        return pd.DataFrame([r.info.as_row() for r in self.reads])

    @property
    def citation(self) -> str:
        return "; ".join(r.info.citation for r in self.reads if r.info.citation)

    @property
    def ok(self) -> bool:
        return not self.findings.errors

    def require_ok(self) -> "Project":
        """Stop (with the findings) when the raw folder has errors: the analyses
        would be built on incomplete tables. Notebook 01 shows them in full."""
        if self.findings.errors:
            raise ValueError("the raw data have errors; see notebook 01 or `ntm-analysis validate`:\n"
                             + "\n".join(f.line() for f in self.findings.errors))
        return self

    def source_line(self, lang: str = "vi", actuals: bool = False) -> str:
        """The "Nguồn: …" line of a chart: the raw sources' citations, and with
        ``actuals`` the citations of the actuals' sources (an example says it is one)."""
        from .charts import make_source_line  # noqa: PLC0415

        citations = [r.info.citation for r in self.reads if r.info.citation]
        if actuals and self.actuals.origin == "example":
            citations += [m.get("citation") or f"{ILLUSTRATIVE_LABEL}: {f.name}"
                          for m, f in zip(self.actuals.meta, self.actuals.files)]
        return make_source_line(citations, lang)


def _read_folder(files: list[Path], reference_dir: Path | None = None):
    from .build import read_all  # noqa: PLC0415
    from .combine import combine  # noqa: PLC0415
    from .findings import Findings  # noqa: PLC0415

    reads = read_all(files, reference_dir)
    findings = Findings()
    for read in reads:
        findings.extend(read.findings)
    tables, conflicts = combine([r for r in reads if r.ok], findings)
    return reads, findings, tables, conflicts


def _sidecar(path: Path) -> dict:
    meta = sidecar_path(path)
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def example_results(examples_dir: Path = EXAMPLES_DIR) -> list[Path]:
    """The example results workbooks of ``examples_dir``: a sidecar of kind
    ``results`` saying ``illustrative: true`` (a file without one is ignored:
    examples must say they are examples)."""
    from .build import raw_files  # noqa: PLC0415

    examples_dir = Path(examples_dir)
    if not examples_dir.is_dir():
        return []
    found = []
    for path in raw_files(examples_dir):
        meta = _sidecar(path)
        if meta.get("kind") == "results" and meta.get("illustrative") is True:
            found.append(path)
    return found


def run_analyses(tables, reference) -> dict[str, pd.DataFrame]:
    """The package's analyses (``ntm_analysis.analysis.run_all``)."""
    from .analysis import run_all  # noqa: PLC0415

    return run_all(tables, reference)


def load_project(raw_dir: Path | str = RAW_DIR, processed_dir: Path | str = PROCESSED_DIR,
                 examples_dir: Path | str | None = EXAMPLES_DIR, *, analyses: bool = True,
                 reference_dir: Path | str | None = None) -> Project:
    """Read ``raw_dir`` into tidy tables and analyses, and find the actuals.

    Actual figures are taken from the raw folder when it holds a results
    source; otherwise from the illustrative example results of
    ``examples_dir`` (``None``: never); ``project.actuals`` records which.
    """
    from .build import raw_files  # noqa: PLC0415
    from .reference import load_reference  # noqa: PLC0415

    raw_dir, processed_dir = Path(raw_dir).resolve(), Path(processed_dir).resolve()
    ref_dir = Path(reference_dir) if reference_dir else None
    reference = load_reference(ref_dir)
    files = raw_files(raw_dir) if raw_dir.is_dir() else []
    reads, findings, tables, conflicts = _read_folder(files, ref_dir)
    if not files:
        findings.add("error", "no_sources", f"no workbook (.xlsx) in {raw_dir}")
    results = run_analyses(tables, reference) if analyses and not findings.errors else {}

    real = [r for r in reads if r.info.kind == "results" and r.ok]
    actuals = Actuals()
    tables_with, results_with = tables, results
    if real:
        actuals = Actuals("raw", [raw_dir / r.info.file for r in real],
                          pd.DataFrame([r.info.as_row() for r in real]),
                          illustrative=any(bool(r.info.illustrative) for r in real),
                          years=sorted({int(y) for r in real for y in r.tables.criteria.year}),
                          meta=[_sidecar(raw_dir / r.info.file) for r in real])
    elif examples_dir is not None and not findings.errors:
        examples = example_results(Path(examples_dir))
        if examples:
            ex_reads = _read_folder(examples, ref_dir)[0]
            ex_ok = [r for r in ex_reads if r.ok]
            if ex_ok:
                from .combine import combine  # noqa: PLC0415
                from .findings import Findings  # noqa: PLC0415

                tables_with, _ = combine([r for r in reads if r.ok] + ex_ok, Findings())
                results_with = run_analyses(tables_with, reference) if analyses else {}
                actuals = Actuals("example", [Path(examples_dir).resolve() / r.info.file for r in ex_ok],
                                  pd.DataFrame([r.info.as_row() for r in ex_ok]),
                                  illustrative=any(bool(r.info.illustrative) for r in ex_ok),
                                  years=sorted({int(y) for r in ex_ok for y in r.tables.criteria.year}),
                                  meta=[_sidecar(Path(examples_dir) / r.info.file) for r in ex_ok])
    return Project(raw_dir, processed_dir, files, reads, findings, tables, conflicts, reference, results,
                   actuals, tables_with, results_with)


def processed_status(project: Project) -> dict[str, Any]:
    """Whether ``processed_dir`` was built from the raw files as they are now
    (its manifest's input hashes), and which tidy tables differ from a fresh read."""
    from .build import input_hashes  # noqa: PLC0415
    from .tidy import KEYS, TidyTables  # noqa: PLC0415

    manifest_path = project.processed_dir / "manifest.json"
    if not manifest_path.is_file():
        return {"state": "missing", "built_at": "", "differs": []}
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError:
        return {"state": "missing", "built_at": "", "differs": []}
    state = "current" if manifest.get("inputs") == input_hashes(project.files) else "stale"
    differs = []
    try:
        stored = TidyTables.read_csv(project.processed_dir)
        for name, fresh in project.tables.items():
            old = getattr(stored, name)
            cols = [c for c in fresh.columns if c in old.columns]
            a = fresh[cols].sort_values(KEYS[name]).reset_index(drop=True).astype(str)
            b = old[cols].sort_values(KEYS[name]).reset_index(drop=True).astype(str)
            if not a.equals(b):
                differs.append(name)
    except (OSError, ValueError, KeyError):
        differs = ["(unreadable)"]
    return {"state": state, "built_at": manifest.get("built_at", ""), "differs": differs}


def grid_frame(grid) -> pd.DataFrame:
    """The cells of one sheet as they sit in the workbook: rows 1…n, columns A…,
    merged cells shown once (at their top-left cell), blanks empty."""
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    rows = [[grid.get(r, c) for c in range(grid.n_cols)] for r in range(grid.n_rows)]
    frame = pd.DataFrame(rows, columns=[get_column_letter(c + 1) for c in range(grid.n_cols)],
                         index=pd.RangeIndex(1, grid.n_rows + 1, name="row"), dtype=object)
    return frame.map(lambda v: "" if v is None else str(getattr(v, "formula", v)))


def raw_layout(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet of a raw workbook as a frame of its cells (see :func:`grid_frame`)."""
    from .findings import Findings  # noqa: PLC0415
    from .sources import load_grids  # noqa: PLC0415

    return {g.sheet: grid_frame(g) for g in load_grids(Path(path), Findings())}


#: Display labels of the analyses' columns (the tidy tables' come from column_labels.csv).
ANALYSIS_LABELS = {
    "share": ("Tỷ lệ", "Share"),
    "share_of_total": ("Tỷ lệ trên tổng", "Share of total"),
    "communes_basis": ("Căn cứ số xã", "Basis of the communes"),
    "indicator": ("Chỉ tiêu", "Indicator"),
    "base_communes": ("Số xã năm gốc", "Communes, base year"),
    "compare_communes": ("Số xã năm so sánh", "Communes, compared year"),
    "change": ("Thay đổi (xã)", "Change (communes)"),
    "base_share": ("Tỷ lệ năm gốc", "Share, base year"),
    "compare_share": ("Tỷ lệ năm so sánh", "Share, compared year"),
    "change_pp": ("Thay đổi (điểm %)", "Change (pp)"),
    "remaining": ("Số xã còn lại", "Communes remaining"),
    "rank_change": ("Hạng mức tăng", "Rank of gain"),
    "criteria": ("Số tiêu chí", "Criteria"),
    "mean_base_share": ("Tỷ lệ TB năm gốc", "Mean share, base"),
    "mean_compare_share": ("Tỷ lệ TB năm so sánh", "Mean share, compared"),
    "mean_change_pp": ("Thay đổi TB (điểm %)", "Mean change (pp)"),
    "total_change": ("Tổng lượt xã tăng", "Total gain (commune-criteria)"),
    "total_remaining": ("Tổng lượt xã còn lại", "Total remaining"),
    "largest_gain_criterion": ("Tăng nhiều nhất", "Largest gain"),
    "lowest_criterion": ("Thấp nhất", "Lowest"),
    "role": ("Vai trò", "Role"),
    "above_ceiling": ("Hơn mức trần (xã)", "Above the ceiling"),
    "ceiling": ("Mức trần (xã)", "Ceiling (communes)"),
    "ntm_communes": ("Số xã đạt chuẩn NTM", "NTM communes"),
    "headroom": ("Dư địa (xã)", "Headroom (communes)"),
    "binding_criteria": ("Tiêu chí ràng buộc", "Binding criteria"),
    "near_criteria": ("Tiêu chí sát ngưỡng", "Near-binding criteria"),
    "province_value": ("Giá trị của tỉnh", "Province value"),
    "difference": ("Chênh lệch", "Difference"),
    "rank": ("Hạng", "Rank"),
    "target": ("Kế hoạch", "Target"),
    "actual": ("Thực hiện", "Actual"),
    "gap": ("Chênh lệch", "Gap"),
    "attainment_pct": ("Mức đạt (%)", "Attainment (%)"),
    "met": ("Đạt", "Met"),
    "share_of_parent": ("Tỷ lệ trên dòng cha", "Share of parent"),
    "payer": ("Mã nguồn chi", "Payer id"),
    "label_vi": ("Nguồn chi", "Payer (vi)"),
    "label_en": ("Nguồn chi (EN)", "Payer"),
    "lines": ("Số dòng", "Lines"),
    "total_million_vnd": ("Tổng vốn (triệu đồng)", "Total (million VND)"),
    "new_ntm_communes": ("Số xã đạt chuẩn mới", "New NTM communes"),
    "million_vnd_per_new_ntm_commune": ("Triệu đồng/xã đạt chuẩn mới", "Million VND per new NTM commune"),
    "planned_million_vnd": ("Kế hoạch (triệu đồng)", "Planned (million VND)"),
    "mobilised_million_vnd": ("Huy động (triệu đồng)", "Mobilised (million VND)"),
    "gap_million_vnd": ("Chênh lệch (triệu đồng)", "Gap (million VND)"),
    "avg_criteria": ("Tiêu chí bình quân/xã", "Average criteria per commune"),
    "criteria_met": ("Lượt tiêu chí đạt", "Criteria met (summed)"),
    "weight": ("Trọng số", "Weight"),
    "description": ("Phép đối chiếu", "Reconciliation"),
    "stated": ("Số ghi trong văn bản", "Stated"),
    "computed": ("Số tính từ các phần", "Computed"),
    "ok": ("Khớp", "Holds"),
    "what": ("Số liệu", "Figure"),
    "note": ("Ghi chú", "Note"),
    "table": ("Bảng", "Table"),
    "rows": ("Số dòng", "Rows"),
    "kind": ("Loại", "Kind"),
    "document_number": ("Số văn bản", "Document no."),
    "document_date": ("Ngày văn bản", "Document date"),
    "citation": ("Trích dẫn", "Citation"),
    "illustrative": ("Số liệu minh họa", "Illustrative"),
}


def labels(lang: str = "vi") -> dict[str, str]:
    """Column -> display label (Vietnamese, or English with ``lang='en'``)."""
    from .outputs import column_labels  # noqa: PLC0415

    index = 1 if lang == "en" else 0
    return column_labels(lang) | {k: v[index] for k, v in ANALYSIS_LABELS.items()}


def indicator_labels(reference, lang: str = "vi") -> dict[str, str]:
    """Indicator id -> its label (indicators.csv)."""
    col = "label_en" if lang == "en" else "label_vi"
    return dict(zip(reference.indicators.indicator, reference.indicators[col]))


def resolve_periods(frame: pd.DataFrame, base_year: int | None, target_year: int | None,
                    base_status: str = "actual", target_status: str = "target"):
    """``((base_year, 'actual'), (target_year, 'target'))``, checked against the
    periods ``frame`` holds; ``None`` years are detected (latest target, the
    latest actual before it). A missing period raises a readable ValueError."""
    from .analysis import default_comparison  # noqa: PLC0415

    present = sorted({(int(y), str(s)) for y, s in zip(frame.year, frame.status)})
    if base_year is None or target_year is None:
        pair = default_comparison(frame)
        if pair is None:
            raise ValueError(f"cannot detect the years to compare; the data hold {present}")
        base_year = base_year if base_year is not None else pair[0][0]
        target_year = target_year if target_year is not None else pair[1][0]
    base, compare = (int(base_year), base_status), (int(target_year), target_status)
    missing = [p for p in (base, compare) if p not in present]
    if missing:
        raise ValueError(f"the data hold no {' or '.join(f'{y} ({s})' for y, s in missing)}; they hold "
                         f"{', '.join(f'{y} ({s})' for y, s in present)}: change base_year/target_year "
                         f"in the parameters cell")
    return base, compare


def district_wide(overview: pd.DataFrame, districts: pd.DataFrame, reference, lang: str = "vi") -> pd.DataFrame:
    """``analysis.district_overview`` (long) as one row per area, the province
    first, one column per indicator (its label), plus the communes."""
    if overview.empty:
        return pd.DataFrame()
    order = list(dict.fromkeys(overview.indicator))
    areas = overview.drop_duplicates("area_code")[["area_code", "area", "communes"]]
    values = overview.set_index(["area_code", "indicator"]).value.unstack("indicator").reindex(columns=order)
    wide = areas.set_index("area_code").join(values).reset_index()
    prov_values = overview.drop_duplicates("indicator").set_index("indicator").province_value.reindex(order)
    year, status = overview.year.iloc[0], overview.status.iloc[0]
    prov = districts[(districts.year == year) & (districts.status == status)
                     & (districts.area_code.astype(str).str.len() == 2)]
    code = str(prov.area_code.iloc[0]) if len(prov) else ""
    first = pd.DataFrame([{"area_code": code, "area": prov.area.iloc[0] if len(prov) else "Tỉnh",
                           "communes": reference.communes(code) if code else pd.NA} | prov_values.to_dict()])
    wide = pd.concat([first, wide], ignore_index=True)
    wide["communes"] = wide["communes"].astype("Int64")
    return wide.rename(columns=indicator_labels(reference, lang))


def indent_sources(frame: pd.DataFrame) -> pd.DataFrame:
    """Funding lines with their ``source`` indented by level (for display)."""
    out = frame.copy()
    out["source"] = ["\u2003" * max(int(level) - 1, 0) + str(src) if int(level) > 0 else f"{src}"
                     for src, level in zip(out.source, out.level)]
    return out


def resolve_year(frame: pd.DataFrame, year: int | None, status: str = "target") -> int:
    """``year`` checked against the years ``frame`` holds with ``status``
    (``None``: the latest); a missing year raises a readable ValueError."""
    years = sorted({int(y) for y, s in zip(frame.year, frame.status) if s == status})
    if not years:
        raise ValueError(f"the data hold no {status} figures")
    if year is None:
        return years[-1]
    if int(year) not in years:
        raise ValueError(f"the data hold no {year} ({status}); they hold {', '.join(map(str, years))}: "
                         f"change target_year in the parameters cell")
    return int(year)


def sheet_tables(project: Project, file: str, sheet: str, drop: tuple[str, ...] = ("source_id",)
                 ) -> dict[str, pd.DataFrame]:
    """The tidy rows read from one sheet of one raw file (by their ``cell``)."""
    read = next((r for r in project.reads if r.info.file == file), None)
    if read is None:
        return {}
    out = {}
    for name, frame in read.tables.items():
        part = frame[frame.cell.astype(str).str.startswith(f"{sheet}!")]
        if len(part):
            out[name] = part.drop(columns=[c for c in drop if c in part.columns]).reset_index(drop=True)
    return out


def side_by_side(*blocks: tuple[str, Any], gap: str = "2em"):
    """Display tables next to each other: ``(title, DataFrame or Styler)`` pairs
    (an HTML object for ``display``; each block scrolls on its own)."""
    from IPython.display import HTML  # noqa: PLC0415
    import html as _html  # noqa: PLC0415

    parts = []
    for title, table in blocks:
        body = table.to_html() if hasattr(table, "to_html") else str(table)
        parts.append(f'<div style="flex:0 1 auto; min-width:0; overflow-x:auto">'
                     f'<p><b>{_html.escape(str(title))}</b></p>{body}</div>')
    return HTML(f'<div style="display:flex; flex-wrap:wrap; gap:{gap}; align-items:flex-start">'
                + "".join(parts) + "</div>")


#: Resolution of the figures shown in a notebook (the saved ones are 1920 × 1080 px).
INLINE_DPI = 80


def figure_png(fig, dpi: int = INLINE_DPI) -> bytes:
    """The whole slide as PNG bytes: title, subtitle, source line and the
    "Số liệu minh họa" badge included (a notebook's own display would crop
    the figure to its plot and drop them)."""
    import io  # noqa: PLC0415

    from .charts import house_style  # noqa: PLC0415

    buffer = io.BytesIO()
    with house_style():
        fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


class Figures:
    """Show figures inline, whole, and, when ``export`` is on, save them (PNG +
    SVG, ``charts.save_figure``) into ``folder``. ``written`` lists the files."""

    def __init__(self, export: bool, folder: Path | str, lang: str = "vi"):
        self.export, self.folder, self.lang = bool(export), Path(folder), lang
        self.written: list[Path] = []
        self.shown: list[str] = []

    def show(self, fig, stem: str) -> None:
        from IPython.display import Image, display  # noqa: PLC0415

        display(Image(data=figure_png(fig), format="png"))
        self.shown.append(stem)
        if self.export:
            from .charts import save_figure  # noqa: PLC0415

            self.written.extend(save_figure(fig, stem, self.folder))
        else:
            from .charts.base import close_figure  # noqa: PLC0415

            close_figure(fig)


# ---------------------------------------------------------------------------
# The runner
# ---------------------------------------------------------------------------
def notebook_paths(folder: Path = NOTEBOOKS_DIR, only: list[str] | None = None) -> list[Path]:
    """The four notebooks (or those whose name starts with one of ``only``)."""
    paths = [Path(folder) / name for name in NOTEBOOKS]
    if only:
        paths = [p for p in paths if any(p.name.startswith(o) or p.stem == o for o in only)]
    return paths


def _literal(value: Any) -> str:
    if isinstance(value, Path):
        value = str(value)
    text = repr(value)
    try:
        ast.literal_eval(text)
    except (ValueError, SyntaxError):
        raise ValueError(f"a parameter must be a plain literal (text, number, bool, None, list…), "
                         f"not {type(value).__name__}") from None
    return text


def inject_parameters(nb, parameters: dict[str, Any] | None):
    """A copy of ``nb`` with a cell setting ``parameters`` right after the cell
    tagged ``parameters`` (papermill-style, tagged ``injected-parameters``)."""
    import nbformat  # noqa: PLC0415

    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if INJECTED_TAG not in c.get("metadata", {}).get("tags", [])]
    if not parameters:
        return nb
    index = next((i for i, c in enumerate(nb.cells)
                  if c.cell_type == "code" and PARAMETERS_TAG in c.get("metadata", {}).get("tags", [])), None)
    if index is None:
        raise ValueError("the notebook has no cell tagged 'parameters'")
    lines = ["# Parameters injected by ntm_analysis.notebooks"]
    lines += [f"{name} = {_literal(value)}" for name, value in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": [INJECTED_TAG]})
    cell.id = INJECTED_TAG
    nb.cells.insert(index + 1, cell)
    return nb


def kernel_manager():
    """A kernel manager whose ``python3`` kernel is this interpreter
    (``sys.executable``): the venv's Python, whatever kernelspecs exist elsewhere."""
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager  # noqa: PLC0415
    from jupyter_client.manager import KernelManager  # noqa: PLC0415

    class ThisPython(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:  # noqa: ARG002
            return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                              display_name=f"Python 3 ({sys.prefix})", language="python",
                              metadata={"debugger": True})

    return KernelManager(kernel_name="python3", kernel_spec_manager=ThisPython())


def execute_notebook(path: Path, parameters: dict[str, Any] | None = None, *, cwd: Path | None = None,
                     timeout: int = 600):
    """Execute a notebook (read from ``path``, never written back) and return it.

    ``cwd`` is the kernel's working folder (default: a neutral temporary folder,
    so a notebook that depended on the working folder would fail here).
    Raises ``nbclient.exceptions.CellExecutionError`` with the notebook attached
    as ``.notebook`` when a cell fails.
    """
    import tempfile  # noqa: PLC0415

    import nbformat  # noqa: PLC0415
    from nbclient import NotebookClient  # noqa: PLC0415
    from nbclient.exceptions import CellExecutionError  # noqa: PLC0415

    nb = inject_parameters(nbformat.read(str(path), as_version=4), parameters)
    with tempfile.TemporaryDirectory(prefix="ntm-nb-") as tmp:
        client = NotebookClient(nb, km=kernel_manager(), timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(cwd or tmp)}})
        try:
            # the kernel's own log lines (not the cells' output) are of no use here
            client.execute(stderr=subprocess.DEVNULL)
        except CellExecutionError as exc:
            exc.notebook = nb
            raise
    return nb


def export_html(nb, out: Path, hide_code: bool = False) -> Path:
    """The executed notebook as a self-contained HTML file (images embedded)."""
    from nbconvert import HTMLExporter  # noqa: PLC0415

    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = hide_code
    exporter.exclude_input_prompt = hide_code
    exporter.exclude_output_prompt = hide_code
    body, _ = exporter.from_notebook_node(nb)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{time.time_ns()}")
    tmp.write_text(body, encoding="utf-8")
    tmp.replace(out)
    return out


@dataclass
class RunResult:
    notebook: str
    ok: bool
    seconds: float
    html: Path | None = None
    error: str = ""


def run_notebook(path: Path, parameters: dict[str, Any] | None = None, *, html_dir: Path | None = None,
                 timeout: int = 600, hide_code: bool = False, cwd: Path | None = None) -> RunResult:
    """Execute one notebook and export it to ``html_dir`` (a failing notebook is
    exported too, with its error, and reported)."""
    start = time.perf_counter()
    error, nb = "", None
    try:
        nb = execute_notebook(path, parameters, cwd=cwd, timeout=timeout)
    except Exception as exc:  # a failing cell, a dead kernel: report it, never hide it
        nb = getattr(exc, "notebook", None)
        error = f"{type(exc).__name__}: {exc}"
    html = export_html(nb, Path(html_dir) / f"{Path(path).stem}.html", hide_code) \
        if html_dir is not None and nb is not None else None
    return RunResult(Path(path).name, not error, time.perf_counter() - start, html, error)


def run_notebooks(only: list[str] | None = None, parameters: dict[str, Any] | None = None, *,
                  html_dir: Path | None = None, folder: Path = NOTEBOOKS_DIR, timeout: int = 600,
                  hide_code: bool = False, cwd: Path | None = None, jobs: int = 1) -> list[RunResult]:
    """Execute the notebooks (``jobs`` at a time, each in its own kernel) and
    export each to ``html_dir``. Results come back in notebook order."""
    paths = notebook_paths(folder, only)
    kwargs = dict(html_dir=html_dir, timeout=timeout, hide_code=hide_code, cwd=cwd)
    if jobs <= 1 or len(paths) <= 1:
        return [run_notebook(p, parameters, **kwargs) for p in paths]
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(lambda p: run_notebook(p, parameters, **kwargs), paths))


def _parse_value(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ntm_analysis.notebooks",
                                     description="Execute the four notebooks and export them to HTML.")
    parser.add_argument("--execute", action="store_true", help="execute the notebooks (fresh kernel each)")
    parser.add_argument("--html", nargs="?", const=str(REPORTS_DIR), default=None, metavar="DIR",
                        help=f"export each executed notebook to DIR/<name>.html (default {REPORTS_DIR})")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="override a parameter (a Python literal, else text), e.g. -p raw_dir /tmp/x")
    parser.add_argument("--only", nargs="+", help="only these notebooks (01, 02-criteria-gaps, …)")
    parser.add_argument("--notebooks", default=str(NOTEBOOKS_DIR), help="folder of the notebooks")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    parser.add_argument("--show-code", action="store_true",
                        help="keep the code cells in the HTML (default: the story, tables and figures only)")
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS,
                        help=f"notebooks executed at the same time (default {DEFAULT_JOBS})")
    parser.add_argument("--list", action="store_true", help="list the notebooks and exit")
    args = parser.parse_args(argv)

    paths = notebook_paths(Path(args.notebooks), args.only)
    if args.list or not args.execute:
        for p in paths:
            print(p)
        if not args.execute and not args.list:
            print("(nothing executed: add --execute)")
        return 0
    missing = [p for p in paths if not p.is_file()]
    if missing or not paths:
        print("notebooks not found: " + ", ".join(str(p) for p in missing or [Path(args.notebooks)]),
              file=sys.stderr)
        return 2
    parameters = {name: _parse_value(value) for name, value in args.parameter}
    html_dir = Path(args.html).resolve() if args.html else None
    results = run_notebooks(args.only, parameters, html_dir=html_dir, folder=Path(args.notebooks),
                            timeout=args.timeout, hide_code=not args.show_code, jobs=args.jobs)
    for r in results:
        where = f" -> {r.html}" if r.html else ""
        print(f"{'ok    ' if r.ok else 'FAILED'} {r.notebook} ({r.seconds:.1f} s){where}")
        if r.error:
            last = re.sub(r"\x1b\[[0-9;]*m", "", r.error.strip()).splitlines()[-1]
            print("       " + last[:300], file=sys.stderr)
    total = sum(r.seconds for r in results)
    failed = [r for r in results if not r.ok]
    print(f"{len(results) - len(failed)}/{len(results)} notebooks ran in {total:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
