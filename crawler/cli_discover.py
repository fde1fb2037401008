"""Discovery and coverage commands of `nianbao`: discover, coverage (docs/discover.md)."""

from __future__ import annotations

import sys

import click


@click.command()
@click.argument("urls", nargs=-1, required=True)
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None,
              help="Write the registry here (default: stdout)")
@click.option("--data", "data_dir", type=click.Path(file_okay=False), default=None,
              help="Archive what discovery fetches in DATA/warc (log in DATA/logs/discover.log)")
@click.option("--domain", "domains", multiple=True, metavar="DOMAIN",
              help="Also visit this domain (host or host:port); each URL's own domain always is")
def discover(urls: tuple[str, ...], out: str | None, data_dir: str | None, domains: tuple[str, ...]) -> None:
    """Find the annual-report columns of portals from their home pages and write a registry.

    Follows 政务公开 / 信息公开 sections, 信息公开目录 trees and body subsites; each candidate column
    is fetched and kept only when it lists reports. Columns it cannot decide on are listed on
    stderr and as comments in the registry.

    Example: nianbao discover http://www.ahjinan.gov.cn/ --out portals.toml --data ./nianbao-data
    """
    from crawler.discovery import discover as run_discover
    from crawler.discovery import portal_entries, registry_toml, undecided

    try:
        sites = run_discover(list(urls), data_dir, domains)
    except ValueError as e:
        raise click.ClickException(str(e)) from e
    text = registry_toml(sites)
    if out:
        with open(out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        click.echo(text, nl=False)
    for line in undecided(sites):
        click.echo(line, err=True)
    entries = portal_entries(sites)
    click.echo(f"{len(entries)} bodies, {sum(len(e['start_urls']) for e in entries)} report columns"
               + (f" → {out}" if out else ""), err=True)
    if not entries:
        sys.exit(1)


COMMANDS = [discover]
