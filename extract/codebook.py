"""The codebook: exact labels of the standard tables and their stable keys (ogi-format §1–2).

Key scheme
    row_key = ``t{table}_v{version}.{name}`` with table 2, 3, 4 and version 2019 or 2021, so a
    2019 key never shares a name with a 2021 key (``t3_v2019.other`` vs ``t3_v2021.other_other``);
    legacy 统计表 rows are ``legacy.{name}`` and prose figures ``prose.{stats key}``.
    col_key names the column inside that table (``natural_person``, ``legal_commercial``, …,
    ``total``); a column whose meaning changed in 2021 has a different name (2019
    ``published_total`` vs 2021 ``in_force``). The pair (row_key, col_key) is the statistic.
    Rows or columns a province added (annotation rows, 小计 subtotals) keep key None.

Cell label convention (``Cell.row_label`` / ``Cell.col_label``, the `cells` JSON and the
simulated-portal truth use the same strings, as printed after whitespace inside CJK is closed)
    table 二  row = the row's label (``规章``, ``行政规范性文件``); col = the column header
              (``本年制发件数``, ``本年收费金额（单位：万元）``).
    table 三  row = the most specific label of the row (``一、本年新收政府信息公开申请数量``,
              ``（一）予以公开``, ``6.属于四类过程性信息``, 2019 ``（六）其他处理``, 2021 ``3.其他``,
              ``（七）总计``), without its group; col = the lowest header (``自然人``,
              ``商业企业``, …, ``总计``).
    table 四  row = "" (the table has one unlabelled data row); col = the header path joined by
              one space, repeated span copies dropped (``行政复议 结果维持``, ``行政复议 总计``,
              ``行政诉讼 未经复议直接起诉 总计``, ``行政诉讼 复议后起诉 结果纠正``).
    统计表    (legacy, table ``"统计表"``) row = indicator as printed (``其中：1、网站公开``);
              col = column header (``2013年度``, ``历年累计``); 计量单位 becomes ``Cell.unit``.
    prose     row = the stats key (``applications_received``), col = "", raw = the sentence.
Labels match by normalised prefix: NFKC, no spaces or quotes, leading enumerators (``一、``,
``（三）``, ``1.``, ``其中：``) stripped, so provincial annotations appended to a label still match.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache, wraps

VERSIONS = ("2019", "2021")

# Table 三 rows: (name, group, label as in the national format).
_T3_COMMON_HEAD = [
    ("new", None, "一、本年新收政府信息公开申请数量"),
    ("carried_in", None, "二、上年结转政府信息公开申请数量"),
    ("granted", None, "（一）予以公开"),
    ("partial", None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("deny_secret", "不予公开", "1.属于国家秘密"),
    ("deny_prohibited", "不予公开", "2.其他法律行政法规禁止公开"),
    ("deny_security", "不予公开", "3.危及“三安全一稳定”"),
    ("deny_third_party", "不予公开", "4.保护第三方合法权益"),
    ("deny_internal", "不予公开", "5.属于三类内部事务信息"),
    ("deny_process", "不予公开", "6.属于四类过程性信息"),
    ("deny_case_file", "不予公开", "7.属于行政执法案卷"),
    ("deny_query", "不予公开", "8.属于行政查询事项"),
    ("unable_not_held", "无法提供", "1.本机关不掌握相关政府信息"),
    ("unable_must_create", "无法提供", "2.没有现成信息需要另行制作"),
    ("unable_unclear", "无法提供", "3.补正后申请内容仍不明确"),
    ("noproc_petition", "不予处理", "1.信访举报投诉类申请"),
    ("noproc_repeat", "不予处理", "2.重复申请"),
    ("noproc_publication", "不予处理", "3.要求提供公开出版物"),
    ("noproc_mass", "不予处理", "4.无正当理由大量反复申请"),
    ("noproc_confirm", "不予处理", "5.要求行政机关确认或重新出具已获取信息"),
]
_T3_TAIL = [("total", None, "（七）总计"), ("carried_out", None, "四、结转下年度继续办理")]
T3_ROWS: dict[str, list[tuple[str, str | None, str]]] = {
    "2019": _T3_COMMON_HEAD + [("other", None, "（六）其他处理")] + _T3_TAIL,
    "2021": _T3_COMMON_HEAD + [
        ("other_no_correction", "其他处理",
         "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("other_no_fee", "其他处理",
         "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other_other", "其他处理", "3.其他"),
    ] + _T3_TAIL,
}
T3_COLS = [
    ("natural_person", "自然人"),
    ("legal_commercial", "商业企业"),
    ("legal_research", "科研机构"),
    ("legal_public_interest", "社会公益组织"),
    ("legal_legal_services", "法律服务机构"),
    ("legal_other", "其他"),
    ("total", "总计"),
]
# Group labels of table 三 that carry no numbers of their own.
T3_GROUPS = ("本年度办理结果", "不予公开", "无法提供", "不予处理", "其他处理")

# Table 二 rows and columns: (name, accepted labels).
T2_ROWS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "2019": [
        ("regulations", ("规章",)),
        ("normative_docs", ("规范性文件", "行政规范性文件")),
        ("licensing", ("行政许可",)),
        ("other_services", ("其他对外管理服务事项",)),
        ("penalty", ("行政处罚",)),
        ("enforcement", ("行政强制",)),
        ("admin_fees", ("行政事业性收费",)),
        ("procurement", ("政府集中采购",)),
    ],
    "2021": [
        ("regulations", ("规章",)),
        ("normative_docs", ("行政规范性文件", "规范性文件")),
        ("licensing", ("行政许可",)),
        ("penalty", ("行政处罚",)),
        ("enforcement", ("行政强制",)),
        ("admin_fees", ("行政事业性收费",)),
    ],
}
T2_COLS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "2019": [
        ("new_made", ("本年新制作数量",)),
        ("new_published", ("本年新公开数量",)),
        ("published_total", ("对外公开总数量",)),
        ("prev_count", ("上一年项目数量",)),
        ("change", ("本年增/减", "本年增减")),
        ("decisions", ("处理决定数量",)),
        ("procurement_count", ("采购项目数量",)),
        ("procurement_amount", ("采购总金额",)),
    ],
    "2021": [
        ("issued", ("本年制发件数",)),
        ("repealed", ("本年废止件数",)),
        ("in_force", ("现行有效件数",)),
        ("annual_decisions", ("本年处理决定数量",)),
        ("fee_amount", ("本年收费金额",)),
    ],
}
# Column words that only one version uses (ogi-format §1.5 version detection).
V2021_MARKERS = ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额")
V2019_MARKERS = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "第二十条第(九)项", "采购总金额")

T4_GROUPS = [("litigation_after_review", "复议后起诉"), ("litigation_direct", "直接起诉"),
             ("review", "行政复议")]
T4_COLS = [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"),
           ("pending", "尚未审结"), ("total", "总计")]

# Which columns each table-二 row fills (ogi-format §1.2): the format prints no figure in the
# other slots, so a row is complete with these.
_T2_FILLED: dict[str, dict[str, tuple[str, ...]]] = {
    "2019": {"regulations": ("new_made", "new_published", "published_total"),
             "normative_docs": ("new_made", "new_published", "published_total"),
             "licensing": ("prev_count", "change", "decisions"),
             "other_services": ("prev_count", "change", "decisions"),
             "penalty": ("prev_count", "change", "decisions"),
             "enforcement": ("prev_count", "change", "decisions"),
             "admin_fees": ("prev_count", "change"),
             "procurement": ("procurement_count", "procurement_amount")},
    "2021": {"regulations": ("issued", "repealed", "in_force"),
             "normative_docs": ("issued", "repealed", "in_force"),
             "licensing": ("annual_decisions",), "penalty": ("annual_decisions",),
             "enforcement": ("annual_decisions",), "admin_fees": ("fee_amount",)},
}


def template_cells(version: str) -> dict[str, list[tuple[str, str]]]:
    """Every statistic the national format's tables 二, 三 and 四 hold, as (row_key, col_key)
    pairs by table: what a complete reading of a standard report finds."""
    return {
        "二": [(f"t2_v{version}.{row}", col) for row, cols in _T2_FILLED[version].items() for col in cols],
        "三": [(f"t3_v{version}.{row}", col) for row, _, _ in T3_ROWS[version] for col, _ in T3_COLS],
        "四": [(f"t4_v{version}.{group}", col) for group, _ in T4_GROUPS for col, _ in T4_COLS],
    }


# Legacy 统计表 indicators (§2.2), most specific first.
LEGACY_ROWS: list[tuple[str, tuple[str, ...]]] = [
    ("replies_partial", ("同意部分公开答复数", "同意部分公开")),
    ("replies_granted", ("同意公开答复数", "同意公开")),
    ("replies_refused", ("否决公开答复", "不予公开答复", "不同意公开答复")),
    ("replies_total", ("对申请的答复总数", "申请答复数", "答复总数")),
    ("proactive_total", ("主动公开信息数", "主动公开文件数", "主动公开政府信息数", "主动公开信息总数")),
    ("applications_total", ("受理依申请公开信息总数", "受理申请总数", "申请总数", "收到申请数")),
    ("fees", ("依申请公开信息收取的费用", "收取的费用", "收取费用")),
    ("fees_and_waivers", ("政府信息公开收费减免金额", "收费减免金额")),
    ("review", ("行政复议数",)),
    ("litigation", ("行政诉讼数",)),
    ("complaints", ("行政申诉", "举报投诉数", "接受行政诉讼、举报数")),
]

_QUOTES = re.compile(r"[\"'“”‘’「」『』\s]")
_ENUM = re.compile(
    r"^(?:其中[:：]?)?(?:[一二三四五六七八九十]+[、.．]|\([一二三四五六七八九十\d]+\)[、.．]?|\d+[.、．)])"
)


# Labels repeat across the tables and pages of one template: `normalise` and `core` of short
# labels are remembered (a long cell is prose, seldom seen twice, and not worth keeping).
_CACHED_LABEL = 80  # characters


def normalise(label: str) -> str:
    """NFKC, no whitespace or quotes: the form labels are compared in."""
    if label and len(label) <= _CACHED_LABEL:
        return _normalise(label)
    return _QUOTES.sub("", unicodedata.normalize("NFKC", label or ""))


@lru_cache(maxsize=16384)
def _normalise(label: str) -> str:
    return _QUOTES.sub("", unicodedata.normalize("NFKC", label))


def core(label: str) -> str:
    """The label without its leading enumerator (`（三）`, `1.`, `一、`, `其中：`)."""
    if label and len(label) <= _CACHED_LABEL:
        return _core(label)
    return _strip_enum(normalise(label))


@lru_cache(maxsize=16384)
def _core(label: str) -> str:
    return _strip_enum(normalise(label))


def _strip_enum(text: str) -> str:
    for _ in range(2):
        text = _ENUM.sub("", text)
    return text


def _cores_match(p: str, c: str) -> bool:
    """label_matches on labels already reduced by `core`."""
    if not p or not c:
        return False
    return p.startswith(c) or (len(p) >= 4 and c.startswith(p))


def label_matches(printed: str, canonical: str) -> bool:
    """Normalised prefix match either way (annotations appended; long labels abbreviated)."""
    return _cores_match(core(printed), core(canonical))


# Read-only tables built once at import: the canonical labels reduced by `core`.
_T3_ROW_CORES = {v: [(name, group, core(label)) for name, group, label in rows]
                 for v, rows in T3_ROWS.items()}
_T3_COL_CORES = [(name, label, core(label)) for name, label in T3_COLS]
_T2_ROW_CORES = {v: [(name, tuple(core(x) for x in labels)) for name, labels in rows]
                 for v, rows in T2_ROWS.items()}
_T2_COL_CORES = {v: [(name, tuple(core(x) for x in labels)) for name, labels in cols]
                 for v, cols in T2_COLS.items()}
_LEGACY_NORMS = [(name, tuple(normalise(w) for w in words)) for name, words in LEGACY_ROWS]


_INNER_PUNCT = re.compile(r"[、,，]")
# an enumerator OCR read without its mark (`2没有…` for `2.没有…`), or the mark without its
# numeral (`、本年新收…` for `一、本年新收…`): `core` could not strip it
_DAMAGED_ENUM = re.compile(r"^(?:\d{1,2}[、.．]?|[、.．])(?=[\u4e00-\u9fff])")


def _unpunctuated_match(p: str, c: str) -> bool:
    """Long labels equal but for what OCR misses or misreads: the commas inside them, a
    damaged enumerator, and one character in ten of the label (at most two) read as another
    (`逐期` for `逾期`)."""
    p, c = _INNER_PUNCT.sub("", _DAMAGED_ENUM.sub("", p)), _INNER_PUNCT.sub("", c)
    if len(c) < 8:
        return False
    if _cores_match(p, c):
        return True
    misread = sum(a != b for a, b in zip(p, c, strict=False))  # c is a prefix length of p
    return len(c) >= 10 and len(p) >= len(c) and misread <= min(2, len(c) // 10)


def _remembered(lookup):
    """`lookup(…, label)` remembered for short labels: the keys are a function of the label,
    and a template's labels come back in every table and page that prints it."""
    cached = lru_cache(maxsize=16384)(lookup)

    @wraps(lookup)
    def remembered(*args):
        label = args[-1]
        return cached(*args) if label is not None and len(label) <= _CACHED_LABEL else lookup(*args)
    return remembered


