"""Typer commands of ``repro``: one module per subcommand, each thin over the ``repro`` library."""
