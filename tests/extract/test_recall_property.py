"""Property (issue 12): no body sentence is lost because it mentions a chrome word.

Every chrome word of the extractor's own lists (extract/chrome.py, extract/container.py) is
put into ordinary report sentences; the sentences go into report bodies (simulated reports and
the paragraphs of the real reports in ../shared/realworld, via their golds) at the start, in
the middle and at the end; each body is rendered into every layout family of the simulated
portals; every sentence must come out.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pytest

from extract import chrome, container, extract_page
from simportals import build_testbed, layouts, pages
from simportals.render_report import report_html

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT.parent / "shared" / "realworld" / "pages"
GOLDS = ROOT / "benchmarks" / "golds"
REAL_REPORTS = ("003", "004", "016", "017", "018", "019", "020")
# The issue's own examples, beside the words read off the extractor's lists below.
ISSUE_WORDS = ("纠错", "扫码", "微信微博", "网站地图", "访问量：", "相关文件：", "时间：", "关键词：",
               "分类：", "适老化和无障碍改造")


def chrome_words() -> list[str]:
    """Every run of two or more CJK characters in the extractor's chrome patterns."""
    sources = [pattern.pattern for pattern, _ in chrome.LINE_KINDS.values()]
    sources += [container._CHROME_WORDS.pattern, chrome.META_LABELS.pattern]
    words = {w for source in sources for w in re.findall(r"[\u4e00-\u9fff]{2,}", source)}
    return sorted(words | set(ISSUE_WORDS))


def sentences() -> list[str]:
    out = []
    for n, word in enumerate(chrome_words()):
        label = word if word.endswith("：") else word + "："
        out += [f"2022年，本机关围绕{word.rstrip('：')}相关事项开展自查，共整改问题{n % 9 + 1}个。",
                f"{label}本年度共办理相关事项{n % 7 + 2}件，均已按期办结。",
                f"针对群众反映的问题，我们完善了{word.rstrip('：')}功能，全年受理意见{n % 5 + 1}条。"]
    return out


def _paragraphs(lines: list[str]) -> str:
    return "\n".join(f'<p style="text-indent:2em">{escape(line)}</p>' for line in lines)


def bodies() -> list[tuple[str, str, list[str]]]:
    """(name, body html, the sentences that must survive)."""
    injected = sentences()
    third = len(injected) // 3
    head, middle, tail = injected[:third], injected[third:2 * third], injected[2 * third:]
    tb = build_testbed()
    out = []
    for spec in [s for s in tb.specs if s.published_as == "html"][:40:13]:
        parts = report_html(spec).split("\n")
        html = "\n".join([_paragraphs(head), *parts[:len(parts) // 2], _paragraphs(middle),
                          *parts[len(parts) // 2:], _paragraphs(tail)])
        out.append((f"sim-{spec.key}", html, injected))
    if REAL.is_dir():
        for gold in sorted(GOLDS.glob("*.txt")):
            if gold.stem[:3] in REAL_REPORTS:
                lines = [x.strip() for x in gold.read_text("utf-8").splitlines()
                         if x.strip() and "\t" not in x]
                html = _paragraphs(head + lines[:len(lines) // 2] + middle
                                   + lines[len(lines) // 2:] + tail)
                out.append((f"real-{gold.stem[:3]}", html, injected + lines))
    return out


BODIES = bodies()
FAMILIES = [name for name, _ in layouts.FAMILIES]
TESTBED = build_testbed()
FRAME = next((portal, path) for t in TESTBED.reports if t.published_as == "html"
             for portal, path in t.locations)


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("name,html,must", BODIES, ids=[b[0] for b in BODIES])
def test_every_sentence_survives(name, html, must, family, monkeypatch):
    monkeypatch.setattr(layouts, "family", lambda *a, **k: family)
    monkeypatch.setattr(pages, "report_html", lambda spec: html)
    status, headers, body = TESTBED.page(*FRAME)
    text = "".join(extract_page(body, url=TESTBED.url(*FRAME), headers=headers).text.split())
    lost = [s for s in must if "".join(s.split()) not in text]
    assert lost == []


def test_the_word_lists_are_really_used():
    """The property is only as good as its word list: it must hold the lists' words."""
    words = chrome_words()
    assert {"扫一扫", "分享到", "浏览次数", "网站标识码", "索引号", "打印本页"} <= set(words)
    assert len(words) > 100
