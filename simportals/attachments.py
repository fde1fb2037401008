"""Reports published only as attachments: a PDF (reportlab, built-in CID font STSong-Light, so
no font file is needed) and a DOCX with real Word tables (python-docx, merged cells)."""

from __future__ import annotations

import io
from functools import lru_cache
from html import escape

from .document import Block, build
from .reports import ReportSpec

_FONT = "STSong-Light"


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


@lru_cache(maxsize=8)
def pdf_bytes(spec: ReportSpec) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    try:
        pdfmetrics.getFont(_FONT)
    except KeyError:
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    body = ParagraphStyle("b", fontName=_FONT, fontSize=11, leading=17, wordWrap="CJK",
                          firstLineIndent=22)
    cell = ParagraphStyle("c", fontName=_FONT, fontSize=7, leading=9, wordWrap="CJK")
    head = ParagraphStyle("h", parent=body, fontSize=12, firstLineIndent=0)
    title = ParagraphStyle("t", parent=body, fontSize=15, leading=22, alignment=1,
                           firstLineIndent=0)
    right = ParagraphStyle("r", parent=body, alignment=2)
    story: list = []
    blocks: list[Block] = build(spec)
    if blocks[0][0] != "title":
        story.append(Paragraph(escape(spec.title), title))
    for kind, payload in blocks:
        if kind == "table":
            grid, spans = _grid(payload)
            data = [[Paragraph(escape(t), cell) for t in row] for row in grid]
            t = Table(data, repeatRows=0)
            style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                     ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
            style += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in spans]
            t.setStyle(TableStyle(style))
            story += [t, Spacer(1, 6)]
        elif kind == "sign":
            story += [Paragraph(escape(line), right) for line in payload]
        else:
            st = {"title": title, "h": head, "sub": head}.get(kind, body)
            story.append(Paragraph(escape(payload), st))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, title=spec.title, author=spec.body.name,
                            leftMargin=40, rightMargin=40, invariant=1)
    doc.build(story)
    return buf.getvalue()


@lru_cache(maxsize=8)
def docx_bytes(spec: ReportSpec) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = docx.Document()
    d.core_properties.title = spec.title
    d.core_properties.author = spec.body.name
    import datetime as dt

    stamp = dt.datetime(spec.published.year, spec.published.month, spec.published.day)
    d.core_properties.created = stamp
    d.core_properties.modified = stamp
    d.core_properties.last_modified_by = spec.body.name
    for kind, payload in build(spec):
        if kind == "table":
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
