"""A PDF → printed pages (positioned lines and ruled tables) for extract/layout.py.

The text layer is read with pdfminer.six; tables drawn with ruling lines (what Word, WPS and
reportlab print) are rebuilt by extract/lattice.py, and rows of three or more separated pieces
of text outside them form unruled tables. Text printed along another direction is read along
its own (extract/turned.py), and a whole table printed turned on the page (landscape on a
portrait page) is turned back before its grid is read (extract/landscape.py). A page without a
text layer (a scan) is rendered with pypdfium2 and read by OCR (extract/ocr.py).

A page can print its text as shapes (a prepress "convert text to outlines", 转曲): without a
text layer and without an image, it is read by OCR like a scan.

A searchable scan (a scanner's or Acrobat's OCR printed invisible, render mode 3, under a
picture of the page) is read by OCR from the picture like a scan: the hidden text is another
program's reading of unknown quality, and its tables' rulings are only in the picture.

A text layer can be there and still say nothing: a font without a Unicode map (pdfminer gives
`(cid:2913)` for each glyph), strings pdfminer fails to decrypt in an owner-password PDF, glyphs
in the private-use area. Such a page is read again with pdfium, which also maps glyphs by the
font's own tables, and by OCR when pdfium cannot map them either: never kept as noise.
"""

from __future__ import annotations

import io
import math
import re
import statistics
from collections.abc import Callable, Iterator
from functools import lru_cache

from extract.figures import SEAL, drawn_text, figures, read_figures
from extract.landscape import table_turn
from extract.lattice import MAX_RULINGS, Lattice, Piece, inside
from extract.layout import Line, PrintedPage, clean
from extract.printing import (
    MIN_TEXT,
    SCAN_COVER,
    covered,
    fill_tables,
    glyph_lines,
    page_numbers,
    place_lines,
    ruled_tables,
    showing,
    text_tables,
    white,
)
from extract.turned import Glyph, quarter_turn, stacked, turned_lines

