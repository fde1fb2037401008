"""A worker OCR'ing a scanned page stays small (issue 18): the detector reads the page in bands,
the recogniser in bounded batches, and freed tensors go back to the OS. Before, one page of the
simulated scan took a fresh process to ~680 MB; now ~210 MB (benchmarks/bench_ocr_memory.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from extract.pdf import read_pdf
from simportals import build_testbed
from simportals.attachments import _page_images, pdf_bytes

PEAK_MB = 300  # what a worker OCR'ing a page may reach (it is replaced after: EXTRACT_WORKER_MAX_RSS_MB)

# The child's own peak is VmHWM: its ru_maxrss starts at the RSS of the forked copy of this
# process (Linux keeps it across exec), and pytest has grown by the time this test runs.
_CHILD = """
import json, re, sys
from pathlib import Path
from PIL import Image
from extract.ocr import ocr_image
page = ocr_image(Image.open(sys.argv[1]), scale=72 / 200)
peak = int(re.search(r"VmHWM:\\s*(\\d+) kB", Path("/proc/self/status").read_text()).group(1))
print(json.dumps({"peak_mb": peak / 1024,
                  "lines": [line.text for line in page.lines],
                  "grids": [table.grid for table in page.tables]}, ensure_ascii=False))
"""


def test_ocr_of_a_scanned_page_peaks_small(tmp_path: Path) -> None:
    """The first page of the simulated scan (prose, full-width lines and a table) OCR'd in a
    fresh process: its peak RSS is bounded and what it reads is still right."""
    tb = build_testbed()
    spec = next(s for s in tb.specs if s.published_as == "scan")
    image = tmp_path / "page.png"
    _page_images(spec)[0].convert("L").save(image)
    env = {k: v for k, v in os.environ.items() if k != "NIANBAO_OCR_CACHE"}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH", "")])
    out = subprocess.run([sys.executable, "-c", _CHILD, str(image)], env=env, capture_output=True,
                         text=True, check=True, timeout=120)
    read = json.loads(out.stdout.strip().splitlines()[-1])
    assert read["peak_mb"] < PEAK_MB
    assert any("政府信息公开工作年度报告" in text for text in read["lines"])
    printed = read_pdf(pdf_bytes(spec))[0][0].tables[0].grid
    grid = read["grids"][0]
    figures = [(r, c) for r, row in enumerate(printed) for c, x in enumerate(row) if re.fullmatch(r"\d+", x)]
    assert figures
    assert [grid[r][c] for r, c in figures] == [printed[r][c] for r, c in figures]
