"""Headline figures stated in sentences (pre-2019 prose reports, §2.3 of ogi-format), and scope.

Every figure keeps its sentence as provenance (`Cell.raw`). `无/未收到/没有` (and `：无`, `：—`,
`：/`, `：0` after a label) give 0; a figure that is approximate (`755多条`) or stated jointly
(`予以公开及部分公开258件`) is ambiguous and stays None. Sub-figures after `其中` and cumulative
totals (`累计`) are not the year's headline figure, except the outcomes of the replies
(`答复15件，其中同意公开12件、部分公开2件、不予公开1件`, issue 12).
"""

from __future__ import annotations

import re

from extract.model import Cell
from extract.numbers import CN_DIGITS, chinese_number, to_number

NUM = rf"(?P<num>\d[\d,]*(?:\.\d+)?|[{CN_DIGITS}]+)\s*(?P<approx>多|余)?\s*"
_NOT = r"[^，,。；;！!\d]"
_ITEMS = r"(?P<unit>条|件|项|篇|个)"
_CASES = r"(?P<unit>件|条|起|宗|次|份|个)"

# (stats key, pattern, value when it is a "none" statement); patterns with a NUM group give it.
_NONE = r"(?:无|没有|未发生|未收到|—+|－+|/|／|0\s*[件条起宗次个]?)\s*[。；;，,]?$"
PATTERNS: list[tuple[str, str, int | None]] = [
    ("proactive_disclosed",
     rf"主动(?:公开|发布)(?:了)?{_NOT}{{0,16}}?(?:信息|文件){_NOT}{{0,6}}?{NUM}{_ITEMS}", None),
    # `公开政府信息1236条` (no 主动): not 依申请公开/不予公开/部分公开/同意公开/予以公开.
    ("proactive_disclosed",
     rf"(?<![请予分意])(?:公开|发布)(?:了)?(?:各类|各项)?政府信息{NUM}{_ITEMS}", None),
    ("applications_received",
     rf"(?:收到|受理|接到|接收|新收){_NOT}{{0,14}}?(?:申请|依申请公开){_NOT}{{0,8}}?{NUM}{_CASES}", None),
    # `收到15件信息公开申请`: the number before the noun.
    ("applications_received",
     rf"(?:收到|受理|接到|接收|新收)(?:了|各类)?{_NOT}{{0,4}}?{NUM}{_CASES}{_NOT}{{0,10}}?"
     r"(?:信息公开申请|公开申请|依申请公开申请|申请)", None),
    # `依申请公开：无` / `行政复议：0` — a label, then a none value.
    ("applications_received", r"(?:依申请公开|政府信息公开申请)(?:情况)?\s*[：:]\s*" + _NONE, 0),
    ("reconsideration_total", r"行政复议(?:情况|案件|申请)?\s*[：:]\s*" + _NONE, 0),
    ("litigation_total", r"行政诉讼(?:情况|案件)?\s*[：:]\s*" + _NONE, 0),
    ("applications_received",
     rf"(?:未|没有|尚未|无)(?:收到|受理|接到|发生)?{_NOT}{{0,12}}?"
     r"(?:依申请公开|信息公开申请|政府信息公开的?申请|公开申请)", 0),
    ("granted", rf"(?:同意公开|予以公开)(?:答复)?{_NOT}{{0,6}}?{NUM}{_CASES}", None),
    ("granted", r"(?:无|没有)(?:予以公开|同意公开)", 0),
    ("partially_granted", rf"部分公开(?:答复)?{_NOT}{{0,6}}?{NUM}{_CASES}", None),
    ("partially_granted", r"(?:无|没有)(?:同意)?部分公开", 0),
    ("refused", r"(?:无|没有)(?:不予公开|不同意公开)", 0),
    ("refused", rf"(?:不予公开|不同意公开|否决公开)(?:答复)?{_NOT}{{0,6}}?{NUM}{_CASES}", None),
    ("reconsideration_total", rf"行政复议(?:申请)?{_NOT}{{0,6}}?{NUM}{_CASES}", None),
    ("reconsideration_total", rf"{NUM}{_CASES}{_NOT}{{0,16}}?行政复议", None),
    ("reconsideration_total", rf"(?:未|没有|无)(?:发生|收到)?{_NOT}{{0,20}}?行政复议", 0),
    ("litigation_total", rf"(?<!直接)(?<!复议后)(?:行政诉讼|诉讼){_NOT}{{0,6}}?{NUM}{_CASES}", None),
    ("litigation_total", rf"(?:未|没有|无){_NOT}{{0,24}}?(?:行政诉讼|提起诉讼)", 0),
    ("fees_collected", rf"(?:收取|收费|处理费){_NOT}{{0,12}}?{NUM}(?P<unit>万元|元)", None),
    ("fees_collected", r"(?:收取|收费)[^，,。；;：:]{0,10}?情况\s*[：:]\s*(?:无|没有|未收取|0\s*元?)[。；;]?$", 0),
    ("fees_collected",
     r"(?:未收取|不收取|未收费|不收费|暂不收费|免费提供|没有[^，。；]{0,10}收费|无收费|"
     r"未产生[^，。；]{0,8}费|未发生[^，。；]{0,8}收费)", 0),
]
# Every pattern (and _JOINT) needs one of these words: 主动公开/予以公开/部分公开 … contain 公开,
# the application patterns 申请, then 行政复议, 诉讼, and the fee patterns 收 (收取/收费) or 费
# (处理费/免费). A sentence with none of them states no figure; about half of a report's do not.
_MAY_STATE = re.compile("公开|申请|行政复议|诉讼|收|费|发布")
_COMPILED = [(key, re.compile(pattern), none_value) for key, pattern, none_value in PATTERNS]
_EXCLUDE = {
    "applications_received": re.compile(r"复议|诉讼"),
    "granted": re.compile(r"部分"),
    "fees_collected": re.compile(r"行政事业性收费"),
}
_CONTEXT = {"fees_collected": re.compile(r"信息公开|依申请|信息处理费|政府信息")}
_JOINT = re.compile(r"(?:予以|同意)公开(?:及|和|与|、|或)部分公开")
_SUBORDINATE = re.compile(r"其中|累计|占")
_CUMULATIVE = re.compile(r"累计|历年")
_OUTCOMES = frozenset({"granted", "partially_granted", "refused"})
_THIS_YEAR = re.compile(r"本年度?(?:新增|新公开|共)?$")  # `其中，本年度新增主动公开…` is the year's figure
_LOOK_BACK = 200  # characters before a figure searched for 其中/累计 (keeps matching linear)
MAX_SENTENCE = 2000  # longer "sentences" are not prose a report states figures in
_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")


