"""Scans fed through a scanner a little crooked (issue 14): the page is levelled before OCR, so
table rules are found as whole lines and every figure lands in its cell."""

from __future__ import annotations

import re

import numpy as np
import pytest

from extract.ocr import level, ocr_image, skew
from extract.pdf import read_pdf
from simportals import build_testbed
from simportals.attachments import _page_images, pdf_bytes

TB = build_testbed()
SPEC = next(s for s in TB.specs if s.key == next(t for t in TB.reports if t.published_as == "scan").key)


@pytest.fixture(scope="module")
def images():
    return [im.convert("L") for im in _page_images(SPEC)]


@pytest.mark.parametrize("angle", [0.0, 0.4, -1.2, 2.7, -4.5])
def test_skew_is_measured(images, angle):
    for image in images[:2]:
        turned = image.rotate(angle, resample=3, fillcolor=255) if angle else image
        assert skew(np.asarray(turned)) == pytest.approx(-angle, abs=0.1)


def test_a_level_page_keeps_its_pixels(images):
    gray = np.asarray(images[0])
    assert level(gray) is gray


def test_skewed_table_page_reads_every_figure(images):
    """The table 三 page turned 1.5°: its grid and figures as the text layer prints them."""
    printed = read_pdf(pdf_bytes(SPEC))[0][2].tables[0].grid
    read = ocr_image(images[2].rotate(-1.5, resample=3, fillcolor=255), scale=72 / 200)
    assert len(read.tables) == 1
    grid = read.tables[0].grid
    assert (len(grid), len(grid[0])) == (len(printed), len(printed[0]))
    figures = [(r, c) for r, row in enumerate(printed) for c, x in enumerate(row) if re.fullmatch(r"\d+", x)]
    assert len(figures) > 100
    assert [grid[r][c] for r, c in figures] == [printed[r][c] for r, c in figures]


@pytest.mark.parametrize(("printed", "key"), [
    ("、本年新收政府信息公开申请数量", "t3_v2021.new"),  # 一 lost
    ("2没有现成信息需要另行制作", "t3_v2021.unable_must_create"),  # the dot lost
    ("2.申请人逐期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "t3_v2021.other_no_fee"),
    ("1.申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请", "t3_v2021.other_no_correction"),
    ("1.属干国家秘密", "t3_v2021.deny_secret"),  # 于's hook lost in an underline
    ("7.属干行政执法案卷", "t3_v2021.deny_case_file"),
])
def test_ocr_damaged_row_labels_keep_their_row(printed, key):
    from extract.codebook import t3_row_key

    group = "（四）无法提供" if "制作" in printed else "（三）不予公开" if "属" in printed else "（六）其他处理"
    assert t3_row_key("2021", ["三、本年度办理结果", group, printed]) == key


def test_a_different_label_is_not_a_misread():
    from extract.codebook import t3_row_key

    assert t3_row_key("2021", ["三、本年度办理结果", "（六）其他处理", "2.申请人逾期未按要求提交材料"]) is None
    assert t3_row_key("2021", ["三、本年度办理结果", "（五）不予处理", "2.重复申靖"]) is None  # too short to tell


@pytest.fixture(scope="module")
def top_of_first_page(images):
    first = images[0]
    top = first.crop((0, 0, first.width, int(first.height * 0.25)))
    lines = [line.text for line in ocr_image(top, scale=72 / 200).lines]
    assert any("政府信息公开工作年度报告" in t for t in lines)
    return top, lines


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_turned_page_is_read_upright(top_of_first_page, turn):
    """A sheet fed sideways or upside down: the same lines as the upright sheet."""
    top, upright_lines = top_of_first_page
    turned = [line.text for line in ocr_image(top.rotate(turn, expand=True), scale=72 / 200).lines]
    assert turned == upright_lines


@pytest.mark.parametrize("turn", [90, 270])
def test_a_table_page_scanned_sideways_reads_every_figure(images, turn):
    """A page of small table figures fed sideways: the detector found one line standing on it
    and the page was read as it lay (27 of the report's 202 cells right). It is turned upright
    and read as the upright page is."""
    upright = ocr_image(images[1], scale=72 / 200)
    read = ocr_image(images[1].rotate(turn, expand=True), scale=72 / 200)
    assert [t.grid for t in read.tables] == [t.grid for t in upright.tables]
    assert sum(len(row) for t in read.tables for row in t.grid) > 30
