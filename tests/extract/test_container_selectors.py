"""The CMS selectors run as one Python pass select exactly what their XPath text selects."""

from pathlib import Path

import pytest

from extract.container import CMS_SELECTORS, _cms_candidates
from extract.page import parse_html

PAGES = Path(__file__).resolve().parents[3] / "shared" / "realworld" / "pages"
SAMPLES = [
    "<div class='TRS_Editor'>a</div><div class=' x\tTRS_Editor\n'>b</div><div class='TRS_Editorx'>c"
    "</div><p class='TRS_Editor'>d</p><div class='TRS_UEDITOR trs_editor_view'>e</div>",
    "<ucapcontent>f</ucapcontent><span id='zoom'>g</span><b id='zoomcon'>h</b><i id='zoom '>i</i>"
    "<div class='my-j-fontContent'>j</div><div class='article-content article_content'>k</div>"
    "<section itemprop='articleBody' class='pages_content2'>l</section><a id='UCAP-CONTENT'>m</a>"
    "<div class='xxgk_content webeditorview' id='detailContent'>n</div><em id='detail-editor'>o</em>"
    "<div class='Custom_UnionStyle' id='ivs_content'>p</div><!-- q --><div>r</div>",
]


def _documents():
    yield from (parse_html(f"<html><body>{s}</body></html>") for s in SAMPLES)
    if PAGES.is_dir():
        yield from (parse_html(p.read_bytes().decode("utf-8", "replace"))
                    for p in sorted(PAGES.glob("*.html")))


@pytest.mark.parametrize("n", range(len(CMS_SELECTORS)), ids=CMS_SELECTORS)
def test_python_pass_equals_xpath(n):
    for root in _documents():
        assert _cms_candidates(root)[n] == root.xpath(CMS_SELECTORS[n])
