"""Which reports exist: bodies × years → ReportSpecs, with the hand-placed special cases
(attachment-only, inconsistent, blank zeros, re-posts, charset quirks) at fixed spots."""

from __future__ import annotations

import datetime as dt
import random

from .geography import Body, base_bodies, extra_body
from .reports import ReportSpec

SPECIAL: dict[tuple[str, int], dict] = {
    ("舒城县城关镇人民政府", 2020): {"published_as": "pdf"},
    ("沭阳县沭城街道办事处", 2022): {"published_as": "docx"},
    # report documents of every form (simportals/attachments.py FORMS)
    ("宁波市北仑区人民政府办公室", 2023): {"published_as": "pdf"},
    ("沭阳县人民政府", 2023): {"published_as": "scan"},
    ("舒城县人民政府", 2023): {"published_as": "searchable"},
    ("宁波市北仑区教育局", 2022): {"published_as": "ofd"},
    ("宁波市北仑区人民政府", 2023): {"published_as": "pictures"},
    ("舒城县城关镇人民政府", 2017): {"published_as": "jpg"},  # a short pre-2019 report: OCR is slow
    ("沭阳县发展和改革局", 2017): {"published_as": "tiff"},  # two pages, short: OCR is slow
    ("舒城县财政局", 2021): {"published_as": "odt"},
    ("宁波市北仑区发展和改革局", 2022): {"published_as": "doc"},
    ("舒城县人民政府", 2022): {"published_as": "wps"},
    ("沭阳县发展和改革局", 2023): {"published_as": "xls"},
    ("宁波市北仑区发展和改革局", 2020): {"inconsistent": True},
    ("沭阳县人民政府", 2019): {"blank_zeros": True},
    ("沭阳县发展和改革局", 2021): {"template": "2019"},  # a 2021 report keeping the 2019 format
    ("舒城县财政局", 2017): {"charset_quirk": "wrong"},
    ("舒城县人民政府", 2016): {"charset_quirk": "missing"},
}
# reports shown on portals other than (or besides) their issuer's own site
REPOSTS: dict[tuple[str, int], tuple[str, ...]] = {
    ("宁波市人民政府", 2021): ("beilun", "xinqi"),
    ("宿迁市人民政府", 2020): ("shuyang",),
    ("宁波市北仑区人民政府", 2022): ("beilun", "xinqi"),
}
# "evolve between runs": what changes from one epoch to the next (Testbed.evolution())
# epoch 1 (vs 0)
EVOLVE_EDITED = ("宁波市北仑区教育局", 2021)  # numbers change, URL kept
EVOLVE_DELETED = ("舒城县财政局", 2019)  # page gone (404), dropped from the column
EVOLVE_ADDED = ("宁波市北仑区发展和改革局", 2024)  # a new report appears
EVOLVE_REISSUED = ("沭阳县发展和改革局", 2022)  # same report under a new URL (old URL 404)
# epoch 2 (vs 1); everything of epoch 1 stays as it is at epoch 1
EVOLVE2_EDITED = ("宁波市北仑区人民政府办公室", 2022)  # numbers change, URL kept
EVOLVE2_GONE = ("沭阳县沭城街道办事处", 2020)  # withdrawn: 410 Gone, dropped from the column
LAST_EPOCH = 2  # later epochs equal epoch 2 (only the generation comment changes)
GONE_STATUS = {EVOLVE_DELETED: 404, EVOLVE2_GONE: 410}
EVOLUTION: dict[int, dict[str, tuple[tuple[str, int], ...]]] = {
    1: {"edited": (EVOLVE_EDITED,), "deleted": (EVOLVE_DELETED,), "added": (EVOLVE_ADDED,),
        "reissued": (EVOLVE_REISSUED,)},
    2: {"edited": (EVOLVE2_EDITED,), "deleted": (EVOLVE2_GONE,), "added": (), "reissued": ()},
}


def changes_until(epoch: int, kind: str) -> set[tuple[str, int]]:
    """(body, year) pairs changed by `kind` in epochs 1..epoch."""
    return {x for e in range(1, min(epoch, LAST_EPOCH) + 1) for x in EVOLUTION[e][kind]}


def edit_epoch(pair: tuple[str, int], epoch: int) -> int:
    """The epoch of the latest edit of a report up to `epoch` (0: never edited)."""
    return max((e for e in range(1, min(epoch, LAST_EPOCH) + 1) if pair in EVOLUTION[e]["edited"]),
               default=0)


_ABBR = {"北仑区": "仑", "沭阳县": "沭", "舒城县": "舒", None: ""}
_CITY_ABBR = {"宁波市": "甬", "宿迁市": "宿"}


