"""OCR misreads a character of a table's row labels (共中 for 其中, seen on the simulated
portals' Group 4 TIFF report): such a label is set to the word the national formats print,
named in a warning; labels read from a text layer, and labels with no single near word, stay."""

from __future__ import annotations

from extract.attachments import Document
from extract.document_fields import document_page

GRID = [["指标名称", "计量单位", "数量"],
        ["主动公开政府信息数", "条", "248"],
        ["共中：主动公开规范性文件数", "条", "6"],
        ["1.当面申请数", "件", "3"],
        ["(二)行政复议数量", "件", "0"],
        ["主动公开政策数", "条", "9"],  # one character from two format words: left alone
        ["其他需要说明的事项", "", ""]]


def _document(ocr: bool) -> Document:
    confidence = [[[0.99] * 3 for _ in GRID]] if ocr else []
    return Document("", [GRID], "2017年政府信息公开工作年度报告", "image",
                    blocks=[("h", "2017年政府信息公开工作年度报告"), ("table", 0)],
                    confidence=confidence)


def test_ocr_label_set_to_the_format_word():
    page = document_page(_document(ocr=True), "http://x.gov.cn/a.tif", {})
    labels = [row[0] for row in page.tables[0]]
    assert labels[2] == "其中：主动公开规范性文件数"
    assert labels[1:2] + labels[3:] == [row[0] for row in GRID[1:2] + GRID[3:]]
    assert "ocr: 共中 in a table label corrected to the format's 其中" in page.warnings
    assert [c for c in page.cells if c.row_label == "其中：主动公开规范性文件数" and c.value == 6]


def test_text_layer_labels_are_kept_as_printed():
    page = document_page(_document(ocr=False), "http://x.gov.cn/a.pdf", {})
    assert page.tables[0][2][0] == "共中：主动公开规范性文件数"
    assert not any("table label corrected" in w for w in page.warnings)


def test_text_layer_table_beside_ocr_pictures_is_kept_as_printed():
    document = Document("", [GRID], "2017年政府信息公开工作年度报告", "pdf",
                        blocks=[("h", "2017年政府信息公开工作年度报告"), ("table", 0)],
                        confidence=[None], line_confidence={"一张图片里的文字": 0.9})
    assert document.ocr
    page = document_page(document, "http://x.gov.cn/a.pdf", {})
    assert page.tables[0][2][0] == "共中：主动公开规范性文件数"
