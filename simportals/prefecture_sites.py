"""The simulated prefecture's sites and bodies, and each CMS family's URL conventions
(simportals/prefecture.py serves them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .geography import Body
from .portals import PortalSpec
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


COLUMN_NAMES = {"trs": "政府信息公开年报", "hanweb": "信息公开年报", "platform": "政府信息公开年报",
                 "jsp": "年度报告"}
OTHER_COLUMNS = {"tjnb": "统计年报", "zfgzbg": "政府工作报告", "zcwj": "政策文件"}

