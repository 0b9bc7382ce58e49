"""The OCR carrier: scanned pages (a PDF without a text layer, or its scanned
pages; images .png, .jpg, .tif, multi-page TIFF) → the same blocks as a PDF
with a text layer, so the finder, parsers, checks and narrative reader work
unchanged.

Engine: Tesseract with its Vietnamese data (``vie``), through pytesseract; the
images are prepared with OpenCV. No model is downloaded at run time. Per page:

1. **Prepare.** A red seal or stamp is taken out of a colour scan (its pixels
   made white); the page is made grey, straightened (the angle within ±4° that
   makes the text lines sharpest, :func:`deskew`), and its ruling lines (table
   borders) are erased, so that a ruled table reads as one without rules.
2. **Words.** Tesseract gives each word, its box and its confidence (0–100). A
   page read upside down (few confident words) is read again turned by 180°,
   and the better reading kept. A blank page, or one where nothing reads as
   text (a photo), is refused page by page in plain words.
3. **Ruled tables, cell by cell.** The ruling lines give the cells
   (:func:`find_cells`); the ink of every cell is cut out and laid on one
   sheet, far apart, read in one call, and its words replace the page's
   reading of the table (a word never runs into the next column). A short
   cell read unsure ("1D" for 15) is read again as a figure.
4. **Figures re-read.** Each word that is (or may be) a figure is cut out,
   binarised in several ways (as scanned: enlarged, a clear "57" reads "97")
   and read again as a single line of digits; the readings vote (:func:`vote`). A word whose
   readings disagree, or whose confidence is low, is *uncertain*: the cell it
   lands in carries the reading, the alternatives and a crop of the scan.
5. **Layout.** The words become text lines cut into segments where the gap is
   wide (:func:`ntm_analysis.reading.sources.pdf_layout.line_from_chars`, a word for a
   character), and tables are found from the alignment of the words, as for a
   PDF whose tables have no rules (:mod:`.pdf_layout`).

Positions are in points (1/72 inch) from the page's top left, as pdfplumber
gives them, so the layout rules measured in font sizes apply unchanged.
"""
from __future__ import annotations

import io
import math
import os
import re
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ...config import MAX_DOCUMENT_BYTES, MAX_IMAGE_PAGES, MAX_SECONDS_PER_OCR_PAGE
from ...i18n import _, num
from ...text import clean_text
from ..scan_text import note_low_confidence
from .document import Paragraph, Table, file_problem, grid_from_blocks
from .ocr_specks import without_specks
from .pdf import assemble_pages, layout_blocks
from .pdf_layout import Line, line_from_chars

#: Tesseract's language data used (Vietnamese; its Latin letters and digits cover the plans' tables).
LANGUAGE = "vie"
#: The resolution (dots per inch) a PDF page without text is rendered at, and the one assumed for an
#: image that does not say its own.
RENDER_DPI, DEFAULT_IMAGE_DPI = 300, 200
#: A figure is enlarged this many times before it is read again alone (measured on scans at 150–200 dpi:
#: enlarged 2 or 3 times, a clear "57" read "97" or "7"; as scanned, "57").
ZOOM = 1
#: Below this confidence (0–100) a word is uncertain, even when its readings agree.
MIN_CONFIDENCE = 60.0
#: A table's cell holding a short text (six characters at most) read with a confidence below this is read
#: again as a figure.
SHORT_CELL_CONFIDENCE = 50.0
#: ... and one read as letters only ("TT" at 34 is the column "TT"; "Tểi" at 0 was "1.1.") below this.
SHORT_WORD_CONFIDENCE = 20.0
#: A page whose words have a median confidence below this reads as no text (turned, or not a document).
MIN_PAGE_CONFIDENCE = 55.0
#: A page read with a median confidence below this is read again turned by 180° (the better reading kept).
UPRIGHT_CONFIDENCE = 85.0
#: A page is text when at least this many of its words read confidently as words.
MIN_REAL_WORDS = 8
#: A page with fewer dark pixels than this share is blank.
BLANK_SHARE = 0.002
#: A page scanned coarser than this (dots per inch) is enlarged to it before it is read.
MIN_DPI = 200.0
#: Pages read by OCR at the same time (Tesseract runs one thread each).
OCR_WORKERS = 2
#: The widest skew corrected (degrees).
MAX_SKEW = 4.0
#: The tallest sheet of cells read in one call (px; Tesseract takes images up to 32 767 px high).
SHEET_HEIGHT = 30000

_NUMERIC = re.compile(r"^[(\-–]?[\d][\d.,%\s]*[)]?$")
_DIGITS = "0123456789.,%-"
#: What the remains of a ruling line read as ("=", "—", "|"): dropped beside the words of a cell.
_RULE_MARK = re.compile(r"^[=—_~“”\"'|`¬]+$")


@dataclass
class Word:
    """One word read from a page: text, confidence (0–100), box (pt), and for a
    figure read again the readings that disagree and a crop of the scan."""

    text: str
    conf: float
    x0: float
    top: float
    x1: float
    bottom: float
    alternatives: list[str] = field(default_factory=list)
    uncertain: bool = False
    crop: bytes = b""  # PNG of the word on the scan, for an uncertain figure
    box_px: tuple[int, int, int, int] = (0, 0, 0, 0)
    short_cell: bool = False  # all a short cell holds, read unsure: read again as a figure


