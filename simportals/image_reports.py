"""A portal whose reports are partly or wholly pictures, with ground truth (issue 14):

- `html-images`: an HTML report whose statistics tables (二–四) are pasted as PNG screenshots
  inside the body, the prose staying HTML; the page also carries chrome images (a logo outside
  the body, print/share icons inside it) that are no part of the report;
- `jpg-pages`: a report published as its printed pages, one JPG per page (第1页, 第2页 …), all
  linked from one page that says little else.

The reports are the testbed's own (same specs, so the same truth as when they are served as
HTML); tables and pages are rendered from them as the scanned forms are
(simportals/attachments.py). Served on 127.0.0.1 by `serve_image_portal()`:

    with serve_image_portal() as site:
        site.registry_toml(); site.truth(); site.requests()
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field, replace
from functools import lru_cache
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .attachments import SCAN_DPI, _grid, _page_images, first_page_png
from .chrome import Detail
from .document import build
from .plan import plan
from .portals import PORTALS, PortalSpec
from .render_report import blocks_html
from .reports import ReportSpec, truth_core
from .templates import trs

PORTAL: PortalSpec = replace(PORTALS[0], name="beilun-img", domain="img.bl.gov.cn")
# (report key, form): an HTML report with its tables as images, and a report as JPG pages
REPORTS = (("330206-038794516-2023", "html-images"), ("330206-093785157-2016", "jpg-pages"))
LOGO = "/images/logo_top.png"
ICONS = ("/images/print.gif", "/images/share_wx.png")
TABLE_DPI = 200


@dataclass
class ImageReport:
    """One report of the portal and where its pieces are served."""

    spec: ReportSpec
    form: str
    path: str
    images: list[str] = field(default_factory=list)  # the report's image paths, in page order

    def truth(self) -> dict:
        core = truth_core(self.spec)
        return {"key": self.spec.key, "form": self.form, "path": self.path, "title": self.spec.title,
                "agency": self.spec.body.name, "year": self.spec.year, "stats": core["stats"],
                "cells": core["cells"], "images": list(self.images),
                "template_version": self.spec.template}


def _specs() -> dict[str, ReportSpec]:
    wanted = {key for key, _ in REPORTS}
    return {s.key: s for s in plan(0, 1, 0) if s.key in wanted}


@lru_cache(maxsize=16)
def table_png(rows_key: tuple) -> bytes:
    """One statistics table as a PNG screenshot: ruled grid, printed as the PDF form prints it."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from .attachments import _FONT

    try:
        pdfmetrics.getFont(_FONT)
    except KeyError:
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    rows = [list(row) for row in rows_key]
    grid, spans = _grid(rows)
    cell = ParagraphStyle("c", fontName=_FONT, fontSize=8, leading=10, wordWrap="CJK")
    width = 520.0
    data = [[Paragraph(escape(t), cell) for t in row] for row in grid]
    table = Table(data, colWidths=[width / len(grid[0])] * len(grid[0]))
    style = [("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
    style += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in spans]
    table.setStyle(TableStyle(style))
    _w, height = table.wrap(width, 10_000)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=(width + 40, height + 48), leftMargin=12, rightMargin=12,  # frame padding 6
                            topMargin=12, bottomMargin=12, invariant=1)
    doc.build([table])
    return first_page_png(buf.getvalue(), TABLE_DPI)


def _freeze(rows: list) -> tuple:
    return tuple(tuple(tuple(c) for c in row) for row in rows)


