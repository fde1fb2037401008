"""Ideographs printed from the wrong code points, back to the characters they show.

PDF fonts (and text copied out of such PDFs into a portal's editor) often map common
characters to look-alikes: Kangxi radicals (`⼯作` for 工作), CJK radicals supplement forms
(`⻔户` for 门户) and compatibility ideographs. They read the same and search for nothing:
a phrase typed by a user never matches them. The archive keeps the bytes as served; the text
extracted from them uses the unified ideographs.
"""

from __future__ import annotations

import re
import unicodedata

# Radicals supplement forms that print as a whole character, to that character (as Unicode's
# EquivalentUnifiedIdeograph.txt gives them); component-only forms (⻌, ⻐) are left alone.
_SUPPLEMENT = {
    "⺟": "母", "⺠": "民", "⻄": "西", "⻅": "见", "⻆": "角", "⻈": "讠", "⻉": "贝", "⻋": "车",
    "⻑": "長", "⻓": "长", "⻔": "门", "⻗": "雨", "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风",
    "⻜": "飞", "⻝": "食", "⻠": "饣", "⻢": "马", "⻤": "鬼", "⻥": "鱼", "⻦": "鸟", "⻧": "卤",
    "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻬": "齐", "⻮": "齿", "⻰": "龙", "⻳": "龟", "⺰": "纟",
}
_LOOK_ALIKE = re.compile(r"[\u2e80-\u2fdf\uf900-\ufaff]")


def _table() -> dict[int, str]:
    table = {ord(k): v for k, v in _SUPPLEMENT.items()}
    for code in (*range(0x2F00, 0x2FE0), *range(0xF900, 0xFB00)):  # Kangxi; compatibility
        unified = unicodedata.normalize("NFKC", chr(code))
        if len(unified) == 1 and unified != chr(code) and "\u3400" <= unified <= "\U0003134f":
            table[code] = unified
    return table


_TABLE = _table()


def unify_ideographs(text: str) -> str:
    """`⼯作⻔户` → `工作门户`; text without look-alikes is returned as it is (one scan)."""
    return text.translate(_TABLE) if _LOOK_ALIKE.search(text) else text
