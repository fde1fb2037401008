"""Text and table grids of report attachments: PDF (text layer or scan), images, DOCX, DOC/WPS,
XLSX and XLS (ogi-format §4).

The kind is recognised from magic bytes first, then the content type, then the URL extension.
PDFs and images go through extract/pdf.py, extract/ocr.py and extract/layout.py (reflowed text,
running heads removed); DOC/WPS through extract/office.py. Hostile bodies (truncated, encrypted,
oversized archives, wrong magic) give a Document with a warning, never an exception; a body
that is not an attachment at all gives None.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field, replace
from urllib.parse import urlparse

from extract.formats import DOCUMENT_EXTENSIONS
from extract.layout import Flow, clean, reflow, table_lines
from extract.loss import missing_warning
from extract.model import Grid

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONTENT_TYPES = {
    "application/pdf": "pdf", "application/msword": "doc", "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/kswps": "wps", "application/vnd.ms-works": "wps", "application/wps-office.wps": "wps",
    "image/jpeg": "image", "image/png": "image", "image/tiff": "image", "image/bmp": "image",
    "image/gif": "image", "image/webp": "image",
    "application/ofd": "ofd", "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_EXTENSIONS = tuple(ext[1:] for ext in DOCUMENT_EXTENSIONS)
_OPENDOCUMENT = {b"application/vnd.oasis.opendocument.text": "odt",
                 b"application/vnd.oasis.opendocument.spreadsheet": "ods"}
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"BM", b"GIF87a", b"GIF89a")
MAX_UNZIPPED = 200 * 1024 * 1024  # a larger declared size is treated as a zip bomb


@dataclass(frozen=True)
class Document:
    """What an attachment holds, in reading order; `kind` is its format.

    `blocks` are ("title"|"h"|"p", text) and ("table", index into `tables`) in reading order;
    `confidence[i]` is table i's per-slot OCR confidence (None: read from a text layer), and
    `line_confidence` maps an OCR'd paragraph to its lowest line confidence; `copies[i]` marks
    table i's slots that repeat a merged cell, where its rules told (None: not known)."""

    text: str
    tables: list[Grid]
    title: str | None
    kind: str
    warnings: list[str] = field(default_factory=list)
    blocks: list[tuple[str, object]] = field(default_factory=list)
    removed: dict[str, list[str]] = field(default_factory=dict)
    confidence: list[list[list[float | None]] | None] = field(default_factory=list)
    line_confidence: dict[str, float] = field(default_factory=dict)
    text_layer: bool = False  # a PDF with letters besides what OCR read: a figure not found there is theirs
    copies: list[list[list[bool]] | None] = field(default_factory=list)
    table_at: list[int] = field(default_factory=list)  # without blocks: the line each table stands before

    def table_lines(self, i: int) -> list[str]:
        """Table i as text rows, each merged cell once."""
        return table_lines(self.tables[i], self.copies[i] if i < len(self.copies) else None)

    @property
    def ocr(self) -> bool:
        return any(c is not None for c in self.confidence) or bool(self.line_confidence)


