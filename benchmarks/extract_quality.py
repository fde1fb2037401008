"""Clean-text quality of extract_page against trafilatura alone and readability-lxml.

Scores, per page class: character-bigram F1 against a hand-written gold text (whitespace
removed), chrome lines left, paragraphs (≥ 40 chars) printed more often than in the gold, and
milliseconds per page. Page sets: every simulated template family (when `simportals` builds)
and the real pages in ../shared/realworld/pages/ that have a gold in benchmarks/golds/.

    .venv/bin/python benchmarks/extract_quality.py [--repeat 3] [--pages] [--real-only]
"""

from __future__ import annotations

import argparse
import html as htmlmod
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REAL_PAGES = ROOT.parent / "shared" / "realworld" / "pages"
GOLDS = Path(__file__).resolve().parent / "golds"

# Real pages by class (shared/realworld/SOURCES.md).
REAL_CLASSES = {
    "003": "real: report 2021 format", "017": "real: report 2021 format",
    "019": "real: report 2021 format", "016": "real: report 2019 format",
    "020": "real: report 2019 format", "004": "real: report pre-2019",
    "018": "real: report pre-2019", "005": "real: letter in report column",
}
# Chrome markers, written from the list, independent of extract/chrome.py.
CHROME_MARKERS = re.compile(
    "当前位置|您当前的位置|您现在的位置|您现在所在的位置|所在位置|发布时间|信息来源|来源：|浏览量|浏览次数"
    "|阅读次数|点击数|字号|字体|文字大小|背景色|分享到|打印|关闭|上一篇|下一篇|相关信息|相关链接|相关阅读"
    "|相关文章|文件下载|附件下载|政策咨询|如果您对该政策文件有疑问|收藏|全真版|文字版|扫一扫|二维码|纠错"
    "|无障碍|长者版|标签：|主办单位|网站标识码|ICP备|公网安备|版权所有|索引号|索取号|发布机构|发布单位"
    "|公开形式|公开方式|公开范围|成文日期|生成日期|有效性|\\{\\{")
_WS = re.compile(r"[\s|\u00a0\u3000]+")


@dataclass
class Case:
    name: str
    klass: str
    body: bytes
    url: str | None
    gold: str
    headers: list[tuple[str, str]] | None = None


def squash(text: str) -> str:
    """Whitespace and table pipes removed: layouts differ, characters must not."""
    return _WS.sub("", text)


def bigram_f1(output: str, gold: str) -> float:
    out, ref = squash(output), squash(gold)
    a = Counter(out[i:i + 2] for i in range(len(out) - 1))
    b = Counter(ref[i:i + 2] for i in range(len(ref) - 1))
    if not a or not b:
        return 1.0 if not a and not b else 0.0
    overlap = sum((a & b).values())
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall) if overlap else 0.0


def chrome_lines(output: str, gold: str) -> list[str]:
    """Output lines carrying a chrome marker that the gold does not contain."""
    ref = squash(gold)
    return [line for line in output.splitlines()
            if CHROME_MARKERS.search(line) and squash(line) not in ref]


def duplicates(output: str, gold: str) -> int:
    """Paragraphs of ≥ 40 characters printed more often than the gold prints them."""
    out = Counter(squash(p) for p in output.splitlines() if len(squash(p)) >= 40)
    ref = Counter(squash(p) for p in gold.splitlines() if len(squash(p)) >= 40)
    return sum(max(0, n - max(ref[p], 1)) for p, n in out.items())


def html_to_text(fragment: str) -> str:
    """Readability's HTML summary as lines, one per block element."""
    s = re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", "", fragment)
    s = re.sub(r"(?i)</t[dh]\s*>", "\t", s)
    s = re.sub(r"(?i)<br\s*/?>|</?(p|div|tr|h[1-6]|li|table)\b[^>]*>", "\n", s)
    s = htmlmod.unescape(re.sub(r"<[^>]+>", "", s))
    return "\n".join(line.strip() for line in s.splitlines() if line.strip())


def ours(case: Case) -> str:
    from extract import extract_page

    return extract_page(case.body, url=case.url, headers=case.headers).text


def trafilatura_alone(case: Case) -> str:
    import trafilatura

    return trafilatura.extract(case.body, url=case.url, include_tables=True,
                               deduplicate=False) or ""


def readability_lxml(case: Case) -> str:
    from readability import Document

    from extract.charset import decode_html

    text, _ = decode_html(case.body, case.headers)
    return html_to_text(Document(text).summary(html_partial=True))


