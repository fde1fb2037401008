"""The text and tables of a WordprocessingML document as Word shows them, each once.

python-docx sees only the body's own `w:p` and `w:tbl` children and a paragraph's own `w:r`
and `w:hyperlink` runs. Real reports hold more: content controls (`w:sdt`) around cover
pages, form fields, table rows and cells; text boxes (`w:txbxContent` in DrawingML, VML, or
both inside `mc:AlternateContent`); tables inside table cells; tracked insertions (`w:ins`,
`w:moveTo`); run wrappers (`w:smartTag`, `w:customXml`, `w:fldSimple`); footnotes and
endnotes in their own parts. So this module walks the XML itself, in document order:

- wrappers are looked through, whatever their name; what Word does not show is left out:
  deleted and moved-away text (`w:del`, `w:moveFrom`, `w:delText`), field instructions
  (`w:instrText`), ruby guides (`w:rt`), properties;
- `mc:AlternateContent` holds one thing twice; one branch is read (the first that has text);
- a text box's paragraphs follow the paragraph it is anchored in, as lines of their own;
- a table inside a cell is a grid of its own, after the table holding it; the cell keeps its
  own paragraphs;
- a table that is a layout device (the 版心 habit: the whole report typed into one cell, or
  cells each holding paragraphs of running prose) is read as the paragraphs it holds, cell
  by cell; only tables of values become grids (`is_layout`, as extract/text.py's
  `is_layout_table` for HTML);
- an embedded Excel object (a statistics table pasted from Excel) is read as its sheets'
  grids, at its place among the tables;
- a picture is read by OCR after the paragraph it is in (tables pasted as screenshots), its
  tables among the grids (extract/figures.py `read_picture` leaves icons and seals);
- what holds figures this cannot read (charts, SmartArt, other embedded objects, imported
  chunks, pictures in formats that cannot be opened) is counted and said in the warnings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from docx.oxml import parse_xml
from lxml import etree

from extract.layout import clean
from extract.model import Grid

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_V = "{urn:schemas-microsoft-com:vml}"
_O = "{urn:schemas-microsoft-com:office:office}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"
_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_DGM = "{http://schemas.openxmlformats.org/drawingml/2006/diagram}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

# Not shown by Word, or not text: deleted and moved-away revisions, field instructions, ruby
# guides, properties (a property may hold a revision mark, never shown text).
_HIDDEN = {_W + t for t in ("del", "moveFrom", "delText", "instrText", "delInstrText", "rt",
                            "pPr", "rPr", "sdtPr", "sdtEndPr", "tblPr", "trPr", "tcPr", "tblGrid",
                            "sectPr", "ffData", "footnoteReference", "endnoteReference")}
_CHARACTERS = {_W + "tab": "\t", _W + "ptab": "\t", _W + "cr": "\n", _W + "noBreakHyphen": "-",
               _W + "softHyphen": ""}
_NOTE_SEPARATORS = {"separator", "continuationSeparator", "continuationNotice"}
PROSE_CELL = 100  # characters from which a cell of two or more paragraphs is running text
LAYOUT_SHARE = 2 / 3  # share of a table's text in running-text cells that makes it a layout


@dataclass
class Reading:
    """Lines of text in reading order (body, then notes), grids in document order, warnings."""

    lines: list[str] = field(default_factory=list)
    tables: list[Grid] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    confidence: list = field(default_factory=list)  # per grid: OCR confidence, None from Word
    line_confidence: dict[str, float] = field(default_factory=dict)  # paragraphs read by OCR
    table_at: list[int] = field(default_factory=list)  # per grid: the line it stands before


def read_document(document) -> Reading:  # noqa: ANN001 - a docx.document.Document
    """The body, then the footnotes and endnotes, of a python-docx Document."""
    walker = _Walker(document.part)
    sink = walker.root
    walker.blocks(document.element.body, sink)
    for part in _note_parts(document.part):
        walker.part = part
        root = parse_xml(part.blob)
        for note in root:
            if note.get(_W + "type") not in _NOTE_SEPARATORS:
                walker.blocks(note, sink)
    kept = [clean(line) for line in sink]
    reading = Reading([line for line in kept if line], walker.tables)
    shown = [0]  # lines kept before each of the body's lines
    for line in kept:
        shown.append(shown[-1] + bool(line))
    reading.table_at = [shown[walker.places.get(id(grid), len(sink))] for grid in walker.tables]
    reading.warnings = walker.notes + walker.warnings()
    reading.confidence = [walker.ocr_tables.get(id(grid)) for grid in walker.tables]
    reading.line_confidence = walker.line_confidence
    return reading


def shown_text(document) -> str:  # noqa: ANN001 - a docx.document.Document
    """Every w:t of the body and notes Word shows (no deleted, moved-away or fallback copies),
    walked independently of `read_document`, for extract/loss.py."""
    roots = [document.element.body] + [parse_xml(p.blob) for p in _note_parts(document.part)]
    return "\n".join(t.text or "" for root in roots for t in _SHOWN_T(root))


_SHOWN_T = etree.XPath(
    ".//w:t[not(ancestor::w:del or ancestor::w:moveFrom or ancestor::w:rt or ancestor::mc:Fallback)]",
    namespaces={"w": _W[1:-1], "mc": _MC[1:-1]})


def _note_parts(part) -> Iterator:  # noqa: ANN001 - a docx.parts.document.DocumentPart
    for kind in ("footnotes", "endnotes"):
        for rel in part.rels.values():
            if not rel.is_external and rel.reltype.endswith("/" + kind):
                yield rel.target_part


class _Walker:
    """One document's walk: the grids found so far and the things it could not read."""

    def __init__(self, part) -> None:  # noqa: ANN001 - the docx part whose XML is walked
        self.part = part
        self.tables: list[Grid] = []
        self.unread: Counter[str] = Counter()
        self.notes: list[str] = []  # warnings of embedded workbooks
        from extract.ocr import LazyEngine

        self.engine = LazyEngine()  # one OCR engine for every picture of the document
        self.ocr_tables: dict[int, object] = {}  # id of a grid read by OCR → its confidence
        self.line_confidence: dict[str, float] = {}
        self.pictures_read = 0
        # the last table read from a picture, and where the walk stood after it (grids, lines)
        self.last_picture_table: tuple = (None, None)
        self.root: list[str] = []  # the body's lines so far: where a grid stands among them
        self.places: dict[int, int] = {}  # id of a grid → how many of the body's lines precede it

    def blocks(self, container: etree._Element, sink: list[str]) -> None:
        """Paragraphs' texts into `sink`, tables into self.tables, through any wrapper."""
        for child in _elements(container):
            if child.tag == _W + "p":
                self.paragraph(child, sink)
            elif child.tag == _W + "tbl":
                self.table(child, sink)
            elif child.tag == _W + "altChunk":
                self.unread["imported chunk (altChunk)"] += 1
            elif child.tag == _MC + "AlternateContent":
                self.blocks(_branch(child), sink)
            elif child.tag not in _HIDDEN:
                self.blocks(child, sink)  # w:sdt, w:sdtContent, w:customXml, w:ins, w:moveTo...

    def paragraph(self, p: etree._Element, sink: list[str]) -> None:
        """The paragraph's text, then the blocks of the text boxes anchored in it."""
        parts: list[str] = []
        boxes: list[etree._Element] = []
        self.inline(p, parts, boxes)
        sink.append("".join(parts))
        for box in boxes:
            if box.tag == _W + "txbxContent":
                self.blocks(box, sink)
            else:
                self.picture(box, sink)

    def inline(self, element: etree._Element, parts: list[str], boxes: list[etree._Element]) -> None:
        for child in _elements(element):
            tag = child.tag
            if tag == _W + "t":
                parts.append(child.text or "")
            elif tag in _CHARACTERS:
                parts.append(_CHARACTERS[tag])
            elif tag == _W + "br":
                parts.append("\n" if child.get(_W + "type", "textWrapping") == "textWrapping" else "")
            elif tag == _W + "sym":
                parts.append(_symbol(child.get(_W + "char", "")))
            elif tag in (_M + "oMath", _M + "oMathPara"):
                parts.append("".join(t.text or "" for t in child.iter(_M + "t")))
            elif tag == _MC + "AlternateContent":
                self.inline(_branch(child), parts, boxes)
            elif tag in (_W + "drawing", _W + "pict", _W + "object"):
                self.shapes(child, parts, boxes)
            elif tag == _W + "p":  # a paragraph where only runs belong (e.g. in w:sdtContent)
                parts.append("\n")
                self.inline(child, parts, boxes)
            elif tag not in _HIDDEN:
                self.inline(child, parts, boxes)  # w:r, w:hyperlink, w:ins, w:sdt, w:smartTag...

    def shapes(self, element: etree._Element, parts: list[str], boxes: list[etree._Element]) -> None:
        """Text boxes (kept for after the paragraph), WordArt text (inline), and a count of
        what holds content elsewhere."""
        for child in _elements(element):
            tag = child.tag
            if tag == _W + "txbxContent":
                boxes.append(child)
                continue
            if tag == _MC + "AlternateContent":
                self.shapes(_branch(child), parts, boxes)
                continue
            if tag == _V + "textpath" and child.get("string"):
                parts.append(child.get("string"))
            elif tag == _C + "chart":
                self.unread["chart"] += 1
            elif tag == _DGM + "relIds":
                self.unread["SmartArt diagram"] += 1
            elif tag == _O + "OLEObject":
                self.embedded(child)
            elif tag in (_PIC + "pic", _V + "imagedata"):
                boxes.append(child)  # read by OCR after the paragraph (self.picture)
                continue
            self.shapes(child, parts, boxes)

    def picture(self, element: etree._Element, sink: list[str]) -> None:
        """A picture's text by OCR, where it is (a statistics table pasted as a screenshot):
        its paragraphs into `sink`, its ruled tables among the grids, flagged as OCR. Icons
        and seals are not read; a picture that cannot be opened (EMF, WMF) is counted."""
        blip = element if element.tag == _V + "imagedata" else element.find(f".//{_A}blip")
        rid = None if blip is None else blip.get(_R + "embed") or blip.get(_R + "id")
        target = self.part.rels.get(rid or "")
        if target is None or target.is_external:
            self.unread["picture"] += 1  # linked, or its part missing: its bytes are not in the file
            return
        from extract.figures import read_picture

        try:
            flow = read_picture(target.target_part.blob, self.engine)
        except Exception:  # noqa: BLE001 - a picture we cannot open is counted, never raised
            self.unread["picture"] += 1
            return
        if flow is None:
            return
        from extract.layout import join_tables

        for kind, payload in flow.blocks:
            if kind != "table":
                sink.append(str(payload))
                continue
            last, at = self.last_picture_table
            # a table too tall for one screenshot is pasted as two: the second goes on the first
            here = (len(self.tables), sum(1 for line in sink if line.strip()))  # empty paragraphs aside
            joined = join_tables(last, payload) if last is not None and at == here else None
            if joined is not None:
                del self.ocr_tables[id(self.tables.pop())]
                payload = joined
            self.tables.append(payload.grid)
            self.places[id(payload.grid)] = len(self.root)
            self.ocr_tables[id(payload.grid)] = payload.confidence
            self.last_picture_table = payload, (len(self.tables), here[1])
        self.line_confidence.update(flow.confidence)
        self.pictures_read += 1

    def embedded(self, ole: etree._Element) -> None:
        """An embedded workbook's sheets as grids; any other object is counted as unread."""
        target = self.part.rels.get(ole.get(_R + "id", ""))
        read = None if target is None or target.is_external else _workbook(target.target_part.blob)
        if read is None:
            self.unread["embedded object"] += 1
            return
        grids, confidence, warnings = read
        for grid, conf in zip(grids, confidence, strict=True):
            self.tables.append(grid)
            self.places[id(grid)] = len(self.root)
            if conf is not None:  # a picture over the workbook's sheets, read by OCR
                self.ocr_tables[id(grid)] = conf
        self.notes.extend(f"embedded {warning}" for warning in warnings)

    def table(self, tbl: etree._Element, sink: list[str]) -> None:
        """The table's grid (spans repeat their text), then the grids of tables in its cells;
        a layout table's paragraphs go into `sink` instead, cell by cell."""
        index, place = len(self.tables), len(self.root)
        self.tables.append([])
        rows: list[list[str]] = []
        cells: list[list[list[str]]] = []  # each row's cells' own lines, once (not each slot)
        above: dict[int, str] = {}
        for tr in _wrapped(tbl, _W + "tr"):
            if tr.find(f"{_W}trPr/{_W}del") is not None:
                continue  # a row deleted with revisions on
            row = [""] * _val(tr.find(f"{_W}trPr/{_W}gridBefore"), 0)
            cells.append([])
            for tc in _wrapped(tr, _W + "tc"):
                props = tc.find(_W + "tcPr")
                span = max(1, _val(None if props is None else props.find(_W + "gridSpan"), 1))
                vmerge = None if props is None else props.find(_W + "vMerge")
                hmerge = None if props is None else props.find(_W + "hMerge")
                if vmerge is not None and vmerge.get(_W + "val", "continue") == "continue":
                    text = above.get(len(row), "")
                elif hmerge is not None and hmerge.get(_W + "val", "continue") == "continue" and row:
                    text = row[-1]
                else:
                    lines: list[str] = []
                    self.blocks(tc, lines)
                    cells[-1].append(lines)
                    text = clean("\n".join(lines))
                for _ in range(span):
                    above[len(row)] = text
                    row.append(text)
            row.extend([""] * _val(tr.find(f"{_W}trPr/{_W}gridAfter"), 0))
            rows.append(row)
        if is_layout(cells):
            del self.tables[index]  # the grids of tables in its cells keep their order
            sink.extend(line for row in cells for lines in row for line in lines)
        else:
            self.tables[index] = _square(rows)
            self.places[id(self.tables[index])] = place

    def warnings(self) -> list[str]:
        out = [f"docx: {n} {what}{'s' if n > 1 else ''} not read (content kept outside the text)"
               for what, n in sorted(self.unread.items())]
        if self.pictures_read:
            out.append(f"ocr: {self.pictures_read} picture{'s' if self.pictures_read > 1 else ''} "
                       "in the document read by OCR")
        return out


