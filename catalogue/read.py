"""Every read-side query of the catalogue, and the read-only connection they run on.

The user's SQL (`nianbao query`), exports, charts and the web UI's canned queries all go
through `connect()`: the file is opened with `mode=ro` and `PRAGMA query_only`, and an
authorizer refuses ATTACH (which would create files) and pragmas that set a value.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from extract.model import STATS_KEYS


class CatalogueMissing(FileNotFoundError):
    """The data directory has no catalogue."""


_INTROSPECTION_PRAGMAS = {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
                          "foreign_key_list", "function_list", "pragma_list", "collation_list",
                          "recursive_triggers"}  # sqlite_utils.Database sets it on every connection


def _authorize(action: int, arg1: str | None, arg2: str | None, db: str | None, trigger: str | None) -> int:
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and arg2 is not None and (arg1 or "").lower() not in _INTROSPECTION_PRAGMAS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def connect(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """A connection on which no statement can change the catalogue or create a file."""
    path = Path(path)
    if not path.is_file():
        raise CatalogueMissing(f"no catalogue at {path}")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    conn.execute("pragma query_only = 1")
    conn.execute("pragma busy_timeout = 10000")
    conn.set_authorizer(_authorize)
    return conn


def rows(conn: sqlite3.Connection, sql: str, params=()) -> tuple[list[str], list[tuple]]:
    cursor = conn.execute(sql, params)
    return [d[0] for d in cursor.description or []], cursor.fetchall()


# -- the web UI's search of the reports table (webui/plugin.py) ------------------------------------

SHORT_TERM = 3  # the trigram tokenizer's shortest matchable term


def search_filter(query: str) -> tuple[list[str], dict[str, str]]:
    """WHERE clauses on `reports` and their parameters finding every term of `query`: the
    trigram index for terms it can match, a substring scan for shorter ones."""
    where, params = [], {}
    for i, term in enumerate(query.split()):
        params[f"like_{i}"] = term
        if len(term) < SHORT_TERM:
            where.append(f"(title like '%' || :like_{i} || '%' or agency like '%' || :like_{i} || '%' "
                         f"or text like '%' || :like_{i} || '%')")
        else:
            params[f"like_{i}"] = '"' + term.replace('"', '""') + '"'
            where.append(f"rowid in (select rowid from reports_fts where reports_fts match :like_{i})")
    return where, params


# -- coverage (archive/coverage.py) -----------------------------------------------------------

# The body rows of `Coverage.rows()` in SQL alone, for a Datasette canned query (`:year` may be
# empty: the latest year catalogued). Registry bodies never catalogued are not in it.
COVERAGE_SQL = """
with recursive
  known as (select agency, year, region_code, level, portal, status from reports
            where agency is not null and year is not null),
  bounds as (select min(year) as first, coalesce(cast(nullif(:year, '') as integer), max(year)) as last
             from known),
  years(y) as (select first from bounds union all select y + 1 from years, bounds where y < bounds.last),
  bodies as (select agency, min(year) as first, max(region_code) as code, max(level) as level,
                    max(portal) as portal from known group by agency)
select 'body' as kind, b.agency as name, b.code, b.level, b.portal, years.y as year,
       case when exists (select 1 from known k where k.agency = b.agency and k.year = years.y
                         and coalesce(k.status, '') != 'withdrawn') then 'report'
            when exists (select 1 from known k where k.agency = b.agency and k.year = years.y)
            then 'withdrawn' else 'missing' end as status
from bodies b join years on years.y >= b.first
order by b.agency, years.y
"""

UNATTRIBUTED = "select count(*) from reports where agency is null or year is null"
AGENCY_YEARS = """select agency, year, status, region_code, level, portal, issuer_copy from reports
                  where agency is not null and year is not null order by agency, year"""


# -- report URLs for the archive's tools (wacz, pywb, replay's catalogue swap) ---------------------


def _file_rows(path: Path, sql: str) -> list[tuple]:
    """Rows of `sql` on the catalogue at `path`; none when it has no reports table."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if not conn.execute("select 1 from sqlite_master where type = 'table' and name = 'reports'").fetchone():
            return []
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def report_titles(path: Path) -> list[tuple[str, str | None]]:
    """(url, title) of every report with a URL, by URL; none when there is no catalogue."""
    if not Path(path).exists():
        return []
    return _file_rows(path, "select url, title from reports where url is not null order by url")