EXTRACTORS: dict[str, Callable[[Case], str]] = {
    "ours": ours, "trafilatura": trafilatura_alone, "readability-lxml": readability_lxml}


def real_cases() -> Iterator[Case]:
    if not REAL_PAGES.is_dir():
        return
    for gold in sorted(GOLDS.glob("*.txt")):
        page = REAL_PAGES / (gold.stem + ".html")
        if page.exists():
            klass = REAL_CLASSES.get(gold.stem[:3], "real: other detail page")
            yield Case(gold.stem, klass, page.read_bytes(), None, gold.read_text("utf-8"))


def simulated_cases() -> Iterator[Case]:
    """One case per generated report page, classed by template family, gold from the truth."""
    try:
        from simportals import build_testbed
    except ImportError:
        return
    try:
        testbed = build_testbed()
    except Exception as exc:  # the testbed is built concurrently by another engineer
        print(f"simportals not usable yet: {exc!r}", file=sys.stderr)
        return
    yield from _testbed_cases(testbed)


def _testbed_cases(testbed) -> Iterator[Case]:
    """HTML report pages; the gold is the report text the generator rendered into the page.

    The CMS families (trs, hanweb, platform) as the testbed serves them, then every report
    rendered in each layout family of issue 12 (simportals/layouts.py), forced one at a time."""
    from simportals import layouts
    from simportals.render_report import report_text

    specs = {spec.key: spec for spec in testbed.specs}
    cms = {portal.name: portal.cms for portal in testbed.portals}
    html = [(t, report_text(specs[t.key])) for t in testbed.reports if t.published_as == "html"]
    chosen = layouts.family
    for family, _share in layouts.FAMILIES:
        layouts.family = lambda *a, f=family, **k: f
        try:
            for truth, gold in html:
                for portal, path in truth.locations:
                    status, headers, body = testbed.page(portal, path)
                    klass = (f"sim: {cms[portal]} ({portal})" if family == "cms"
                             else f"sim layout: {family}")
                    if status == 200:
                        yield Case(f"{family}:{portal}{path}", klass, body,
                                   testbed.url(portal, path), gold, headers)
        finally:
            layouts.family = chosen


def run(cases: list[Case], repeat: int) -> dict[tuple[str, str], dict]:
    results: dict[tuple[str, str], dict] = {}
    for case in cases:
        for name, extractor in EXTRACTORS.items():
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                output = extractor(case)
                times.append((time.perf_counter() - start) * 1000)
            results[(case.name, name)] = {
                "class": case.klass, "f1": bigram_f1(output, case.gold),
                "chrome": chrome_lines(output, case.gold), "dups": duplicates(output, case.gold),
                "ms": min(times)}
    return results


def table(results: dict[tuple[str, str], dict]) -> str:
    rows = ["| page class | pages | extractor | mean F1 | min F1 | chrome lines | duplicates "
            "| ms/page |", "|---|---|---|---|---|---|---|---|"]
    classes = sorted({r["class"] for r in results.values()})
    for klass in classes:
        for name in EXTRACTORS:
            group = [r for (_, n), r in results.items() if n == name and r["class"] == klass]
            rows.append(
                f"| {klass} | {len(group)} | {name} | {statistics.mean(r['f1'] for r in group):.4f} "
                f"| {min(r['f1'] for r in group):.4f} | {sum(len(r['chrome']) for r in group)} "
                f"| {sum(r['dups'] for r in group)} | {statistics.mean(r['ms'] for r in group):.1f} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timing runs per page (min kept)")
    parser.add_argument("--pages", action="store_true", help="also print per-page scores")
    parser.add_argument("--real-only", action="store_true", help="skip the simulated portals")
    args = parser.parse_args(argv)
    cases = list(real_cases()) + ([] if args.real_only else list(simulated_cases()))
    results = run(cases, args.repeat)
    print(table(results))
    if args.pages:
        for (page, name), r in sorted(results.items()):
            print(f"{page:60} {name:17} F1 {r['f1']:.4f} chrome {len(r['chrome'])} "
                  f"dups {r['dups']} {r['ms']:.1f} ms {r['chrome'][:3]}")
    ours_all = [r for (_, n), r in results.items() if n == "ours"]
    if ours_all:
        print(f"\nours overall: mean F1 {statistics.mean(r['f1'] for r in ours_all):.4f}, "
              f"min {min(r['f1'] for r in ours_all):.4f}, "
              f"chrome {sum(len(r['chrome']) for r in ours_all)}, "
              f"dups {sum(r['dups'] for r in ours_all)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
