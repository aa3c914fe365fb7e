"""Reading a manuscript into numbered lines: text, PDF, DOCX and HTML.

Every reader returns a :class:`Document`: the lines of the manuscript in reading order, each
with its page (1-based; ``None`` where the format has no pages) and its line number on that
page. Extraction keeps these positions for every figure it finds.

Readers are bounded and never execute anything in the file:

* a size cap per file (:data:`MAX_BYTES`), on pages (:data:`MAX_PAGES`), on characters
  (:data:`MAX_CHARS`) and on what a DOCX declares it unpacks to (:data:`MAX_UNPACKED`);
* PDF through pypdf, which reads the text operators only (no JavaScript, no embedded files);
  an encrypted PDF that does not open with the empty password, or one pypdf cannot parse,
  raises :class:`~repro.errors.ReproError` with one line naming the file;
* DOCX through python-docx (XML only; macros are never run);
* HTML through the standard library parser (scripts and styles are skipped, not run).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from repro.errors import ReproError

MAX_BYTES = 50 * 1024 * 1024
MAX_PAGES = 2000
MAX_CHARS = 20_000_000
MAX_UNPACKED = 200 * 1024 * 1024  # a DOCX's declared uncompressed size
SUFFIXES = (".txt", ".pdf", ".docx", ".html", ".htm")


@dataclass(frozen=True)
class Line:
    page: int | None
    line: int
    text: str


@dataclass
class Document:
    path: str
    kind: str
    lines: list[Line] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max((ln.page or 1 for ln in self.lines), default=0)


def _lines_of_pages(pages: list[str]) -> list[Line]:
    out: list[Line] = []
    total = 0
    for page_no, page in enumerate(pages, start=1):
        for line_no, text in enumerate(page.splitlines(), start=1):
            total += len(text)
            if total > MAX_CHARS:
                raise ReproError(f"more than {MAX_CHARS} characters of text")
            out.append(Line(page_no, line_no, text.replace("\u00a0", " ")))
    return out


def read_txt(path: str) -> Document:
    """Plain text (UTF-8, or UTF-16 with a BOM); a form feed starts a new page."""
    raw = Path(path).read_bytes()
    for codec in ("utf-8-sig", "utf-16") if not raw.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-16",):
        try:
            text = raw.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReproError("not UTF-8 or UTF-16 text", file=path)
    return Document(path, "txt", _lines_of_pages(text.split("\f")))


SPLIT_PAGES = 4  # a PDF of at least this many pages is read by two processes when ``jobs`` allows


def read_pdf(path: str, jobs: int = 1) -> Document:
    """Text of each page through pypdf (rows of a table stay on one line).

    ``jobs`` >= 2 and at least :data:`SPLIT_PAGES` pages: a forked child (:class:`repro.processes.InChild`)
    extracts the later half of the pages while this process extracts the first half; the text of each page
    is the same (pypdf reads each page on its own from the file's bytes in memory), and wherever the child
    cannot give it, it is extracted here.
    """
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))
            except Exception:  # noqa: BLE001 - any failure to open is "encrypted"
                opened = False
            if not opened:
                raise ReproError("encrypted PDF (needs a password)", file=path)
        if len(reader.pages) > MAX_PAGES:
            raise ReproError(f"more than {MAX_PAGES} pages", file=path)
        count = len(reader.pages)

        def extract(first: int, last: int) -> list[str]:
            return [reader.pages[i].extract_text() or "" for i in range(first, last)]

        if jobs >= 2 and count >= SPLIT_PAGES:
            from repro.processes import InChild

            half = (count + 1) // 2
            later = InChild(lambda: extract(half, count))
            try:
                first = extract(0, half)
            except BaseException:
                later.cancel()  # no child left reading (or blocked on its pipe) after a failure here
                raise
            pages = first + later.result()
        else:
            pages = extract(0, count)
    except ReproError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on a damaged file
        raise ReproError(f"unreadable PDF ({type(exc).__name__}: {' '.join(str(exc).split())[:120]})",
                         file=path) from None
    try:
        return Document(path, "pdf", dehyphenate(_lines_of_pages(pages)))
    except ReproError as exc:
        raise ReproError(exc.message, file=path) from None


_HYPHENATED = re.compile(r"(\w)[-\u00ad\u2010]$")
_CONTINUED = re.compile(r"^([a-zа-яёәіңғүұқөһ]+)(.*)$")


def dehyphenate(lines: list[Line]) -> list[Line]:
    """Join words a typeset PDF broke at a line end («сарап-» + «шылар саны»): the fragment moves up to
    the line where the word starts, so every line keeps its number. Only a lower-case continuation is
    joined (a hyphen before a capital or a digit stays)."""
    out = list(lines)
    for i in range(len(out) - 1):
        head, tail = out[i], out[i + 1]
        if not _HYPHENATED.search(head.text):
            continue
        m = _CONTINUED.match(tail.text.lstrip())
        if not m:
            continue
        out[i] = Line(head.page, head.line, head.text[:-1] + m.group(1))
        out[i + 1] = Line(tail.page, tail.line, m.group(2).lstrip())
    return out


def read_docx(path: str) -> Document:
    """Paragraphs and table rows of a DOCX in document order; a page break starts a new page.

    A table row becomes one line with its cells separated by two spaces; a cell holding
    several paragraphs keeps them on that line (a W over p cell reads "0,227 0,005").
    """
    try:
        import docx
        from docx.oxml.ns import qn
    except ImportError as exc:  # pragma: no cover - install_requires has it
        raise ReproError("reading .docx needs python-docx") from exc
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReproError(f"unreadable DOCX ({type(exc).__name__})", file=path) from None
    if unpacked > MAX_UNPACKED:  # a zip bomb is refused before anything is inflated
        raise ReproError(f"DOCX unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MB", file=path)
    try:
        document = docx.Document(path)
    except Exception as exc:  # noqa: BLE001
        raise ReproError(f"unreadable DOCX ({type(exc).__name__})", file=path) from None
    pages: list[list[str]] = [[]]

    def paragraph_text(p) -> str:
        parts = []
        for node in p.iter():
            if node.tag == qn("w:t"):
                parts.append(node.text or "")
            elif node.tag == qn("w:tab"):
                parts.append("\t")
            elif node.tag == qn("w:br") and node.get(qn("w:type")) == "page":
                parts.append("\f")
        return "".join(parts)

    def add(text: str) -> None:
        chunks = text.split("\f")
        for index, chunk in enumerate(chunks):
            if index:
                pages.append([])
            pages[-1].extend(chunk.split("\n"))

    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            add(paragraph_text(child))
        elif child.tag == qn("w:tbl"):
            for tr in child.iter(qn("w:tr")):
                cells = []
                for tc in tr.iter(qn("w:tc")):
                    cells.append(" ".join(paragraph_text(p) for p in tc.iter(qn("w:p"))).strip())
                add("  ".join(cells))
            add("")
    try:
        return Document(path, "docx", _lines_of_pages(["\n".join(p) for p in pages]))
    except ReproError as exc:
        raise ReproError(exc.message, file=path) from None


class _HTMLText(HTMLParser):
    BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "caption", "section",
             "article", "header", "footer", "blockquote", "pre", "ul", "ol", "dt", "dd", "figcaption", "hr"}
    SKIP = {"script", "style", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.cell = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in ("td", "th"):
            self.cell += 1
            self.parts.append("  ")
        elif self.cell and tag in ("br", "p", "div"):
            self.parts.append(" ")  # lines inside a table cell stay on the row's line
        elif tag in self.BLOCK:
            self.parts.append("\n")
        elif tag == "sup":
            self.parts.append("^")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th"):
            self.cell = max(0, self.cell - 1)
        elif self.cell and tag in ("p", "div"):
            self.parts.append(" ")
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(" ".join(data.split("\n")))


def read_html(path: str) -> Document:
    """Visible text of an HTML file: block elements start lines, a table row is one line."""
    raw = Path(path).read_bytes()
    match = re.search(rb"charset=[\"']?([\w-]+)", raw[:2048])
    try:
        text = raw.decode(match.group(1).decode() if match else "utf-8", errors="replace")
    except LookupError:
        text = raw.decode("utf-8", errors="replace")
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    joined = re.sub(r"\n\s*\n(\s*\n)+", "\n\n", "".join(parser.parts))
    return Document(path, "html", [Line(None, ln.line, ln.text) for ln in _lines_of_pages([joined])])


READERS = {".txt": read_txt, ".pdf": read_pdf, ".docx": read_docx, ".html": read_html, ".htm": read_html}


def read_document(path: str | os.PathLike, jobs: int = 1) -> Document:
    """The lines of a manuscript; :class:`ReproError` (one line, naming the file) when it cannot be read.

    ``jobs``: processes that may read one long PDF's pages (:func:`read_pdf`); other formats use one."""
    name = str(path)
    suffix = Path(name).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise ReproError(f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUFFIXES)}",
                         file=name)
    try:
        size = os.path.getsize(name)
    except OSError as exc:
        raise ReproError(exc.strerror or "cannot read", file=name) from None
    if size > MAX_BYTES:
        raise ReproError(f"larger than {MAX_BYTES // (1024 * 1024)} MB", file=name)
    try:
        return read_pdf(name, jobs) if reader is read_pdf else reader(name)
    except ReproError as exc:
        if exc.file is None:
            exc.file = name
        raise
    except OSError as exc:
        raise ReproError(exc.strerror or str(exc), file=name) from None
