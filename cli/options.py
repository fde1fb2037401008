"""What the `nianbao` commands share: the help settings, --data, --format, and opening the
catalogue for reading (docs/cli.md)."""

from __future__ import annotations

from pathlib import Path

import click

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
DEFAULT_DATA = "./nianbao-data"


class BadRegistry(click.ClickException):
    """A registry that fails its checks is bad input: exit 2, as click's usage errors."""

    exit_code = 2


def data_option(fn):
    return click.option("--data", "data_dir", type=click.Path(file_okay=False), default=DEFAULT_DATA,
                        show_default=True, help="Data directory (WARCs, catalogue, logs)")(fn)


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


def open_catalogue(data_dir: str):
    from catalogue.catalogue import Catalogue
    from crawler.run import data_paths

    path = data_paths(data_dir)["catalogue"]
    if not path.exists():
        raise click.ClickException(f"no catalogue at {path}; run `nianbao crawl` or `nianbao demo` first")
    return Catalogue.read_only(path)
