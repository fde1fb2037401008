"""A report as a list of blocks (title, heading, paragraph, table, signature), generated from
its spec and numbers.  HTML, PDF and DOCX renderers all consume the same blocks, so every
representation states the same figures.  All wording is the project's own.
"""

from __future__ import annotations

import random

from . import stats as S
from .reports import (
    LEGACY_TOPICS,
    Content,
    ReportSpec,
    cn_int,
    content,
    format_signed,
    legacy_table_rows,
    states_received,
)

# a table cell: (text, rowspan, colspan, is_header)
TCell = tuple[str, int, int, bool]
Block = tuple  # ("h"|"sub"|"p"|"title"|"sign"|"table", payload)

_WORK = (
    "坚持以公开为常态、不公开为例外，将政务公开工作纳入年度重点工作统筹推进。",
    "调整充实政务公开工作领导小组，明确分管负责同志和具体经办人员，形成一级抓一级的工作格局。",
    "围绕重大决策、重点工作和民生事项，及时发布权威信息，回应社会关切。",
    "加强政府网站信息公开专栏的日常维护，做到栏目设置规范、内容更新及时。",
    "严格执行公开前保密审查制度，做到先审查、后公开，一事一审、全面审查。",
    "组织开展政务公开业务培训，提升工作人员的公开意识和业务能力。",
    "完善依申请公开受理、登记、办理、答复等工作流程，做到件件有记录、事事有回音。",
    "健全政策解读机制，对重要政策文件做到解读材料与政策文件同步起草、同步审签、同步发布。",
    "推进基层政务公开标准化规范化建设，梳理公开事项清单并动态更新。",
    "对已公开的规范性文件开展清理，标注有效性，方便公众查询使用。",
)
_PROBLEMS = (
    "公开内容的深度和广度与群众期盼相比仍有差距，部分栏目更新不够及时。",
    "政策解读形式较为单一，图解、视频等多样化解读产品偏少。",
    "个别工作人员对新修订条例的理解不够深入，业务水平有待提升。",
    "依申请公开办理的规范化程度还需进一步提高。",
)
_FIXES = (
    "下一步，将进一步加强工作统筹，细化公开责任分工，确保信息发布及时准确。",
    "加大培训力度，定期组织业务学习，提高依法公开的能力和水平。",
    "丰富解读形式，提高政策解读的针对性和可读性。",
    "完善考核评估机制，将政务公开工作纳入年度绩效考核。",
)


_AREA = {"宁波市": "0574", "宿迁市": "0527", "六安市": "0564"}


def _pick(rng: random.Random, pool: tuple[str, ...], k: int) -> list[str]:
    return rng.sample(pool, k)


def _num(n: int, chinese: bool) -> str:
    return cn_int(n) if chinese and n < 100 else str(n)


def agency_words(spec: ReportSpec) -> tuple[str, str]:
    """(how the body calls itself, the region word) e.g. 本机关 / 全区."""
    kind = spec.body.kind
    if kind in ("gov", "city"):
        return "全" + spec.body.short[-1], "本级政府"
    town = "本街道" if spec.body.short.endswith("街道") else "我镇"
    return {"office": "本办", "town": town}.get(kind, "我局"), "本单位"


def build(spec: ReportSpec) -> list[Block]:
    c = content(spec)
    rng = random.Random(spec.rng_seed + ":text")
    blocks: list[Block] = []
    if c.variant != 3:
        blocks.append(("title", spec.title))
    blocks += _standard(spec, c, rng) if c.std is not None else _legacy(spec, c, rng)
    signed = format_signed(spec)
    if signed:
        blocks.append(("sign", [spec.body.name, signed]))
    return blocks


