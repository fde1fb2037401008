"""Reports published only as attachments, in every form portals use: a text PDF (two-line title,
running header, page numbers; layout varied per report), the same with its tables pasted as
pictures, a scanned PDF (also made searchable: OCR text hidden under the pages), a JPG and a
multi-page TIFF (the PDF's pages rasterised), an OFD, DOCX (python-docx, merged cells), and DOC,
WPS, ODT and XLS converted by LibreOffice."""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator
from functools import lru_cache
from html import escape
from pathlib import Path

from .document import Block, build
from .reports import ReportSpec
from .stats import RESULTS, T3_COLS

_FONT = "STSong-Light"
# published_as → (file extension, Content-Type)
FORMS: dict[str, tuple[str, str]] = {
    "pdf": ("pdf", "application/pdf"),
    "scan": ("pdf", "application/pdf"),
    "searchable": ("pdf", "application/pdf"),  # a scan with the scanner's OCR hidden under it
    "pictures": ("pdf", "application/pdf"),  # a text PDF whose tables are pasted pictures
    "ofd": ("ofd", "application/ofd"),  # GB/T 33190, as the national e-government systems write
    "jpg": ("jpg", "image/jpeg"),
    "tiff": ("tif", "image/tiff"),  # a scanner's or fax server's multi-page TIFF, one page a frame
    "odt": ("odt", "application/vnd.oasis.opendocument.text"),  # LibreOffice's or Yozo Office's own
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "doc": ("doc", "application/msword"),
    "wps": ("wps", "application/kswps"),
    "xls": ("xls", "application/vnd.ms-excel"),
}
SCAN_DPI = 200
LONG_IMAGE_WIDTH = 1080  # px: a 长图's usual width
# pdfium is not thread-safe: the portals' server threads render scans one at a time (two at
# once crashed the server process and changed the bytes).
_PDFIUM = threading.Lock()


def extension(published_as: str) -> str:
    return FORMS[published_as][0]


def attachment(spec: ReportSpec) -> tuple[str, bytes]:
    """(Content-Type, body) of a report published only as an attachment."""
    render = {"pdf": pdf_bytes, "scan": scan_pdf_bytes, "searchable": searchable_scan_pdf_bytes,
              "pictures": pictured_pdf_bytes, "ofd": ofd_bytes,
              "jpg": jpg_bytes, "tiff": tiff_bytes, "docx": docx_bytes, "doc": doc_bytes,
              "odt": odt_bytes, "wps": wps_bytes, "xls": xls_bytes}[spec.published_as]
    return FORMS[spec.published_as][1], _kept(f"{spec.published_as}:{spec!r}:{_SOURCE}",
                                              spec.published_as, lambda: render(spec))


def _grid(rows: list[list[tuple]]) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """Expand (text, rowspan, colspan) rows to a rectangular grid and a list of spans."""
    grid: dict[tuple[int, int], str] = {}
    spans: list[tuple[int, int, int, int]] = []
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for text, rs, cs, _h in row:
            while (r, c) in grid:
                c += 1
            for dr in range(rs):
                for dc in range(cs):
                    grid[(r + dr, c + dc)] = text if (dr, dc) == (0, 0) else ""
            if rs > 1 or cs > 1:
                spans.append((r, c, r + rs - 1, c + cs - 1))
            c += cs
            width = max(width, c)
    out = [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))]
    return out, spans


def title_lines(spec: ReportSpec) -> list[str]:
    """The title as printed on a document's first page: issuer line + title line."""
    match = re.search(r"(?:19|20)\d{2}年", spec.title)
    if match and match.start() >= 2:
        return [spec.title[:match.start()], spec.title[match.start():]]
    return [spec.title]


def _layout(spec: ReportSpec) -> dict:
    """Page layout of a report's PDF (margins, sizes, alignment, page-number style)."""
    rng = random.Random(spec.rng_seed + ":pdf")
    return {"margin": rng.choice((40, 56, 72, 80)), "size": rng.choice((10.5, 11, 12, 14)),
            "justify": rng.random() < 0.5, "number": rng.choice(("- {} -", "第{}页", "— {} —")),
            "header": rng.random() < 0.7, "word": rng.random() < 0.5,
            "rules": rng.choice(("none", "rows")) if rng.random() < 1 / 7 else "grid"}


# table 三's column heads and the label merged down its left, as many reports print them turned
# a quarter turn counter-clockwise to read up their narrow columns (`vertical_heads`)
_TURNED_HEADS = frozenset({*T3_COLS, RESULTS})


def _turned(text: str, style: object) -> object:
    """A cell's text printed turned a quarter turn counter-clockwise (read up the page), wrapped
    at the length a narrow head cell gives it."""
    from reportlab.platypus import Flowable, Paragraph

    class Turned(Flowable):
        def __init__(self) -> None:
            super().__init__()
            self.para = Paragraph(escape(text), style)

        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self.length = min(60.0, self.para.minWidth() + 1)
            self.thick = self.para.wrap(self.length, 1000)[1]
            return self.thick, self.length

        def draw(self) -> None:
            self.canv.rotate(90)
            self.para.drawOn(self.canv, 0, -self.thick)

    return Turned()


