"""Text-layer look-alikes back to the ideographs a reader sees and a user searches for.

Simplified Chinese fonts share glyphs among code points, and a PDF's text layer names each
glyph by one of them: Chromium printing a page in Noto Sans CJK SC writes 门户 as ⻔⼾ and
胶州 as 㬵州 (a county name no longer found, nor its region)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from extract import extract_page
from extract.ideographs import _TABLE, unify_ideographs
from simportals.browser_print import CHROMIUM, BrowserPrinter

NOTO = [Path("/usr/share/fonts/opentype/noto") / f"Noto{face}CJK-Regular.ttc" for face in ("Sans", "Serif")]
SENTENCE = "本年度政府门户网站公开住户信息，胶州、临朐两县的专项统计逸出部分另行公开。"


def _gb2312(c: str) -> bool:
    try:
        c.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return unicodedata.category(c) == "Lo"


def _sc_look_alikes(path: Path) -> dict[str, str]:
    """Each non-GB2312 code point whose glyph, in the font's SC face, is a GB2312 ideograph's:
    shared in the cmap, or reached from that ideograph's glyph by a `locl` substitution."""
    from fontTools.ttLib import TTCollection

    found: dict[str, set[str]] = {}
    for font in TTCollection(str(path)).fonts:
        if not font["name"].getDebugName(4).endswith(" SC"):
            continue
        by_glyph: dict[str, list[str]] = {}
        for code, glyph in font.getBestCmap().items():
            by_glyph.setdefault(glyph, []).append(chr(code))
        pairs = [(ideograph, glyph) for glyph, chars in by_glyph.items() for ideograph in chars]
        gsub = font["GSUB"].table
        for record in gsub.FeatureList.FeatureRecord:
            if record.FeatureTag == "locl":
                for index in record.Feature.LookupListIndex:
                    for sub in gsub.LookupList.Lookup[index].SubTable:
                        mapping = getattr(getattr(sub, "ExtSubTable", sub), "mapping", None) or {}
                        pairs += [(ideograph, target) for source, target in mapping.items()
                                  for ideograph in by_glyph.get(source, [])]
        for ideograph, glyph in pairs:
            if _gb2312(ideograph):
                for other in by_glyph.get(glyph, []):
                    if other != ideograph and not _gb2312(other):
                        found.setdefault(other, set()).add(ideograph)
    return {c: next(iter(v)) for c, v in found.items() if len(v) == 1}


@pytest.mark.parametrize("path", NOTO, ids=lambda p: p.name)
def test_every_look_alike_of_a_simplified_font_is_unified(path):
    if not path.exists():
        pytest.skip(f"{path} not installed (fonts-noto-cjk, .ci/debian-packages.txt)")
    derived = _sc_look_alikes(path)
    assert len(derived) > 200  # radicals, compatibility forms, localised forms
    assert {c: _TABLE.get(ord(c)) for c in derived} == derived
    assert unify_ideographs("".join(derived)) == "".join(derived.values())


def test_no_gb2312_character_is_changed():
    gb2312 = "".join(bytes([row, cell]).decode("gb2312", "ignore") for row in range(0xA1, 0xF8) for cell in range(0xA1, 0xFF))
    assert len(gb2312) > 7000 and unify_ideographs(gb2312) == gb2312


@pytest.mark.parametrize("lang", ["", " lang='zh-CN'", " lang='zh-TW'", " lang='ja'"])
def test_a_page_printed_in_noto_cjk_sc_reads_as_written(lang):
    """Chromium prints in Noto Sans CJK SC; whichever language the page declares, its text
    layer's look-alikes (⻔⼾, 㬵, 戶, 戸, 𨓜) come back as the characters printed."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is not installed (apt-get install -y chromium; .ci/run does)")
    html = (f"<html{lang}><head><meta charset='utf-8'></head><body style=\"font-family:'Noto Sans CJK SC'\">"
            f"<h1>某某县2023年政府信息公开工作年度报告</h1><p>{SENTENCE}</p></body></html>")
    with BrowserPrinter() as printer:
        pdf = printer.print_html(html)
    assert SENTENCE in extract_page(pdf, url="http://x.gov.cn/P0.pdf").text
