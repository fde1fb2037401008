"""Scored container: the sentence pattern that keeps chrome words out of the score."""

import itertools
import re
import time

from extract.container import _SENTENCES, scored_container
from extract.page import parse_html

# The pattern as first written: runs of four or more characters ending at a stop.
PLAIN = re.compile(r"[^。！？；\n]{4,}[。！？；]")


def test_sentences_pattern_removes_what_the_plain_pattern_removes():
    for n in range(9):
        for text in map("".join, itertools.product("a。\n", repeat=n)):
            assert _SENTENCES.sub("", text) == PLAIN.sub("", text), text
    page = "当前位置：首页 > 信息公开\n本机关全年收到申请12件。网站地图 无障碍；结束"
    assert _SENTENCES.sub("", page) == PLAIN.sub("", page)


def test_long_line_without_stops_scores_in_linear_time():
    # A table's text_content can be one 100,000-character line without a stop; the plain
    # pattern retried the run from each of its characters (seconds), this one once.
    cells = "".join(f"<td>数据{i}</td>" for i in range(10_000))
    root = parse_html(f"<html><body><div><p>本机关全年收到申请12件。</p>"
                      f"<table><tr>{cells}</tr></table></div></body></html>")
    start = time.perf_counter()
    assert scored_container(root) is not None
    assert time.perf_counter() - start < 1.0
