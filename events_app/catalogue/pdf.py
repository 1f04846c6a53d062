"""PDF catalogues: pure builders, data in and bytes out, from Jinja templates through WeasyPrint.

A job carries only plain values, so it can cross to a worker process. WeasyPrint fetches nothing
but our own files (see fetcher.py). WeasyPrint itself is imported only where a PDF is rendered,
in the worker process.

A printed catalogue is laid out in sections (the floor plan, each hall, each index, the cover
and contents), each its own small document, so that sections go to several worker processes at
once and a progress page can count them; `join` puts them together with qpdf and prints the
page numbers, which only the whole knows.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from events_app.core import i18n
from events_app.catalogue.assets import STATIC_DIR, Assets, keep_file
from events_app.catalogue.qr import qr_svg

# Bump when the look of the PDFs changes in a way the templates' text does not show.
FORMAT_VERSION = 3
TEMPLATE_DIR = "catalogue/pdf"


@dataclass(frozen=True)
class PdfJob:
    template: str
    context: dict[str, Any] = field(hash=False)
    language: str
    assets: Assets

    def cache_key(self) -> str:
        """A hash of everything the PDF shows: its data, language, templates and fonts."""
        payload = json.dumps(
            {
                "version": FORMAT_VERSION,
                "template": self.template,
                "language": self.language,
                "base_url": self.assets.base_url,
                "design": design_fingerprint(),
                "context": self.context,
            },
            sort_keys=True,
            default=str,
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode()).hexdigest()


@lru_cache(maxsize=1)
def design_fingerprint() -> str:
    """A hash of the PDF templates and the bundled fonts, so a new design is rendered afresh."""
    from events_app.core.templating import TEMPLATES_DIR

    digest = hashlib.sha256()
    files = sorted((TEMPLATES_DIR / TEMPLATE_DIR).glob("*")) + sorted((STATIC_DIR / "fonts").glob("*.ttf"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# Rendering ------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _environment():
    from events_app.core.templating import build_environment

    env = build_environment()
    env.globals["qr_svg"] = qr_svg
    env.globals.update(QR_CODE=QR_CODE, PHOTO=PHOTO)
    return env


# WeasyPrint makes millions of small objects, and the cycle collector's passes over them took a
# fifth of a catalogue's layout. The worker processes lay out with the collector off; the cycles
# a layout leaves (some tens of megabytes) are collected when the pool falls idle (see
# rendering.py), or after `LAYOUTS_PER_COLLECTION` layouts at the latest. A layout anywhere else
# pauses the collector while it runs and collects once after it.
LAYOUTS_PER_COLLECTION = 8
_layouts = 0


def collect_garbage() -> int:
    """Collect what the layouts left: run in an idle worker process."""
    global _layouts
    _layouts = 0
    return gc.collect()


def worker_started() -> None:
    """Set up a worker process of the pool before its first job: a small page in our fonts laid
    out once (the fonts, Pango and WeasyPrint's style machinery warmed up, which took a fresh
    process's first hall a second and a half more), the PDF templates compiled, then the
    collector off and all of that frozen."""
    from weasyprint import HTML

    fonts = STATIC_DIR / "fonts"
    HTML(string=(
        "<style>"
        f"@font-face {{ font-family: W; src: url('{(fonts / 'NotoSans-Regular.ttf').as_uri()}'); }}"
        f"@font-face {{ font-family: W; font-weight: 700; src: url('{(fonts / 'NotoSans-Bold.ttf').as_uri()}'); }}"
        "html { font: 9pt W; }</style><h1>Hội chợ OCOP</h1><p>Đặc sản <b>★★★★</b></p>"
    )).write_pdf()
    from events_app.core.templating import TEMPLATES_DIR

    for path in sorted((TEMPLATES_DIR / TEMPLATE_DIR).glob("*.html")):
        _environment().get_template(f"{TEMPLATE_DIR}/{path.name}")
    gc.collect()
    gc.freeze()
    gc.disable()


@contextmanager
def collector_paused():
    global _layouts
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        _layouts += 1
        if was_enabled:
            gc.enable()
            gc.collect()
        elif _layouts >= LAYOUTS_PER_COLLECTION:
            collect_garbage()


def parse_html(html: str, assets: Assets):
    """A WeasyPrint document of `html`, which reads only our files.

    WeasyPrint's HTML5 parser is pure Python: it took 80 ms of a hall's 1.4 s. The catalogue's
    templates are also well-formed XML, which the standard library's C parser reads in 3 ms into
    the same tree; anything that is not (a control character in a product's name, a template
    written as plain HTML) goes through the HTML5 parser as before. The shortcut sets what
    WeasyPrint's own constructor sets from its parse (weasyprint is pinned to one major version).
    """
    from xml.etree import ElementTree

    import cssselect2
    from weasyprint import HTML

    from events_app.catalogue.fetcher import RestrictedFetcher

    fetcher = RestrictedFetcher(assets)
    try:
        root = ElementTree.fromstring(html)
    except ElementTree.ParseError:
        return HTML(string=html, base_url=assets.base_url, url_fetcher=fetcher)
    document = HTML.__new__(HTML)
    document.base_url = assets.base_url
    document.url_fetcher = fetcher
    document.media_type = "print"
    document.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
    document.etree_element = document.wrapper_element.etree_element
    return document


def render_html(job: PdfJob) -> str:
    with i18n.language(job.language):
        return _environment().get_template(job.template).render(**job.context)


def render(job: PdfJob) -> bytes:
    """The PDF of a job. Blocking and CPU-bound: run it in a worker process (see rendering.py)."""
    html = render_html(job)
    with collector_paused():
        return parse_html(html, job.assets).write_pdf()


# Sections of a printed catalogue ----------------------------------------------------------------

@dataclass(frozen=True)
class Section:
    """One part of a catalogue laid out on its own: `key` names it in the page numbers."""

    key: str
    template: str
    context: dict[str, Any] = field(hash=False)
    title: str = ""  # its bookmark in the PDF
    weight: int = 0  # about how long it takes to lay out (products shown), to share the work out
    pages: int = 0  # how many pages it has, when that is known before it is laid out

    @property
    def anchors(self) -> dict[str, int]:
        """Where its anchors fall is known once it is laid out (see RenderedSection)."""
        return {}


@dataclass(frozen=True)
class SectionJob:
    section: Section
    language: str
    assets: Assets


@dataclass(frozen=True)
class RenderedSection:
    key: str
    title: str
    content: bytes
    pages: int
    anchors: dict[str, int]  # element id -> page of the section it lies on, from 0


# Sections laid out before, kept by what they show (see render_section); the first written go first.
SECTIONS_KEPT = 600


def render_section(job: SectionJob) -> RenderedSection:
    """Lay out one section, or take it as it was laid out before. Blocking and CPU-bound: run it
    in a worker process.

    A section is kept by a hash of its HTML (which names every image file it draws, and the
    photos' files by their version) with the design and WeasyPrint's version. A booking at a fair
    changes its catalogue, but most often one hall of it: the other halls, and the floor plan's
    pages, are taken as they were."""
    stamps = Stamps()
    with i18n.language(job.language):
        html = _environment().get_template(job.section.template).render(
            **job.section.context, assets=job.assets, stamps=stamps,
        )
    kept = _kept_section_path(html, job.assets)
    if kept is not None and (found := _read_kept_section(kept)) is not None:
        content, pages, anchors = found
        return RenderedSection(job.section.key, job.section.title, content, pages, anchors)
    rendered = _lay_out_section(job, html, stamps)
    if kept is not None:
        header = json.dumps({"pages": rendered.pages, "anchors": rendered.anchors}).encode()
        keep_file(kept, header + b"\n" + rendered.content, SECTIONS_KEPT)
    return rendered


def _kept_section_path(html: str, assets: Assets) -> Path | None:
    if not assets.cache_dir:
        return None
    from weasyprint import __version__ as weasyprint_version

    digest = hashlib.sha256(f"{FORMAT_VERSION}|{weasyprint_version}|{design_fingerprint()}|{assets.base_url}\n".encode())
    digest.update(html.encode())
    return Path(assets.cache_dir) / "sections" / f"{digest.hexdigest()}.section"


def _read_kept_section(path: Path) -> tuple[bytes, int, dict[str, int]] | None:
    """A kept section's PDF, pages and anchors; None when it is not kept (or was pruned meanwhile)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    header, _, content = data.partition(b"\n")
    try:
        found = json.loads(header)
        return content, int(found["pages"]), dict(found["anchors"])
    except (ValueError, KeyError, TypeError):
        return None  # not a kept section after all: laid out again, and written whole


def _lay_out_section(job: SectionJob, html: str, stamps: "Stamps") -> RenderedSection:
    with collector_paused():
        document = parse_html(html, job.assets).render()
        anchors: dict[str, int] = {}
        places: list[list[tuple[str, tuple[float, float, float, float]]]] = []
        for number, page in enumerate(document.pages):
            places.append([])
            for name, box in page.anchors.items():
                if name in stamps.images:
                    places[-1].append((name, box))
                else:
                    anchors.setdefault(name, number)
        content = document.write_pdf()
        if stamps.images:
            content = stamps.draw(content, places, [(page.width, page.height) for page in document.pages])
        return RenderedSection(job.section.key, job.section.title, content, len(document.pages), anchors)


@dataclass(frozen=True)
class Beside:
    """Where an image goes beside the box of the element it belongs to: on which side, how far
    from it, and how large; its top level with the box's top; in millimetres."""

    side: str  # "left" or "right"
    width: float
    height: float
    gap: float


# A product entry's QR code right of its first line's box, its photo left of it, in the entry's
# paddings, which the stylesheet sets with these numbers (_style.html).
QR_CODE = Beside("right", 12, 12, gap=3)
PHOTO = Beside("left", 22, 16, gap=3)
PIXELS_PER_MM = 96 / 25.4  # CSS pixels, in which WeasyPrint gives the boxes


class Stamps:
    """The images of a section drawn onto its pages once they are laid out: each product's QR
    code and photo. The template names the element they go beside with `add` (its id); once laid
    out, that anchor gives the element's box, and each image is drawn beside it.

    WeasyPrint spent a third of a hall's layout on its product images: fetching, decoding and
    re-encoding each, and a background image on an entry gave it and all it holds a style of
    their own, which the entries could no longer share. Drawn here, a QR code is its 1-bit
    pixels, and a photo its JPEG bytes, in the PDF as they are.
    """

    def __init__(self) -> None:
        self.images: dict[str, list[tuple[str, Beside]]] = {}  # anchor name -> image files and their places

    def add(self, *images: tuple[str, Beside]) -> str:
        """The anchor name (element id) of an element the images go beside: (file, place) pairs,
        those without a file left out. An element with an id has a style of its own, which the
        elements inside it no longer share: name one that holds only its text."""
        name = f"stamp-{len(self.images)}"
        self.images[name] = [(path, place) for path, place in images if path]
        return name

    def draw(self, content: bytes, places, sizes: list[tuple[float, float]]) -> bytes:
        """`content` with each page's images drawn: `places` lists, per page, the anchor names and
        their boxes (x1, y1, x2, y2 in CSS pixels from the top left); `sizes` is each page's width
        and height in the same pixels."""
        import pikepdf

        pdf = pikepdf.open(io.BytesIO(content))
        images: dict[str, tuple[pikepdf.Object, int, int]] = {}
        opening = pdf.make_stream(b"q")
        for page, page_places, (width, height) in zip(pdf.pages, places, sizes):
            if not page_places:
                continue
            box = page.mediabox
            scale_x = (float(box[2]) - float(box[0])) / width
            scale_y = (float(box[3]) - float(box[1])) / height
            drawing = []
            for name, (x1, y1, x2, _) in page_places:
                for path, place in self.images[name]:
                    if path not in images:
                        images[path] = _image_object(pdf, path)
                    image, pixels_wide, pixels_high = images[path]
                    resource = page.add_resource(image, pikepdf.Name.XObject, prefix="Stamp")
                    # Fitted into its place, its proportions kept, on the side nearer the box; in pixels.
                    fit = min(place.width * PIXELS_PER_MM / pixels_wide, place.height * PIXELS_PER_MM / pixels_high)
                    gap = place.gap * PIXELS_PER_MM
                    left = x2 + gap if place.side == "right" else x1 - gap - pixels_wide * fit
                    # In the page's points, from the bottom left.
                    w, h = pixels_wide * fit * scale_x, pixels_high * fit * scale_y
                    x, y = float(box[0]) + left * scale_x, float(box[3]) - y1 * scale_y - h
                    drawing.append(b"q %.3f 0 0 %.3f %.3f %.3f cm %s Do Q" % (w, h, x, y, str(resource).encode()))
            _draw_over(pdf, page.obj, b" ".join(drawing), opening)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _image_object(pdf, path: str):
    """An image XObject of a QR code's 1-bit PNG or a photo's JPEG, and its size in pixels."""
    import zlib

    import pikepdf
    from PIL import Image

    with Image.open(path) as image:
        width, height = image.size
        if image.format == "JPEG":
            colours = {"L": pikepdf.Name.DeviceGray, "CMYK": pikepdf.Name.DeviceCMYK}.get(image.mode, pikepdf.Name.DeviceRGB)
            stream = pdf.make_stream(Path(path).read_bytes(), Filter=pikepdf.Name.DCTDecode, BitsPerComponent=8,
                                     ColorSpace=colours)
        else:
            # One bit a pixel, rows padded to a byte: PIL's "1" mode and PDF's 1-bit grey alike (0 is black).
            bits = image.convert("1").tobytes()
            stream = pdf.make_stream(zlib.compress(bits), Filter=pikepdf.Name.FlateDecode, BitsPerComponent=1,
                                     ColorSpace=pikepdf.Name.DeviceGray, Interpolate=False)
    stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    stream.Width, stream.Height = width, height
    return stream, width, height


@dataclass(frozen=True)
class Binding:
    """How the sections are put together: cover and contents first, unnumbered; then the
    numbered pages, 1 to the end."""

    front: RenderedSection
    body: tuple[RenderedSection, ...]
    title: str
    author: str
    language: str
    assets: Assets


# Page numbers are written straight into the joined PDF, in Helvetica (one of the fonts every PDF
# reader has): laying out blank pages just to number them cost WeasyPrint 7 ms a page.
NUMBER_FONT_SIZE = 7.5
NUMBER_BASELINE = 22.0  # points above the bottom edge: the middle of the bottom margin
NUMBER_COLOUR = b"0.34 0.376 0.416 rg"
_HELVETICA_WIDTHS = {**{str(d): 556 for d in range(10)}, " ": 278, "/": 278}


def _number_stream(text: str, page_width: float) -> bytes:
    width = sum(_HELVETICA_WIDTHS[c] for c in text) * NUMBER_FONT_SIZE / 1000
    x = (page_width - width) / 2
    return (b"q " + NUMBER_COLOUR + b" BT /PageNo %.2f Tf %.2f %.2f Td (%s) Tj ET Q"
            % (NUMBER_FONT_SIZE, x, NUMBER_BASELINE, text.encode()))


def _print_numbers(pdf, pages, total: int) -> None:
    import pikepdf

    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica,
        Encoding=pikepdf.Name.WinAnsiEncoding,
    ))
    opening = pdf.make_stream(b"q")
    for number, page in enumerate(pages, 1):
        page = page.obj
        if "/Resources" not in page:
            page.Resources = pikepdf.Dictionary()
        if "/Font" not in page.Resources:
            page.Resources.Font = pikepdf.Dictionary()
        page.Resources.Font.PageNo = font
        _draw_over(pdf, page, _number_stream(f"{number} / {total}", float(page.MediaBox[2]) - float(page.MediaBox[0])), opening)


