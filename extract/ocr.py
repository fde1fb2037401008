"""Page images → printed pages by OCR: RapidOCR (PP-OCRv4 models shipped in the
rapidocr-onnxruntime wheel, CPU, nothing downloaded) for text, OpenCV morphology for the ruling
lines of tables, extract/lattice.py for the grid. Each value keeps its recognition confidence.

The engine is built per document (extract stays a pure function: no module-level state); pass
one in to share it across documents you extract in a row.

OCR is by far the costliest step of extraction (tens of seconds a page on two cores): with
NIANBAO_OCR_CACHE set, each page's result is kept by extract/cache.py under the digest of its
pixels, the engine's settings and CACHE_VERSION (tests/extract/test_ocr_cache.py).
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import re
import statistics
import threading
from collections.abc import Iterator
from typing import Any

from extract.lattice import inside, lattices
from extract.layout import Line, PlacedTable, PrintedPage, clean
from extract.numbers import UNREAD  # the mark a transcriber puts for an illegible character

_INK = 160  # grey level below which a pixel is ink
_DET_SCALE = 0.6  # text is found on a reduced page (5x faster), read at full resolution
_DET_ROWS = 128  # the detector reads a page in bands of about this many rows (its memory ∝ pixels)
_DET_PAD = 32  # rows (and columns) of context around a band: more than half the tallest line's box
_PAPER = 224  # at detection scale, a pixel darker than this is not blank paper
_REC_WIDTH = 1536  # the recogniser's batches: at most this many padded pixels wide in all
_PAGE_RATIO = 1.5  # an image taller than this many widths is pages stacked (a 长图): cut it
PDFIUM_LOCK = threading.Lock()  # pdfium is not thread-safe (a lock, not a cache: extract stays pure)
MAX_PIXELS = 60_000_000  # a larger image is refused (a decompression bomb, not a report)


_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_DIGITS = str.maketrans({"o": "0", "O": "0", "l": "1", "I": "1", "|": "1"})
_HALF = str.maketrans({",": "，", ":": "：", ";": "；", "?": "？", "!": "！"})


def ocr_text(text: str) -> str:
    """Recognised text, punctuation in a Chinese line full-width as it was printed."""
    text = clean(text)
    if not re.search(f"[{_CJK}]", text):
        return text
    text = text.replace("(", "（").replace(")", "）")
    # 〇 in a Chinese-numeral date is read as the letter O (二O二四年)
    text = re.sub(r"(?<=[〇一二三四五六七八九])[oOＯ0](?=[〇一二三四五六七八九oOＯ0]*年)", "〇", text)
    text = re.sub(r"[oOＯ0](?=[〇一二三四五六七八九]+年)", "〇", text)
    text = re.sub(r"(?<!\d)[,:;?!]|[,:;?!](?!\d)", lambda m: m.group().translate(_HALF), text)
    return pair_quotes(text)


def pair_quotes(text: str) -> str:
    """ASCII double quotes in Chinese text as the curly pair they print as: “ opens, ” closes."""
    out, opened = [], False
    for ch in text:
        if ch == '"':
            ch = "”" if opened else "“"
        if ch in "“”":
            opened = ch == "“"
        out.append(ch)
    return "".join(out)


class OcrUnavailable(RuntimeError):
    """rapidocr-onnxruntime or OpenCV is not installed (both are nianbao dependencies)."""


_THREADS: dict[str, int | None] = {"intra_op": None}  # None: onnxruntime's default, a thread per core


def use_threads(threads: int | None) -> None:
    """How many threads each engine this process builds from now on may run a model on.

    onnxruntime's default is one per core, which suits one document read alone. Workers that
    share the cores (the crawl's extraction pool) should take a share each: two workers of two
    threads on two cores read the same scans with ~17 % more CPU, their threads spinning while
    they wait for each other. The text read is the same whatever the count."""
    _THREADS["intra_op"] = threads if threads and threads > 0 else None


def new_engine() -> Any:
    """A RapidOCR engine (≈0.2 s to load the models)."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:  # pragma: no cover - a dependency of nianbao
        raise OcrUnavailable(f"OCR needs rapidocr-onnxruntime: {exc}") from exc
    threads = _THREADS["intra_op"]
    engine = RapidOCR(intra_op_num_threads=threads) if threads else RapidOCR()
    # Table cells are short: the recogniser's default minimum width (320 px) pads every "0" to
    # a full line; a narrow minimum and larger batches make a table page ~3x faster.
    engine.text_rec.rec_image_shape = [3, 48, 48]
    engine.text_rec.rec_batch_num = 16
    return engine


@functools.cache
def _malloc_trim() -> Any:
    """glibc's malloc_trim, or None where the C library has none (musl, macOS)."""
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


_HEAP_SLACK_MB = 16  # freed memory a worker may keep before it is given back to the OS
_heap = {"trimmed_mb": 0.0}  # the process's resident MB after the last trim (allocator bookkeeping)


def give_back() -> None:
    """Returns the heap's free pages to the OS once the process has grown _HEAP_SLACK_MB since
    it last did.

    Each detector band and recogniser batch frees tens of MB of tensors, but glibc keeps them
    in the heap (its mmap threshold rises to the size of what was freed), fragmented, and the
    next run's tensors land beside them: over a page a worker grew by hundreds of MB. Trimmed
    when it has grown, its peak is the page plus one run's tensors. Not after every run: a
    trimmed page is faulted in again by the next run (~25 % slower when trimmed each time)."""
    trim = _malloc_trim()
    if trim is None or _resident_mb() < _heap["trimmed_mb"] + _HEAP_SLACK_MB:
        return
    trim(0)
    _heap["trimmed_mb"] = _resident_mb()


def _resident_mb() -> float:
    """This process's resident memory now (Linux; 0 elsewhere, where nothing is trimmed)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def render_pdf_pages(body: bytes, numbers: list[int], dpi: int, grayscale: bool = True,
                     media: bool = False) -> Iterator[Any]:
    """Pages of a PDF as PIL images (pypdfium2 renders any image codec a scan uses),
    each rendered when it is taken: a long scan's pages (4 MB each at 200 dpi) are not all
    held while the first is OCR'd. pdfium is called under PDFIUM_LOCK, not held between pages.
    A reader shows a page's crop box; `media`: its whole media box, the space pdfminer's
    coordinates are in (a page cropped in an editor keeps its media box)."""
    import pypdfium2

    with PDFIUM_LOCK:
        pdf = pypdfium2.PdfDocument(body)
    try:
        for n in numbers:
            with PDFIUM_LOCK:
                page = pdf[n]
                if media:
                    page.set_cropbox(*page.get_mediabox())
                image = page.render(scale=dpi / 72, grayscale=grayscale).to_pil()
            yield image
    finally:
        with PDFIUM_LOCK:
            pdf.close()


def load_image(body: bytes) -> Any:
    """A JPG/PNG/… picture as a PIL image in its own mode (OCR takes a seal's red out of a
    colour one, `_gray`), its EXIF rotation applied."""
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    image = Image.open(io.BytesIO(body))
    image.load()
    return ImageOps.exif_transpose(image)


def image_frames(body: bytes) -> Iterator[Any]:
    """Every frame of an image attachment, one at a time, each a copy in its own mode (OCR's
    `_gray` makes it grey): a scanner or fax writes a report as one multi-page TIFF, and its
    first frame alone would lose the rest unseen."""
    from PIL import Image, ImageOps, ImageSequence

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    for frame in ImageSequence.Iterator(Image.open(io.BytesIO(body))):
        frame.load()
        yield ImageOps.exif_transpose(frame)  # a copy: the next frame does not overwrite it


def eight_bit(image: Any) -> Any:
    """A 16-bit or float greyscale scan in 8 bits, its own range stretched to 0–255: Pillow's
    convert("L") clips every value above 255, and a 16-bit page comes out white."""
    import numpy as np
    from PIL import Image

    values = np.asarray(image, dtype=np.float64)
    low, high = float(values.min()), float(values.max())
    scaled = (values - low) * (255 / (high - low)) if high > low else np.full(values.shape, 255.0)
    return Image.fromarray(scaled.round().astype(np.uint8), "L")


def split_tall(gray: Any) -> list[Any]:
    """Cut an image of stacked pages at blank rows near each page height."""
    import numpy as np

    height, width = gray.shape
    if height <= width * _PAGE_RATIO:
        return [gray]
    blank = np.where((gray < _INK).sum(axis=1) == 0)[0]
    page = int(width * 1.414)
    cuts, start = [], 0
    while height - start > page * 1.2 and len(blank):
        near = blank[(blank > start + page * 0.6) & (blank < start + page * 1.2)]
        if not len(near):
            break
        cut = int(near[np.argmin(abs(near - (start + page)))])
        cuts.append(cut)
        start = cut
    edges = [0, *cuts, height]
    return [gray[a:b] for a, b in zip(edges, edges[1:], strict=False) if b - a > 10]


def ocr_pages(image: Any, scale: float = 1.0, engine: Any = None) -> list[PrintedPage]:
    """One image (pages stacked or one page) → its printed pages."""
    import numpy as np

    gray, seals = _gray(image)
    engines = LazyEngine.of(engine)
    pages = [_ocr_cached(part, scale, engines) for part in split_tall(np.asarray(gray))]
    if seals and pages:
        pages[-1].seals = seals  # stacked pages: the 落款, where seals are, ends the report
    return pages


def ocr_image(image: Any, scale: float = 1.0, engine: Any = None) -> PrintedPage:
    """One page image → lines and ruled tables; coordinates multiplied by `scale`."""
    import numpy as np

    gray, seals = _gray(image)
    page = _ocr_cached(np.asarray(gray), scale, LazyEngine.of(engine))
    page.seals = seals
    return page


def _gray(image: Any) -> tuple[Any, int]:
    """The image in greyscale, a colour one with its seals' red ink taken out, and how many
    seals; a greyscale image as it is (convert() would copy it)."""
    if image.mode in ("L", "1"):
        return (image if image.mode == "L" else image.convert("L")), 0
    if image.mode.startswith(("I", "F")):
        return eight_bit(image), 0
    from extract.figures import without_seals

    return without_seals(on_white(image))


def on_white(image: Any) -> Any:
    """A picture with transparency laid on white paper, as a browser or a document shows it:
    dropping the alpha channel leaves the colour stored under transparent pixels, most often
    black, and a transparent screenshot of a table came out a black page."""
    from PIL import Image

    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode not in ("RGBA", "LA", "PA"):
        return image
    paper = Image.new("RGBA", image.size, (255, 255, 255, 255))
    return Image.alpha_composite(paper, image.convert("RGBA")).convert("RGB")


# What a cached page depends on besides its pixels: bump when _ocr_gray or its engine settings change.
CACHE_VERSION = "ocr-12:underlines:joinedrules:unread:runon:pairedrules:textheight:seals:enlarge16to20min6:celljoin:rapidocr:det0.6:bands128+32:rec48x48:recwidth1536:autospace:level:upright2:strips:rows1:rulesonly"


class LazyEngine:
    """The engine given, or one built on the first cache miss (loading the models costs ~0.2 s).
    Pass one to every page of a document (`engine=`): each page then loads no engine of its own."""

    def __init__(self, engine: Any = None) -> None:
        self.engine = engine

    @classmethod
    def of(cls, engine: Any) -> LazyEngine:
        """`engine` if it is a LazyEngine already, else one around it."""
        return engine if isinstance(engine, cls) else cls(engine)

    def get(self) -> Any:
        if self.engine is None:
            self.engine = new_engine()
        return self.engine


def _ocr_cached(gray: Any, scale: float, engines: LazyEngine) -> PrintedPage:
    """OCR of one page, kept by extract/cache.py under its pixels' digest."""
    from extract.cache import cache_dir, kept

    if cache_dir() is None:
        return _ocr_gray(gray, scale, engines.get())
    digest = hashlib.sha256(f"{CACHE_VERSION}:{gray.shape}:{gray.dtype}:{scale!r}:".encode())
    digest.update(gray.tobytes())
    return kept(f"{digest.hexdigest()}.pickle", lambda: _ocr_gray(gray, scale, engines.get()),
                lambda page: pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL), pickle.loads)


