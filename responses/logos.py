"""The council's logo: checked on upload, printed at the head of its papers.

A logo is a PNG or an SVG of at most 1 MB. An SVG is a program as much as a picture,
so one is refused, not cleaned, if it holds anything but drawing: script, event
handlers, foreign content, or a reference to anything outside itself (a link, an
image, a stylesheet, a font). The PDF fetcher would refuse to load such references
anyway; refusing the file tells the administrator why, and nothing is stored.

Word cannot show an SVG without a PNG beside it, so an SVG logo is also drawn once, at
upload, as a PNG (WeasyPrint lays it out, poppler's pdftoppm rasterises it).
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from lxml import etree
from PIL import Image, UnidentifiedImageError

MAX_LOGO_BYTES = 1024 * 1024
PNG, SVG = "image/png", "image/svg+xml"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Elements that run, embed or fetch: none belongs in a logo.
_REFUSED_ELEMENTS = {"script", "foreignObject", "image", "iframe", "use", "a", "feImage"}
_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
_PNG_RESOLUTION = 150  # dots per inch of the PNG drawn from an SVG, for Word
_DEFAULT_SIZE = (300.0, 100.0)  # CSS pixels, for an SVG that gives no size


@dataclass(frozen=True)
class Logo:
    content: bytes
    content_type: str
    png: bytes  # the logo as a PNG, for Word: the content itself when it is one

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def data_url(content: bytes, content_type: str) -> str:
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


def checked_logo(content: bytes) -> Logo:
    """The uploaded file as a logo, or ValidationError saying what is wrong with it."""
    if not content:
        raise ValidationError("The file is empty: choose a PNG or SVG logo.", code="empty")
    check_size(len(content))
    if content.startswith(_PNG_SIGNATURE):
        _check_png(content)
        return Logo(content, PNG, content)
    svg = _checked_svg(content)
    return Logo(content, SVG, _svg_as_png(content, _size_of(svg)))


def check_size(size: int) -> None:
    """Refuses a logo over the limit: before reading an upload, or once read."""
    if size > MAX_LOGO_BYTES:
        raise ValidationError(
            "The logo is %(size)s KB: it may be at most 1,024 KB (1 MB).",
            code="too_big",
            params={"size": f"{-(-size // 1024):,}"},
        )


def _check_png(content: bytes) -> None:
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            "The logo starts as a PNG but is not a whole one: save it again as PNG.",
            code="broken_png",
        ) from error


def _checked_svg(content: bytes) -> etree._Element:
    not_an_image = ValidationError(
        "The logo must be a PNG or an SVG image: this file is neither.", code="not_an_image"
    )
    head = content[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in head:
        raise ValidationError(
            "The SVG declares a document type or entities: save it without them (“plain SVG”).",
            code="svg_doctype",
        )
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise not_an_image from error
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise not_an_image
    for element in root.iter():
        _check_element(element)
    return root


def _check_element(element: etree._Element) -> None:
    if not isinstance(element.tag, str):  # a comment or processing instruction
        return
    namespace, _, name = element.tag.rpartition("}")
    if namespace.lstrip("{") != SVG_NAMESPACE:
        raise _refused("holds content that is not SVG drawing", "svg_foreign")
    if name in _REFUSED_ELEMENTS:
        raise _refused(f"holds a <{name}> element, which runs or fetches something", "svg_" + name)
    if name == "style" and _outside_references(element.text or ""):
        raise _refused("has a style that loads something from elsewhere", "svg_reference")
    for attribute, value in element.attrib.items():
        local = attribute.rpartition("}")[2]
        if local.lower().startswith("on"):
            raise _refused(f"has a script in its “{local}” attribute", "svg_script")
        if local == "href" and not value.strip().startswith("#"):
            raise _refused("refers to a file or address outside itself", "svg_reference")
        if _outside_references(value):
            raise _refused("refers to a file or address outside itself", "svg_reference")


def _outside_references(text: str) -> bool:
    if "@import" in text.lower():
        return True
    return any(not target.startswith("#") for target in _URL.findall(text))


def _refused(why: str, code: str) -> ValidationError:
    return ValidationError(
        f"The SVG {why}: a logo may only draw. Save it as plain SVG without it, or as PNG.",
        code=code,
    )


def _size_of(svg: etree._Element) -> tuple[float, float]:
    """The SVG's size in CSS pixels: its width and height, else its viewBox's."""

    def pixels(value: str | None) -> float | None:
        found = re.fullmatch(r"\s*([0-9.]+)\s*(px)?\s*", value or "")
        return float(found.group(1)) if found and float(found.group(1)) > 0 else None

    width, height = pixels(svg.get("width")), pixels(svg.get("height"))
    if width and height:
        return width, height
    box = (svg.get("viewBox") or "").replace(",", " ").split()
    try:
        box_width, box_height = float(box[2]), float(box[3])
    except (IndexError, ValueError):
        return _DEFAULT_SIZE
    if box_width <= 0 or box_height <= 0:
        return _DEFAULT_SIZE
    scale = min(_DEFAULT_SIZE[0] / box_width, _DEFAULT_SIZE[1] / box_height)
    return box_width * scale, box_height * scale


def _svg_as_png(content: bytes, size: tuple[float, float]) -> bytes:
    """The SVG drawn as a PNG: laid out alone on a page its own size, rasterised."""
    from responses.documents.pdf import html_to_pdf  # the PDF's own fetcher and options

    width, height = size
    html = (
        f"<!doctype html><html lang='en'><head><title>Logo</title><style>@page {{ size: "
        f"{width}px {height}px; margin: 0 }} body {{ margin: 0 }} img {{ display: block; "
        f"width: {width}px; height: {height}px }}</style></head><body>"
        f"<img alt='' src='{data_url(content, SVG)}'></body></html>"
    )
    pdf = html_to_pdf(html)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "logo.pdf"
        source.write_bytes(pdf)
        subprocess.run(  # noqa: S603 - our own file, a fixed program
            ["/usr/bin/pdftoppm", "-png", "-singlefile", "-r", str(_PNG_RESOLUTION),
             str(source), str(Path(folder) / "logo")],
            check=True,
            capture_output=True,
            timeout=30,
        )  # fmt: skip
        return (Path(folder) / "logo.png").read_bytes()
