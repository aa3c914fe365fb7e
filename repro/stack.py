"""The rendering stack behind the report's bytes, and the report's content read back as text.

A PDF's bytes depend on more than the data: on WeasyPrint and the Python packages it drives (pydyf
writes the file, fontTools or HarfBuzz-Subset subsets the fonts, tinycss2/cssselect2 read the CSS),
on the system's Pango (layout), HarfBuzz (shaping, subsetting) and fontconfig, and on the font files
that end up embedded. :func:`rendering_stack` records all of these in the manifest, so that
``repro check`` compares a report byte for byte only where the stack is the same, and by the text of
each page (:func:`pdf_pages_text`) where it is not. Nothing here imports WeasyPrint: the system
versions are read through cffi from the same shared libraries WeasyPrint loads.
"""

from __future__ import annotations

import hashlib
import re
import sys
from contextlib import contextmanager
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path

# the Python packages whose versions change a PDF's or the HTML's bytes
RENDERING_PACKAGES = ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2", "tinyhtml5", "pillow",
                      "brotli", "zopfli", "jinja2", "babel")

# the library names WeasyPrint tries (weasyprint/text/ffi.py), per platform
_LIBRARIES = {
    "pango": ("libpango-1.0-0", "pango-1.0-0", "pango-1.0", "libpango-1.0.so.0", "libpango-1.0.dylib",
              "libpango-1.0-0.dll"),
    "harfbuzz": ("libharfbuzz-0", "harfbuzz", "harfbuzz-0.0", "libharfbuzz.so.0", "libharfbuzz.0.dylib",
                 "libharfbuzz-0.dll"),
    "harfbuzz_subset": ("libharfbuzz-subset-0", "harfbuzz-subset", "harfbuzz-subset-0.0",
                        "libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll"),
    "fontconfig": ("libfontconfig-1", "fontconfig-1", "fontconfig", "libfontconfig.so.1",
                   "libfontconfig.1.dylib", "libfontconfig-1.dll"),
}


def _candidates(names, platform: str = sys.platform):
    """The names to try, in WeasyPrint's order, except that on Linux its sonames (``libpango-1.0.so.0``)
    come first. On Linux WeasyPrint's first names fail and its first success is ``ctypes.util.find_library``
    returning that very soname, which it then dlopens; each failed name costs cffi a find_library, that is
    a run of ldconfig, gcc and ld (22 subprocesses, about 0.1 s of CPU and 0.2 s of wall time here)."""
    if platform.startswith("linux"):
        return tuple(n for n in names if ".so." in n) + tuple(n for n in names if ".so." not in n)
    return tuple(names)


def _dlopen(ffi, names):
    for name in _candidates(names):
        try:
            return ffi.dlopen(name)
        except OSError:
            continue
    return None


def system_versions() -> dict[str, str | None]:
    """Versions of Pango, HarfBuzz, HarfBuzz-Subset and fontconfig as loaded here (None: not found)."""
    try:
        from cffi import FFI
    except ImportError:  # WeasyPrint depends on cffi; without it there is no PDF either
        return {name: None for name in _LIBRARIES}
    ffi = FFI()
    ffi.cdef("const char *pango_version_string (void); const char *hb_version_string (void);"
             "int FcGetVersion (void);")
    out: dict[str, str | None] = {}
    for name, candidates in _LIBRARIES.items():
        lib = _dlopen(ffi, candidates)
        version = None
        try:
            if lib is not None and name == "pango":
                version = ffi.string(lib.pango_version_string()).decode()
            elif lib is not None and name.startswith("harfbuzz"):
                version = ffi.string(lib.hb_version_string()).decode()
            elif lib is not None and name == "fontconfig":
                v = lib.FcGetVersion()  # MAJOR * 10000 + MINOR * 100 + REVISION
                version = f"{v // 10000}.{v // 100 % 100}.{v % 100}"
        except (AttributeError, OSError):
            version = None
        out[name] = version
    return out


def package_versions(names=RENDERING_PACKAGES) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def rendering_stack() -> dict:
    """What the manifest records as ``rendering``: Python packages and system libraries."""
    return {"packages": package_versions(), "system": system_versions()}


# ---------------------------------------------------------------- reading a PDF back
def _pdf_reader(path: Path):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return PdfReader(str(path))
    except (PyPdfError, OSError, ValueError) as exc:
        from repro.errors import ReproError

        raise ReproError(f"cannot read the PDF ({exc})", file=str(path)) from None


# a stream object's dictionary; font programs are never inside object streams (streams cannot be)
_STREAM = re.compile(rb"(\d+) (\d+) obj\s*<<((?:[^<>]|<<[^<>]*>>)*)>>\s*stream\r?\n")
_FONT_PROGRAM = re.compile(rb"/Length1\b|/Subtype\s*/(?:CIDFontType0C|Type1C|OpenType)\b")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")


