"""The council's logo: checked on upload, printed at the head of its papers.

A logo is a PNG or an SVG of at most 1 MB. An SVG is a program as much as a picture,
so one is refused, not cleaned, unless it only draws: its elements are an allow-list
of shapes, text, groups, gradients and clips (no script, style sheet, animation,
pattern, image, link or foreign content); no attribute runs or refers outside the file
(no event handler, no address but "#id", no CSS escape or at-rule); it declares no
document type, entities or processing instructions; and it is small enough to draw at
once. The PDF fetcher would refuse outside references anyway; refusing the file tells
the administrator why, and nothing is stored.

Word cannot show an SVG without a PNG beside it, so an SVG logo is also drawn once, at
upload, as a PNG (WeasyPrint lays it out in a child process with a time bound,
poppler's pdftoppm rasterises it), no larger than the paper prints it.
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
# What a logo draws with. Anything else (script, style, animate, set, pattern, image,
# use, a, foreignObject, filters, metadata) is refused.
DRAWING_ELEMENTS = frozenset(
    ("svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text",
     "tspan", "title", "desc", "defs", "linearGradient", "radialGradient", "stop",
     "clipPath", "mask")
)  # fmt: skip
MAX_ELEMENTS = 5_000  # a logo drawn with more is not a logo, and slow to lay out
MAX_TEXT = 2_000  # characters of text in it
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"  # a PNG's last chunk: nothing follows it
_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
_LOCAL_ADDRESS = re.compile(r"#[\w.:-]+")
_LENGTH = re.compile(r"\s*(\d+(?:\.\d+)?|\.\d+)\s*(?:px)?\s*")
_PRINTED_SIZE = (300.0, 100.0)  # CSS pixels the logo is drawn within, for Word
_PNG_RESOLUTION = 150  # dots per inch of that drawing
_DRAW_SECONDS = 20


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
    broken = ValidationError(
        "The logo starts as a PNG but is not a whole one, or holds more than the image: "
        "save it again as PNG.",
        code="broken_png",
    )
    if not content.endswith(_PNG_END):
        raise broken
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise broken from error


def _checked_svg(content: bytes) -> etree._Element:
    not_an_image = ValidationError(
        "The logo must be a PNG or an SVG image: this file is neither.", code="not_an_image"
    )
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise not_an_image from error
    if re.search(r"<!(doctype|entity)", text, re.IGNORECASE):
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
    if _instructions(root):
        raise _refused("holds processing instructions", "svg_instruction")
    nodes = list(root.iter())
    if len(nodes) > MAX_ELEMENTS:
        raise _refused(f"has more than {MAX_ELEMENTS:,} elements", "svg_too_big")
    if sum(len(node.text or "") + len(node.tail or "") for node in nodes) > MAX_TEXT:
        raise _refused(f"has more than {MAX_TEXT:,} characters of text", "svg_too_big")
    for node in nodes:
        _check_node(node)
    return root


def _instructions(root: etree._Element) -> bool:
    """Processing instructions (<?xml-stylesheet …?>) before the root or inside it."""
    sibling = root.getprevious()
    while sibling is not None:
        if isinstance(sibling, etree._ProcessingInstruction):
            return True
        sibling = sibling.getprevious()
    return any(isinstance(node, etree._ProcessingInstruction) for node in root.iter())


def _check_node(node: etree._Element) -> None:
    if isinstance(node, etree._Comment):
        return
    if not isinstance(node.tag, str):  # an entity reference left unexpanded
        raise _refused("uses entities", "svg_doctype")
    namespace, _, name = node.tag.rpartition("}")
    if namespace.lstrip("{") != SVG_NAMESPACE:
        raise _refused("holds content that is not SVG drawing", "svg_foreign")
    if name not in DRAWING_ELEMENTS:
        code = "svg_script" if name == "script" else "svg_element"
        raise _refused(f"holds a “{name}” element, which does more than draw", code)
    for attribute, value in node.attrib.items():
        local = attribute.rpartition("}")[2]
        if local.lower().startswith("on"):
            raise _refused(f"has a script in its “{local}” attribute", "svg_script")
        if local == "href" and not _LOCAL_ADDRESS.fullmatch(value.strip()):
            raise _refused("refers to a file or address outside itself", "svg_reference")
        if _outside_references(value):
            raise _refused("refers to a file or address outside itself", "svg_reference")


def _outside_references(value: str) -> bool:
    """What a CSS reader could follow out of the file: an escape (which can spell
    anything), an at-rule, or a url() to anything but a place in the file."""
    if "\\" in value or "@" in value:
        return True
    return any(not _LOCAL_ADDRESS.fullmatch(target) for target in _URL.findall(value))


def _refused(why: str, code: str) -> ValidationError:
    return ValidationError(
        f"The SVG {why}: a logo may only draw. Save it as plain SVG without it, or as PNG.",
        code=code,
    )


def _size_of(svg: etree._Element) -> tuple[float, float]:
    """The size, in CSS pixels, to draw the SVG at: its width and height (else its
    viewBox's) scaled to fit the size the paper prints a logo at."""

    def length(value: str | None) -> float | None:
        found = _LENGTH.fullmatch(value or "")
        return float(found.group(1)) if found and float(found.group(1)) > 0 else None

    width, height = length(svg.get("width")), length(svg.get("height"))
    if not (width and height):
        box = (svg.get("viewBox") or "").replace(",", " ").split()
        width, height = (length(box[2]), length(box[3])) if len(box) == 4 else (None, None)
    if not (width and height):
        return _PRINTED_SIZE
    scale = min(_PRINTED_SIZE[0] / width, _PRINTED_SIZE[1] / height)
    return width * scale, height * scale


def _svg_as_png(content: bytes, size: tuple[float, float]) -> bytes:
    """The SVG drawn as a PNG: laid out alone on a page its own size, rasterised."""
    # The PDF's own fetcher, options and time bound (imported here: the PDF module
    # imports this one for the logo's types).
    from responses.documents import bounded
    from responses.documents.pdf import html_to_pdf

    width, height = size
    html = (
        f"<!doctype html><html lang='en'><head><title>Logo</title><style>@page {{ size: "
        f"{width}px {height}px; margin: 0 }} body {{ margin: 0 }} img {{ display: block; "
        f"width: {width}px; height: {height}px }}</style></head><body>"
        f"<img alt='Logo' src='{data_url(content, SVG)}'></body></html>"
    )
    cannot = ValidationError(
        "The SVG could not be drawn in time: simplify it, or save it as PNG.",
        code="svg_too_slow",
    )
    try:
        pdf = bounded.run(html_to_pdf, html, seconds=_DRAW_SECONDS)
    except (bounded.TooSlow, bounded.Failed) as error:
        raise cannot from error
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "logo.pdf"
        source.write_bytes(pdf)
        try:
            subprocess.run(  # noqa: S603 - our own file, a fixed program
                ["/usr/bin/pdftoppm", "-png", "-singlefile", "-r", str(_PNG_RESOLUTION),
                 str(source), str(Path(folder) / "logo")],
                check=True,
                capture_output=True,
                timeout=_DRAW_SECONDS,
            )  # fmt: skip
        except (subprocess.SubprocessError, OSError) as error:
            raise cannot from error
        return (Path(folder) / "logo.png").read_bytes()
