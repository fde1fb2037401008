"""`nianbao crawl`, `schedule`, `demo`, `replay` and `extract`: thin layers over crawler.run,
crawler.schedule and extract (docs/cli.md)."""

from __future__ import annotations

import json
import time
from datetime import UTC
from pathlib import Path

import click

from archive.lock import DataDirLocked
from cli.options import BadRegistry, data_option
from crawler.registry import RegistryError


@click.command()
@click.option("--portals", "registry", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Portal registry (TOML)")
@data_option
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy/nianbao setting")
@click.option("--only", multiple=True, metavar="PORTAL", help="Crawl only these portals (by name)")
@click.option("--redis", "redis_url", default=None, metavar="URL",
              help="Distributed: frontier and crawl state in this Redis; workers join with `nianbao worker`")
@click.option("--merge-from", "sources", multiple=True, type=click.Path(file_okay=False), metavar="DIR",
              help="With --redis: workers' data directories to merge into DATA when the crawl is done")
@click.option("--no-merge", is_flag=True, help="With --redis: leave the merge to `nianbao merge`")
def crawl(registry: str, data_dir: str, overrides: tuple[str, ...], only: tuple[str, ...],
          redis_url: str | None, sources: tuple[str, ...], no_merge: bool) -> None:
    """Crawl every portal of a registry into DATA (WARCs + catalogue).

    With --redis URL the crawl is distributed: this process seeds it, works in it, and
    merges every worker's WARCs into DATA's catalogue when it is done (docs/distributed.md).

    Example: nianbao crawl --portals portals.toml --data ./nianbao-data
    """
    if redis_url:
        from cli.distributed import crawl_distributed

        return crawl_distributed(registry, data_dir, redis_url, overrides, only, sources, not no_merge)
    from crawler.run import crawl as run_crawl
    from crawler.summary import print_summary

    settings = dict(item.split("=", 1) for item in overrides)
    settings["NIANBAO_COMMAND"] = "crawl " + registry
    started = time.monotonic()
    try:
        stats = run_crawl(registry, data_dir, settings, only=only)
    except RegistryError as e:
        raise BadRegistry(str(e)) from e
    except DataDirLocked as e:
        raise click.ClickException(str(e)) from e
    print_summary(data_dir, stats, time.monotonic() - started)


@click.command()
@click.option("--portals", "registry", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Portal registry (TOML); each portal's `schedule` key holds cron expressions")
@data_option
@click.option("--list", "list_only", is_flag=True, help="Print each portal's next run and exit")
def schedule(registry: str, data_dir: str, list_only: bool) -> None:
    """Run recurring crawls as a long-lived process (APScheduler cron triggers).

    Default per portal: daily at 03:00 in February–April, when reports appear, and weekly
    otherwise. Portals due at the same time are crawled in one run, and runs into DATA never
    overlap. The cron equivalent of one run is shown in the README.

    Example: nianbao schedule --portals portals.toml --data /srv/nianbao
    """
    from datetime import datetime

    from crawler.registry import load_registry
    from crawler.schedule import build_scheduler, portal_trigger

    try:
        portals = load_registry(registry)
        scheduler = build_scheduler(portals, str(Path(registry).resolve()), str(Path(data_dir).resolve()))
    except (RegistryError, ValueError) as e:
        raise BadRegistry(str(e)) from e
    now = datetime.now(UTC)
    for portal in portals:
        click.echo(f"{portal.name:20} next crawl {portal_trigger(portal).get_next_fire_time(None, now)}")
    if not list_only:
        click.echo("scheduler running; Ctrl-C to stop")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            click.echo("scheduler stopped")


@click.command()
@data_option
@click.option("--scale", default=1, show_default=True, help="Size of the simulated portal set")
def demo(data_dir: str, scale: int) -> None:
    """Start the built-in simulated portals, crawl them, and show what was catalogued.

    Example: nianbao demo --data ./nianbao-data
    """
    from crawler.run import crawl as run_crawl
    from crawler.summary import print_summary
    from simportals import build_testbed, serve_testbed

    Path(data_dir).mkdir(parents=True, exist_ok=True)
    registry = Path(data_dir) / "portals.toml"
    started = time.monotonic()
    with serve_testbed(build_testbed(scale=scale)) as running:
        registry.write_text(running.registry_toml(), encoding="utf-8")
        click.echo(f"simulated portals up; registry written to {registry}")
        try:
            stats = run_crawl(registry, data_dir, {"NIANBAO_COMMAND": "demo"})
        except DataDirLocked as e:
            raise click.ClickException(str(e)) from e
    print_summary(data_dir, stats, time.monotonic() - started, demo=True)


@click.command()
@data_option
@click.option("--to", "to_db", type=click.Path(dir_okay=False), default=None,
              help="Write the rebuilt catalogue here instead of replacing DATA/catalogue.db")
@click.option("--portals", "registry", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Registry to replay (default: the one kept in DATA by the last crawl)")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a setting, e.g. EXTRACT_FUNCTION=my.module:extract_page")
@click.option("--force", is_flag=True,
              help="Replace the catalogue even if the rebuilt one has fewer reports (the old one is kept)")
def replay(data_dir: str, to_db: str | None, registry: str | None, overrides: tuple[str, ...],
           force: bool) -> None:
    """Rebuild the catalogue from the WARCs alone, with no network.

    Runs the same spider callbacks and pipelines as a live crawl over responses rebuilt from
    the archive, so an extractor improvement can be applied to old captures. The new
    catalogue is swapped in atomically and the old one kept as catalogue.db.bak-<time>; one
    with fewer reports replaces it only with --force. Damaged records are named and skipped.

    Example: nianbao replay --data ./nianbao-data --to /tmp/replayed.db
    """
    from crawler.catalogue_swap import CatalogueShrinks
    from crawler.run import replay as run_replay

    started = time.monotonic()
    try:
        stats = run_replay(data_dir, to_db, registry, dict(item.split("=", 1) for item in overrides), force)
    except RegistryError as e:
        raise BadRegistry(str(e)) from e
    except DataDirLocked as e:
        raise click.ClickException(str(e)) from e
    except CatalogueShrinks as e:
        _replay_summary(e.stats, started)  # type: ignore[attr-defined]
        raise click.ClickException(str(e)) from e
    _replay_summary(stats, started)


def _replay_summary(stats: dict, started: float) -> None:
    swap = stats.get("replay/catalogue")
    target = f" → {swap.target}" if swap else ""
    click.echo(f"replayed {stats.get('replay/responses', 0)} archived responses in "
               f"{time.monotonic() - started:.1f}s{target}")
    for line in stats.get("replay/damaged", []):
        click.echo(f"  damaged: {line}")
    missing, too_large = stats.get("replay/not_in_archive", 0), stats.get("replay/too_large", 0)
    if missing or too_large or stats.get("replay/damaged"):
        click.echo(f"  not in archive: {missing}; damaged records skipped: {len(stats.get('replay/damaged', []))}; "
                   f"too large to read: {too_large} (see logs/replay.log)")
    if swap and swap.backup:
        click.echo(f"  {swap.reports} reports (was {swap.old_reports}); previous catalogue kept as {swap.backup}")
    if swap and swap.fewer:
        click.echo(f"  --force: {swap.fewer} fewer reports than before; missing: " + ", ".join(swap.missing[:20]))


@click.command()
@click.argument("page", type=click.Path(exists=True, dir_okay=False))
@click.option("--url", default=None, help="The page's URL (for relative links and URL dates)")
@click.option("--content-type", default=None, help="Content-Type header, e.g. 'text/html; charset=gbk'")
def extract(page: str, url: str | None, content_type: str | None) -> None:
    """Extract one saved page or attachment and print ONE JSON object.

    Example: nianbao extract report.html --url http://www.example.gov.cn/xxgk/ndbg/t20240308_1.html
    """
    from extract import extract_page

    headers = [("Content-Type", content_type)] if content_type else None
    result = extract_page(Path(page).read_bytes(), url=url, headers=headers)
    click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))


COMMANDS = [crawl, schedule, demo, replay, extract]
