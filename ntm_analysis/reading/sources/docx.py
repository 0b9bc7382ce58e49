"""The Word carrier (.docx, read with python-docx): the document's paragraphs
and tables in reading order, merged cells (gridSpan, vMerge) expanded as the
xlsx carrier expands merged ranges, and a table continued over a page break
(split into two tables, the header repeated) read as one table.

Places are counted as Word shows them: "Bảng 2, hàng 5, cột 3" (the second
table of the document, its fifth row, its third grid column) and "đoạn 12"
(the twelfth paragraph of the body).
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ...config import MAX_DOCUMENT_BYTES
from ...findings import Findings
from ...i18n import _
from ...text import clean_text
from ..grid import Grid
from .container import Refused, check_declarations, check_sizes, refuse
from .document import Block, Paragraph, Table, continues, file_problem, grid_from_blocks, is_continuation_heading, join

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 and encrypted Office files
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


#: The stream an encrypted Office Open XML file keeps its key in (an OLE2 directory name, UTF-16).
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


def _is_encrypted_package(path: Path) -> bool:
    """An OLE2 compound file holding an EncryptionInfo stream: a .docx saved
    with a password (an old .doc holds a WordDocument stream instead)."""
    with path.open("rb") as handle:
        return _ENCRYPTION_INFO in handle.read()


def refuse_other_document(path: Path, findings: Findings) -> list[Grid]:
    """.doc, .rtf, .odt and .docm: refused with what to do instead."""
    suffix = path.suffix.lower()
    if suffix == ".docm":
        return refuse(findings, path, "macro_enabled",
                      _("Word documents with macros (.docm) are refused; save it as .docx"))
    kind = {".doc": _("the old Word 97-2003 format (.doc)"), ".rtf": _("Rich Text Format (.rtf)"),
            ".odt": _("OpenDocument text (.odt)")}.get(suffix) or _("files of type '{suffix}'").format(suffix=suffix)
    return refuse(findings, path, "unsupported_document",
                  _("{kind} cannot be read; save it as .docx (Word) or PDF").format(kind=kind))


def _cell_text(tc) -> str:
    parts = []
    for p in tc.iter(f"{_W}p"):
        parts.append("".join(t.text or "" for t in p.iter(f"{_W}t")))
    return clean_text(" ".join(parts))


def _read_table(tbl, number: int) -> Table:
    """Expand one w:tbl: gridSpan over columns, vMerge down rows."""
    rows: list[list[str | None]] = []
    merges: list[tuple[int, int, int, int]] = []
    open_down: dict[int, list] = {}  # column -> [r0, c0, r1, c1] of a vertical merge in progress
    for r, tr in enumerate(tbl.findall(f"{_W}tr")):
        row: list[str | None] = []
        pr = tr.find(f"{_W}trPr")
        before = pr.find(f"{_W}gridBefore") if pr is not None else None
        col = int(before.get(f"{_W}val", "0")) if before is not None else 0
        row.extend([None] * col)
        for tc in tr.findall(f"{_W}tc"):
            tcpr = tc.find(f"{_W}tcPr")
            span_el = tcpr.find(f"{_W}gridSpan") if tcpr is not None else None
            span = int(span_el.get(f"{_W}val", "1")) if span_el is not None else 1
            vmerge = tcpr.find(f"{_W}vMerge") if tcpr is not None else None
            vval = vmerge.get(f"{_W}val", "continue") if vmerge is not None else None
            if vval == "continue" and col in open_down:
                open_down[col][2] = r
                row.extend([None] * span)
            else:
                if col in open_down:  # a vertical merge above ends here
                    merges.append(tuple(open_down.pop(col)))
                text = _cell_text(tc)
                row.append(text or None)
                row.extend([None] * (span - 1))
                if vval == "restart":
                    open_down[col] = [r, col, r, col + span - 1]
                elif span > 1:
                    merges.append((r, col, r, col + span - 1))
            col += span
        rows.append(row)
    merges.extend(tuple(m) for m in open_down.values())
    width = max((len(r) for r in rows), default=0)
    rows = [r + [None] * (width - len(r)) for r in rows]
    return Table(rows, sorted(set(merges)), [f"Bảng {number}, hàng {i + 1}" for i in range(len(rows))])


def _body_blocks(parent):
    """The body's paragraphs and tables in order, looking inside content
    controls (w:sdt) and tracked insertions that wrap them."""
    for element in parent.iterchildren():
        if element.tag in (f"{_W}p", f"{_W}tbl"):
            yield element
        elif element.tag == f"{_W}sdt":
            content = element.find(f"{_W}sdtContent")
            if content is not None:
                yield from _body_blocks(content)
        elif element.tag in (f"{_W}ins", f"{_W}customXml"):
            yield from _body_blocks(element)


def load_docx_grids(path: Path, findings: Findings) -> list[Grid]:
    """Read a .docx into one grid (paragraphs and tables in reading order).

    Refuses, with one clear error and never an exception, empty, oversized,
    password-protected, macro-enabled and damaged documents.
    """
    problem = file_problem(path, MAX_DOCUMENT_BYTES)
    if problem:
        return refuse(findings, path, *problem)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == _OLE_MAGIC:  # not a zip: an encrypted Word file, or an old .doc renamed
        if _is_encrypted_package(path):
            return refuse(findings, path, "password_protected",
                          _("the document is password-protected; open it in Word, remove the password "
                            "(File › Info › Protect Document) and save it again as .docx"))
        return refuse(findings, path, "unsupported_document",
                      _("this is a Word 97-2003 document (.doc) under a .docx name; open it in Word "
                        "and save it as .docx"))
    if not zipfile.is_zipfile(path):
        return refuse(findings, path, "not_a_document",
                      _("this is not a Word document (.docx): the file is not a valid Office Open XML package "
                        "(corrupt, or another format renamed)"))
    try:
        with zipfile.ZipFile(path) as archive:
            check_sizes(archive)
            names = archive.namelist()
            if "word/document.xml" not in names:
                return refuse(findings, path, "not_a_document",
                              _("the file is a zip archive but holds no Word document"))
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return refuse(findings, path, "macro_enabled",
                              _("the document contains macros (vbaProject.bin); save it as a plain .docx"))
            check_declarations(archive, ".docx")
        import docx  # noqa: PLC0415  (only Word documents need it)
        document = docx.Document(str(path))
    except Refused as exc:
        return refuse(findings, path, exc.check, exc.message)
    except Exception as exc:  # damaged package or XML
        reason = clean_text(str(exc))[:160] or type(exc).__name__
        return refuse(findings, path, "corrupt_file",
                      _("the Word document is damaged and cannot be opened ({reason})").format(reason=reason))

    blocks: list[Block] = []
    n_par = n_tab = 0
    last_table: int | None = None  # index in blocks of the table a following table may continue
    for element in _body_blocks(document.element.body):
        if element.tag == f"{_W}p":
            n_par += 1
            text = clean_text("".join(t.text or "" for t in element.iter(f"{_W}t")))
            if text and last_table is not None and is_continuation_heading(text):
                continue  # "Biểu 01 (tiếp)" between two parts of a table
            if text:
                blocks.append(Paragraph(text, f"đoạn {n_par}"))
                last_table = None
        elif element.tag == f"{_W}tbl":
            n_tab += 1
            table = _read_table(element, n_tab)
            if last_table is not None and continues(blocks[last_table], table):
                blocks[last_table] = join(blocks[last_table], table)
            else:
                blocks.append(table)
                last_table = len(blocks) - 1
    return [grid_from_blocks(path.name, blocks)]