@dataclass
class OcrPage:
    """One page read by OCR: its text lines (for the layout) and the words on them."""

    lines: list[Line]
    words: list[list[Word]]  # the words of each line, left to right
    seconds: float
    problem: str = ""  # why the page gives no text ("blank", "no_text", "too_slow", "engine_error"), "" when it reads
    reason: str = ""  # the engine's own words, for "engine_error"


# --------------------------------------------------------------------------- engine
@lru_cache(maxsize=1)
def engine_problem() -> str:
    """Why OCR cannot run here, in plain words with what to install; "" when it can."""
    try:
        import cv2  # noqa: F401, PLC0415
        import pytesseract  # noqa: PLC0415
    except ImportError as exc:
        return _("the Python packages for OCR are missing ({name}): run make setup").format(name=exc.name)
    if shutil.which("tesseract") is None:
        return _("the OCR engine Tesseract is not installed: install the packages tesseract-ocr and "
                 "tesseract-ocr-vie (apt-get install tesseract-ocr tesseract-ocr-vie)")
    try:
        languages = pytesseract.get_languages(config="")
    except Exception as exc:  # noqa: BLE001 - a broken installation, said in words
        return _("the OCR engine Tesseract does not run ({reason})").format(reason=clean_text(str(exc))[:120])
    if LANGUAGE not in languages:
        return _("Tesseract has no Vietnamese data: install the package tesseract-ocr-vie")
    return ""


# --------------------------------------------------------------------------- images
def _grey_without_seal(image):
    """A PIL image → a grey numpy array, red ink (a seal, a stamp, a signature in
    red) turned white so it does not hide the text under it."""
    import numpy as np  # noqa: PLC0415

    if image.mode in ("RGB", "RGBA", "P", "CMYK"):
        rgb = np.asarray(image.convert("RGB")).astype(np.int16)
        r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
        grey = (0.299 * r + 0.587 * g + 0.114 * b).astype(np.uint8)
        red = (r - np.maximum(g, b) > 60) & (r > 120)
        grey[red] = 255
        return grey
    return np.asarray(image.convert("L")).copy()


def _binary(grey):
    """Ink as 255 on 0 (Otsu's threshold)."""
    import cv2  # noqa: PLC0415

    _t, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink


def deskew(grey):
    """The page turned so that its text lines are level: the angle within
    ±:data:`MAX_SKEW` degrees whose rows of ink are sharpest (largest variance
    of the row sums), found on a reduced copy. Returns (image, angle)."""
    import cv2  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    ink = _binary(grey)
    scale = 800 / max(ink.shape)
    small = cv2.resize(ink, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else ink
    h, w = small.shape

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        turned = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        return float(np.var(turned.sum(axis=1, dtype=np.float64)))

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5), key=sharpness)
    fine = max(np.arange(best - 0.4, best + 0.41, 0.1), key=sharpness)
    if abs(fine) < 0.05:
        return grey, 0.0
    h0, w0 = grey.shape
    m = cv2.getRotationMatrix2D((w0 / 2, h0 / 2), float(fine), 1.0)
    return cv2.warpAffine(grey, m, (w0, h0), flags=cv2.INTER_CUBIC, borderValue=255), float(fine)


def despeckle(grey):
    """A black-and-white scan (a fax) without its specks: dots of ink of one or
    two pixels standing alone, painted white (a comma or a full stop is larger)."""
    import cv2  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    ink = (grey < 128).astype(np.uint8)
    n, labels, stats, _c = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] <= 2)
    small = small[small > 0]
    if len(small):
        out = grey.copy()
        out[np.isin(labels, small)] = 255
        return out
    return grey


def _is_bilevel(grey) -> bool:
    """Whether a page holds only black and white (a fax, or a scan thresholded)."""
    import numpy as np  # noqa: PLC0415

    return float(np.count_nonzero((grey > 40) & (grey < 215))) < 0.001 * grey.size


