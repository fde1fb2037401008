"""What DiscoverSpider finds and `nianbao discover` writes as registry entries: the contract
between spiders/discover.py and crawler/discovery.py, as crawler/items.py is between
PortalSpider and the pipeline. Also the domains a seed stands for and the name a column's body
goes by, which both sides need."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawler.registry import domain_keys, is_loopback

# A body of a 信息公开目录 tree (or the name on a subsite link): it ends as bodies' names end.
BODY_NAME = re.compile(r"(?:局|委员会|委|办公室|办|中心|镇|乡|街道|办事处|人民政府|管委会|管理委员会|院|署)$")


@dataclass
class Verdict:
    """What a candidate column's listing shows: `report`, `undecided` or `rejected`, and why."""

    kind: str  # report | undecided | rejected | hub (a page of further columns, followed)
    why: str
    reports: list[tuple[str, str]] = field(default_factory=list)  # (url, title)
    warning: str | None = None  # a report column the crawl may not read whole


@dataclass
class ColumnFinding:
    """A candidate report column: where it was found, for which body, and what it holds."""

    url: str
    name: str
    body: str | None  # None: the site's own body
    trail: tuple[str, ...]  # link texts from the home page to the column
    depth: int
    verdict: Verdict | None = None
    cms: str | None = None
    cms_evidence: list[str] = field(default_factory=list)
    pagination: str | None = None


@dataclass
class SiteFinding:
    """What discovery learnt about one seed's site."""

    seed: str
    allowed_domains: tuple[str, ...]
    owner: str | None = None  # the body running the site (SiteName, else the home page title)
    site_id: str | None = None  # SiteIDCode meta
    cms: str | None = None  # the family of the home page
    pages: int = 0
    errors: list[str] = field(default_factory=list)
    columns: dict[str, ColumnFinding] = field(default_factory=dict)

    def allows(self, url: str) -> bool:
        return any(key in self.allowed_domains for key in domain_keys(url))


def seed_domains(url: str) -> tuple[str, ...]:
    """The domain a seed stands for: host:port for an IP or loopback host (nothing else shares
    it), else the registrable part of the host (`www.bl.gov.cn` → `bl.gov.cn`, so subsites such
    as `xxgk.bl.gov.cn` are in)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if is_loopback(url) or re.fullmatch(r"[\d.]+|\[[0-9a-f:]+\]", host):
        return (parts.netloc.lower(),)
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in ("gov", "com", "org", "edu", "net") else 2
    return (".".join(labels[-keep:]),)


def body_from_titles(link_text: str | None, titles: list[str]) -> str | None:
    """The issuing body, from the column's report titles when they name it at greater length
    than the link did (`教育局` → `六安市金安区教育局`), else the link text."""
    prefixes = Counter(m.group(1) for t in titles if (m := re.match(r"^(.{2,40}?)(?:\d{4}|[〇○零一二三四五六七八九]{4})年", t)))
    for prefix, _n in prefixes.most_common():
        if link_text and link_text in prefix and BODY_NAME.search(prefix):
            return prefix
    return link_text


def qualify(body: str, owner: str | None) -> str:
    """A body a 信息公开目录 names without its place (教育局, 区教育局) under the place of the
    government running the site (六安市金安区人民政府 → 六安市金安区教育局); names with a place stay."""
    from extract.region import resolve_region

    if not owner or not owner.endswith("人民政府") or body == owner:
        return body
    place = owner.removesuffix("人民政府")
    if body.startswith(place) or resolve_region(body, None, {}).code:
        return body
    return place + re.sub(r"^[区县市](?=.{2})", "", body)
