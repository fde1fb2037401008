"""Typed values from the text of a statistics cell or a figure in a sentence.

Reports print zeros as blanks, "not applicable" as `/`, `—` or `不适用`, amounts with units
(`75394432.52元`, `万元`) and signed changes (`+12`, `-8`); see docs ogi-format §1.6. Blank and
not-applicable cells keep value None and are never coerced to 0.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import cn2an

# A cell that says "none" (issue 12): the count is zero, printed as a word.
_NONE_WORDS = {"无", "未", "没有", "暂无", "无此项", "零"}
UNREAD = "□"  # what OCR puts for a cell it saw ink in and could not read (extract/ocr.py)
_NOT_APPLICABLE = {"/", "／", "-", "—", "——", "--", "－", "–", "空", "不适用", "无数据", "\\", "×", "x", "X"}
_UNITS = ("万元", "元", "件", "条", "项", "个", "次", "人次", "份", "篇", "%")
_ARABIC = re.compile(
    r"^(?P<sign>[+\-])?\s*(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>{})?$".format("|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True)))
)
_WHITESPACE = re.compile(r"\s+")
CN_DIGITS = "零〇○一二两三四五六七八九十百千万亿"
_CHINESE = re.compile(rf"^(?P<num>[{CN_DIGITS}]+)\s*(?P<unit>件|条|项|个|次|份|元)?$")


@dataclass(frozen=True)
class Parsed:
    """A cell's value, its unit when printed, and what kind of text it was."""

    value: int | float | None
    unit: str | None
    kind: str  # "number", "blank", "na", "unread", "text"


def normalise_text(raw: str) -> str:
    """NFKC (full-width digits and signs to ASCII) and no whitespace."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", raw or ""))


MAX_DIGITS = 18  # a count or an amount in 元 never needs more; longer digit runs are not numbers


def to_number(digits: str) -> int | float | None:
    """`1,234` → 1234, `12.50` → 12.5; integers stay int so values compare exactly.

    None for digit runs too long to be a statistic (hostile input: int() of thousands of
    digits is slow and refused by Python, float() of them is inf)."""
    digits = digits.replace(",", "")
    if len(digits.split(".")[0]) > MAX_DIGITS or len(digits) > 2 * MAX_DIGITS:
        return None
    value = float(digits) if "." in digits else int(digits)
    return value + 0 if value == 0 else value  # no negative zero


def chinese_number(text: str) -> int | float | None:
    """Chinese numerals (`一百二十三`, `两千`) via cn2an; None when it is not a numeral."""
    if not text or len(text) > 2 * MAX_DIGITS or any(ch not in CN_DIGITS for ch in text):
        return None
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, TypeError, OverflowError, ArithmeticError):
        return None
    if not math.isfinite(value) or abs(value) >= 10 ** MAX_DIGITS:
        return None
    return int(value) if float(value).is_integer() else float(value)


_CACHED_CELL = 40  # characters: the cells of one template repeat; longer text is a label or prose


def parse_value(raw: str) -> Parsed:
    """Parse one cell: a number (signed, with thousands separators or a unit) or null."""
    if raw and raw.isascii() and raw.isdigit() and len(raw) <= MAX_DIGITS:  # the common case, `0`, `12`
        return Parsed(int(raw), None, "number")
    if raw and len(raw) <= _CACHED_CELL:
        return _parse_text(raw)  # Parsed is frozen: one instance may serve every caller
    return _parse(raw)


@lru_cache(maxsize=16384)
def _parse_text(raw: str) -> Parsed:
    return _parse(raw)


def _parse(raw: str) -> Parsed:
    text = normalise_text(raw)
    if not text:
        return Parsed(None, None, "blank")
    if not text.strip(UNREAD):
        return Parsed(None, None, "unread")
    if text in _NOT_APPLICABLE:
        return Parsed(None, None, "na")
    if text in _NONE_WORDS:
        return Parsed(0, None, "number")
    match = _ARABIC.match(text)
    if match:
        value = to_number(match.group("num"))
        if value is None:
            return Parsed(None, None, "text")
        if match.group("sign") == "-" and value != 0:
            value = -value
        return Parsed(value, match.group("unit"), "number")
    match = _CHINESE.match(text)
    if match:
        value = chinese_number(match.group("num"))
        if value is not None:
            return Parsed(value, match.group("unit"), "number")
    return Parsed(None, None, "text")


def looks_numeric(raw: str) -> bool:
    """True for cells that hold a value or a value placeholder, not a label."""
    return parse_value(raw).kind in ("number", "blank", "na", "unread")
