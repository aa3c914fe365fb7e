"""A result cache keyed by the content of the datasets, the package's code and the catalog.

Verification of all tables takes seconds (the exhaustive reconstruction); its result depends
only on these inputs, so it is computed once and reused until any of them changes.
Set ``REPRO_NO_CACHE=1`` to bypass it.

The cache is plain JSON, never an executable format (no pickle): reading it cannot run code.
What it holds is verified on read: the file must be a regular file owned by the user and writable
by no one else, in a folder that is the same; its format version, name and key must match; every
object is rebuilt only as one of the package's own dataclasses, and every field is checked against
that dataclass's annotations. Anything else (a read error, truncation, a FIFO, a forged or
wrong-typed value) is reported in one line on stderr, recomputed and overwritten.

Where: ``$REPRO_CACHE_DIR``, else ``$XDG_CACHE_HOME/repro``, else ``~/.cache/repro``; relative
paths are ignored (they would depend on the current folder), and a home folder that does not
exist is never created.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib
import importlib.util
import json
import os
import re
import stat
import sys
import types
import typing
from pathlib import Path
from typing import Any, Callable, TypeVar

from repro.paths import PACKAGE_DIR, datasets_dir

T = TypeVar("T")  # what cached() returns is what compute() returns
FORMAT = 1  # bump when the encoding changes
MAX_BYTES = 64 * 2 ** 20
_MODULE = re.compile(r"repro(\.[A-Za-z_][A-Za-z0-9_]*)+")


def cache_dir() -> Path | None:
    """The cache folder, or None when there is no safe place for one."""
    for variable in ("REPRO_CACHE_DIR", "XDG_CACHE_HOME"):
        value = os.environ.get(variable)
        if value and os.path.isabs(value):
            return Path(value) if variable == "REPRO_CACHE_DIR" else Path(value) / "repro"
    home = os.path.expanduser("~")
    if not os.path.isabs(home) or not os.path.isdir(home):  # never create a home folder
        return None
    return Path(home) / ".cache" / "repro"


def inputs_key(name: str) -> str:
    """sha256 over the datasets, the package's sources and the catalog."""
    digest = hashlib.sha256(name.encode())
    files = sorted(datasets_dir().glob("*")) + sorted(PACKAGE_DIR.glob("*.py")) + [PACKAGE_DIR / "catalog.toml"]
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


# ---------------------------------------------------------------- encoding
def encode(value: Any) -> Any:
    """A JSON-able form of plain data and the package's dataclasses (tagged where JSON has no type)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v) for v in value]}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("__") for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {"__items__": [[encode(k), encode(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        return {"__dataclass__": f"{cls.__module__}:{cls.__qualname__}",
                "fields": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}}
    raise TypeError(f"cannot cache a {type(value).__name__}")


class Invalid(ValueError):
    """The cache holds something that is not what the tool wrote."""


@functools.lru_cache(maxsize=64)
def _dataclass(tag: str) -> type:
    if not isinstance(tag, str) or tag.count(":") != 1:
        raise Invalid("bad dataclass tag")
    module_name, qualname = tag.split(":")
    if not _MODULE.fullmatch(module_name) or not qualname.isidentifier():
        raise Invalid(f"not one of the package's classes: {tag[:80]!r}")
    module = sys.modules.get(module_name)
    if module is None:
        spec = importlib.util.find_spec(module_name)
        if spec is None or spec.origin is None or Path(spec.origin).resolve().parent != PACKAGE_DIR:
            raise Invalid(f"not one of the package's modules: {module_name!r}")
        module = importlib.import_module(module_name)
    cls = getattr(module, qualname, None)
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == module_name):
        raise Invalid(f"not one of the package's dataclasses: {tag[:80]!r}")
    return cls


@functools.lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


@functools.lru_cache(maxsize=None)
def _init_fields(cls: type) -> frozenset:
    return frozenset(f.name for f in dataclasses.fields(cls) if f.init)


def _check(value: Any, hint: Any, where: str) -> None:
    """``value`` against a type annotation (the subset the package's dataclasses use)."""
    if hint is Any or hint is object:
        return
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        errors = []
        for arg in args:
            try:
                return _check(value, arg, where)
            except Invalid as exc:
                errors.append(str(exc))
        raise Invalid(errors[0] if errors else where)
    if hint is type(None):
        if value is not None:
            raise Invalid(f"{where}: None expected")
        return
    if origin in (list, tuple, dict, set, frozenset):
        if not isinstance(value, origin):
            raise Invalid(f"{where}: {origin.__name__} expected, not {type(value).__name__}")
        if origin is dict:
            key_t, value_t = args or (Any, Any)
            for k, v in value.items():
                _check(k, key_t, where)
                _check(v, value_t, f"{where}[{k!r}]")
        elif origin is tuple and args and args[-1] is not Ellipsis:
            if len(args) != len(value):
                raise Invalid(f"{where}: {len(args)} items expected")
            for i, (v, t) in enumerate(zip(value, args)):
                _check(v, t, f"{where}[{i}]")
        else:
            item_t = args[0] if args else Any
            for i, v in enumerate(value):
                _check(v, item_t, f"{where}[{i}]")
        return
    if hint is float:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise Invalid(f"{where}: number expected, not {type(value).__name__}")
        return
    if hint is int and isinstance(value, bool):
        raise Invalid(f"{where}: int expected, not bool")
    if isinstance(hint, type) and not isinstance(value, hint):
        raise Invalid(f"{where}: {hint.__name__} expected, not {type(value).__name__}")


def decode(data: Any, where: str = "value") -> Any:
    """The inverse of :func:`encode`; only the package's dataclasses are rebuilt, each field type-checked."""
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(v, f"{where}[{i}]") for i, v in enumerate(data)]
    if not isinstance(data, dict):
        raise Invalid(f"{where}: unexpected {type(data).__name__}")
    if "__tuple__" in data:
        if set(data) != {"__tuple__"} or not isinstance(data["__tuple__"], list):
            raise Invalid(f"{where}: bad tuple")
        return tuple(decode(v, where) for v in data["__tuple__"])
    if "__items__" in data:
        items = data["__items__"]
        if set(data) != {"__items__"} or not isinstance(items, list) or not all(
                isinstance(p, list) and len(p) == 2 for p in items):
            raise Invalid(f"{where}: bad mapping")
        out = {}
        for k, v in items:
            key = decode(k, where)
            try:
                out[key] = decode(v, f"{where}[{key!r}]")
            except TypeError:  # an unhashable key
                raise Invalid(f"{where}: bad key") from None
        return out
    if "__dataclass__" in data:
        if set(data) != {"__dataclass__", "fields"} or not isinstance(data["fields"], dict):
            raise Invalid(f"{where}: bad object")
        tag = data["__dataclass__"]
        if not isinstance(tag, str):
            raise Invalid(f"{where}: bad dataclass tag")
        cls = _dataclass(tag)
        if data["fields"].keys() != _init_fields(cls):
            raise Invalid(f"{where}: fields of {cls.__name__} differ")
        hints = _hints(cls)
        values = {}
        for name, raw in data["fields"].items():
            values[name] = decode(raw, f"{where}.{name}")
            _check(values[name], hints.get(name, Any), f"{where}.{name}")
        try:
            return cls(**values)
        except (TypeError, ValueError) as exc:
            raise Invalid(f"{where}: {exc}") from None
    if any(k.startswith("__") for k in data):
        raise Invalid(f"{where}: unknown tag")
    return {k: decode(v, f"{where}[{k!r}]") for k, v in data.items()}


