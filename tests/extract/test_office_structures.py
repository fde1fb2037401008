"""Structures of real Word, WPS and Excel files that a reader built on simulated documents
lost without a word (issue 14): content controls, text boxes, nested tables, tracked changes,
notes; formulas nobody computed, dates, percents and hidden sheets.

Each test builds the structure as Word, WPS or LibreOffice write it (raw WordprocessingML where
python-docx cannot write it) and checks that every sentence and every cell is read exactly
once, and that what cannot be read is said in the warnings.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile

import pytest

from extract.attachments import extract_document

NS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
}.items())
_WORD_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORD_TYPES = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def _docx(*fragments: str, parts: tuple[tuple[str, str | bytes, str, str], ...] = ()) -> bytes:
    """A python-docx document whose body is `fragments` (WordprocessingML, in order); `parts`
    adds parts of the document part, (path under word/, content, relationship type, content
    type), related as rIdX0, rIdX1…"""
    import docx
    from lxml import etree

    document = docx.Document()
    sect = document.element.body.sectPr
    for fragment in fragments:
        for child in etree.fromstring(f"<w:body {NS}>{fragment}</w:body>"):
            sect.addprevious(child)
    out = io.BytesIO()
    document.save(out)
    return _add_parts(out.getvalue(), parts) if parts else out.getvalue()


def _add_parts(body: bytes, parts: tuple[tuple[str, str | bytes, str, str], ...]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(body))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", "".join(
                    f'<Override PartName="/word/{path}" ContentType="{kind}"/>'
                    for path, _, _, kind in parts).encode() + b"</Types>")
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", "".join(
                    f'<Relationship Id="rIdX{i}" Type="{_WORD_RELS}/{rel}" Target="{path}"/>'
                    for i, (path, _, rel, _) in enumerate(parts)).encode() + b"</Relationships>")
            target.writestr(info, data)
        for path, content, _, _ in parts:
            target.writestr(f"word/{path}", content)
    return out.getvalue()


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def _tc(inner: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr><w:tcW w:w=\"2000\" w:type=\"dxa\"/>{props}</w:tcPr>{inner}</w:tc>"


def _tbl(*rows: str, cols: int = 2) -> str:
    grid = "".join('<w:gridCol w:w="2000"/>' for _ in range(cols))
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>")


def _tr(*cells: str) -> str:
    return f"<w:tr>{''.join(cells)}</w:tr>"


def _read(body: bytes, url: str = "http://www.example.gov.cn/P020230131.docx"):
    document = extract_document(body, None, url)
    assert document is not None
    return document


def _cells(document) -> list[str]:
    return [cell for grid in document.tables for row in grid for cell in row]


def _once(document, *sentences: str) -> None:
    """Each sentence is in the text exactly once."""
    for sentence in sentences:
        assert document.text.count(sentence) == 1, (sentence, document.text)


# -- content controls ---------------------------------------------------------------------------

def test_body_content_control_cover_page_and_its_table_are_read():
    """Word's cover pages and form templates put whole paragraphs and tables inside a
    body-level w:sdt; they were skipped."""
    cover = (
        '<w:sdt><w:sdtPr><w:id w:val="-1"/><w:docPartObj><w:docPartGallery w:val="Cover Pages"/>'
        '<w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>'
        + _p("某某县人民政府2022年政府信息公开工作年度报告")
        + _p("某某县人民政府办公室")
        + _tbl(_tr(_tc(_p("编制单位")), _tc(_p("某某县政务公开办"))),
               _tr(_tc(_p("发布日期")), _tc(_p("2023年1月20日"))))
        + "</w:sdtContent></w:sdt>")
    document = _read(_docx(cover, _p("一、总体情况"), _p("2022年，本县主动公开政府信息2345条。")))
    _once(document, "某某县人民政府2022年政府信息公开工作年度报告", "某某县人民政府办公室",
          "一、总体情况", "2022年，本县主动公开政府信息2345条。")
    assert document.text.splitlines()[0] == "某某县人民政府2022年政府信息公开工作年度报告"
    assert document.tables == [[["编制单位", "某某县政务公开办"], ["发布日期", "2023年1月20日"]]]
    assert document.title == "某某县人民政府2022年政府信息公开工作年度报告"


def test_inline_content_control_keeps_its_figure():
    """A form template's plain-text content control inside a sentence (w:p/w:sdt/w:r): the
    figure typed into it was dropped from the sentence, in the body and in a table cell."""
    figure = ('<w:sdt><w:sdtPr><w:alias w:val="主动公开数"/><w:id w:val="7"/><w:text/></w:sdtPr>'
              '<w:sdtContent><w:r><w:t>1234</w:t></w:r></w:sdtContent></w:sdt>')
    paragraph = f"<w:p><w:r><w:t>本年度主动公开政府信息</w:t></w:r>{figure}<w:r><w:t>条。</w:t></w:r></w:p>"
    cell = f"<w:p><w:r><w:t>收取费用</w:t></w:r>{figure.replace('1234', '380')}<w:r><w:t>元</w:t></w:r></w:p>"
    document = _read(_docx(paragraph, _tbl(_tr(_tc(_p("信息处理费")), _tc(cell)))))
    _once(document, "本年度主动公开政府信息1234条。")
    assert document.tables == [[["信息处理费", "收取费用380元"]]]


def test_table_rows_and_cells_inside_content_controls():
    """Repeating-section content controls wrap whole rows (w:tbl/w:sdt/w:tr) and single cells
    (w:tr/w:sdt/w:tc); python-docx's rows and cells do not see them."""
    row_sdt = ('<w:sdt><w:sdtPr><w:id w:val="9"/><w15:repeatingSection '
               'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"/></w:sdtPr>'
               '<w:sdtContent>' + _tr(_tc(_p("行政复议")), _tc(_p("3"))) + "</w:sdtContent></w:sdt>")
    cell_sdt = ('<w:sdt><w:sdtPr><w:id w:val="10"/></w:sdtPr><w:sdtContent>'
                + _tc(_p("5")) + "</w:sdtContent></w:sdt>")
    table = _tbl(_tr(_tc(_p("事项")), _tc(_p("件数"))), row_sdt, f"<w:tr>{_tc(_p('行政诉讼'))}{cell_sdt}</w:tr>")
    document = _read(_docx(_p("四、行政复议、行政诉讼情况"), table))
    assert document.tables == [[["事项", "件数"], ["行政复议", "3"], ["行政诉讼", "5"]]]