def detect_kind(body: bytes, content_type: str | None, url: str | None) -> str | None:
    """pdf, docx, xlsx, doc, xls, wps, ofd, odt, ods, image, "zip" (a package of none of
    these) or None; magic bytes decide before the declared type."""
    head = body[:1024]
    declared = _CONTENT_TYPES.get((content_type or "").split(";")[0].strip().lower())
    ext = urlparse(url or "").path.rsplit(".", 1)[-1].lower() if url else ""
    claimed = declared or (ext if ext in _EXTENSIONS else None)
    if b"%PDF-" in head:
        return "pdf"
    if body.startswith(_IMAGE_MAGIC) or (body[:4] == b"RIFF" and body[8:12] == b"WEBP"):
        return "image"
    if body.startswith(b"PK\x03\x04"):
        try:
            package = zipfile.ZipFile(io.BytesIO(body))
            names = package.namelist()
            mimetype = package.read("mimetype").strip() if "mimetype" in names else b""
        except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, EOFError):
            return claimed if claimed in ("docx", "xlsx", "ofd", "odt", "ods") else "zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "OFD.xml" in names:
            return "ofd"
        return _OPENDOCUMENT.get(mimetype, "zip")
    if body.startswith(_OLE):
        if claimed == "et":  # a WPS spreadsheet: the Excel 97 workbook stream
            return "xls"
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
    try:
        if kind in ("pdf", "image", "ofd"):
            return _printed(body, kind)
        if kind == "zip":
            return Document("", [], None, kind, ["zip unreadable: a package of no document format "
                                                 "nianbao reads (its files are kept in the archive)"])
        if kind in ("odt", "ods"):
            return _opendocument(body, kind)
        if kind in ("doc", "wps"):
            return _binary_word(body, kind)
        if kind == "docx":
            return _docx(body)
        if kind == "xlsx":
            return _xlsx(body)
        text, tables, title, warnings = _xls(body)
    except Exception as exc:  # noqa: BLE001 - hostile input must never stop a crawl
        return Document("", [], None, kind, [f"{kind} unreadable: {type(exc).__name__}: {exc}"])
    return Document(text, tables, title, kind, warnings)


def _opendocument(body: bytes, kind: str) -> Document:
    """ODT/ODS (LibreOffice's and Yozo Office's own formats): converted by LibreOffice to DOCX
    or XLSX and read as those; without LibreOffice, not read, and said so."""
    from extract.office import OfficeUnavailable, convert

    _check_zip(body)
    target = "docx" if kind == "odt" else "xlsx"
    try:
        converted = convert(body, kind, target)
    except OfficeUnavailable as exc:
        return Document("", [], None, kind, [f"{kind} unreadable: {exc}"])
    document = _docx(converted, kind) if target == "docx" else _xlsx(converted)
    return replace(document, kind=kind,
                   warnings=[f"{kind} converted to {target} by LibreOffice", *document.warnings])


def _printed(body: bytes, kind: str) -> Document:
    """A PDF, an OFD or an image: printed pages → reflowed text and tables (OCR where no text
    layer)."""
    if kind in ("pdf", "ofd"):
        from extract.ofd import read_ofd
        from extract.pdf import read_pdf

        pages, warnings = (read_pdf if kind == "pdf" else read_ofd)(body)
    else:
        from extract.figures import SEAL
        from extract.ocr import image_frames, ocr_pages

        pages, warnings = [], ["ocr: image read by OCR"]
        frames = image_frames(body)
        while True:
            try:
                frame = next(frames)
            except StopIteration:
                break
            except Exception as exc:  # noqa: BLE001 - the frames read so far are kept, the rest named
                if not pages:
                    raise
                warnings.append(f"image unreadable: frames after the {len(pages)} read "
                                f"({type(exc).__name__}: {exc})")
                break
            pages += ocr_pages(frame)
        if any(p.seals for p in pages):
            warnings.append("image: " + SEAL)
    document = replace(from_flow(reflow(pages), kind, warnings), text_layer=any(p.layer for p in pages))
    removed = [line for lines in document.removed.values() for line in lines]
    lost = missing_warning(kind, "".join(p.layer for p in pages), document.text, document.tables,
                           removed, tables_in_text=True)
    if lost:
        document.warnings.append(lost)
    return document


def from_flow(flow: Flow, kind: str, warnings: list[str]) -> Document:
    """A Flow as a Document: text one paragraph a line, tables as tab-separated rows."""
    lines: list[str] = []
    tables: list[Grid] = []
    confidence: list = []
    copies: list = []
    blocks: list[tuple[str, object]] = []
    for block_kind, payload in flow.blocks:
        if block_kind == "table":
            table = payload  # a PlacedTable
            blocks.append(("table", len(tables)))
            tables.append(table.grid)  # type: ignore[attr-defined]
            confidence.append(table.confidence)  # type: ignore[attr-defined]
            copies.append(table.copies)  # type: ignore[attr-defined]
            lines.extend(table_lines(table.grid, table.copies))  # type: ignore[attr-defined]
        else:
            blocks.append((block_kind, payload))
            lines.append(str(payload))
    from extract.document_fields import document_title

    return Document("\n".join(lines), tables, document_title(blocks)[0], kind, warnings, blocks,
                    flow.removed, confidence, flow.confidence, copies=copies)