def _title(b: Body, y: int, rng: random.Random, legacy: bool) -> str:
    tail = "政府信息公开年度报告" if legacy and rng.random() < 0.3 else "政府信息公开工作年度报告"
    du = "年度" if rng.random() < 0.3 else "年"
    if b.kind in ("gov", "city"):
        who = b.short if rng.random() < 0.5 else b.name
    elif b.kind == "town":
        who = b.short if rng.random() < 0.7 else b.name
    else:
        who = b.name
    return f"{who}{y}{du}{tail}"


def _published(b: Body, y: int, rng: random.Random, legacy: bool) -> dt.date:
    if rng.random() < 0.05:
        return dt.date(y + 1, rng.randint(4, 10), rng.randint(1, 28))
    if not legacy and b.kind in ("dept", "office", "town"):
        return dt.date(y + 1, 1, rng.randint(8, 31))
    start = dt.date(y + 1, 1, 10) if legacy else dt.date(y + 1, 2, 1)
    return start + dt.timedelta(days=rng.randint(0, (dt.date(y + 1, 3, 31) - start).days))


def _index_no(b: Body, portal: str, pub: dt.date, rng: random.Random) -> str:
    seq = rng.randint(1, 2999)
    if portal == "shuyang":
        return f"{b.credit_code}/{pub.year}-{seq:05d}"
    if portal == "shucheng":
        return f"{b.org_code}/{pub.year}{pub.month:02d}-{seq:05d}"
    return f"{b.org_code}/{pub.year}-{seq:05d}"


def _doc_no(b: Body, pub: dt.date, rng: random.Random) -> str | None:
    if rng.random() > 0.15:
        return None
    if b.kind == "city":
        abbr = _CITY_ABBR.get(b.prefecture, "市") + "政办发"
    elif b.kind in ("gov", "office"):
        abbr = _ABBR.get(b.county, "") + "政办"
    elif b.kind == "town":
        abbr = (b.township or "")[:2] + ("街" if (b.township or "").endswith("街道") else "政")
    else:
        abbr = _ABBR.get(b.county, "") + b.name[len(b.name) - len(b.short) + 3:][:2]
    return f"{abbr}〔{pub.year}〕{rng.randint(1, 60)}号"


def make_spec(idx: int, seed: int, b: Body, y: int, epoch: int = 0) -> ReportSpec:
    rng = random.Random(f"{seed}:{b.name}:{y}")
    special = SPECIAL.get((b.name, y), {})
    template = special.get("template") or ("legacy" if y <= 2018 else "2019" if y <= 2020 else "2021")
    legacy = template == "legacy"
    pub = _published(b, y, rng, legacy)
    hosts = REPOSTS.get((b.name, y)) or ((b.portal,) if b.portal else ())
    signed: dt.date | None = pub - dt.timedelta(days=rng.randint(0, 15))
    if legacy and rng.random() < 0.15:
        signed = dt.date(y, 12, rng.randint(26, 31))
    elif signed < dt.date(y + 1, 1, 1):
        signed = dt.date(y + 1, 1, rng.randint(2, 6))
    fmt = rng.choice(("arabic", "chinese", "dot") if legacy else ("arabic", "arabic", "chinese"))
    if rng.random() < 0.2:
        signed, fmt = None, "none"
    return ReportSpec(
        idx=idx, seed=seed, body=b, year=y, template=template,
        title=_title(b, y, rng, legacy), published=pub,
        pub_time=f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}",
        signed=signed, sign_fmt=fmt, index_no=_index_no(b, hosts[0] if hosts else "", pub, rng),
        doc_no=_doc_no(b, pub, rng), published_as=special.get("published_as", "html"),
        inconsistent=special.get("inconsistent", False),
        blank_zeros=special.get("blank_zeros", False),
        word=rng.choices((0, 1, 2), (5, 3, 2))[0], hosts=hosts,
        charset_quirk=special.get("charset_quirk", ""),
        revision=edit_epoch((b.name, y), epoch),
        reissue=1 if (b.name, y) in changes_until(epoch, "reissued") else 0)


def bodies(seed: int, scale: int) -> list[Body]:
    out = base_bodies()
    for portal in ("beilun", "shuyang", "shucheng"):
        for i in range(max(0, scale - 1) * 4):
            first = 2013 + random.Random(f"{seed}:{portal}:{i}").randint(0, 4)
            out.append(extra_body(portal, i, first))
    return out


def plan(seed: int, scale: int, epoch: int = 0) -> list[ReportSpec]:
    """Every report of the epoch. `idx` counts every (body, year) slot, including deleted
    reports and the year after a body's last one, so reports keep their idx (and pages their
    layout) when others appear or vanish between epochs."""
    specs: list[ReportSpec] = []
    added, deleted = changes_until(epoch, "added"), changes_until(epoch, "deleted")
    idx = 0
    for b in bodies(seed, scale):
        for y in range(b.first_year, b.last_year + 2):
            idx += 1
            if (b.name, y) in deleted or (y > b.last_year and (b.name, y) not in added):
                continue
            specs.append(make_spec(idx - 1, seed, b, y, epoch))
    return specs
