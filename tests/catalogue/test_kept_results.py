"""What /products keeps between requests (the ordered ids of a filter set, the counts per group, the
lists its filters offer) and how a page is read from it: page 400 costs what page 1 does, and a
change to the catalogue, or a new day, is seen at once."""

import datetime as dt

import pytest

from events_app.catalogue import services
from events_app.catalogue.services import catalogue, catalogue_version, ordered_ids, parse_filters
from piccolo.querystring import QueryString

from events_app.core.clock import now
from events_app.core.db import engine, is_postgres
from events_app.core.dates import certificate_valid_until
from events_app.directory.services import refresh_search_text
from events_app.directory.tables import Product
from tests.catalogue.builders import catalogue_product
from tests.factories import PASSWORD, group_id, make_producer, make_user
from tests.helpers import login, post_form, text_of

MANY = 24 * 400 + 5  # page 401 holds the last five


@pytest.fixture
async def national_shelf(clean_db):
    """MANY products of one producer, all four stars, named in the catalogue's order: made by one
    statement, then given their search columns by the directory, as the large demo set is."""
    producer = await make_producer("HTX Nông sản Diễn Châu")
    certified = dt.date(2025, 6, 1)
    if is_postgres():
        number, day = "lpad(CAST(n.i AS TEXT), 5, '0')", "CAST({} AS DATE)"
    else:
        number, day = "printf('%05d', n.i)", "{}"
    await engine().run_querystring(QueryString(
        f"""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {MANY})
        INSERT INTO product (producer, name, slug, "group", stars, certificate_number, certified_on, valid_until,
                             evaluation_level, description, story, unit, image, traceability_url,
                             search_name, search_text, search_story, created_at, updated_at)
        SELECT {{}}, 'Sản phẩm ' || {number}, 'san-pham-' || {number}, {{}}, 4, '', {day}, {day},
               'provincial', '', '', '', '', '', '', '', '', {{}}, {{}}
        FROM n""",
        producer.id, await group_id("food"), certified, certificate_valid_until(certified),
        now(), now(),
    ))
    assert await refresh_search_text(producer.id) == MANY
    return producer


async def test_page_400_shows_its_own_rows(client, national_shelf):
    response = await client.get("/products?page=400")
    assert response.status_code == 200
    text = text_of(response.text)
    assert "9605 sản phẩm · trang 400/401" in text
    shown = [f"Sản phẩm {n:05d}" for n in range(24 * 399 + 1, 24 * 400 + 1)]
    assert all(name in text for name in shown)
    assert "Sản phẩm 09576" not in text and "Sản phẩm 09601" not in text
    assert 'href="?page=401"' in response.text and 'href="?page=399"' in response.text

    last = text_of((await client.get("/products?page=401")).text)
    assert all(f"Sản phẩm {n:05d}" in last for n in range(9601, MANY + 1)) and "Sản phẩm 09600" not in last
    assert "Không có trang" not in last


async def test_a_page_past_the_last_says_so_and_shows_the_last(client, national_shelf):
    for asked in ("402", "99999", "9" * 40):
        response = await client.get(f"/products?page={asked}")
        assert response.status_code == 200
        text = text_of(response.text)
        assert "đang hiển thị trang cuối, trang 401." in text, asked
        assert f"Sản phẩm {MANY:05d}" in text
    # A search with fewer results: its last page is the first.
    text = text_of((await client.get("/products?q=san+pham+00001&page=3")).text)
    assert "Không có trang 3: đang hiển thị trang cuối, trang 1." in text and "Sản phẩm 00001" in text


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "１", "%00", "", "2147483648"])
async def test_bad_page_numbers_never_break_the_page(client, shelf, page):
    response = await client.get(f"/products?page={page}")
    assert response.status_code in (200, 400)  # a NUL is refused before any handler
    if response.status_code == 200:
        assert "Sản phẩm" in text_of(response.text)


@pytest.mark.parametrize("query", ['"', '""tra', "tra*", "NEAR(tra sen)", "tra OR sen", "-tra", "^tra", "a:b",
                                   "'; DROP TABLE product; --", "%_\\", "​", "ｔｒａ", "x" * 300])