def _rulings(gray: Any) -> tuple[list, list, Any]:
    """Ruling segments (y up, pixels) and the mask of ruling pixels, by morphological opening.

    A hairline rule (LibreOffice's and Word's) prints, rendered or scanned at 200 dpi, as two
    rows of light grey (185 and 196) that no single pixel of passes the ink threshold, and
    the rows of a table ran together. So a rule's pixels are those that with their neighbour
    across the rule hold a pixel's worth of ink (_rule_ink): a hairline split over two rows
    is whole again, while a faint threshold would have found rules in the grey edges of
    characters along a line of text."""
    import cv2
    import numpy as np

    height = gray.shape[0]
    long_v = cv2.morphologyEx(_rule_ink(gray, 1), cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 30)))
    long_h = cv2.morphologyEx(_rule_ink(gray, 0), cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (50, 1)))
    vertical, horizontal = [], []
    for mask, out, is_v in ((long_v, vertical, True), (long_h, horizontal, False)):
        n, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for x, y, w, h, _area in stats[1:n]:
            if is_v:
                out.append((x + w / 2, height - (y + h), height - y))
            elif not _underlining(gray, long_v, x, y, w, h):
                out.append((height - (y + h / 2), float(x), float(x + w)))
    return vertical, horizontal, cv2.dilate(long_h | long_v, np.ones((3, 3), np.uint8))