def is_layout(rows: list[list[list[str]]]) -> bool:
    """Whether a table whose rows' cells hold these lines is a layout device, not a table of
    values: it has one cell, or most of its text sits in cells of running prose (`_prose`)
    and at most one row sets short values side by side. A table of values (a statistics
    table, a metadata table) has rows of short cells, whatever the length of a note under it;
    a data table nested in a layout cell is judged on its own cells. Stricter than HTML's
    `is_layout_table` (two cells, or any nested table): Word has no other way to set a key
    beside its value, and a grid keeps every cell, so only clear layouts are taken apart."""
    shown = [[[line for line in map(clean, lines) if line] for lines in row] for row in rows]
    cells = [lines for row in shown for lines in row]
    if len(cells) == 1:
        return True
    total = sum(sum(map(len, lines)) for lines in cells)
    prose = sum(sum(map(len, lines)) for lines in cells if _prose(lines))
    values = sum(1 for row in shown if sum(1 for lines in row if lines and not _prose(lines)) >= 2)
    return total > 0 and prose >= LAYOUT_SHARE * total and values <= 1


def _prose(lines: list[str]) -> bool:
    """A cell of running text: several paragraphs of some length, or one very long one. The
    values of a data table, even its longest row labels (about 40 characters, split over two
    lines at most), are far shorter."""
    characters = sum(map(len, lines))
    return characters >= PROSE_CELL and (len(lines) >= 2 or characters >= 2 * PROSE_CELL)


