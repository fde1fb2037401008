"""Datasette metadata for the catalogue: bilingual titles, column descriptions with units,
sources, facets, the FTS table and the canned queries (their SQL lives in `catalogue.read`)."""

from __future__ import annotations

from typing import Any

from catalogue.read import CANNED

DATABASE = "catalogue"

REPORT_COLUMNS = {
    "id": "报告编号 report id (issuing body + year + title)",
    "url": "原始网址 URL where the report was captured",
    "portal": "门户 portal (registry name) it was crawled from",
    "title": "标题 title as published",
    "agency": "发布机关 issuing body",
    "year": "报告年度 year the report covers",
    "published": "发布日期 date published on the portal",
    "signed": "落款日期 date signed in the report",
    "index_no": "索引号 index number", "doc_no": "文号 document number", "publisher": "发布机构 publisher",
    "template_version": "表格版本 national template: 2019, 2021, or legacy (before 2019)",
    "scope": "范围 self: the body's own report; jurisdiction: a government's report for its area",
    "published_as": "形式 kind: html page or attachment (pdf, doc, docx, wps, xls, image)",
    "province": "省 province", "prefecture": "市 prefecture", "county": "县 county", "township": "乡镇 township",
    "region_code": "行政区划代码 6-digit administrative division code",
    "level": "层级 level: province, prefecture, county, township, department",
    "text": "正文 clean text of the report",
    "warc_filename": "WARC 文件 archive file", "warc_offset": "WARC 偏移 byte offset",
    "warc_length": "WARC 长度 record length (bytes)", "fetched_at": "抓取时间 capture time (UTC)",
    "content_hash": "内容摘要 hash of text and statistics", "version": "版本 content version (1 = first seen)",
    "status": "状态 current or withdrawn (no longer listed by the portal)",
    "withdrawn_on": "撤下日期 date it was found withdrawn", "last_seen": "最后所见 last seen (UTC)",
}
STAT_DESCRIPTIONS = {
    "proactive_disclosed": "主动公开 proactively disclosed items (件 count)",
    "applications_received": "本年新收申请 applications received this year (件 count, table 三 row 一 总计)",
    "applications_carried_over": "上年结转申请 applications carried over (件 count)",
    "granted": "予以公开 granted in full (件 count)",
    "partially_granted": "部分公开 granted in part (件 count)",
    "refused": "不予公开 refused (件 count)",
    "reconsideration_total": "行政复议 administrative reconsiderations (件 count)",
    "litigation_total": "行政诉讼 lawsuits (件 count)",
    "fees_collected": "收费 fees collected (万元 10,000 yuan)",
}
SOURCE = "各级政府门户网站的政府信息公开工作年度报告 · annual reports on government portals, archived as WARC by nianbao"


def metadata(replay_url: str | None = None) -> dict[str, Any]:
    """The metadata dict Datasette takes (`Datasette(metadata=...)`)."""
    queries = {name: {**q, "description": q["title"].split(" · ")[-1]} for name, q in CANNED.items()}
    return {
        "title": "年报 · 政府信息公开工作年度报告 Government information-disclosure annual reports",
        "description_html": (
            "<p>政府信息公开工作年度报告目录：搜索、按地区和年度筛选、查看表三和存档原页面。"
            "<br>A catalogue of annual reports on government information disclosure: search, filter by place "
            "and year, read each report's tables and open its archived page.</p>"
            '<p><a href="/catalogue/reports">报告 Reports</a> · <a href="/-/charts">图表 Charts</a> · '
            '<a href="/catalogue#queries">常用查询 Common questions</a></p>'),
        "source": SOURCE,
        "license": "Reports: public government information · 政府公开信息",
        "plugins": {"nianbao": {"replay_url": replay_url}},
        "extra_css_urls": ["/-/nianbao.css"],
        "databases": {DATABASE: {
            "title": "目录 Catalogue",
            "source": SOURCE,
            "tables": {
                "reports": {
                    "title": "报告 Reports",
                    "description": "每份报告一行（最新版本）One row per report (its latest version). "
                                   "点击标题查看报告页 · click a title for the report page.",
                    "label_column": "title",
                    "fts_table": "reports_fts", "fts_pk": "rowid",
                    "facets": ["province", "prefecture", "level", "year", "template_version",
                               "published_as", "status"],
                    "sort_desc": "year",
                    "columns": {**REPORT_COLUMNS, **STAT_DESCRIPTIONS},
                },
                "report_summary": {"title": "报告摘要 Report summary",
                                   "columns": {**REPORT_COLUMNS, **STAT_DESCRIPTIONS},
                                   "facets": ["province", "level", "year"]},
                "report_stats": {
                    "title": "统计数字 Statistics (one row per table cell)",
                    "facets": ["table_no", "origin", "unit"],
                    "columns": {"report_id": "报告编号 report id", "table_no": "表 table (二, 三, 四, 统计表, prose)",
                                "row_key": "行代码 codebook row key", "col_key": "列代码 codebook column key",
                                "row_label": "行 row as printed", "col_label": "列 column as printed",
                                "raw": "原文 cell text as printed", "value": "数值 number",
                                "unit": "单位 unit", "origin": "来源 table or prose"},
                },
                "report_checks": {"title": "核对 Cross-checks", "facets": ["name", "passed"],
                                  "columns": {"name": "核对 check", "passed": "通过 1 = passed",
                                              "detail": "详情 detail"}},
                "report_versions": {"title": "版本 Versions", "columns": {"seen_at": "首次见到 first seen (UTC)"}},
                "report_sections": {"title": "章节 Sections"},
                "report_captures": {"title": "转载 Where each report was captured"},
                "captures": {"title": "抓取记录 Captures", "facets": ["portal", "kind", "page_kind", "status"]},
                "crawl_runs": {"title": "抓取运行 Crawl runs"},
                "reports_fts": {"hidden": True},
                "reports_ocr_fts": {"hidden": True},  # OCR'd reports only, for approximate search
            },
            "queries": queries,
        }},
    }
