"""Check the catalogue's crawl runs: none left `running` by a dead crawl, none that lost
reports without withdrawals to explain it (issue 11). Called by `archive.verify.verify`."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from archive.lock import holder
from archive.reader import Problem
from catalogue import checks
from extract.loss import LOST_STAT

Report = Callable[[Problem], None]


def check_runs(db_path: str | os.PathLike[str], data_dir: str | os.PathLike[str], report: Report) -> None:
    """One ERROR per run left `running` with no live lock holder, per run that saw fewer
    reports than the last finished run over the same portals, beyond its withdrawals, and for
    the last finished run over each set of portals if it read pages only in part (what they
    show is archived, not all catalogued: a later run or a replay that reads them whole clears
    it)."""
    db_path = Path(db_path)
    runs = checks.crawl_runs(db_path)
    live = holder(data_dir)
    last_finished: dict[str, dict] = {}
    for run in runs:
        where = f"crawl run {run['id']} (`{run['command']}`, started {run['started']})"
        if run["status"] == "running":
            if live is None:
                report(Problem(str(db_path), None, f"{where} was left running and no process holds "
                               f"{Path(data_dir) / '.lock'}: it was killed; run the same command again "
                               "to resume it"))
            else:
                report(Problem(str(db_path), None, f"{where} is running ({live})", "warning"))
            continue
        if run["status"] != "finished":
            continue
        previous = last_finished.get(run["portals"])
        last_finished[run["portals"]] = run
        if previous is None:
            continue
        seen, before = run["reports_seen"] or 0, previous["reports_seen"] or 0
        withdrawn = run["reports_withdrawn"] or 0
        if seen + withdrawn < before:
            report(Problem(str(db_path), None, f"{where} saw {seen} reports of {json.loads(run['portals'])}, "
                           f"{before - seen} fewer than run {previous['id']} ({before}), and withdrew "
                           f"only {withdrawn}: reports were lost (see its errors: {run['errors']})"))
    for run in last_finished.values():
        lost = json.loads(run["stats"] or "{}").get(LOST_STAT, 0)
        if lost:
            report(Problem(str(db_path), None, f"crawl run {run['id']} (`{run['command']}`, started "
                           f"{run['started']}) read {lost} page(s) or document(s) only in part: what "
                           "they show is archived but not all in the catalogue (URLs in its log; "
                           "`nianbao replay` reads them again)"))
