"""Rows for people and for programs: an aligned table, CSV or JSON lines.

Tables measure Chinese by display width (wcwidth: one 汉字 takes two columns), so columns
line up in a terminal. A reader that closes the pipe early (`| head -1`) ends the output
quietly, as sqlite-utils does.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

import wcwidth
from tabulate import tabulate

FORMATS = ("table", "csv", "jsonl", "json")


def display_width(text: str) -> int:
    """Terminal columns a string takes (CJK characters count two)."""
    width = wcwidth.wcswidth(text)
    return width if width >= 0 else len(text)


def write_rows(columns: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str = "table",
               out: TextIO | None = None, maxcolwidths: int | list[int | None] | None = None) -> None:
    out = out or sys.stdout
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False) + "\n")
    elif fmt == "json":
        json.dump([dict(zip(columns, row, strict=True)) for row in rows], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "table":
        # tabulate pads by wcwidth when the module is importable (tabulate.WIDE_CHARS_MODE)
        out.write(tabulate(list(rows), headers=list(columns), tablefmt="simple",
                           maxcolwidths=maxcolwidths, disable_numparse=True) + "\n")
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def silence_broken_pipe() -> None:
    """The reader went away: point stdout at /dev/null so the exit flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)
