"""Write the password-protected test documents (run once; the outputs are
committed so the tests need neither this script nor its tools).

tests/documents/refused/locked.docx  a one-paragraph Word document encrypted
    with a password (ECMA-376 agile encryption, as Word writes it), made with
    msoffcrypto-tool (pip install msoffcrypto-tool).
tests/documents/refused/locked.pdf   the same paragraph exported by LibreOffice
    as a PDF that asks for a password to open.

The password of both is "khoa-thu"; the tests never use it.

Usage: python scripts/make_locked_documents.py
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document

OUT = Path(__file__).resolve().parents[1] / "tests" / "documents" / "refused"
PASSWORD = "khoa-thu"
TEXT = "Tài liệu khóa bằng mật khẩu, viết để kiểm tra việc từ chối đọc."


def main() -> None:
    import msoffcrypto  # noqa: PLC0415  (only this script needs it)
    from msoffcrypto.format.ooxml import OOXMLFile  # noqa: PLC0415

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "locked.docx"
        document = Document()
        document.add_paragraph(TEXT)
        document.save(plain)
        with plain.open("rb") as source, (OUT / "locked.docx").open("wb") as target:
            OOXMLFile(source).encrypt(PASSWORD, target)
        assert msoffcrypto.OfficeFile((OUT / "locked.docx").open("rb")).is_encrypted()
        options = ('pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
                   f'"DocumentOpenPassword":{{"type":"string","value":"{PASSWORD}"}}}}')
        subprocess.run([shutil.which("soffice") or "soffice", "--headless", "--convert-to", options,
                        "--outdir", str(OUT), str(plain)], check=True, capture_output=True, timeout=240)


if __name__ == "__main__":
    main()
