"""Catalogue commands for people: serve (Datasette web UI) and plot (PNG charts)."""

from __future__ import annotations

import contextlib
import signal
import socket
from pathlib import Path

import click

from cli.options import existing_data_option


@contextlib.contextmanager
def sigterm_as_interrupt():
    """SIGTERM stops a server like Ctrl-C: the `with` blocks unwind, so a pywb child is stopped
    and its port freed (the default action would kill only this process)."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _catalogue(data_dir: str) -> Path:
    path = Path(data_dir) / "catalogue.db"
    if not path.is_file():
        raise click.ClickException(f"no catalogue at {path}; run `nianbao crawl` or `nianbao demo` first")
    return path


@click.command()
@existing_data_option
@click.option("--port", default=8001, show_default=True, help="Port on 127.0.0.1 for the web UI")
@click.option("--replay-url", default=None, metavar="URL",
              help="A running pywb collection (e.g. http://127.0.0.1:8090/nianbao/); default: start one")
@click.option("--replay-port", default=0, help="Port for the pywb started alongside (default: any free port)")
@click.option("--no-replay", is_flag=True, help="Do not start pywb; reports link to their original URLs only")
def serve(data_dir: str, port: int, replay_url: str | None, replay_port: int, no_replay: bool) -> None:
    """Browse the catalogue in a web browser (Datasette on 127.0.0.1) until Ctrl-C.

    Search (Chinese phrases of any length), facets by place, level, year, template and status,
    common questions as canned queries, each report's tables and its archived page (pywb,
    started alongside unless --replay-url or --no-replay), and charts.

    Example: nianbao serve --data ./nianbao-data --port 8001
    """
    from archive.pywb import PywbError
    from archive.pywb import serve as serve_pywb
    from webui.app import run

    catalogue = _catalogue(data_dir)
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise click.BadParameter(f"port {port} on 127.0.0.1 is in use; choose another, e.g. --port {port + 1}",
                                     param_hint="--port")
    with sigterm_as_interrupt(), contextlib.ExitStack() as stack:
        if not replay_url and not no_replay:
            try:
                pywb = stack.enter_context(serve_pywb(data_dir, port=replay_port))
            except PywbError as e:
                raise click.ClickException(f"{e} (or run with --no-replay)") from e
            replay_url = pywb.collection_url
            click.echo(f"archived pages (pywb): {replay_url}")
        click.echo(f"catalogue: http://127.0.0.1:{port}/   (Ctrl-C to stop)")
        try:
            run(catalogue, port, replay_url)
        except KeyboardInterrupt:
            pass
    click.echo("stopped")


@click.command()
@existing_data_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Directory for the PNG files [default: DATA/charts]")
def plot(data_dir: str, out_dir: str | None) -> None:
    """Draw the catalogue as PNG charts: reports per year and level, applications by province,
    refusal reasons, coverage (share of bodies with a report each year).

    Example: nianbao plot --data ./nianbao-data --out charts/
    """
    from publish.charts import NoCJKFont, plot_all

    catalogue = _catalogue(data_dir)
    try:
        charts = plot_all(catalogue, Path(out_dir or Path(data_dir) / "charts"))
    except NoCJKFont as e:
        raise click.ClickException(str(e)) from e
    for chart, path in charts:
        click.echo(f"{path}  {chart.title} ({len(chart.bars)} bars)")


COMMANDS = [serve, plot]
