"""A report as a browser prints it: its HTML page through Chromium's print to PDF, the tables'
borders turned off, as a portal's 打印 button or staff saving the page as a PDF make it.

Chromium sets text its own way: cells padded a pixel or two (rows set close), a table's
heads centred over its figures, each run of text an object of its own, the type 14 px. The
ruled forms of simportals/attachments.py come from ReportLab; these do not, so they test
the reading of unruled tables on a producer it was not written against.

Needs Debian's chromium (.ci/debian-packages.txt), driven by Playwright (no browser
download). One Chromium prints many reports:

    with BrowserPrinter() as printer:
        pdf = printer.pdf(spec, "centred")
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from simportals.render_report import report_html

CHROMIUM = "/usr/bin/chromium"

# How the cells sit: every cell centred (the national template's look), or labels left and
# figures right (a spreadsheet's), or everything left (a word processor's default).
STYLES = {
    "centred": "td,th{border:none;padding:2px 6px;text-align:center}",
    "figures_right": "td,th{border:none;padding:1px 8px;text-align:left} td:not(:first-child){text-align:right}",
    "left": "td,th{border:none;padding:1px 4px;text-align:left}",
}
# The page as a portal prints it, its tables' borders on (Chromium draws each cell's apart);
# and so with its cells' text underlined and set against their sides, as a portal's stylesheet
# may (a line under each line of text, a point from the cell's rules: not a rule).
RULED = {"ruled": "td,th{border:1px solid #000;padding:2px 6px;text-align:center}",
         "ruled underlined": "td,th{border:1px solid #000;padding:0 1px;text-align:left;text-decoration:underline}"}
FONTS = ("WenQuanYi Zen Hei", "Noto Serif CJK SC", "Noto Sans CJK SC")


def printed_html(spec: Any, style: str, font: str = FONTS[0]) -> str:
    """The report's page as it goes to the printer."""
    return (f"<html><head><meta charset='utf-8'><title>{escape(spec.title)}</title><style>"
            f"body{{font-family:'{font}',sans-serif;font-size:14px;margin:0}} "
            f"table{{border-collapse:collapse}} {(STYLES | RULED)[style]}</style></head>"
            f"<body>{report_html(spec)}</body></html>")


class BrowserPrinter:
    """Chromium, started once, printing reports to PDF (A4 unless told) with 1 cm margins; `styles`
    are the ways a benchmark prints each report (its tables unruled, or `ruled`)."""

    def __init__(self, executable: str = CHROMIUM, ruled: bool = False) -> None:
        self.executable = executable
        self.styles = tuple(RULED if ruled else STYLES)
        self._playwright: Any = None
        self._browser: Any = None

    def __enter__(self) -> BrowserPrinter:
        if not Path(self.executable).exists():
            raise RuntimeError(f"no Chromium at {self.executable} (Debian: apt-get install chromium)")
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=self.executable, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        except BaseException:
            self._playwright.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._browser.close()
        self._playwright.stop()

    def pdf(self, spec: Any, style: str = "centred", font: str = FONTS[0], paper: str = "A4") -> bytes:
        return self.print_html(printed_html(spec, style, font), paper)

    def print_html(self, html: str, paper: str = "A4") -> bytes:
        page = self._browser.new_page()
        try:
            page.set_content(html, wait_until="load")
            return page.pdf(format=paper, margin={"top": "1cm", "bottom": "1cm", "left": "1cm", "right": "1cm"},
                            print_background=False)
        finally:
            page.close()
