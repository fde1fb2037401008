"""crawler/templates.py: a portal's template lines from the pages the crawl holds, and the
JSON metadata record that carries them from the live crawl to replay."""

from __future__ import annotations

from archive.records import json_metadata_record, metadata_record, response_record
from archive.warcfile import WarcFile
from crawler.replay import ArchiveIndex
from crawler.templates import KEY, TEMPLATE_MIN_PAGES, PortalTemplates

HEADER = "XX区人民政府 版权所有"


def page(i: int) -> list[str]:
    return [HEADER, "（本栏目信息由XX区政务公开办统一维护）", f"第{i}篇文章的正文，独一无二。"]


def test_no_template_line_below_the_minimum_number_of_pages():
    templates = PortalTemplates()
    for i in range(TEMPLATE_MIN_PAGES - 1):
        templates.add("xx", page(i))
        assert templates.lines("xx") == []  # two or four identical pages lose nothing
    templates.add("xx", page(99))
    assert templates.lines("xx") == sorted([HEADER, "（本栏目信息由XX区政务公开办统一维护）"])
    assert templates.lines("other") == []
    record = templates.record("xx")
    assert record[KEY] == templates.lines("xx") and record["pages"] == TEMPLATE_MIN_PAGES


def test_a_line_on_too_few_of_the_pages_is_content():
    templates = PortalTemplates(min_pages=5, share=0.6)
    for i in range(10):
        templates.add("xx", page(i) + (["某条只在前五页出现的句子。"] if i < 5 else []))
    assert "某条只在前五页出现的句子。" not in templates.lines("xx")
    assert HEADER in templates.lines("xx")


def test_replay_index_reads_back_the_last_template_record_per_response(tmp_path):
    warc = WarcFile(tmp_path, info={"software": "nianbao/test"})
    resp = response_record(warc.builder, "http://a.test/1.html", 200,
                           [("Content-Type", "text/html")], b"<p>x</p>")
    record_id = resp.rec_headers.get_header("WARC-Record-ID")
    warc.write([resp])
    warc.write([json_metadata_record(warc.builder, "http://a.test/1.html", {KEY: ["甲"]},
                                     concurrent_to=record_id)])
    warc.write([metadata_record(warc.builder, "http://a.test/1.html", [("page-kind", "report")],
                                concurrent_to=record_id)])  # a verdict record: not template lines
    warc.write([json_metadata_record(warc.builder, "http://a.test/1.html", {"other": 1},
                                     concurrent_to=record_id)])  # JSON, but not ours
    # a resumed run extracts the page again: its record is the one its catalogue used
    warc.write([json_metadata_record(warc.builder, "http://a.test/1.html", {KEY: ["乙", "丙"]},
                                     concurrent_to=record_id)])
    warc.close()
    index = ArchiveIndex.build(tmp_path)
    assert index.templates == {record_id: ["乙", "丙"]} and not index.problems


def test_running_counts_give_what_counting_every_page_again_gives():
    import random

    from extract.template import shared_lines

    rng = random.Random(7)
    vocabulary = [f"行{i}" for i in range(40)]
    templates, pages = PortalTemplates(min_pages=5, share=0.6), []
    for _ in range(60):
        assert templates.lines("xx") == sorted(shared_lines(pages, 0.6, 5))
        assert templates.record("xx")[KEY] == sorted(shared_lines(pages, 0.6, 5))
        lines = sorted({line for line in vocabulary if rng.random() < (0.9 if line < "行1" else 0.3)})
        templates.add("xx", lines)
        pages.append(lines)


def test_a_huge_portal_keeps_its_template_lines_in_bounded_memory(monkeypatch):
    import crawler.templates

    monkeypatch.setattr(crawler.templates, "MAX_TRACKED", 1000)
    templates = PortalTemplates()
    for i in range(3000):
        templates.add("xx", page(i))
    sample = templates.samples["xx"]
    assert len(sample.counts) <= 1000 + 3 and sample.pages == 3000
    assert templates.lines("xx") == sorted([HEADER, "（本栏目信息由XX区政务公开办统一维护）"])


def test_a_portal_whose_pages_share_sentences_stays_bounded_and_learns_new_template_lines(monkeypatch):
    """Reports repeat sentences year after year: each sentence on two or three pages. Those are
    forgotten too, and a footer the portal adds half-way through is counted and becomes
    template (forgetting only lines on one page, the table filled with such sentences and
    every new line was forgotten the moment it came)."""
    import crawler.templates

    monkeypatch.setattr(crawler.templates, "MAX_TRACKED", 1000)
    templates = PortalTemplates()
    redesigned = "新版网站 技术支持：某某公司"  # on every page from page 3000 on
    for i in range(6000):
        templates.add("xx", [*page(i), f"去年的一句话{i // 2}。", f"前年的一句话{i // 3}。",
                             *([redesigned] if i >= 3000 else [])])
    sample = templates.samples["xx"]
    assert len(sample.counts) <= 1000 + 6 and len(sample.frequent) <= 1000
    assert templates.lines("xx") == sorted([HEADER, "（本栏目信息由XX区政务公开办统一维护）"])
    for i in range(6000, 10000):  # the new footer, now on 7,000 of 10,000 pages, is template
        templates.add("xx", [*page(i), f"去年的一句话{i // 2}。", redesigned])
    assert redesigned in templates.lines("xx")


def test_many_portals_share_one_bound(monkeypatch):
    """A registry of thousands of portals: the bound is over the whole crawl, and each portal's
    template lines are still found."""
    import crawler.templates

    monkeypatch.setattr(crawler.templates, "MAX_TRACKED", 1000)
    templates = PortalTemplates()
    portals = [f"p{n}" for n in range(400)]
    for i in range(40):
        for n, portal in enumerate(portals):
            templates.add(portal, [f"{portal}区人民政府 版权所有", f"{portal}第{i}篇{n}的正文。",
                                   f"{portal}第{i}篇的另一句。"])
    # each portal holds its template line and its last few pages' own lines, however many pages
    assert max(len(sample.counts) for sample in templates.samples.values()) <= 1 + 2 * 4
    assert all(templates.lines(p) == [f"{p}区人民政府 版权所有"] for p in portals)