def _preamble(spec: ReportSpec, rng: random.Random, legacy: bool) -> str:
    y = spec.year
    basis = ("《中华人民共和国政府信息公开条例》" if legacy else
             "《中华人民共和国政府信息公开条例》（以下简称《条例》）和上级关于做好政府信息公开工作年度报告的要求")
    period = rng.choice((f"本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
                         f"本报告所列数据统计期限为{y}年1月1日至{y}年12月31日。"))
    return (f"本年度报告根据{basis}，由{spec.body.name}编制。{period}"
            f"本报告电子版可在本级政府门户网站下载。如对报告内容有疑问，请与{spec.body.name}"
            f"联系（电话：{_AREA.get(spec.body.prefecture, '0551')}-{rng.randint(80000000, 89999999)}）。")


def _standard(spec: ReportSpec, c: Content, rng: random.Random) -> list[Block]:
    st = c.std
    assert st is not None
    we, _area = agency_words(spec)
    b: list[Block] = [("p", _preamble(spec, rng, False)), ("h", "一、总体情况")]
    subs = ("（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）平台建设", "（五）监督保障")
    for i, sub in enumerate(subs):
        b.append(("sub", sub))
        text = "".join(_pick(rng, _WORK, 2))
        if i == 0 and st.proactive is not None:
            text = (f"{spec.year}年，{we}通过政府网站、政务新媒体等渠道主动公开政府信息"
                    f"{st.proactive}条，发布政策解读{rng.randint(2, 40)}篇。") + text
        if i == 1 and states_received(st, c):
            text = (f"全年共收到政府信息公开申请{st.t3[S.NEW][6]}件，"
                    f"均在法定期限内予以答复。") + text
        b.append(("p", text))
    b += [("h", "二、主动公开政府信息情况"), ("table", t2_table(st))]
    b += [("h", "三、收到和处理政府信息公开申请情况"), ("table", t3_table(st))]
    h4 = ("四、政府信息公开行政复议、行政诉讼情况" if c.variant < 2
          else "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况")
    b += [("h", h4), ("table", t4_table(st))]
    b += [("h", rng.choice(("五、存在的主要问题及改进情况", "五、政府信息公开工作存在的主要问题及改进情况"))),
          ("p", "".join(_pick(rng, _PROBLEMS, 2))), ("p", "".join(_pick(rng, _FIXES, 2)))]
    fee = {
        "charged": f"依据《政府信息公开信息处理费管理办法》，本年度共收取信息处理费{st.fees}元。",
        "not_charged": f"{spec.year}年度，{we}未收取信息处理费。",
        "wu": "（一）收取信息处理费情况：无。",
        "none": "无。",
    }[st.fee_phrase]
    b += [("h", "六、其他需要报告的事项"), ("p", fee)]
    if st.fee_phrase != "none":
        b.append(("p", "其他需要报告的事项：" + "".join(_pick(rng, _WORK, 1))))
    return b


def _cellv(txt: str) -> TCell:
    return (txt, 1, 1, False)


def t2_table(st: S.StandardStats) -> list[list[TCell]]:
    rows: list[list[TCell]] = []
    for cap, heads, data in st.t2:
        rows.append([(cap, 1, 4, True)])
        spans = [1] * len(heads)
        spans[-1] += 3 - len(heads)
        rows.append([("信息内容", 1, 1, True)] + [(h, 1, s, True) for h, s in zip(heads, spans, strict=True)])
        for label, vals in data:
            rows.append([(label, 1, 1, False)] + [(t, 1, s, False) for (t, _v), s in zip(vals, spans, strict=True)])
    return rows


def _v(v: int, blank: bool) -> str:
    return "" if (blank and v == 0) else str(v)


