"""Make scans of a PDF, as an office's scanner or fax makes them: the pages
rendered to images at 150–300 dpi, a signature and the red seal over the
signature block, a slight skew, noise, blur, JPEG artefacts, greyscale or
black-and-white (fax), a page upside down on request. Seeded: the same
arguments give the same bytes.

The scans are written as a PDF without a text layer (``.pdf``), a multi-page
TIFF (``.tif``) or one image per page (``.png``/``.jpg``: ``NAME-01.png`` …).

    python scripts/make_scans.py PLAN.pdf OUT.pdf --dpi 200 --mode grey --seed 5
    python scripts/make_scans.py PLAN.pdf fax.pdf --dpi 150 --mode fax
    python scripts/make_scans.py PLAN.pdf page.png --pages 14 --skew 3 --upside-down 14

Used by the OCR tests (on the test plan, in a temporary folder) and by
``make bench`` (on the published plan laid out as Word and printed to PDF).
"""
from __future__ import annotations

import argparse
import io
import math
import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

#: Words of the signature block the seal and the signature are put over (the first found wins).
SIGNATURE_WORDS = ("KT. CHỦ TỊCH", "CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "TM.")


def _signature_box(pdf_path: Path, page_index: int) -> tuple[float, float, float, float] | None:
    """The box (pt) of the signature block's heading on a page, if it has one."""
    import pdfplumber  # noqa: PLC0415

    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[page_index]
        for line in page.extract_text_lines():
            if any(word in line["text"] for word in SIGNATURE_WORDS):
                return line["x0"], line["top"], line["x1"], line["bottom"]
    return None


def _font(size: int) -> ImageFont.ImageFont:
    for name in ("DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default()


def add_seal_and_signature(image: Image.Image, box_px: tuple[float, float, float, float], dpi: float,
                           rng: random.Random) -> Image.Image:
    """A signature (blue ink strokes) under the signature heading and a red round
    seal over its left half, as a signed and stamped plan carries them."""
    image = image.convert("RGB")
    x0, top, x1, bottom = box_px
    cx, cy = (x0 + x1) / 2, bottom + 0.55 * dpi
    draw = ImageDraw.Draw(image, "RGBA")
    points = []
    for k in range(40):  # a scribble: a loop of strokes across the block
        t = k / 39
        points.append((cx - 0.8 * dpi + 1.6 * dpi * t + rng.uniform(-6, 6),
                       cy + 0.18 * dpi * math.sin(9 * t + rng.uniform(-0.3, 0.3))))
    draw.line(points, fill=(20, 30, 120, 255), width=max(2, int(dpi / 60)), joint="curve")
    r = 0.68 * dpi
    sx, sy = cx - 0.5 * dpi, cy - 0.1 * dpi
    red = (215, 30, 40, 200)
    draw.ellipse([sx - r, sy - r, sx + r, sy + r], outline=red, width=max(3, int(dpi / 40)))
    draw.ellipse([sx - 0.8 * r, sy - 0.8 * r, sx + 0.8 * r, sy + 0.8 * r], outline=red, width=max(2, int(dpi / 80)))
    star = [(sx + 0.25 * r * math.cos(math.pi / 2 + k * 4 * math.pi / 5),
             sy - 0.25 * r * math.sin(math.pi / 2 + k * 4 * math.pi / 5)) for k in range(5)]
    draw.polygon(star, fill=red)
    font = _font(int(0.11 * dpi))
    for i, ch in enumerate("ỦY BAN NHÂN DÂN TỈNH LÀO CAI"):
        angle = math.pi * (1.1 - 1.2 * i / 27)
        draw.text((sx + 0.9 * r * math.cos(angle) - 0.04 * dpi, sy - 0.9 * r * math.sin(angle) - 0.05 * dpi),
                  ch, fill=red, font=font)
    return image


def degrade(image: Image.Image, dpi: float, mode: str, skew: float, rng: random.Random,
            upside_down: bool = False) -> Image.Image:
    """The page as a scanner gives it: skewed by ``skew`` degrees, blurred, noisy,
    greyscale with JPEG artefacts (``grey``) or thresholded to black and white
    (``fax``); kept in colour (``colour``) with light noise."""
    if upside_down:
        image = image.rotate(180)
    image = image.rotate(skew, resample=Image.BICUBIC, expand=False, fillcolor="white")
    image = image.filter(ImageFilter.GaussianBlur(radius=0.5 * dpi / 200))
    if mode in ("grey", "fax"):
        image = image.convert("L")
    array = np.asarray(image).astype(np.float32)
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 6 if mode != "fax" else 10, array.shape)
    array = np.clip(array + noise, 0, 255).astype(np.uint8)
    image = Image.fromarray(array)
    if mode == "fax":
        image = image.point(lambda v: 255 if v > 150 else 0).convert("1")
        specks = np.random.default_rng(rng.randrange(2**32)).random(array.shape[:2]) < 0.0004
        out = np.asarray(image.convert("L")).copy()
        out[specks] = 0
        return Image.fromarray(out).convert("1")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=55)
    buffer.seek(0)
    return Image.open(buffer).copy()


