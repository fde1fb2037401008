"""Text and table grids of report attachments: PDF, DOCX, DOC/WPS, XLSX and XLS (ogi-format §4).

The kind is recognised from magic bytes first, then the content type, then the URL extension.
Hostile bodies (truncated, encrypted, oversized archives, wrong magic) give a Document with a
warning, never an exception; a body that is not an attachment at all gives None.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from urllib.parse import urlparse

from extract.model import Grid

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONTENT_TYPES = {
    "application/pdf": "pdf", "application/msword": "doc", "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/kswps": "wps", "application/vnd.ms-works": "wps", "application/wps-office.wps": "wps",
}
_EXTENSIONS = ("pdf", "docx", "doc", "xlsx", "xls", "wps")
MAX_UNZIPPED = 200 * 1024 * 1024  # a larger declared size is treated as a zip bomb
MAX_PDF_PAGES = 300
_SPACE = re.compile(r"[\s\u3000\xa0]+")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff（）、])\s+(?=[\u4e00-\u9fff（）、])")


@dataclass(frozen=True)
class Document:
    """What an attachment holds, in reading order; `kind` is its format."""

    text: str
    tables: list[Grid]
    title: str | None
    kind: str
    warnings: list[str] = field(default_factory=list)


def clean(text: str) -> str:
    """One line of cell text, CJK gaps closed as extract/tables.py does for HTML."""
    return _CJK_GAP.sub("", _SPACE.sub(" ", text or "").strip())


def detect_kind(body: bytes, content_type: str | None, url: str | None) -> str | None:
    """pdf, docx, xlsx, doc, xls, wps or None; magic bytes decide before the declared type."""
    head = body[:1024]
    declared = _CONTENT_TYPES.get((content_type or "").split(";")[0].strip().lower())
    ext = urlparse(url or "").path.rsplit(".", 1)[-1].lower() if url else ""
    claimed = declared or (ext if ext in _EXTENSIONS else None)
    if b"%PDF-" in head:
        return "pdf"
    if body.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(body)).namelist()
        except (zipfile.BadZipFile, ValueError, OSError):
            return claimed if claimed in ("docx", "xlsx") else None
        if "word/document.xml" in names:
            return "docx"
        return "xlsx" if "xl/workbook.xml" in names else None
    if body.startswith(_OLE):
        if claimed in ("doc", "xls", "wps"):
            return claimed
        return "xls" if "Workbook".encode("utf-16-le") in body else "doc"
    if head.lstrip()[:1] == b"<":
        return None  # an HTML page (error page or viewer) served under an attachment's name
    return claimed


def extract_document(body: bytes, content_type: str | None, url: str | None) -> Document | None:
    """Text, tables and title of an attachment; None when the body is not one."""
    kind = detect_kind(body or b"", content_type, url)
    if kind is None:
        return None
    reader = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx, "xls": _xls, "doc": _ole_text,
              "wps": _ole_text}[kind]
    try:
        text, tables, title, warnings = reader(body)
    except Exception as exc:  # noqa: BLE001 - hostile input must never stop a crawl
        return Document("", [], None, kind, [f"{kind} unreadable: {type(exc).__name__}: {exc}"])
    return Document(text, tables, title, kind, warnings)


def _title(lines: list[str]) -> str | None:
    return next((line for line in lines[:30] if "报告" in line or "统计表" in line), None)


def _check_zip(body: bytes) -> None:
    total = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(body)).infolist())
    if total > MAX_UNZIPPED:
        raise ValueError(f"archive expands to {total} bytes, over the {MAX_UNZIPPED} limit")


def _pdf(body: bytes) -> tuple[str, list[Grid], str | None, list[str]]:
    """Lines in reading order; rows of several x-separated pieces become table rows."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine

    lines, tables, rows = [], [], []
    for page in extract_pages(io.BytesIO(body), laparams=LAParams(), maxpages=MAX_PDF_PAGES):
        pieces = []
        for box in page:
            if isinstance(box, LTTextContainer):
                for line in box:
                    if isinstance(line, LTTextLine) and clean(line.get_text()):
                        pieces.append((round(-line.y1 / 4), line.x0, clean(line.get_text())))
        for _, group in _by_row(sorted(pieces)):
            cells = [text for _, _, text in sorted(group, key=lambda p: p[1])]
            lines.append(" ".join(cells))
            if len(cells) >= 3:
                rows.append(cells)
            elif rows:
                tables.append(_square(rows))
                rows = []
    if rows:
        tables.append(_square(rows))
    return "\n".join(lines), tables, _title(lines), ["pdf tables rebuilt from text positions"]


