"""Docs live beside the code and are checked: every command and every setting documented."""

import re
from pathlib import Path

import pytest

from cli.docs import cli_reference
from cli.main import cli
from crawler import settings

DOCS = Path(__file__).resolve().parent.parent / "docs"
OWN_SETTINGS = ["WARC_ENABLED", "WARC_DIR", "WARC_PREFIX", "WARC_ROTATE_BYTES", "WARC_REVISIT_REQUESTS", "CATALOGUE_PATH",
                "EXTRACT_WORKERS", "EXTRACT_WORKER_MAX_RSS_MB", "EXTRACT_OCR_THREADS", "EXTRACT_FUNCTION", "EXTRACT_MAXSIZE", "CATALOGUE_BATCH_ITEMS", "CATALOGUE_BATCH_SECONDS", "CATALOGUE_CACHE_MB", "WITHDRAW_AFTER_RUNS", "REVALIDATE_ENABLED", "REPLAY_ENABLED", "BACKOFF_MAX_DELAY", "PORTAL_CONCURRENCY", "PORTAL_DELAY"]


def test_cli_reference_is_up_to_date():
    assert (DOCS / "cli.md").read_text() == cli_reference() + "\n", \
        "regenerate with: python -m cli.docs > docs/cli.md"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_has_help_with_example(name):
    help_text = cli.commands[name].help or ""
    assert help_text.strip() and "Example:" in help_text


@pytest.mark.parametrize("name", OWN_SETTINGS)
def test_setting_documented(name):
    assert re.search(rf"^## {name}$", (DOCS / "settings.md").read_text(), re.M)


def test_own_settings_listed():
    declared = {n for n in dir(settings) if n.startswith(("WARC_", "CATALOGUE_", "EXTRACT_", "WITHDRAW_", "REPLAY_", "REVALIDATE_", "BACKOFF_", "PORTAL_"))}
    assert declared <= set(OWN_SETTINGS)