# -- text boxes ---------------------------------------------------------------------------------

def _textbox(*paragraphs: str) -> str:
    """A text box as Word 2010+ writes it: DrawingML in mc:Choice, the same box in VML in
    mc:Fallback."""
    content = "<w:txbxContent>" + "".join(_p(t) for t in paragraphs) + "</w:txbxContent>"
    return (
        "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>"
        '<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="1" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="5486400" cy="685800"/><wp:wrapTopAndBottom/><wp:docPr id="1" name="文本框 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx>{content}</wps:txbx><wps:bodyPr/></wps:wsp>'
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>"
        '<v:shape id="文本框 1" o:spid="_x0000_s1026" type="#_x0000_t202" style="position:absolute">'
        f"<v:textbox>{content}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>")


def test_text_box_read_once():
    """红头 and titles set in text boxes: python-docx's Paragraph.text has no text box text at
    all, and a naive descendant search reads it twice (mc:Choice and mc:Fallback)."""
    red_head = f"<w:p>{_textbox('某某县人民政府办公室', '某政办〔2023〕5号')}</w:p>"
    anchored = f"<w:p><w:r><w:t>一、总体情况</w:t></w:r>{_textbox('图一：主动公开情况')}</w:p>"
    document = _read(_docx(red_head, _p("某某县2022年政府信息公开工作年度报告"), anchored,
                           _p("本年度新制发规范性文件12件。")))
    _once(document, "某某县人民政府办公室", "某政办〔2023〕5号", "某某县2022年政府信息公开工作年度报告",
          "一、总体情况", "图一：主动公开情况", "本年度新制发规范性文件12件。")
    assert document.text.splitlines()[:2] == ["某某县人民政府办公室", "某政办〔2023〕5号"]


