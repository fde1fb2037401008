"""The summary printed at the end of a crawl or demo."""

from __future__ import annotations

import json
from typing import Any

import click

from crawler.run import data_paths


def _dir_bytes(path) -> int:
    return sum(p.stat().st_size for p in path.glob("*") if p.is_file()) if path.exists() else 0


def print_summary(data_dir: str, stats: dict[str, Any], seconds: float, demo: bool = False) -> None:
    from catalogue.catalogue import Catalogue

    paths = data_paths(data_dir)
    catalogue = Catalogue(paths["catalogue"])
    run_id = stats.get("nianbao/run_id")
    run = catalogue.run(run_id) if run_id else {}
    total = catalogue.report_count()
    portals = run.get("portals", "[]")
    echo = click.echo
    echo("")
    echo(f"crawl {run_id} {stats.get('finish_reason', '?')} in {seconds:.1f}s")
    echo(f"  portals            {portals}")
    echo(f"  pages fetched      {stats.get('downloader/response_count', 0)}")
    echo(f"  reports            {run.get('reports_new', 0)} new, {run.get('reports_changed', 0)} changed, "
         f"{run.get('reports_unchanged', 0)} unchanged, {run.get('reports_withdrawn', 0)} withdrawn; "
         f"{total} in catalogue")
    echo(f"  failed             {run.get('failed', 0)}")
    echo(f"  refused            {run.get('refused') or 0}")
    for line in json.loads(run.get("warnings") or "[]"):
        echo(f"  warning            {line}")
    echo(f"  WARC bytes         {stats.get('warc/bytes_written', 0):,} in {paths['warc']}")
    echo(f"  catalogue          {paths['catalogue']} ({_dir_bytes(paths['data']):,} bytes in {paths['data']})")
    errors = {k.split("/")[-1]: v for k, v in stats.items()
              if k.startswith(("nianbao/errors/", "extract/error", "warc/write_error"))}
    for kind, count in sorted(errors.items()):
        echo(f"    {kind:<24}{count}")
    echo(f"  log                {paths['logs'] / 'crawl.log'}")
    echo("")
    echo("Try:")
    echo(f'  nianbao query --data {data_dir} "select year, agency, title from reports order by year desc limit 10"')
    echo(f'  nianbao query --data {data_dir} "select agency, year, applications_received, granted from report_summary where applications_received is not null order by applications_received desc"')
    catalogue.close()