_FIGURE_CELL = re.compile(r"[\d.,+\-/—%元]+|不适用")

# the rules of the tables in every form read by OCR (scans, pictures, outlines): the OCR reads
# a table's structure from its rules; the text forms print one in seven tables without them
_READ_BY_OCR = "grid"

# a table with this many columns or more (三 and 四) is what a report prints landscape
_WIDE = 10


def _landscape(grid: list[list[str]], spans: list[tuple[int, int, int, int]], make: object,
               turn: int, length: float) -> object:
    """A table printed landscape on a portrait page without /Rotate: drawn turned `turn`
    degrees counter-clockwise (90: its rows run up the page, its top at the page's left),
    `length` points long across its columns (`make(grid, spans)`: the Table). Where a page
    ends it is split between rows, a merged cell too (its text on the first page), as Word
    prints it."""
    from reportlab.platypus import Flowable

    class Landscape(Flowable):
        def __init__(self, rows: list[list[str]], merged: list[tuple[int, int, int, int]]) -> None:
            super().__init__()
            self.rows, self.merged = rows, merged
            self.inner = make(rows, merged)  # type: ignore[operator]

        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self.w, self.h = self.inner.wrap(length, 100_000)
            if turn % 180 == 0:
                return self.w, self.h
            # rows wider than the frame: taller than it too, so the frame asks for a split
            return self.h, self.w if self.h <= avail_width else max(self.w, avail_height + 1)

        def split(self, avail_width: float, avail_height: float) -> list:
            if turn % 180 and avail_height < self.w:
                return []
            room, used, n = avail_width if turn % 180 else avail_height, 0.0, 0
            for height in self.inner._rowHeights:
                if used + height > room:
                    break
                used, n = used + height, n + 1
            if n in (0, len(self.rows)):
                return []
            first = [(r0, c0, min(r1, n - 1), c1) for r0, c0, r1, c1 in self.merged if r0 < n]
            rest = [(max(r0, n) - n, c0, r1 - n, c1) for r0, c0, r1, c1 in self.merged if r1 >= n]
            return [Landscape(self.rows[:n], first), Landscape(self.rows[n:], rest)]

        def draw(self) -> None:
            across, along = (self.h, self.w) if turn % 180 else (self.w, self.h)
            origin = {90: (across, 0), -90: (0, along), 180: (across, along)}[turn]
            self.canv.translate(*origin)
            self.canv.rotate(turn)
            self.inner.drawOn(self.canv, 0, 0)

    return Landscape(grid, spans)


_PICTURE_HEIGHT = 600  # points: a taller table is pasted as two pictures or more, split between rows


def _pictured(table: object, width: float) -> list:
    """A table as pictures pasted into the document (screenshots of a spreadsheet, as many
    reports set tables 二–四): reportlab Images of `_table_pngs`, each at its size."""
    from reportlab.platypus import Image

    return [Image(io.BytesIO(png), width=w, height=h) for png, w, h in _table_pngs(table, width)]


def _table_pngs(table: object, width: float) -> list[tuple[bytes, float, float]]:
    """A drawn table rasterised at SCAN_DPI as PNGs with their size in points; a table taller
    than a page in pieces, split between rows."""
    from reportlab.pdfgen import canvas

    w, h = table.wrap(width, 100_000)  # type: ignore[attr-defined]
    if h > _PICTURE_HEIGHT:
        pieces = table.split(width, _PICTURE_HEIGHT)  # type: ignore[attr-defined]
        if len(pieces) > 1:
            return [png for piece in pieces for png in _table_pngs(piece, width)]
    w, h = w + 4, h + 4
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(w, h), invariant=1)
    table.drawOn(c, 2, 2)  # type: ignore[attr-defined]
    c.showPage()
    c.save()
    return [(first_page_png(buf.getvalue(), SCAN_DPI), w, h)]


def first_page_png(pdf: bytes, dpi: int) -> bytes:
    """A PDF's first page rasterised in greyscale at `dpi`, as PNG (a screenshot of it)."""
    import pypdfium2

    with _PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        try:
            image = document[0].render(scale=dpi / 72, grayscale=True).to_pil()
        finally:
            document.close()
    out = io.BytesIO()
    image.convert("L").save(out, "PNG")
    return out.getvalue()


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    try:
        pdfmetrics.getFont(_FONT)
    except KeyError:
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))


