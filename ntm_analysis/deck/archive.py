"""The deterministic zip: same data, same bytes."""
from __future__ import annotations

import io
import os
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path


def write_deterministic(pptx: bytes, out: Path, stamp: datetime) -> Path:
    """Rewrite the zip with every entry dated ``stamp`` (same data, same bytes),
    into a temporary file that is then renamed to ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".deck-", suffix=".pptx", dir=out.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(io.BytesIO(pptx)) as zin, zipfile.ZipFile(tmp_name, "w") as zout:
            for info in zin.infolist():
                entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                zout.writestr(entry, zin.read(info.filename))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_name, 0o666 & ~umask)  # an ordinary file, not mkstemp's private 0600
        os.replace(tmp_name, out)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return out
