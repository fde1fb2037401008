"""Reading a portal's navigation as a person would: which links lead towards 信息公开, which
name an annual-report column or a body of the 信息公开目录, and whether a fetched column really
lists reports (spiders/discover.py; docs/discover.md).

Names only propose; a column is confirmed by what its listing holds (report-titled links on
the portal's own domains), so a column called anything at all is kept when it lists reports
and a column named like one is not when it lists none.
"""

from __future__ import annotations

import re

from crawler.findings import BODY_NAME, Verdict
from extract.classify import NOT_REPORT_TITLE
from spiders import links

# A column of annual reports: 政府信息公开年报, 信息公开年度报告, 政务公开年报, 政府信息公开工作年度报告,
# or plainly 年报 / 年度报告 (ogi-format §3.1). A year in the text makes it a report, not a column.
COLUMN_NAME = re.compile(
    r"(?:(?:政府|政务)?信息公开|政务公开)(?:工作)?(?:年报|年度报告|工作报告)"
    r"|^(?:政府信息公开)?(?:工作)?年度报告$|^(?:公开)?年报$")
# Any other column whose name speaks of a report (统计年报, 政府工作报告, 年报解读): fetched and
# judged by what it lists, like the named ones.
REPORTISH_NAME = re.compile(r"年报|年度报告|报告")
# Pages that hold columns: the 公开 sections, the 信息公开目录 trees of departments and townships,
# and the site map.
SECTION_NAME = re.compile(r"信息公开|政务公开|公开目录|部门|乡镇|街道|镇街|机构|网站地图|站点地图")
YEAR = re.compile(r"\d{4}|[〇○零一二三四五六七八九]{4}")
# URL tokens of report columns (ogi-format §3.2): supporting evidence, never enough alone.
COLUMN_URL = re.compile(r"ndbg|xxgknb|zfxxgknb|gknb|xxgkndbg|AnnualReport|/nb/|[=_/]nb\b", re.I)


def is_report_link(text: str | None) -> bool:
    """A link titled as a report itself (not a 解读, 一图读懂 or letter about one)."""
    return links.is_report_title(text) and not NOT_REPORT_TITLE.search(text or "")


def link_kind(text: str) -> str | None:
    """"report", "column" (a candidate report column), "section", "body" or None for a
    navigation link's text."""
    text = re.sub(r"\s+", "", text or "")
    if not text or len(text) > 40:
        return None
    if links.is_report_title(text):
        return "report"
    if YEAR.search(text):
        return None
    if COLUMN_NAME.search(text) or REPORTISH_NAME.search(text):
        return "column"
    if BODY_NAME.search(text) and len(text) >= 3:
        return "body"
    if SECTION_NAME.search(text):
        return "section"
    return None


def judge_listing(name: str, url: str, anchors: list[tuple[str, str]], allows) -> Verdict:
    """Decide a candidate column from its first listing page's links (`allows(url)`: on the
    portal's domains). Report-titled links prove a report column; a column named like one that
    lists none is undecided (empty, or filled by a script we do not run), anything else is not
    a report column."""
    reports = {u: t for u, t in anchors if is_report_link(t)}
    own = {u: t for u, t in reports.items() if allows(u)}
    named = bool(COLUMN_NAME.search(name))
    hint = " (URL looks like one)" if COLUMN_URL.search(url) else ""
    dated = {u for u, t in anchors if YEAR.search(t) and allows(u)}  # item-like links
    if own and not named and len(own) * 2 < len(dated):
        return Verdict("undecided", f"{name!r} lists {len(own)} report-titled links among {len(dated)} "
                       "dated items: a column of other things that carries a few reports?", sorted(own.items()))
    if own:
        return Verdict("report", f"{name!r}{hint} lists {len(own)} report-titled links", sorted(own.items()))
    if reports:
        return Verdict("undecided", f"{name!r} lists {len(reports)} report-titled links, all off the "
                       "portal's domains (a mirror?)", sorted(reports.items()))
    if named and not anchors:
        return Verdict("undecided", f"{name!r} is named like a report column but its page has no links")
    if named:
        return Verdict("undecided", f"{name!r}{hint} is named like a report column but lists no "
                       "report-titled link (empty, or filled by a script)")
    return Verdict("rejected", f"{name!r} lists no report-titled link")


def site_owner(site_name: str | None, page_title: str | None) -> str | None:
    """The body running a site: its SiteName meta, else its home page's <title> before any
    separator, without 门户网站/官方网站/首页."""
    name = (site_name or "").strip() or re.split(r"[-_|｜—·]", (page_title or "").strip())[0]
    name = re.sub(r"(?:门户网站|官方网站|政府网站|网站|首页)$", "", name.strip())
    return name or None
