"""Statistics of a report: the national tables (2019/2021) and legacy figures, with sums that
hold by construction (except where a report is told to be inconsistent).

Labels are the exact national-template labels (ogi-format §1.2–1.4); they are both what the
renderer prints and what the ground truth records.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

T3_COLS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
NEW = "一、本年新收政府信息公开申请数量"
CARRIED_IN = "二、上年结转政府信息公开申请数量"
RESULTS = "三、本年度办理结果"
GRANTED = "（一）予以公开"
PARTIAL = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
DENY = ("（三）不予公开", ("1.属于国家秘密", "2.其他法律行政法规禁止公开",
                        "3.危及“三安全一稳定”", "4.保护第三方合法权益", "5.属于三类内部事务信息",
                        "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"))
UNABLE = ("（四）无法提供", ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作",
                         "3.补正后申请内容仍不明确"))
NOPROC = ("（五）不予处理", ("1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物",
                         "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息"))
OTHER_2021 = ("（六）其他处理", (
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"))
OTHER_2019 = "（六）其他处理"
TOTAL = "（七）总计"
CARRIED_OUT = "四、结转下年度继续办理"
T4_GROUPS = ("行政复议", "未经复议直接起诉", "复议后起诉")
# table 四's printed header path above each group of five columns (codebook: joined by spaces)
T4_PATHS = ("行政复议", "行政诉讼 未经复议直接起诉", "行政诉讼 复议后起诉")
T4_COLS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

# relative frequency of each result row (leaf), and of each applicant column
_LEAF_WEIGHT = {GRANTED: 0.40, PARTIAL: 0.08, UNABLE[1][0]: 0.22, UNABLE[1][1]: 0.04,
                UNABLE[1][2]: 0.02, NOPROC[1][0]: 0.05, NOPROC[1][1]: 0.03, OTHER_2019: 0.05,
                OTHER_2021[1][0]: 0.03, OTHER_2021[1][2]: 0.02}
_DENY_WEIGHT = (0.005, 0.005, 0.004, 0.02, 0.01, 0.02, 0.004, 0.01)
_COL_WEIGHT = (0.76, 0.12, 0.01, 0.01, 0.04, 0.06)

Cell = tuple[str, float | int | None]  # (printed text, value)


def t3_leaves(version: str) -> list[str]:
    other = list(OTHER_2021[1]) if version == "2021" else [OTHER_2019]
    return [GRANTED, PARTIAL, *DENY[1], *UNABLE[1], *NOPROC[1], *other]


def t3_rows(version: str) -> list[str]:
    return [NEW, CARRIED_IN, *t3_leaves(version), TOTAL, CARRIED_OUT]


@dataclass
class StandardStats:
    """Numbers of a 2019/2021-format report as printed."""

    version: str
    t2: list[tuple[str, list[str], list[tuple[str, list[Cell]]]]]  # caption, headers, rows
    t3: dict[str, list[int]]  # row label -> 7 values (as printed, before blanking)
    t4: list[int]  # 15 values
    proactive: int | None  # stated in section 二's prose, or None
    fees: int | None  # 信息处理费 (元) stated in section 六, or None
    fee_phrase: str = ""
    consistent: bool = True
    blank_zeros: bool = False
    na_mark: str = "/"


def _draw(rng: random.Random, mu: float) -> int:
    base = int(mu * rng.uniform(0.6, 1.4))
    frac = mu * rng.uniform(0.6, 1.4) - base
    return max(0, base + (1 if rng.random() < frac else 0))


def gen_t3(rng: random.Random, version: str, size: float) -> dict[str, list[int]]:
    rows: dict[str, list[int]] = {}
    for i, leaf in enumerate(t3_leaves(version)):
        w = _LEAF_WEIGHT.get(leaf)
        if w is None:
            w = _DENY_WEIGHT[DENY[1].index(leaf)] if leaf in DENY[1] else 0.005
        rows[leaf] = [_draw(rng, size * w * cw) if (c == 0 or rng.random() < 0.6) else 0
                      for c, cw in enumerate(_COL_WEIGHT)]
        if i == 0 and size >= 3 and rows[leaf][0] == 0:
            rows[leaf][0] = 1
    leaves = list(rows)
    total = [sum(rows[r][c] for r in leaves) for c in range(6)]
    out = [_draw(rng, t * 0.06) for t in total]
    cin = [min(_draw(rng, t * 0.05), t + o) for t, o in zip(total, out, strict=True)]
    new = [t + o - i for t, o, i in zip(total, out, cin, strict=True)]
    table = {NEW: new, CARRIED_IN: cin, **rows, TOTAL: total, CARRIED_OUT: out}
    return {r: [*v, sum(v)] for r, v in ((r, table[r]) for r in t3_rows(version))}


def gen_t4(rng: random.Random, size: float) -> list[int]:
    vals: list[int] = []
    for g in range(3):
        mu = size * (0.03, 0.012, 0.006)[g]
        four = [_draw(rng, mu * w) for w in (0.6, 0.15, 0.15, 0.1)]
        vals += [*four, sum(four)]
    return vals


def _signed(n: int) -> str:
    return f"+{n}" if n > 0 else str(n)


def gen_t2(rng: random.Random, version: str, kind: str, na: str) -> list:
    """Table 二 blocks: (caption, column headers, [(row label, [cells])])."""
    can_rule = kind == "city"
    big = kind in ("gov", "city")

    def n(lo: int, hi: int) -> Cell:
        v = rng.randint(lo, hi)
        return (str(v), v)

    rule = [n(0, 3), n(0, 2), n(5, 60)] if can_rule else [(na, None)] * 3
    if version == "2021":
        fee = round(rng.uniform(0, 900 if big else 40), 2) if rng.random() < 0.8 else 0
        return [
            ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
             [("规章", rule), ("行政规范性文件", [n(0, 25 if big else 4), n(0, 6), n(3, 120)])]),
            ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", [n(0, 40000 if big else 800)])]),
            ("第二十条第（六）项", ["本年处理决定数量"],
             [("行政处罚", [n(0, 3000 if big else 300)]), ("行政强制", [n(0, 200 if big else 20)])]),
            ("第二十条第（八）项", ["本年收费金额（单位：万元）"],
             [("行政事业性收费", [(f"{fee:.2f}" if fee else "0", fee)])]),
        ]

    def ch(lo: int, hi: int) -> list[Cell]:
        prev, d = rng.randint(lo, hi), rng.randint(-5, 8)
        return [(str(prev), prev), (_signed(d), d), *([n(0, hi * 3)] if hi else [])]

    amount = rng.randint(2, 900) * 1000
    return [
        ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
         [("规章", rule), ("规范性文件", [n(0, 12), n(0, 12), n(10, 300)])]),
        ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政许可", ch(20, 400)), ("其他对外管理服务事项", ch(0, 60))]),
        ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政处罚", ch(10, 900)), ("行政强制", ch(0, 40))]),
        ("第二十条第（八）项", ["上一年项目数量", "本年增/减"],
         [("行政事业性收费", ch(0, 0)[:2])]),
        ("第二十条第（九）项", ["采购项目数量", "采购总金额"],
         [("政府集中采购", [n(1, 80), (f"{amount}元", amount)])]),
    ]


def size_of(kind: str, rng: random.Random) -> float:
    return {"gov": rng.uniform(60, 400), "city": rng.uniform(500, 1500),
            "office": rng.uniform(10, 60), "dept": rng.uniform(3, 50),
            "town": rng.uniform(0, 12)}[kind]


@dataclass
class LegacyStats:
    """Figures of a pre-2019 prose report (None = not stated)."""

    proactive: int | None
    cumulative: int | None
    received: int
    granted: int
    partial: int
    refused: int
    other_answers: int
    reconsideration: int
    litigation: int
    fees: int
    yoy: float
    table: bool  # carries a 统计表
    channels: list[int] = field(default_factory=list)  # 当面/网络/信函/传真


def gen_legacy(rng: random.Random, kind: str) -> LegacyStats:
    size = size_of(kind, rng) * 0.5
    received = 0 if (kind == "town" and rng.random() < 0.6) else _draw(rng, size)
    granted = round(received * rng.uniform(0.4, 0.8))
    partial = round((received - granted) * rng.uniform(0, 0.3))
    refused = round((received - granted - partial) * rng.uniform(0, 0.3))
    other = received - granted - partial - refused
    web = round(received * 0.6)
    letter = round((received - web) * 0.5)
    face = received - web - letter
    proactive = rng.randint(15, 400) if kind in ("town", "dept") else rng.randint(600, 6000)
    return LegacyStats(
        proactive=proactive,
        cumulative=proactive * rng.randint(3, 9) if rng.random() < 0.3 else None,
        received=received, granted=granted, partial=partial, refused=refused,
        other_answers=other,
        reconsideration=_draw(rng, size * 0.02), litigation=_draw(rng, size * 0.01),
        fees=0, yoy=round(rng.uniform(-20, 35), 1), table=rng.random() < 0.5,
        channels=[face, web, letter, 0])