def t3_row_key(version: str, labels: list[str]) -> str | None:
    """Key of a table-三 row from its label cells (outermost first); labels that differ only
    in their commas are matched when no label matches as printed."""
    labels = tuple(labels)
    if sum(map(len, labels)) <= 2 * _CACHED_LABEL:
        return _t3_row_key_of(version, labels)
    return _t3_row_key_uncached(version, labels)


def _t3_row_key_uncached(version: str, labels: tuple[str, ...]) -> str | None:
    return (_t3_row_key(version, labels, _cores_match) or _t3_row_key(version, labels, _unpunctuated_match)
            or _t3_row_key(version, labels, _misread_once, unique=True))


def _misread_once(p: str, c: str) -> bool:
    """A label of six characters or more printed whole but for one read as another (属干 for
    属于, an underline taken with 于's hook): taken only when no other row's label is as near."""
    return len(c) >= 6 and len(p) == len(c) and sum(a != b for a, b in zip(p, c, strict=True)) == 1


_t3_row_key_of = lru_cache(maxsize=16384)(_t3_row_key_uncached)


def _t3_row_key(version: str, labels: tuple[str, ...], matches, unique: bool = False) -> str | None:
    if not labels:
        return None
    last, context, found = core(labels[-1]), None, []
    for name, group, canonical in _T3_ROW_CORES[version]:
        if not matches(last, canonical):
            continue
        if group is not None:
            if context is None:
                context = [core(x) for x in labels[:-1]]
            groups_here = [g for g in T3_GROUPS[1:] if any(g in c for c in context)]
            if groups_here and group not in groups_here:
                continue
            if not groups_here and len(canonical) < 4:
                continue
        if not unique:
            return f"t3_v{version}.{name}"
        found.append(name)
    return f"t3_v{version}.{found[0]}" if len(found) == 1 else None


