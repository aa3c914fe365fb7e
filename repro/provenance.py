"""Provenance of the report: its date (from data, never the clock), the tool and library versions,
how to install the tool and the dataset hashes.

The date is ``SOURCE_DATE_EPOCH`` when that is set (reproducible builds,
https://reproducible-builds.org/specs/source-date-epoch/), else the datasets' own date
(``created`` in ``datasets/datapackage.json``): the same bytes on every machine and clock.
"""

from __future__ import annotations

import json
import os
import platform
import time
from importlib import metadata

from repro.errors import ReproError
from repro.paths import dataset

DEPENDENCIES = ("typer", "rich", "numpy", "scipy", "pandas", "jinja2", "weasyprint", "pydyf", "babel")
# how a reader gets the tool (the README's two set-up commands)
INSTALL = "python -m venv .venv && .venv/bin/pip install -e ."
# the latest epoch time.gmtime accepts on every platform (year 9999)
_MAX_EPOCH = 253402300799


def dependency_versions() -> dict[str, str]:
    """Installed versions of the libraries whose output ends up in the artefacts."""
    out = {}
    for name in DEPENDENCIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def versions_text() -> str:
    """'Python 3.11.2; typer 0.12.3, …' for the provenance section."""
    deps = ", ".join(f"{name} {version}" for name, version in dependency_versions().items())
    return f"Python {platform.python_version()}; {deps}"


def datasets_created() -> str:
    """The datasets' date (``created`` of datapackage.json, ISO 8601), or '' when it is not recorded."""
    try:
        with open(dataset("datapackage.json"), encoding="utf-8") as handle:
            created = json.load(handle).get("created", "")
    except (OSError, ValueError):
        return ""
    return created if isinstance(created, str) else ""


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as an integer, None when unset or empty; a value that is not a whole number
    of seconds within years 1970-9999 is an error naming the variable."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    try:
        epoch = int(raw)
    except ValueError:
        raise ReproError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {raw[:40]!r}") from None
    if not 0 <= epoch <= _MAX_EPOCH:
        raise ReproError(f"SOURCE_DATE_EPOCH must lie between 0 and {_MAX_EPOCH} (year 9999), not {raw[:40]}")
    return epoch


def report_date() -> str:
    """The report's date as ISO 8601 UTC ('2026-11-23T05:26:02Z'): SOURCE_DATE_EPOCH when set and not 0
    (0 is the conventional 'unset' of older builds, which printed 1970-01-01), else the datasets' date."""
    epoch = source_date_epoch()
    if epoch:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
    created = datasets_created()
    if created:
        return created.replace("+00:00", "Z")
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(0))