def t3_table(st: S.StandardStats) -> list[list[TCell]]:
    bz = st.blank_zeros
    rows: list[list[TCell]] = [
        [(S.T3_CORNER, 3, 3, True), ("申请人情况", 1, 7, True)],
        [("自然人", 2, 1, True), ("法人或其他组织", 1, 5, True), ("总计", 2, 1, True)],
        [(h, 1, 1, True) for h in S.T3_COLS[1:6]],
    ]

    def vals(r: str) -> list[TCell]:
        return [_cellv(_v(v, bz)) for v in st.t3[r]]

    rows.append([(S.NEW, 1, 3, False), *vals(S.NEW)])
    rows.append([(S.CARRIED_IN, 1, 3, False), *vals(S.CARRIED_IN)])
    n_result = len(S.t3_leaves(st.version)) + 1
    first = True
    groups = [(None, [S.GRANTED]), (None, [S.PARTIAL]), S.DENY, S.UNABLE, S.NOPROC,
              S.OTHER_2021 if st.version == "2021" else (None, [S.OTHER_2019]), (None, [S.TOTAL])]
    for group, leaves in groups:
        for i, leaf in enumerate(leaves):
            row: list[TCell] = []
            if first:
                row.append((S.RESULTS, n_result, 1, False))
                first = False
            if group is None:
                row.append((leaf, 1, 2, False))
            else:
                if i == 0:
                    row.append((group, len(leaves), 1, False))
                row.append((leaf, 1, 1, False))
            rows.append(row + vals(leaf))
    rows.append([(S.CARRIED_OUT, 1, 3, False), *vals(S.CARRIED_OUT)])
    return rows


def t4_table(st: S.StandardStats) -> list[list[TCell]]:
    return [
        [("行政复议", 1, 5, True), ("行政诉讼", 1, 10, True)],
        [*[(h, 2, 1, True) for h in S.T4_COLS], ("未经复议直接起诉", 1, 5, True),
         ("复议后起诉", 1, 5, True)],
        [(h, 1, 1, True) for h in S.T4_COLS * 2],
        [_cellv(_v(v, st.blank_zeros)) for v in st.t4],
    ]


_LEGACY_SECTIONS = {
    0: ("一、主动公开政府信息的情况", "二、依申请公开政府信息和不予公开政府信息的情况",
        "三、政府信息公开的收费及减免情况", "四、因政府信息公开申请行政复议、提起行政诉讼的情况",
        "五、政府信息公开工作存在的主要问题及改进情况"),
    1: ("一、概述", "二、主动公开政府信息情况", "三、依申请公开政府信息情况", "四、咨询处理情况",
        "五、复议、诉讼和申诉情况", "六、政府信息公开支出和收费情况", "七、其他工作情况",
        "八、存在的主要问题和改进措施"),
    2: ("一、概述", "二、主动公开政府信息情况", "三、政府信息依申请公开办理情况",
        "四、政府信息公开的收费及减免情况", "五、因政府信息公开申请行政复议和提起行政诉讼的情况",
        "六、政府信息公开工作存在的主要问题及改进措施", "七、需要说明的事项与附表"),
    3: ("一、政务公开工作要点落实情况", "二、主动公开政府信息情况", "三、回应解读情况",
        "四、依申请公开政府信息情况", "五、政府信息公开行政复议、行政诉讼和投诉情况",
        "六、机构建设和保障经费情况", "七、政府信息公开会议和培训情况", "八、存在的主要问题及改进措施"),
}


