"""Report specs (small, deterministic) and the ground truth derived from them.

A `ReportSpec` is a few dozen bytes of decisions (body, year, dates, template, quirks); the
statistics (`content()`) and the page bytes are regenerated from it on demand, so a
100,000-report testbed never holds pages in memory.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import lru_cache

from . import stats as S
from .geography import Body

STATS_KEYS = ("proactive_disclosed", "applications_received", "applications_carried_over",
              "granted", "partially_granted", "refused", "reconsideration_total",
              "litigation_total", "fees_collected")

CN_DIGITS = "〇一二三四五六七八九"


@dataclass(frozen=True, slots=True)
class ReportSpec:
    """Every decision about one report except its numbers."""

    idx: int
    seed: int
    body: Body
    year: int
    template: str  # 2021 | 2019 | legacy
    title: str
    published: dt.date
    pub_time: str  # HH:MM
    signed: dt.date | None
    sign_fmt: str  # arabic | chinese | dot | none
    index_no: str
    doc_no: str | None
    published_as: str = "html"  # html or a form of attachments.FORMS
    inconsistent: bool = False
    blank_zeros: bool = False
    word: int = 0  # 0 clean, 1 MsoNormal paste, 2 labels split per character/paragraph
    hosts: tuple[str, ...] = ()  # portals showing it, the issuer's own first
    charset_quirk: str = ""  # "" | wrong | missing (GBK portal only)
    revision: int = 0  # >0: edited in a later epoch (same URL, new numbers)
    reissue: int = 0  # >0: re-issued under a new URL in a later epoch

    @property
    def key(self) -> str:
        return f"{self.body.code}-{self.body.org_code}-{self.year}"

    @property
    def rng_seed(self) -> str:
        return f"{self.seed}:{self.key}" + (f":r{self.revision}" if self.revision else "")


def cn_date(d: dt.date) -> str:
    """二〇一七年三月一日"""
    return ("".join(CN_DIGITS[int(c)] for c in str(d.year)) + "年" + cn_int(d.month) + "月"
            + cn_int(d.day) + "日")


def cn_int(n: int) -> str:
    """Small integers in Chinese numerals (0–9999)."""
    if n == 0:
        return "零"
    units = ((1000, "千"), (100, "百"), (10, "十"))
    out, zero = "", False
    for u, name in units:
        q, n = divmod(n, u)
        if q:
            if zero:
                out += "零"
            out += ("" if (u == 10 and q == 1 and not out) else CN_DIGITS[q]) + name
            zero = False
        elif out:
            zero = True
    if n:
        out += ("零" if zero else "") + CN_DIGITS[n]
    return out


def format_signed(spec: ReportSpec) -> str | None:
    d = spec.signed
    if d is None:
        return None
    if spec.sign_fmt == "chinese":
        return cn_date(d)
    if spec.sign_fmt == "dot":
        return f"{d.year}.{d.month:02d}.{d.day:02d}"
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass
class Content:
    """The numbers of a report plus the wording choices that carry them."""

    std: S.StandardStats | None
    legacy: S.LegacyStats | None
    legacy_style: int
    variant: int  # picks among phrasings


@lru_cache(maxsize=4096)
def content(spec: ReportSpec) -> Content:
    rng = random.Random(spec.rng_seed)
    kind = spec.body.kind
    if spec.template == "legacy":
        styles = (0, 2) if kind in ("town", "dept") else (1, 2, 3)
        style = rng.choice(styles) if spec.year < 2016 else rng.choice((*styles, 3, 3))
        return Content(None, S.gen_legacy(rng, kind), style, rng.randrange(4))
    size = S.size_of(kind, rng)
    if kind == "town" and rng.random() < 0.4:
        size = 0.0
    na = rng.choice(("/", "/", "—", "不适用"))
    t3 = S.gen_t3(rng, spec.template, size)
    t4 = S.gen_t4(rng, size)
    if spec.blank_zeros:  # keep the headline cells printed (non-zero), sums intact
        for r in (S.GRANTED, S.DENY[1][3]):
            if t3[r][6] == 0:
                for row in (r, S.TOTAL, S.NEW):
                    t3[row][0] += 1
                    t3[row][6] += 1
        for g in (0, 5, 10):
            if t4[g + 4] == 0:
                t4[g] += 1
                t4[g + 4] += 1
    if spec.inconsistent:
        t3[S.TOTAL][6] += 7
        t3[S.GRANTED][6] += 2
    t2 = S.gen_t2(rng, spec.template, kind, na)
    proactive = rng.randint(40, 5000) if rng.random() < 0.6 else None
    r = rng.random()
    if spec.template == "2019" and r < 0.35:
        fees, phrase = None, "none"
    elif r < 0.7:
        fees, phrase = 0, rng.choice(("not_charged", "wu"))
    else:
        fees, phrase = rng.randint(1, 40) * 10, "charged"
    std = S.StandardStats(spec.template, t2, t3, t4, proactive, fees, phrase,
                          consistent=not spec.inconsistent, blank_zeros=spec.blank_zeros,
                          na_mark=na)
    return Content(std, None, 0, rng.randrange(4))


def _shown(v: int, blank: bool) -> int | None:
    return None if (blank and v == 0) else v


def truth_core(spec: ReportSpec) -> dict:
    """Truth fields that depend on the spec and numbers only (no paths)."""
    c = content(spec)
    cells: list[list] = []
    stats: dict[str, float | int | None] = dict.fromkeys(STATS_KEYS)
    if c.std is not None:
        st = c.std
        for _cap, heads, rows in st.t2:
            for label, vals in rows:
                for h, (_txt, v) in zip(heads, vals, strict=True):
                    cells.append(["二", label, h, v])
        for row in S.t3_rows(st.version):
            for col, v in zip(S.T3_COLS, st.t3[row], strict=True):
                cells.append(["三", row, col, _shown(v, st.blank_zeros)])
        for g, path in enumerate(S.T4_PATHS):
            for k, col in enumerate(S.T4_COLS):
                cells.append(["四", "", f"{path} {col}", _shown(st.t4[g * 5 + k], st.blank_zeros)])
        for k, v in prose_stated(spec, c).items():
            cells.append(["prose", k, "", v])
        deny = [st.t3[r][6] for r in S.DENY[1]]
        stats.update(
            proactive_disclosed=st.proactive,
            applications_received=st.t3[S.NEW][6],
            applications_carried_over=st.t3[S.CARRIED_IN][6],
            granted=st.t3[S.GRANTED][6], partially_granted=st.t3[S.PARTIAL][6],
            refused=sum(deny), reconsideration_total=st.t4[4],
            litigation_total=st.t4[9] + st.t4[14], fees_collected=st.fees)
        if st.blank_zeros:
            for k, r in (("applications_carried_over", S.CARRIED_IN),
                         ("partially_granted", S.PARTIAL)):
                if st.t3[r][6] == 0:
                    stats[k] = None
    else:
        lg = c.legacy
        assert lg is not None
        stats.update(
            proactive_disclosed=lg.proactive, applications_received=lg.received,
            granted=lg.granted, partially_granted=lg.partial, refused=lg.refused,
            reconsideration_total=lg.reconsideration, litigation_total=lg.litigation,
            fees_collected=lg.fees if legacy_states_fees(lg, c.legacy_style) else None)
        for k in STATS_KEYS:  # every figure is in the sentences except fees, said in a 收费
            if stats[k] is not None and (k != "fees_collected"  # section or in the 统计表
                                         or "fee" in LEGACY_TOPICS[c.legacy_style]):
                cells.append(["prose", k, "", stats[k]])
        if lg.table:
            for name, _unit, v in legacy_table_rows(lg, c.legacy_style):
                cells.append(["统计表", name, "数量", v])
    return {"stats": stats, "cells": cells}


def prose_stated(spec: ReportSpec, c: Content) -> dict[str, int]:
    """Figures a standard (2019/2021) report states in its sentences, as `document.build`
    words them: 主动公开 count (section 一), applications received (some variants), and the
    信息处理费 of section 六 (0 when it says none was charged)."""
    st = c.std
    assert st is not None
    out: dict[str, int] = {}
    if st.proactive is not None:
        out["proactive_disclosed"] = st.proactive
    if states_received(st, c):
        out["applications_received"] = st.t3[S.NEW][6]
    if st.fee_phrase == "charged":
        out["fees_collected"] = st.fees or 0
    elif st.fee_phrase in ("not_charged", "wu"):
        out["fees_collected"] = 0
    return out


def states_received(st: S.StandardStats, c: Content) -> bool:
    """Whether section 一（二） states the year's applications in a sentence."""
    return st.consistent and bool(st.t3[S.NEW][6]) and c.variant % 2 == 0