def pdf_fonts(path: str | Path) -> dict[str, str]:
    """sha256 of each embedded font program of a PDF (its stream as stored), by object number.

    The font programs are found by their stream dictionaries (``/Length1`` of a TrueType program, the
    ``/Subtype`` of a CFF or OpenType one) in the file's bytes: a PDF parser would first have to expand
    every object stream (about half a second per report). A font program whose length is not a
    direct number is hashed with its dictionary only.
    """
    data = Path(path).read_bytes()
    fonts: dict[str, str] = {}
    for match in _STREAM.finditer(data):
        head = match.group(3)
        if not _FONT_PROGRAM.search(head):
            continue
        length = _LENGTH.search(head)
        body = data[match.end():match.end() + int(length.group(1))] if length else b""
        fonts[f"{int(match.group(1))} {int(match.group(2))}"] = hashlib.sha256(head + body).hexdigest()
    return fonts


def squeeze(text: str) -> str:
    """Text without any whitespace: line breaks, hyphen-free wrapping and spacing depend on the layout engine."""
    return "".join(text.split())


def pdf_pages_text(path: str | Path, fonts_once: bool = True) -> list[str]:
    """The extracted text of each page, whitespace removed.

    ``fonts_once``: each font of the PDF is read once (:func:`_fonts_read_once`) instead of once per
    page and per form on it: WeasyPrint's reports give pypdf ~70 font readings per page (ToUnicode
    maps parsed again each time), a third of the extraction's time; the text is the same.
    """
    from contextlib import nullcontext

    with _fonts_read_once() if fonts_once else nullcontext():
        return [squeeze(page.extract_text() or "") for page in _pdf_reader(Path(path)).pages]


@contextmanager
def _fonts_read_once():
    """While it lasts, pypdf's ``Font.from_font_resource`` answers a font dictionary it has already
    read (the same object: the reader keeps each resolved object) with a copy of the first answer.

    ``from_font_resource`` builds a Font from the dictionary alone; the copy keeps the one change text
    extraction makes to it (``space_width``) from reaching the other pages. Where pypdf has no such
    method (other versions), nothing changes. tests/test_artefacts.py compares both ways on the reports.
    """
    import copy

    try:
        from pypdf import _page

        font_class = _page.Font
        original = font_class.__dict__["from_font_resource"]
        read = original.__func__
    except (ImportError, AttributeError, KeyError):
        yield
        return
    seen: dict[int, tuple] = {}

    def from_font_resource(cls, pdf_font_dict):
        hit = seen.get(id(pdf_font_dict))
        if hit is None or hit[0] is not pdf_font_dict:  # the dictionary is kept, so its id is not reused
            hit = seen[id(pdf_font_dict)] = (pdf_font_dict, read(cls, pdf_font_dict))
        return copy.copy(hit[1])

    setattr(font_class, "from_font_resource", classmethod(from_font_resource))
    try:
        yield
    finally:
        setattr(font_class, "from_font_resource", original)


def pdfs_pages_text(paths) -> list[list[str]]:
    """:func:`pdf_pages_text` of each PDF, in order. With more than one core the PDFs are shared out
    round-robin among forked children (:class:`repro.processes.InChild`; about 1.8 s of CPU per report
    with pypdf), this process reading the first share; without fork, or with one core, all are read here."""
    from repro.processes import InChild
    from repro.rowrun import default_jobs

    paths = [Path(p) for p in paths]
    shares = max(1, min(len(paths), default_jobs()))

    def read(share: int) -> list[list[str]]:
        return [pdf_pages_text(path) for path in paths[share::shares]]

    children = [InChild(lambda share=share: read(share)) for share in range(1, shares)]
    texts: list = [None] * len(paths)
    texts[0::shares] = read(0)
    for share, child in enumerate(children, start=1):
        texts[share::shares] = child.result()
    return texts


class _TextOnly(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(text: str) -> str:
    """The visible text of an HTML document, whitespace removed."""
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    return squeeze(" ".join(parser.parts))


# a PEP 440 version as printed: 2.18.0, 1.0rc1, 0.13.0.post1, 3.1.6+local
_VERSION = r"\d+(?:\.\d+)*(?:(?:a|b|rc|\.?post|\.?dev)\d+)*(?:\+[0-9a-z]+(?:\.[0-9a-z]+)*)?"


def mask_versions(text: str, versions: dict[str, str | None]) -> str:
    """``text`` (squeezed) with each "name version" the report prints reduced to the name (any version).

    The report states the versions it was made with; when the recorded versions differ, that line
    differs by design and the manifest already says so.
    """
    for name in versions:
        text = re.sub(re.escape(name) + _VERSION, name, text)
    return text


def first_difference(a: str, b: str, context: int = 30) -> tuple[str, str]:
    """The neighbourhood of the first character where two texts differ."""
    i = 0
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            break
    else:
        i = min(len(a), len(b))
    start = max(0, i - context)
    return a[start:i + context], b[start:i + context]
