"""Search of the catalogue: case, tone marks and đ/Đ do not matter; every word must match."""

import pytest

from events_app.catalogue.services import catalogue, parse_filters
from events_app.directory.search import product_search_text
from events_app.core.text import fold, search_terms


async def names(**params) -> list[str]:
    result = await catalogue(await parse_filters(**params), 1)
    return [p["name"] for p in result.page.items]


def test_folding_drops_case_tone_marks_and_d_stroke():
    assert fold("Gà Tiên Yên") == fold("ga tien yen") == fold("GÀ TIÊN YÊN") == "ga tien yen"
    assert fold("Đường phèn") == "duong phen"
    assert search_terms("  Trà   CÀ gai LEO ") == ["tra", "ca", "gai", "leo"]
    assert product_search_text("Muối tôm", "HTX Muối tôm Bạc Liêu", "Cà Mau", "Bạc Liêu", "Thực phẩm", "Food") == (
        "muoi tom htx muoi tom bac lieu ca mau bac lieu thuc pham food"
    )


@pytest.mark.parametrize(
    "query, expected",
    [
        ("ga tien yen", ["Gà Tiên Yên"]),
        ("Gà Tiên Yên", ["Gà Tiên Yên"]),
        ("GA TIEN YEN", ["Gà Tiên Yên"]),
        ("duong", ["Mật mía đường non", "ĐƯỜNG PHÈN hạt"]),
        ("Đường", ["Mật mía đường non", "ĐƯỜNG PHÈN hạt"]),
        ("duong phen hat", ["ĐƯỜNG PHÈN hạt"]),
        ("duong phen", ["Mật mía đường non", "ĐƯỜNG PHÈN hạt"]),  # the second through its producer
        ("tra ca gai leo", ["Trà túi lọc Cà gai leo"]),
        ("leo gai", ["Trà túi lọc Cà gai leo"]),  # every word, in any order
        ("tra xanh", []),
        ("bac lieu", ["Muối tôm"]),  # the province as written on the certificate
        ("ca mau", ["Muối tôm"]),  # the province it belongs to now
        ("con cuong", ["Nấm linh chi đỏ", "Trà túi lọc Cà gai leo"]),  # the producer's name
        ("quang ninh", ["Gà Tiên Yên"]),
        ("thao duoc", ["Nấm linh chi đỏ", "Trà túi lọc Cà gai leo"]),  # the group, in Vietnamese
        ("herbal", ["Nấm linh chi đỏ", "Trà túi lọc Cà gai leo"]),  # and in English
        ("giao co lam", []),  # an expired certificate is left out
    ],
)
async def test_search(shelf, query, expected):
    assert await names(q=query) == expected


async def test_like_wildcards_are_plain_text(shelf):
    assert await names(q="_a") == await names(q="a")
    assert await names(q="100%") == []
    assert len(await names(q="%")) == 6  # nothing left to search for: every valid product


async def test_search_through_the_page(client, shelf):
    from tests.helpers import text_of

    text = text_of((await client.get("/products?q=ga+tien+yen")).text)
    assert "Gà Tiên Yên" in text and "1 sản phẩm" in text and "Muối tôm" not in text
    assert 'value="ga tien yen"' in (await client.get("/products?q=ga+tien+yen")).text