def test_vml_text_box_and_group_of_boxes():
    """Older Word and WPS write text boxes as VML only (w:pict/v:shape/v:textbox), and a
    drawing group (wpg:wgp) holds several boxes; each box once."""
    vml = ('<w:p><w:r><w:pict><v:shape id="tb2" type="#_x0000_t202" style="position:absolute">'
           '<v:textbox><w:txbxContent>' + _p("某某市人民政府文件") + "</w:txbxContent></v:textbox>"
           "</v:shape></w:pict></w:r></w:p>")

    def shape(text: str) -> str:
        return (f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx><w:txbxContent>{_p(text)}'
                "</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>")

    group = ('<w:p><w:r><w:drawing><wp:inline><wp:extent cx="5486400" cy="900000"/>'
             '<wp:docPr id="2" name="组合 2"/><a:graphic><a:graphicData '
             'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"><wpg:wgp>'
             '<wpg:cNvGrpSpPr/><wpg:grpSpPr/>' + shape("申请人") + shape("受理机关")
             + "</wpg:wgp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>")
    document = _read(_docx(vml, group, _p("附件：依申请公开流程图")))
    _once(document, "某某市人民政府文件", "申请人", "受理机关", "附件：依申请公开流程图")


# -- tables -------------------------------------------------------------------------------------

def test_nested_table_is_its_own_grid():
    """A table inside a cell (a layout table around the statistics table, common in WPS
    documents): _Cell.text has only the cell's own paragraphs, so the inner table was lost."""
    inner = _tbl(_tr(_tc(_p("新收政府信息公开申请数量")), _tc(_p("56"))),
                 _tr(_tc(_p("上年结转政府信息公开申请数量")), _tc(_p("2"))))
    outer = _tbl(_tr(_tc(_p("三、收到和处理政府信息公开申请情况")), _tc(_p("备注"))),
                 _tr(_tc(_p("本年度申请情况如下：") + inner + _p("（单位：件）")), _tc(_p("无"))))
    document = _read(_docx(_p("二、主动公开政府信息情况"), outer, _p("五、存在的主要问题及改进情况")))
    assert document.tables[0] == [["三、收到和处理政府信息公开申请情况", "备注"],
                                  ["本年度申请情况如下：（单位：件）", "无"]]
    assert document.tables[1] == [["新收政府信息公开申请数量", "56"], ["上年结转政府信息公开申请数量", "2"]]
    for cell in ("新收政府信息公开申请数量", "56", "上年结转政府信息公开申请数量", "2"):
        assert _cells(document).count(cell) == 1, cell


def test_merged_cells_and_grid_before_after():
    """Guard (worked before through python-docx's row.cells): horizontal spans (gridSpan) and
    vertical spans (vMerge) repeat their text; plus a row that starts late (w:gridBefore),
    which python-docx leaves short."""
    span = '<w:gridSpan w:val="2"/>'
    table = _tbl(
        _tr(_tc(_p("行政复议"), '<w:vMerge w:val="restart"/>'), _tc(_p("结果"), span)),
        _tr(_tc(_p(""), "<w:vMerge/>"), _tc(_p("维持")), _tc(_p("纠正"))),
        _tr(_tc(_p(""), "<w:vMerge/>"), _tc(_p("1")), _tc(_p("0"))),
        '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>' + _tc(_p("合计"), span) + "</w:tr>",
        cols=3)
    document = _read(_docx(table))
    assert document.tables == [[["行政复议", "结果", "结果"], ["行政复议", "维持", "纠正"],
                                ["行政复议", "1", "0"], ["", "合计", "合计"]]]


# -- tracked changes and run wrappers -----------------------------------------------------------

