"""Word reports laid out inside tables (the 版心 habit): the whole report typed into one cell,
into the wide cell of a one-row, two-column table, or section by section into the cells of a
one-column table. Every sentence was in a 1×1 "table" and the text came back empty. They are
read as the paragraphs they hold, while tables of values, also one nested in a layout cell,
stay grids (extract/docx_text.py `is_layout`)."""

from __future__ import annotations

import io
import re
import shutil

import pytest

from extract import extract_page
from extract.attachments import extract_document
from simportals.attachments import convert, docx_bytes
from simportals.document import build
from simportals.plan import plan
from tests.extract.test_office_structures import _docx, _p, _tbl, _tc, _tr

URL = "http://www.example.gov.cn/P020230131.docx"
SENTENCES = ("2022年，本县认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
             "全面推进决策、执行、管理、服务、结果公开。",
             "全年主动公开政府信息2345条，其中政策文件112件，政策解读材料56篇。",
             "本年度共收到政府信息公开申请56件，上年结转2件，均已按时答复。",
             "下一步，本县将进一步加强政策解读和回应关切，提升政务公开标准化规范化水平。")
HEADINGS = ("一、总体情况", "二、主动公开政府信息情况", "三、存在的主要问题及改进情况")


def _body() -> str:
    return (_p("某某县人民政府2022年政府信息公开工作年度报告") + _p(HEADINGS[0]) + _p(SENTENCES[0])
            + _p(SENTENCES[1]) + _p(HEADINGS[1]) + _p(SENTENCES[2]) + _p(HEADINGS[2]) + _p(SENTENCES[3]))


def _whole(text: str) -> None:
    for sentence in (*SENTENCES, *HEADINGS, "某某县人民政府2022年政府信息公开工作年度报告"):
        assert text.count(sentence) == 1, (sentence, text)


def test_report_in_one_cell_is_read_as_paragraphs():
    document = extract_document(_docx(_tbl(_tr(_tc(_body())), cols=1)), None, URL)
    _whole(document.text)
    assert document.text.splitlines()[1:3] == [HEADINGS[0], SENTENCES[0]]
    assert document.tables == []


def test_report_in_the_wide_cell_of_a_two_column_layout():
    """A narrow margin column (a date, an empty cell) beside the report."""
    document = extract_document(_docx(_tbl(_tr(_tc(_p("2023年1月20日")), _tc(_body())))), None, URL)
    _whole(document.text)
    assert document.text.splitlines()[0] == "2023年1月20日" and document.tables == []


def test_report_section_by_section_in_a_one_column_table():
    sections = [_p(HEADINGS[0]) + _p(SENTENCES[0]) + _p(SENTENCES[1]),
                _p(HEADINGS[1]) + _p(SENTENCES[2]) + _p(SENTENCES[1].replace("2345", "2346")),
                _p(HEADINGS[2]) + _p(SENTENCES[3]) + _p(SENTENCES[0].replace("2022", "2021"))]
    body = _docx(_p("某某县人民政府2022年政府信息公开工作年度报告"),
                 _tbl(*(_tr(_tc(s)) for s in sections), cols=1))
    document = extract_document(body, None, URL)
    _whole(document.text)
    assert document.text.splitlines()[1:4] == [HEADINGS[0], SENTENCES[0], SENTENCES[1]]


def test_tables_of_values_stay_grids():
    """Short cells are values, even few of them (a key and its value), even under a long note."""
    note = "注：" + "本表数据来源于各部门报送的统计数据，" * 12
    pair = _tbl(_tr(_tc(_p("信息处理费")), _tc(_p("0"))))
    table = _tbl(_tr(_tc(_p("事项")), _tc(_p("件数"))), _tr(_tc(_p("行政复议")), _tc(_p("3"))),
                 _tr(_tc(_p("行政诉讼")), _tc(_p("5"))), _tr(_tc(_p("合计")), _tc(_p("8"))),
                 _tr(_tc(_p(note), '<w:gridSpan w:val="2"/>')))
    document = extract_document(_docx(pair, table), None, URL)
    assert document.tables[0] == [["信息处理费", "0"]]
    assert document.tables[1][:2] == [["事项", "件数"], ["行政复议", "3"]]


SPEC = next(s for s in plan(0, 1, 0) if s.template == "2021" and
            {k for k, _ in build(s)} >= {"title", "table"})


def _in_one_cell(body: bytes) -> bytes:
    """The DOCX with its whole body moved into the one cell of a layout table."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document(io.BytesIO(body))
    root = document.element.body
    table = parse_xml(f"<w:tbl {nsdecls('w')}><w:tblPr><w:tblW w:w='0' w:type='auto'/></w:tblPr>"
                      "<w:tblGrid><w:gridCol w:w='9000'/></w:tblGrid><w:tr><w:tc><w:tcPr>"
                      "<w:tcW w:w='9000' w:type='dxa'/></w:tcPr></w:tc></w:tr></w:tbl>")
    cell = table.find(".//{*}tc")
    for child in [c for c in root if not c.tag.endswith("sectPr")]:
        cell.append(child)
    cell.append(parse_xml(f"<w:p {nsdecls('w')}/>"))  # a cell ends with a paragraph
    root.insert(0, table)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _sentences(spec) -> list[str]:
    return [s for kind, payload in build(spec) if kind == "p"
            for s in re.findall(r"[^。；！？]+[。；！？]?", payload) if len(s) >= 6]


def _keyed(page) -> dict:
    return {(c.table, c.row_key, c.col_key): c.value for c in page.cells if c.row_key}


@pytest.mark.parametrize("kind", ["docx", *(pytest.param(k, marks=pytest.mark.skipif(
    shutil.which("soffice") is None, reason="needs LibreOffice")) for k in ("doc", "wps"))])
def test_statistics_tables_nested_in_a_layout_cell(kind):
    """A 2021 report typed into one cell, its statistics tables nested in it: the prose is the
    text, the tables are grids and give every figure, as from the report laid out plainly;
    a .doc or .wps converted by LibreOffice is read through the same code."""
    plain = extract_page(docx_bytes(SPEC), url=URL)
    body = _in_one_cell(docx_bytes(SPEC))
    if kind != "docx":  # by way of ODT: LibreOffice's DOCX import writes this DOC without tables
        body = convert(convert(body, "docx", "odt"), "odt", "doc:MS Word 97")
    page = extract_page(body, url=URL.replace(".docx", f".{kind}"))
    missing = [s for s in _sentences(SPEC) if s not in page.text]
    assert not missing, missing[:3]
    assert page.tables and len(_keyed(page)) > 50 and _keyed(page) == _keyed(plain)
    assert (page.title, page.year, page.agency) == (plain.title, plain.year, plain.agency)
