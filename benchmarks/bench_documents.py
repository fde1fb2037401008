"""Report documents: extraction quality per form, OCR engines, PDF engines.

    .venv/bin/python benchmarks/bench_documents.py [--forms pdf scan ...] [--pages N]

1. Every attachment-only report of the simulated portals (text PDF, text PDF with its tables
   pasted as pictures, scan, JPG, DOCX, DOC, WPS, XLS) extracted with `extract_page` and scored against the same report's HTML rendering
   extracted the same way (statistics by codebook key) and against the ground truth (fields).
2. OCR engines on the scanned pages (rendered at 200 dpi from the reports' text PDFs):
   RapidOCR (rapidocr-onnxruntime, the models in its wheel) and Tesseract 5 (Debian
   tesseract-ocr + tesseract-ocr-chi-sim), whole page, characters against the text layer.
3. PDF engines on the text PDFs: pdfminer.six (what extract/pdf.py uses), pdfplumber and
   PyMuPDF, each giving its tables to extract_statistics: cells kept and seconds.
4. Forms the simulated portals do not serve (`variants`): the text-PDF report exported by
   LibreOffice from its DOCX, owner-password protected and with its text (or its title only)
   converted to outlines; its DOCX with the tables pasted as pictures; the scanned report with
   its pages turned ±1.5° and 90°, and stacked into a 长图 1,080 and 800 px wide (a phone's
   width, 130 and 97 dpi). Scored as in 1.
Writes benchmarks/results/documents.json.
"""

from __future__ import annotations

import argparse
import difflib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extract import extract_page  # noqa: E402
from extract.layout import PAGE_NUMBER  # noqa: E402
from extract.stats import extract_statistics  # noqa: E402
from simportals import build_testbed  # noqa: E402
from simportals.attachments import _page_images, pdf_bytes  # noqa: E402
from simportals.render_report import report_html  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "documents.json"


def keyed(cells) -> dict:
    return {(c.table, c.row_key, c.col_key): c.value for c in cells if c.row_key}


def twin(spec):
    """The report as its HTML page, extracted: the truth a document of it is scored against."""
    html = f"<html><body><div class='TRS_Editor'>{report_html(spec)}</div></body></html>"
    return extract_page(html.encode(), url="http://x.gov.cn/a.html")


def reference(spec) -> dict:
    return keyed(twin(spec).cells)


def table_texts(page) -> set[str]:
    """Every cell text of a page's tables (heads, labels, captions), whitespace taken out."""
    return {re.sub(r"\s+", "", c) for grid in page.tables for row in grid for c in row if c.strip()}


def quality(tb, forms: list[str]) -> list[dict]:
    specs = {s.key: s for s in tb.specs}
    rows = []
    for truth in tb.reports:
        if truth.published_as not in forms:
            continue
        spec = specs[truth.key]
        portal, path = truth.attachments[0]
        _status, headers, body = tb.page(portal, path)
        start = time.perf_counter()
        page = extract_page(body, url=tb.url(portal, path), headers=headers)
        rows.append(score(truth.published_as, spec, truth, page, time.perf_counter() - start))
    return rows


def score(form: str, spec, truth, page, seconds: float) -> dict:
    """One extracted document against its report's truth (printed as it is measured)."""
    truth_page = twin(spec)
    want, got = keyed(truth_page.cells), keyed(page.cells)
    texts, squeezed = table_texts(truth_page), re.sub(r"\s+", "", page.text)
    lost = sorted(t for t in texts if t not in squeezed)
    right = sum(1 for k, v in want.items() if got.get(k) == v)
    fields = {f: getattr(page, f) == getattr(truth, f) for f in ("title", "year")}
    fields["agency"] = page.agency == truth.agency
    fields["region"] = page.region.code == truth.region.get("code")
    fields["level"] = page.region.level == truth.region.get("level")
    headline = sum(1 for k, v in truth.stats.items() if page.stats.get(k) == v)
    row = {"form": form, "report": truth.key, "seconds": round(seconds, 1),
           "cells": len(want), "cells_right": right,
           "headline_right": f"{headline}/{len(truth.stats)}",
           "table_texts_found": f"{len(texts) - len(lost)}/{len(texts)}", "table_texts_lost": lost[:3],
           "fields_wrong": [f for f, ok in fields.items() if not ok],
           "page_number_lines": sum(1 for line in page.text.splitlines() if PAGE_NUMBER.match(line)),
           "sentences": sentence_causes(spec, page.text),
           "ocr_cells": sum(1 for c in page.cells if c.ocr),
           "min_confidence": min((c.confidence for c in page.cells
                                  if c.ocr and c.confidence is not None), default=None),
           "warnings": [w for w in page.warnings if not w.startswith("pdf tables rebuilt")]}
    print(row, flush=True)
    return row


