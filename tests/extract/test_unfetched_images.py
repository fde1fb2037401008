"""A report image the crawl did not take with its page is a warning, never silence: the spider
skips searching pages whose images its portal showed as chrome elsewhere (spiders/page_images.py),
so an image shown both as chrome and inside a report would otherwise be lost without a word."""

from __future__ import annotations

from extract import extract_page
from simportals.image_reports import REPORTS, _specs
from simportals.render_report import report_html

URL = "http://img.bl.gov.cn/xxgk/ndbg/t1.html"
TABLE = "http://img.bl.gov.cn/xxgk/ndbg/W001.png"


def _page() -> bytes:
    spec = _specs()[REPORTS[0][0]]
    body = report_html(spec).replace("</p>", '</p>\n<p><img src="W001.png" width="600"></p>', 1)
    return (f"<html><head><title>{spec.title}</title></head><body><div class='TRS_Editor'>"
            f"{body}<p><img src='/images/print.gif' width='16' height='16'>打印</p></div></body></html>").encode()


def _unfetched(page) -> list[str]:
    return [w for w in page.warnings if w.startswith("image not fetched")]


def test_a_report_image_the_crawl_did_not_take_is_a_warning():
    page = extract_page(_page(), url=URL, hints={"page_images": None})
    assert page.kind == "report"
    assert _unfetched(page) == [f"image not fetched with its page: {TABLE} (what it shows is not in the report)"]


def test_an_image_the_crawl_took_or_tried_is_no_such_warning():
    page = extract_page(_page(), url=URL, hints={"page_images": {TABLE: None}, "images": {TABLE: None}})
    assert not _unfetched(page)
    assert any(w.startswith("image not archived") for w in page.warnings)  # tried and missing: said so


def test_icons_and_pages_outside_a_crawl_are_not_asked_about():
    assert not _unfetched(extract_page(_page(), url=URL))  # `nianbao extract FILE`: no crawl hint
    icons_only = _page().replace(b'<p><img src="W001.png" width="600"></p>', b"")
    assert not _unfetched(extract_page(icons_only, url=URL, hints={"page_images": None}))