def _legacy(spec: ReportSpec, c: Content, rng: random.Random) -> list[Block]:
    lg = c.legacy
    assert lg is not None
    y, v = spec.year, c.variant
    we, _area = agency_words(spec)
    zh = v % 2 == 1  # small counts in Chinese numerals
    trend = f"同比{'增长' if lg.yoy >= 0 else '下降'}{abs(lg.yoy)}%"
    if lg.cumulative:
        pro = (f"截至{y}年底，{we}累计主动公开政府信息{lg.cumulative}条，其中本年度新增主动公开"
               f"政府信息{lg.proactive}条，{trend}，全文电子化率达100%。")
    else:
        pro = rng.choice((f"{y}年，{we}共主动公开政府信息{lg.proactive}条，{trend}。",
                          f"全年主动公开各类政府信息{lg.proactive}条，其中全文电子化率达100%。"))
    if lg.received == 0:
        req = rng.choice((f"{y}年度，{we}未收到政府信息公开申请。", f"{y}年度没有依申请公开信息的情况。",
                          f"目前{we}尚未收到政府信息公开申请。"))
    else:
        pct = round(100 * lg.granted / lg.received, 1)
        face, web, letter, _ = lg.channels
        req = (f"全年共受理政府信息公开申请{_num(lg.received, zh)}件，其中当面申请{_num(face, zh)}件，"
               f"网络申请{_num(web, zh)}件，信函申请{_num(letter, zh)}件。已答复的申请中，同意公开"
               f"{_num(lg.granted, zh)}件，占{pct}%；")
        req += (f"同意部分公开{_num(lg.partial, zh)}件；" if lg.partial else "无部分公开的情况；")
        req += (f"不予公开{_num(lg.refused, zh)}件，主要涉及个人隐私和过程性信息；" if lg.refused
                else "没有不予公开的申请；")
        req += f"其余{_num(lg.other_answers, zh)}件为信息不存在或不属于本机关公开职责范围。"
    fee = rng.choice((f"{y}年度，{we}对政府信息公开免费提供，未收取任何费用。",
                      f"{y}年度没有关于政府信息公开的收费及减免情况。", "依申请公开政府信息未收费。"))
    r, li = lg.reconsideration, lg.litigation
    if r == 0 and li == 0:
        rev = rng.choice((f"{y}年度，未发生因政府信息公开申请行政复议、提起行政诉讼的情况。",
                          f"{we}收到有关政府信息公开的行政复议申请0件，行政诉讼0件。"))
    else:
        rev = (f"因政府信息公开申请行政复议{_num(r, zh)}件" if r else "未发生行政复议") + "，" + (
            f"提起行政诉讼{_num(li, zh)}件。" if li else "没有发生行政诉讼。")
    body = {"pro": pro, "req": req, "fee": fee, "rev": rev}
    topics = LEGACY_TOPICS[c.legacy_style]
    b: list[Block] = [("p", _preamble(spec, rng, True))]
    for head, topic in zip(_LEGACY_SECTIONS[c.legacy_style], topics, strict=True):
        b.append(("h", head))
        if topic in body:
            b.append(("p", body[topic]))
        elif topic == "fix":
            b += [("p", "".join(_pick(rng, _PROBLEMS, 2))), ("p", "".join(_pick(rng, _FIXES, 2)))]
        elif topic == "consult":
            b.append(("p", f"全年接受公众咨询{rng.randint(20, 900)}人次，其中电话咨询占多数。"))
        elif topic == "resp":
            b.append(("p", f"参加或举办新闻发布会{_num(rng.randint(1, 12), zh)}次，发布政策解读稿件"
                           f"{rng.randint(3, 60)}篇。"))
        elif topic == "org":
            b.append(("p", f"明确专门工作机构，配备了{_num(rng.randint(1, 8), zh)}名兼职工作人员。"))
        elif topic == "train":
            b.append(("p", f"组织召开政务公开工作会议{_num(rng.randint(1, 6), zh)}次，举办培训班"
                           f"{_num(rng.randint(1, 5), zh)}期。"))
        elif topic == "note":
            b.append(("p", "附表：政府信息公开情况统计表。" if lg.table else "无需要说明的事项。"))
        else:
            b.append(("p", "".join(_pick(rng, _WORK, 3))))
    if lg.table:
        rows: list[list[TCell]] = [[("指标名称", 1, 1, True), ("计量单位", 1, 1, True),
                                    ("数量", 1, 1, True)]]
        for name, unit, val in legacy_table_rows(lg, c.legacy_style):
            rows.append([_cellv(name), _cellv(unit), _cellv(str(val))])
        b += [("p", f"附：{y}年政府信息公开情况统计表"), ("table", rows)]
    return b
