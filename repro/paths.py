"""One place for every path: datasets, templates, fonts and the catalog.

In a checkout the data folders stand beside this package; in an installed wheel
they are copied inside it (``repro/datasets``, ``repro/templates``). Both layouts
are looked up here, so a wheel and a checkout behave the same.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the {name}/ folder is missing from the installation")


def datasets_dir() -> Path:
    """Folder of the transcribed datasets and ``datapackage.json``."""
    return _data_dir("datasets")


def templates_dir() -> Path:
    """Folder of the Jinja templates and the embedded fonts."""
    return _data_dir("templates")


def catalog_path() -> Path:
    """The kk/ru/en label catalog."""
    return PACKAGE_DIR / "catalog.toml"


def dataset(name: str) -> Path:
    """Path of one dataset file by its file name."""
    return datasets_dir() / name