def _title(lines: list[str]) -> str | None:
    return next((line for line in lines[:30] if "报告" in line or "统计表" in line), None)


def _check_zip(body: bytes) -> None:
    total = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(body)).infolist())
    if total > MAX_UNZIPPED:
        raise ValueError(f"archive expands to {total} bytes, over the {MAX_UNZIPPED} limit")


def _docx(body: bytes, kind: str = "docx") -> Document:
    """Paragraphs (then notes) and tables in document order, through content controls, text
    boxes, nested tables and revisions (extract/docx_text.py); merged cells repeat their text;
    pictures read by OCR where they are."""
    import docx

    from extract.docx_text import read_document, shown_text

    _check_zip(body)
    document = docx.Document(io.BytesIO(body))
    reading = read_document(document)
    title = clean(document.core_properties.title or "") or _title(reading.lines)
    text = "\n".join(reading.lines)
    lost = missing_warning("docx", shown_text(document), text, reading.tables)
    return Document(text, reading.tables, title, kind, reading.warnings + ([lost] if lost else []),
                    confidence=reading.confidence, line_confidence=reading.line_confidence,
                    text_layer=True, table_at=reading.table_at)


def _binary_word(body: bytes, kind: str) -> Document:
    """DOC/WPS: converted to DOCX by LibreOffice for its tables; text runs without it."""
    from extract.office import OfficeUnavailable, to_docx

    try:
        docx_body = to_docx(body, kind)
    except OfficeUnavailable as exc:
        text, tables, title, warnings = _ole_text(body)
        return Document(text, tables, title, kind, [str(exc), *warnings])
    document = _docx(docx_body, kind)
    return replace(document, warnings=[f"{kind} converted to docx by LibreOffice", *document.warnings])


def _number_text(value: object) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, ".15g")  # Excel's 15 digits
    return "" if value is None else clean(str(value))


def _shown(value: object, number_format: str | None) -> str:
    """A cell's value as the sheet shows it: dates as dates (年月日 when the format has them),
    percents as percents, booleans as TRUE/FALSE, other numbers as plain figures."""
    fmt = re.sub(r'"[^"]*"|\\.|\[[^]]*\]', "", (number_format or "General").split(";")[0])
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, dt.date):
        shown = (number_format or "").lower()
        if "年" in shown or "月" in shown:  # yyyy"年"m"月"d"日", m"月"d"日", yyyy"年"m"月"
            parts = ((f"{value.year}年", "y"), (f"{value.month}月", "月"), (f"{value.day}日", "日"))
            return "".join(text for text, marker in parts if marker in shown)
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    if isinstance(value, (int, float)) and "%" in fmt:
        decimals = re.search(r"\.([0#]+)", fmt)
        return f"{value * 100:.{len(decimals.group(1)) if decimals else 0}f}%"
    return _number_text(value)


