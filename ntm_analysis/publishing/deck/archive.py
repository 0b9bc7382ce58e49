"""The deterministic zip: same data, same bytes."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from ...fingerprints import write_atomically


def write_deterministic(pptx: bytes, out: Path, stamp: datetime) -> Path:
    """Rewrite the zip with every entry dated ``stamp`` (same data, same bytes), written
    atomically to ``out`` (``fingerprints.write_atomically``)."""
    def write(handle) -> None:
        with zipfile.ZipFile(io.BytesIO(pptx)) as zin, zipfile.ZipFile(handle, "w") as zout:
            for info in zin.infolist():
                entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                zout.writestr(entry, zin.read(info.filename))
    return write_atomically(Path(out), write)