def erase_rules(grey, dpi: float):
    """The page without its ruling lines (long thin horizontal and vertical
    strokes: table borders, underlines), painted white; and the lines (ink 255)."""
    import cv2  # noqa: PLC0415

    ink = _binary(grey)
    long = max(int(dpi * 0.6), 20)  # a stroke longer than 0.6 inch is no letter
    bridge = max(3, int(dpi / 60))  # a rule broken by the scan (a fax) is whole again over gaps this wide
    rules = [cv2.morphologyEx(cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, k)),
                              cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long, 1) if k[0] > 1 else
                                                                        (1, long)))
             for k in ((bridge, 1), (1, bridge))]
    rules = (rules[0] | rules[1]) & ink
    rules = cv2.dilate(rules, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    out = grey.copy()
    out[rules > 0] = 255
    return out, rules


Box = tuple[int, int, int, int]  # left, top, width, height (px)


def find_cells(rules, dpi: float) -> tuple[list[Box], list[Box]]:
    """The cells of the ruled tables of a page, from its ruling lines: the
    rectangles the lines close all round; and the tables (the boxes of the
    ruling lines that hold cells)."""
    import cv2  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    reach = max(3, int(dpi / 40))  # a rule broken by a poor scan is closed over gaps this wide
    walls = cv2.dilate(rules, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, reach)))
    n, _labels, stats, _c = cv2.connectedComponentsWithStats(walls, connectivity=8)
    frames = [(int(x), int(y), int(w), int(h)) for x, y, w, h, _a in stats[1:n] if w > dpi and h > 0.3 * dpi]
    free = (walls == 0).astype(np.uint8)
    n, _labels, stats, _c = cv2.connectedComponentsWithStats(free, connectivity=4)
    height, width = free.shape
    cells = []
    for x, y, w, h, area in stats[1:n]:
        if x == 0 or y == 0 or x + w >= width or y + h >= height:
            continue  # the page around the tables
        if w < 0.12 * dpi or h < 0.1 * dpi or w * h > 0.4 * width * height or area < 0.8 * w * h:
            continue  # a letter's hole, or no rectangle
        cells.append((int(x) - reach // 2, int(y) - reach // 2, int(w) + reach, int(h) + reach))
    tables = [f for f in frames if any(_within(c, f) for c in cells)]
    return cells, tables


def _within(inner: Box, outer: Box) -> bool:
    cx, cy = inner[0] + inner[2] / 2, inner[1] + inner[3] / 2
    return outer[0] <= cx <= outer[0] + outer[2] and outer[1] <= cy <= outer[1] + outer[3]


# --------------------------------------------------------------------------- reading
#: A word as Tesseract gives it: text, confidence, left, top, width, height (px), (block, paragraph, line).
RawWord = tuple[str, float, int, int, int, int, tuple[int, int, int]]


def _data(grey, config: str, timeout: float, language: str = LANGUAGE) -> list[RawWord]:
    """Tesseract's words: (text, confidence, left, top, width, height, (block, paragraph, line))."""
    import pytesseract  # noqa: PLC0415

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one thread per page: several threads are slower on a busy machine
    d = pytesseract.image_to_data(grey, lang=language, config=config, timeout=timeout,
                                  output_type=pytesseract.Output.DICT)
    out = []
    for i, text in enumerate(d["text"]):
        text = clean_text(text or "")
        if not text:
            continue
        out.append((text, float(d["conf"][i]), d["left"][i], d["top"][i], d["width"][i], d["height"][i],
                    (d["block_num"][i], d["par_num"][i], d["line_num"][i])))
    return out


def _median(values: list[float]) -> float:
    values = sorted(values)
    return values[len(values) // 2] if values else 0.0


def _may_be_figure(text: str, conf: float) -> bool:
    """A word worth reading again as digits: it looks like a figure, or it is a
    short, unsure reading without a run of small letters ("EÝ/" for "57")."""
    if _NUMERIC.match(text):
        return True
    # a figure misread as marks: short, unsure, with a digit or a sign ("⁄5", "E)", "+,"); never a word
    # of letters ("Si" of Si Ma Cai, "EÝ/"), nor letters with a digit ("số3" is a word and a figure)
    if conf >= MIN_CONFIDENCE or len(text) > 6 or re.search(r"[^\W\d_]{2}", text):
        return False
    if re.search(r"[^\W\d_]", text) and re.search(r"\d", text):
        return False
    return bool(re.search(r"[\d/|\\!?<>{}\[\]()+:;*'\"⁄~=_]", text))


def _variants(crop):
    """The crop enlarged and binarised in several ways (Otsu, adaptive, a darker threshold)."""
    import cv2  # noqa: PLC0415

    big = cv2.resize(crop, None, fx=ZOOM, fy=ZOOM, interpolation=cv2.INTER_CUBIC)
    _t, otsu = cv2.threshold(big, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    adaptive = cv2.adaptiveThreshold(cv2.GaussianBlur(big, (3, 3), 0), 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C,
                                     cv2.THRESH_BINARY, 31, 10)
    eroded = cv2.erode(otsu, cv2.getStructuringElement(cv2.MORPH_RECT, (2, 2)))  # strokes thickened
    return [otsu, adaptive, eroded]


def _normal_figure(text: str) -> str:
    return re.sub(r"\s+", "", text).strip(".,")


def vote(original: str, original_conf: float, readings: list[str]) -> tuple[str, list[str], bool]:
    """The reading of a figure from its first reading and its re-readings:
    (chosen text, the other readings, uncertain). The readings that agree most
    win (the first reading breaks a tie when it is a figure); the figure is
    certain only when every reading that gave digits agrees and the first
    reading was confident."""
    first = _normal_figure(original) if _NUMERIC.match(original) else ""
    found = [r for r in (_normal_figure(x) for x in readings) if r and any(ch.isdigit() for ch in r)]
    pool = ([first] if first else []) + found
    if not pool:
        return original, [], True
    counts = Counter(pool)
    top = max(counts.values())
    winners = [r for r, n in counts.items() if n == top]
    chosen = first if first in winners else winners[0]
    others = [r for r in counts if r != chosen]
    uncertain = bool(others) or not first or original_conf < MIN_CONFIDENCE or len(pool) < 2
    return chosen, others, uncertain


def _reread_figures(grey, words: list[Word], timeout: float) -> None:
    """Read every figure again alone (enlarged, several binarisations, digits
    only) and vote; mark the words whose readings disagree as uncertain. All
    crops go on one sheet, a row per binarisation, far apart, read in one call."""
    import cv2  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    todo = [w for w in words if w.short_cell or _may_be_figure(w.text, w.conf)]
    if not todo:
        return
    crops, variants = [], []
    height = int(ZOOM * max(w.box_px[3] for w in todo)) + 8
    for w in todo:
        x, y, ww, hh = w.box_px
        pad = max(3, hh // 5)
        crop = grey[max(0, y - pad):y + hh + pad, max(0, x - pad):x + ww + pad]
        crops.append(crop)
        variants.append([v[:height] for v in _variants(crop)])
    gap = height // 2
    rows = len(variants[0])
    width = max(v[0].shape[1] for v in variants) + 2 * gap
    lines = [(k, r) for k in range(len(variants)) for r in range(rows)]
    readings: list[list[list[tuple[int, str]]]] = [[[] for _r in range(rows)] for _v in variants]
    per_sheet = max(1, 30000 // (height + gap) - 1)  # Tesseract takes images up to 32 767 px high
    for first in range(0, len(lines), per_sheet):
        part = lines[first:first + per_sheet]
        sheet = np.full((len(part) * (height + gap) + gap, width), 255, np.uint8)
        for i, (k, r) in enumerate(part):  # one line per crop and binarisation: Tesseract reads lines apart
            v = variants[k][r]
            top = gap + i * (height + gap) + (height - v.shape[0]) // 2
            sheet[top:top + v.shape[0], gap:gap + v.shape[1]] = v
        found = _data(sheet, f"--psm 6 -c tessedit_char_whitelist={_DIGITS}", timeout, _digits_language())
        for text, _c, left, top, _w, h, _n in found:
            i = int((top + h / 2 - gap / 2) // (height + gap))
            if 0 <= i < len(part):
                k, r = part[i]
                readings[k][r].append((left, text))
    texts = [["".join(t for _l, t in sorted(readings[k][r])) for r in range(rows)] for k in range(len(todo))]
    # a figure whose first reading gave no figure ("1D" for 15) is read once more by the Vietnamese model, digits
    # only, to stand in for its first reading: the figure is certain only when both models agree
    garbled = [k for k, w in enumerate(todo) if not _NUMERIC.match(w.text) and any(
        ch.isdigit() for t in texts[k] for ch in t)]
    second = dict(zip(garbled, _read_lines([variants[k][0] for k in garbled], height, gap, timeout, LANGUAGE)))
    # ... and as words: a word read clearly so ("TT", the column's heading, first read "Bị") is no figure
    words_read = dict(zip(garbled, _read_lines([variants[k][0] for k in garbled], height, gap, timeout, LANGUAGE,
                                               digits=False)))
    for k, (text, conf) in words_read.items():
        if conf >= MIN_CONFIDENCE and re.search(r"[^\W\d_]{2}", text) and not re.search(r"\d", text):
            todo[k].text, todo[k].conf = text, conf
            texts[k] = []
    for k, w in enumerate(todo):
        if not texts[k]:
            continue
        first, conf = second.get(k, (w.text, w.conf))
        chosen, others, uncertain = vote(first, conf, texts[k])
        if not _NUMERIC.match(w.text) and not any(ch.isdigit() for ch in chosen):
            continue  # a short word that is no figure after all
        w.text, w.alternatives, w.uncertain = chosen, others, uncertain
        if uncertain:
            ok, png = cv2.imencode(".png", crops[k])
            w.crop = png.tobytes() if ok else b""


def _read_lines(images: list, height: int, gap: int, timeout: float, language: str,
                digits: bool = True) -> list[tuple[str, float]]:
    """Images of one line each (at most ``height`` px high), read (as digits) in one call: (text, confidence)
    each."""
    import numpy as np  # noqa: PLC0415

    if not images:
        return []
    width = max(v.shape[1] for v in images) + 2 * gap
    out: list[list[tuple[int, str, float]]] = [[] for _v in images]
    per_sheet = max(1, SHEET_HEIGHT // (height + gap) - 1)
    for first in range(0, len(images), per_sheet):
        part = images[first:first + per_sheet]
        sheet = np.full((len(part) * (height + gap) + gap, width), 255, np.uint8)
        for i, v in enumerate(part):
            top = gap + i * (height + gap) + (height - v.shape[0]) // 2
            sheet[top:top + v.shape[0], gap:gap + v.shape[1]] = v
        config = f"--psm 6 -c tessedit_char_whitelist={_DIGITS}" if digits else "--psm 6"
        for text, conf, left, top, _w, h, _n in _data(sheet, config, timeout, language):
            i = int((top + h / 2 - gap / 2) // (height + gap))
            if 0 <= i < len(part):
                out[first + i].append((left, text, conf))
    return [("".join(t for _l, t, _c in sorted(o)), min((c for _l, _t, c in o), default=0.0)) for o in out]


@lru_cache(maxsize=1)
def _digits_language() -> str:
    """The language data figures are read again with: English when installed (smaller, as good for
    digits), else Vietnamese."""
    import pytesseract  # noqa: PLC0415

    return "eng" if "eng" in pytesseract.get_languages(config="") else LANGUAGE


def _lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into text lines: a word joins the line whose vertical
    middle it overlaps most (lines across the whole page, as pdfplumber gives
    them), top to bottom, each left to right."""
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        middle = (w.top + w.bottom) / 2
        if rows:
            last = rows[-1]
            top = _median([x.top for x in last])
            bottom = _median([x.bottom for x in last])
            if top <= middle <= bottom:
                last.append(w)
                continue
        rows.append([w])
    return [sorted(r, key=lambda w: w.x0) for r in rows]


def _line(words: list[Word], size: float) -> Line:
    # each word a "character" of the line, followed by a space: two words are never run together
    chars = [{"text": w.text + " ", "x0": w.x0, "x1": w.x1, "top": w.top, "bottom": w.bottom, "size": size}
             for w in words]
    top, bottom = min(w.top for w in words), max(w.bottom for w in words)
    return line_from_chars(" ".join(w.text for w in words), chars, top, bottom)


def _page_words(grey, dpi: float, timeout: float) -> tuple[list[Word], float]:
    found = _data(grey, "--psm 6", timeout)
    k = 72.0 / dpi
    # a letter and a digit run together are two words ("số1" is "số 1": no Vietnamese word holds a digit)
    words = [Word(re.sub(r"(?<=[^\W\d_])(?=\d)", " ", t), c, left * k, top * k, (left + w) * k, (top + h) * k,
                  box_px=(left, top, w, h))
             for t, c, left, top, w, h, _n in found if c >= 0]
    return words, _median([w.conf for w in words if len(w.text) > 1])


def _cell_words(grey, cells: list[Box], dpi: float, timeout: float) -> list[Word]:
    """The words of a ruled table's cells, each cell read apart from its
    neighbours (so that a word never runs into the next column): the ink of
    every cell cut out and laid on one sheet, far apart, read in one call (a
    sheet per :data:`SHEET_HEIGHT` px), each word put back where its cell is."""
    import numpy as np  # noqa: PLC0415

    ink = _binary(grey)
    pad, gap, margin = max(4, int(dpi / 25)), max(20, int(dpi / 4)), max(20, int(dpi / 5))
    edge = max(2, int(dpi / 35))
    least = max(6, int((dpi / 40) ** 2))  # fewer dark pixels than this: an empty cell (a speck)
    placed: list[tuple[int, int, int, int, int, int]] = []  # (sheet top, page left, page top, width, height, sheet)
    crops = []
    sheet_no, y = 0, margin
    for x0, y0, w, h in sorted(cells, key=lambda c: (c[1], c[0])):
        inner = ink[max(0, y0 + edge):y0 + h - edge, max(0, x0 + edge):x0 + w - edge]  # the rules' remains left out
        ys, xs = np.nonzero(inner)
        if len(ys) < least:
            continue
        top, left = max(0, y0 + edge + int(ys.min()) - pad), max(0, x0 + edge + int(xs.min()) - pad)
        bottom, right = y0 + edge + int(ys.max()) + pad + 1, x0 + edge + int(xs.max()) + pad + 1
        crop = grey[top:bottom, left:right]
        if y + crop.shape[0] + margin > SHEET_HEIGHT:
            sheet_no, y = sheet_no + 1, margin
        placed.append((y, left, top, crop.shape[1], crop.shape[0], sheet_no))
        crops.append(crop)
        y += crop.shape[0] + gap
    words: list[Word] = []
    by_cell: dict[int, list[Word]] = {}
    lines_of: dict[int, tuple[int, int, int]] = {}
    k = 72.0 / dpi
    for number in range(sheet_no + 1):
        mine = [i for i, p in enumerate(placed) if p[5] == number]
        if not mine:
            continue
        height = max(placed[i][0] + placed[i][4] for i in mine) + margin
        sheet = np.full((height, max(placed[i][3] for i in mine) + 2 * margin), 255, np.uint8)
        for i in mine:
            sy, _l, _t, w, h, _n = placed[i]
            sheet[sy:sy + h, margin:margin + w] = crops[i]
        for text, conf, left, top, w, h, line in _data(sheet, "--psm 6", timeout):
            if conf < 0:
                continue
            middle = top + h / 2
            i = next((i for i in mine if placed[i][0] - gap / 2 <= middle < placed[i][0] + placed[i][4] + gap / 2),
                     None)
            if i is None:
                continue
            sy, page_left, page_top, _w, _h, _n = placed[i]
            px, py = page_left + left - margin, page_top + top - sy
            text = re.sub(r"(?<=[^\W\d_])(?=\d)", " ", text)
            by_cell.setdefault(i, []).append(
                Word(text, conf, px * k, py * k, (px + w) * k, (py + h) * k, box_px=(px, py, w, h)))
            lines_of[id(by_cell[i][-1])] = line
    for i, found in sorted(by_cell.items()):
        found = _without_marks(found)
        _even_lines(found, [lines_of[id(w)] for w in found], k)
        found = _short_cell(found)
        if len(found) == 1:  # a cell of one word ("57" read "7"): the figure read again is all the cell's ink
            _sy, left, top, w, h, _n = placed[i]
            found[0].box_px = (left + pad, top + pad, w - 2 * pad, h - 2 * pad)
        words += found
    return words


def _even_lines(words: list[Word], lines: list[tuple[int, int, int]], k: float) -> None:
    """The text lines of one cell placed evenly from its top to its bottom (pt), each as high as the
    cell's text over its number of lines: a line of letters without ascenders ("ương") is no further
    from the line above than any other, so the layout keeps it in its cell."""
    order = sorted(set(lines), key=lambda key: min(w.box_px[1] for w, n in zip(words, lines) if n == key))
    if len(order) < 2:
        return
    top = min(w.box_px[1] for w in words)
    slot = (max(w.box_px[1] + w.box_px[3] for w in words) - top) / len(order)
    for w, key in zip(words, lines):
        row = order.index(key)
        w.top, w.bottom = (top + row * slot) * k, (top + (row + 1) * slot) * k


def _without_marks(words: list[Word]) -> list[Word]:
    """A cell's words without the marks beside them that a rule or a speck leaves ("“", "="): read unsure
    and no letter nor digit, or a rule's remains."""
    marks = [w for w in words if (w.conf < MIN_CONFIDENCE and not any(ch.isalnum() for ch in w.text))
             or _RULE_MARK.match(w.text)]
    return [w for w in words if w not in marks] if len(marks) < len(words) else words


def _short_cell(words: list[Word]) -> list[Word]:
    """A cell's words; a short
    cell read unsure ("1D", "S 2", "Tểi" for 15, 5,2 and 1.1.) as one word, to
    be read again as a figure (Tesseract misreads a short line standing alone
    more often than a word in a sentence)."""
    text = "".join(w.text for w in words)
    # a word of letters ("TT", "Xã") is read again only when nearly unread ("Tểi" for 1.1., confidence 0)
    unsure = min(w.conf for w in words) < (SHORT_WORD_CONFIDENCE if text.isalpha() and len(text) > 1
                                           else SHORT_CELL_CONFIDENCE)
    if len(text) > 6 or _NUMERIC.match(text) or not (unsure or any(ch.isdigit() for ch in text)):
        return words
    x0, top = min(w.box_px[0] for w in words), min(w.box_px[1] for w in words)
    x1 = max(w.box_px[0] + w.box_px[2] for w in words)
    bottom = max(w.box_px[1] + w.box_px[3] for w in words)
    if bottom - top > 2 * max(w.box_px[3] for w in words):
        return words  # more than one line: a label
    k = words[0].x0 / words[0].box_px[0] if words[0].box_px[0] else 72.0 / DEFAULT_IMAGE_DPI
    return [Word(" ".join(w.text for w in words), min(w.conf for w in words), x0 * k, top * k, x1 * k, bottom * k,
                 box_px=(x0, top, x1 - x0, bottom - top), short_cell=True)]


def _inside(word: Word, boxes: list[Box]) -> bool:
    return any(_within(word.box_px, box) for box in boxes)


def read_page(image, dpi: float | None, started: float | None = None) -> OcrPage:
    """One scanned page (a PIL image at ``dpi`` dots per inch) → its text lines
    and words, or a page that gives no text and why."""
    import cv2  # noqa: PLC0415

    started = time.monotonic() if started is None else started
    dpi = float(dpi or DEFAULT_IMAGE_DPI)
    grey = _grey_without_seal(image)
    if float((grey < 128).mean()) < BLANK_SHARE:
        return OcrPage([], [], time.monotonic() - started, "blank")
    if _is_bilevel(grey):  # a fax: its specks would read as marks, and join the letters once enlarged
        grey = despeckle(grey)
    if dpi < MIN_DPI:  # small print reads better enlarged
        factor = MIN_DPI / dpi
        grey = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        dpi = MIN_DPI
    try:
        return _read_prepared(grey, dpi, started)
    except RuntimeError as exc:  # Tesseract stopped at the page's time bound, or failed on the page
        problem = "too_slow" if "timeout" in str(exc).lower() else "engine_error"
        return OcrPage([], [], time.monotonic() - started, problem, clean_text(str(exc))[:160])


def _read_prepared(grey, dpi: float, started: float) -> OcrPage:
    import numpy as np  # noqa: PLC0415

    grey, _angle = deskew(grey)
    grey, rules = erase_rules(grey, dpi)
    timeout = max(5.0, MAX_SECONDS_PER_OCR_PAGE - (time.monotonic() - started))
    words, confidence = _page_words(grey, dpi, timeout)
    if confidence < UPRIGHT_CONFIDENCE or not _reads_as_text(words):  # upside down, or no text at all
        turned = np.ascontiguousarray(grey[::-1, ::-1])
        timeout = max(5.0, MAX_SECONDS_PER_OCR_PAGE - (time.monotonic() - started))
        words2, confidence2 = _page_words(turned, dpi, timeout)
        if _real_words(words2) > _real_words(words):
            grey, words, confidence = turned, words2, confidence2
            rules = np.ascontiguousarray(rules[::-1, ::-1])
    if confidence < MIN_PAGE_CONFIDENCE or not _reads_as_text(words):
        return OcrPage([], [], time.monotonic() - started, "no_text")
    cells, tables = find_cells(rules, dpi)
    del rules
    if cells:  # a ruled table: its cells read apart, in place of the page's reading of the table
        timeout = max(5.0, MAX_SECONDS_PER_OCR_PAGE - (time.monotonic() - started))
        words = [w for w in words if not _inside(w, tables + cells)] + _cell_words(grey, cells, dpi, timeout)
    timeout = max(5.0, MAX_SECONDS_PER_OCR_PAGE - (time.monotonic() - started))
    _reread_figures(grey, words, timeout)
    size = _median([w.bottom - w.top for w in words if len(w.text) > 1 and w.text.isalpha()]) or 10.0
    size *= 1.25  # a word's box (x-height to ascenders) is smaller than the font's size
    grouped = _lines(words)
    return OcrPage([_line(ws, size) for ws in grouped], grouped, time.monotonic() - started)


def read_pages(pages) -> dict[int, OcrPage]:
    """Pages (page number, PIL image, dpi) read :data:`OCR_WORKERS` at a time: page number -> its reading.
    ``pages`` is taken as the workers need it, so that only the pages being read are in memory."""
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait  # noqa: PLC0415

    out: dict[int, OcrPage] = {}
    with ThreadPoolExecutor(OCR_WORKERS) as pool:
        running: dict = {}
        for n, image, dpi in pages:
            if len(running) >= OCR_WORKERS:
                done, _pending = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    out[running.pop(future)] = future.result()
            running[pool.submit(read_page, image, dpi)] = n
            del image
        for future, n in running.items():
            out[n] = future.result()
    return dict(sorted(out.items()))


def _reads_as_text(words: list[Word]) -> bool:
    """Words enough that read as words (two or more letters or digits, confidently): a photo
    or a drawing gives marks that Tesseract reads as short, unsure scraps."""
    real = _real_words(words)
    return real >= MIN_REAL_WORDS and real >= 0.4 * len(words)


def _real_words(words: list[Word]) -> int:
    return sum(1 for w in words if w.conf >= 70 and sum(ch.isalnum() for ch in w.text) >= 2)


def page_problem(page: OcrPage, page_no: int) -> str:
    """Why a page gives no text, in plain words naming it."""
    if page.problem == "blank":
        return _("page {page} is blank").format(page=page_no)
    if page.problem == "engine_error":
        return _("page {page} cannot be read by OCR ({reason})").format(page=page_no, reason=page.reason)
    if page.problem == "too_slow":
        return _("page {page} took more than {seconds} s to read by OCR and is not read; scan it again, plainly, "
                 "at 200–300 dpi").format(page=page_no, seconds=num(MAX_SECONDS_PER_OCR_PAGE))
    return _("page {page} reads as no text (a photo, a drawing, or a scan too faint or too coarse): nothing is "
             "read from it; scan it again at 200–300 dpi").format(page=page_no)


# --------------------------------------------------------------------------- files
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


def image_pages(path: Path):
    """The pages of an image file (a multi-page TIFF has several): (PIL image, dpi)."""
    from PIL import Image, ImageSequence  # noqa: PLC0415

    Image.MAX_IMAGE_PIXELS = 200_000_000
    with Image.open(path) as image:
        for frame in ImageSequence.Iterator(image):
            dpi = frame.info.get("dpi", (None,))[0]
            dpi = float(dpi) if dpi and 70 <= float(dpi) <= 1200 else None
            yield frame.copy(), dpi


def png_bytes(array) -> bytes:
    from PIL import Image  # noqa: PLC0415

    out = io.BytesIO()
    Image.fromarray(array).save(out, format="PNG")
    return out.getvalue()


def seconds_text(seconds: float) -> str:
    return num(seconds, 0)


# --------------------------------------------------------------------------- pages → blocks
@dataclass
class Doubt:
    """An uncertain figure of a table: what was read, the other readings, its
    confidence (0–100) and a crop of the scan (PNG)."""

    reading: str
    alternatives: list[str]
    confidence: float
    crop: bytes


def _annotator(page: OcrPage, lines: list[Line]):
    """The function that gives a table built from ``page``'s lines each cell's
    confidence and its doubts: the words of each column, top to bottom, are
    matched in order to the cells of that column."""

    def annotate(table, taken: list[int], columns) -> None:
        by_col: dict[int, list[Word]] = {}
        for k in taken:
            for w in page.words[k]:
                middle = (w.x0 + w.x1) / 2
                col = min(range(len(columns)), key=lambda c: 0 if columns[c][0] - 1 <= middle <= columns[c][1] + 1
                          else min(abs(middle - columns[c][0]), abs(middle - columns[c][1])))
                by_col.setdefault(col, []).append(w)
        for col, words in by_col.items():
            cells = [(r, re.sub(r"\s+", "", row[col])) for r, row in enumerate(table.rows)
                     if col < len(row) and row[col]]
            i, pos = 0, 0
            for w in words:
                token = re.sub(r"\s+", "", w.text)
                j, p = i, pos
                while j < len(cells) and cells[j][1].find(token, p) < 0:
                    j, p = j + 1, 0
                if j == len(cells):
                    continue  # a word the layout put elsewhere
                r, text = cells[j]
                i, pos = j, text.find(token, p) + len(token)
                key = (r, col)
                table.confidence[key] = min(w.conf, table.confidence.get(key, 100.0))
                if w.uncertain:
                    table.doubts[key] = Doubt(w.text, list(w.alternatives), w.conf, w.crop)
    return annotate


def ocr_blocks(page: OcrPage, page_no: int, seed, file: str, findings):
    """One scanned page, read → its blocks (as :func:`.pdf.layout_blocks` gives them)
    and the layout of the table it ends with; a page that gives no text is a
    warning naming it."""
    if page.problem:
        findings.add("warning", "ocr_page_unread", page_problem(page, page_no), file=file, cell=f"trang {page_no}")
        return [], None
    page = without_specks(page, _line, MIN_CONFIDENCE)  # noise read as marks: no columns, no lines of its own
    blocks, ending = layout_blocks(page.lines, page_no, seed, annotate=_annotator(page, page.lines))
    words_of: dict[str, list[list[Word]]] = {}
    for line, words in zip(page.lines, page.words):
        words_of.setdefault(line.text, []).append(words)
    for _top, block in blocks:  # the text's unsure figures, named where the narrative reader quotes them
        if not isinstance(block, Paragraph) or not words_of.get(block.text):
            continue
        line_words = words_of[block.text].pop(0)
        note_low_confidence(line_words, MIN_CONFIDENCE, findings, file, block.place)  # named by the narrative
        unsure = [w for w in line_words if w.uncertain]
        if unsure:
            findings.add("warning", "ocr_uncertain", _(
                "the scan's text here reads {words} with low confidence (also read: {others}): check the line on "
                "the scan").format(words=", ".join(f"'{w.text}'" for w in unsure),
                                   others=", ".join(f"'{a}'" for w in unsure for a in w.alternatives) or "–"),
                file=file, cell=block.place)
    return blocks, ending


def doubt_findings(blocks, file: str, findings) -> list[dict]:
    """A warning ``ocr_uncertain`` for each uncertain figure of the tables,
    naming its cell, what was read and the alternatives; returns the doubts
    (cell, reading, alternatives, confidence, crop) for the review sheet."""
    out = []
    for block in blocks:
        if not isinstance(block, Table):
            continue
        for (r, c), doubt in sorted(block.doubts.items()):
            cell = f"{block.places[r]}, cột {c + 1}"
            others = ", ".join(f"'{a}'" for a in doubt.alternatives)
            message = (_("the scan reads '{reading}' here, but the reading is uncertain (confidence {confidence}); "
                         "also read: {others}: check it on the scan").format(
                reading=doubt.reading, confidence=num(doubt.confidence, 0), others=others) if others else
                _("the scan reads '{reading}' here, but the reading is uncertain (confidence {confidence}): "
                  "check it on the scan").format(reading=doubt.reading, confidence=num(doubt.confidence, 0)))
            findings.add("warning", "ocr_uncertain", message, file=file, cell=cell)
            out.append({"cell": cell, "reading": doubt.reading, "alternatives": list(doubt.alternatives),
                        "confidence": doubt.confidence, "crop": doubt.crop})
    return out


def load_image_grids(path: Path, findings) -> list:
    """An image file (.png, .jpg, .tif; a multi-page TIFF page by page) → one grid, read by OCR."""
    problem = file_problem(path, MAX_DOCUMENT_BYTES)
    if problem:
        findings.add("error", problem[0], problem[1], file=path.name)
        return []
    problem = engine_problem()
    if problem:
        findings.add("error", "ocr_unavailable", _("an image is read by OCR, which cannot run here: {problem}").format(
            problem=problem), file=path.name)
        return []
    try:
        pages = list(image_pages(path))
    except Exception as exc:  # noqa: BLE001 - not an image, or a damaged one
        findings.add("error", "corrupt_file", _("the image cannot be opened ({reason})").format(
            reason=clean_text(str(exc))[:160] or type(exc).__name__), file=path.name)
        return []
    if len(pages) > MAX_IMAGE_PAGES:
        findings.add("error", "file_too_large", _("the image has {n} pages; the limit is {limit}").format(
            n=num(len(pages)), limit=num(MAX_IMAGE_PAGES)), file=path.name)
        return []

    read = read_pages((n, image, dpi) for n, (image, dpi) in enumerate(pages, start=1))

    def reader(page_no: int):
        return lambda seed: ocr_blocks(read[page_no], page_no, seed, path.name, findings)

    blocks = assemble_pages(path, findings, ((n, reader(n), math.inf) for n in read))
    if blocks is None:
        return []
    if not blocks:
        findings.add("error", "no_text", _("nothing in the image reads as text: it is not a scanned document (a "
                                           "photo, or a blank page)"), file=path.name)
        return []
    grid = grid_from_blocks(path.name, blocks)
    grid.doubts = doubt_findings(blocks, path.name, findings)
    return [grid]