def test_tracked_changes_and_run_wrappers():
    """Reports published with revisions left on: inserted and moved-to runs are the text,
    deleted and moved-from runs are not; smart tags, simple fields and custom XML wrap runs;
    a complex field's instruction is not text, its result is."""
    author = 'w:id="1" w:author="张三" w:date="2023-01-10T09:00:00Z"'
    revised = (
        "<w:p><w:r><w:t>本年度共受理申请</w:t></w:r>"
        f"<w:del {author}><w:r><w:delText>45</w:delText></w:r></w:del>"
        f'<w:ins {author.replace("1", "2", 1)}><w:r><w:t>56</w:t></w:r></w:ins>'
        "<w:r><w:t>件。</w:t></w:r></w:p>")
    moved = (
        f'<w:p><w:moveFrom {author.replace("1", "3", 1)}><w:r><w:t>已移走的句子。</w:t></w:r></w:moveFrom></w:p>'
        f'<w:p><w:moveTo {author.replace("1", "4", 1)}><w:r><w:t>办理结果全部按时答复。</w:t></w:r></w:moveTo></w:p>')
    wrapped = (
        '<w:p><w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place">'
        "<w:r><w:t>某某县</w:t></w:r></w:smartTag>"
        '<w:customXml w:element="agency"><w:r><w:t>政务服务中心</w:t></w:r></w:customXml>'
        '<w:fldSimple w:instr=" DATE \\@ &quot;yyyy年M月d日&quot; "><w:r><w:t>2023年1月10日</w:t></w:r></w:fldSimple>'
        "<w:r><w:t>发布。</w:t></w:r></w:p>")
    field = (
        '<w:p><w:r><w:t>详见第</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGEREF _Toc1 \\h </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>页。</w:t></w:r></w:p>')
    document = _read(_docx(revised, moved, wrapped, field))
    assert document.text.splitlines() == ["本年度共受理申请56件。", "办理结果全部按时答复。",
                                          "某某县政务服务中心2023年1月10日发布。", "详见第3页。"]


# -- notes --------------------------------------------------------------------------------------

def _notes(kind: str, *texts: str) -> str:
    tag = kind[:-1]
    separators = (f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
                  f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
                  f"</w:r></w:p></w:{tag}>")
    notes = "".join(f'<w:{tag} w:id="{i}"><w:p><w:r><w:{tag}Ref/></w:r><w:r><w:t xml:space="preserve"> {t}</w:t>'
                    f"</w:r></w:p></w:{tag}>" for i, t in enumerate(texts, 1))
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind} {NS}>{separators}{notes}</w:{kind}>'


def test_footnotes_and_endnotes_follow_the_body():
    """Notes live in their own parts (word/footnotes.xml, word/endnotes.xml); they were never
    read. They come after the body, each once; the separators give no text."""
    body = ('<w:p><w:r><w:t>本年度收取信息处理费380元</w:t></w:r><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/>'
            '</w:rPr><w:footnoteReference w:id="1"/></w:r><w:r><w:t>。</w:t></w:r></w:p>')
    parts = (("footnotes.xml", _notes("footnotes", "按照《政府信息公开信息处理费管理办法》收取。"), "footnotes",
              f"{_WORD_TYPES}.footnotes+xml"),
             ("endnotes.xml", _notes("endnotes", "本报告数据统计期限为2022年1月1日至12月31日。"), "endnotes",
              f"{_WORD_TYPES}.endnotes+xml"))
    document = _read(_docx(body, parts=parts))
    assert document.text.splitlines() == ["本年度收取信息处理费380元。", "按照《政府信息公开信息处理费管理办法》收取。",
                                          "本报告数据统计期限为2022年1月1日至12月31日。"]


# -- what a Word file holds that is not text ----------------------------------------------------

def test_chart_and_picture_only_document_warn():
    """A chart's figures live in its own part and a report pasted into Word as page images has
    no text: neither may come back as an empty reading without a warning."""
    chart = ('<w:p><w:r><w:drawing><wp:inline><wp:extent cx="5486400" cy="3200400"/><wp:docPr id="3" name="图表 3"/>'
             '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
             '<c:chart r:id="rId99"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>')
    picture = ('<w:p><w:r><w:drawing><wp:inline><wp:extent cx="5486400" cy="7772400"/><wp:docPr id="4" name="图片 4"/>'
               '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
               '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr>'
               '<pic:cNvPr id="0" name="scan1.jpg"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
               '<a:blip r:embed="rId98"/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic>'
               "</wp:inline></w:drawing></w:r></w:p>")
    document = _read(_docx(_p("图二：近三年依申请公开数量"), chart, picture, picture))
    assert any("chart" in w for w in document.warnings), document.warnings
    assert any("picture" in w for w in document.warnings), document.warnings
    _once(document, "图二：近三年依申请公开数量")


