"""``python -m repro``: the same command line as ``repro``."""

from cli import main

main()