@_remembered
def t3_col_key(label: str) -> str | None:
    printed = core(label)
    for name, canonical, canonical_core in _T3_COL_CORES:
        if _cores_match(printed, canonical_core) or printed == canonical:
            return name
    return None


def _lookup(label: str, entries: list[tuple[str, tuple[str, ...]]]) -> str | None:
    printed = core(label)
    for name, cores in entries:
        if any(_cores_match(printed, c) for c in cores):
            return name
    return None


@_remembered
def t2_row_key(version: str, label: str) -> str | None:
    name = _lookup(label, _T2_ROW_CORES[version])
    return f"t2_v{version}.{name}" if name else None


@_remembered
def t2_col_key(version: str, label: str) -> str | None:
    return _lookup(label, _T2_COL_CORES[version])


def t4_keys(version: str, path: list[str]) -> tuple[str | None, str | None]:
    """(row_key, col_key) of a table-四 column from its header path."""
    joined = "".join(normalise(p) for p in path)
    group = next((name for name, word in T4_GROUPS if word in joined), None)
    leaf = core(path[-1]) if path else ""
    col = next((name for name, word in T4_COLS if leaf.startswith(word)), None)
    return (f"t4_v{version}.{group}" if group else None), col


@lru_cache(maxsize=1)
def printed_labels() -> tuple[str, ...]:
    """Every row label the national formats print (as `core` reduces it), and the 其中 that
    starts a sub-row: the vocabulary an OCR'd table's labels are checked against."""
    words = {core(label) for rows in T3_ROWS.values() for _, _, label in rows}
    words |= {core(label) for rows in T2_ROWS.values() for _, labels in rows for label in labels}
    words |= {normalise(w) for _, ws in LEGACY_ROWS for w in ws}
    return tuple(sorted(w for w in words | {"其中"} if len(w) >= 2))


@_remembered
def legacy_row_key(label: str) -> str | None:
    text = core(label)
    for name, words in _LEGACY_NORMS:
        if any(text.startswith(w) for w in words):
            return f"legacy.{name}"
    return None