def _xlsx(body: bytes) -> Document:
    """Every sheet as a grid, hidden ones too (said in the warnings); merged ranges copy the
    top-left value into every slot. A formula saved without its value (the writer did not
    compute it) stays empty and is named in the warnings: its text is not a figure. Pictures
    over the sheets (a table pasted as a screenshot) are read by OCR after the sheets' text."""
    import openpyxl

    _check_zip(body)
    book = openpyxl.load_workbook(io.BytesIO(body), data_only=True)
    formulas = _formulas(body)
    tables, warnings = [], []
    for sheet in book.worksheets:
        grid = [[_shown(cell.value, cell.number_format) for cell in row] for row in sheet.iter_rows()]
        unsaved = [(cell, formula) for cell, formula in formulas.get(sheet.title, {}).items()
                   if sheet[cell].value is None]
        if unsaved:
            named = ", ".join(f"{c} ({f})" for c, f in unsaved[:8]) + (", …" if len(unsaved) > 8 else "")
            warnings.append(f"xlsx: sheet '{sheet.title}': {len(unsaved)} formula cells saved without "
                            f"their values (never computed), left empty: {named}")
        if sheet.sheet_state != "visible":
            warnings.append(f"xlsx: sheet '{sheet.title}' is {sheet.sheet_state} in the workbook; "
                            "read anyway")
        for merged in sheet.merged_cells.ranges:
            top = grid[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(grid[r]))):
                    grid[r][c] = top
        tables.append(grid)
    boxes, charts, pictures = _drawings(body)
    if charts:
        warnings.append(f"xlsx: {charts} chart{'s' if charts > 1 else ''} not read")
    lines = boxes + _sheets_lines(tables)
    title = _title(lines)
    confidence: list = [None] * len(tables)
    line_confidence = _read_pictures(pictures, lines, tables, confidence, warnings)
    return Document("\n".join(line for line in lines if line), tables, title, "xlsx", warnings,
                    confidence=confidence, line_confidence=line_confidence, text_layer=True)


def _read_pictures(drawings: list[list[bytes | None]], lines: list[str], tables: list[Grid],
                   confidence: list, warnings: list[str]) -> dict[str, float]:
    """A workbook's pictures read by OCR: their paragraphs onto `lines`, their tables onto
    `tables` (a table pasted on one sheet as two screenshots joined), and what was read or
    could not be into `warnings`; returns the OCR'd paragraphs' confidence."""
    from extract.figures import read_picture
    from extract.ocr import LazyEngine

    engine = LazyEngine()  # one for every picture of the workbook
    line_confidence: dict[str, float] = {}
    read = unread = 0
    for pictures in drawings:
        last = None  # the sheet's last picture table, while nothing came after it
        for blob in pictures:
            try:
                flow = None if blob is None else read_picture(blob, engine)
            except Exception:  # noqa: BLE001 - a picture we cannot open is counted, never raised
                blob = None
            if blob is None:
                unread += 1
            elif flow is not None:  # not an icon or a seal
                read += 1
                last = _add_flow(flow, last, lines, tables, confidence)
                line_confidence.update(flow.confidence)
    if unread:
        warnings.append(f"xlsx: {unread} picture{'s' if unread > 1 else ''} not read "
                        "(content kept outside the text)")
    if read:
        warnings.append(f"ocr: {read} picture{'s' if read > 1 else ''} in the workbook read by OCR")
    return line_confidence


def _add_flow(flow: Flow, last: object, lines: list[str], tables: list[Grid],
              confidence: list) -> object:
    """One picture's OCR'd blocks onto `lines` and `tables`; a table going on from `last` (the
    previous picture's table) is joined to it. Returns the table a next picture may go on."""
    from extract.layout import join_tables

    for kind, payload in flow.blocks:
        if kind != "table":
            lines.append(str(payload))
            last = None
            continue
        joined = join_tables(last, payload) if last is not None else None
        if joined is not None:
            tables.pop()
            confidence.pop()
            payload = joined
        tables.append(payload.grid)
        confidence.append(payload.confidence)
        last = payload
    return last


