"""Shared helpers of the extract tests: fixture pages, real pages, the benchmark's metrics."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "data" / "pages"
REAL_PAGES = ROOT.parent / "shared" / "realworld" / "pages"
GOLDS = ROOT / "benchmarks" / "golds"


def _load_quality():
    spec = importlib.util.spec_from_file_location("extract_quality",
                                                  ROOT / "benchmarks" / "extract_quality.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["extract_quality"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def quality():
    """benchmarks/extract_quality.py: bigram_f1, chrome_lines, duplicates."""
    return _load_quality()


def page_html(body: str, head: str = "", title: str = "示例县2022年政府信息公开工作年度报告") -> bytes:
    """A minimal UTF-8 page around a body fragment."""
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{head}'
            f"</head><body>{body}</body></html>").encode()


REPORT_BODY = (
    "<p>本报告根据《中华人民共和国政府信息公开条例》编制，所列数据的统计期限自2022年1月1日起至2022年12月31日止。</p>"
    "<p>一、总体情况</p><p>2022年，示例县主动公开政府信息1234条，依申请公开工作依法规范，行政复议0件。</p>"
    "<p>二、主动公开政府信息情况</p><p>全县主动公开规范性文件12件，信息公开工作稳步推进。</p>"
)


@pytest.fixture
def make_page():
    """page_html(body, head="", title=…) → bytes."""
    return page_html


@pytest.fixture
def report_body() -> str:
    """A short report body with the words a report is recognised by."""
    return REPORT_BODY