# ---------------------------------------------------------------- files
def _private_folder(folder: Path) -> bool:
    """Create the folder (0700) if needed; True when it is a folder owned by this user, writable by no one else."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.stat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    if hasattr(os, "geteuid") and (info.st_uid != os.geteuid() or info.st_mode & 0o022):
        _warn(f"cache folder {folder} is writable by others or not yours: not used")
        return False
    return True


def _warn(message: str) -> None:
    print(f"repro: {message}", file=sys.stderr)


def _read(path: Path) -> bytes | None:
    """The bytes of the cache file; None when there is none; Invalid when it is not a safe regular file."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise Invalid(f"cannot open ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Invalid("not a regular file")
        if hasattr(os, "geteuid") and (info.st_uid != os.geteuid() or info.st_mode & 0o022):
            raise Invalid("writable by others or not yours")
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Invalid("too large")
    return data


def load(path: Path, name: str, key: str) -> Any:
    """The cached value, None when absent; Invalid for anything the tool did not write."""
    data = _read(path)
    if data is None:
        return None
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Invalid("not valid JSON (truncated or corrupt)") from None
    if not isinstance(doc, dict) or set(doc) != {"format", "name", "key", "value"}:
        raise Invalid("not a cache document")
    if doc["format"] != FORMAT or doc["name"] != name or doc["key"] != key:
        raise Invalid("other version or key")
    try:
        value = decode(doc["value"])
    except RecursionError:
        raise Invalid("nested too deep") from None
    if value is None:
        raise Invalid("empty")
    return value


def store(path: Path, name: str, key: str, value: Any) -> None:
    """Write atomically, mode 0600; a failure to write only costs the next run the computation."""
    try:
        text = json.dumps({"format": FORMAT, "name": name, "key": key, "value": encode(value)},
                          ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError) as exc:  # a type the cache does not know: just not cached
        _warn(f"result not cached ({exc})")
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _valid_tables(name: str, value: Any) -> bool:
    """A cached verification ("tables-A1-B2…") is a list of TableResult with exactly those ids."""
    if not name.startswith("tables-"):
        return True
    from repro.verdict import TableResult

    ids = name[len("tables-"):].split("-")
    return isinstance(value, list) and [getattr(t, "id", None) for t in value] == ids and all(
        isinstance(t, TableResult) for t in value)


def cached(name: str, compute: Callable[[], T]) -> T:
    """``compute()`` through the cache; anything wrong with the cache falls back to computing."""
    if os.environ.get("REPRO_NO_CACHE"):
        return compute()
    folder = cache_dir()
    if folder is None or not _private_folder(folder):
        return compute()
    key = inputs_key(name)
    path = folder / f"{name}-{key[:32]}.json"
    try:
        value = load(path, name, key)
        if value is not None and not _valid_tables(name, value):
            raise Invalid("not the expected tables")
        if value is not None:
            return value
    except Invalid as exc:
        _warn(f"cache {path} ignored ({exc}): recomputed")
    value = compute()
    store(path, name, key, value)
    return value