def _underlining(gray: Any, long_v: Any, x: int, y: int, w: int, h: int) -> bool:
    """Whether a long level stroke (box x, y, w, h; y down) is a line drawn under text, not a
    rule: text stands on it, no rule crosses it, and it meets no rule at one end at least (a
    table's rules are drawn joined; a line under a cell's text ends where the text does, a
    pixel or two short of the cell's sides, the gap the scan keeps). Free at both ends, a
    little text on it will do (（三）不, short and spaced); at one, much."""
    above = gray[max(0, y - 10):max(0, y - 1), x:x + w] < _INK
    standing = above.any(axis=0).mean() if len(above) else 0.0
    if standing < 0.15:
        return False
    reach = max(12, 3 * h)  # a rule crossing it runs on a row's height; a glyph's stroke ends near it
    up, down = long_v[max(0, y - reach), x + 2:x + w - 2], long_v[y + h + reach - 1:y + h + reach, x + 2:x + w - 2]
    if len(down) and (up & down[0]).any():
        return False
    rows = slice(max(0, y - 2), y + h + 2)
    meets = sum(long_v[rows, max(0, end - 2):end + 2].any() for end in (x, x + w - 1))
    return meets == 0 or (meets == 1 and standing >= 0.4)


def _rule_ink(gray: Any, axis: int) -> Any:
    """Pixels that, with the next one along `axis` (0: the row below; 1: the column right),
    hold at least as much ink as one pixel at the ink threshold."""
    import numpy as np

    dark = 255 - gray.astype(np.int16)
    pair = np.zeros(gray.shape, np.uint8)
    if axis == 0:
        pair[:-1] = (dark[:-1] + dark[1:]) >= 255 - _INK
    else:
        pair[:, :-1] = (dark[:, :-1] + dark[:, 1:]) >= 255 - _INK
    return pair | (gray < _INK)


_MAX_SKEW = 5.0  # degrees: a scanner's feed skews a page by a degree or two, rarely more


def skew(gray: Any) -> float:
    """The rotation (degrees, counter-clockwise) that sets a page's lines level.

    Projection profile: rotated level, text lines and table rules pile ink into few pixel
    rows, so the row sums change most sharply from row to row. Coarse steps on a reduced page,
    then fine ones around the best."""
    import cv2
    import numpy as np

    def reduced(target: int) -> tuple[Any, Any]:
        factor = min(1.0, target / max(gray.shape[1], 1))
        small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        ink = (small < _INK).astype(np.uint8) * 255
        return ink, (ink.shape[1] / 2, ink.shape[0] / 2)

    def sharpness(ink: Any, centre: Any, angle: float) -> float:
        turned = cv2.warpAffine(ink, cv2.getRotationMatrix2D(centre, angle, 1.0),
                                (ink.shape[1], ink.shape[0]), flags=cv2.INTER_LINEAR, borderValue=0)
        return float(np.square(np.diff(turned.sum(axis=1, dtype=np.int64))).sum())

    coarse, centre = reduced(500)
    if np.count_nonzero(coarse) < 200:  # a blank page has no lines to level
        return 0.0
    best = max(np.arange(-_MAX_SKEW, _MAX_SKEW + 0.01, 0.25),
               key=lambda a: sharpness(coarse, centre, a))
    fine, centre = reduced(1000)
    best = max(np.arange(best - 0.25, best + 0.26, 0.05), key=lambda a: sharpness(fine, centre, a))
    return round(float(best), 2)