def test_embedded_excel_table_is_read_and_other_objects_are_said():
    """A statistics table pasted from Excel as an object (w:object/o:OLEObject, the workbook in
    word/embeddings/) shows in Word as a picture of the sheet: its figures were lost without a
    word. The workbook's grid is read in its place among the tables; an object that is no
    workbook is named in the warnings."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["主动公开", "本年新制发件数", "本年废止件数"])
    book.active.append(["规章", 0, 1])
    book.active.append(["行政规范性文件", 12, 3])
    workbook = io.BytesIO()
    book.save(workbook)

    def obj(rid: str, progid: str) -> str:
        return ('<w:p><w:r><w:object w:dxaOrig="8300" w:dyaOrig="1500"><v:shape id="_x0000_i1025" '
                'type="#_x0000_t75" style="width:415pt;height:75pt" o:ole=""><v:imagedata r:id="rIdNone" '
                f'o:title=""/></v:shape><o:OLEObject Type="Embed" ProgID="{progid}" ShapeID="_x0000_i1025" '
                f'DrawAspect="Content" ObjectID="_1738000001" r:id="{rid}"/></w:object></w:r></w:p>')

    parts = (("embeddings/Microsoft_Excel_Worksheet.xlsx", workbook.getvalue(), "package",
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
             ("embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "oleObject",
              "application/vnd.openxmlformats-officedocument.oleObject"))
    document = _read(_docx(_p("二、主动公开政府信息情况"), obj("rIdX0", "Excel.Sheet.12"),
                           _tbl(_tr(_tc(_p("收费")), _tc(_p("0")))), obj("rIdX1", "Visio.Drawing.15"),
                           parts=parts))
    assert document.tables == [[["主动公开", "本年新制发件数", "本年废止件数"], ["规章", "0", "1"],
                                ["行政规范性文件", "12", "3"]], [["收费", "0"]]]
    assert any("1 embedded object not read" in w for w in document.warnings), document.warnings


# -- DOC through LibreOffice --------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_doc_text_box_through_libreoffice_read_once():
    """A .doc with a text box 红头: LibreOffice's DOCX writes the box as mc:AlternateContent
    (DrawingML and VML), so the box's lines were lost, and would be doubled by a naive walk."""
    from simportals.attachments import convert

    source = _docx(f"<w:p>{_textbox('某某县人民政府办公室')}</w:p>", _p("某某县2022年政府信息公开工作年度报告"),
                   _p("一、总体情况"))
    document = _read(convert(source, "docx", "doc:MS Word 97"), "http://www.example.gov.cn/P0201.doc")
    assert document.kind == "doc"
    _once(document, "某某县人民政府办公室", "某某县2022年政府信息公开工作年度报告", "一、总体情况")


# -- Excel --------------------------------------------------------------------------------------

def _xlsx(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_formulas_without_saved_values_are_loud():
    """A workbook written by a tool that does not compute formulas (openpyxl, many web
    exporters) saves no value for them: data_only gives None and the totals vanished without a
    word. The figures typed in stay; the formula cells are named in a warning, not filled with
    the formula text."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "表三"
    sheet.append(["申请情况", "自然人", "法人", "总计"])
    sheet.append(["新收申请数量", 40, 16, "=B2+C2"])
    sheet.append(["上年结转", 2, 0, "=SUM(B3:C3)"])
    document = _read(_xlsx(book), "http://www.example.gov.cn/a.xlsx")
    assert document.tables[0][:2] == [["申请情况", "自然人", "法人", "总计"], ["新收申请数量", "40", "16", ""]]
    assert not any(cell.startswith("=") for cell in _cells(document))
    warning = next(w for w in document.warnings if "formula" in w)
    assert "D2" in warning and "D3" in warning and "表三" in warning


def test_xlsx_dates_and_percents_as_shown():
    """Date and percent number formats came out as Python reprs (2023-01-20 00:00:00, 0.125)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["发布日期", dt.datetime(2023, 1, 20), dt.datetime(2023, 1, 20)])
    sheet.append(["纠错率", 0.125, 0.3])
    sheet["B1"].number_format = "yyyy-mm-dd"
    sheet["C1"].number_format = 'yyyy"年"m"月"d"日"'
    sheet["B2"].number_format = "0.00%"
    sheet["C2"].number_format = "0%"
    document = _read(_xlsx(book), "http://www.example.gov.cn/a.xlsx")
    assert document.tables[0] == [["发布日期", "2023-01-20", "2023年1月20日"], ["纠错率", "12.50%", "30%"]]