def _draw_over(pdf, page, drawing: bytes, opening) -> None:
    """`drawing` drawn over a page (a page dictionary), in its default coordinates: the page's own
    drawing is wrapped in q … Q, so whatever state it leaves does not move what is drawn over it.
    `opening` is a stream holding "q", shared by the pages of one PDF."""
    import pikepdf

    contents = page.Contents
    existing = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    page.Contents = pikepdf.Array([opening, *existing, pdf.make_stream(b"Q " + drawing)])


def join(binding: Binding) -> bytes:
    """One PDF of the sections in order, page numbers printed on the body, a bookmark per section.
    qpdf (through pikepdf) copies the pages: a tenth of the time pure-Python merging took."""
    import pikepdf

    pdf = pikepdf.new()
    sections = (binding.front, *binding.body)
    starts = []
    for section in sections:
        starts.append(len(pdf.pages))
        pdf.pages.extend(pikepdf.open(io.BytesIO(section.content)).pages)
    front = binding.front.pages
    numbered = sum(section.pages for section in binding.body)
    if numbered:
        _print_numbers(pdf, pdf.pages[front:], numbered)
        # What a PDF reader shows as page numbers is what is printed on the pages.
        labels = [front, pikepdf.Dictionary(S=pikepdf.Name.D, St=1)]
        if front:
            labels = [0, pikepdf.Dictionary(S=pikepdf.Name.r), *labels]
        pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(labels))
    with pdf.open_outline() as outline:
        for section, start in zip(sections, starts):
            if section.title:
                outline.root.append(pikepdf.OutlineItem(section.title, start))
    pdf.docinfo["/Title"] = binding.title
    pdf.docinfo["/Author"] = binding.author
    pdf.docinfo["/Creator"] = "OCOP Fair Manager"
    pdf.Root.PageMode = pikepdf.Name.UseOutlines
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