def _drawings(body: bytes) -> tuple[list[str], int, list[list[bytes | None]]]:
    """Paragraphs of the text boxes drawn over the sheets (a title is often one; openpyxl
    drops them), the number of charts, and the pictures' bytes (None: linked or missing), by
    drawing (a sheet's)."""
    from docx.oxml import parse_xml

    archive = zipfile.ZipFile(io.BytesIO(body))
    names = sorted(archive.namelist(),  # drawing2 before drawing10
                   key=lambda n: [int(d) if d.isdigit() else d for d in re.split(r"(\d+)", n)])
    lines, pictures = [], []
    for name in names:
        if name.startswith("xl/drawings/") and name.endswith(".xml"):
            root = parse_xml(archive.read(name))
            for body_element in root.iter(f"{{{_XDR}}}txBody"):
                if any(a.tag == _FALLBACK for a in body_element.iterancestors()):
                    continue  # the same shape again, for readers without mc:Choice's features
                lines.extend(clean("".join(t.text or "" for t in p.iter(f"{{{_DML}}}t")))
                             for p in body_element.iter(f"{{{_DML}}}p"))
            targets = _relationships(archive, name)
            blips = [b for b in root.iter(f"{{{_DML}}}blip")
                     if not any(a.tag == _FALLBACK for a in b.iterancestors())]
            targets = [targets.get(b.get(_EMBED) or "") for b in blips]
            pictures.append([archive.read(t) if t in archive.NameToInfo else None for t in targets])
    charts = sum(1 for n in names if n.startswith("xl/charts/chart") and n.endswith(".xml"))
    return [line for line in lines if line], charts, pictures


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """A package part's relationship ids → the zip names of their internal targets."""
    from docx.oxml import parse_xml

    folder, leaf = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", leaf + ".rels")
    if rels not in archive.NameToInfo:
        return {}
    out = {}
    for rel in parse_xml(archive.read(rels)):
        if rel.get("TargetMode") != "External" and rel.get("Id") and rel.get("Target"):
            target = rel.get("Target")
            out[rel.get("Id")] = (target.lstrip("/") if target.startswith("/")
                                  else posixpath.normpath(posixpath.join(folder, target)))
    return out


_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
_DML = "http://schemas.openxmlformats.org/drawingml/2006/main"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s/>]")


def _formulas(body: bytes) -> dict[str, dict[str, str]]:
    """Formula text by sheet title and cell; the workbook is opened a second time (formulas,
    not values) only when a worksheet holds any."""
    import openpyxl

    archive = zipfile.ZipFile(io.BytesIO(body))
    if not any(_FORMULA.search(archive.read(name)) for name in archive.namelist()
               if name.startswith("xl/worksheets/") and name.endswith(".xml")):
        return {}
    book = openpyxl.load_workbook(io.BytesIO(body), data_only=False)
    return {sheet.title: {cell.coordinate: str(getattr(cell.value, "text", cell.value))
                          for row in sheet.iter_rows() for cell in row if cell.data_type == "f"}
            for sheet in book.worksheets}


def _xls(body: bytes) -> tuple[str, list[Grid], str | None, list[str]]:
    """Every sheet as a grid, as _xlsx; dates come as day counts and errors as codes, so the
    cell type and number format decide what is shown."""
    import xlrd

    book = xlrd.open_workbook(file_contents=body, formatting_info=True, on_demand=True)
    tables, warnings = [], []
    for sheet in book.sheets():
        grid = [[_xls_cell(book, sheet, r, c) for c in range(sheet.ncols)] for r in range(sheet.nrows)]
        for rlo, rhi, clo, chi in sheet.merged_cells:
            for r in range(rlo, rhi):
                for c in range(clo, chi):
                    grid[r][c] = grid[rlo][clo]
        if sheet.visibility:
            warnings.append(f"xls: sheet '{sheet.name}' is hidden in the workbook; read anyway")
        tables.append(grid)
    return _sheets_text(tables), tables, _title(_sheets_lines(tables)), warnings


def _xls_cell(book, sheet, r: int, c: int) -> str:  # noqa: ANN001 - xlrd Book and Sheet
    import xlrd

    kind, value = sheet.cell_type(r, c), sheet.cell_value(r, c)
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERROR")
    if kind == xlrd.XL_CELL_BOOLEAN:
        return _shown(bool(value), None)
    xf = book.xf_list[sheet.cell_xf_index(r, c)] if book.xf_list else None
    fmt = book.format_map.get(xf.format_key) if xf is not None else None
    if kind == xlrd.XL_CELL_DATE:
        try:
            when = xlrd.xldate_as_datetime(value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return _number_text(value)
        return _shown(when.time() if value < 1 else when, fmt and fmt.format_str)
    return _shown(value, fmt and fmt.format_str)


def _sheets_lines(tables: list[Grid]) -> list[str]:
    return [line for grid in tables for line in table_lines(grid)]


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