def level(gray: Any) -> Any:
    """The page turned level when it is skewed by 0.1° or more; else the same pixels."""
    import cv2

    angle = skew(gray)
    if abs(angle) < 0.1:
        return gray
    height, width = gray.shape
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(gray, turn, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)


_DET_MIN_SIDE = 736  # rapidocr's detector enlarges an image whose shorter side is below this
_DET_MAX_SIDE = 1056  # …but a page's longer side at _ORIENT_SCALE, enlarged so, is about this
_ORIENT_SCALE = 0.2  # text lines are found on a page this small well enough to tell their direction


def _line_boxes(gray: Any, engine: Any) -> list[tuple[int, int, int, int]]:
    """Boxes (full-size pixels) of the text lines found on a reduced page.

    The reduced page is enlarged to the detector's minimum side, as the detector itself would
    (rapidocr's limit_side_len, 736; a multiple of 32), and read in bands like a page."""
    import cv2

    small = cv2.resize(gray, None, fx=_ORIENT_SCALE, fy=_ORIENT_SCALE, interpolation=cv2.INTER_AREA)
    height, width = small.shape
    # a strip (a title, a picture of one table row) is not enlarged past a page's longer side:
    # 61 times for a line of text made the detector read 13,000 pixels across, 3 s for nothing
    ratio = max(1.0, min(_DET_MIN_SIDE / min(height, width), _DET_MAX_SIDE / max(height, width)))
    size = [max(32, round(int(side * ratio) / 32) * 32) for side in (width, height)]
    boxes = _detect(cv2.resize(small, size), engine)
    fx, fy = width / size[0] / _ORIENT_SCALE, height / size[1] / _ORIENT_SCALE
    return [(int(box[:, 0].min() * fx), int(box[:, 1].min() * fy),
             int(box[:, 0].max() * fx), int(box[:, 1].max() * fy)) for box in boxes]


def _detect(gray: Any, engine: Any) -> list[Any]:
    """Text line boxes (4 corners, `gray`'s pixels) found by the detector, a band at a time.

    The detector holds about 250 MB a megapixel it reads (a page at _DET_SCALE is 1.4): bands
    of _DET_ROWS rows, cut in blank rows where there are some, keep a worker's peak small.
    Each band is read with _DET_PAD rows of context either side; a line is kept by the band
    holding its centre, so a line cut by a band's edge is taken whole from its neighbour.
    Bands of blank paper are not read, nor the blank margins left and right."""
    import numpy as np

    marked = gray < _PAPER
    rows, cols = np.flatnonzero(marked.any(axis=1)), np.flatnonzero(marked.any(axis=0))
    if not len(rows):
        return []
    height, width = gray.shape
    x0, x1 = max(0, int(cols[0]) - _DET_PAD), min(width, int(cols[-1]) + 1 + _DET_PAD)
    found = []
    for start, end in _bands(marked.any(axis=1)):
        if not marked[start:end].any():
            continue
        top, bottom = max(0, start - _DET_PAD), min(height, end + _DET_PAD)
        for box in _detect_band(gray[top:bottom, x0:x1], engine):
            box = box + (x0, top)
            if start <= (box[:, 1].min() + box[:, 1].max()) / 2 < end:
                found.append(box)
    return found


