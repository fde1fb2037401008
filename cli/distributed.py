"""`nianbao worker`, `nianbao status` and `nianbao merge` (`crawl --redis` is in cli/crawl.py)."""

from __future__ import annotations

import json
import time
from dataclasses import asdict

import click

from archive.lock import DataDirLocked


@click.command()
@click.option("--redis", "redis_url", required=True, metavar="URL", help="Redis of the crawl, e.g. redis://host:6379/0")
@click.option("--data", "data_dir", required=True, type=click.Path(file_okay=False),
              help="This worker's own data directory (its WARCs and logs)")
@click.option("--id", "worker_id", default=None, help="Worker id (default: host-pid)")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Override a setting")
def worker(redis_url: str, data_dir: str, worker_id: str | None, overrides: tuple[str, ...]) -> None:
    """Join the distributed crawl running in Redis and work until it is done.

    Example: nianbao worker --redis redis://crawl-host:6379/0 --data /srv/nianbao-worker
    """
    from distributed.store import NoCrawl, Unreachable
    from distributed.worker import run_worker

    started = time.monotonic()
    try:
        stats = run_worker(redis_url, data_dir, worker_id, dict(o.split("=", 1) for o in overrides))
    except (NoCrawl, Unreachable, DataDirLocked) as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"worker {stats.get('finish_reason', '?')} after {time.monotonic() - started:.1f}s: "
               f"{stats.get('downloader/response_count', 0)} responses, "
               f"{stats.get('warc/records_written', 0)} WARC records in {data_dir}/warc")


@click.command()
@click.option("--redis", "redis_url", required=True, metavar="URL", help="Redis of the crawl")
@click.option("--json", "as_json", is_flag=True, help="Print JSON")
def status(redis_url: str, as_json: bool) -> None:
    """Show a distributed crawl: workers alive, queue sizes per portal, leases, pages/s.

    Example: nianbao status --redis redis://crawl-host:6379/0
    """
    import redis

    from distributed.status import crawl_status, format_status
    from distributed.store import Unreachable, connect

    try:
        found = crawl_status(connect(redis_url))
    except Unreachable as e:
        raise click.ClickException(str(e)) from e
    except redis.RedisError as e:
        raise click.ClickException(f"cannot read {redis_url}: {e}") from e
    click.echo(json.dumps(asdict(found), indent=2) if as_json else "\n".join(format_status(found)))


@click.command()
@click.option("--data", "data_dir", required=True, type=click.Path(file_okay=False),
              help="The collection: where the crawl's coordinator ran")
@click.argument("sources", nargs=-1, type=click.Path(exists=True, file_okay=False))
def merge(data_dir: str, sources: tuple[str, ...]) -> None:
    """Collect workers' WARCs into DATA and catalogue the crawl as one run.

    SOURCES are the workers' data directories (copied or mounted here); their closed WARC
    files and CDXJ indexes are copied into DATA/warc, then DATA's catalogue gets the run.

    Example: nianbao merge --data /srv/nianbao /mnt/worker1 /mnt/worker2
    """
    from crawler.registry import RegistryError
    from distributed.merge import MergeConflict
    from distributed.merge import merge as run_merge

    started = time.monotonic()
    try:
        stats = run_merge(data_dir, list(sources))
    except (RegistryError, MergeConflict, DataDirLocked) as e:
        raise click.ClickException(str(e)) from e
    run = stats.get("nianbao/run") or {}
    click.echo(f"merged {stats['merge/copied_files']} files; catalogued {stats.get('replay/responses', 0)} archived "
               f"responses in {time.monotonic() - started:.1f}s as run {run.get('id')}: "
               f"{run.get('reports_new', 0)} new, {run.get('reports_changed', 0)} changed, "
               f"{run.get('reports_unchanged', 0)} unchanged, {run.get('reports_withdrawn', 0)} withdrawn")


COMMANDS = [worker, status, merge]


def crawl_distributed(registry: str, data_dir: str, redis_url: str, overrides: tuple[str, ...],
                      only: tuple[str, ...], sources: tuple[str, ...], merge: bool = True) -> None:
    """`nianbao crawl --redis`: the coordinator (distributed.coordinator)."""
    from crawler.registry import RegistryError
    from distributed.coordinator import crawl
    from distributed.store import Unreachable

    if only:
        raise click.UsageError("--only cannot be combined with --redis: a distributed crawl covers its registry")
    started = time.monotonic()
    settings = dict(o.split("=", 1) for o in overrides)
    try:
        stats = crawl(registry, data_dir, redis_url, settings, sources, merge)
    except (RegistryError, Unreachable, DataDirLocked) as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"distributed crawl {stats.get('distributed/crawl_id')} {stats.get('finish_reason', '?')} in "
               f"{time.monotonic() - started:.1f}s; this worker: {stats.get('downloader/response_count', 0)} "
               f"responses; requeued from dead workers: {stats.get('lease/requeued', 0)}")
    if stats.get("distributed/merge_exit"):
        raise click.ClickException(f"merge failed (exit {stats['distributed/merge_exit']}); see {data_dir}/logs/merge.log")
