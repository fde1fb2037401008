"""Text hygiene, reading order, tables as text and rows, repeated copies, sections."""

from extract import extract_page


def test_spaces_normalised_punctuation_kept(make_page, report_body):
    body = ('<div class="TRS_Editor">' + report_body
            + "<p>&emsp;&emsp;\u3000一是加强培训，&nbsp;&nbsp;二是“规范”公开；三是（补充）。</p></div>")
    text = extract_page(make_page(body)).text
    assert "一是加强培训， 二是“规范”公开；三是（补充）。" in text.splitlines()
    assert "\u3000" not in text and "\xa0" not in text and "\u2003" not in text


def test_entities_decoded(make_page, report_body):
    body = '<div class="TRS_Editor">' + report_body + "<p>A&amp;B &lt;附表&gt; &#20844;&#24320;</p></div>"
    assert "A&B <附表> 公开" in extract_page(make_page(body)).text


def test_table_rows_and_spans(make_page, report_body):
    table = ('<table><tr><td rowspan="2">三、本年度办理结果</td><td>（一）予以公开</td><td>20</td></tr>'
             '<tr><td>（二）部分公开</td><td>5</td></tr><tr><td colspan="2">四、结转</td><td>1</td></tr></table>')
    page = extract_page(make_page('<div class="TRS_Editor">' + report_body + table
                                  + "<p>六、其他需要报告的事项</p></div>"))
    assert page.tables == [[["三、本年度办理结果", "（一）予以公开", "20"],
                            ["三、本年度办理结果", "（二）部分公开", "5"], ["四、结转", "四、结转", "1"]]]
    lines = page.text.splitlines()
    # Reading order: the table sits between the paragraphs around it, each cell printed once.
    assert lines.index("三、本年度办理结果\t（一）予以公开\t20") < lines.index("六、其他需要报告的事项")
    assert "（二）部分公开\t5" in lines


def test_whole_article_copy_printed_once(make_page, report_body):
    body = f'<div class="TRS_Editor">{report_body}<div class="mobile">{report_body}</div></div>'
    page = extract_page(make_page(body))
    assert page.text.count("主动公开政府信息1234条") == 1
    assert "repeat" in page.removed


def test_legitimately_repeated_paragraph_kept(make_page, report_body):
    again = "<p>本年度未收取信息处理费，未发生因政府信息公开引起的行政复议案件。</p>"
    body = f'<div class="TRS_Editor">{report_body}{again}<p>三、其他</p>{again}</div>'
    page = extract_page(make_page(body))
    assert page.text.count("本年度未收取信息处理费") == 2


def test_sections_split_at_headings(make_page, report_body):
    page = extract_page(make_page(f'<div class="TRS_Editor">{report_body}</div>'))
    headings = [s.heading for s in page.sections]
    assert headings == ["", "一、总体情况", "二、主动公开政府信息情况"]
    assert "1234条" in page.sections[1].text


def test_signature_block_kept(make_page, report_body):
    body = (f'<div class="TRS_Editor">{report_body}<p style="text-align:right">示例县人民政府</p>'
            '<p style="text-align:right">二〇二三年一月十六日</p></div>')
    page = extract_page(make_page(body))
    assert page.text.splitlines()[-2:] == ["示例县人民政府", "二〇二三年一月十六日"]
    assert page.signed == "2023-01-16"


def test_json_has_sections_tables_removed(make_page, report_body):
    data = extract_page(make_page(f'<div class="TRS_Editor">{report_body}</div>')).to_json()
    assert {"sections", "tables", "removed", "text", "title"} <= set(data)
    assert data["sections"][1] == {"heading": "一、总体情况", "text": data["sections"][1]["text"]}