def _drawn_table(grid: list[list[str]], spans: list[tuple[int, int, int, int]], width: float,
                 vertical_heads: bool = False, word: bool = False, rules: str = "grid",
                 figures_right: bool = False) -> object:
    """A report table as the PDF prints it: ruled, 7 pt cells, merged ranges spanned. `word`:
    as Word and WPS export one, each cell a white box under its own rules, a heading row that
    spans the table shaded, a table broken by a page left open at the bottom of the page
    (a white rule there, no black one), and the cells' text centred. `rules`: "grid" every
    cell ruled; "rows" only a rule under each row (no column rules, as a spreadsheet's
    bottom borders print); "none" no rules at all (borders turned off); "frame" only a box
    around the table (a web page's table border with its cells' borders off). `figures_right`: the
    figures set right in their cells, as a spreadsheet sets numbers."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    _register_font()
    _OpenAtBreak = _open_at_break()  # noqa: N806
    cell = ParagraphStyle("c", fontName=_FONT, fontSize=7, leading=9, wordWrap="CJK",
                          alignment=1 if word and rules != "grid" else 0)
    figure = ParagraphStyle("f", parent=cell, alignment=2) if figures_right else cell
    data = [[_turned(t, cell) if vertical_heads and t in _TURNED_HEADS
             else Paragraph(escape(t), figure if _FIGURE_CELL.fullmatch(t) else cell) for t in row]
            for row in grid]
    t = (_OpenAtBreak if word and rules == "grid" else Table)(data, colWidths=[width / len(grid[0])] * len(grid[0]), repeatRows=0)
    style = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
    if rules == "rows":
        style += [("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black),
                  ("LINEABOVE", (0, 0), (-1, 0), 0.5, colors.black)]
        if word:
            style.append(("BACKGROUND", (0, 0), (-1, -1), colors.white))
    elif rules in ("none", "frame"):
        if word:
            style.append(("BACKGROUND", (0, 0), (-1, -1), colors.white))
        if rules == "frame":
            style.append(("BOX", (0, 0), (-1, -1), 0.5, colors.black))
    elif word:
        shaded = colors.Color(0.78, 0.85, 0.94)
        style += [("BACKGROUND", (0, 0), (-1, -1), colors.white),
                  ("LINEABOVE", (0, 0), (-1, -1), 0.5, colors.black),
                  ("LINEBEFORE", (0, 0), (-1, -1), 0.5, colors.black),
                  ("LINEAFTER", (-1, 0), (-1, -1), 0.5, colors.black),
                  ("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.black)]
        style += [("BACKGROUND", (0, r0), (-1, r0), shaded) for r0, c0, r1, c1 in spans
                  if c0 == 0 and c1 == len(grid[0]) - 1 and r0 == r1]
    else:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    style += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in spans]
    t.setStyle(TableStyle(style))
    return t


def _open_at_break() -> type:
    from reportlab.lib import colors
    from reportlab.platypus import Table

    class OpenAtBreak(Table):
        """A table whose piece before a page break has no rule under its last row, only a
        white one, as Word and WPS print it (reportlab closes every piece)."""

        def split(self, availWidth: float, availHeight: float) -> list:  # noqa: N803
            parts = super().split(availWidth, availHeight)
            if len(parts) == 2:
                first = parts[0]
                last = first._nrows - 1
                first._linecmds = [c for c in first._linecmds if not (
                    c[0] == "LINEBELOW" and c[1][1] in (last, -1) and c[2][1] in (last, -1))]
                first._linecmds.append(("LINEBELOW", (0, last), (-1, last), 0.5, colors.white,
                                        1, None, 1, 1, None))
            return parts

    return OpenAtBreak


@lru_cache(maxsize=8)
def pdf_bytes(spec: ReportSpec, protect: bool = False, vertical_heads: bool = False,
              turned_tables: int = 0, tables_as_images: bool = False, word: bool | None = None,
              rules: str | None = None, figures_right: bool = False) -> bytes:
    """The report as a word processor's PDF would print it; `protect`: with an owner password
    and no user password (opens for anyone, copying text "forbidden"), as many portals post;
    `vertical_heads`: table 三's column heads and its merged label turned to read up the page;
    `turned_tables` (90, -90 or 180): the wide tables (三, 四) printed landscape on the portrait
    page, turned that many degrees counter-clockwise, rules and text alike (no /Rotate);
    `tables_as_images`: every table pasted as a picture of itself, no text layer in it. Half
    the reports print as Word and WPS export (the layout's `word`): each paragraph on a white
    box, tables as `_drawn_table` draws them with `word`. One in seven prints its tables
    without column rules or without any (the layout's `rules`; `rules` overrides it);
    `figures_right`: the tables' figures set right in their cells."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    _register_font()
    lay = _layout(spec)
    if word is not None:  # the Word style asked for, whatever the report's layout draws
        lay["word"] = word
    if tables_as_images or vertical_heads or turned_tables:
        lay["rules"] = _READ_BY_OCR  # turned text and landscape tables are found by their rules
    if rules is not None:
        lay["rules"] = rules
    size = lay["size"]
    white = "white" if lay["word"] else None
    body = ParagraphStyle("b", fontName=_FONT, fontSize=size, leading=size * 1.6, wordWrap="CJK",
                          firstLineIndent=2 * size, alignment=4 if lay["justify"] else 0, backColor=white)
    head = ParagraphStyle("h", parent=body, fontSize=size + 1, firstLineIndent=0, alignment=0)
    title = ParagraphStyle("t", parent=body, fontSize=size + 6, leading=(size + 6) * 1.5,
                           alignment=1, firstLineIndent=0)
    right = ParagraphStyle("r", parent=body, alignment=2, firstLineIndent=0)
    story: list = [Paragraph(escape(line), title) for line in title_lines(spec)]
    story.append(Spacer(1, size))
    blocks: list[Block] = build(spec)
    for kind, payload in blocks:
        if kind == "title":
            continue
        if kind == "table":
            grid, spans = _grid(payload)
            turn = turned_tables if len(grid[0]) >= _WIDE else 0
            if turn % 180:
                width = A4[1] - 60 - 54 - 2 * 6 - 2  # along the page: within the frame's height
            else:
                width = A4[0] - 2 * lay["margin"]

            def table(grid: list[list[str]], spans: list[tuple[int, int, int, int]],
                      width: float = width) -> object:
                return _drawn_table(grid, spans, width, vertical_heads, lay["word"], lay["rules"],
                                    figures_right)

            if turn:
                story.append(_landscape(grid, spans, table, turn, width))
            elif tables_as_images:
                story += _pictured(table(grid, spans, width - 4), width - 4)
            else:
                story.append(table(grid, spans))
            story.append(Spacer(1, 6))
        elif kind == "sign":
            story += [Paragraph(escape(line), right) for line in payload]
        else:
            st = {"h": head, "sub": head}.get(kind, body)
            story.append(Paragraph(escape(payload), st))
    running = f"{spec.body.name}{spec.year}年政府信息公开工作年度报告"

    def furniture(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(_FONT, 9)
        width, height = A4
        if lay["header"] and doc.page > 1:
            canvas.drawCentredString(width / 2, height - 30, running)
            canvas.setLineWidth(0.5)
            canvas.line(lay["margin"], height - 34, width - lay["margin"], height - 34)
        canvas.drawCentredString(width / 2, 24, lay["number"].format(doc.page))
        canvas.restoreState()

    buf = io.BytesIO()
    encrypt = None
    if protect:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption("", ownerPassword=f"{spec.key}-owner", canPrint=1,
                                     canModify=0, canCopy=0, canAnnotate=0, strength=128)
    doc = SimpleDocTemplate(buf, pagesize=A4, title=spec.title, author=spec.body.name,
                            leftMargin=lay["margin"], rightMargin=lay["margin"], topMargin=60,
                            bottomMargin=54, invariant=1, encrypt=encrypt)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return buf.getvalue()


def _laid_out(obj: object, kinds: type | tuple[type, ...]) -> Iterator[object]:
    """pdfminer layout objects of `kinds` under `obj` (a page), in order, not looked into."""
    for o in obj:  # type: ignore[attr-defined]
        if isinstance(o, kinds):
            yield o
        elif hasattr(o, "__iter__"):
            yield from _laid_out(o, kinds)


def stacked(pages: list) -> object:
    """Page images one under another in one picture (a 长图), in the first page's mode."""
    from PIL import Image

    sheet = Image.new(pages[0].mode, (pages[0].width, sum(p.height for p in pages)), "white")
    y = 0
    for page in pages:
        sheet.paste(page, (0, y))
        y += page.height
    return sheet


def _page_images(spec: ReportSpec, dpi: int = SCAN_DPI) -> list:
    """The text PDF's pages as greyscale images, as a scanner at `dpi` would give them."""
    return page_images(pdf_bytes(spec, rules=_READ_BY_OCR), dpi)


def page_images(body: bytes, dpi: int = SCAN_DPI) -> list:
    """A PDF's pages as greyscale images, as a scanner at `dpi` would give them."""
    import pypdfium2

    with _PDFIUM:
        pdf = pypdfium2.PdfDocument(body)
        try:
            return [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil()
                    for i in range(len(pdf))]
        finally:
            pdf.close()


def scanned(body: bytes, dpi: int = SCAN_DPI) -> bytes:
    """Any printed PDF (a browser's, LibreOffice's) as a scan of its pages: a JPEG image a
    page and no text layer, as an office scans a print of a portal's page."""
    return _scan_pdf([im.convert("L") for im in page_images(body, dpi)], dpi)


def _scan_pdf(images: list, dpi: int = SCAN_DPI) -> bytes:
    """Page images as a PDF with no text layer (Pillow stores each as a JPEG)."""
    buf = io.BytesIO()
    images[0].save(buf, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return buf.getvalue()


@lru_cache(maxsize=4)
def scan_pdf_bytes(spec: ReportSpec) -> bytes:
    """A scanned report: one JPEG image per page and no text layer; the page of the 落款 in
    colour, the issuer's red seal stamped over it (as nearly every scanned report is)."""
    images = [im.convert("L") for im in _page_images(spec)]
    if any(kind == "sign" for kind, _ in build(spec)):
        number, box = signature_box(spec)
        images[number] = stamped(images[number], box)
    return _scan_pdf(images)


LOOK_ALIKES = "口日曰目囗"  # what a poor OCR makes of ideographs it cannot tell apart


@lru_cache(maxsize=4)
def searchable_scan_pdf_bytes(spec: ReportSpec, misread: float = 0.05) -> bytes:
    """A scan made searchable by the scanner or Acrobat: each page a JPEG, and over it that
    program's OCR as invisible text (render mode 3), line by line where the text is printed,
    stretched to the line's width; tables are only in the picture. The hidden OCR misreads
    `misread` of its ideographs (seeded by the report), as such layers do, so a reading that
    trusts it instead of the picture shows in the truth."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextLineHorizontal
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    rng = random.Random(f"searchable:{spec.rng_seed}")
    _register_font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, invariant=1)
    for page, image in zip(extract_pages(io.BytesIO(pdf_bytes(spec, rules=_READ_BY_OCR))), _page_images(spec), strict=True):
        pdf.setPageSize((page.width, page.height))
        scan = io.BytesIO()
        image.convert("L").save(scan, "JPEG", quality=80)
        pdf.drawImage(ImageReader(io.BytesIO(scan.getvalue())), 0, 0, page.width, page.height)
        for line in _laid_out(page, LTTextLineHorizontal):
            said = "".join(rng.choice(LOOK_ALIKES) if "\u4e00" <= ch <= "\u9fff" and rng.random() < misread
                           else ch for ch in line.get_text().strip())
            if not said:
                continue
            size = line.height * 0.95
            text = pdf.beginText()
            text.setTextRenderMode(3)
            text.setFont(_FONT, size)
            text.setHorizScale(100 * line.width / max(pdf.stringWidth(said, _FONT, size), 1e-6))
            text.setTextOrigin(line.x0, line.y0 + line.height * 0.12)
            text.textOut(said)
            pdf.drawText(text)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


_OFD_NS = "http://www.ofdspec.org/2016"


def _mm(points: float) -> str:
    return f"{points * 25.4 / 72:.3f}".rstrip("0").rstrip(".")


@lru_cache(maxsize=4)
def ofd_bytes(spec: ReportSpec, scanned: bool = False, word: bool | None = None,
              rules: str | None = None) -> bytes:
    """The report as an OFD (GB/T 33190): the text PDF's pages with each line a text object
    (Unicode, each glyph placed by DeltaX), each ruling a path object, in millimetres, y down;
    the running head in a template page under every page. `scanned`: each page a JPEG picture
    object instead (a scan wrapped as OFD). `word`: converted from the PDF as Word prints it
    (pdf_bytes), its white boxes kept as white paths; `rules`: its tables ruled as pdf_bytes
    draws them."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTCurve, LTTextLineHorizontal

    files: dict[str, bytes] = {}
    pages, media, next_id = [], [], [10]

    def new_id() -> int:
        next_id[0] += 1
        return next_id[0]

    images = _page_images(spec) if scanned else []
    for number, page in enumerate(extract_pages(io.BytesIO(pdf_bytes(spec, word=word, rules=rules)))):
        w, h = page.width, page.height
        objects = []
        if scanned:
            scan = io.BytesIO()
            images[number].convert("L").save(scan, "JPEG", quality=80)
            files[f"Doc_0/Res/Image_{number}.jpg"] = scan.getvalue()
            resource = new_id()
            media.append(f'<ofd:MultiMedia ID="{resource}" Type="Image" Format="JPEG">'
                         f"<ofd:MediaFile>Image_{number}.jpg</ofd:MediaFile></ofd:MultiMedia>")
            objects.append(f'<ofd:ImageObject ID="{new_id()}" Boundary="0 0 {_mm(w)} {_mm(h)}" '
                           f'ResourceID="{resource}" CTM="{_mm(w)} 0 0 {_mm(h)} 0 0"/>')
        for item in [] if scanned else _laid_out(page, (LTTextLineHorizontal, LTCurve)):
            if isinstance(item, LTCurve):
                pts = [(x, h - y) for x, y in item.pts]
                if item.__class__.__name__ == "LTRect":
                    x0, y0, x1, y1 = item.x0, h - item.y1, item.x1, h - item.y0
                    pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
                path = " ".join(f"{'M' if i == 0 else 'L'} {_mm(x)} {_mm(y)}" for i, (x, y) in enumerate(pts))
                objects.append(f'<ofd:PathObject ID="{new_id()}" Boundary="0 0 {_mm(w)} {_mm(h)}" '
                               f'LineWidth="0.18"{_ofd_paint(item)}<ofd:AbbreviatedData>{path}'
                               "</ofd:AbbreviatedData></ofd:PathObject>")
                continue
            chars = [c for c in item if isinstance(c, LTChar)]
            if not chars:
                continue
            size = chars[0].size
            left, top = chars[0].x0, h - max(c.y1 for c in chars)
            baseline = h - chars[0].y0 - 0.12 * size
            deltas = " ".join(_mm(b.x0 - a.x0) for a, b in zip(chars, chars[1:], strict=False))
            objects.append(
                f'<ofd:TextObject ID="{new_id()}" Boundary="{_mm(left)} {_mm(top)} '
                f'{_mm(item.x1 - left + size)} {_mm(size * 1.4)}" Font="3" Size="{_mm(size)}">'
                f'<ofd:TextCode X="0" Y="{_mm(baseline - top)}"'
                + (f' DeltaX="{deltas}"' if deltas else "")
                + f">{escape(''.join(c.get_text() for c in chars))}</ofd:TextCode></ofd:TextObject>")
        files[f"Doc_0/Pages/Page_{number}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{_OFD_NS}"><ofd:Content>'
            f'<ofd:Layer ID="{new_id()}">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'
        ).encode()
        pages.append(f'<ofd:Page ID="{new_id()}" BaseLoc="Pages/Page_{number}/Content.xml"/>')
        size_mm = f"0 0 {_mm(w)} {_mm(h)}"
    files["Doc_0/DocumentRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{_OFD_NS}" BaseLoc="Res">'
        f'<ofd:MultiMedias>{"".join(media)}</ofd:MultiMedias></ofd:Res>').encode()
    files["Doc_0/PublicRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{_OFD_NS}" BaseLoc="Res">'
        '<ofd:Fonts><ofd:Font ID="3" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>').encode()
    files["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{_OFD_NS}"><ofd:CommonData>'
        f"<ofd:MaxUnitID>{next_id[0]}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>{size_mm}"
        "</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
        "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData>"
        f'<ofd:Pages>{"".join(pages)}</ofd:Pages></ofd:Document>').encode()
    files["OFD.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{_OFD_NS}" Version="1.0" '
        f'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>{spec.key}</ofd:DocID>'
        f"<ofd:Title>{escape(spec.title)}</ofd:Title><ofd:Creator>Suwell OFD</ofd:Creator>"
        "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name in ["OFD.xml", *sorted(n for n in files if n != "OFD.xml")]:
            package.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 22, 0, 0, 0)), files[name],
                             zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _ofd_paint(shape: object) -> str:
    """A PDF shape's stroke and fill as an OFD path object's attributes and colours (the
    rest of its start tag): Word's white boxes stay white, its rulings black, its shaded
    heading rows grey."""
    def colour(name: str, value: object) -> str:
        return f'<ofd:{name} Value="{" ".join(str(round(v * 255)) for v in _rgb(value))}"/>'

    stroke, fill = shape.stroke, shape.fill  # type: ignore[attr-defined]
    return ((' Stroke="false"' if not stroke else "") + (' Fill="true"' if fill else "") + ">"
            + (colour("StrokeColor", shape.stroking_color) if stroke else "")  # type: ignore[attr-defined]
            + (colour("FillColor", shape.non_stroking_color) if fill else ""))  # type: ignore[attr-defined]


def pictured_pdf_bytes(spec: ReportSpec) -> bytes:
    """A text PDF whose statistics tables are pictures (screenshots pasted into the Word file)."""
    return pdf_bytes(spec, tables_as_images=True)


OUTLINE_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"  # Debian fonts-wqy-zenhei


@lru_cache(maxsize=4)
def _rgb(colour: object) -> tuple[float, float, float]:
    """A pdfminer colour (grey or RGB here: reportlab's) as RGB; anything else black."""
    if isinstance(colour, int | float):
        return (float(colour),) * 3
    if isinstance(colour, tuple | list) and len(colour) == 3:
        return tuple(float(v) for v in colour)  # type: ignore[return-value]
    return (0.0, 0.0, 0.0)


def outlined_pdf_bytes(spec: ReportSpec, title_only: bool = False) -> bytes:
    """The text PDF with its text converted to outlines (转曲, as prepress tools and some PDF
    printers do): every glyph a filled shape where it was printed, the rules as they were; no
    text layer and no image. `title_only`: only the title's glyphs (larger than the body's)
    are outlines, as when a title set in an art font is converted; the rest stays letters."""
    from fontTools.pens.basePen import BasePen
    from fontTools.ttLib import TTCollection
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTCurve
    from reportlab.pdfgen import canvas

    font = TTCollection(OUTLINE_FONT).fonts[0]
    glyphs, cmap, em = font.getGlyphSet(), font.getBestCmap(), font["head"].unitsPerEm

    class Pen(BasePen):
        def __init__(self, path: object) -> None:
            super().__init__(glyphs)
            self.path = path

        def _moveTo(self, p: tuple) -> None:
            self.path.moveTo(*p)  # type: ignore[attr-defined]

        def _lineTo(self, p: tuple) -> None:
            self.path.lineTo(*p)  # type: ignore[attr-defined]

        def _curveToOne(self, p1: tuple, p2: tuple, p3: tuple) -> None:
            self.path.curveTo(*p1, *p2, *p3)  # type: ignore[attr-defined]

        def _closePath(self) -> None:
            self.path.close()  # type: ignore[attr-defined]

    def walk(obj: object):  # noqa: ANN202
        yield obj
        if hasattr(obj, "__iter__"):
            for child in obj:  # type: ignore[union-attr]
                yield from walk(child)

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    body_size = _layout(spec)["size"]
    for page in extract_pages(io.BytesIO(pdf_bytes(spec, rules=_READ_BY_OCR))):
        c.setPageSize((page.width, page.height))
        # paint first, letters over it: pdfminer lists text boxes before the shapes (a
        # paragraph's white box drawn after its text would hide it)
        for obj in sorted(walk(page), key=lambda o: not isinstance(o, LTCurve)):
            if isinstance(obj, LTChar) and title_only and obj.size < body_size + 3:
                c.setFont(_FONT, obj.size)
                c.drawString(*obj.matrix[4:], obj.get_text())
            elif isinstance(obj, LTChar) and ord(obj.get_text()[0]) in cmap:
                x, y = obj.matrix[4:]  # the glyph's origin on its baseline
                glyph = glyphs[cmap[ord(obj.get_text()[0])]]
                path = c.beginPath()
                glyph.draw(Pen(path))
                c.saveState()
                c.translate(x, y)
                # as wide as the PDF's font advances it, as a reader substituting a font shows it
                c.scale(obj.adv / glyph.width if glyph.width else obj.size / em, obj.size / em)
                c.drawPath(path, stroke=0, fill=1)
                c.restoreState()
            elif isinstance(obj, LTCurve) and (obj.stroke or obj.fill):  # painted as it was
                c.saveState()
                c.setLineWidth(max(obj.linewidth, 0.5))
                c.setStrokeColorRGB(*_rgb(obj.stroking_color))
                c.setFillColorRGB(*_rgb(obj.non_stroking_color))
                points = obj.pts
                path = c.beginPath()
                path.moveTo(*points[0])
                for point in points[1:]:
                    path.lineTo(*point)
                c.drawPath(path, stroke=int(bool(obj.stroke)), fill=int(bool(obj.fill)))
                c.restoreState()
        c.showPage()
    c.save()
    return buf.getvalue()


def signature_box(spec: ReportSpec, dpi: int = SCAN_DPI) -> tuple[int, tuple[float, float, float, float]]:
    """(page index, pixel box at `dpi`, y down) of the issuer's line of the 落款 in the text PDF:
    where the issuer's seal is stamped."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextLineHorizontal

    signs = [payload for kind, payload in build(spec) if kind == "sign"]
    if not signs:
        raise ValueError(f"{spec.key}: the report has no 落款")
    issuer = signs[-1][0]
    k = dpi / 72
    found = None
    for number, page in enumerate(extract_pages(io.BytesIO(pdf_bytes(spec, rules=_READ_BY_OCR)))):
        for line in _laid_out(page, LTTextLineHorizontal):
            if line.get_text().strip() == issuer:
                found = number, (line.x0 * k, (page.height - line.y1) * k, line.x1 * k, (page.height - line.y0) * k)
    if found is None:
        raise ValueError(f"{spec.key}: the 落款's line {issuer} not found in the PDF")
    return found


def stamped(image: object, box: tuple[float, float, float, float], dpi: int = SCAN_DPI) -> object:
    """A colour copy of a page image with a red seal (42 mm across: ring, star, words) stamped
    over `box`, as an issuer stamps its 落款; the black text under it stays black."""
    import math

    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    page = image.convert("RGB")  # type: ignore[attr-defined]
    radius = 21 / 25.4 * dpi
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    seal = Image.new("RGB", page.size, (255, 255, 255))
    draw = ImageDraw.Draw(seal)
    red = (215, 35, 40)
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=red,
                 width=max(3, round(dpi / 50)))
    star = [(cx + radius * 0.28 * f * math.sin(k * math.pi / 5), cy - radius * 0.28 * f * math.cos(k * math.pi / 5))
            for k, f in zip(range(10), [1, 0.4] * 5, strict=True)]
    draw.polygon(star, fill=red)
    font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", round(radius / 4))
    draw.text((cx, cy + radius * 0.55), "公开专用章", font=font, fill=red, anchor="mm")
    return Image.fromarray(np.minimum(np.asarray(page), np.asarray(seal)))  # ink over ink: the darker


@lru_cache(maxsize=4)
def jpg_bytes(spec: ReportSpec) -> bytes:
    """The report as one long JPG, its pages stacked, 1,080 px wide (a 长图 as portals and
    WeChat posts carry them: about 130 dpi, table text about 12 px high)."""
    from PIL import Image

    images = [im.convert("L").resize((LONG_IMAGE_WIDTH, round(im.height * LONG_IMAGE_WIDTH / im.width)),
                                     Image.LANCZOS) for im in _page_images(spec)]
    buf = io.BytesIO()
    stacked(images).save(buf, "JPEG", quality=85)
    return buf.getvalue()


@lru_cache(maxsize=4)
def tiff_bytes(spec: ReportSpec) -> bytes:
    """The report as an office scanner's multi-page TIFF: each page a bilevel CCITT Group 4
    frame at 300 dpi (the usual setting for black-and-white; at 200 dpi bilevel strokes are too
    coarse for OCR to tell 当面 from 当而)."""
    frames = [im.convert("L").point(lambda v: 255 if v > 128 else 0).convert("1")
              for im in _page_images(spec, dpi=300)]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:], compression="group4",
                   dpi=(300, 300))
    return buf.getvalue()


@lru_cache(maxsize=8)
def docx_bytes(spec: ReportSpec, tables_as_images: bool = False) -> bytes:
    """The report as Word saves it; `tables_as_images`: every table pasted as a picture of
    itself (a screenshot of the PDF's table), as many DOCX reports set tables 二–四."""
    import datetime as dt

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    d = docx.Document()
    d.core_properties.title = spec.title
    d.core_properties.author = spec.body.name
    stamp = dt.datetime(spec.published.year, spec.published.month, spec.published.day)
    d.core_properties.created = stamp
    d.core_properties.modified = stamp
    d.core_properties.last_modified_by = spec.body.name
    for kind, payload in build(spec):
        if kind == "table" and tables_as_images:
            grid, spans = _grid(payload)
            for png, w, _h in _table_pngs(_drawn_table(grid, spans, 420.0), 420.0):
                d.add_picture(io.BytesIO(png), width=Pt(w))
        elif kind == "table":
            grid, spans = _grid(payload)
            t = d.add_table(rows=len(grid), cols=len(grid[0]))
            t.style = "Table Grid"
            width = len(grid[0])
            cells = t._cells  # one pass; t.cell() rescans the whole table each call
            for r, row in enumerate(grid):
                for c, text in enumerate(row):
                    if text:
                        cells[r * width + c].text = text
            for r0, c0, r1, c1 in spans:
                cells[r0 * width + c0].merge(cells[r1 * width + c1])
            _repeat_head(t, grid)
        elif kind == "title":
            p = d.add_paragraph(payload)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "sign":
            for line in payload:
                d.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            d.add_paragraph(payload)
    buf = io.BytesIO()
    d.save(buf)
    return _stable_zip(buf.getvalue())


def _repeat_head(table, grid: list[list[str]]) -> None:
    """Word's 重复标题行 on the rows above the first value (a figure, or `/` for none): a table
    a page break splits prints its head again on the next page, as word processors' PDFs of
    the report show."""
    from docx.oxml import OxmlElement

    head = next((r for r, row in enumerate(grid) if any(x.isdigit() or x in "/—-" and x
                                                        for x in row)), 0)
    for row in table.rows[:head]:
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def xlsx_bytes(spec: ReportSpec, tables_as_images: bool = False) -> bytes:
    """The report as a workbook: a 正文 sheet (one paragraph a row) and one sheet per table;
    `tables_as_images`: each table sheet holds a picture of the table (a screenshot pasted
    over the cells), no cell of it typed in."""
    import openpyxl
    from openpyxl.drawing.image import Image

    book = openpyxl.Workbook()
    text = book.active
    text.title = "正文"
    tables = 0
    for kind, payload in build(spec):
        if kind == "table":
            tables += 1
            sheet = book.create_sheet(f"表{tables}")
            grid, spans = _grid(payload)
            if tables_as_images:
                row = 1
                for png, _w, h in _table_pngs(_drawn_table(grid, spans, 420.0), 420.0):
                    sheet.add_image(Image(io.BytesIO(png)), f"A{row}")
                    row += int(h / 15) + 2  # default rows are 15 pt high
                continue
            for row in grid:
                sheet.append([int(t) if t.isdigit() else t for t in row])
            for r0, c0, r1, c1 in spans:
                sheet.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1,
                                  end_column=c1 + 1)
        elif kind == "sign":
            for line in payload:
                text.append([line])
        else:
            text.append([payload])
    if text["A1"].value != spec.title:
        text.insert_rows(1)
        text["A1"] = spec.title
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


class ConverterMissing(RuntimeError):
    """LibreOffice (soffice) is needed to write DOC, WPS and XLS; CI installs it."""


def convert(data: bytes, source_ext: str, target: str, infilter: str | None = None) -> bytes:
    """LibreOffice headless conversion (e.g. docx → doc); a private profile per call.
    `infilter`: the import filter, when the extension's default is not the one wanted."""
    import hashlib

    key = hashlib.sha256(data + target.encode() + (infilter or "").encode()).hexdigest()
    return _kept(key, target.split(":")[0], lambda: _convert(data, source_ext, target, infilter))


def _source_digest() -> str:
    """The generators' own code: a kept file made by older code is never served."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


_SOURCE = _source_digest()


def _kept(key: str, ext: str, make: Callable[[], bytes]) -> bytes:
    """`make()`, kept in the temp directory under `key`'s digest. Scans, OFD and LibreOffice
    conversions take seconds, and every simulated-portal server process of a test run would
    otherwise make the same bytes again."""
    import hashlib

    from extract.cache import kept

    name = hashlib.sha256(key.encode()).hexdigest()[:32]
    return kept(f"{name}.{ext}", make, bytes, bytes, Path(tempfile.gettempdir()) / "nianbao-simportals")


def _convert(data: bytes, source_ext: str, target: str, infilter: str | None = None) -> bytes:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise ConverterMissing("simportals needs LibreOffice (apt-get install "
                               "libreoffice-writer-nogui libreoffice-calc-nogui) for DOC/WPS/XLS")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"report.{source_ext}"
        src.write_bytes(data)
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        *([f"--infilter={infilter}"] if infilter else []),
                        "--convert-to", target, "--outdir", tmp, str(src)],
                       check=True, capture_output=True, timeout=180)
        return (Path(tmp) / f"report.{target.split(':')[0]}").read_bytes()


@lru_cache(maxsize=4)
def doc_bytes(spec: ReportSpec) -> bytes:
    return convert(docx_bytes(spec), "docx", "doc:MS Word 97")


@lru_cache(maxsize=4)
def wps_bytes(spec: ReportSpec) -> bytes:
    """A .wps file: WPS Office writes Word 97 compound documents under its own extension."""
    return convert(docx_bytes(spec), "docx", "doc:MS Word 97")


@lru_cache(maxsize=4)
def odt_bytes(spec: ReportSpec) -> bytes:
    return convert(docx_bytes(spec), "docx", "odt")


@lru_cache(maxsize=4)
def xls_bytes(spec: ReportSpec) -> bytes:
    return convert(xlsx_bytes(spec), "xlsx", "xls:MS Excel 97")


def _stable_zip(data: bytes) -> bytes:
    """Rewrite the zip with fixed timestamps so the same spec gives the same bytes."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, src.read(info.filename))
    return out.getvalue()
