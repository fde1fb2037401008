"""Truth cells follow the extractor's label convention (extract/codebook.py):
`[table, row label as printed, column label as printed, value]`."""

from __future__ import annotations

from collections import Counter

import pytest

from simportals import build_testbed
from simportals import stats as S
from simportals.document import t3_table, t4_table
from simportals.render_report import report_text
from simportals.reports import content

T4_LABELS = [f"{path} {col}" for path in ("行政复议", "行政诉讼 未经复议直接起诉",
                                          "行政诉讼 复议后起诉") for col in S.T4_COLS]


@pytest.fixture(scope="module")
def tb():
    return build_testbed(seed=0, scale=1)


def _specs(tb):
    return {s.key: s for s in tb.specs}


def test_table_four_row_empty_col_header_path(tb):
    r = next(r for r in tb.reports if r.template_version == "2021")
    t4 = [c for c in r.cells if c[0] == "四"]
    assert [c[1] for c in t4] == [""] * 15
    assert [c[2] for c in t4] == T4_LABELS
    assert "行政复议 结果维持" in T4_LABELS and "行政诉讼 复议后起诉 总计" in T4_LABELS
    for r in tb.reports:
        if r.template_version != "legacy":
            assert [c[2] for c in r.cells if c[0] == "四"] == T4_LABELS


def test_table_three_and_two_labels(tb):
    r = next(r for r in tb.reports if r.template_version == "2019")
    rows = {c[1] for c in r.cells if c[0] == "三"}
    assert rows == set(S.t3_rows("2019"))
    assert {c[2] for c in r.cells if c[0] == "三"} == set(S.T3_COLS)
    two = {(c[1], c[2]) for c in r.cells if c[0] == "二"}
    assert ("规章", "本年新制作数量") in two


def test_prose_cells_of_standard_reports(tb):
    specs = _specs(tb)
    seen = Counter()
    for r in tb.reports:
        if r.template_version == "legacy":
            continue
        prose = {c[1]: c[3] for c in r.cells if c[0] == "prose"}
        assert all(c[2] == "" for c in r.cells if c[0] == "prose")
        text = report_text(specs[r.key])
        st = content(specs[r.key]).std
        if st.proactive is not None:
            assert prose["proactive_disclosed"] == st.proactive == r.stats["proactive_disclosed"]
            assert f"主动公开政府信息{st.proactive}条" in text
        else:
            assert "proactive_disclosed" not in prose
        if st.fee_phrase == "charged":
            assert prose["fees_collected"] == r.stats["fees_collected"] > 0
            assert f"信息处理费{st.fees}元" in text
        elif st.fee_phrase == "none":
            assert "fees_collected" not in prose and r.stats["fees_collected"] is None
        else:
            assert prose["fees_collected"] == 0
        if "applications_received" in prose:
            assert f"收到政府信息公开申请{prose['applications_received']}件" in text
        seen.update(prose)
    assert set(seen) == {"proactive_disclosed", "fees_collected", "applications_received"}


def test_legacy_cells(tb):
    specs = _specs(tb)
    tables = [r for r in tb.reports if any(c[0] == "统计表" for c in r.cells)]
    assert tables
    for r in tables:
        assert {c[2] for c in r.cells if c[0] == "统计表"} == {"数量"}
        assert "指标名称\t计量单位\t数量" in report_text(specs[r.key])
    for r in tb.reports:
        if r.template_version != "legacy":
            continue
        prose = {c[1] for c in r.cells if c[0] == "prose"}
        if "fees_collected" in prose:
            assert r.stats["fees_collected"] == 0
        if r.stats["fees_collected"] is None:  # no 收费 section and no 统计表
            assert "fees_collected" not in prose and r not in tables


def _width(rows) -> tuple[int, int]:
    """Lay out (text, rowspan, colspan, head) rows; (rows, columns) of a rectangular grid."""
    taken: dict[tuple[int, int], bool] = {}
    widths = []
    for i, row in enumerate(rows):
        j = 0
        for _text, rs, cs, _head in row:
            while taken.get((i, j)):
                j += 1
            for di in range(rs):
                for dj in range(cs):
                    assert not taken.get((i + di, j + dj)), (i, j)
                    taken[(i + di, j + dj)] = True
            j += cs
        widths.append(max(jj for (ii, jj) in taken if ii == i) + 1)
    assert len(set(widths)) == 1, widths
    assert max(i for i, _ in taken) == len(rows) - 1  # no span hangs below the table
    return len(rows), widths[0]


def test_generated_tables_are_rectangular(tb):
    """No stray rows or cells: spans tile table 三 and table 四 exactly (宿迁市2020 included)."""
    specs = _specs(tb)
    for key in ("321300-030406123-2020", *[r.key for r in tb.reports][::7]):
        st = content(specs[key]).std
        if st is None:
            continue
        assert _width(t3_table(st)) == (26 if st.version == "2019" else 28, 10)
        assert _width(t4_table(st)) == (4, 15)


def test_extractor_reads_exactly_the_truth(tb):
    """One report of each kind through the extractor: cells equal the truth exactly."""
    import extract
    picks = {}
    for r in tb.reports:
        kind = (r.template_version, any(c[0] == "统计表" for c in r.cells))
        if r.published_as == "html" and r.consistent:
            picks.setdefault(kind, r)
    assert len(picks) >= 4
    for r in picks.values():
        portal, path = r.locations[0]
        _status, headers, body = tb.page(portal, path)
        page = extract.extract_page(body, url=tb.url(portal, path), headers=headers)
        got = Counter(tuple(c) for c in page.to_json()["cells"])
        assert got == Counter(tuple(c) for c in r.cells), r.key
        assert page.stats == r.stats, r.key