LEGACY_TOPICS = {0: ("pro", "req", "fee", "rev", "fix"),
                 1: ("work", "pro", "req", "consult", "rev", "fee", "work", "fix"),
                 2: ("work", "pro", "req", "fee", "rev", "fix", "note"),
                 3: ("work", "pro", "resp", "req", "rev", "org", "train", "fix")}


def legacy_states_fees(lg: S.LegacyStats, style: int) -> bool:
    """A legacy report states its fees in a 收费 section or in its 统计表 (style 3 has neither
    section, so without a 统计表 its fees are not stated)."""
    return "fee" in LEGACY_TOPICS[style] or lg.table


def legacy_table_rows(lg: S.LegacyStats, style: int) -> list[tuple[str, str, int | float]]:
    """The 统计表 (指标名称, 计量单位, value) of a legacy report."""
    rows = [
        ("主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "条", lg.proactive),
        ("其中：主动公开规范性文件数", "条", max(0, (lg.proactive or 0) // 40)),
        ("收到申请数", "件", lg.received),
        ("1.当面申请数", "件", lg.channels[0]),
        ("2.网络申请数", "件", lg.channels[1]),
        ("3.信函申请数", "件", lg.channels[2]),
        ("同意公开答复数", "件", lg.granted),
        ("同意部分公开答复数", "件", lg.partial),
        ("不同意公开答复数", "件", lg.refused),
        ("行政复议数量", "件", lg.reconsideration),
        ("行政诉讼数量", "件", lg.litigation),
        ("依申请公开信息收取的费用", "万元", 0),
    ]
    return rows
