"""Archive commands of `nianbao`: verify, serve-archive, export (docs/archive.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crawler.cli import data_option, existing_data_option


@click.command()
@existing_data_option
@click.option("--seal", "do_seal", is_flag=True,
              help="Close WARCs a crash left `.open`: cut to the last complete record, keep the tail as .corrupt")
@click.option("-q", "--quiet", is_flag=True, help="Print problems only, no summary")
def verify(data_dir: str, do_seal: bool, quiet: bool) -> None:
    """Check every WARC record's digests and structure, and every catalogue pointer.

    One line per problem (ERROR or WARNING); exit code 1 if there is any ERROR.

    Example: nianbao verify --data ./nianbao-data
    """
    from archive.verify import verify as run_verify

    result = run_verify(data_dir, do_seal=do_seal, report=lambda p: click.echo(str(p)))
    if not quiet:
        click.echo(f"checked {result.files} WARC files, {result.records} records, {result.rows} "
                   f"catalogue rows: {result.errors} errors, {result.warnings} warnings", err=True)
    sys.exit(1 if result.errors else 0)


@click.command("serve-archive")
@data_option
@click.option("--port", default=8090, show_default=True, help="Port on 127.0.0.1")
@click.option("--collection", default="nianbao", show_default=True, help="pywb collection name")
def serve_archive(data_dir: str, port: int, collection: str) -> None:
    """Browse the archived pages through pywb on 127.0.0.1 until Ctrl-C.

    pywb lives in its own virtualenv ($NIANBAO_PYWB_VENV, default <repo>/.venv-pywb),
    created on first use.

    Example: nianbao serve-archive --data ./nianbao-data --port 8090
    """
    from archive.pywb import PywbError, example_url, serve

    try:
        with serve(data_dir, port=port, collection=collection) as server:
            click.echo(f"pywb collection: {server.collection_url}")
            sample = example_url(data_dir)
            if sample:
                click.echo(f"an archived report: {server.replay_url(sample)}")
            click.echo("Ctrl-C to stop")
            server.wait()
    except PywbError as e:
        raise click.ClickException(str(e)) from e
    except KeyboardInterrupt:
        click.echo("stopped")


@click.command()
@data_option
@click.option("--wacz", "wacz_path", required=True, type=click.Path(dir_okay=False),
              help="WACZ file to write")
@click.option("--title", default=None, help="Title stored in datapackage.json")
def export(data_dir: str, wacz_path: str, title: str | None) -> None:
    """Package every closed WARC of DATA as one WACZ (report pages listed in pages.jsonl).

    Example: nianbao export --data ./nianbao-data --wacz reports.wacz
    """
    from archive.wacz import WaczError, export_wacz

    try:
        summary = export_wacz(data_dir, Path(wacz_path), title=title)
    except WaczError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"wrote {wacz_path}: {summary['warcs']} WARC files, {summary['pages']} pages")


COMMANDS = [verify, serve_archive, export]
