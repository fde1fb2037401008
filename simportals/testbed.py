"""The testbed: portals, their column items and paths, and `page()` rendering any page on
demand from small specs (no server needed)."""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlsplit

from . import pages
from .attachments import extension
from .geography import Body
from .plan import bodies, changes_until, make_spec, plan
from .portals import MIRROR, PORTALS, PortalSpec, portal_set
from .reports import ReportSpec, truth_core

Response = tuple[int, list[tuple[str, str]], bytes]

NON_REPORTS: dict[str, list[tuple[str, str, str]]] = {
    "beilun": [("北仑区召开2023年政务公开工作推进会", "news", "2023-04-12 09:30"),
               ("一图读懂北仑区2023年政府信息公开工作年度报告", "graphic", "2024-03-30 16:05"),
               ("《宁波市北仑区2022年政府信息公开工作年度报告》解读", "interpretation",
                "2023-03-29 10:12")],
    "shuyang": [("关于2014年政府信息公开工作要点落实情况的函", "letter", "2014-12-10 11:20"),
                ("沭阳县举办2021年度政务公开业务培训班", "news", "2021-06-18 15:40"),
                ("一图读懂沭阳县2020年政府信息公开工作年度报告", "graphic", "2021-03-26 17:02")],
    "shucheng": [("舒城县2019年政府信息公开工作年度报告解读", "interpretation", "2020-03-30 09:00"),
                 ("舒城县开展政府信息公开工作专项检查", "news", "2018-09-05 14:25")],
    "xinqi": [("新碶街道召开2022年政务公开工作会议", "news", "2022-05-10 10:00"),
              ("一图读懂新碶街道2021年政府信息公开工作年度报告", "graphic", "2022-02-20 08:45")],
}
_ID_BASE = {"beilun": 2748000, "shuyang": 5412000, "shucheng": 3301000, "xinqi": 10000}


@dataclass(slots=True)
class Item:
    """One entry of a report column: a report (or re-post) or a non-report."""

    portal: str
    id: int
    when: str  # YYYY-MM-DD HH:MM shown on this portal
    title: str
    path: str
    spec: ReportSpec | None = None
    other_kind: str = ""  # news | graphic | interpretation | letter
    attachment: str = ""  # path of the attachment when the report is published only as one
    repost: bool = False


def detail_path(p: PortalSpec, id_: int, when: str) -> str:
    y, m, d = when[:4], when[5:7], when[8:10]
    if p.cms == "trs":
        return f"{p.column_dir}{y}{m}/t{y}{m}{d}_{id_}.html"
    if p.cms == "hanweb":
        return f"/art/{y}/{int(m)}/{int(d)}/art_{p.col_id}_{id_}.html"
    if p.base == "shucheng":
        return f"/OpennessContent/show/{id_}.html"
    return f"{p.column_dir}content/post_{id_}.html"


def attachment_path(p: PortalSpec, id_: int, when: str, ext: str) -> str:
    stamp = when[:10].replace("-", "")
    if p.cms == "trs":
        return f"{p.column_dir}{stamp[:6]}/P0{stamp}{id_:08d}.{ext}"
    if p.cms == "hanweb":
        return f"/module/download/downfile.jsp?classid=0&filename={stamp}{id_:06x}.{ext}"
    return f"/group1/M00/00/{id_ % 256:02X}/{stamp}{id_:08x}.{ext}"