def _value(match: re.Match[str]) -> int | float | None:
    digits = match.group("num")
    if match.group("approx"):
        return None
    return to_number(digits) if digits[0].isdigit() else chinese_number(digits)


def _candidates(sentence: str) -> list[tuple[str, int | float | None, str | None, int]]:
    """(key, value, unit, position) of every figure the sentence states."""
    found = []
    for key, pattern, none_value in _COMPILED:
        if key in _CONTEXT and not _CONTEXT[key].search(sentence):
            continue
        for match in pattern.finditer(sentence):
            if key in _EXCLUDE and _EXCLUDE[key].search(match.group(0)):
                continue
            if "num" in match.groupdict():
                value, unit = _value(match), match.groupdict().get("unit")
            else:
                value, unit = none_value, None
            before = sentence[max(0, match.start() - _LOOK_BACK): match.start()]
            clause = before.rsplit("，", 1)[-1]
            if _THIS_YEAR.search(before):
                pass
            elif key in _OUTCOMES:
                # `答复15件，其中同意公开12件、部分公开2件`: after 其中 come the outcomes.
                if _CUMULATIVE.search(clause):
                    continue
            elif _SUBORDINATE.search(clause) or "其中" in before:
                continue
            found.append((key, value, unit, match.start()))
    if _JOINT.search(sentence):
        found = [f for f in found if f[0] not in ("granted", "partially_granted")]
        found += [("granted", None, None, -1), ("partially_granted", None, None, -1)]
    return found


