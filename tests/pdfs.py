"""Reading PDFs back, as a reader or a screen reader would."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader

# What the foot of every page prints: its number, when the document was made (London
# time) and, for a whole paper, its version (the first 8 characters of its digest).
STAMP = r"Made (\d{1,2} [A-Z][a-z]+ \d{4} \d\d:\d\d)(?: · version ([0-9a-f]{8}))?"
FOOTER = r"Page \d+ of \d+ · " + STAMP


def reader(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def pdftotext(content: bytes, *options: str) -> str:
    """poppler's pdftotext of the document, with its options, as it prints it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(content)
        return subprocess.run(  # noqa: S603
            ["/usr/bin/pdftotext", *options, str(path), "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout


def text(content: bytes, *, first: int | None = None, last: int | None = None) -> str:
    """pdftotext's reading-order text, whitespace folded."""
    pages = []
    if first:
        pages += ["-f", str(first)]
    if last:
        pages += ["-l", str(last)]
    return re.sub(r"\s+", " ", pdftotext(content, *pages))


def layout_lines(content: bytes) -> list[str]:
    """Each printed line as laid out on the page, trimmed."""
    return [line.strip() for line in pdftotext(content, "-layout").splitlines()]


def widest_word(content: bytes) -> float:
    """The right edge of the furthest-right word on any page."""
    boxes = pdftotext(content, "-bbox")
    return max(float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes))


def page_texts(content: bytes) -> list[str]:
    return [text(content, first=n, last=n) for n in range(1, len(reader(content).pages) + 1)]


def fonts(content: bytes) -> list[str]:
    """The names of the fonts the document uses, as pdffonts lists them."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(content)
        out = subprocess.run(  # noqa: S603
            ["/usr/bin/pdffonts", str(path)], capture_output=True, check=True, text=True
        ).stdout
    return [line.split()[0] for line in out.splitlines()[2:] if line.strip()]


def outline_titles(content: bytes) -> list[str]:
    titles: list[str] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader(content).outline)
    return titles


def image_count(content: bytes) -> int:
    count = 0
    for page in reader(content).pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        count += sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image")
    return count


def drawn_images(content: bytes) -> list[int]:
    """The page number of each image drawn, as poppler's pdfimages lists them (a page's
    resources may name images it does not draw)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(content)
        listing = subprocess.run(  # noqa: S603
            ["/usr/bin/pdfimages", "-list", str(path)], capture_output=True, check=True, text=True
        ).stdout
    return [int(line.split()[0]) for line in listing.splitlines()[2:] if line.strip()]
