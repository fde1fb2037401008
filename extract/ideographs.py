"""Ideographs printed from the wrong code points, back to the characters they show.

PDF fonts (and text copied out of such PDFs into a portal's editor) often map common
characters to look-alikes: Kangxi radicals (`⼯作` for 工作), CJK radicals supplement forms
(`⻔户` for 门户) and compatibility ideographs. They read the same and search for nothing:
a phrase typed by a user never matches them. The archive keeps the bytes as served; the text
extracted from them uses the unified ideographs.

A text layer names each glyph by a code point the font maps to it, and Simplified Chinese
fonts share one glyph among several: Noto/Source Han CJK SC draws 户 with the glyph of the
Kangxi radical ⼾ (whose unified form is the traditional 戶), 胶 with that of 㬵, and under a
page's `lang` its localised forms reach 戶, 戸 or 𨓜. Such a look-alike goes to the GB2312
ideograph the font draws it as (_SC_GLYPHS; tests/extract/test_ideographs.py derives them
again from the installed fonts). No GB2312 character is ever changed.
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
# Look-alikes as Noto/Source Han CJK SC draw them: same glyph as the GB2312 ideograph in the
# font's cmap, or reached from it by the font's `locl` substitutions (radicals printed as a
# component go to the component's ideograph).
_SC_GLYPHS = {
    "⺅": "亻", "⺉": "刂", "⺎": "兀", "⺐": "尢", "⺒": "巳", "⺓": "幺", "⺕": "彐", "⺖": "忄", "⺘": "扌",
    "⺙": "攵", "⺡": "氵", "⺣": "灬", "⺦": "丬", "⺨": "犭", "⺭": "礻", "⺺": "肀", "⺾": "艹", "⺿": "艹",
    "⻁": "虎", "⻂": "衤", "⻌": "辶", "⻍": "辶", "⻎": "辶", "⻐": "钅", "⻖": "阝", "⻣": "骨", "⼾": "户",
    "㬵": "胶", "戶": "户", "戸": "户", "𨓜": "逸",
}
_LOOK_ALIKE = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f" + "".join(
    c for c in _SC_GLYPHS if not "\u2e80" <= c <= "\u2fdf") + "]")


def _table() -> dict[int, str]:
    table = {}
    # Kangxi radicals; compatibility ideographs and their supplement
    for code in (*range(0x2F00, 0x2FE0), *range(0xF900, 0xFB00), *range(0x2F800, 0x2FA20)):
        unified = unicodedata.normalize("NFKC", chr(code))
        if len(unified) == 1 and unified != chr(code) and "\u3400" <= unified <= "\U0003134f":
            table[code] = unified
    table.update({ord(k): v for k, v in (_SUPPLEMENT | _SC_GLYPHS).items()})
    return table


_TABLE = _table()


def unify_ideographs(text: str) -> str:
    """`⼯作⻔户` → `工作门户`; text without look-alikes is returned as it is (one scan)."""
    return text.translate(_TABLE) if _LOOK_ALIKE.search(text) else text
