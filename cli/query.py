"""`nianbao query`, `search` and `changes`: read-only SQL, full-text search and report versions,
over catalogue.read and Catalogue.read_only (docs/cli.md)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cli.options import existing_data_option, format_option, open_catalogue


@click.command()
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


@click.command()
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

    A phrase of six characters or more also finds reports read by OCR that hold it with a
    misread character; those come after the exact matches, marked ≈ (`match` = approximate).

    Example: nianbao search 过程性信息 --year 2022 --province 浙江省
    """
    words = " ".join(terms).split()
    if not words:
        raise click.UsageError("search needs a word or phrase, e.g. `nianbao search 过程性信息`")
    from publish.textout import write_rows

    catalogue = open_catalogue(data_dir)
    found = catalogue.search(" ".join(words), year=year, province=province, level=level, limit=limit, rank=rank)
    if not found and fmt == "table":
        click.echo("no matching reports")
        return
    if fmt == "table":
        write_rows(["year", "agency", "title", "snippet"],
                   [(r["year"], r["agency"], r["title"], ("≈ " if r["match"] == "approximate" else "") + r["snippet"])
                    for r in found], maxcolwidths=[6, 24, 40, 50])
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


@click.command()
@existing_data_option
@click.option("--since", required=True, callback=_parse_since, help="ISO date, e.g. 2026-02-01")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text")
def changes(data_dir: str, since: str, as_json: bool) -> None:
    """List reports new, changed (with a text diff) and withdrawn since a date.

    Example: nianbao changes --data ./nianbao-data --since 2026-02-01
    """
    catalogue = open_catalogue(data_dir)
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


COMMANDS = [query, search, changes]