def first_report_url(path: Path) -> str | None:
    """Some report's URL, an HTML page when there is one (a browser shows it; an attachment
    it would download), or None (no catalogue, or one that cannot be read)."""
    if not Path(path).exists():
        return None
    try:
        row = _file_rows(path, "select url from reports where url is not null order by exists("
                               "select 1 from captures c where c.url = reports.url and "
                               "c.content_type like 'text/html%') desc, url limit 1")
    except sqlite3.Error:
        try:
            row = _file_rows(path, "select url from reports where url is not null limit 1")
        except sqlite3.Error:
            return None
    return row[0][0] if row else None


def report_urls(path: Path) -> set[str]:
    """Every report URL of a catalogue file (replay compares the old catalogue with the new)."""
    return {url for (url,) in _file_rows(path, "select url from reports")}


# -- exports ----------------------------------------------------------------------------------

PLACE = "r.agency, r.year, r.province, r.prefecture, r.county, r.township, r.level, r.template_version"

EXPORTS = {
    "reports": "select * from reports order by year, agency, id",
    "statistics": f"""select s.report_id, {PLACE}, s.table_no, s.row_key, s.col_key, s.row_label,
                      s.col_label, s.raw, s.value, s.unit, s.origin
                      from report_stats s join reports r on r.id = s.report_id
                      order by r.year, r.agency, s.report_id, s.ordinal""",
    "checks": f"""select c.report_id, {PLACE}, c.name, c.passed, c.detail
                  from report_checks c join reports r on r.id = c.report_id
                  order by r.year, r.agency, c.report_id, c.name""",
}
WIDE_REPORTS = f"select r.id as report_id, {PLACE}, r.title, r.url, " + \
    ", ".join(f"r.{k}" for k in STATS_KEYS) + " from reports r order by r.year, r.agency, r.id"
WIDE_CELLS = """select report_id, row_key, col_key, value from report_stats
                where row_key is not null order by report_id, ordinal"""
STAT_KEYS_PRESENT = "select distinct row_key, coalesce(col_key, '') from report_stats where row_key is not null"
COUNT = "select count(*) from {table}"
CAPTURE_TIME = """select fetched_at from reports where url = ? union all
                  select fetched_at from captures where url = ? limit 1"""

# -- charts (publish.charts) ------------------------------------------------------------------

REPORTS_BY_YEAR_LEVEL = """select year, coalesce(level, 'unknown') as level, count(*) as n from reports
                           where year is not null and status != 'withdrawn' group by 1, 2 order by 1, 2"""
APPLICATIONS_BY_PROVINCE_YEAR = """select coalesce(province, '(unknown)') as province, year,
                                   sum(applications_received) as n from reports
                                   where year is not null and applications_received is not null
                                   and status != 'withdrawn' group by 1, 2 order by 1, 2"""
# Table 三's refusal, unable and no-processing rows, summed over every report (total column).
REASON_GROUP = """case when s.row_key like '%.deny\\_%' escape '\\' then '不予公开'
                       when s.row_key like '%.unable\\_%' escape '\\' then '无法提供' else '不予处理' end"""
REFUSAL_REASONS = f"""select {REASON_GROUP} || '：' || s.row_label, sum(s.value) as n from report_stats s
                     join reports r on r.id = s.report_id
                     where s.table_no = '三' and s.col_key = 'total' and r.status != 'withdrawn'
                     and (s.row_key like 't3_v%.deny_%' or s.row_key like 't3_v%.unable_%'
                          or s.row_key like 't3_v%.noproc_%')
                     and (:province is null or r.province = :province)
                     group by substr(s.row_key, instr(s.row_key, '.') + 1) order by n desc, s.row_label"""
