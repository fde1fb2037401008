"""A report document (PDF, scan, image, Word, WPS, spreadsheet) → a filled `Page`: the title
printed over two or three lines at the top (issuer line + title line), the issuer from the
title or the 落款, the signing date from the 落款, region and level from the issuer as for HTML
pages, and every statistic read by OCR flagged with its confidence.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from extract import classify, metadata
from extract.layout import HEADING_MARK, table_lines
from extract.model import Cell, Page, Section
from extract.text import Block, sections_of

_HEADING = re.compile(rf"^(?:{HEADING_MARK})")
_SENTENCE = re.compile(r"[。；，,;！？]")
_NOT_TITLE = re.compile(r"^(?:附件|附表)\s*\d*\s*[:：]?$|〔\d{4}〕|\[\d{4}\]|^\d{4}\s*年\s*\d{1,2}\s*月")
_YEAR = re.compile(r"(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年")
_FIELD_LABEL = re.compile(r"^[\u4e00-\u9fff]{2,4}\s*[:：]\s*(?=\S)")
MAX_TITLE_LINES = 3
MAX_BEFORE_BODY = 60  # blocks: how far a printed web page's chrome may push its title down


def document_title(blocks: list[tuple[str, object]]) -> tuple[str | None, list[int]]:
    """The title and the indexes of the blocks it was printed on.

    Titles are the centred or larger lines before the body; the line naming the report
    (…报告) takes up to two lines before it that are not sentences (the issuer line) and
    the line after it when the title wraps."""
    lead: list[int] = []
    wrapped = None  # a first line run on by the shorter, centred end of the title after it
    for i, (kind, text) in enumerate(blocks[:8]):
        # a title's first line as wide as the page reads as a paragraph line: before a title
        # line, with no sentence in it, it is the title's start (…公开年度报 / 告 on A5)
        first = kind == "p" and i == 0 and len(blocks) > 1 and blocks[1][0] == "title" \
            and not _SENTENCE.search(str(text))
        if kind == "title" or (kind == "h" and not _HEADING.match(str(text))) or first:
            lead.append(i)
            wrapped = i if first and len(str(blocks[1][1])) < len(str(text)) else wrapped
        elif lead or kind == "table" or i >= 3:
            break
    texts = {i: str(blocks[i][1]) for i in lead}
    usable = [i for i in lead if not _NOT_TITLE.search(texts[i]) and not _SENTENCE.search(texts[i])]
    for k in range(len(usable)):
        joined = "".join(texts[j] for j in usable[: k + 1])
        if "报告" in joined or "统计表" in joined:
            picked = usable[max(0, k - MAX_TITLE_LINES + 1): k + 1]
            while len(picked) > 1 and picked[0] != wrapped and not _names_body(texts[picked[0]]) \
                    and "报告" in "".join(texts[j] for j in picked[1:]):
                picked = picked[1:]
            return metadata.clean_title("".join(texts[j] for j in picked)), picked
    # a line naming the report among the first, or else the last ending in 报告 before the
    # body: a web page printed whole (portal chrome first) sets its title no larger than the
    # chrome around it. One naming a year before any other: a report's title names its year,
    # a menu item (政府工作报告) or a related link's wrapped end does not.
    early = [i for i in range(min(6, len(blocks))) if _names_report(blocks[i])]
    body = next((i for i, (kind, text) in enumerate(blocks) if kind == "h" and _HEADING.match(str(text))), 6)
    late = [i for i in reversed(range(min(body, MAX_BEFORE_BODY, len(blocks))))
            if _names_report(blocks[i]) and str(blocks[i][1]).rstrip().endswith("报告")]
    found = next((i for i in early + late if _YEAR.search(str(blocks[i][1]))), (early + late or [None])[0])
    if found is None:
        return None, []
    # a printed web page's line may carry its field label (标题：) and its site's name after it
    line = _FIELD_LABEL.sub("", metadata.clean_title(str(blocks[found][1])))
    return metadata.strip_site_suffix(line), [found]


def _names_report(block: tuple[str, object]) -> bool:
    kind, text = block[0], str(block[1])
    return kind != "table" and "报告" in text and len(text) <= 60 and not _SENTENCE.search(text)


def _names_body(text: str) -> bool:
    """An issuer line: a body or a place, or the start of a title (year first)."""
    return metadata.is_org(text) or bool(re.search(r"(省|市|区|县|州|旗|镇|乡|街道|\d{4}年度?)$", text)) \
        or bool(re.match(r"^\d{4}\s*年", text))


def _blocks(document: Any) -> list[tuple[str, object]]:
    """The document's blocks in reading order: its own, or its lines with its tables where
    they stand among them (`table_at`; a Word document's tables are text of the report too)."""
    if document.blocks:
        return list(document.blocks)
    lines = (document.text or "").splitlines()
    before: dict[int, list[int]] = {}  # line → the tables standing before it (the end: after all)
    for i, place in enumerate(document.table_at):
        before.setdefault(min(place, len(lines)), []).append(i)
    out: list[tuple[str, object]] = []
    for n, line in enumerate(lines):
        out += [("table", i) for i in before.get(n, [])]
        line = line.strip()
        if line:
            heading = len(line) <= 40 and bool(re.match(r"^[一二三四五六七八九十]{1,3}、", line))
            out.append(("h" if heading else "p", line))
    return out + [("table", i) for i in before.get(len(lines), [])]


def document_page(document: Any, url: str | None, hints: dict[str, Any]) -> Page:
    """The same fields as an HTML page, from a Document of extract/attachments.py."""
    from extract.page import _fill_report_fields, _finish

    page = Page(url=url, encoding=None)
    if document.ocr:
        document = _correct_labels(document, page.warnings)
    raw = _blocks(document)
    title, used = document_title(raw)
    if document.title and not title:
        title = metadata.clean_title(document.title)
    page.title = title
    page.removed = {k: list(v) for k, v in (document.removed or {}).items()}
    if used:
        page.removed.setdefault("title", []).extend(str(raw[i][1]) for i in used)
    elif title and raw and metadata.clean_title(str(raw[0][1])) == title:
        used = [0]
        page.removed.setdefault("title", []).append(str(raw[0][1]))
    blocks = []
    for i, (kind, payload) in enumerate(raw):
        if i in used:
            continue
        if kind == "table":
            if isinstance(payload, int):
                grid, text = document.tables[payload], "\n".join(document.table_lines(payload))
            else:
                grid, text = payload, "\n".join(table_lines(payload))
            blocks.append(Block("table", text, grid))
        else:
            blocks.append(Block("h" if kind == "h" else "p", str(payload)))
    page.text = "\n".join(b.text for b in blocks if b.text)
    page.tables = list(document.tables or [])
    page.published = metadata.url_date(url)
    page.sections = [Section(h, t) for h, t in sections_of(blocks)]
    _fill_report_fields(page, blocks, fallbacks=())
    page.kind = "report" if classify.is_report(page.title, page.text) else "other"
    page.warnings.extend(document.warnings)
    if document.ocr:
        page.ocr = True
        _correct_places(page, hints)
    _finish(page, hints)
    if document.ocr:
        page.cells = mark_ocr(page.cells, document, mixed=document.text_layer)
    return page


_LABEL_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)][、.．]?"
                           r"|\d+[.、．)])?\s*")