async def test_search_syntax_is_text(client, shelf, query):
    response = await client.get("/products", params={"q": query})
    assert response.status_code == 200
    assert await Product.count() == 7


async def test_one_filter_set_is_read_once_per_version(shelf):
    filters = await parse_filters(q="tra")
    version = await catalogue_version()
    first = await ordered_ids(filters, version)
    assert await ordered_ids(await parse_filters(q="TRÀ"), version) is first  # the same words, kept
    assert await ordered_ids(await parse_filters(q="tra", stars="5"), version) is not first


async def test_a_change_through_the_services_is_seen_at_once(client, shelf):
    """The producer edits a product and adds one through its pages: the kept ids, counts and
    the page follow, because the catalogue's revision moved."""
    await make_user("producer", "duong@example.vn", producer=shelf.producers.duong)
    before = text_of((await client.get("/products?q=duong")).text)
    assert "2 sản phẩm" in before
    version = await catalogue_version()
    assert "Thực phẩm 3" in text_of((await client.get("/products")).text)

    await login(client, "duong@example.vn", PASSWORD)
    form = {
        "name": "Đường phèn viên", "group_id": str(await group_id("food")), "stars": "5",
        "certificate_number": "OCOP-QNg-2025-0001", "certified_on": "2025-08-01", "evaluation_level": "national",
        "price": "", "unit": "", "description": "", "story": "", "traceability_url": "",
    }
    response = await post_form(client, f"/my/products/{shelf.duong.id}/edit", form, page="/my/products")
    assert response.status_code == 302, text_of(response.text)[-600:]
    assert await catalogue_version() != version

    after = text_of((await client.get("/products?q=duong")).text)
    assert "Đường phèn viên" in after and "ĐƯỜNG PHÈN hạt" not in after
    assert after.index("Đường phèn viên") < after.index("Mật mía đường non")  # five stars now

    new = {**form, "name": "Kẹo đường phèn", "certificate_number": "OCOP-QNg-2025-0002", "stars": "3",
           "evaluation_level": "provincial"}
    response = await post_form(client, "/my/products/new", new, page="/my/products/new")
    assert response.status_code == 302, text_of(response.text)[-400:]
    page = text_of((await client.get("/products")).text)
    assert "Thực phẩm 4" in page and "7 sản phẩm" in page
    assert "3 sản phẩm" in text_of((await client.get("/products?q=duong")).text)


async def test_a_certificate_that_lapses_overnight_leaves_without_a_write(shelf, monkeypatch):
    producer = await make_producer("HTX Hết hạn")
    lapsing = dt.date.today().replace(year=dt.date.today().year - 3)
    await catalogue_product(producer, "Mứt sen hết hạn đêm nay", certified_on=lapsing)
    product = await Product.select(Product.valid_until).where(Product.name == "Mứt sen hết hạn đêm nay").first()
    on_the_day = product["valid_until"]
    monkeypatch.setattr(services, "today", lambda: on_the_day)
    assert "Mứt sen hết hạn đêm nay" in [p["name"] for p in (await catalogue(await parse_filters(q="mut sen"), 1)).page.items]
    monkeypatch.setattr(services, "today", lambda: on_the_day + dt.timedelta(days=1))
    assert (await catalogue(await parse_filters(q="mut sen"), 1)).page.items == []


async def test_the_kept_page_follows_the_language_and_the_notes_the_request(client, shelf):
    vietnamese = text_of((await client.get("/products?group=herbal")).text)
    assert "Thảo dược 2" in vietnamese and "2 sản phẩm" in vietnamese
    await post_form(client, "/language", {"language": "en", "next": "/products"})
    english = text_of((await client.get("/products?group=herbal")).text)
    assert "Herbal and medicinal products 2" in english and "2 products" in english and "Thảo dược" not in english
    # The same kept page under a note that only this request has.
    noted = text_of((await client.get("/products?group=herbal&stars=abc")).text)
    assert "“abc” is not a star rating" in noted and "Herbal and medicinal products 2" in noted
    assert "is not a star rating" not in text_of((await client.get("/products?group=herbal")).text)