class Testbed:
    """Deterministic set of simulated portals with known ground truth."""

    def __init__(self, seed: int = 0, scale: int = 1, epoch: int = 0,
                 hosts: int = len(PORTALS)) -> None:
        self.seed, self.scale, self.epoch, self.n_hosts = seed, scale, epoch, hosts
        specs = plan(seed, scale, epoch)
        base = None if hosts == len(PORTALS) else Testbed(seed, scale)  # epoch 0, the four portals
        # Extra hosts follow epoch 0's pages, so a report keeps its host in every epoch.
        self.portals: list[PortalSpec] = portal_set(hosts, base and base.pages_per_portal())
        self.mirror: PortalSpec = MIRROR
        self.by_name = {p.name: p for p in [*self.portals, MIRROR]}
        self.hosts: dict[str, str] = {p.name: p.domain for p in [*self.portals, MIRROR]}
        self.family: dict[str, list[str]] = {}
        for p in self.portals:
            self.family.setdefault(p.base, []).append(p.name)
        self._turns = self._host_turns(base.specs) if base else {}
        self.specs: list[ReportSpec] = [self._spread(s) for s in specs]
        self.columns: dict[str, list[Item]] = {p.name: [] for p in self.portals}
        self.locations: dict[int, list[Item]] = {}
        self.paths: dict[tuple[str, str], Item] = {}
        self.mirror_items: list[tuple[str, ReportSpec, str]] = []  # (path, spec, brand)
        # (portal, path) of reports gone since epoch 0 -> status (404 deleted or old URL of a
        # re-issued report, 410 withdrawn)
        self.gone: dict[tuple[str, str], int] = {}
        self._layout()
        self._gone()

    def pages_per_portal(self) -> Counter[str]:
        """Pages a complete crawl fetches from each portal (assets and the mirror left out)."""
        return Counter(portal for portal, _path, kind in self.iter_pages()
                       if kind != "asset" and portal != self.mirror.name)

    def _host_turns(self, first: list[ReportSpec]) -> dict[tuple[str, str], int]:
        """(report key, family) → the report's turn among its family's reports (by key), so
        the family's hosts take them in turn: evenly, where a hash would leave some crowded."""
        turns: dict[tuple[str, str], int] = {}
        taken: Counter[str] = Counter()
        for spec in sorted(first, key=lambda s: s.key):
            for family in dict.fromkeys(spec.hosts):
                turns[(spec.key, family)] = taken[family]
                taken[family] += 1
        return turns

    def _spread(self, spec: ReportSpec) -> ReportSpec:
        """With extra hosts, put each report on one host of its portal's family, in turn."""
        if len(self.portals) == len(PORTALS):
            return spec
        hashed = int.from_bytes(hashlib.md5(spec.key.encode()).digest()[:4])  # reports added later

        def host(name: str) -> str:
            names = self.family[name]
            return names[self._turns.get((spec.key, name), hashed) % len(names)]

        body = spec.body
        if body.portal:
            body = replace(body, portal=host(body.portal))
        return replace(spec, body=body, hosts=tuple(host(h) for h in spec.hosts))

    def _item_id(self, spec: ReportSpec, portal: str) -> int:
        # ids depend on the report, not on list position, so pages keep their URLs
        # when other reports appear or vanish between epochs
        h = hashlib.md5(f"{spec.key}:{portal}:{spec.reissue}".encode()).digest()
        return _ID_BASE[self.by_name[portal].base] + int.from_bytes(h[:4]) % 900_000

    def _gone(self) -> None:
        """URLs reports had in earlier epochs and no longer have (see `evolution()`)."""
        from .plan import GONE_STATUS

        if not self.epoch:
            return
        by_name: dict[str, Body] = {b.name: b for b in bodies(self.seed, self.scale)}
        olds = []
        for pair in changes_until(self.epoch, "deleted"):
            if pair[0] in by_name:
                olds.append((make_spec(0, self.seed, by_name[pair[0]], pair[1], 0),
                             GONE_STATUS.get(pair, 404)))
        for pair in changes_until(self.epoch, "reissued"):
            if pair[0] in by_name:
                olds.append((make_spec(0, self.seed, by_name[pair[0]], pair[1], 0), 404))
        for spec, status in olds:
            spec = self._spread(spec)
            for k, portal in enumerate(spec.hosts):
                p = self.by_name[portal]
                id_ = self._item_id(spec, portal)
                when = f"{(spec.published + dt.timedelta(days=3 * k)).isoformat()} {spec.pub_time}"
                self.gone[(portal, detail_path(p, id_, when))] = status
                if spec.published_as != "html":
                    self.gone[(portal, attachment_path(p, id_, when, extension(spec.published_as)))] = status

    # ---- layout -------------------------------------------------------------------
    def _layout(self) -> None:
        counters = {p.name: _ID_BASE[p.base] for p in self.portals}
        used: set[tuple[str, int]] = set()
        for spec in self.specs:
            for k, portal in enumerate(spec.hosts):
                p = self.by_name[portal]
                counters[portal] = self._item_id(spec, portal)
                while (portal, counters[portal]) in used:
                    counters[portal] += 1
                used.add((portal, counters[portal]))
                pub = spec.published + dt.timedelta(days=3 * k)
                when = f"{pub.isoformat()} {spec.pub_time}"
                it = Item(portal, counters[portal], when, spec.title, "", spec, repost=k > 0 or
                          spec.body.portal != portal)
                it.path = detail_path(p, it.id, when)
                if spec.published_as != "html":
                    it.attachment = attachment_path(p, it.id, when, extension(spec.published_as))
                    self.paths[(portal, it.attachment)] = it
                self.columns[portal].append(it)
                self.locations.setdefault(spec.idx, []).append(it)
                self.paths[(portal, it.path)] = it
        extra = []
        if self.scale > 1:
            for spec in self.specs[::23]:
                if spec.body.portal and self.by_name[spec.body.portal].base in (
                        "beilun", "shuyang", "shucheng") and spec.body.kind != "gov":
                    when = f"{spec.year}-0{spec.idx % 9 + 1}-1{spec.idx % 9} 10:00"
                    extra.append((spec.body.portal, (f"{spec.body.short}召开{spec.year}年政务公开工作推进会",
                                                     "news", when)))
        others = [(p, t) for p, ts in NON_REPORTS.items() for t in ts] + extra
        for n, (portal, (title, kind, when)) in enumerate(others):
            p = self.by_name[portal]
            counters[portal] = _ID_BASE[p.base] + 900_000 + 7 * n
            it = Item(portal, counters[portal], when, title, "", other_kind=kind)
            it.path = detail_path(p, it.id, when)
            self.columns[portal].append(it)
            self.paths[(portal, it.path)] = it
        for items in self.columns.values():
            items.sort(key=lambda i: (i.when, i.id), reverse=True)
        # Looked up on every detail page: by key, not by scanning a column of 100,000 items.
        self.position: dict[tuple[str, str], int] = {}  # (portal, path) → place in its column
        self.same_body: dict[tuple[str, Body], list[Item]] = {}  # a body's reports, column order
        for portal, items in self.columns.items():
            for pos, it in enumerate(items):
                self.position[(portal, it.path)] = pos
                if it.spec is not None:
                    self.same_body.setdefault((portal, it.spec.body), []).append(it)
        picks = [s for s in self.specs if s.template == "2021" and s.published_as == "html"
                 and s.body.portal and self.by_name[s.body.portal].base in ("beilun", "shuyang")][:3]
        for n, spec in enumerate(picks):
            stamp = spec.published.strftime("%Y%m%d")
            path = f"/zgsr/gknb/{stamp[:6]}/t{stamp}_{6080719 + n * 37}.shtml"
            self.mirror_items.append((path, spec, pages.BRANDS[n % len(pages.BRANDS)]))

    # ---- public API ---------------------------------------------------------------
    @property
    def reports(self) -> Sequence[dict] | list:
        if self.scale == 1:
            return [self.truth(s) for s in self.specs]
        return LazyReports(self)

    @property
    def non_reports(self) -> list[tuple[str, str]]:
        return [(i.portal, i.path) for items in self.columns.values() for i in items
                if i.spec is None]

    def url(self, portal: str, path: str) -> str:
        return f"http://{self.hosts[portal]}{path}"

    def truth(self, spec: ReportSpec):
        from . import ReportTruth

        locs = self.locations.get(spec.idx, [])
        return ReportTruth.from_spec(spec, truth_core(spec), locs)

    def iter_truth(self) -> Iterator:
        for s in self.specs:
            yield self.truth(s)

    def truth_json(self) -> dict:
        return {
            "seed": self.seed, "scale": self.scale, "epoch": self.epoch, "hosts": self.n_hosts,
            "evolution": self.evolution(),
            "portals": [{"name": p.name, "title": p.title, "region": p.region, "cms": p.cms,
                         "encoding": p.encoding, "column_path": p.column_path}
                        for p in self.portals],
            "mirror": {"name": MIRROR.name, "paths": [m[0] for m in self.mirror_items]},
            "reports": [t.to_json() for t in self.iter_truth()],
            "non_reports": [list(x) for x in self.non_reports],
        }

    def evolution(self) -> dict:
        """What changed from the previous epoch (epoch 0: nothing), for incremental-crawl tests.

        Report keys (vs epoch - 1): `edited` (same URL, new statistics and text), `deleted`
        (URL answers `deleted_status[key]`: 404 at epoch 1, 410 Gone at epoch 2; gone from
        the listing), `added` (new URL, listed first), `reissued` (same report, new URL; the
        old URL answers 404). `urls` gives the [portal, path]s. `cumulative` lists the same
        kinds against epoch 0. Every epoch >= 1 also: every text/html page carries a
        generation comment naming the epoch, so its bytes (and ETag) change between epochs
        while its text does not (`bytes_only`); `flaky`: the GBK portal answers 503 (Retry-After
        1) to the first request of each path (robots.txt excepted), again from the start of
        every epoch; `trap`: the xinqi listing links an endless calendar; `pager_trap`: xinqi's
        listing pager never ends (every page past the last is empty and links the next). Epochs after 2 equal
        epoch 2 except the comment. `page_changes()` classifies every page exactly.
        """
        from .pages import TRAP
        from .plan import EVOLUTION, GONE_STATUS, LAST_EPOCH

        e = self.epoch
        names = {b.name: b for b in bodies(self.seed, self.scale)}

        def key(pair: tuple[str, int]) -> str | None:
            b = names.get(pair[0])
            return f"{b.code}-{b.org_code}-{pair[1]}" if b else None

        def keys(pairs) -> list[str]:
            return sorted(k for k in map(key, pairs) if k)

        step = EVOLUTION.get(e, {}) if 0 < e <= LAST_EPOCH else {}
        out: dict = {k: keys(step.get(k, ())) for k in ("edited", "deleted", "added",
                                                       "reissued")}
        out["epoch"] = e
        out["deleted_status"] = {key(p): GONE_STATUS.get(p, 404) for p in step.get("deleted", ())
                                 if key(p)}
        locs = {t.key: t.locations for t in (self.truth(s) for s in self.specs)
                if t.key in out["edited"] + out["added"] + out["reissued"]}
        gone_by_status: dict[int, list[list[str]]] = {}
        for (portal, path), status in sorted(self.gone.items()):
            gone_by_status.setdefault(status, []).append([portal, path])
        out["urls"] = {
            "edited": [loc for k in out["edited"] for loc in locs.get(k, [])],
            "added": [loc for k in out["added"] for loc in locs.get(k, [])],
            "reissued": [loc for k in out["reissued"] for loc in locs.get(k, [])],
            "gone_404": gone_by_status.get(404, []),  # deleted reports and pre-reissue URLs
            "gone_410": gone_by_status.get(410, []),  # withdrawn reports
        }
        out["cumulative"] = {k: keys(changes_until(e, k)) for k in ("edited", "deleted", "added",
                                                                     "reissued")}
        out["bytes_only"] = ("every text/html page whose text is unchanged" if e else "")
        out["flaky"] = ({"portal": "shucheng", "status": 503, "fails_per_path": 1,
                         "retry_after": 1, "except": ["/robots.txt"]} if e else None)
        trap_listing = self.listing_paths("xinqi")[0]
        out["trap"] = ({"portal": "xinqi", "path": TRAP, "pattern": TRAP + "?date=YYYY-MM-DD",
                        "linked_from": trap_listing, "first": TRAP + "?date=2024-01-01"}
                       if e else None)
        xinqi = self.by_name["xinqi"]
        last = max(1, -(-len(self.columns["xinqi"]) // xinqi.per_page))
        out["pager_trap"] = ({"portal": "xinqi", "path": xinqi.column_path, "last_page": last,
                              "pattern": xinqi.column_path + "?page=N, N > last_page: empty, with 下一页",
                              "first": f"{xinqi.column_path}?page={last + 1}"} if e else None)
        return out

    def page_changes(self, previous: Testbed | None = None) -> dict[str, list[list[str]]]:
        """Every page of this epoch or `previous` (default: epoch - 1, same seed/scale/hosts)
        classified: `same` bytes, `bytes_only` (text equal once the generation comment is
        dropped), `changed` (text differs), `new` (404/410 before, 200 now), `gone` (200 before,
        not now). Renders every page twice: meant for small scales."""
        import re

        if previous is None:
            previous = Testbed(self.seed, self.scale, max(0, self.epoch - 1), self.n_hosts)
        comment = re.compile(rb"<!-- [^>]*epoch \d+ -->\n")
        pages = {(p, path) for p, path, _k in self.iter_pages()}
        pages |= {(p, path) for p, path, _k in previous.iter_pages()}
        out: dict[str, list[list[str]]] = {k: [] for k in ("same", "bytes_only", "changed",
                                                           "new", "gone")}
        for portal, path in sorted(pages):
            now, before = self.page(portal, path), previous.page(portal, path)
            if now[0] != 200 or before[0] != 200:
                if now[0] == 200:
                    out["new"].append([portal, path])
                elif before[0] == 200:
                    out["gone"].append([portal, path])
                continue
            if now[2] == before[2]:
                kind = "same"
            else:
                kind = ("bytes_only" if comment.sub(b"", now[2], 1) == comment.sub(b"", before[2], 1)
                        else "changed")
            out[kind].append([portal, path])
        return out

    def listing_paths(self, portal: str) -> list[str]:
        p = self.by_name[portal]
        n = max(1, -(-len(self.columns[portal]) // p.per_page))
        if p.cms == "trs":
            return [p.column_path] + [f"{p.column_dir}index_{k}.html" for k in range(1, n)]
        if p.cms == "hanweb":
            return [p.column_path]
        if p.base == "shucheng":
            return [f"{p.column_dir}page_{k}.html" for k in range(1, n + 1)]
        return [p.column_path] + [f"{p.column_path}?page={k}" for k in range(2, n + 1)]

    def iter_pages(self) -> Iterator[tuple[str, str, str]]:
        for p in self.portals:
            for path in self.listing_paths(p.name):
                yield p.name, path, "listing"
            for it in self.columns[p.name]:
                yield p.name, it.path, "report" if it.spec else "other"
                if it.attachment:
                    yield p.name, it.attachment, "attachment"
            for path in pages.ASSETS:
                yield p.name, path, "asset"
        for path, _s, _b in self.mirror_items:
            yield MIRROR.name, path, "other"
        yield MIRROR.name, MIRROR.column_path, "listing"

    def page(self, portal: str, path: str, method: str = "GET",
             form: dict | None = None) -> Response:
        status, ctype, body, when = pages.render(self, portal, path, method, form or {})
        headers = [("Content-Type", ctype)]
        if status == 200 and self.by_name[portal].validators:
            headers.append(("ETag", '"' + hashlib.md5(body).hexdigest()[:20] + '"'))
            if when:
                stamp = dt.datetime.strptime(when[:16], "%Y-%m-%d %H:%M").replace(
                    tzinfo=dt.timezone(dt.timedelta(hours=8)))
                headers.append(("Last-Modified", email.utils.format_datetime(
                    stamp.astimezone(dt.UTC), usegmt=True)))
        return status, headers, body

    def lookup(self, portal: str, path: str) -> Item | None:
        return self.paths.get((portal, path))

    @staticmethod
    def split(path: str) -> tuple[str, dict[str, list[str]]]:
        u = urlsplit(path)
        return u.path, parse_qs(u.query)


class LazyReports(Sequence):
    """Truth generated per report on access, for large scales."""

    def __init__(self, tb: Testbed) -> None:
        self.tb = tb

    def __len__(self) -> int:
        return len(self.tb.specs)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self.tb.truth(s) for s in self.tb.specs[i]]
        return self.tb.truth(self.tb.specs[i])

    def __iter__(self):
        return self.tb.iter_truth()
