"""trafilatura's second opinion where no CMS container is known (extract/second_opinion.py)."""

from extract import extract_page

LONG = "".join(f"<p>第{n}项工作中，本机关依法依规主动公开政府信息，及时回应社会关切，公开质量稳步提升，"
               f"群众满意度持续提高，全年共办理相关事项{n}件。</p>" for n in range(1, 13))
TAIL = "<p>本机关将继续做好政府信息公开工作，切实保障人民群众的知情权。</p>"
NAV = "".join(f'<li><a href="/n/{n}.html">关于开展第{n}批专项检查工作的通知</a></li>' for n in range(8))


def _page(article: str) -> bytes:
    return ('<html><head><meta charset="utf-8"><title>某县2022年政府信息公开工作年度报告</title></head>'
            f'<body><div class="top"><ul>{NAV}</ul></div>{article}'
            '<div class="foot">某县人民政府主办</div></body></html>').encode()


def test_a_part_scoring_missed_is_taken_in():
    """The last part of the article sits in a differently named sibling block, too short to
    be a continuation by score: trafilatura sees it, the container grows to hold it."""
    page = extract_page(_page(f'<div class="wrap"><div class="txt-a">{LONG}</div>'
                              f'<div class="txt-b">{TAIL}</div></div>'))
    assert "切实保障人民群众的知情权" in page.text
    assert "第12项工作中" in page.text and "关于开展第1批" not in page.text
    assert page.warnings == []


def test_a_sentence_far_away_is_reported_not_taken():
    """A sentence trafilatura reads far from the body (another branch of the page) is not
    pulled in, but the page says so: a loss is never silent."""
    far = '<div class="x"><div class="y"><div class="z">' + TAIL + "</div></div></div>"
    page = extract_page(_page(f'<div class="wrap"><div class="txt-a">{LONG}</div></div>{far}'))
    assert "切实保障人民群众的知情权" not in page.text
    assert any("second opinion" in w and "知情权" in w for w in page.warnings)
