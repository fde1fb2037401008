"""The `nianbao` command: a thin click layer over the library (docs/cli.md)."""

from __future__ import annotations

import json
import time
from datetime import UTC
from pathlib import Path

import click

from archive.lock import DataDirLocked
from crawler.registry import RegistryError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
DEFAULT_DATA = "./nianbao-data"


class BadRegistry(click.ClickException):
    """A registry that fails its checks is bad input: exit 2, as click's usage errors."""

    exit_code = 2


def data_option(fn):
    return click.option("--data", "data_dir", type=click.Path(file_okay=False), default=DEFAULT_DATA,
                        show_default=True, help="Data directory (WARCs, catalogue, logs)")(fn)


class NianbaoGroup(click.Group):
    """Ends quietly with exit 0 when the reader of stdout goes away (`nianbao changes | head -1`)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            from publish.textout import silence_broken_pipe

            silence_broken_pipe()
            ctx.exit(0)


def _existing_data(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not Path(value).is_dir():
        raise click.BadParameter(f"directory {value} does not exist; give the --data directory of a "
                                 "crawl (`nianbao crawl` or `nianbao demo` create one)", ctx, param)
    return value


def existing_data_option(fn):
    """--data for commands that read what a crawl wrote: it must exist (checked before any work)."""
    return click.option("--data", "data_dir", type=click.Path(file_okay=False), default=DEFAULT_DATA,
                        show_default=True, callback=_existing_data,
                        help="Data directory written by a crawl (WARCs, catalogue, logs)")(fn)


def format_option(fn):
    from publish.textout import FORMATS

    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="table (aligned, CJK-aware), csv, jsonl (one JSON object a line) or json")(fn)


@click.group(context_settings=CONTEXT_SETTINGS, cls=NianbaoGroup)
@click.version_option(package_name="nianbao")
def cli() -> None:
    """nianbao (年报): archive and catalogue government information-disclosure annual reports."""


@cli.command()
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
        from distributed.cli import crawl_distributed

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


@cli.command()
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


@cli.command()
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


@cli.command()
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


@cli.command()
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


@cli.command()
@existing_data_option
@click.argument("sql")
@format_option
@click.option("--json", "as_json", is_flag=True, help="Print rows as one JSON array (same as --format json)")
def query(data_dir: str, sql: str, fmt: str, as_json: bool) -> None:
    """Run read-only SQL against DATA/catalogue.db and print the result.

    The catalogue is opened read-only: statements that would change it fail.

    Example: nianbao query --data ./nianbao-data "select year, count(*) from reports group by year"
    """
    import sqlite3

    from catalogue.read import CatalogueMissing, connect, rows
    from publish.textout import write_rows

    try:
        conn = connect(Path(data_dir) / "catalogue.db")
    except CatalogueMissing as e:
        raise click.ClickException(f"{e}; run `nianbao crawl` or `nianbao demo` first") from e
    try:
        columns, found = rows(conn, sql)
    except sqlite3.Error as e:
        if "readonly" in str(e) or "not authorized" in str(e):
            raise click.ClickException(f"the catalogue is read-only: `query` runs SELECT statements only ({e})") from e
        raise click.ClickException(f"SQL error: {e}") from e
    except sqlite3.Warning as e:
        raise click.ClickException(f"SQL error: {e}; run one statement at a time") from e
    write_rows(columns, found, "json" if as_json else fmt, maxcolwidths=60 if fmt == "table" else None)


@cli.command()
@existing_data_option
@click.argument("terms", nargs=-1, required=True)
@click.option("--year", type=int, help="Report year")
@click.option("--province", help="e.g. 浙江省")
@click.option("--level", type=click.Choice(["province", "prefecture", "county", "township", "department"]))
@click.option("--limit", default=20, show_default=True)
@click.option("--rank", is_flag=True, help="Order by relevance (bm25) instead of newest first")
@format_option
def search(data_dir: str, terms: tuple[str, ...], year: int | None, province: str | None,
           level: str | None, limit: int, rank: bool, fmt: str) -> None:
    """Full-text search of the catalogue's reports (Chinese works: trigram index).

    Example: nianbao search 过程性信息 --year 2022 --province 浙江省
    """
    words = " ".join(terms).split()
    if not words:
        raise click.UsageError("search needs a word or phrase, e.g. `nianbao search 过程性信息`")
    from publish.textout import write_rows

    catalogue = _open_catalogue(data_dir)
    found = catalogue.search(" ".join(words), year=year, province=province, level=level, limit=limit, rank=rank)
    if not found and fmt == "table":
        click.echo("no matching reports")
        return
    if fmt == "table":
        write_rows(["year", "agency", "title", "snippet"],
                   [(r["year"], r["agency"], r["title"], r["snippet"]) for r in found], maxcolwidths=[6, 24, 40, 50])
    else:
        columns = list(found[0]) if found else ["id", "title", "agency", "year", "province", "level", "url", "snippet"]
        write_rows(columns, [tuple(r.values()) for r in found], fmt)


def _parse_since(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from datetime import date, datetime

    try:
        return (date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD, e.g. --since 2026-02-01",
                                 ctx, param) from None


@cli.command()
@existing_data_option
@click.option("--since", required=True, callback=_parse_since, help="ISO date, e.g. 2026-02-01")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text")
def changes(data_dir: str, since: str, as_json: bool) -> None:
    """List reports new, changed (with a text diff) and withdrawn since a date.

    Example: nianbao changes --data ./nianbao-data --since 2026-02-01
    """
    catalogue = _open_catalogue(data_dir)
    found = catalogue.changes(since)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for kind in ("new", "changed", "withdrawn"):
        click.echo(f"{kind}: {len(found[kind])}")
        for r in found[kind]:
            when = r.get("withdrawn_on") or r.get("seen_at", "")[:10]
            extra = f" (last seen {r['last_seen']})" if kind == "withdrawn" else ""
            click.echo(f"  {when}  {r['agency']}  {r['year']}  {r['title']}{extra}\n    {r['url']}")
            if kind == "changed":
                click.echo("\n".join("    " + line for line in r["diff"].splitlines()))


def _open_catalogue(data_dir: str):
    from catalogue.catalogue import Catalogue
    from crawler.run import data_paths

    path = data_paths(data_dir)["catalogue"]
    if not path.exists():
        raise click.ClickException(f"no catalogue at {path}; run `nianbao crawl` or `nianbao demo` first")
    return Catalogue.read_only(path)


def _register_plugins() -> None:
    """Commands that live beside the library code they front."""
    import importlib

    for module in ("crawler.cli_archive", "crawler.cli_catalogue", "crawler.cli_discover", "distributed.cli"):
        try:
            commands = importlib.import_module(module).COMMANDS
        except ModuleNotFoundError as e:
            if e.name != module:
                raise
            continue
        for command in commands:
            cli.add_command(command)


_register_plugins()


def main() -> None:
    cli(prog_name="nianbao")
