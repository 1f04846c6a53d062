"""PDF catalogues: pure builders, data in and bytes out, from Jinja templates through WeasyPrint.

A job carries only plain values, so it can cross to a worker process. WeasyPrint fetches nothing
but our own files (see fetcher.py). WeasyPrint itself is imported only where a PDF is rendered,
in the worker process.

A printed catalogue is laid out in sections (the floor plan, each hall, each index, the cover
and contents), each its own small document, so that sections go to several worker processes at
once and a progress page can count them; `join` puts them together with pypdf and prints the
page numbers, which only the whole knows.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from events_app.core import i18n
from events_app.catalogue.assets import STATIC_DIR, Assets
from events_app.catalogue.qr import qr_svg

# Bump when the look of the PDFs changes in a way the templates' text does not show.
FORMAT_VERSION = 2
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
    return env


def render_html(job: PdfJob) -> str:
    with i18n.language(job.language):
        return _environment().get_template(job.template).render(**job.context)


def render(job: PdfJob) -> bytes:
    """The PDF of a job. Blocking and CPU-bound: run it in a worker process (see rendering.py)."""
    from weasyprint import HTML

    from events_app.catalogue.fetcher import RestrictedFetcher

    html = render_html(job)
    fetcher = RestrictedFetcher(job.assets)
    return HTML(string=html, base_url=job.assets.base_url, url_fetcher=fetcher).write_pdf()


# Sections of a printed catalogue ----------------------------------------------------------------

@dataclass(frozen=True)
class Section:
    """One part of a catalogue laid out on its own: `key` names it in the page numbers."""

    key: str
    template: str
    context: dict[str, Any] = field(hash=False)
    title: str = ""  # its bookmark in the PDF
    weight: int = 0  # about how long it takes to lay out (products shown), to share the work out


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


def render_section(job: SectionJob) -> RenderedSection:
    """Lay out one section. Blocking and CPU-bound: run it in a worker process."""
    from weasyprint import HTML

    from events_app.catalogue.fetcher import RestrictedFetcher

    with i18n.language(job.language):
        html = _environment().get_template(job.section.template).render(**job.section.context, assets=job.assets)
    document = HTML(string=html, base_url=job.assets.base_url, url_fetcher=RestrictedFetcher(job.assets)).render()
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, number)
    return RenderedSection(job.section.key, job.section.title, document.write_pdf(), len(document.pages), anchors)


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
    return (b"Q q " + NUMBER_COLOUR + b" BT /PageNo %.2f Tf %.2f %.2f Td (%s) Tj ET Q"
            % (NUMBER_FONT_SIZE, x, NUMBER_BASELINE, text.encode()))


def _print_numbers(writer, pages, total: int) -> None:
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    }))
    save = DecodedStreamObject()
    save.set_data(b"q")
    save_ref = writer._add_object(save)
    for number, page in enumerate(pages, 1):
        resources = page.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
        fonts = resources.setdefault(NameObject("/Font"), DictionaryObject()).get_object()
        fonts[NameObject("/PageNo")] = font
        stream = DecodedStreamObject()
        stream.set_data(_number_stream(f"{number} / {total}", float(page.mediabox.width)))
        contents = page.get("/Contents")
        existing = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        # The page's own drawing is wrapped in q … Q, so whatever state it leaves does not move the number.
        page[NameObject("/Contents")] = ArrayObject([save_ref, *existing, writer._add_object(stream)])


def join(binding: Binding) -> bytes:
    """One PDF of the sections in order, page numbers printed on the body, a bookmark per section."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    sections = (binding.front, *binding.body)
    starts = []
    for section in sections:
        starts.append(len(writer.pages))
        writer.append(PdfReader(io.BytesIO(section.content)), import_outline=False)
    numbered = sum(section.pages for section in binding.body)
    if numbered:
        _print_numbers(writer, writer.pages[binding.front.pages:], numbered)
        # What a PDF reader shows as page numbers is what is printed on the pages.
        writer.set_page_label(0, binding.front.pages - 1, style="/r")
        writer.set_page_label(binding.front.pages, len(writer.pages) - 1, style="/D", start=1)
    for section, start in zip(sections, starts):
        if section.title:
            writer.add_outline_item(section.title, start)
    writer.add_metadata({"/Title": binding.title, "/Author": binding.author, "/Creator": "OCOP Fair Manager"})
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
