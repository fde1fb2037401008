"""Charts of the catalogue as PNG (matplotlib, Agg): what `nianbao plot` writes and the web UI shows.

Each chart is built from one query in `catalogue.read` and keeps the data it drew: `Chart.bars`
is read back from the figure's bars after drawing (series, category, height), so a test can
compare what a person sees with a SQL count. Labels are Chinese: a CJK font from the system
(Debian fonts-noto-cjk or fonts-wqy-zenhei) is found through matplotlib's font manager.
"""

from __future__ import annotations

import io
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from catalogue import read as sql  # noqa: E402

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
                "Noto Serif CJK SC", "Source Han Sans SC", "AR PL UMing CN")
LEVELS = {"province": "省级 province", "prefecture": "市级 prefecture", "county": "县级 county",
          "township": "乡镇 township", "department": "部门 department", "unknown": "未知 unknown"}
COLOURS = ["#1b6ca8", "#e07b39", "#3a9d5d", "#c44e52", "#8172b2", "#937860", "#da8bc3", "#8c8c8c"]


class NoCJKFont(RuntimeError):
    """No font on this system can draw Chinese labels."""


def cjk_font() -> str:
    """The family name of an installed CJK font (rescanning system fonts once if needed)."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in names:
            return family
    for path in font_manager.findSystemFonts():
        if any(word in path.lower() for word in ("cjk", "wqy", "wenquanyi", "uming", "sourcehan")):
            font_manager.fontManager.addfont(path)
    names = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in names:
            return family
    raise NoCJKFont("no CJK font installed, Chinese labels would be boxes: "
                    "apt-get install fonts-noto-cjk (or fonts-wqy-zenhei)")


@dataclass
class Chart:
    name: str
    title: str
    figure: Figure
    bars: list[tuple[str, str, float]] = field(default_factory=list)  # (series, category, height)

    def png(self) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
        return buffer.getvalue()

    def save(self, directory: Path) -> Path:
        path = Path(directory) / f"{self.name}.png"
        path.write_bytes(self.png())
        return path


def _figure(title: str, width: float = 8, height: float = 4.5) -> tuple[Figure, object]:
    font = cjk_font()
    figure = Figure(figsize=(width, height))
    ax = figure.add_subplot()
    ax.set_title(title, fontfamily=font, fontsize=13)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y" if width >= height else "x", alpha=0.3)
    ax.set_axisbelow(True)
    return figure, ax


def _cjk_ticks(ax) -> None:
    font = cjk_font()
    for label in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
        label.set_fontfamily(font)


def _legend_or_empty(ax, has_data: bool, legend: bool = True) -> None:
    """A legend for drawn series, or a plain "no data" note on an empty catalogue."""
    if not has_data:
        ax.text(0.5, 0.5, "暂无数据 · no data yet", transform=ax.transAxes, ha="center", va="center",
                fontfamily=cjk_font(), fontsize=14, color="#777")
    elif legend:
        ax.legend(prop={"family": cjk_font()}, frameon=False)


def _read_bars(ax, series: list[str], categories: list[str], horizontal: bool = False) -> list[tuple[str, str, float]]:
    """What was drawn: each bar container's heights (or widths) with its series and category."""
    out = []
    for name, container in zip(series, ax.containers, strict=True):
        for category, patch in zip(categories, container.patches, strict=True):
            out.append((name, category, float(patch.get_width() if horizontal else patch.get_height())))
    return out


def reports_per_year(conn: sqlite3.Connection) -> Chart:
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for year, level, n in conn.execute(sql.REPORTS_BY_YEAR_LEVEL):
        counts[level][year] = n
    years = sorted({y for by_year in counts.values() for y in by_year})
    figure, ax = _figure("每年报告数（按层级）· Reports per year by level")
    levels = [lv for lv in LEVELS if lv in counts] + sorted(set(counts) - set(LEVELS))
    bottom = [0] * len(years)
    for i, level in enumerate(levels):
        heights = [counts[level].get(y, 0) for y in years]
        ax.bar([str(y) for y in years], heights, bottom=bottom, label=LEVELS.get(level, level),
               color=COLOURS[i % len(COLOURS)])
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_ylabel("报告 reports", fontfamily=cjk_font())
    _legend_or_empty(ax, bool(years))
    _cjk_ticks(ax)
    return Chart("reports_per_year", "每年报告数 Reports per year",
                 figure, _read_bars(ax, levels, [str(y) for y in years]))


