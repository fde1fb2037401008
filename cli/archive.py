"""Archive commands of `nianbao`: verify, serve-archive, export (docs/archive.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.options import existing_data_option


@click.command()
@existing_data_option
@click.option("--seal", "do_seal", is_flag=True,
              help="Close WARCs a crash left `.open`: cut to the last complete record, keep the tail as .corrupt")
@click.option("-q", "--quiet", is_flag=True, help="Print problems only, no summary")
def verify(data_dir: str, do_seal: bool, quiet: bool) -> None:
    """Check every WARC record's digests and structure, every catalogue pointer, and the
    crawl runs: one killed, one that lost reports, the last one that read pages only in part.

    One line per problem (ERROR or WARNING); exit code 1 if there is any ERROR.

    Example: nianbao verify --data ./nianbao-data
    """
    from archive.verify import verify as run_verify
    from crawler.progress import track

    result = run_verify(data_dir, do_seal=do_seal, report=lambda p: click.echo(str(p)),
                        progress=lambda files: track(files, "verify", "WARC"))
    if not quiet:
        click.echo(f"checked {result.files} WARC files, {result.records} records, {result.rows} "
                   f"catalogue rows: {result.errors} errors, {result.warnings} warnings", err=True)
    sys.exit(1 if result.errors else 0)


@click.command("serve-archive")
@existing_data_option
@click.option("--port", default=8090, show_default=True, help="Port on 127.0.0.1")
@click.option("--collection", default="nianbao", show_default=True, help="pywb collection name")
def serve_archive(data_dir: str, port: int, collection: str) -> None:
    """Browse the archived pages through pywb on 127.0.0.1 until Ctrl-C.

    pywb lives in its own virtualenv ($NIANBAO_PYWB_VENV, default <repo>/.venv-pywb),
    created on first use.

    Example: nianbao serve-archive --data ./nianbao-data --port 8090
    """
    from archive.pywb import PywbError, example_url, serve
    from cli.catalogue import sigterm_as_interrupt

    try:
        with sigterm_as_interrupt(), serve(data_dir, port=port, collection=collection) as server:
            click.echo(f"pywb collection: {server.collection_url}")
            sample = example_url(data_dir)
            if sample:
                # the page itself (id_: the archived bytes); in a browser pywb turns mp_ back into its frame page
                click.echo(f"an archived report: {server.replay_url(sample, _capture_stamp(data_dir, sample), 'id_')}")
            click.echo("Ctrl-C to stop")
            server.wait()
    except PywbError as e:
        raise click.ClickException(str(e)) from e
    except KeyboardInterrupt:
        click.echo("stopped")


def _capture_stamp(data_dir: str, url: str) -> str:
    """The 14-digit timestamp of the catalogue's capture of URL (pywb picks the nearest)."""
    from archive.pywb import pywb_timestamp
    from catalogue.read import CAPTURE_TIME, CatalogueMissing, connect

    try:
        conn = connect(Path(data_dir) / "catalogue.db")
    except CatalogueMissing:
        return ""
    try:
        row = conn.execute(CAPTURE_TIME, [url, url]).fetchone()
    except Exception:
        row = None
    finally:
        conn.close()
    return pywb_timestamp(row[0]) if row else ""


@click.command()
@existing_data_option
@click.option("--wacz", "wacz_path", default=None, type=click.Path(dir_okay=False),
              help="WACZ file to write (the archive itself)")
@click.option("--title", default=None, help="Title stored in datapackage.json (with --wacz)")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "parquet"]), default=None,
              help="Export the catalogue's tables in this format (for pandas, R, spreadsheets)")
@click.option("--to", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Directory for the table files [default: DATA/export]")
@click.option("--table", "tables", multiple=True,
              type=click.Choice(["reports", "statistics", "statistics_wide", "checks"]),
              help="Only these tables (repeatable) [default: all four]")
def export(data_dir: str, wacz_path: str | None, title: str | None, fmt: str | None, out_dir: str | None,
           tables: tuple[str, ...]) -> None:
    """Package the archive as WACZ (--wacz), or the catalogue as tables (--format).

    Tables: reports; statistics (long: one row per table cell, with place and year);
    statistics_wide (one row per report, one column per codebook key such as
    t3_v2021.new.total); checks. CSV is UTF-8 with a BOM, so spreadsheets read the Chinese.

    Example: nianbao export --data ./nianbao-data --format parquet --to ./tables
    (and: nianbao export --data ./nianbao-data --wacz reports.wacz)
    """
    if bool(wacz_path) == bool(fmt):
        raise click.UsageError("give either --wacz FILE (the archive) or --format csv|jsonl|parquet (the tables)")
    if wacz_path:
        from archive.wacz import WaczError, export_wacz

        try:
            summary = export_wacz(data_dir, Path(wacz_path), title=title)
        except WaczError as e:
            raise click.ClickException(str(e)) from e
        click.echo(f"wrote {wacz_path}: {summary['warcs']} WARC files, {summary['pages']} pages")
        return
    from catalogue.read import CatalogueMissing
    from crawler.progress import bar
    from publish.export import TABLES, export_tables

    target = Path(out_dir or Path(data_dir) / "export")
    try:
        written = export_tables(Path(data_dir) / "catalogue.db", target, fmt, tables or TABLES,
                                progress=lambda table, total: bar(total, table, "row"))
    except CatalogueMissing as e:
        raise click.ClickException(f"{e}; run `nianbao crawl` or `nianbao demo` first") from e
    for table, (path, count) in written.items():
        click.echo(f"{path}  {count} rows ({table})")


COMMANDS = [verify, serve_archive, export]