def variants(tb, only: list[str] | None = None) -> list[dict]:
    """The text-PDF and scanned reports as portals also publish them, though the simulated
    portals serve neither form: exported by a word processor (LibreOffice, from the DOCX),
    owner-password protected, its tables printed without rules (or with only a rule under each
    row), scanned crooked (pages turned ±1.5°) or sideways (90°), its text
    converted to outlines (转曲), wholly or only the title's, the scan as a long JPG at a
    phone's width. `only`: the variants whose name contains one of these words."""
    from simportals.attachments import convert, docx_bytes, outlined_pdf_bytes

    specs = {s.key: s for s in tb.specs}
    text_pdf = next(t for t in tb.reports if t.published_as == "pdf")
    scan = next(t for t in tb.reports if t.published_as == "scan")

    def long_image(spec, width: int) -> bytes:
        from PIL import Image

        from simportals.attachments import stacked

        pages = [im.convert("L").resize((width, round(im.height * width / im.width)), Image.LANCZOS)
                 for im in _page_images(spec)]
        buf = io.BytesIO()
        stacked(pages).save(buf, "JPEG", quality=85)
        return buf.getvalue()

    def scanned(spec, turn) -> bytes:
        images = [turn(im.convert("L"), i) for i, im in enumerate(_page_images(spec))]
        buf = io.BytesIO()
        images[0].save(buf, "PDF", resolution=200, save_all=True, append_images=images[1:])
        return buf.getvalue()

    forms = [
        ("pdf exported by LibreOffice", text_pdf,
         lambda spec: convert(docx_bytes(spec), "docx", "pdf")),
        ("pdf, owner password", text_pdf, lambda spec: pdf_bytes(spec, protect=True)),
        ("pdf, tables without rules, text left-aligned", text_pdf,
         lambda spec: pdf_bytes(spec, word=False, rules="none")),
        ("pdf, tables without rules, text centred", text_pdf,
         lambda spec: pdf_bytes(spec, word=True, rules="none")),
        ("pdf, tables with a rule under each row only", text_pdf,
         lambda spec: pdf_bytes(spec, word=True, rules="rows")),
        ("pdf, text converted to outlines", text_pdf, outlined_pdf_bytes),
        ("pdf, title converted to outlines", text_pdf,
         lambda spec: outlined_pdf_bytes(spec, title_only=True)),
        ("docx, tables pasted as pictures", text_pdf, lambda spec: docx_bytes(spec, tables_as_images=True)),
        ("pdf exported by LibreOffice from the DOCX with pictured tables", text_pdf,
         lambda spec: convert(docx_bytes(spec, tables_as_images=True), "docx", "pdf")),
        ("scan, pages turned ±1.5°", scan, lambda spec: scanned(
            spec, lambda im, i: im.rotate(1.5 if i % 2 else -1.5, resample=3, fillcolor=255))),
        ("scan, pages turned 90°", scan, lambda spec: scanned(
            spec, lambda im, i: im.rotate(90, expand=True))),
        ("jpg 长图 of the scan, 1,080 px wide", scan, lambda spec: long_image(spec, 1080)),
        ("jpg 长图 of the scan, 800 px wide", scan, lambda spec: long_image(spec, 800)),
    ]
    hints = {"registry_region": "江苏省宿迁市沭阳县"}  # as the crawl passes the portal's region
    rows = []
    for form, truth, make in forms:
        if only and not any(word in form for word in only):
            continue
        spec = specs[truth.key]
        body = make(spec)
        start = time.perf_counter()
        ext = form.split(maxsplit=1)[0].rstrip(",")
        ext = ext if ext in ("docx", "jpg") else "pdf"
        ctype = {"pdf": "application/pdf", "jpg": "image/jpeg"}.get(ext)
        page = extract_page(body, url=f"http://x.gov.cn/P020240101.{ext}",
                            headers=[("Content-Type", ctype)] if ctype else None,
                            hints=hints if truth is scan else None)
        rows.append(score(form, spec, truth, page, time.perf_counter() - start))
    return rows