class ImagePortal:
    """Every page and image of the portal, rendered once, served from memory."""

    def __init__(self) -> None:
        specs = _specs()
        self.reports: list[ImageReport] = []
        self.files: dict[str, tuple[str, bytes]] = {}
        for n, (key, form) in enumerate(REPORTS):
            spec = specs[key]
            stamp = spec.published.strftime("%Y%m")
            report = ImageReport(spec, form, f"{PORTAL.column_dir}{stamp}/t{spec.published:%Y%m%d}_{9100 + n}.html")
            body = self._html_images(report) if form == "html-images" else self._jpg_pages(report)
            detail = Detail(spec.title, f"{spec.published.isoformat()} 09:00", spec.body.name, spec.body.name,
                            spec.index_no, spec.doc_no, (spec.signed or spec.published).isoformat(), body,
                            report.path, meta=True, article_id=9100 + n)
            html = trs.detail(PORTAL, detail).replace(
                "<body>", f'<body>\n<div class="logo"><img src="{LOGO}" alt="{PORTAL.title}"></div>', 1)
            self.files[report.path] = ("text/html; charset=utf-8", html.encode("utf-8"))
            self.reports.append(report)
        items = [(r.spec.title, r.path, r.spec.published.isoformat()) for r in self.reports]
        self.files[PORTAL.column_path] = ("text/html; charset=utf-8",
                                          trs.listing(PORTAL, items, 0, 1, []).encode("utf-8"))
        for path in (LOGO, *ICONS):
            self.files[path] = ("image/png", _icon())

    def _html_images(self, report: ImageReport) -> str:
        """The report's HTML with each statistics table replaced by its screenshot."""
        out = []
        for n, (kind, payload) in enumerate(build(report.spec)):
            if kind == "table":
                path = f"{report.path.rsplit('/', 1)[0]}/W0{report.spec.published:%Y%m%d}{n:02d}.png"
                self.files[path] = ("image/png", table_png(_freeze(payload)))
                report.images.append(path)
                out.append(f'<p style="text-align:center"><img src="{path.rsplit("/", 1)[1]}" '
                           f'width="600" border="0" alt="" oldsrc="W0{n:02d}.png"></p>')
            else:
                out.append(blocks_html([(kind, payload)], 0))
        out.append('<p class="tools"><img src="/images/print.gif" width="16" height="16">打印本页 '
                   '<img src="/images/share_wx.png" style="width:20px;height:20px">分享</p>')
        return "\n".join(out)

    def _jpg_pages(self, report: ImageReport) -> str:
        """A short page linking the report's printed pages, one JPG each."""
        links = []
        for n, page in enumerate(_page_images(report.spec), start=1):
            path = f"{report.path.rsplit('/', 1)[0]}/P0{report.spec.published:%Y%m%d}{n:02d}.jpg"
            buf = io.BytesIO()
            page.convert("L").save(buf, "JPEG", quality=85, dpi=(SCAN_DPI, SCAN_DPI))
            self.files[path] = ("image/jpeg", buf.getvalue())
            report.images.append(path)
            links.append(f'<p><a href="{path}" target="_blank">{escape(report.spec.title)}（第{n}页）</a></p>')
        return (f'<p style="text-indent:2em">现将{escape(report.spec.title)}（图片版）予以公开。</p>'
                + "".join(links))

    def truth(self) -> list[dict]:
        return [r.truth() for r in self.reports]

    def revise_table(self) -> tuple[str, str, str]:
        """A corrected screenshot served under the same name, the page itself unchanged (an
        erratum): the html-images report's first figure of three digits or more gets 1111 more.
        (row label, old raw, new raw)."""
        report = next(r for r in self.reports if r.form == "html-images")
        tables = [payload for kind, payload in build(report.spec) if kind == "table"]
        for number, rows in enumerate(tables):
            for row in rows:
                for c, (text, *rest) in enumerate(row):
                    if not rest[-1] and text.isdigit() and len(text) >= 3:
                        row[c] = (str(int(text) + 1111), *rest)
                        self.files[report.images[number]] = ("image/png", table_png(_freeze(rows)))
                        return row[0][0], text, row[c][0]
        raise ValueError("no figure to revise")


@lru_cache(maxsize=1)
def _icon() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (16, 16), 128).save(buf, "PNG")
    return buf.getvalue()


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path.split("?", 1)[0]
        self.server.log.append(path)
        found = self.server.portal.files.get(path)
        if path == "/robots.txt" or found is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        ctype, body = found
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, portal: ImagePortal) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.portal = portal
        self.log: list[str] = []


class RunningImagePortal:
    def __init__(self, portal: ImagePortal) -> None:
        self.portal = portal
        self.server = _Server(portal)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> RunningImagePortal:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    @property
    def netloc(self) -> str:
        return f"127.0.0.1:{self.server.server_address[1]}"

    def url_for(self, path: str) -> str:
        return f"http://{self.netloc}{path}"

    def registry_toml(self) -> str:
        p = PORTAL
        return "\n".join([
            "[[portal]]", f'name = "{p.name}"', f'title = "{p.title}"', f'region = "{p.region}"',
            f'region_code = "{p.code}"', f'start_urls = ["{self.url_for(p.column_path)}"]',
            f'allowed_domains = ["{self.netloc}"]', "allow_private_addresses = true",
            f'cms = "{p.cms}"', f'encoding = "{p.encoding}"', f'column = "{p.column_name}"', ""])

    def truth(self) -> list[dict]:
        return self.portal.truth()

    def requests(self) -> list[str]:
        return list(self.server.log)


def serve_image_portal() -> RunningImagePortal:
    """The image-report portal on a free loopback port (a context manager)."""
    return RunningImagePortal(ImagePortal())