# Bodies are the agencies ever seen; coverage is the share of them with a report for the year.
COVERAGE = """with bodies as (select count(distinct agency) as n from reports where agency is not null)
              select year, count(distinct agency) as reported, (select n from bodies) as bodies
              from reports where year is not null and agency is not null and status != 'withdrawn'
              group by year order by year"""

# -- the web UI's canned queries (webui.metadata) ---------------------------------------------

CANNED = {
    "applications_by_body": {
        "title": "各机关每年收到的申请 · Applications received by body and year",
        "sql": """select agency as 机关, year as 年度, province as 省, prefecture as 市,
                  applications_received as 本年新收申请, granted as 予以公开, refused as 不予公开
                  from reports where status != 'withdrawn'
                  and (:agency = '' or agency like '%' || :agency || '%')
                  order by agency, year""",
    },
    "refusal_reasons": {
        "title": "一个省的不予公开、无法提供和不予处理理由 · Refusal reasons across a province",
        "sql": f"""select {REASON_GROUP} as 类别, s.row_label as 理由, sum(s.value) as 件数, count(distinct s.report_id) as 报告数
                  from report_stats s join reports r on r.id = s.report_id
                  where s.table_no = '三' and s.col_key = 'total' and r.status != 'withdrawn'
                  and (s.row_key like 't3_v%.deny_%' or s.row_key like 't3_v%.unable_%'
                       or s.row_key like 't3_v%.noproc_%')
                  and (:province = '' or r.province = :province)
                  and (:year = '' or r.year = cast(:year as integer))
                  group by substr(s.row_key, instr(s.row_key, '.') + 1) order by 件数 desc""",
    },
    "bodies_without_report": {
        "title": "某年没有报告的机关 · Bodies with no report for a year",
        "sql": """select agency as 机关, province as 省, prefecture as 市, county as 县,
                  group_concat(distinct year) as 有报告的年度
                  from reports where agency is not null group by agency
                  having sum(year = cast(:year as integer) and status != 'withdrawn') = 0
                  order by province, prefecture, agency""",
    },
    "changed_since": {
        "title": "某日以来撤下或修改的报告 · Reports withdrawn or changed since a date",
        "sql": """select '撤下 withdrawn' as 变化, r.id as report_id, r.agency as 机关, r.year as 年度,
                  r.title as 标题, r.withdrawn_on as 日期, r.url from reports r
                  where r.status = 'withdrawn' and r.withdrawn_on >= :since
                  union all
                  select '修改 changed', v.report_id, r.agency, r.year, r.title, substr(v.seen_at, 1, 10), v.url
                  from report_versions v join reports r on r.id = v.report_id
                  where v.version > 1 and v.seen_at >= :since
                  order by 6 desc""",
    },
    "failed_checks": {
        "title": "未通过的核对 · Failed cross-checks",
        "sql": """select c.report_id, r.agency as 机关, r.year as 年度, c.name as 核对, c.detail as 详情,
                  r.title as 标题 from report_checks c join reports r on r.id = c.report_id
                  where c.passed = 0 order by r.year desc, r.agency""",
    },
    "coverage": {
        "title": "各机关各年度有无报告 · Coverage: which body-years have a report, are withdrawn or missing",
        "sql": COVERAGE_SQL,
    },
}

# -- one report (the web UI's report page) ----------------------------------------------------

REPORT = "select * from reports where id = ?"
REPORT_CELLS = """select table_no, row_key, col_key, row_label, col_label, raw, value, unit, origin
                  from report_stats where report_id = ? order by ordinal"""
REPORT_CHECKS = "select name, passed, detail from report_checks where report_id = ? order by name"
REPORT_CAPTURES = "select url, portal, fetched_at from report_captures where report_id = ? order by fetched_at"