def test_xlsx_hidden_sheet_kept_and_said():
    """A hidden sheet is kept (its figures may be the report's) and the warning says it was
    hidden, so a reader knows the workbook showed less."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["主动公开政府信息", 1234])
    hidden = book.create_sheet("底稿")
    hidden.append(["上年主动公开", 1100])
    hidden.sheet_state = "hidden"
    document = _read(_xlsx(book), "http://www.example.gov.cn/a.xlsx")
    assert document.tables == [[["主动公开政府信息", "1234"]], [["上年主动公开", "1100"]]]
    assert any("hidden" in w and "底稿" in w for w in document.warnings), document.warnings


def _with_drawing(workbook: bytes, drawing: str) -> bytes:
    """The workbook with `drawing` (a spreadsheetDrawing part) over its first sheet, linked as
    Excel links it (sheet rels, <drawing r:id>, content type)."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns='
            '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{_WORD_RELS}/drawing" Target="../drawings/drawing1.xml"/></Relationships>')
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/drawings/drawing1.xml" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>')
            elif info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", f'<drawing xmlns:r="{_WORD_RELS}" r:id="rId1"/></worksheet>'.encode())
            target.writestr(info, data)
        target.writestr("xl/worksheets/_rels/sheet1.xml.rels", rels)
        target.writestr("xl/drawings/drawing1.xml", drawing)
    return out.getvalue()


def test_xlsx_text_box_title_is_read_once():
    """A workbook's title drawn in a text box over the sheet (xl/drawings/, xdr:sp/xdr:txBody):
    openpyxl drops shapes, so the title was lost; a shape repeated in mc:Fallback is read once."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A2"], book.active["B2"] = "收到申请数", 58
    anchor = ('<xdr:twoCellAnchor><xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>0</xdr:row>'
              '<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>6</xdr:col><xdr:colOff>0</xdr:colOff>'
              '<xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>{}<xdr:clientData/></xdr:twoCellAnchor>')
    shape = ('<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="文本框 1"/><xdr:cNvSpPr txBox="1"/>'
             '</xdr:nvSpPr><xdr:spPr/><xdr:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>某某县2022年</a:t></a:r>'
             '<a:r><a:t>政府信息公开工作年度报告统计表</a:t></a:r></a:p><a:p><a:r><a:t>（单位：件）</a:t></a:r></a:p>'
             "</xdr:txBody></xdr:sp>")
    drawing = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><xdr:wsDr '
               'xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
               'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
               'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
               + anchor.format(f'<mc:AlternateContent><mc:Choice Requires="a14">{shape}</mc:Choice>'
                               f"<mc:Fallback>{shape}</mc:Fallback></mc:AlternateContent>") + "</xdr:wsDr>")
    document = _read(_with_drawing(_xlsx(book), drawing), "http://www.example.gov.cn/a.xlsx")
    _once(document, "某某县2022年政府信息公开工作年度报告统计表", "（单位：件）", "收到申请数")
    assert document.title == "某某县2022年政府信息公开工作年度报告统计表"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_xls_dates_and_errors_as_shown():
    """XLS keeps dates as day counts: 2023-01-20 came out as 44946; an error cell (#DIV/0!)
    came out as its error code, a figure that is not one."""
    import openpyxl

    from simportals.attachments import convert

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["发布日期", dt.datetime(2023, 1, 20), "纠错率", 0.125, "=1/0"])
    sheet["B1"].number_format = "yyyy-mm-dd"
    sheet["D1"].number_format = "0.0%"
    document = _read(convert(_xlsx(book), "xlsx", "xls:MS Excel 97"), "http://www.example.gov.cn/a.xls")
    assert document.kind == "xls"
    assert document.tables == [[["发布日期", "2023-01-20", "纠错率", "12.5%", "#DIV/0!"]]]
