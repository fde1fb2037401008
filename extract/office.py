"""Binary Word and WPS files → DOCX by LibreOffice headless, so their tables are read as
tables (python-docx), not as text runs. Needs `soffice` (Debian: libreoffice-writer-nogui);
without it the caller falls back to text runs with a warning."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CONVERT_TIMEOUT = 120  # seconds; a file LibreOffice cannot convert in this time is given up


class OfficeUnavailable(RuntimeError):
    """LibreOffice is not installed or could not convert the file."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(body: bytes, kind: str) -> bytes:
    """DOC/WPS bytes → DOCX bytes; a private LibreOffice profile per call (parallel-safe)."""
    binary = soffice()
    if binary is None:
        raise OfficeUnavailable(f"{kind}: LibreOffice (soffice) not found, tables not reconstructed; "
                                "install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="nianbao-office-") as tmp:
        source = Path(tmp) / f"document.{kind}"
        source.write_bytes(body)
        try:
            subprocess.run([binary, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                            "--norestore", "--convert-to", "docx:MS Word 2007 XML",
                            "--outdir", tmp, str(source)],
                           check=True, capture_output=True, timeout=CONVERT_TIMEOUT)
        except (subprocess.SubprocessError, OSError) as exc:
            raise OfficeUnavailable(f"{kind}: LibreOffice could not convert it ({exc})") from exc
        target = Path(tmp) / "document.docx"
        if not target.exists():
            raise OfficeUnavailable(f"{kind}: LibreOffice wrote no docx (not a Word file?)")
        return target.read_bytes()
