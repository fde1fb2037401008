"""Rendering the simulated prefecture's pages: navigation (home, 政务公开, 信息公开, 信息公开目录,
body nodes and subsites), listings of every family, the Hanweb data proxy and details."""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
from html import escape
from urllib.parse import parse_qs, urlsplit

from .chrome import Detail
from .pages import _OTHER_TEXT, ASSETS, PNG
from .prefecture_sites import LAST_YEAR, PER_PAGE, Column, Response, Site, Unit, unit_name
from .render_report import report_html
from .templates import hanweb, jsp, platform, skeleton, trs
from .testbed import Item


class PrefecturePages:
    """`Prefecture.page()` and what it renders (a mixin: the world holds sites, columns, routes)."""

    def page(self, portal: str, path: str, method: str = "GET", form: dict | None = None) -> Response:
        status, ctype, body, when = self._render(portal, path, form or {})
        headers = [("Content-Type", ctype)]
        if status == 200:
            headers.append(("ETag", '"' + hashlib.md5(body).hexdigest()[:20] + '"'))
            if when:
                stamp = dt.datetime.strptime(when[:16], "%Y-%m-%d %H:%M").replace(
                    tzinfo=dt.timezone(dt.timedelta(hours=8)))
                headers.append(("Last-Modified", email.utils.format_datetime(stamp.astimezone(dt.UTC),
                                                                             usegmt=True)))
        return status, headers, body

    def _render(self, portal: str, path: str, form: dict) -> tuple[int, str, bytes, str]:
        bare = urlsplit(path).path
        if portal not in self.sites:
            return 404, "text/html", b"not found", ""
        if bare in ASSETS:
            return 200, ASSETS[bare][0], ASSETS[bare][1], "2020-01-01 00:00"
        if bare.startswith("/images/"):
            return 200, "image/png", PNG, "2020-01-01 00:00"
        site = self.sites[portal]
        if site.spec.cms == "hanweb" and bare == hanweb.PROXY:
            return self._proxy(portal, path, form)
        key = path if site.spec.cms == "jsp" else bare
        kind, what = self.routes.get((portal, key), ("", None))
        if kind == "detail":
            html = self._detail(*what)  # type: ignore[misc]
        elif kind == "listing":
            html = self._listing(*what)  # type: ignore[misc]
        elif kind == "nav":
            html = self._nav(site, str(what))
        elif kind == "gone":
            return 410, "text/html; charset=UTF-8", b"<html><body><h1>410 Gone</h1></body></html>", ""
        elif kind == "frameset":
            html = (f"<html><head><meta charset=\"utf-8\"><title>{escape(site.spec.title)}</title></head>"
                    '<frameset rows="90,*"><frame src="/head.jsp" name="top"><frame src="/index.jsp" '
                    'name="main"></frameset></html>')
        elif kind in ("node", "subsection"):
            html = self._node(site, what, kind)  # type: ignore[arg-type]
        else:
            return 404, "text/html; charset=UTF-8", b"<html><body><h1>404 Not Found</h1></body></html>", ""
        return 200, "text/html; charset=UTF-8", html.encode("utf-8"), ""

    @staticmethod
    def _triples(col: Column, items: list[Item]) -> list[tuple[str, str, str]]:
        if col.spec.cms == "trs":
            return [(i.title, "./" + i.path[len(col.spec.column_dir):], i.when[:10]) for i in items]
        return [(i.title, i.path, i.when[:10]) for i in items]

    def _listing(self, col: Column, k: int) -> str:
        p, pages = col.spec, self._pages(col)
        if p.cms == "hanweb":
            return hanweb.column(p, self._triples(col, col.items[:PER_PAGE]), len(col.items), [])
        chunk = self._triples(col, col.items[k * PER_PAGE:(k + 1) * PER_PAGE])
        if p.cms == "trs":
            return trs.listing(p, chunk, k, pages, [])
        if p.cms == "platform":
            return platform.listing(p, chunk, k + 1, pages, len(col.items), [])
        return jsp.listing(p, chunk, k + 1, pages)

    def _proxy(self, portal: str, path: str, form: dict) -> tuple[int, str, bytes, str]:
        query = parse_qs(urlsplit(path).query)

        def arg(name: str, default: str) -> str:
            v = query.get(name) or form.get(name) or [default]
            return v[0] if isinstance(v, list) else str(v)

        _kind, col = self.routes.get((portal, "#col" + arg("columnid", "")), ("", None))
        items = col.items if isinstance(col, Column) else []
        start = max(1, int(arg("startrecord", "1") or 1))
        end = int(arg("endrecord", str(start + PER_PAGE - 1)) or start)
        chunk = self._triples(col, items[start - 1:end]) if isinstance(col, Column) else []
        xml = hanweb.proxy_xml(chunk, len(items), PER_PAGE)
        return 200, "text/xml;charset=UTF-8", xml.encode("utf-8"), ""

    def _detail(self, col: Column, it: Item) -> str:
        p, spec = col.spec, it.spec
        if spec is not None:
            d = Detail(spec.title, it.when, spec.body.name, spec.body.name, spec.index_no, spec.doc_no,
                       (spec.signed or spec.published).isoformat(), report_html(spec), it.path,
                       article_id=it.id)
        else:
            text = "".join(f'<p style="text-indent:2em">{escape(t)}</p>' for t in _OTHER_TEXT["letter"])
            d = Detail(it.title, it.when, p.owner, p.owner, f"{it.id:09d}/{it.when[:4]}-00001", None,
                       it.when[:10], text, it.path, article_id=it.id)
        tpl = {"trs": trs, "hanweb": hanweb, "platform": platform, "jsp": jsp}[p.cms]
        return tpl.detail(p, d)

    # ---- navigation pages ---------------------------------------------------------------
    def _page(self, site: Site, title: str, groups: list[tuple[str, list[tuple[str, str]]]],
              home: bool = False, owner: str | None = None) -> str:
        p, nav = site.spec, self.paths[site.spec.name].nav()
        menu = [("首页", "/"), ("政务公开", nav["zwgk"]), ("政务服务", "/zwfw/"), ("互动交流", "/hdjl/"),
                (f"走进{site.county}", "/zjxq/")]
        head = ""
        if p.cms != "jsp":  # the unknown family ignores the 指引 meta tags
            head = "\n".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in (
                ("SiteName", p.title), ("SiteDomain", p.domain), ("SiteIDCode", p.site_id)))
        blocks = "".join(
            f'<div class="block"><h3>{escape(cap)}</h3><ul>'
            + "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for t, h in links) + "</ul></div>"
            for cap, links in groups)
        body = ('<div class="header"><div class="logo">' + escape(owner or p.title) + "</div><ul class=\"nav\">"
                + "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for t, h in menu) + "</ul></div>"
                + f'<div class="main"><h2>{escape(title)}</h2>{blocks}</div>'
                + f'<div class="footer">主办单位：{escape(p.title)}办公室　网站标识码：{p.site_id}</div>')
        page_title = p.title if home else f"{title}_{p.title}"
        return skeleton(p, page_title, head, body)


    def _nav(self, site: Site, key: str) -> str:
        nav, paths = self.paths[site.spec.name].nav(), self.paths[site.spec.name]
        main = next(c for c in self.columns if c.site is site and c.unit is site.units[0])
        others = [c for c in self.columns if c.site is site and c.unit is None and c.kind == "other"]
        if key == "home":
            latest = sorted((i for i in main.items), key=lambda i: i.when)[-1]
            return self._page(site, site.spec.title, [
                ("要闻动态", [(f"{site.county}召开{LAST_YEAR}年政务公开工作推进会", "/news/1.html")]),
                ("最新公开", [(latest.title, latest.path)]),
                ("专题专栏", [(c.spec.column_name, c.spec.column_path) for c in others]),
                ("政务公开", [("政府信息公开", nav["xxgk"]), ("政务公开", nav["zwgk"])])], home=True)
        units = site.units[1:]
        if key == "zwgk" and nav["zwgk"] != nav["xxgk"]:
            return self._page(site, "政务公开", [("政务公开", [("政府信息公开", nav["xxgk"]),
                                                            ("重点领域信息公开", "/zdly/")]
                                                  + [(c.spec.column_name, c.spec.column_path) for c in others])])
        if key in ("xxgk", "zwgk"):
            tree = ([("部门信息公开", nav["gkml"]), ("乡镇（街道）信息公开", nav["gkml_town"])]
                    if "gkml_town" in nav else [("信息公开目录", nav["gkml"])])
            shared = nav["zwgk"] == nav["xxgk"]  # one 政务公开 page holding the 信息公开 links
            extra = [(c.spec.column_name, c.spec.column_path) for c in others] if shared else []
            annual = nav.get("annual", main.spec.column_path)  # platform: a 年报专栏 hub first
            return self._page(site, "政府信息公开", [("政府信息公开", [
                ("政府信息公开指南", "/xxgkzn/"), ("政府信息公开制度", "/xxgkzd/"),
                ("法定主动公开内容", "/fdzdgknr/"), (main.spec.column_name, annual),
                *tree, *extra])])
        if key == "annual":
            return self._page(site, main.spec.column_name, [("年报专栏", [
                (f"{site.county[-1]}政府信息公开年报", main.spec.column_path),
                ("部门和乡镇信息公开年报", nav["gkml"])])])
        if key == "gkml_town":
            units = tuple(u for u in units if u.kind == "town")
        elif key == "gkml" and "gkml_town" in nav:
            units = tuple(u for u in units if u.kind != "town")
        return self._page(site, "信息公开目录", [
            ("部门", [(unit_name(site, u), paths.node(u, site.units.index(u) - 1)) for u in units
                     if u.kind != "town"]),
            ("乡镇（街道）", [(unit_name(site, u), paths.node(u, site.units.index(u) - 1)) for u in units
                          if u.kind == "town"])])

    def _node(self, site: Site, unit: Unit, kind: str) -> str:
        cols = [c for c in self.columns if c.site is site and c.unit is unit]
        name = unit_name(site, unit)
        links = [("机构职能", "/jgzn/"), ("政府信息公开指南", "/xxgkzn/")]
        links += [(c.spec.column_name, c.spec.column_path) for c in cols]
        if unit.subsite and kind == "node":  # the subsite's home: its own menu, 信息公开 one level down
            return self._page(site, name, [("栏目导航", [("信息公开", f"/{unit.slug}/xxgk/index.html"),
                                                     ("返回主站", "/")])], owner=name)
        return self._page(site, name, [("信息公开", links)], owner=name)



