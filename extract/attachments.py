"""Text and table grids of report attachments: PDF, DOCX, DOC/WPS, XLSX and XLS (ogi-format §4).

The kind is recognised from magic bytes first, then the content type, then the URL extension.
Hostile bodies (truncated, encrypted, oversized archives, wrong magic) give a Document with a
warning, never an exception; a body that is not an attachment at all gives None.
"""

from __future__ import annotations

import bisect
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
    """Lines in reading order and tables. A table drawn with ruling lines (what Word, WPS and
    reportlab print) is rebuilt from the lines: the cell boundaries give the grid, a missing
    boundary a merged cell whose text fills every slot it covers, and each character goes to the
    cell holding its centre. Pages without ruling lines fall back to rows of several
    x-separated pieces of text."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams

    lines: list[str] = []
    tables: list[Grid] = []
    rows: list[list[str]] = []
    ruled = False
    for page in extract_pages(io.BytesIO(body), laparams=LAParams(), maxpages=MAX_PDF_PAGES):
        lattices = _lattices(page)
        ruled = ruled or bool(lattices)
        items: list[tuple[float, int, object]] = []  # (top y, order, text line or table)
        for text_line in _text_lines(page):
            x0, y0, x1, y1, text = text_line
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            if any(_inside(cx, cy, lat.bbox) for lat in lattices):
                continue
            items.append((-y1, 0, (round(-y1 / 4), x0, text)))
        for lat in lattices:
            items.append((-lat.bbox[3], 1, lat))
        pieces: list[tuple[int, float, str]] = []
        for _, order, item in sorted(items, key=lambda i: (i[0], i[1])):
            if order == 1:
                rows = _flush(pieces, lines, tables, rows)
                pieces = []
                if rows:
                    tables.append(_square(rows))
                    rows = []
                grid = item.grid()
                if grid:
                    tables.append(grid)
                    lines.extend("\t".join(dict.fromkeys(c for c in row if c)) for row in grid)
            else:
                pieces.append(item)
        rows = _flush(pieces, lines, tables, rows)
    if rows:
        tables.append(_square(rows))
    warning = "pdf tables rebuilt from ruling lines" if ruled else "pdf tables rebuilt from text positions"
    return "\n".join(lines), tables, _title(lines), [warning]


def _flush(pieces: list[tuple[int, float, str]], lines: list[str], tables: list[Grid],
           rows: list[list[str]]) -> list[list[str]]:
    """Free text pieces → lines; rows of three or more pieces form an unruled table."""
    for _, group in _by_row(sorted(pieces)):
        cells = [text for _, _, text in sorted(group, key=lambda p: p[1])]
        lines.append(" ".join(cells))
        if len(cells) >= 3:
            rows.append(cells)
        elif rows:
            tables.append(_square(rows))
            rows = []
    return rows


def _walk(obj: object):
    yield obj
    if hasattr(obj, "__iter__") and not isinstance(obj, str):
        for child in obj:  # type: ignore[union-attr]
            yield from _walk(child)


def _text_lines(page: object) -> list[tuple[float, float, float, float, str]]:
    from pdfminer.layout import LTTextLine

    out = []
    for obj in _walk(page):
        if isinstance(obj, LTTextLine):
            text = clean(obj.get_text())
            if text:
                out.append((obj.x0, obj.y0, obj.x1, obj.y1, text))
    return out


def _inside(x: float, y: float, bbox: tuple[float, float, float, float], pad: float = 1.0) -> bool:
    return bbox[0] - pad <= x <= bbox[2] + pad and bbox[1] - pad <= y <= bbox[3] + pad


_SNAP = 1.5  # points: ruling lines closer than this are the same line
MAX_RULINGS = 5000  # per page; more is not a table a report prints


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _SNAP:
            out.append(v)
    return out


@dataclass
class _Lattice:
    """One ruled table of a PDF page: its grid lines, ruling segments and characters."""

    bbox: tuple[float, float, float, float]
    xs: list[float]
    ys: list[float]  # top to bottom
    vertical: list[tuple[float, float, float]]  # (x, y0, y1)
    horizontal: list[tuple[float, float, float]]  # (y, x0, x1)
    chars: list[tuple[float, float, str]] = field(default_factory=list)  # (x, y, text)

    def _by_line(self) -> tuple[dict[int, list], dict[int, list]]:
        """Ruling segments by the grid line they lie on (so each boundary test is local)."""
        vertical: dict[int, list[tuple[float, float]]] = {}
        horizontal: dict[int, list[tuple[float, float]]] = {}
        ys_up = self.ys[::-1]
        for x, a, b in self.vertical:
            vertical.setdefault(_nearest(self.xs, x), []).append((a, b))
        for y, a, b in self.horizontal:
            horizontal.setdefault(len(self.ys) - 1 - _nearest(ys_up, y), []).append((a, b))
        return vertical, horizontal

    def grid(self) -> Grid:
        n_rows, n_cols = len(self.ys) - 1, len(self.xs) - 1
        if n_rows < 1 or n_cols < 1 or n_rows * n_cols > 200_000:
            return []
        parent = list(range(n_rows * n_cols))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        vertical, horizontal = self._by_line()
        for r in range(n_rows):
            top, bottom = self.ys[r], self.ys[r + 1]
            for c in range(n_cols):
                left, right = self.xs[c], self.xs[c + 1]
                if c + 1 < n_cols and not _covers(vertical.get(c + 1, ()), (bottom + top) / 2):
                    parent[find(r * n_cols + c + 1)] = find(r * n_cols + c)
                if r + 1 < n_rows and not _covers(horizontal.get(r + 1, ()), (left + right) / 2):
                    parent[find((r + 1) * n_cols + c)] = find(r * n_cols + c)
        texts: dict[int, list[tuple[float, float, str]]] = {}
        ys_up = self.ys[::-1]
        for x, y, ch in self.chars:
            c = min(max(bisect.bisect_right(self.xs, x) - 1, 0), n_cols - 1)
            r = n_rows - 1 - min(max(bisect.bisect_right(ys_up, y) - 1, 0), n_rows - 1)
            texts.setdefault(find(r * n_cols + c), []).append((x, y, ch))
        cell_text = {root: _cell_text(chars) for root, chars in texts.items()}
        return [[cell_text.get(find(r * n_cols + c), "") for c in range(n_cols)]
                for r in range(n_rows)]


def _nearest(lines: list[float], value: float) -> int:
    """Index of the grid line (sorted ascending) nearest to value."""
    i = bisect.bisect_left(lines, value)
    if i == len(lines) or (i > 0 and value - lines[i - 1] < lines[i] - value):
        i -= 1
    return i


def _covers(segments, mid: float) -> bool:
    return any(a - _SNAP <= mid <= b + _SNAP for a, b in segments)


def _cell_text(chars: list[tuple[float, float, str]]) -> str:
    """Characters of one cell: lines top to bottom, wrapped lines joined without a space."""
    rows: list[list[tuple[float, float, str]]] = []
    for ch in sorted(chars, key=lambda c: (-c[1], c[0])):
        if rows and abs(rows[-1][0][1] - ch[1]) <= 2:
            rows[-1].append(ch)
        else:
            rows.append([ch])
    parts = ["".join(c[2] for c in sorted(row)) for row in rows]
    text = ""
    for part in parts:
        part = part.strip()
        if text and text[-1].isascii() and text[-1].isalnum() and part[:1].isascii() \
                and part[:1].isalnum():
            text += " "
        text += part
    return clean(text)


def _lattices(page: object) -> list[_Lattice]:
    """Ruled tables of a page: ruling segments grouped by touching, then split into cells."""
    from pdfminer.layout import LTChar, LTCurve

    vertical: list[tuple[float, float, float]] = []
    horizontal: list[tuple[float, float, float]] = []
    for obj in _walk(page):
        if not isinstance(obj, LTCurve):  # LTLine and LTRect are LTCurves
            continue
        x0, y0, x1, y1 = obj.bbox
        if x1 - x0 <= 2 and y1 - y0 > 2:
            vertical.append(((x0 + x1) / 2, y0, y1))
        elif y1 - y0 <= 2 and x1 - x0 > 2:
            horizontal.append(((y0 + y1) / 2, x0, x1))
        elif x1 - x0 > 2 and y1 - y0 > 2 and obj.__class__.__name__ == "LTRect":
            vertical += [(x0, y0, y1), (x1, y0, y1)]
            horizontal += [(y0, x0, x1), (y1, x0, x1)]
        if len(vertical) + len(horizontal) > MAX_RULINGS:
            return []
    if not vertical or not horizontal:
        return []
    groups = _touching(vertical, horizontal)
    lattices = []
    for vs, hs in groups:
        xs, ys = _snap([v[0] for v in vs]), _snap([h[0] for h in hs])[::-1]
        if len(xs) < 2 or len(ys) < 2:
            continue
        bbox = (xs[0], ys[-1], xs[-1], ys[0])
        lattices.append(_Lattice(bbox, xs, ys, vs, hs))
    for obj in _walk(page):
        if isinstance(obj, LTChar) and obj.get_text().strip():
            cx, cy = (obj.x0 + obj.x1) / 2, (obj.y0 + obj.y1) / 2
            for lat in lattices:
                if _inside(cx, cy, lat.bbox, 0):
                    lat.chars.append((cx, cy, obj.get_text()))
                    break
    return lattices


def _touching(vertical: list[tuple[float, float, float]],
              horizontal: list[tuple[float, float, float]]) -> list[tuple[list, list]]:
    """Connected groups of crossing or touching ruling segments (one group per table)."""
    n_v = len(vertical)
    parent = list(range(n_v + len(horizontal)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_y = sorted(range(len(horizontal)), key=lambda j: horizontal[j][0])
    ys = [horizontal[j][0] for j in by_y]
    for i, (x, y0, y1) in enumerate(vertical):
        lo, hi = bisect.bisect_left(ys, y0 - _SNAP), bisect.bisect_right(ys, y1 + _SNAP)
        for k in range(lo, hi):
            j = by_y[k]
            _, a, b = horizontal[j]
            if a - _SNAP <= x <= b + _SNAP:
                parent[find(n_v + j)] = find(i)
    groups: dict[int, tuple[list, list]] = {}
    for i, v in enumerate(vertical):
        groups.setdefault(find(i), ([], []))[0].append(v)
    for j, h in enumerate(horizontal):
        groups.setdefault(find(n_v + j), ([], []))[1].append(h)
    return [g for g in groups.values() if g[0] and g[1]]


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