def sentences(spec) -> list[str]:
    """Every sentence of the report's prose, headings and 落款 (as the e2e search test)."""
    from simportals.document import build

    lines = [p for kind, p in build(spec) if kind in ("h", "sub", "p")]
    lines += [line for kind, p in build(spec) if kind == "sign" for line in p]
    return [s for line in lines for s in re.findall(r"[^。；]+[。；]?", line) if len(s) >= 4]


_PUNCT = re.compile(r"[\s、，,。．.；;：:！!？?（）()“”\"‘’'《》<>—\-]")


def sentence_causes(spec, text: str) -> dict:
    """Why sentences of the report are not found whole in the extracted text: each missing
    one is put down to the first cause that, undone, finds it: a line break not rejoined,
    spaces inserted, punctuation (width or mark), else characters misread."""
    import unicodedata

    def nfkc(t: str) -> str:
        return unicodedata.normalize("NFKC", t)

    joined = text.replace("\n", "")
    causes = {"whole": 0, "line_break": 0, "spacing": 0, "punctuation": 0, "misread": 0}
    misread = []
    for sentence in sentences(spec):
        if sentence in text:
            causes["whole"] += 1
        elif sentence in joined:
            causes["line_break"] += 1
        elif re.sub(r"\s", "", sentence) in re.sub(r"\s", "", joined):
            causes["spacing"] += 1
        elif _PUNCT.sub("", nfkc(sentence)) in _PUNCT.sub("", nfkc(joined)):
            causes["punctuation"] += 1
        else:
            causes["misread"] += 1
            misread.append(sentence)
    return {**causes, "misread_examples": misread[:5]}


def _similarity(a: str, b: str) -> float:
    a, b = re.sub(r"\s+", "", a), re.sub(r"\s+", "", b)
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def ocr_engines(tb, n_pages: int) -> list[dict]:
    """The prose at the top of first pages (title, preamble, section 一; no table), rendered
    at 200 dpi from the text PDFs, OCR'd whole by each engine and compared, characters in
    reading order, with the text layer's lines in the same region."""
    import numpy as np

    from extract.ocr import new_engine
    from extract.pdf import read_pdf

    specs = [s for s in tb.specs if s.published_as in ("pdf", "scan", "jpg")][:n_pages]
    crops, truths = [], []
    for spec in specs:
        image = _page_images(spec)[0]
        page = read_pdf(pdf_bytes(spec))[0][0]
        cut = 0.4 * page.height
        truths.append("".join(s.text for s in sorted(page.lines, key=lambda s: (s.top, s.x0))
                              if s.bottom < cut))
        crops.append(image.crop((0, 0, image.width, int(image.height * 0.4 - 4))))
    out = []
    engine = new_engine()
    for name in ("rapidocr", "tesseract"):
        if name == "tesseract" and not shutil.which("tesseract"):
            out.append({"engine": name, "error": "tesseract not installed"})
            continue
        scores, seconds = [], []
        for image, truth in zip(crops, truths, strict=True):
            start = time.perf_counter()
            if name == "rapidocr":
                result, _ = engine(np.asarray(image.convert("RGB"))[:, :, ::-1])
                text = "".join(r[1] for r in result or [])
            else:
                with tempfile.NamedTemporaryFile(suffix=".png") as tmp:
                    image.save(tmp.name)
                    text = subprocess.run(["tesseract", tmp.name, "-", "-l", "chi_sim", "--psm", "6"],
                                          capture_output=True, text=True, check=True).stdout
            seconds.append(time.perf_counter() - start)
            scores.append(_similarity(text, truth))
        out.append({"engine": name, "crops": len(crops),
                    "char_similarity": round(sum(scores) / len(scores), 4),
                    "seconds_per_crop": round(sum(seconds) / len(seconds), 2)})
        print(out[-1], flush=True)
    return out


