"""Binary Word and WPS files, and OpenDocument text and spreadsheets (ODT, ODS), → DOCX or XLSX
by LibreOffice headless, so their tables are read as tables (python-docx, openpyxl), not as
text runs. Needs `soffice` (Debian: libreoffice-writer-nogui, libreoffice-calc-nogui); without
it the caller falls back to text runs, or says the file was not read, with a warning."""

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


_FILTERS = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc MS Excel 2007 XML"}


def to_docx(body: bytes, kind: str) -> bytes:
    """DOC/WPS/ODT bytes → DOCX bytes; a private LibreOffice profile per call (parallel-safe)."""
    return convert(body, kind, "docx")


def convert(body: bytes, kind: str, target: str) -> bytes:
    """A document LibreOffice opens (`kind`: its extension) → `target` ("docx" or "xlsx"),
    kept by extract/cache.py under the digest of the input and of the LibreOffice installed
    (seconds a file, and a replay or re-crawl converts the same files again)."""
    import hashlib

    from extract.cache import kept

    binary = soffice()
    if binary is None:
        package = "libreoffice-calc-nogui" if target == "xlsx" else "libreoffice-writer-nogui"
        raise OfficeUnavailable(f"{kind}: LibreOffice (soffice) not found, tables not reconstructed; "
                                f"install {package}")
    program = Path(binary).resolve()
    digest = hashlib.sha256(f"{_VERSION}:{program}:{program.stat().st_mtime_ns}:{kind}:{target}:".encode())
    digest.update(body)
    return kept(f"{digest.hexdigest()}.{target}", lambda: _convert(binary, body, kind, target),
                bytes, _package)


def _package(kept_bytes: bytes) -> bytes:
    """A kept DOCX/XLSX, refused (so converted again) unless it is a whole zip package."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(kept_bytes)) as package:
        if package.testzip() is not None:
            raise zipfile.BadZipFile("a damaged member")
    return kept_bytes


_VERSION = "office-1"  # bump when the conversion's options change


def _convert(binary: str, body: bytes, kind: str, target: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="nianbao-office-") as tmp:
        source = Path(tmp) / f"document.{kind}"
        source.write_bytes(body)
        try:
            subprocess.run([binary, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                            "--norestore", "--convert-to", _FILTERS[target],
                            "--outdir", tmp, str(source)],
                           check=True, capture_output=True, timeout=CONVERT_TIMEOUT)
        except (subprocess.SubprocessError, OSError) as exc:
            raise OfficeUnavailable(f"{kind}: LibreOffice could not convert it ({exc})") from exc
        converted = Path(tmp) / f"document.{target}"
        if not converted.exists():
            what = "a spreadsheet" if target == "xlsx" else "a Word file"
            raise OfficeUnavailable(f"{kind}: LibreOffice wrote no {target} (not {what}?)")
        return converted.read_bytes()