def _by_row(pieces: list[tuple[int, float, str]]) -> list[tuple[int, list]]:
    rows: list[tuple[int, list]] = []
    for piece in pieces:
        if rows and abs(rows[-1][0] - piece[0]) <= 1:
            rows[-1][1].append(piece)
        else:
            rows.append((piece[0], [piece]))
    return rows


def _square(rows: list[list[str]]) -> Grid:
    width = max(len(r) for r in rows)
    return [[""] * (width - len(r)) + r if r and len(r) < width else r for r in rows]


def _docx(body: bytes) -> tuple[str, list[Grid], str | None, list[str]]:
    """Paragraphs and tables in document order; merged cells repeat their text."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_zip(body)
    document = docx.Document(io.BytesIO(body))
    lines, tables = [], []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            text = clean(Paragraph(child, document).text)
            if text:
                lines.append(text)
        elif child.tag.endswith("}tbl"):
            table = Table(child, document)
            tables.append(_square([[clean(c.text) for c in row.cells] for row in table.rows]))
    title = clean(document.core_properties.title or "") or _title(lines)
    return "\n".join(lines), tables, title, []


def _number_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else clean(str(value))


def _xlsx(body: bytes) -> tuple[str, list[Grid], str | None, list[str]]:
    """Every sheet as a grid; merged ranges copy the top-left value into every slot."""
    import openpyxl

    _check_zip(body)
    book = openpyxl.load_workbook(io.BytesIO(body), data_only=True)
    tables = []
    for sheet in book.worksheets:
        grid = [[_number_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            top = grid[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(grid[r]))):
                    grid[r][c] = top
        tables.append(grid)
    return _sheets_text(tables), tables, _title(_sheets_lines(tables)), []


def _xls(body: bytes) -> tuple[str, list[Grid], str | None, list[str]]:
    import xlrd

    book = xlrd.open_workbook(file_contents=body, formatting_info=True, on_demand=True)
    tables = []
    for sheet in book.sheets():
        grid = [[_number_text(sheet.cell_value(r, c)) for c in range(sheet.ncols)]
                for r in range(sheet.nrows)]
        for rlo, rhi, clo, chi in sheet.merged_cells:
            for r in range(rlo, rhi):
                for c in range(clo, chi):
                    grid[r][c] = grid[rlo][clo]
        tables.append(grid)
    return _sheets_text(tables), tables, _title(_sheets_lines(tables)), []


def _sheets_lines(tables: list[Grid]) -> list[str]:
    return [" ".join(dict.fromkeys(c for c in row if c)) for grid in tables for row in grid]


def _sheets_text(tables: list[Grid]) -> str:
    return "\n".join(line for line in _sheets_lines(tables) if line)


_RUN = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\x20-\x7e“”‘’—…·\r\n\t]{4,}")


def _ole_text(body: bytes) -> tuple[str, list[Grid], str | None, list[str]]:
    """Best effort for binary Word/WPS: UTF-16LE text runs of the document stream, no tables."""
    best: list[str] = []
    for offset in (0, 1):
        decoded = body[offset:].decode("utf-16-le", errors="ignore")
        runs = [clean(r) for r in _RUN.findall(decoded) if re.search(r"[\u4e00-\u9fff]", r)]
        if sum(map(len, runs)) > sum(map(len, best)):
            best = runs
    lines = [line for line in dict.fromkeys(best) if line]
    return ("\n".join(lines), [], _title(lines),
            ["binary .doc/.wps: text recovered from UTF-16 runs; tables not reconstructed"])