MAX_PDF_PAGES = 300  # pages read of one document; the rest are named in a warning
_HIDDEN = 0.5  # share of a page's glyphs printed invisible (render mode 3) over a picture
_OUTLINED = 60  # shapes: a page with less text and this many (glyph outlines) is read by OCR
OCR_DPI = 200
# a glyph with no Unicode: pdfminer's (cid:N), U+FFFD, private-use and control characters
_UNMAPPED = re.compile(r"\(cid:\d+\)|[\ue000-\uf8ff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# a character no Chinese text sets against an ideograph: a Latin letter with a diacritic
# (Latin-1 and Latin Extended, not × ÷), ^ { } — what a font whose map to Unicode is wrong
# gives (Ghostscript re-distilling a browser's PDF: 本年度报告 → 本\x80度ç告). Not | ~ _: a
# portal's links are set apart by |, 1~12月 is a range, a file name holds _.
_DIACRITICS = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # Latin letters with diacritics (× ÷ not)
_ODD = _DIACRITICS + "^{}"
_MISMAPPED = re.compile(rf"(?<=[\u4e00-\u9fff])[{_ODD}]|[{_ODD}](?=[\u4e00-\u9fff])")
_HANZI = re.compile(r"[\u4e00-\u9fff]")
_DIACRITIC = re.compile(f"[{_DIACRITICS}]")
_MISMAPPED_SHARE = 0.01  # of a page's ideographs: beyond it, its fonts' maps are wrong
_UNREADABLE = 0.25  # share of a page's glyphs without Unicode beyond which its text is noise


def _walk(obj: object) -> Iterator[object]:
    yield obj
    if hasattr(obj, "__iter__") and not isinstance(obj, str):
        for child in obj:  # type: ignore[union-attr]
            yield from _walk(child)


def read_pdf(body: bytes, ocr_engine: object | None = None) -> tuple[list[PrintedPage], list[str]]:
    """Every page as a PrintedPage (y down, in points); warnings say what was OCR'd."""
    from pdfminer.layout import LTImage

    pages: list[PrintedPage] = []
    scanned: list[int] = []
    unmapped: dict[int, tuple[list[Lattice], list[Line], list[Piece]]] = {}
    ruled = False
    watermarks: dict[str, list[int]] = {}
    notes: dict[str, list[int]] = {}  # what was read along another direction → pages
    pictures: dict[int, tuple] = {}  # page → pictures among its text, its lines (extract/figures.py)
    outlined: list[int] = []  # pages whose text is drawn as shapes (no text layer, no image)
    searchable: list[int] = []  # scans with another program's OCR hidden under the picture
    wrong: list[int] = []  # pages whose fonts map glyphs to wrong characters (mismapped)
    placed: list[int] = []  # pages read from their text layer
    for number, (page, slanted_text, glyphs, hidden) in enumerate(_layout_pages(body)):
        if slanted_text:
            watermarks.setdefault(slanted_text, []).append(number)
        width, height = page.width, page.height
        found = _lattices(page)
        ruled = ruled or bool(found)
        printed = _chars(page)
        if any(not 0 <= p[0] <= width for p in printed):  # a table wider than the paper
            _noter(notes, number)("text past the page's side read (it does not show on the page)")
        for lat in found:  # before vertical writing is looked for: a cut cell's text is the table's
            lat.run_on(printed)
        lines, pieces = with_turned(_text_lines(page, height), printed, glyphs, height,
                                    found, _noter(notes, number))
        chars = sum(len(s.text) for s in lines)
        layer = _UNMAPPED.sub("", "".join(p[2] for p in printed) + "".join(g.text for g in glyphs))
        pages.append(PrintedPage(width, height, layer=layer))
        images = [o.bbox for o in _walk(page) if isinstance(o, LTImage)]
        if chars < MIN_TEXT and images:
            scanned.append(number)
            continue
        if hidden >= _HIDDEN and covered(images, page.bbox) >= SCAN_COVER:
            searchable.append(number)
            continue
        shapes = _shapes(page)
        if chars < MIN_TEXT and len(shapes) >= _OUTLINED:
            outlined.append(number)
            continue
        text = [(s.x0, height - s.bottom, s.x1, height - s.top) for s in lines]
        boxes = figures(images, text, page.bbox) + drawn_text(
            shapes, text, [lat.bbox for lat in found])
        if boxes:
            pictures[number] = boxes, text
        wrong_map = mismapped(lines)
        if wrong_map:
            wrong.append(number)
        if wrong_map or unmapped_glyphs(lines):
            unmapped[number] = (found, lines, pieces)
            continue
        fill_tables(found, pieces)
        place_lines(pages[number], found, lines)
        placed.append(number)
    warnings = ["pdf tables rebuilt from ruling lines" if ruled
                else "pdf tables rebuilt from text positions"]
    if len(pages) == MAX_PDF_PAGES:
        total = _page_count(body)
        if total > MAX_PDF_PAGES:
            warnings.append(f"pdf: only the first {MAX_PDF_PAGES} of its {total} pages read "
                            f"(pages {MAX_PDF_PAGES + 1}–{total} left out)")
    for text, numbers in watermarks.items():
        warnings.append(f"pdf: text printed at a slant (a watermark) left out of pages "
                        f"{page_numbers(numbers)}: {text[:80]}")
    unreadable: list[int] = []
    if wrong:  # a font's map wrong on one page is wrong wherever it prints: every page by OCR
        unreadable, placed, unmapped = sorted(set(unmapped) | set(placed)), [], {}
        warnings.append(f"ocr: {len(unreadable)} of {len(pages)} pdf pages read by OCR: the text layer's "
                        f"fonts map glyphs to wrong characters (pages {page_numbers(wrong)})")
    if unmapped:
        kept, unreadable = _read_with_pdfium(body, unmapped, pages, notes)
        if kept:
            warnings.append(f"pdf: {len(kept)} of {len(pages)} pages have glyphs pdfminer cannot "
                            f"map to Unicode; read with pdfium (pages {page_numbers(kept)})")
        if unreadable:
            warnings.append(f"ocr: {len(unreadable)} of {len(pages)} pdf pages have a text layer "
                            f"without Unicode (pages {page_numbers(unreadable)}) and were read by OCR")
    text_tables(pages, placed + [n for n in unmapped if n not in unreadable])
    for note, numbers in notes.items():
        numbers = sorted(set(numbers) - set(unreadable) - set(scanned))
        if numbers:
            warnings.append(f"pdf: {note} (pages {page_numbers(numbers)})")
    if scanned:
        warnings.append(f"ocr: {len(scanned)} of {len(pages)} pdf pages have no text layer and "
                        "were read by OCR")
    if searchable:
        warnings.append(f"ocr: {len(searchable)} of {len(pages)} pdf pages are scans with another "
                        f"program's OCR text hidden under them (pages {page_numbers(searchable)}); "
                        "read by OCR from the picture, the hidden text left out")
    if outlined:
        warnings.append(f"ocr: {len(outlined)} of {len(pages)} pdf pages have their text drawn as "
                        f"outlines, not letters (pages {page_numbers(outlined)}), and were read by OCR")
    if scanned or unreadable or outlined or searchable:
        from extract.ocr import LazyEngine, ocr_image, render_pdf_pages

        numbers = sorted(scanned + unreadable + outlined + searchable)
        images = render_pdf_pages(body, numbers, OCR_DPI, grayscale=False)  # a seal's red is told apart
        engine = LazyEngine.of(ocr_engine)  # one for every page of the document
        for number, image in zip(numbers, images, strict=True):
            page = pages[number]
            read = ocr_image(image, scale=72 / OCR_DPI, engine=engine)
            page.lines, page.tables, page.layer, page.seals = read.lines, read.tables, "", read.seals
    for number in unreadable:
        pictures.pop(number, None)  # read whole by OCR (scanned and outlined pages have none)
    if pictures:
        warnings += _read_pictures(body, pictures, pages, ocr_engine)
    sealed = [number for number, page in enumerate(pages) if page.seals]
    if sealed:  # a seal pasted as a picture, or stamped on a scanned page and taken out
        warnings.append(f"pdf: {SEAL} (pages {page_numbers(sealed)})")
    return pages, warnings


def _read_pictures(body: bytes, pictures: dict[int, tuple], pages: list[PrintedPage],
                   ocr_engine: object | None) -> list[str]:
    """The pictures among pages' text read by OCR into those pages; warnings naming the pages."""
    from extract.ocr import LazyEngine, render_pdf_pages

    numbers = sorted(pictures)
    engine = LazyEngine.of(ocr_engine)
    read = []
    for number, image in zip(numbers, render_pdf_pages(body, numbers, OCR_DPI, grayscale=False, media=True),
                             strict=True):
        texts, seals = read_figures(pages[number], image, *pictures[number], OCR_DPI, engine)
        if texts:
            read.append(number)
        pages[number].seals += seals
    warnings = []
    if read:
        warnings.append(f"ocr: text in pictures among the text of {len(read)} of {len(pages)} pdf "
                        f"pages read by OCR (pages {page_numbers(read)})")
    return warnings


def _page_count(body: bytes) -> int:
    """How many pages the document's page tree holds (no page is interpreted)."""
    from pdfminer.pdfpage import PDFPage

    return sum(1 for _page in PDFPage.get_pages(io.BytesIO(body)))


def _layout_pages(body: bytes) -> Iterator[tuple[object, str, list[Glyph], float]]:
    """pdfminer's layout of each page (as `extract_pages`), overprinted glyphs printed once and
    slanted ones left out; with each page, the text of those left out, the glyphs taken out
    of the layout because they read along another direction (extract/turned.py), and the share
    of its glyphs printed invisible."""
    from pdfminer.layout import LAParams
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    resources = PDFResourceManager(caching=True)
    device = _page_aggregator()(resources, laparams=LAParams())
    interpreter = _clipping_interpreter()(resources, device)
    device.clip_of = interpreter.current_clip
    for page in PDFPage.get_pages(io.BytesIO(body), maxpages=MAX_PDF_PAGES, caching=True):
        interpreter.process_page(page)
        yield device.get_result(), "".join(device.slanted), device.turned, device.hidden_share()


Box = tuple[float, float, float, float]


@lru_cache(maxsize=1)
def _clipping_interpreter() -> type:
    """pdfminer's page interpreter, keeping the box of the clipping path in force (pdfminer
    draws every path whole). A browser printing a table broken across pages (wkhtmltopdf) draws
    the whole table on each page and clips it to the page's margins: rows drawn in a margin do
    not show, and their rules are no table's (_lattices). The box of each clip path, in page
    space, intersected with the clips before it; a form XObject inherits its caller's."""
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfminer.utils import apply_matrix_pt

    class ClippingInterpreter(PDFPageInterpreter):
        clip: Box | None = None
        outer: Box | None = None  # the clip a form XObject is drawn in

        def init_state(self, ctm: tuple) -> None:
            super().init_state(ctm)  # type: ignore[arg-type]
            self.clip = self.outer

        def dup(self) -> ClippingInterpreter:
            twin = super().dup()
            twin.outer = self.clip  # type: ignore[attr-defined]
            return twin  # type: ignore[return-value]

        def get_current_state(self) -> tuple:  # type: ignore[override]
            return (*super().get_current_state(), self.clip)

        def set_current_state(self, state: tuple) -> None:  # type: ignore[override]
            super().set_current_state(state[:3])  # type: ignore[arg-type]
            self.clip = state[3] if len(state) > 3 else self.outer

        def current_clip(self) -> Box | None:
            return self.clip

        def do_W(self) -> None:
            points = [apply_matrix_pt(self.ctm, (float(seg[k]), float(seg[k + 1])))  # type: ignore[arg-type]
                      for seg in self.curpath for k in range(1, len(seg) - 1, 2)]
            if not points:
                return
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            box = (min(xs), min(ys), max(xs), max(ys))
            if self.clip is not None:
                box = (max(box[0], self.clip[0]), max(box[1], self.clip[1]),
                       min(box[2], self.clip[2]), min(box[3], self.clip[3]))
            self.clip = box

        do_W_a = do_W

    return ClippingInterpreter


_OVERPRINT = 1.0  # points: a glyph this close to the same glyph already printed is a repeat
_SLANT = 5.0  # degrees off the page's axes beyond which a glyph is a watermark, not text


def slanted(a: float, b: float) -> bool:
    """A glyph whose baseline (text matrix a, b) runs neither along nor across the page."""
    angle = math.degrees(math.atan2(b, a)) % 90
    return _SLANT < angle < 90 - _SLANT


class Printed:
    """The glyphs a page has printed, to tell a glyph printed again over itself (fake bold)."""

    def __init__(self) -> None:
        self.at: dict[tuple[str, int], list[tuple[float, float]]] = {}

    def again(self, text: str, x: float, y: float) -> bool:
        """Whether `text` was printed within `_OVERPRINT` of (x, y); else it is recorded."""
        key = round(x / _OVERPRINT)
        for k in (key - 1, key, key + 1):
            for x0, y0 in self.at.get((text, k), ()):
                if abs(x0 - x) <= _OVERPRINT and abs(y0 - y) <= _OVERPRINT:
                    return True
        self.at.setdefault((text, key), []).append((x, y))
        return False


@lru_cache(maxsize=1)
def _page_aggregator() -> type:
    """pdfminer's page aggregator, keeping only the glyphs a reader takes for the text.

    Word processors and PDF printers make bold of a font without a bold face by printing each
    glyph again a fraction of a point aside; pdfminer reads both (`报报告告`, or every line
    twice), pdfium and readers show one. A watermark (`内部资料`, the issuer's name) is printed
    across the page at a slant: its glyphs would fall into the lines of the text. Glyphs read
    along another direction than across the page (turned a quarter or half turn, or in a font's
    vertical writing mode) are kept aside: pdfminer would make a line of each. Glyphs printed
    invisible (text render mode 3, or 7: a clip) are counted: the OCR layer a scanner or Acrobat
    hides under a scanned page is printed so."""
    from pdfminer.converter import PDFPageAggregator

    class PageAggregator(PDFPageAggregator):
        def begin_page(self, page: object, ctm: object) -> None:
            super().begin_page(page, ctm)
            self.printed = Printed()
            self.slanted: list[str] = []
            self.turned: list[Glyph] = []
            self.invisible = self.glyphs = 0
            self.render_mode = 0

        clip_of: Callable[[], Box | None] | None = None  # the interpreter's clip in force

        def paint_path(self, gstate: object, stroke: bool, fill: bool, evenodd: bool, path: list) -> None:
            before = len(self.cur_item._objs)
            super().paint_path(gstate, stroke, fill, evenodd, path)
            clip = self.clip_of() if self.clip_of is not None else None
            for shape in self.cur_item._objs[before:]:
                shape.clip = clip  # what of it shows (_lattices)

        def render_string(self, textstate: object, *args: object, **kwargs: object) -> None:
            self.render_mode = textstate.render  # type: ignore[attr-defined]
            super().render_string(textstate, *args, **kwargs)

        def hidden_share(self) -> float:
            return self.invisible / self.glyphs if self.glyphs else 0.0

        def render_char(self, matrix: tuple, font: object, *args: object, **kwargs: object) -> float:
            advance = super().render_char(matrix, font, *args, **kwargs)
            char = self.cur_item._objs[-1]
            text = char.get_text()
            if not text.strip():
                return advance
            self.glyphs += 1
            self.invisible += self.render_mode in (3, 7)
            if slanted(char.matrix[0], char.matrix[1]):
                self.cur_item._objs.pop()  # what LTLayoutContainer.add appended
                self.slanted.append(text)
                return advance
            if self.printed.again(text, char.x0, char.y0):
                self.cur_item._objs.pop()
                return advance
            turn = _turn(char.matrix, font.is_vertical())  # type: ignore[attr-defined]
            if turn:
                self.cur_item._objs.pop()
                across = char.width if turn % 2 else char.height  # its size, whatever the font
                self.turned.append(Glyph(text, char.bbox, across, turn))
            return advance

    return PageAggregator


def _turn(matrix: tuple, vertical: bool) -> int:
    """A glyph's reading direction in quarter turns: its baseline (the text matrix's a, b), or
    down its glyph's up axis (-c, -d) in a font's vertical writing mode."""
    a, b, c, d = matrix[:4]
    return quarter_turn(-c, -d) if vertical else quarter_turn(a, b)


TURNED = "text printed sideways or in vertical writing read along its lines"
LANDSCAPE = "a table printed turned on the page read as the page turned"
STACKED = "glyphs stacked one above another beside other text kept one a line (reading order unsure)"


def _noter(notes: dict[str, list[int]], number: int) -> Callable[[str], None]:
    """A function noting something about page `number` once (for a warning naming pages)."""
    def note(text: str) -> None:
        if number not in notes.setdefault(text, []):
            notes[text].append(number)
    return note


def with_turned(lines: list[Line], pieces: list[Piece], glyphs: list[Glyph], height: float,
                found: list[Lattice], note: Callable[[str], None] | None = None,
                ) -> tuple[list[Line], list[Piece]]:
    """A page's lines and table pieces with the text read along other directions: the turned
    glyphs, and glyphs stacked in columns outside the ruled tables (a reader without the font's
    vertical writing mode gives one a line; inside a cell their pieces already read down).
    Each ruled table is given the turn it is printed at (extract/landscape.py). `note` is told
    (TURNED, STACKED, LANDSCAPE) when the page has such text, for its warnings."""
    for lat in found:
        lat.turn = table_turn(lat, glyphs, pieces)
        if lat.turn and note:
            note(LANDSCAPE)
    tables = [lat.bbox for lat in found]
    outside = [s for s in lines if not any(
        inside((s.x0 + s.x1) / 2, height - (s.top + s.bottom) / 2, b) for b in tables)]
    kept, columns, doubtful = stacked(outside, height)
    if doubtful and note:
        note(STACKED)
    if not glyphs and not columns:
        return lines, pieces
    if note:
        note(TURNED)
    dropped = {id(s) for s in outside} - {id(s) for s in kept}
    regions = [box for lat in found for box in lat.regions()]
    more, more_pieces = turned_lines(glyphs + columns, height, regions)
    return [s for s in lines if id(s) not in dropped] + more, pieces + more_pieces


def unmapped_glyphs(lines: list[Line]) -> int:
    """How many of the lines' glyphs have no Unicode (each `(cid:N)` is one glyph)."""
    return sum(len(_UNMAPPED.findall(s.text)) for s in lines)


def mismapped(lines: list[Line]) -> bool:
    """Whether the lines' fonts map glyphs to wrong characters: Latin letters with diacritics
    (and ^ { }) set against ideographs, more than a few and more than one ideograph in a
    hundred, or more such letters than ideographs. The text then reads as Chinese with holes
    and is wrong throughout (本度ç告据), and nothing is missing to say so; only the page's
    picture holds the text."""
    text = "\n".join(s.text for s in lines)
    odd, hanzi = len(_MISMAPPED.findall(text)), len(_HANZI.findall(text))
    if odd >= 3 and odd > _MISMAPPED_SHARE * hanzi:
        return True
    # no Chinese left at all: a font standing in for one the file did not embed, its codes
    # read as Latin-1 (lâ^S NÑS:N”l e?^œ for a report's first line)
    letters = len(_DIACRITIC.findall(text))
    return letters >= 3 and letters > hanzi


def _unreadable(lines: list[Line], bad: int) -> bool:
    glyphs = sum(len(_UNMAPPED.sub("x", s.text)) for s in lines)
    return bad > _UNREADABLE * max(glyphs, 1)


def _read_with_pdfium(body: bytes, unmapped: dict[int, tuple[list[Lattice], list[Line], list[Piece]]],
                      pages: list[PrintedPage], notes: dict[str, list[int]]) -> tuple[list[int], list[int]]:
    """Pages with glyphs pdfminer could not map, placed as pdfium reads them where it maps
    more, else as pdfminer read them unless that is noise; the pages pdfium read, and those
    whose text is noise either way (for OCR). What pdfium read along another direction is
    noted in `notes`."""
    by_pdfium, unreadable = [], []
    tables = {number: found for number, (found, _lines, _pieces) in unmapped.items()}
    for number, (lines, chars) in pdfium_text(body, list(unmapped), tables, notes).items():
        found, mined, mined_chars = unmapped[number]
        bad, better = unmapped_glyphs(mined), unmapped_glyphs(lines)
        if better < bad and not _unreadable(lines, better):
            by_pdfium.append(number)
        elif not _unreadable(mined, bad):
            lines, chars = mined, mined_chars  # a few symbols without Unicode (a bullet font)
        else:
            unreadable.append(number)
            continue
        fill_tables(found, chars)
        place_lines(pages[number], found, lines)
    return by_pdfium, unreadable


def pdfium_text(body: bytes, numbers: list[int], tables: dict[int, list[Lattice]] | None = None,
                notes: dict[str, list[int]] | None = None) -> dict[int, tuple[list[Line], list[Piece]]]:
    """Pages' text as pdfium reads it: lines (y down) and each glyph's centre (y up), in the
    page as shown (turned by its /Rotate, as pdfminer gives it).

    pdfium marks the line breaks it infers with generated characters; a line is also split
    where a gap wider than a character separates two glyphs (table cells printed without rules
    stay separate pieces, as pdfminer gives them). Text read along another direction is read
    as pdfminer's is (`with_turned`, the cells of `tables` kept apart), and noted in `notes`."""
    import pypdfium2
    import pypdfium2.raw as raw

    from extract.ocr import PDFIUM_LOCK

    out: dict[int, tuple[list[Line], list[Piece]]] = {}
    with PDFIUM_LOCK:
        pdf = pypdfium2.PdfDocument(body)
        try:
            for number in numbers:
                page = pdf[number]
                width, height, rotation = page.get_width(), page.get_height(), page.get_rotation()
                shown = _shown(rotation, width, height)
                text = page.get_textpage()
                glyphs, sideways, printed = [], [], Printed()
                for i in range(text.count_chars()):
                    char = chr(raw.FPDFText_GetUnicode(text, i))
                    generated = bool(raw.FPDFText_IsGenerated(text, i))
                    angle = raw.FPDFText_GetCharAngle(text, i)  # radians clockwise, -1: not known
                    if not generated and angle > 0 and slanted(math.cos(angle), math.sin(angle)):
                        continue  # a watermark, as pdfminer's reading leaves it out
                    box, size = shown(text.get_charbox(i, loose=True)), raw.FPDFText_GetFontSize(text, i)
                    if not generated and char.strip() and printed.again(char, box[0], box[1]):
                        continue  # printed again over itself (bold), as pdfminer's reading leaves it out
                    turn = 0 if generated or angle < 0 else \
                        quarter_turn(math.cos(angle), -math.sin(angle)) - rotation // 90
                    if turn % 4 and char.strip():
                        sideways.append(Glyph(char, box, size, turn % 4))
                    elif not turn % 4:
                        glyphs.append((char, generated, box, size))
                lines, pieces = glyph_lines(glyphs, height)
                lines, pieces = with_turned(lines, pieces, sideways, height,
                                            (tables or {}).get(number, []),
                                            None if notes is None else _noter(notes, number))
                out[number] = lines, pieces
        finally:
            pdf.close()
    return out


def _shown(rotation: int, width: float, height: float):  # noqa: ANN202
    """pdfium's glyph boxes are in the page's own space; a page with /Rotate is shown turned
    clockwise (width and height are as shown): each box where it is shown, as pdfminer puts it."""
    w, h = (height, width) if rotation in (90, 270) else (width, height)

    def turn(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        x0, y0, x1, y1 = box
        if rotation == 90:
            return y0, w - x1, y1, w - x0
        if rotation == 180:
            return w - x1, h - y1, w - x0, h - y0
        if rotation == 270:
            return h - y1, x0, h - y0, x1
        return box

    return turn


def _text_lines(page: object, height: float) -> list[Line]:
    from pdfminer.layout import LTChar, LTTextLine

    out = []
    for obj in _walk(page):
        if isinstance(obj, LTTextLine):
            text = clean(obj.get_text())
            if not text:
                continue
            chars = [c for c in obj if isinstance(c, LTChar) and c.get_text().strip()]
            size = statistics.median_high(c.size for c in chars) if chars else obj.height
            out.append(Line(obj.x0, height - obj.y1, obj.x1, height - obj.y0, text, size,
                            glyphs=tuple((c.x0, c.x1, c.get_text()) for c in chars)))
    return out


def _shapes(page: object) -> list[tuple[float, float, float, float]]:
    """The boxes of a page's drawn shapes that are neither lines nor rectangles: a glyph's
    outline is one (or one per stroke), a table's rules are none."""
    from pdfminer.layout import LTCurve, LTLine, LTRect

    return [o.bbox for o in _walk(page) if isinstance(o, LTCurve) and not isinstance(o, LTLine | LTRect)
            and not _clipped_away(o)]


def _clipped_away(shape: object) -> bool:
    """Whether a shape lies wholly outside the clip it is drawn in (it does not show)."""
    clip = getattr(shape, "clip", None)
    x0, y0, x1, y1 = shape.bbox  # type: ignore[attr-defined]
    return clip is not None and (x1 < clip[0] or x0 > clip[2] or y1 < clip[1] or y0 > clip[3])


def _lattices(page: object) -> list[Lattice]:
    """Ruled tables of a page from its drawn lines and rectangles (their characters: _fill)."""
    from pdfminer.layout import LTChar, LTCurve

    vertical: list[tuple[float, float, float]] = []
    horizontal: list[tuple[float, float, float]] = []
    glyphs: list[tuple[float, float, float, float]] = []  # what an underline is drawn with
    cut: set[float] = set()  # where a clip cut a rule
    for obj in _walk(page):
        if isinstance(obj, LTChar):  # a space too: an underline runs under the spaces it holds
            glyphs.append(obj.bbox)
            continue
        if not isinstance(obj, LTCurve) or not drawn(obj):  # LTLine and LTRect are LTCurves
            continue
        x0, y0, x1, y1 = obj.bbox
        v: list[tuple[float, float, float]] = []
        h: list[tuple[float, float, float]] = []
        if x1 - x0 <= 2 and y1 - y0 > 2:
            v.append(((x0 + x1) / 2, y0, y1))
        elif y1 - y0 <= 2 and x1 - x0 > 2:
            h.append(((y0 + y1) / 2, x0, x1))
        elif x1 - x0 > 2 and y1 - y0 > 2 and obj.__class__.__name__ == "LTRect":
            v += [(x0, y0, y1), (x1, y0, y1)]
            h += [(y0, x0, x1), (y1, x0, x1)]
        clip = getattr(obj, "clip", None)
        if clip is not None:  # a page's margins clip what is drawn in them
            v, h, edges = showing(v, h, clip)
            cut |= edges
        vertical += v
        horizontal += h
        if len(vertical) + len(horizontal) > MAX_RULINGS:
            return []
    return ruled_tables(vertical, horizontal, page.bbox, cut, glyphs)  # type: ignore[attr-defined]


def drawn(shape: object) -> bool:
    """Whether a path shows on white paper: stroked in a colour other than white, or filled in
    one. Word draws a white, unstroked box behind each shaded or framed paragraph; taken as
    rulings, a page of prose became a one-column table."""
    return bool((shape.stroke and not white(shape.stroking_color))  # type: ignore[attr-defined]
                or (shape.fill and not white(shape.non_stroking_color)))  # type: ignore[attr-defined]


def _chars(page: object) -> list[Piece]:
    """Each printed character's centre (y up) and text, as pdfminer reads them."""
    from pdfminer.layout import LTChar

    return [((c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2, c.get_text(), None) for c in _walk(page)
            if isinstance(c, LTChar) and c.get_text().strip()]
