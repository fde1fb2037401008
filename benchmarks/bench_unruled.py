"""Tables printed without rules, over many simulated reports (issue 14): each report's text
PDF printed with its tables' borders off and with only a rule under each row, the cells'
text left-aligned and centred, extracted from the file alone and scored against the same
report's HTML rendering: keyed cells, headline figures, sentences found whole, every cell
text of its tables (heads and labels too) found in the text, and the tables said missing. Reports from three seeds of the simulated portals, so layouts (margins,
sizes, page breaks) vary beyond the testbed's.

    .venv/bin/python benchmarks/bench_unruled.py --reports 60 [--figures-right | --ofd | --chromium | --libreoffice]

`--chromium`: each report's HTML page printed to PDF by Chromium (simportals/browser_print.py)
with its cell borders off, three ways (cells centred; labels left and figures right; all
left), instead of the ReportLab forms: a producer the reading was not written against.
`--libreoffice`: each report's page printed by LibreOffice Writer (simportals/
office_print.py), its cells as the page sets them and all centred.
`--engine wkhtmltopdf|weasyprint`: the page as Chromium gets it, printed by another HTML-to-PDF
engine (simportals/engine_print.py), each breaking tables across pages its own way.
`--ruled` (with any of these): the pages printed with their tables' borders on, as a portal's
page prints; a producer's own way of drawing rules (Chromium: each cell's borders apart).
`--scanned` (with any of these): each print scanned (its pages as 200 dpi JPEG images, no text
layer; simportals.attachments.scanned) and read by OCR, as an office scans a printed page.

    .venv/bin/python benchmarks/bench_unruled.py --reports 60 --chromium --ruled
    .venv/bin/python benchmarks/bench_unruled.py --reports 20 --libreoffice --ruled --scanned
"""

from __future__ import annotations

import argparse
import random
import re
import time

from bench_documents import table_texts

from extract import extract_page
from simportals.attachments import ofd_bytes, pdf_bytes, scanned
from simportals.plan import plan
from simportals.render_report import report_html


def _keyed(page) -> dict:
    return {(c.table, c.row_key, c.col_key): c.value for c in page.cells if c.row_key and c.col_key}


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _forms(spec, figures_right: bool, ofd: bool, printer, scan: bool = False):
    """(name, body, url suffix) of each way the report is printed (and scanned)."""
    if printer is not None:
        for style in printer.styles:
            body = printer.pdf(spec, style)
            yield style, scanned(body) if scan else body, "pdf"
        return
    for centred in (False, True):
        for rules in ("none", "rows"):
            name = f"{'centred' if centred else 'left'} {rules}"
            if ofd:
                yield name, ofd_bytes(spec, word=centred, rules=rules), "ofd"
            else:
                yield name, pdf_bytes(spec, word=centred, rules=rules, figures_right=figures_right), "pdf"


def run(reports: int, figures_right: bool = False, ofd: bool = False, chromium: bool = False,
        libreoffice: bool = False, ruled: bool = False, engine: str | None = None, scan: bool = False) -> dict:
    if engine:
        from simportals.engine_print import EnginePrinter

        with EnginePrinter(engine, ruled=ruled) as printer:
            return _run(reports, figures_right, ofd, printer, scan)
    if chromium or libreoffice:
        from simportals.browser_print import BrowserPrinter
        from simportals.office_print import OfficePrinter

        with (BrowserPrinter(ruled=ruled) if chromium else OfficePrinter(ruled=ruled)) as printer:
            return _run(reports, figures_right, ofd, printer, scan)
    return _run(reports, figures_right, ofd, None)


def _run(reports: int, figures_right: bool, ofd: bool, printer, scan: bool = False) -> dict:
    specs = [s for seed in (0, 1, 2) for s in plan(seed, 2, 1)]
    random.Random(5).shuffle(specs)
    totals = {"documents": 0, "cells": 0, "cells_right": 0, "cells_misread": 0, "documents_all_right": 0,
              "sentences": 0, "sentences_whole": 0, "headline_wrong": 0, "said_missing": 0,
              "table_texts": 0, "table_texts_kept": 0,
              "wrong_and_unsaid": 0, "seconds": 0.0}
    failures, lost = [], []
    for spec in specs[:reports]:
        html = f"<html><body><div class='TRS_Editor'>{report_html(spec)}</div></body></html>"
        reference = extract_page(html.encode(), url="http://x.gov.cn/a.html")
        want = _keyed(reference)
        texts = table_texts(reference)
        sentences = [s for line in reference.text.split("\n") if "\t" not in line
                     for s in re.findall(r"[^。；]{6,}[。；]", line)]
        for name, body, suffix in _forms(spec, figures_right, ofd, printer, scan):
            start = time.perf_counter()
            page = extract_page(body, url="http://x.gov.cn/P020240101." + suffix)
            totals["seconds"] += time.perf_counter() - start
            got = _keyed(page)
            right = sum(1 for k, v in want.items() if k in got and got[k] == v)
            whole = sum(1 for s in sentences if s in page.text)
            totals["documents"] += 1
            totals["cells"] += len(want)
            totals["cells_right"] += right
            totals["documents_all_right"] += right == len(want) and len(got) == len(want)
            totals["sentences"] += len(sentences)
            totals["sentences_whole"] += whole
            squeezed = _squeezed(page.text)
            kept = {t for t in texts if t in squeezed}
            totals["table_texts"] += len(texts)
            totals["table_texts_kept"] += len(kept)
            if texts - kept:
                lost.append((spec.key, sorted(texts - kept)[:3]))
            totals["headline_wrong"] += page.stats != reference.stats
            said = any(w.startswith("tables:") for w in page.warnings) or any(
                c.passed is False for c in page.checks)
            misread = sum(1 for k, v in want.items() if got.get(k) is not None and got[k] != v)
            totals["cells_misread"] += misread
            totals["said_missing"] += said
            totals["wrong_and_unsaid"] += (right < len(want) or len(got) != len(want)) and not said
            if right < len(want) or len(got) != len(want):
                failures.append((spec.key, name, right, len(want)))
    return {**totals, "failures": failures[:10], "table_texts_lost": lost[:10]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=60)
    parser.add_argument("--figures-right", action="store_true",
                        help="figures set right in their cells (as spreadsheets set numbers)")
    parser.add_argument("--ofd", action="store_true", help="the reports as OFD, not PDF")
    parser.add_argument("--chromium", action="store_true", help="the reports' pages printed by Chromium")
    parser.add_argument("--libreoffice", action="store_true", help="the reports' pages printed by LibreOffice")
    parser.add_argument("--engine", choices=("wkhtmltopdf", "weasyprint"),
                        help="the reports' pages printed by this HTML-to-PDF engine")
    parser.add_argument("--ruled", action="store_true",
                        help="with --chromium, --libreoffice or --engine: the pages printed with their tables' borders on")
    parser.add_argument("--scanned", action="store_true",
                        help="with --chromium, --libreoffice or --engine: each print scanned and read by OCR")
    args = parser.parse_args()
    print(run(args.reports, args.figures_right, args.ofd, args.chromium, args.libreoffice, args.ruled, args.engine,
              args.scanned))


if __name__ == "__main__":
    main()