def _bands(marked: Any) -> list[tuple[int, int]]:
    """Row ranges of about _DET_ROWS that cover a page, each cut in the middle of the longest
    blank run in the last half of its rows (or at _DET_ROWS when no row there is blank)."""
    import numpy as np

    bands, start, height = [], 0, len(marked)
    while height - start > _DET_ROWS * 1.25:
        lo = start + _DET_ROWS // 2
        blank = np.flatnonzero(~marked[lo:start + _DET_ROWS]) + lo
        cut = start + _DET_ROWS
        if len(blank):
            runs = np.split(blank, np.flatnonzero(np.diff(blank) > 1) + 1)
            longest = max(runs, key=len)
            cut = int(longest[len(longest) // 2])
        bands.append((start, cut))
        start = cut
    return [*bands, (start, height)]


def _detect_band(gray: Any, engine: Any) -> Any:
    """The detector on one band: white to a multiple of 32 each way (the network's stride)
    rather than stretched, normalised in float32 (rapidocr's own preprocessing goes through
    float64 copies of the whole image)."""
    import numpy as np

    height, width = gray.shape
    canvas = np.full((-(-height // 32) * 32, -(-width // 32) * 32), 255, np.uint8)
    canvas[:height, :width] = gray
    plane = canvas.astype(np.float32) * np.float32(2 / 255) - np.float32(1)  # (x/255 - 0.5)/0.5
    preds = engine.text_det.infer(np.repeat(plane[None, None], 3, axis=1))[0]
    give_back()
    boxes, _scores = engine.text_det.postprocess_op(preds, canvas.shape)
    return engine.text_det.filter_tag_det_res(boxes, (height, width)) if len(boxes) else []


def _recognise(crops: list[Any], engine: Any) -> list[tuple[str, float]]:
    """Text and confidence of each crop (grey), read in batches of crops of similar shape.

    The recogniser pads a batch to its widest crop (48 px high) and its memory grows with the
    batch's padded width: 16 full-width lines at once held ~400 MB and ran slower than one at
    a time. A batch is at most rec_batch_num crops and _REC_WIDTH padded pixels wide in all,
    so table cells still go 16 at once and a full line goes alone."""
    import cv2

    rec = engine.text_rec
    height = rec.rec_image_shape[1]
    widths = [height * max(1.0, crop.shape[1] / crop.shape[0]) for crop in crops]
    results: list[tuple[str, float]] = [("", 0.0)] * len(crops)
    batch: list[int] = []

    def read() -> None:
        texts, _ = rec([cv2.cvtColor(crops[i], cv2.COLOR_GRAY2BGR) for i in batch])
        give_back()
        for i, text in zip(batch, texts, strict=True):
            results[i] = text
        batch.clear()

    for i in sorted(range(len(crops)), key=widths.__getitem__):
        if batch and (len(batch) == rec.rec_batch_num or (len(batch) + 1) * widths[i] > _REC_WIDTH):
            read()
        batch.append(i)
    if batch:
        read()
    return results


def upright(gray: Any, engine: Any) -> Any:
    """The page turned so its text reads left to right, top to bottom.

    A landscape table page scanned portrait, or a sheet fed upside down: text lines found
    standing (taller than wide, most of them) mean a quarter turn; then the recogniser's
    direction classifier, on the longest lines, says whether they read upside down."""
    import cv2

    def wide(box: tuple[int, int, int, int]) -> bool:
        return box[2] - box[0] > 1.5 * (box[3] - box[1])

    def tall(box: tuple[int, int, int, int]) -> bool:
        return box[3] - box[1] > 1.5 * (box[2] - box[0])

    boxes = _line_boxes(gray, engine)
    standing = sum(map(tall, boxes))
    if standing >= 3 and standing > 2 * sum(map(wide, boxes)):
        gray = cv2.rotate(gray, cv2.ROTATE_90_CLOCKWISE)
        boxes = _line_boxes(gray, engine)
    elif sum(map(wide, boxes)) < 3:
        # the detector, trained on lines across, often finds none standing: a table page of
        # small figures scanned sideways gave one box. Turned, its lines are found across.
        turned = cv2.rotate(gray, cv2.ROTATE_90_CLOCKWISE)
        across = _line_boxes(turned, engine)
        if sum(map(wide, across)) >= 3 and sum(map(wide, across)) > 2 * sum(map(wide, boxes)):
            gray, boxes = turned, across
    longest = sorted(filter(wide, boxes), key=lambda b: b[0] - b[2])[:12]
    crops = [cv2.cvtColor(gray[y0:y1, x0:x1], cv2.COLOR_GRAY2BGR) for x0, y0, x1, y1 in longest
             if x1 > x0 and y1 > y0]
    if len(crops) < 3:
        return gray
    _, votes, _ = engine.text_cls(crops)
    upside_down = sum(float(score) for label, score in votes if label == "180")
    if upside_down > 2 * sum(float(score) for label, score in votes if label == "0"):
        gray = cv2.rotate(gray, cv2.ROTATE_180)
    return gray


# The page's smaller text (table cells) is read well from about this many pixels of line
# height (a 7 pt cell at 200 dpi is 19); a picture whose smaller text is lower than _SMALL_TEXT
# is enlarged to it first. A report posted as a 长图 is often 750–1,100 px wide (90–130 dpi):
# read as it is, its table rulings, cell lines and digits are too small for the detector.
_READ_TEXT = 20.0
_SMALL_TEXT = 16.0
_MAX_ENLARGE = 3.0
_LEGIBLE = 6  # px: no text line is read lower than this


def text_height(gray: Any) -> float | None:
    """The height in pixels of the page's smaller text lines: the lowest tenth of its ink row
    runs, rulings taken out (a table in small type under a page of body text counts); None when
    the page has too few lines to say."""
    import cv2
    import numpy as np

    ink = (gray < _INK).astype(np.uint8)
    height, width = ink.shape
    rules = cv2.morphologyEx(_rule_ink(gray, 1), cv2.MORPH_OPEN,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(height // 40, 15))))
    rules |= cv2.morphologyEx(_rule_ink(gray, 0), cv2.MORPH_OPEN,
                              cv2.getStructuringElement(cv2.MORPH_RECT, (max(width // 8, 40), 1)))
    # with the grey a rule leaves beside it (a hairline blurred over three rows): no text line
    rules = cv2.dilate(rules, np.ones((3, 3), np.uint8))
    rows = np.concatenate(([0], ((ink & ~rules).sum(axis=1) > 0).astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(rows))
    runs = edges[1::2] - edges[0::2]
    runs = runs[runs >= _LEGIBLE]  # lower runs are a ruling's edge, dots, specks: no text
    return float(np.percentile(runs, 10)) if len(runs) >= 5 else None


def _enlargement(gray: Any) -> float:
    """How much to enlarge a page whose smaller text is too low to read (1: not at all)."""
    small = text_height(gray)
    if small is None or small >= _SMALL_TEXT:
        return 1.0
    return min(_MAX_ENLARGE, _READ_TEXT / small)


def _ocr_gray(gray: Any, scale: float, engine: Any) -> PrintedPage:
    gray = upright(gray, engine)
    gray = level(gray)  # ruling lines are found as long level strokes; a skewed scan breaks them
    factor = _enlargement(gray)  # the page upright: its lines are rows
    if factor > 1:
        import cv2

        gray = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        scale /= factor
    height, width = gray.shape
    found, clean_img = _tables(gray)
    # Cells are read one text line at a time, cut by ink rows; the rest of the page (tables
    # blanked) goes through the text detector. A table whose cells a page's foot cut takes in
    # the text found run on below its last rule (自然 / 人) first, and reads it as its cells'.
    outside = _text_lines(clean_img, found, engine)
    for lat in found:
        # (each line by its foot: its cell must take in the whole line, the crop read is the cell's)
        lat.run_on([((x0 + x1) / 2, height - y1, "", None) for _none, (x0, y0, x1, y1) in outside])
        outside = [(none, box) for none, box in outside
                   if not inside((box[0] + box[2]) / 2, height - (box[1] + box[3]) / 2, lat.bbox, 0)]
    places = _cell_lines(clean_img, found) + outside
    results = _recognise([clean_img[y0:y1, x0:x1] for _lat, (x0, y0, x1, y1) in places], engine)
    page = PrintedPage(width * scale, height * scale)
    cell_lines = [y1 - y0 for lat, (_x0, y0, _x1, y1) in places if lat is not None]
    line = statistics.median(cell_lines) if cell_lines else 0
    for (lat, (x0, y0, x1, y1)), (text, score) in zip(places, results, strict=True):
        text = ocr_text(text)
        if not text and lat is not None and _hides_text(clean_img[y0:y1, x0:x1], line):
            text, score = UNREAD, 0.0  # said, not left a blank cell
        if not text:
            continue
        if lat is not None:
            if re.fullmatch(r"[\doOlI|.,%\-]+", text) and re.search(r"[oOlI|]", text):
                text = text.translate(_DIGITS)  # a figure cell: o is 0, l is 1
            lat.pieces.append(((x0 + x1) / 2, height - (y0 + y1) / 2, text, round(float(score), 3)))
        else:
            size = (y1 - y0) / 1.25 * scale
            page.lines.append(Line(x0 * scale, y0 * scale, x1 * scale, y1 * scale, text, size,
                                   round(float(score), 3)))
    for lat in found:
        lat.line_gap = 8.0
        grid, conf = lat.cells()
        grid = [[pair_quotes(text) for text in row] for row in grid]  # a label read in pieces
        if grid:
            page.tables.append(PlacedTable((height - lat.bbox[3]) * scale,
                                           (height - lat.bbox[1]) * scale, grid, conf,
                                           [x * scale for x in lat.xs], lat.copies()))
    return page


def _hides_text(crop: Any, line: float) -> bool:
    """Whether a cell's line that read as nothing may be text, or hide it: strokes as tall as
    half the page's lines of cell text (`line`, the median height; lower ink is a speck or a
    piece of a rule), or a solid shape as tall as a line (a blot over a figure; a smaller
    one is a piece of a picture)."""
    import cv2
    import numpy as np

    tall = crop.shape[0]
    thickness = 2 * float(cv2.distanceTransform((crop < _INK).astype(np.uint8), cv2.DIST_L2, 3).max())
    if thickness <= tall / 4 + 1:
        return thickness > 0 and tall >= line / 2
    return tall >= 0.8 * line


def _table_box(lat: Any, height: int) -> tuple[slice, slice]:
    """A table's rows and columns (y down) with a margin of 3 px round its rules."""
    x0, x1 = int(lat.bbox[0]) - 3, int(lat.bbox[2]) + 4
    y0, y1 = int(height - lat.bbox[3]) - 3, int(height - lat.bbox[1]) + 4
    return slice(max(0, y0), y1), slice(max(0, x0), x1)


def _tables(gray: Any) -> tuple[list[Any], Any]:
    """The ruled tables of a page, and a copy of the page with their rules erased (only
    theirs: long strokes of big characters stay)."""
    vertical, horizontal, rules = _rulings(gray)
    give_back()  # the rulings' masks and labels, before the detector's tensors
    # two cells across at least: a single row is a table's piece a page break left (its head
    # at the foot of a page), read with the rest of it on the next
    found = [lat for lat in lattices(_joined(vertical, horizontal), horizontal, tolerance=4.0, drawn=False)
             if len(lat.xs) >= 3 and len(lat.ys) >= 2]
    clean_img = gray.copy()
    height = gray.shape[0]
    for lat in found:
        rows, cols = _table_box(lat, height)
        box = rules[rows, cols] > 0
        clean_img[rows, cols][box & _along(lat, height, rows.start, cols.start, box.shape)] = 255
    return found, clean_img


def _joined(vertical: list, horizontal: list, reach: float = 3.0) -> list:
    """The upright strokes that are a table's rules: joined to a level rule at both ends, or
    crossing one, or joined at one end and running on where no rule is (a page's edge cut
    the table there). A character's stroke as tall as a rule is long (30 px: 10.5 pt type
    at 200 dpi) may end on a rule, in a cell set with no padding, but it stops short of the
    cell's other rule and crosses none."""
    def joined(x: float, low: float, high: float) -> bool:
        across = [y for y, x0, x1 in horizontal if x0 - reach <= x <= x1 + reach]
        if any(low + 3 * reach < y < high - 3 * reach for y in across):
            return True  # (a row's height on each side: a stroke standing on a rule ends in it)
        at_low, at_high = (any(abs(y - end) <= reach for y in across) for end in (low, high))
        if at_low and at_high:
            return True
        if at_low == at_high:
            return False
        # joined at one end: a rule when no rule lies past its other end within twice its length
        length = high - low
        if at_low:
            return not any(high < y <= high + 2 * length for y in across)
        return not any(low - 2 * length <= y < low for y in across)

    return [v for v in vertical if joined(*v)]


def _along(lat: Any, height: int, top: int, left: int, shape: tuple[int, int]) -> Any:
    """Where in the table's box (`shape`, from `top`, `left` of the page) its own rules run, a
    band of 6 px each side of each: a character's long stroke in a cell opens to a ruling too
    (开, 申, 本 in 10 pt type at 200 dpi), and erased with the rules, the cell read 公于, E, z."""
    import numpy as np

    near = np.zeros(shape, dtype=bool)  # a band running past the box is cut by the slicing
    for x, low, high in lat.vertical:
        near[max(0, int(height - high) - 2 - top):max(0, int(height - low) + 3 - top),
             max(0, int(x) - 6 - left):max(0, int(x) + 7 - left)] = True
    for y, x0, x1 in lat.horizontal:
        near[max(0, int(height - y) - 6 - top):max(0, int(height - y) + 7 - top),
             max(0, int(x0) - 2 - left):max(0, int(x1) + 3 - left)] = True
    return near


def _cell_lines(clean_img: Any, found: list[Any]) -> list[tuple[Any, tuple[int, int, int, int]]]:
    """(table, box y down) of each text line in each table cell; a table whose lines are
    underlined has its underlines erased from `clean_img` first (_erase_underlines), and its
    lines found again without them."""
    places = []
    for lat in found:
        lines = _lines_of(clean_img, lat)
        if _erase_underlines(clean_img, lines):
            lines = _lines_of(clean_img, lat)
        places += [(lat, line) for line in lines]
    return places


def _lines_of(clean_img: Any, lat: Any) -> list[tuple[int, int, int, int]]:
    height = clean_img.shape[0]
    return [line for x0, y0_up, x1, y1_up in lat.regions()
            for line in _ink_lines(clean_img, (int(x0), int(height - y1_up), int(x1), int(height - y0_up)))]


def _erase_underlines(clean_img: Any, lines: list[tuple[int, int, int, int]]) -> bool:
    """Erase the line under each line of text of a table whose cells are underlined (a
    portal's stylesheet sets text-decoration on them): read with it, 0 came out as nothing or
    p, （一） as （二）, 总 as nothing. A table is underlined when most of its cells' lines of
    several characters end in a thin stroke as wide as their ink, which no line of characters
    does (a glyph's foot is as wide as the one glyph, 三, 立); then each of its lines, one
    figure too, loses such a stroke. `lines` are one table's; whether any was erased."""
    strokes = {line: _underline(clean_img, line) for line in lines}
    wide = [line for line in lines if line[2] - line[0] >= 2 * (line[3] - line[1])]
    if len(wide) < 2 or 2 * sum(strokes[line] is not None for line in wide) < len(wide):
        return False
    for (x0, _y0, x1, _y1), rows in strokes.items():
        if rows is not None:
            _erase_stroke(clean_img, rows, x0, x1)
    return True


def _erase_stroke(gray: Any, rows: slice, x0: int, x1: int) -> None:
    """White out a level stroke, and its grey edge a row each side but for the ink of a
    glyph reaching it (ink going on away from it). A glyph's stroke that comes down into it
    (ink on two rows above it) is drawn on through it as it comes, or, where the stroke goes
    on below (three rows of it, no wider than a stroke: not a rule under the line), on to
    where it goes (a / under a line)."""
    import numpy as np

    top, stop = rows.start, rows.stop
    coming = _goes_on(gray, range(top - 1, top - 3, -1), x0, x1)
    below = [(b0, b1) for b0, b1 in _runs(_goes_on(gray, range(stop, stop + 3), x0, x1)) if b1 - b0 <= 8]
    band = gray[rows, x0:x1].copy()
    gray[rows, x0:x1] = 255
    for a0, a1 in _runs(coming):
        if a1 - a0 > 8:
            continue  # a level stroke resting on it, not one coming down
        near = [(b0, b1) for b0, b1 in below if b0 - 6 <= a1 and a0 <= b1 + 6]
        b0, b1 = near[0] if len(near) == 1 else (a0, a1)
        k = band.shape[0]
        for i in range(k):
            t = (i + 1) / (k + 1)
            c0, c1 = round(a0 + (b0 - a0) * t), min(round(a1 + (b1 - a1) * t), band.shape[1] - 1)
            gray[top + i, x0 + c0:x0 + c1 + 1] = np.minimum(band[i, c0:c1 + 1], _INK - 1)
    if top >= 2:
        gray[top - 1, x0:x1][~coming] = 255
    if stop + 1 < gray.shape[0]:
        gray[stop, x0:x1][~_goes_on(gray, range(stop, stop + 2), x0, x1)] = 255


def _goes_on(gray: Any, rows: range, x0: int, x1: int) -> Any:
    """The ink of the first of `rows` that goes on through the others (two pixels aside at
    most: a slanting stroke), as a row of booleans; none where the rows leave the page."""
    import cv2
    import numpy as np

    if min(rows) < 0 or max(rows) >= gray.shape[0]:
        return np.zeros(x1 - x0, dtype=bool)
    ink = (gray[list(rows), x0:x1] < _INK).astype(np.uint8)
    return ink[0].astype(bool) & cv2.dilate(ink, np.ones((1, 5), np.uint8)).all(axis=0)


def _runs(ink: Any) -> list[tuple[int, int]]:
    """(first, last) column of each run of ink in a row."""
    import numpy as np

    edges = np.flatnonzero(np.diff(np.concatenate(([0], ink.astype(np.int8), [0]))))
    return [(int(a), int(b) - 1) for a, b in zip(edges[0::2], edges[1::2], strict=True)]


def _underline(gray: Any, line: tuple[int, int, int, int]) -> slice | None:
    """The rows (of the page) of a thin stroke under a line's ink and as wide as it, ink
    standing above it; None when the line has none."""
    import numpy as np

    x0, y0, x1, y1 = line
    ink = gray[y0:y1, x0:x1] < _INK
    rows = np.flatnonzero(ink.any(axis=1))
    if len(rows) < 4:
        return None
    cols = np.flatnonzero(ink.any(axis=0))
    span = cols[-1] - cols[0] + 1
    full = [r for r in rows if r > (rows[0] + rows[-1]) / 2 and _longest_run(ink[r]) >= 0.9 * span]
    if not full:
        return None
    bottom = top = full[-1]
    while top - 1 in full:
        top -= 1
    if bottom - top + 1 > max(4, (rows[-1] - rows[0]) // 5) or not ink[:top].any():
        return None
    # and the grey row an edge of it may leave, ink with gaps (LibreOffice's, scanned)
    stroke = ink[:, cols[0]:cols[-1] + 1]
    top -= top > 1 and stroke[top - 1].mean() >= 0.6 and ink[:top - 1].any()
    bottom += bottom + 1 < len(ink) and stroke[bottom + 1].mean() >= 0.6
    return slice(y0 + top, y0 + bottom + 1)


def _longest_run(row: Any) -> int:
    """The widest stretch of a row's ink, a gap of one pixel bridged (a scan's speckle)."""
    stretches: list[list[int]] = []
    for a, b in _runs(row):
        if stretches and a - stretches[-1][1] <= 2:
            stretches[-1][1] = b
        else:
            stretches.append([a, b])
    return max((b - a + 1 for a, b in stretches), default=0)


def _text_lines(clean_img: Any, found: list[Any], engine: Any) -> list[tuple[None, tuple[int, int, int, int]]]:
    """(None, box y down) of each text line the detector finds outside the tables (its
    reduced copy of the page is freed before the recogniser runs)."""
    import cv2

    height, width = clean_img.shape
    outside = clean_img.copy()
    for lat in found:
        outside[_table_box(lat, height)] = 255
    small = cv2.resize(outside, None, fx=_DET_SCALE, fy=_DET_SCALE, interpolation=cv2.INTER_AREA)
    del outside
    places: list[tuple[None, tuple[int, int, int, int]]] = []
    for box in _detect(small, engine):
        box = box / _DET_SCALE
        x0, y0 = int(max(0, box[:, 0].min())), int(max(0, box[:, 1].min()))
        x1, y1 = int(min(width, box[:, 0].max())), int(min(height, box[:, 1].max()))
        if x1 - x0 >= 3 and y1 - y0 >= 3:
            places.append((None, (x0, y0, x1, y1)))
    return places


def _ink_lines(gray: Any, box: tuple[int, int, int, int]) -> list[tuple[int, int, int, int]]:
    """Text lines inside one table cell: runs of rows holding ink, cut to the ink's width."""
    import numpy as np

    x0, y0, x1, y1 = box[0] + 4, box[1] + 4, box[2] - 3, box[3] - 3
    if x1 - x0 < 4 or y1 - y0 < 4:
        return []
    cell = gray[y0:y1, x0:x1]
    ink = cell < _INK
    rows = np.flatnonzero(ink.any(axis=1))
    if not len(rows):
        return []
    runs, start, prev = [], rows[0], rows[0]
    for r in [*rows[1:], None]:
        if r is None or r - prev > 2:
            runs.append([start, prev])
            if r is not None:
                start = r
        if r is not None:
            prev = r
    if len(runs) > 1:
        runs = _joined_runs(cell, runs)
    lines = []
    for start, prev in runs:
        if prev - start >= 3:  # specks are not text
            cols = np.flatnonzero(ink[start:prev + 1].any(axis=0))
            lines.append((x0 + max(0, cols[0] - 4), y0 + max(0, start - 4),
                          x0 + min(x1 - x0, cols[-1] + 5), y0 + min(y1 - y0, prev + 5)))
    return lines


def _joined_runs(cell: Any, runs: list[list[int]]) -> list[list[int]]:
    """Runs of ink rows that one glyph spans are one line: a small figure's thin strokes,
    blurred light grey in a picture scaled down, fall under the ink threshold and cut "57"
    into its top bars and the rest, each read as the figure ("57 57"). A mark darker than
    half-way from the paper to ink that reaches from one run into the next joins them; two
    lines of text, however close, share no mark."""
    import cv2
    import numpy as np

    paper = float(np.percentile(cell, 95))
    faint = (cell < max(_INK, (paper + _INK) / 2)).astype(np.uint8)
    _n, labels = cv2.connectedComponents(faint, connectivity=4)
    out = [runs[0]]
    for run in runs[1:]:
        last = out[-1]
        above = set(np.unique(labels[last[0]:last[1] + 1])) - {0}
        below = set(np.unique(labels[run[0]:run[1] + 1])) - {0}
        if above & below:
            last[1] = run[1]
        else:
            out.append(run)
    return out
