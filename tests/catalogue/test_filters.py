"""Filters, counts and pages of /products; values that make no sense are explained, never a 500."""

import datetime as dt

import pytest

from events_app.catalogue.services import catalogue, parse_filters
from tests.catalogue.builders import catalogue_product, exhibit, make_fair
from tests.factories import make_producer
from tests.helpers import text_of


async def names(**params) -> list[str]:
    result = await catalogue(await parse_filters(**params), 1)
    return [p["name"] for p in result.page.items]


async def test_every_valid_product_best_rated_first(shelf):
    assert await names() == [
        "Nấm linh chi đỏ", "Gà Tiên Yên", "Mật mía đường non", "Trà túi lọc Cà gai leo", "ĐƯỜNG PHÈN hạt", "Muối tôm",
    ]


async def test_each_filter(shelf):
    assert await names(stars="4") == ["Nấm linh chi đỏ", "Gà Tiên Yên", "Mật mía đường non", "Trà túi lọc Cà gai leo"]
    assert await names(stars="5") == ["Nấm linh chi đỏ"]
    assert await names(group="herbal") == ["Nấm linh chi đỏ", "Trà túi lọc Cà gai leo"]
    assert await names(province="quang-ninh") == ["Gà Tiên Yên"]
    assert await names(province="ca-mau") == ["Muối tôm"]
    assert await names(region="dong-bang-song-hong") == ["Gà Tiên Yên"]
    assert await names(region="bac-trung-bo-va-duyen-hai-mien-trung") == [
        "Nấm linh chi đỏ", "Mật mía đường non", "Trà túi lọc Cà gai leo", "ĐƯỜNG PHÈN hạt",
    ]


async def test_filters_combine(shelf):
    assert await names(region="bac-trung-bo-va-duyen-hai-mien-trung", stars="4", group="herbal") == [
        "Nấm linh chi đỏ", "Trà túi lọc Cà gai leo",
    ]
    assert await names(q="duong", province="quang-ngai", stars="4") == ["Mật mía đường non"]
    assert await names(q="tra", group="food") == []


async def test_a_former_province_leads_to_the_current_one(shelf):
    filters = await parse_filters(province="bac-lieu")
    assert filters.province == "ca-mau"
    assert [str(n) for n in filters.notes] == ["Bạc Liêu nay thuộc Cà Mau: đang hiển thị sản phẩm của Cà Mau."]
    assert await names(province="bac-lieu") == ["Muối tôm"]


async def test_the_event_filter_shows_what_its_exhibitors_show(shelf):
    fair, booths = await make_fair()
    p = shelf.producers
    await exhibit(fair, p.ga, [shelf.ga], status="approved", booth_id=booths["A-01"])
    await exhibit(fair, p.duoc, [shelf.ca_gai_leo, shelf.expired], status="confirmed", booth_id=booths["A-02"])
    await exhibit(fair, p.muoi, [shelf.muoi], status="submitted")
    await exhibit(fair, p.duong, [shelf.duong], status="rejected")
    other, _ = await make_fair()
    await exhibit(other, p.duoc, [shelf.linh_chi], status="approved")

    assert await names(event=fair["slug"]) == ["Gà Tiên Yên", "Trà túi lọc Cà gai leo"]
    assert await names(event=fair["slug"], group="herbal") == ["Trà túi lọc Cà gai leo"]
    assert await names(event=other["slug"]) == ["Nấm linh chi đỏ"]

    draft, _ = await make_fair(status="draft")
    await exhibit(draft, p.ga, [shelf.ga], status="approved")
    filters = await parse_filters(event=draft["slug"])
    assert filters.event == "" and len(filters.notes) == 1  # a draft is not public


async def test_counts_per_group_follow_the_other_filters(shelf):
    result = await catalogue(await parse_filters(region="bac-trung-bo-va-duyen-hai-mien-trung", group="herbal"), 1)
    assert result.page.total == 2
    counts = {g["code"]: g["count"] for g in result.group_counts}
    assert counts == {"food": 1, "beverages": 1, "herbal": 2, "textiles": 0, "souvenirs": 0, "tourism": 0}


async def test_pages_of_24_with_counts(client, clean_db):
    producer = await make_producer("HTX Nông sản Yên Thành")
    for n in range(30):
        await catalogue_product(producer, f"Sản phẩm số {n:02d}", stars=3 + n % 3)
    first = await catalogue(await parse_filters(), 1)
    assert first.page.total == 30 and len(first.page.items) == 24 and first.page.pages == 2
    second = await catalogue(await parse_filters(), 2)
    assert len(second.page.items) == 6
    assert not {p["id"] for p in first.page.items} & {p["id"] for p in second.page.items}

    response = await client.get("/products?group=food&page=2")
    text = text_of(response.text)
    assert "30 sản phẩm · trang 2/2" in text and "Sản phẩm số 29" not in text
    assert 'href="?group=food&amp;page=1"' in response.text  # the pages keep the filters
    assert "20 sản phẩm" in text_of((await client.get("/products?stars=4")).text)
    assert "Thực phẩm 30" in text_of((await client.get("/products")).text)


@pytest.mark.parametrize(
    "query, note",
    [
        ("stars=abc", "“abc” không phải hạng sao (3, 4 hoặc 5): đang hiển thị sản phẩm mọi hạng sao."),
        ("stars=9", "“9” không phải hạng sao (3, 4 hoặc 5)"),
        ("group=unknown", "Không có nhóm sản phẩm “unknown”: đang hiển thị mọi nhóm."),
        ("province=atlantis", "Không có tỉnh, thành phố “atlantis”"),
        ("region=%3Cscript%3E", "Không có vùng “<script>”"),
        ("event=unknown", "Không có hội chợ đã công bố “unknown”"),
        ("page=-1", None),
        ("page=abc", None),
        ("page=99999", None),
        ("q=" + "x" * 5000, None),
        ("stars=4&stars=5", None),
    ],
)
async def test_bad_filters_never_break_the_page(client, shelf, query, note):
    response = await client.get(f"/products?{query}")
    assert response.status_code == 200
    text = text_of(response.text)
    if note:
        assert note in text
    assert "<script>" not in response.text.split("<main", 1)[1].split("</main>")[0].replace("&lt;script&gt;", "")


async def test_expired_products_are_left_out_but_their_page_answers(client, shelf):
    text = text_of((await client.get("/products")).text)
    assert "Trà Giảo cổ lam cũ" not in text and "6 sản phẩm" in text
    page = await client.get(f"/products/{shelf.expired.slug}")
    assert page.status_code == 200
    assert "hết hạn" in text_of(page.text)


async def test_an_empty_result_says_so(client, shelf):
    text = text_of((await client.get("/products?q=khong+co+gi")).text)
    assert "Không có sản phẩm OCOP nào phù hợp với bộ lọc này." in text
    assert "0 sản phẩm" in text


async def test_certificates_run_out_at_the_end_of_the_day(clean_db):
    from events_app.core.clock import today

    producer = await make_producer()
    await catalogue_product(producer, "Hết hạn hôm nay", certified_on=_months_ago(today(), 36))
    await catalogue_product(producer, "Hết hạn hôm qua", certified_on=_months_ago(today(), 36) - dt.timedelta(days=1))
    assert await names() == ["Hết hạn hôm nay"]


def _months_ago(day: dt.date, months: int) -> dt.date:
    from events_app.core.dates import add_months

    return add_months(day, -months)