def _correct_labels(document: Any, warnings: list[str]) -> Any:
    """OCR misreads a character of a table's row labels (共中 for 其中): a label that starts
    with no word the national formats print, but with one a single character away from one
    (a whole word of four or more characters, or a shorter one closed by a colon), gets that
    word, named in a warning. One candidate only; tables read from a text layer (beside
    OCR'd pictures in the same document) are untouched."""
    from extract.codebook import printed_labels

    words = printed_labels()

    def corrected(label: str) -> str:
        number = _LABEL_NUMBER.match(label.strip()).group()
        text = label.strip()[len(number):]
        if any(text.startswith(w) for w in words):
            return label
        near = {w for w in words if len(text) > len(w) and (len(w) >= 4 or text[len(w)] in ":：")
                and sum(a != b for a, b in zip(text, w, strict=False)) == 1}
        if len(near) != 1:
            return label
        (word,) = near
        warnings.append(f"ocr: {text[:len(word)]} in a table label corrected to the format's {word}")
        return number + word + text[len(word):]

    def fixed(grid: list[list[str]]) -> list[list[str]]:
        grid = _enumerators(grid, warnings)
        return [[corrected(row[0]), *row[1:]] if row and row[0] else row for row in grid]

    read = document.confidence  # per table: its OCR confidences, None when from a text layer
    tables = [fixed(grid) if i < len(read) and read[i] is not None else grid
              for i, grid in enumerate(document.tables)]
    by_id = {id(old): new for old, new in zip(document.tables, tables, strict=True)}
    blocks = [(kind, by_id.get(id(payload), payload)) if kind == "table" else (kind, payload)
              for kind, payload in document.blocks]
    return replace(document, tables=tables, blocks=blocks)


_NUMBERED = re.compile(r"^(\d{1,2})([.、．])(?=[\u4e00-\u9fff])")
_BARE_NUMBER = re.compile(r"^(\d{1,2})(?=[\u4e00-\u9fff])")


def _enumerators(grid: list[list[str]], warnings: list[str]) -> list[list[str]]:
    """OCR loses the small dot of an enumerator at low resolution (`1当面申请数` beside
    `3.信函申请数`): where other labels of the column number their rows `N.`, a bare `N` before
    the label's first character gets the same mark back."""
    marks = {m.group(2) for row in grid if row and (m := _NUMBERED.match(row[0].strip()))}
    if len(marks) != 1:
        return grid
    (mark,) = marks
    out = []
    for row in grid:
        if row and (m := _BARE_NUMBER.match(row[0].strip())):
            label = row[0].strip()
            warnings.append(f"ocr: {label} in a table label numbered {m.group(1)}{mark} as its column's labels are")
            row = [m.group(1) + mark + label[m.end():], *row[1:]]
        out.append(row)
    return out


