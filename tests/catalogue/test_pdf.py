"""PDF catalogues: the text and fonts inside them, the restricted fetcher, the worker processes."""

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from events_app.catalogue import pdf, printing, rendering
from events_app.catalogue.fetcher import RestrictedFetcher
from events_app.directory.tables import Product
from tests.catalogue.builders import exhibit, make_fair
from tests.catalogue.printed import fetch_pdf
from tests.directory.conftest import image_bytes
from tests.helpers import text_of


def read_pdf(content: bytes) -> tuple[str, set[str]]:
    """The text of every page, and the names of the fonts embedded (without their subset prefix)."""
    reader = PdfReader(io.BytesIO(content))
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            if font["/BaseFont"] == "/Helvetica":  # the page numbers, in a font every reader has
                continue
            assert "/FontFile2" in font["/DescendantFonts"][0].get_object()["/FontDescriptor"]  # embedded
            fonts.add(str(font["/BaseFont"]).split("+", 1)[-1])
    return "\n".join(page.extract_text() for page in reader.pages), fonts


def image_count(content: bytes) -> int:
    """How many distinct raster images the PDF holds: drawn on pages, or as backgrounds (in the
    patterns and forms the pages use; pages may share resource dictionaries)."""
    reader = PdfReader(io.BytesIO(content))
    images, seen = set(), set()

    def walk(resources) -> None:
        resources = resources.get_object() if resources is not None else {}
        for kind in ("/XObject", "/Pattern"):
            for ref in (resources.get(kind) or {}).values():
                if ref.idnum in seen:
                    continue
                seen.add(ref.idnum)
                found = ref.get_object()
                if found.get("/Subtype") == "/Image":
                    images.add(ref.idnum)
                else:
                    walk(found.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return len(images)


@pytest.fixture
async def fair_with_exhibitors(shelf, settings):
    fair, booths = await make_fair(title="Hội chợ OCOP Bắc Trung Bộ")
    p = shelf.producers
    # A photo for one product, stored the way the product form stores it.
    folder = settings.media_dir / "products"
    folder.mkdir(parents=True)
    (folder / "ga.jpg").write_bytes(image_bytes("JPEG", size=(200, 150)))
    await Product.update({Product.image: "products/ga.jpg"}).where(Product.id == shelf.ga.id)

    await exhibit(fair, p.duoc, [shelf.ca_gai_leo, shelf.linh_chi], status="confirmed", booth_id=booths["A-02"])
    await exhibit(fair, p.ga, [shelf.ga], status="approved", booth_id=booths["A-01"])
    await exhibit(fair, p.duong, [shelf.duong, shelf.mia], status="approved", booth_id=booths["B-01"])
    await exhibit(fair, p.muoi, [shelf.muoi], status="approved")  # no booth yet
    other = await exhibit(fair, p.duoc, [shelf.expired], status="submitted", booth_id=None)
    assert other.id
    return fair


async def test_event_catalogue(client, fair_with_exhibitors, pdf_worker):
    fair = fair_with_exhibitors
    response = await fetch_pdf(client, f"/events/{fair['slug']}/catalogue.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'inline; filename="catalogue-{fair["slug"]}.pdf"'
    text, fonts = read_pdf(response.content)

    assert fair["title_vi"] in text and "DANH MỤC GIAN HÀNG" in text  # the kicker is in capitals
    assert "Quảng trường Hồ Chí Minh" in text and "Sở Công Thương Nghệ An" in text
    for name in ("HTX Dược liệu Con Cuông", "Trà túi lọc Cà gai leo", "Nấm linh chi đỏ", "HTX Chăn nuôi gà Tiên Yên",
                 "Gà Tiên Yên", "Cơ sở Đường phèn Bình Sơn", "ĐƯỜNG PHÈN hạt", "Mật mía đường non", "Muối tôm"):
        assert name in text, name
    assert "OCOP 5 sao ★★★★★" in text and "OCOP 4 sao ★★★★☆" in text and "OCOP 3 sao ★★★☆☆" in text
    assert "hiệu lực đến 01/06/2028 (còn hiệu lực)" in text
    assert "Trà Giảo cổ lam cũ" not in text  # only in a submitted application

    # By hall, then booth: A-01 before A-02 in Khu A, then Khu B, then those still without a booth.
    order = [text.index(s) for s in ("A-01 HTX Chăn nuôi gà Tiên Yên", "A-02 HTX Dược liệu Con Cuông",
                                     "B-01 Cơ sở Đường phèn Bình Sơn", "Gian hàng sẽ thông báo sau\nHTX Muối tôm")]
    assert order == sorted(order)
    assert "Tra cứu theo tỉnh, thành phố" in text and "Tra cứu theo nhóm sản phẩm" in text

    assert fonts == {"OCOP-Sans", "OCOP-Sans-Bold", "OCOP-Symbols"}  # ours, from static/fonts
    # A QR code for each of the 6 products shown and the photo, read through the restricted fetcher.
    assert image_count(response.content) == 7


def drawn_images(content: bytes) -> list[list[tuple[object, tuple[float, float, float, float]]]]:
    """Per page, each image drawn on it (as a PIL image) and where (x, y, width, height in points
    from the bottom left), read from the page's drawing operators."""
    import pikepdf

    pages = []
    with pikepdf.open(io.BytesIO(content)) as document:
        for page in document.pages:
            found, matrices, matrix = [], [], (1, 0, 0, 1, 0, 0)
            for operands, operator in pikepdf.parse_content_stream(page):
                if operator == pikepdf.Operator("q"):
                    matrices.append(matrix)
                elif operator == pikepdf.Operator("Q"):
                    matrix = matrices.pop()
                elif operator == pikepdf.Operator("cm"):
                    a, b, c, d, e, f = (float(v) for v in operands)
                    A, B, C, D, E, F = matrix
                    matrix = (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)
                elif operator == pikepdf.Operator("Do"):
                    xobject = page.Resources.XObject[operands[0]]
                    if xobject.Subtype == "/Image":
                        found.append((pikepdf.PdfImage(xobject).as_pil_image(), (matrix[4], matrix[5], matrix[0], matrix[3])))
            pages.append(found)
    return pages


async def test_each_product_has_its_qr_code_beside_it(client, fair_with_exhibitors, shelf, settings, pdf_worker):
    """The QR code on the page that names a product leads to that product's page, and is printed
    in the right margin of its entry; the photo is in the left."""
    import zxingcpp
    from PIL import Image

    response = await fetch_pdf(client, f"/events/{fair_with_exhibitors['slug']}/catalogue.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    products = [shelf.ca_gai_leo, shelf.linh_chi, shelf.ga, shelf.duong, shelf.mia, shelf.muoi]
    names = {f"{settings.public_url}/products/{p.slug}": p.name for p in products}
    shown = []
    for page, images in zip(reader.pages, drawn_images(response.content)):
        width = float(page.mediabox.width)
        lines = []  # (baseline from the bottom, text) of each run of text on the page
        text = page.extract_text(visitor_text=lambda run, cm, tm, *_: lines.append((tm[5] * cm[3] + cm[5], run.strip())))
        for image, (x, y, w, h) in images:
            if image.size == (200, 150):  # the photo of Gà Tiên Yên, at the left
                assert "Gà Tiên Yên" in text and x < width / 3 and round(w / h, 2) == round(200 / 150, 2)
                continue
            # Read as a phone would, on the white of the page around it.
            page_around = Image.new("L", (image.width + 8, image.height + 8), 255)
            page_around.paste(image.convert("L"), (4, 4))
            [code] = zxingcpp.read_barcodes(page_around.resize((page_around.width * 8, page_around.height * 8), Image.NEAREST))
            name = names[code.text]
            # Beside its entry: the first product name under the code's top edge is its own.
            below = [(y + h - baseline, run) for baseline, run in lines if run in names.values() and baseline < y + h]
            assert min(below)[1] == name
            # 12 mm square, its right edge at the page's right margin (14 mm).
            assert abs(w - 12 * 72 / 25.4) < 0.5 and abs(h - w) < 0.5 and abs(x + w - (width - 14 * 72 / 25.4)) < 0.5
            shown.append(name)
    assert sorted(shown) == sorted(p.name for p in products)


async def test_a_fair_without_exhibitors_prints_a_clear_page(client, shelf, pdf_worker):
    fair, _ = await make_fair()
    response = await fetch_pdf(client, f"/events/{fair['slug']}/catalogue.pdf")
    assert response.status_code == 200
    text, _ = read_pdf(response.content)
    assert "Chưa có đơn vị trưng bày" in text
    assert "Đơn vị trưng bày sẽ có trong danh mục khi đơn đăng ký gian hàng được duyệt." in text


async def test_unknown_and_draft_events_have_no_catalogue(client, clean_db):
    draft, _ = await make_fair(status="draft")
    for slug in ("khong-co", draft["slug"]):
        response = await client.get(f"/events/{slug}/catalogue.pdf")
        assert response.status_code == 404
        assert "Sự kiện này không tồn tại hoặc chưa được công bố." in text_of(response.text)
        assert response.headers["content-type"].startswith("text/html")


async def test_product_catalogue_with_filters(client, shelf, pdf_worker):
    response = await fetch_pdf(client, "/catalogue.pdf?group=herbal&stars=abc")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'inline; filename="danh-muc-san-pham-ocop.pdf"'
    text, fonts = read_pdf(response.content)
    assert "Danh mục sản phẩm OCOP" in text and "Nhóm sản phẩm Thảo dược" in text
    assert "Nấm linh chi đỏ" in text and "HTX Dược liệu Con Cuông · Nghệ An" in text
    assert "Trà túi lọc Cà gai leo" in text and "OCOP 4 sao ★★★★☆" in text
    assert "Gà Tiên Yên" not in text and "Trà Giảo cổ lam cũ" not in text
    assert fonts == {"OCOP-Sans", "OCOP-Sans-Bold", "OCOP-Symbols"}

    empty, _ = read_pdf((await fetch_pdf(client, "/catalogue.pdf?q=khong+co+gi")).content)
    assert "Không có sản phẩm phù hợp với bộ lọc" in empty


async def test_sections_are_laid_out_in_worker_processes(tmp_path):
    data = {"filters": [], "sections": [], "shown": 0, "total": 0, "issued_on": dt.date(2026, 12, 1), "catalogue_url": "x"}
    assets = pdf.Assets.for_site("http://127.0.0.1:8000", "/nonexistent", tmp_path)
    told = []

    async def progress(done, total):
        told.append((done, total))

    content = await rendering.build_catalogue(printing.Catalogue(printing.PRODUCTS, data, "vi", assets), progress)
    assert content.startswith(b"%PDF-") and "Không có sản phẩm phù hợp với bộ lọc" in read_pdf(content)[0]
    assert told == [(1, 1)]  # the cover and contents: the only section of an empty catalogue
    workers = rendering._executor()._processes
    assert workers and all(pid != os.getpid() for pid in workers)


def test_the_fetcher_serves_only_static_and_media_files(tmp_path):
    media = tmp_path / "media"
    (media / "products").mkdir(parents=True)
    (media / "products" / "a.jpg").write_bytes(image_bytes("JPEG"))
    secret = tmp_path / "secret.txt"
    secret.write_text("do not print")
    fetcher = RestrictedFetcher(pdf.Assets.for_site("https://ocop.example", media))
    static = Path(pdf.STATIC_DIR)

    font = fetcher.fetch("https://ocop.example/static/fonts/NotoSans-Regular.ttf")
    assert font.read() == (static / "fonts" / "NotoSans-Regular.ttf").read_bytes()
    assert fetcher.fetch("https://ocop.example/media/products/a.jpg").content_type == "image/jpeg"
    assert fetcher.local_path((static / "fonts" / "NotoSans-Bold.ttf").as_uri()) is not None

    for url in (
        "file:///etc/passwd",
        secret.as_uri(),
        "https://ocop.example/static/../../etc/passwd",
        "https://ocop.example/static/%2e%2e/%2e%2e/etc/passwd",
        "https://ocop.example/media/../secret.txt",
        "https://ocop.example/media/products/missing.jpg",
        "https://ocop.example/products/ga-tien-yen",
        "https://evil.example/static/fonts/NotoSans-Regular.ttf",
        "https://ocop.example.evil.example/static/fonts/NotoSans-Regular.ttf",
        "http://169.254.169.254/latest/meta-data/",
        "ftp://ocop.example/static/fonts/NotoSans-Regular.ttf",
        "file://otherhost/etc/passwd",
        "data:text/plain,hello",
    ):
        assert fetcher.local_path(url) is None, url
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_text_typed_by_users_cannot_pull_in_files(tmp_path):
    """Names are escaped into the HTML, and whatever a URL asks for goes through the fetcher."""
    product = {
        "name": '<img src="https://evil.example/x.png">Bánh', "url": "https://ocop.example/products/banh",
        "stars": 3, "group": "Thực phẩm", "certificate_number": "1", "valid_until": dt.date(2027, 1, 1), "valid": True,
        "price": None, "unit": "", "image": "../../../../etc/passwd", "producer": "A", "province": "B",
        "story": '<img src="file:///etc/passwd">',
    }
    data = {
        "filters": [("q", '<img src="file:///etc/passwd">')],
        "sections": [{"key": "group-1", "name": "Thực phẩm", "products": [product], "total": 1}],
        "shown": 1, "total": 1, "issued_on": dt.date(2026, 12, 1), "catalogue_url": "https://ocop.example/products",
    }
    catalogue = printing.Catalogue(printing.PRODUCTS, data, "vi", pdf.Assets.for_site("https://ocop.example", tmp_path, tmp_path / "cache"))
    [section] = catalogue.body()
    html = pdf.render_html(pdf.PdfJob(section.template, {**section.context, "assets": catalogue.assets, "stamps": pdf.Stamps()}, "vi", catalogue.assets))
    assert '<img src="https://evil.example' not in html and '<img src="file:' not in html and "&lt;img" in html
    rendered = pdf.render_section(pdf.SectionJob(section, "vi", catalogue.assets))
    assert image_count(rendered.content) == 1  # the product's QR code, nothing else
    assert '<img src="https://evil.example/x.png">Bánh' in read_pdf(rendered.content)[0]


def page_texts(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


async def test_the_fast_parser_reads_every_section_as_weasyprints_own(fair_with_exhibitors, settings):
    """Every template of a fair's catalogue is well-formed XML, read by the C parser, and lays
    out the same pages as through WeasyPrint's HTML5 parser."""
    from xml.etree import ElementTree

    from weasyprint import HTML

    from events_app.catalogue import documents, jobs
    from events_app.core import i18n
    from events_app.events.services import get_event

    with i18n.language("vi"):
        data = await documents.event_catalogue_data(await get_event(fair_with_exhibitors["slug"]), settings.public_url)
    catalogue = printing.Catalogue(printing.EVENT, data, "vi", jobs.assets_for(settings))
    body = catalogue.body()
    pages, after = printing.page_map([pdf.render_section(pdf.SectionJob(s, "vi", catalogue.assets)) for s in body])
    back = catalogue.back(pages)
    pages |= printing.page_map([pdf.render_section(pdf.SectionJob(s, "vi", catalogue.assets)) for s in back], after)[0]
    sections = [*body, *back, catalogue.front(pages)]
    assert {s.template for s in sections} >= {f"{pdf.TEMPLATE_DIR}/section.html", f"{pdf.TEMPLATE_DIR}/event_front.html"}
    assert {part["template"].rsplit("/", 1)[1] for s in sections for part in s.context.get("parts", [])} == {
        "_plan.html", "_hall.html", "_index.html"}
    for section in sections:
        html = pdf.render_html(pdf.PdfJob(section.template, {**section.context, "assets": catalogue.assets, "stamps": pdf.Stamps()},
                                          "vi", catalogue.assets))
        ElementTree.fromstring(html)  # well-formed
        own = HTML(string=html, base_url=catalogue.assets.base_url, url_fetcher=RestrictedFetcher(catalogue.assets))
        assert page_texts(pdf.parse_html(html, catalogue.assets).write_pdf()) == page_texts(own.write_pdf()), section.key


def test_html_that_is_not_xml_is_read_as_html(tmp_path):
    """A control character (which XML forbids), a named entity, an unclosed tag: WeasyPrint's own
    parser reads them."""
    font = "<style>@font-face { font-family: S; src: url(static/fonts/NotoSans-Regular.ttf) } html { font-family: S }</style>"
    document = pdf.parse_html(f"<!doctype html>{font}<p title='\x0b'>Bánh đa nem&nbsp;rán<br>Hải Phòng", pdf.Assets.for_site("https://ocop.example", tmp_path))
    [text] = page_texts(document.write_pdf())
    assert "Bánh đa" in text and "nem\xa0rán" in text and "Hải Phòng" in text


async def test_a_rebuilt_catalogue_lays_out_again_only_what_changed(fair_with_exhibitors, shelf, settings):
    """After a product of one hall is renamed, the other hall and the floor plan are taken as
    they were laid out; the catalogue is the same as one made from nothing."""
    from events_app.catalogue import jobs

    request = jobs.CatalogueRequest(printing.EVENT, fair_with_exhibitors["slug"], "vi")
    kept = Path(jobs.assets_for(settings).cache_dir) / "sections"
    first = await jobs.build_pdf(request, settings)
    before = {path.name: path.stat().st_mtime_ns for path in kept.glob("*.section")}
    assert "Muối tôm" in "\n".join(page_texts(first)) and len(before) >= 5

    await Product.update({Product.name: "Muối tôm Tây Ninh loại đặc biệt"}).where(Product.id == shelf.muoi.id)
    again = await jobs.build_pdf(request, settings)
    after = {path.name: path.stat().st_mtime_ns for path in kept.glob("*.section")}
    laid_out = set(after) - set(before)
    # Of the five sections (a floor-plan page for each of the two halls, the halls with the
    # booths still to be announced, the indexes, the cover and contents), the one that shows the
    # salt and the indexes' (which list it); the plan does not show it, nor do the contents.
    assert len(before) == 5 and len(laid_out) == 2
    assert all(after[name] == written for name, written in before.items())  # taken as they were, not written again
    texts = page_texts(again)
    assert "Muối tôm Tây Ninh loại đặc biệt" in "\n".join(texts)

    for path in kept.glob("*.section"):
        path.unlink()
    assert page_texts(await jobs.build_pdf(request, settings)) == texts  # made from nothing: the same pages


def test_a_damaged_kept_section_is_laid_out_again(tmp_path):
    data = {"filters": [], "sections": [], "shown": 0, "total": 0, "issued_on": dt.date(2026, 12, 1), "catalogue_url": "x"}
    assets = pdf.Assets.for_site("http://127.0.0.1:8000", "/nonexistent", tmp_path)
    section = printing.Catalogue(printing.PRODUCTS, data, "vi", assets).front({})
    first = pdf.render_section(pdf.SectionJob(section, "vi", assets))
    [kept] = (tmp_path / "sections").glob("*.section")
    kept.write_bytes(b"not json\n%PDF-")
    again = pdf.render_section(pdf.SectionJob(section, "vi", assets))
    assert again.content.startswith(b"%PDF-") and page_texts(again.content) == page_texts(first.content)
    assert kept.read_bytes().startswith(b'{"pages": ')  # written whole again
