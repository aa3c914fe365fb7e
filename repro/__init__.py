"""repro: reproduce and verify the published tables of two social-science papers.

The package holds the computation (plain functions over plain data); the Typer
commands in ``commands/`` only parse options, call these functions and present.
"""

__version__ = "0.1.0"