_PLACE = re.compile(r"[\u4e00-\u9fff]{2,4}?(?:自治县|县|区|市|旗)")


def _correct_places(page: Page, hints: dict[str, Any]) -> None:
    """OCR misreads rare characters of place names (沭阳县 → 沈阳县): a county-level name in
    the title or issuer that is no division is replaced by the one division that differs from
    it by one character, inside the registry's region when one is known."""
    from extract import region

    context = region._context_code(hints)
    for field_name in ("title", "agency"):
        value = getattr(page, field_name)
        if not value:
            continue
        for match in _PLACE.finditer(value):
            name = match.group()
            if name in region.NAMES or any(name.endswith(n) for n in region.NAMES if len(n) >= 3):
                continue
            near = [n for n in region.NAMES if len(n) == len(name) and n[-1] == name[-1]
                    and sum(a != b for a, b in zip(n, name, strict=True)) == 1
                    and (context is None or any(c[:len(context.rstrip("0")) or 2]
                                                == context[:len(context.rstrip("0")) or 2]
                                                for c in region.NAMES[n]))]
            if len(near) == 1:
                value = value.replace(name, near[0])
                said = f"ocr: {name} corrected to the division {near[0]}"
                if said not in page.warnings:  # title and issuer often share the misread
                    page.warnings.append(said)
        setattr(page, field_name, value)
    _correct_text(page, region.NAMES)


def _correct_text(page: Page, names: dict) -> None:
    """The issuer's place names misread in the body (沈阳县 for the issuer's 沭阳县) are set
    right: same length, one character apart, and no division of their own."""
    places = {m.group() for value in (page.title, page.agency) if value
              for m in _PLACE.finditer(value) if m.group() in names}
    fixes: dict[str, str] = {}
    for place in places:
        pattern = re.compile(f"(?=([\u4e00-\u9fff]{{{len(place) - 1}}}{place[-1]}))")
        for match in pattern.finditer(page.text):
            seen = match.group(1)
            if seen != place and seen not in names and \
                    sum(a != b for a, b in zip(seen, place, strict=True)) == 1:
                fixes[seen] = place
    for seen, place in fixes.items():
        page.text = page.text.replace(seen, place)
        page.sections = [Section(sec.heading, sec.text.replace(seen, place)) for sec in page.sections]
        page.warnings.append(f"ocr: {seen} in the text corrected to the issuer's {place}")


def mark_ocr(cells: list[Cell], document: Any, mixed: bool = False) -> list[Cell]:
    """Every cell read from an OCR'd table or paragraph, flagged with its confidence.

    A table cell is found back by its row label and printed value in the OCR'd grid (header
    rows above it naming its column); a prose figure by the paragraph holding its sentence.
    `mixed`: the page's own HTML holds text and tables too (images pasted into a page), so a
    cell not found in what OCR read is the page's own, not flagged."""
    out = []
    for cell in cells:
        conf = _table_confidence(cell, document) if cell.origin == "table" else \
            _prose_confidence(cell, document)
        if mixed and conf is None:
            conf = False
        if conf is not False:
            cell = replace(cell, ocr=True, confidence=conf)
        out.append(cell)
    return out


def _table_confidence(cell: Cell, document: Any) -> float | None | bool:
    """The cell's OCR confidence; False when it came from a table read off a text layer."""
    found: list[float] = []
    ocr_tables = False
    for grid, conf in zip(document.tables, document.confidence, strict=False):
        if conf is None:
            continue
        ocr_tables = True
        for r, row in enumerate(grid):
            if cell.row_label and cell.row_label not in row:
                continue
            for c, text in enumerate(row):
                heads = {grid[h][c] for h in range(r)}
                if text == cell.raw and conf[r][c] is not None and \
                        all(part in heads for part in cell.col_label.split()):
                    found.append(conf[r][c])
    if not ocr_tables:
        return False
    return min(found) if found else None


def _prose_confidence(cell: Cell, document: Any) -> float | None | bool:
    if not document.line_confidence:
        return False
    sentence = cell.raw or ""
    scores = [score for text, score in document.line_confidence.items()
              if sentence and (sentence in text or text in sentence)]
    return min(scores) if scores else None


def prefer_text_layer(document: Page, linking: Page) -> None:
    """An OCR'd title or issuer that differs from the linking page's by a character or two is
    a misreading: the linking page's text (a text layer) is taken, the disagreement stays
    listed in `disagreements`."""
    if not document.ocr:
        return
    for name in ("title", "agency"):
        mine, theirs = getattr(document, name), getattr(linking, name)
        if not mine or not theirs or mine == theirs or len(mine) != len(theirs):
            continue
        if sum(a != b for a, b in zip(mine, theirs, strict=True)) <= max(1, len(mine) // 8):
            setattr(document, name, theirs)
            if name == "agency" and linking.region.code:
                document.region = linking.region
            document.warnings.append(f"ocr: {name} {mine} taken as {theirs} from the linking page")
