"""A report as two more HTML-to-PDF engines print it: wkhtmltopdf (Qt WebKit, behind many
portals' and CMSs' "export to PDF") and WeasyPrint (Pango and Cairo). The same page as
simportals/browser_print.py gives Chromium, so the HTML rendering is the ground truth.

Each breaks a table across pages its own way, unlike ReportLab, Chromium and LibreOffice:
wkhtmltopdf draws the whole table on every page and lets the page's edge cut it (rules of
the rows before and after lie above the top and below the foot; a merged cell's text is
centred in the whole cell, so half of it can fall on each page: （三）不 / 予公开), and sets
its type small (it shrinks the page to fit). WeasyPrint moves a row's label that does not
fit whole to the next page and leaves the row's figures behind, and lets a table wider
than the paper run past the page's right edge.

Needs Debian's wkhtmltopdf and weasyprint (.ci/debian-packages.txt); each print takes
0.3–2 s:

    with EnginePrinter("weasyprint", ruled=True) as printer:
        pdf = printer.pdf(spec, "ruled")
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from simportals.browser_print import RULED, STYLES, printed_html

ENGINES = {
    "wkhtmltopdf": ["wkhtmltopdf", "--quiet", "--encoding", "utf-8", "--page-size", "A4",
                    "--margin-top", "10mm", "--margin-bottom", "10mm",
                    "--margin-left", "10mm", "--margin-right", "10mm"],
    "weasyprint": ["weasyprint", "--quiet"],
}


def redistilled(pdf: bytes) -> bytes:
    """A PDF printed again through Ghostscript's pdfwrite, as a virtual PDF printer or a
    "reduce file size" step makes it. Ghostscript 10.0 rewrites a browser's subset CJK fonts
    with maps to Unicode that are wrong (本年度报告 reads 本\x80度ç告): the text layer is there,
    nothing in it is missing, and it is wrong. Needs Debian's ghostscript."""
    if shutil.which("gs") is None:
        raise RuntimeError("no gs on PATH (Debian: apt-get install ghostscript)")
    with tempfile.TemporaryDirectory() as work:
        source, out = Path(work, "in.pdf"), Path(work, "out.pdf")
        source.write_bytes(pdf)
        subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-o", str(out), str(source)],
                       check=True, capture_output=True, timeout=120)
        return out.read_bytes()


class EnginePrinter:
    """One of ENGINES printing reports' pages to PDF, behind the interface of
    simportals.browser_print.BrowserPrinter: `styles` are the ways a benchmark prints each
    report (its tables unruled, or `ruled`)."""

    def __init__(self, engine: str, ruled: bool = False) -> None:
        self.command = ENGINES[engine]
        self.styles = tuple(RULED if ruled else STYLES)

    def __enter__(self) -> EnginePrinter:
        if shutil.which(self.command[0]) is None:
            raise RuntimeError(f"no {self.command[0]} on PATH (Debian: apt-get install {self.command[0]})")
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def pdf(self, spec: Any, style: str = "centred") -> bytes:
        return self.print_html(printed_html(spec, style))

    def print_html(self, html: str) -> bytes:
        with tempfile.TemporaryDirectory() as work:
            page, out = Path(work, "page.html"), Path(work, "page.pdf")
            page.write_text(html, encoding="utf-8")
            env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=work)  # Qt draws off screen
            done = subprocess.run([*self.command, str(page), str(out)], env=env, capture_output=True, timeout=120)
            if done.returncode != 0 or not out.exists():
                raise RuntimeError(f"{self.command[0]} failed ({done.returncode}): {done.stderr.decode(errors='replace')[-300:]}")
            return out.read_bytes()
