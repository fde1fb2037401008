"""A report as LibreOffice prints it: the report's web page opened in Writer and exported to
PDF, the page's tables given no borders (Writer's HTML import still rules some), as staff
make a PDF of a page they saved or pasted.

LibreOffice sets a page's tables its own way, unlike ReportLab (simportals/attachments.py)
and Chromium (simportals/browser_print.py): columns as narrow as their widest word, so a
label runs up to its first figure and a head's words stand a space apart (计量单位 数量); a
table's head and first row left at the foot of a page; rows broken across pages, head rows
and merged group labels too; a wrapped label's lines around its figures instead of level with
them. A producer the reading was not written against, with the HTML page as ground truth.

Needs LibreOffice (.ci/debian-packages.txt); each print takes a second or two and is kept
(simportals/attachments.convert).
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from simportals.attachments import convert
from simportals.render_report import report_html

# How the cells sit: as the page's own HTML says (labels left), or every cell centred.
STYLES = {
    "plain": "",
    "centred": " align='center'",
}
# The page's tables with their borders on, as the page prints; and so with every cell's text
# underlined, as a portal's stylesheet sets it (a line under each line of text, which in a
# narrow cell runs from the cell's side: not a rule).
RULED = {"ruled": "", "ruled underlined": ""}


def printed_html(spec: Any, style: str = "plain") -> str:
    """The report's page as LibreOffice opens it: its tables without borders (or `ruled`)."""
    border, underlined = int(style in RULED), style.endswith("underlined")
    padding = 0 if underlined else 2  # the text against its cell's sides
    body = re.sub(r"<table[^>]*>", f"<table border='{border}' cellspacing='0' cellpadding='{padding}'>",
                  report_html(spec))
    body = re.sub(r"<td(?=[\s>])", "<td" + (STYLES | RULED)[style], body)
    if underlined:
        body = re.sub(r"(<td[^>]*>)", r"\1<u>", body).replace("</td>", "</u></td>")
    return (f"<html><head><meta charset='utf-8'><title>{escape(spec.title)}</title></head>"
            f"<body>{body}</body></html>")


def office_pdf(spec: Any, style: str = "plain") -> bytes:
    """The page opened in LibreOffice Writer and exported to PDF. (Writer/Web's own export,
    writer_web_pdf_Export, leaves the first page blank and drops the lines it should hold.)"""
    return convert(printed_html(spec, style).encode(), "html", "pdf:writer_pdf_Export", infilter="HTML (StarWriter)")


class OfficePrinter:
    """office_pdf behind the interface of simportals.browser_print.BrowserPrinter, for the
    benchmarks that print reports either way."""

    def __init__(self, ruled: bool = False) -> None:
        self.styles = tuple(RULED if ruled else STYLES)

    def __enter__(self) -> OfficePrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def pdf(self, spec: Any, style: str = "plain") -> bytes:
        return office_pdf(spec, style)