def pdf_engines(tb) -> list[dict]:
    """Text PDFs: each engine's tables through extract_statistics, cells kept and seconds."""
    import fitz  # PyMuPDF
    import pdfplumber

    from extract.attachments import extract_document

    specs = [s for s in tb.specs if s.published_as == "pdf"]

    def ours(body: bytes):
        doc = extract_document(body, "application/pdf", None)
        return doc.text, doc.tables

    def plumber(body: bytes):
        with pdfplumber.open(io.BytesIO(body)) as pdf:
            text = "\n".join(p.extract_text() or "" for p in pdf.pages)
            tables = [[[c or "" for c in row] for row in t] for p in pdf.pages
                      for t in p.extract_tables()]
        return text, tables

    def mupdf(body: bytes):
        doc = fitz.open(stream=body, filetype="pdf")
        text = "\n".join(p.get_text() for p in doc)
        tables = [[[re.sub(r"\s+", "", c or "") for c in row] for row in t.extract()]
                  for p in doc for t in p.find_tables().tables]
        return text, tables

    out = []
    for name, read in (("pdfminer.six (extract/pdf.py)", ours), ("pdfplumber", plumber),
                       ("PyMuPDF", mupdf)):
        kept = total = 0
        seconds = 0.0
        for spec in specs:
            body = pdf_bytes(spec)
            want = reference(spec)
            start = time.perf_counter()
            for _ in range(3):
                text, tables = read(body)
            seconds += (time.perf_counter() - start) / 3
            got = keyed(extract_statistics(text, tables, spec.year).cells)
            kept += sum(1 for k, v in want.items() if got.get(k) == v)
            total += len(want)
        out.append({"engine": name, "cells_kept": f"{kept}/{total}",
                    "seconds_per_pdf": round(seconds / len(specs), 3)})
        print(out[-1], flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--forms", nargs="*",
                        default=["pdf", "pictures", "scan", "searchable", "ofd", "jpg", "tiff", "docx", "doc",
                                 "odt", "wps", "xls"])
    parser.add_argument("--pages", type=int, default=4, help="page tops OCR'd per engine")
    parser.add_argument("--skip", nargs="*", default=[], choices=["quality", "ocr", "pdf", "variants"])
    parser.add_argument("--variants", nargs="*", default=None,
                        help="only the variants whose name contains one of these words")
    args = parser.parse_args()
    tb = build_testbed()
    result = {}
    if "pdf" not in args.skip:
        result["pdf_engines"] = pdf_engines(tb)
    if "ocr" not in args.skip:
        result["ocr_engines"] = ocr_engines(tb, args.pages)
    if "quality" not in args.skip:
        result["quality"] = quality(tb, args.forms)
    if "variants" not in args.skip:
        result["variants"] = variants(tb, args.variants)
    RESULTS.parent.mkdir(exist_ok=True)
    old = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    RESULTS.write_text(json.dumps(merged(old, result), ensure_ascii=False, indent=1) + "\n")


def merged(old: dict, new: dict) -> dict:
    """The results file with this run's parts: a run of some forms or variants replaces their
    rows and keeps the others' (a partial run never drops what an earlier one measured)."""
    out = dict(old)
    for part, rows in new.items():
        keep = old.get(part)
        if isinstance(rows, list) and isinstance(keep, list) and all("form" in r for r in rows + keep):
            forms = {r["form"] for r in rows}
            rows = [r for r in keep if r["form"] not in forms] + rows
        out[part] = rows
    return out


if __name__ == "__main__":
    main()
