"""The portals of the testbed: one per CMS family (plus a second platform-style site), and a
spam mirror.  A PortalSpec says how a site is built and served; the testbed fills it."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class PortalSpec:
    name: str  # short id, e.g. beilun
    title: str  # site name (SiteName)
    region: str  # e.g. 浙江省宁波市北仑区
    code: str  # 6-digit division code of the site's region
    cms: str  # trs | hanweb | platform | mirror
    encoding: str  # utf-8 | gbk
    column_path: str  # the annual-report column's first listing page
    column_name: str
    domain: str  # the real-looking domain in SiteDomain / Url meta
    site_id: str  # 网站标识码
    icp: str
    police: str
    per_page: int = 10
    col_id: int = 0  # Hanweb column id
    gzip: bool = False  # gzip when the client accepts it
    chunked: bool = False  # Transfer-Encoding: chunked
    validators: bool = True  # ETag / Last-Modified; without them a re-crawl gets 200s (identical-payload revisits)
    owner: str = ""  # the body that runs the site
    family: str = ""  # for the extra hosts of `build_testbed(hosts=N)`: the portal it copies

    @property
    def base(self) -> str:
        """The portal this one is built like (itself, or the one an extra host copies)."""
        return self.family or self.name

    @property
    def column_dir(self) -> str:
        return self.column_path.rsplit("/", 1)[0] + "/"


PORTALS = (
    PortalSpec("beilun", "宁波市北仑区人民政府", "浙江省宁波市北仑区", "330206", "trs", "utf-8",
               "/xxgk/ndbg/index.html", "政府信息公开年报", "www.bl.gov.cn", "3302060004",
               "浙ICP备05010512号", "33020602000126号", per_page=10, gzip=True,
               owner="宁波市北仑区人民政府"),
    PortalSpec("shuyang", "沭阳县人民政府", "江苏省宿迁市沭阳县", "321322", "hanweb", "utf-8",
               "/col/col1229456/index.html", "信息公开年报", "www.shuyang.gov.cn", "3213220037",
               "苏ICP备05080263号", "32132202000118号", per_page=10, col_id=1229456,
               chunked=True, owner="沭阳县人民政府"),
    PortalSpec("shucheng", "舒城县人民政府", "安徽省六安市舒城县", "341523", "platform", "gbk",
               "/OpennessContent/showList/15/2210/page_1.html", "政府信息公开年报",
               "www.shucheng.gov.cn", "3415230001", "皖ICP备05016877号", "34152302000103号",
               per_page=10, owner="舒城县人民政府"),
    PortalSpec("xinqi", "北仑区新碶街道", "浙江省宁波市北仑区新碶街道", "330206", "platform", "utf-8",
               "/xxgk/ndbg/list.html", "年度报告", "xq.bl.gov.cn", "3302060021",
               "浙ICP备05010512号-3", "33020602000231号", per_page=8,
               owner="宁波市北仑区新碶街道办事处", validators=False),
)

def portal_set(hosts: int = len(PORTALS), weights: dict[str, float] | None = None) -> list[PortalSpec]:
    """`hosts` portals: the four above, then copies of them (beilun-2, shuyang-2, …), each a
    full portal of its CMS family on its own host.

    Copies go to the families in proportion to `weights` (the pages each family serves; by
    default equal), so that every host ends up with about the same number of pages: a crawl
    of N hosts is then bounded by N × per-host concurrency, not by one crowded host."""
    if hosts < len(PORTALS):
        raise ValueError(f"hosts must be at least {len(PORTALS)} (one portal per family)")
    counts = _apportion(hosts, [max(0.0, (weights or {}).get(p.name, 1.0)) for p in PORTALS])
    out = list(PORTALS)
    for k in range(2, max(counts) + 1):  # copies in turn: beilun-2, shuyang-2, …, beilun-3, …
        for p, n in zip(PORTALS, counts, strict=True):
            if k <= n:
                out.append(replace(p, name=f"{p.name}-{k}", domain=f"s{k}.{p.domain.removeprefix('www.')}",
                                   site_id=f"{p.site_id[:-2]}{k:02d}", family=p.name))
    return out


def _apportion(total: int, weights: list[float]) -> list[int]:
    """`total` hosts over the families, each at least one, the rest by largest remainder."""
    counts = [1] * len(weights)
    spare = total - len(weights)
    whole = sum(weights) or 1.0
    shares = [spare * w / whole for w in weights]
    for i, share in enumerate(shares):
        counts[i] += int(share)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(shares[i] - int(shares[i])), i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


MIRROR = PortalSpec("mirror", "金沙娱乐城", "", "", "mirror", "utf-8", "/index.html", "资讯",
                    "www.js-yule8.com", "", "", "")

CASINO_BRANDS = ("金沙娱乐城", "澳门威尼斯人官网", "银河娱乐集团")
