"""Coverage as a PNG: bodies (and counties) by year, coloured report / withdrawn / missing
(matplotlib, Agg). Chinese names need a CJK font: Noto CJK (Debian fonts-noto-cjk) or WenQuanYi
(fonts-wqy-zenhei), found through matplotlib's font manager."""

from __future__ import annotations

import logging
import os

from archive.coverage import Coverage
from publish.charts import NoCJKFont, cjk_font

logger = logging.getLogger(__name__)

COLOURS = {"report": "#2e7d32", "withdrawn": "#ef6c00", "missing": "#c62828", None: "#f0f0f0"}


def write_chart(cov: Coverage, path: str | os.PathLike[str]) -> str | None:
    """Draw the coverage grid to `path`; returns the CJK font used (None: names drawn as boxes,
    and a warning logged — install fonts-noto-cjk)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import Patch

    try:
        font = cjk_font()
    except NoCJKFont:
        font = None
        logger.warning("no CJK font found (apt-get install fonts-noto-cjk): Chinese names will not render")
    rows = [*cov.bodies, *cov.counties]
    years = list(range(cov.first_year, cov.year + 1))
    with plt.rc_context({"font.family": [font] if font else ["DejaVu Sans"], "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=(2.5 + 0.45 * len(years), 1.2 + 0.28 * max(1, len(rows))))
        for i, row in enumerate(rows):
            for j, y in enumerate(years):
                ax.add_patch(plt.Rectangle((j, i), 0.92, 0.86, color=COLOURS[row.status(y)]))
        ax.set_xlim(0, len(years))
        ax.set_ylim(len(rows), 0)
        ax.set_xticks([j + 0.46 for j in range(len(years))], [str(y) for y in years])
        ax.set_yticks([i + 0.43 for i in range(len(rows))],
                      [("县区 " if r.kind == "county" else "") + r.name for r in rows], fontsize=8)
        ax.tick_params(length=0)
        for side in ax.spines.values():
            side.set_visible(False)
        ax.set_title(f"政府信息公开工作年度报告 coverage, {cov.first_year}–{cov.year}")
        ax.legend(handles=[Patch(color=COLOURS[k], label=k) for k in ("report", "withdrawn", "missing")],
                  loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        fig.tight_layout()
        fig.savefig(path, dpi=120)
        plt.close(fig)
    return font
