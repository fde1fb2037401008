"""nianbao's Datasette plugin: Chinese search of any length, report pages and charts.

Registered by `webui.app.make_datasette()` (pluggy hooks, as Datasette's plugin docs show).
- Search: the reports table searches its FTS5 trigram index (`fts_table` in the metadata);
  trigram cannot match terms under three characters, so such searches are moved from
  `_search` to `_like` (asgi_wrapper) and answered with LIKE, three-or-more terms still by FTS.
- `/-/report/<id>`: a report with its statistics as the report's own tables and a link to its
  archived page in pywb (the capture's timestamp with `mp_`, which opens the page itself).
- `/-/charts`: the charts of `publish.charts`, rendered on request.
"""

from __future__ import annotations

import asyncio
import re
from urllib.parse import parse_qsl, urlencode

from datasette import Response, hookimpl
from datasette.filters import FilterArguments
from markupsafe import Markup, escape

from archive.pywb import pywb_timestamp
from catalogue import read as sql
from webui.grids import report_grids
from webui.metadata import DATABASE

TEXT_PREVIEW = 60  # characters of a report's text shown in a table cell
SHORT_TERM = sql.SHORT_TERM
CHARTS = ("reports_per_year", "applications_by_province", "refusal_reasons", "coverage")


def needs_like(query: str) -> bool:
    return any(len(term) < SHORT_TERM for term in query.split())


def rewrite_short_search(query_string: bytes) -> bytes:
    pairs = parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True)
    if not any(k == "_search" and v.strip() and needs_like(v) for k, v in pairs):
        return query_string
    return urlencode([("_like" if k == "_search" else k, v) for k, v in pairs]).encode()


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def short_search(scope, receive, send):
            if scope.get("type") == "http" and re.search(r"/reports(\.\w+)?$", scope.get("path", "")):
                rewritten = rewrite_short_search(scope.get("query_string", b""))
                if rewritten != scope.get("query_string", b""):
                    scope = {**scope, "query_string": rewritten}
            await app(scope, receive, send)

        return short_search

    return wrap


@hookimpl
def filters_from_request(request, database, table, datasette):
    query = (request.args.get("_like") or "").strip()
    if table != "reports" or not query:
        return None
    where, params = sql.search_filter(query)
    return FilterArguments(where, params, [f'search matches "{query}"'],
                           {"search": query, "supports_search": True})


def report_link(report_id: str, text: str) -> Markup:
    return Markup(f'<a href="/-/report/{escape(report_id)}">{escape(text)}</a>')


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if value is None or database != DATABASE:
        return None
    keys = row.keys() if hasattr(row, "keys") else []
    if table == "reports" and column == "title" and "id" in keys:
        return report_link(row["id"], value)
    if column == "report_id":
        return report_link(value, value)
    if column == "text" and isinstance(value, str) and len(value) > TEXT_PREVIEW:
        return value[:TEXT_PREVIEW] + "…"  # the whole text is on the report page
    return None


@hookimpl
def menu_links(datasette, actor, request):
    return [{"href": "/catalogue/reports", "label": "报告 Reports"},
            {"href": "/-/charts", "label": "图表 Charts"}]


def replay_link(replay_url: str | None, url: str | None, fetched_at: str | None) -> str | None:
    """The archived page itself: pywb's `<timestamp>id_/<url>`, the bytes as captured.

    `mp_` would not do: in a browser, pywb's wombat.js sends a top-level `mp_` page back into
    its frame page. Relative links of an `id_` page still resolve inside the archive.
    """
    if not replay_url or not url:
        return None
    return f"{replay_url.rstrip('/')}/{pywb_timestamp(fetched_at)}id_/{url}"


async def report_page(datasette, request):
    report_id = request.url_vars["report_id"]
    db = datasette.get_database(DATABASE)
    found = (await db.execute(sql.REPORT, [report_id])).rows
    if not found:
        return Response.html(f"no report {escape(report_id)}", status=404)
    report = dict(found[0])
    cells = [dict(r) for r in (await db.execute(sql.REPORT_CELLS, [report_id])).rows]
    checks = [dict(r) for r in (await db.execute(sql.REPORT_CHECKS, [report_id])).rows]
    captures = [dict(r) for r in (await db.execute(sql.REPORT_CAPTURES, [report_id])).rows]
    replay_url = (datasette.plugin_config("nianbao") or {}).get("replay_url")
    for capture in captures:
        capture["archived"] = replay_link(replay_url, capture["url"], capture["fetched_at"])
    return Response.html(await datasette.render_template("report.html", {
        "report": report, "grids": report_grids(cells, report.get("template_version")),
        "checks": checks, "captures": captures,
        "archived": replay_link(replay_url, report["url"], report["fetched_at"]),
        "database": DATABASE}, request=request))


async def charts_page(datasette, request):
    return Response.html(await datasette.render_template("charts.html", {"charts": CHARTS}, request=request))


def _render_chart(path: str, name: str) -> bytes:
    from publish.charts import CHARTS as BUILDERS

    conn = sql.connect(path)
    try:
        return BUILDERS[name](conn).png()
    finally:
        conn.close()


async def chart_png(datasette, request):
    name = request.url_vars["name"]
    if name not in CHARTS:
        return Response.text("no such chart", status=404)
    path = datasette.get_database(DATABASE).path
    png = await asyncio.get_running_loop().run_in_executor(None, _render_chart, path, name)
    return Response(png, content_type="image/png", headers={"Cache-Control": "max-age=60"})


STYLE = """
dl.column-descriptions { display: grid; grid-template-columns: repeat(3, max-content minmax(0, 1fr));
                         gap: 0.1em 0.8em; font-size: 0.8em; }
dl.column-descriptions dt { font-weight: bold; }
dl.column-descriptions dd { margin: 0; color: #555; }
td.col-title { min-width: 16em; }
td.col-agency { min-width: 9em; }
td.col-url { max-width: 14em; overflow-wrap: anywhere; }
"""


async def stylesheet(datasette, request):
    return Response(STYLE, content_type="text/css; charset=utf-8")


@hookimpl
def register_routes(datasette):
    return [
        (r"^/-/nianbao\.css$", stylesheet),
        (r"^/-/report/(?P<report_id>[^/]+)$", report_page),
        (r"^/-/charts$", charts_page),
        (r"^/-/charts/(?P<name>[a-z_]+)\.png$", chart_png),
    ]
