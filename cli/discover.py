"""Discovery and coverage commands of `nianbao`: discover, coverage (docs/discover.md)."""

from __future__ import annotations

import sys

import click

from cli.options import data_option


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


def _spans(years: list[int]) -> str:
    """2019–2021, 2023"""
    out: list[list[int]] = []
    for y in years:
        if out and y == out[-1][1] + 1:
            out[-1][1] = y
        else:
            out.append([y, y])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in out)


@click.command()
@data_option
@click.option("--year", type=int, default=None, help="Latest year to consider (default: the latest catalogued)")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True)
@click.option("--chart", type=click.Path(dir_okay=False), default=None, help="Also draw the grid as a PNG")
@click.option("--region", "regions", multiple=True, metavar="PREFECTURE",
              help="Check the counties of this prefecture (name or division code); "
                   "default: the prefectures of the catalogued county governments")
@click.option("--portals", "registry", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Registry whose bodies to include (default: the one kept in DATA by the last crawl)")
def coverage(data_dir: str, year: int | None, fmt: str, chart: str | None, regions: tuple[str, ...],
             registry: str | None) -> None:
    """Which bodies published a report for which years: missing, withdrawn, stopped publishing.

    Every body the registry or the catalogue knows of, from its first report to YEAR; and the
    counties of a prefecture whose government has no report.

    Example: nianbao coverage --data ./nianbao-data --year 2024 --chart coverage.png
    """
    from archive.coverage import coverage as run_coverage
    from cli.options import open_catalogue
    from crawler.registry import RegistryError, load_registry
    from crawler.run import data_paths

    registry_path = registry or data_paths(data_dir)["registry"]
    try:
        portals = load_registry(registry_path) if registry or registry_path.exists() else []
        cov = run_coverage(open_catalogue(data_dir), {p.title: p.name for p in portals if p.title},
                           year, list(regions) or None)
    except (RegistryError, ValueError) as e:
        raise click.ClickException(str(e)) from e
    if fmt == "csv":
        click.echo(cov.to_csv(), nl=False)
    else:
        _print_table(cov)
    if chart:
        from publish.coverage_chart import write_chart

        if write_chart(cov, chart) is None:
            click.echo("warning: no CJK font installed (fonts-noto-cjk); names in the chart are boxes", err=True)
        click.echo(f"chart written to {chart}", err=True)


def _print_table(cov) -> None:
    from tabulate import tabulate

    rows = [(b.name, b.portal or "", _spans(b.years), _spans(b.missing), _spans(b.withdrawn),
             "; ".join(n for n in (f"stopped in {cov.year}" if b.stopped(cov.year) else "",
                                   "only re-posts seen (its own site is not crawled)" if b.reposts_only else "") if n))
            for b in cov.bodies]
    click.echo(tabulate(rows, headers=["body", "portal", "reports", "missing", "withdrawn", ""], disable_numparse=True))
    if cov.counties:
        click.echo()
        rows = [(c.code, c.name, _spans(c.years), _spans(c.missing), _spans(c.withdrawn)) for c in cov.counties]
        click.echo(tabulate(rows, headers=["code", "county (its government's report)", "reports", "missing",
                                           "withdrawn"], disable_numparse=True))
    click.echo(f"\n{len(cov.bodies)} bodies, {cov.first_year}–{cov.year}: {len(cov.missing())} body-years "
               f"missing, {sum(len(b.withdrawn) for b in cov.bodies)} withdrawn, "
               f"{len(cov.stopped)} stopped publishing in {cov.year}")
    if cov.unattributed:
        click.echo(f"warning: {cov.unattributed} reports have no issuing body or year and are not counted",
                   err=True)


COMMANDS = [discover, coverage]