def make_scans(pdf_path: Path, out: Path, dpi: float = 200, mode: str = "grey", seed: int = 5,
               max_skew: float = 1.5, pages: list[int] | None = None, seal: bool = True,
               upside_down: tuple[int, ...] = (), skews: dict[int, float] | None = None) -> list[Path]:
    """Scan ``pdf_path`` (pages numbered from 1; all by default) into ``out``;
    returns the files written."""
    import pypdfium2 as pdfium  # noqa: PLC0415

    rng = random.Random(seed)
    document = pdfium.PdfDocument(str(pdf_path))
    numbers = pages or list(range(1, len(document) + 1))
    boxes = {n: _signature_box(pdf_path, n - 1) for n in numbers} if seal else {}
    signed = next((n for n in numbers if boxes.get(n)), None)
    images = []
    for n in numbers:
        image = document[n - 1].render(scale=dpi / 72).to_pil().convert("RGB")
        if n == signed:
            box = [v * dpi / 72 for v in boxes[n]]
            image = add_seal_and_signature(image, tuple(box), dpi, rng)
        skew = (skews or {}).get(n, rng.uniform(-max_skew, max_skew))
        images.append(degrade(image, dpi, mode, skew, rng, n in upside_down))
    out.parent.mkdir(parents=True, exist_ok=True)
    suffix = out.suffix.lower()
    if suffix == ".pdf":
        images[0].save(out, save_all=True, append_images=images[1:], resolution=dpi)
        return [out]
    if suffix in (".tif", ".tiff"):
        images[0].save(out, save_all=True, append_images=images[1:], dpi=(dpi, dpi),
                       compression="group4" if mode == "fax" else "tiff_lzw")
        return [out]
    if len(images) == 1:
        images[0].save(out, dpi=(dpi, dpi))
        return [out]
    written = []
    for n, image in zip(numbers, images):
        path = out.with_name(f"{out.stem}-{n:02d}{out.suffix}")
        image.save(path, dpi=(dpi, dpi))
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--dpi", type=float, default=200)
    parser.add_argument("--mode", choices=["grey", "fax", "colour"], default="grey")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--skew", type=float, default=1.5, help="the largest skew, degrees (each page at random)")
    parser.add_argument("--pages", type=int, nargs="*")
    parser.add_argument("--no-seal", action="store_true")
    parser.add_argument("--upside-down", type=int, nargs="*", default=[])
    args = parser.parse_args()
    for path in make_scans(args.pdf, args.out, args.dpi, args.mode, args.seed, args.skew, args.pages,
                           not args.no_seal, tuple(args.upside_down)):
        print(path)


if __name__ == "__main__":
    main()
