"""`python -m crawler` runs the `nianbao` command (used by tests and scheduled runs)."""

from crawler.cli import main

main()
