"""A result cache keyed by the content of the datasets, the package's code and the catalog.

Verification of all tables takes seconds (the exhaustive reconstruction); its result depends
only on these inputs, so it is computed once and reused until any of them changes.
Set ``REPRO_NO_CACHE=1`` to bypass it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any, Callable

from repro.paths import PACKAGE_DIR, datasets_dir


def cache_dir() -> Path:
    base = os.environ.get("REPRO_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "repro")
    return Path(base)


def inputs_key(name: str) -> str:
    """sha256 over the datasets, the package's sources and the catalog."""
    digest = hashlib.sha256(name.encode())
    files = sorted(datasets_dir().glob("*")) + sorted(PACKAGE_DIR.glob("*.py")) + [PACKAGE_DIR / "catalog.toml"]
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cached(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` through the cache; any cache failure falls back to computing."""
    if os.environ.get("REPRO_NO_CACHE"):
        return compute()
    path = cache_dir() / f"{name}-{inputs_key(name)[:32]}.pickle"
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except Exception:
        pass
    value = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as handle:
            pickle.dump(value, handle)
        os.replace(tmp, path)
    except OSError:
        pass
    return value