def prose_figures(text: str) -> dict[str, Cell]:
    """The first stated figure of each headline key, with its sentence (`origin` "prose")."""
    figures: dict[str, Cell] = {}
    for sentence in (s.strip() for s in _SENTENCE.findall(text)):
        if len(sentence) > MAX_SENTENCE or not _MAY_STATE.search(sentence):
            continue
        by_key: dict[str, list[tuple[int | float | None, str | None]]] = {}
        for key, value, unit, _ in sorted(_candidates(sentence), key=lambda f: f[3]):
            by_key.setdefault(key, []).append((value, unit))
        for key, stated in by_key.items():
            if key in figures:
                continue
            values = {v for v, _ in stated}
            value = stated[0][0] if len(values) == 1 else None  # two different figures: ambiguous
            figures[key] = Cell(table="prose", row_label=key, col_label="", value=value,
                                raw=sentence, row_key=f"prose.{key}", unit=stated[0][1],
                                origin="prose")
    received = figures.get("applications_received")
    if received is not None and received.value == 0:
        # No application received: none can have been granted, partly granted or refused.
        for key in ("granted", "partially_granted", "refused"):
            figures.setdefault(key, Cell(table="prose", row_label=key, col_label="", value=0,
                                         raw=received.raw, row_key=f"prose.{key}",
                                         origin="prose"))
    return figures


_JURISDICTION = re.compile(
    r"全[省市区县州旗盟镇乡](?!政府办|委|局|办公)|[本我][省市区县州旗盟](?![委局直级政])|本行政区域|各乡镇|"
    r"[区市县]直各")
_SELF = re.compile(
    r"[本我](?:机关|局|委|办(?!法)|厅|单位|部门|中心|院|署|站|所|队|馆|室|镇|乡|街道|街|处|公司)")
_FIGURE = re.compile(r"\d+\s*(?:条|件)|[零〇一二三四五六七八九十百千]+(?:条|件)")
_NONE_STATED = re.compile(r"未收到|没有|未收取|未发生|尚未|免费")
# Template phrases that name 本机关 without saying whose figures a sentence states.
_STOCK = re.compile(r"(?:不属于|非)?本(?:行政)?机关(?:的?公开职责|职责|不掌握|掌握)")
_ISSUER = re.compile(r"由([\u4e00-\u9fff（）()]{2,40}?)(?:编制|负责编制|编写)")
# A bare place name (沭阳县, 东城区) as issuer stands for that place's government.
_GOVERNMENT = re.compile(r"(?:人民政府|政府|行政公署|管理委员会|管委会|省|自治区|市|地区|自治州|州|盟|县|自治县|旗|区)$")
_TOWNSHIP = re.compile(r"(?:镇|乡|街道|苏木)(?:人民政府|政府|办事处)?$|办事处$")


def scope_of_issuer(name: str | None) -> str | None:
    """A government's own report covers its jurisdiction; a department, an office (even the
    government's own 办公室) or a township/street office reports on itself."""
    name = re.sub(r"[（(][^）)]*[）)]$", "", (name or "").strip())
    if not name:
        return None
    if _GOVERNMENT.search(name) and not _TOWNSHIP.search(name):
        return "jurisdiction"
    return "self"


def _issuer_in_text(text: str) -> str | None:
    """The body named in the preamble (`由X编制`) or, failing that, in the 落款 line."""
    match = _ISSUER.search(text)
    if match:
        return match.group(1)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in reversed(lines[-4:]):
        if 3 <= len(line) <= 40 and re.search(r"(?:政府|局|委|办公室|办公厅|办|中心|办事处|管委会)$", line):
            return line
    return None


def detect_scope(text: str, agency: str | None = None) -> str | None:
    """"jurisdiction" when the figures are stated for the whole 全市/全区/我区, "self" for
    本机关/我局/我镇; with no such words in the sentences that state figures, the issuer's kind
    decides (a government's own report is jurisdiction-wide, any other body's is its own)."""
    whole = own = 0
    for sentence in _SENTENCE.findall(text or ""):
        if len(sentence) > MAX_SENTENCE:
            continue
        if not _FIGURE.search(sentence) and not _NONE_STATED.search(sentence):
            continue
        sentence = _STOCK.sub("", sentence)
        whole += len(_JURISDICTION.findall(sentence))
        own += len(_SELF.findall(sentence))
    if whole != own:
        return "jurisdiction" if whole > own else "self"
    return scope_of_issuer(agency) or scope_of_issuer(_issuer_in_text(text or ""))