def applications_by_province(conn: sqlite3.Connection) -> Chart:
    counts: dict[str, dict[int, float]] = defaultdict(dict)
    for province, year, n in conn.execute(sql.APPLICATIONS_BY_PROVINCE_YEAR):
        counts[province][year] = n
    years = sorted({y for by_year in counts.values() for y in by_year})
    provinces = sorted(counts)
    figure, ax = _figure("各省每年收到的政府信息公开申请 · Applications received by province")
    width = 0.8 / max(1, len(provinces))
    for i, province in enumerate(provinces):
        xs = [j + (i - (len(provinces) - 1) / 2) * width for j in range(len(years))]
        ax.bar(xs, [counts[province].get(y, 0) for y in years], width=width, label=province,
               color=COLOURS[i % len(COLOURS)])
    ax.set_xticks(range(len(years)), [str(y) for y in years])
    ax.set_ylabel("申请（件）applications", fontfamily=cjk_font())
    _legend_or_empty(ax, bool(years))
    _cjk_ticks(ax)
    return Chart("applications_by_province", "各省申请数 Applications by province",
                 figure, _read_bars(ax, provinces, [str(y) for y in years]))


def refusal_reasons(conn: sqlite3.Connection, province: str | None = None) -> Chart:
    found = conn.execute(sql.REFUSAL_REASONS, {"province": province}).fetchall()
    found = [(label, n) for label, n in found if n]
    labels = [label for label, _ in reversed(found)]
    figure, ax = _figure(f"不予公开、无法提供、不予处理的理由{'（' + province + '）' if province else ''}"
                         " · Refusal reasons", width=8, height=max(3.0, 0.42 * len(labels) + 1.2))
    ax.barh(labels, [n for _, n in reversed(found)], color=COLOURS[3])
    ax.set_xlabel("件 cases (表三 总计 total)", fontfamily=cjk_font())
    ax.grid(axis="x", alpha=0.3)
    ax.grid(axis="y", visible=False)
    _legend_or_empty(ax, bool(labels), legend=False)
    _cjk_ticks(ax)
    return Chart("refusal_reasons", "拒绝理由 Refusal reasons", figure,
                 _read_bars(ax, ["total"], labels, horizontal=True))


def coverage(conn: sqlite3.Connection) -> Chart:
    found = conn.execute(sql.COVERAGE).fetchall()
    years = [str(y) for y, _, _ in found]
    shares = [100.0 * reported / bodies if bodies else 0.0 for _, reported, bodies in found]
    figure, ax = _figure("有报告的机关所占比例 · Share of bodies with a report")
    container = ax.bar(years, shares, color=COLOURS[2])
    ax.bar_label(container, labels=[f"{r}/{b}" for _, r, b in found], fontsize=8)
    ax.set_ylim(0, 105)
    ax.set_ylabel("% 机关 bodies", fontfamily=cjk_font())
    _legend_or_empty(ax, bool(years), legend=False)
    _cjk_ticks(ax)
    return Chart("coverage", "覆盖率 Coverage", figure, _read_bars(ax, ["share"], years))


CHARTS: dict[str, Callable[[sqlite3.Connection], Chart]] = {
    "reports_per_year": reports_per_year,
    "applications_by_province": applications_by_province,
    "refusal_reasons": refusal_reasons,
    "coverage": coverage,
}


def plot_all(catalogue: Path, out_dir: Path) -> list[tuple[Chart, Path]]:
    """Write every chart of the catalogue as OUT/<name>.png."""
    cjk_font()  # fail before any work when Chinese cannot be drawn
    out_dir.mkdir(parents=True, exist_ok=True)
    conn = sql.connect(catalogue)
    try:
        return [(chart, chart.save(out_dir)) for chart in (build(conn) for build in CHARTS.values())]
    finally:
        conn.close()