def _workbook(blob: bytes) -> tuple[list[Grid], list, list[str]] | None:
    """The grids, their OCR confidence (None: typed cells) and the warnings of an embedded
    XLSX or XLS workbook; None for anything else."""
    from extract.attachments import _xls, _xlsx, detect_kind

    kind = detect_kind(blob, None, None)
    if kind not in ("xlsx", "xls"):
        return None
    try:
        if kind == "xlsx":
            book = _xlsx(blob)
            return book.tables, book.confidence, book.warnings
        _, grids, _, warnings = _xls(blob)
    except Exception:  # noqa: BLE001 - an object we cannot open is counted, never raised
        return None
    return grids, [None] * len(grids), warnings


def _elements(parent: etree._Element) -> Iterator[etree._Element]:
    """Child elements, without comments and processing instructions."""
    return (child for child in parent if isinstance(child.tag, str))


def _branch(alternate: etree._Element) -> etree._Element:
    """The one branch of mc:AlternateContent to read: the first (mc:Choice…, mc:Fallback) that
    holds any text, else the first."""
    branches = [c for c in _elements(alternate) if c.tag in (_MC + "Choice", _MC + "Fallback")]
    for branch in branches:
        if any(_has_text(e) for e in branch.iter(_W + "t", _W + "tbl", _V + "textpath")):
            return branch
    return branches[0] if branches else alternate


def _has_text(element: etree._Element) -> bool:
    return element.tag == _W + "tbl" or bool(element.text) or bool(element.get("string"))


def _wrapped(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """`tag` children of `parent`, also those inside content controls and other wrappers."""
    for child in _elements(parent):
        if child.tag == tag:
            yield child
        elif child.tag == _MC + "AlternateContent":
            yield from _wrapped(_branch(child), tag)
        elif child.tag not in _HIDDEN and child.tag not in (_W + "tbl", _W + "p"):
            yield from _wrapped(child, tag)


def _val(element: etree._Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return int(element.get(_W + "val", default))
    except ValueError:
        return default


def _symbol(code: str) -> str:
    """A w:sym character, unless it is in a symbol font's private-use range (Wingdings…)."""
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    return "" if 0xE000 <= value <= 0xF8FF else chr(value)


def _square(rows: Iterable[list[str]]) -> Grid:
    """Rows padded to one width; a short row is padded on the left, as before (a row that
    starts late is the usual cause when w:gridBefore is missing)."""
    rows = list(rows)
    width = max((len(r) for r in rows), default=0)
    return [[""] * (width - len(r)) + r if r and len(r) < width else r for r in rows]
