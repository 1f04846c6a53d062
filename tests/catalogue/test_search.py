"""Search of the catalogue: case, tone marks and đ/Đ do not matter; every word must match, in the
product's name, producer, province, Vietnamese group name, description or story; matches in the
name come first. The suite runs on SQLite and PostgreSQL: every expected list below is asserted on
both, and the engine's answers are compared with the rule written out in Python."""

import random
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events_app.catalogue.services import catalogue, parse_filters
from events_app.core.clock import today
from events_app.core.text import fold, search_terms
from events_app.directory.search import product_search_columns
from events_app.directory.tables import Product
from tests.catalogue.builders import catalogue_product
from tests.factories import make_producer


async def names(**params) -> list[str]:
    result = await catalogue(await parse_filters(**params), 1, per_page=100)
    return [p["name"] for p in result.page.items]


# Folding and the search columns: no database --------------------------------------------------------

VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"


def test_folding_drops_case_tone_marks_and_d_stroke():
    assert fold("Gà Tiên Yên") == fold("ga tien yen") == fold("GÀ TIÊN YÊN") == "ga tien yen"
    assert fold("Đường phèn") == "duong phen"
    assert search_terms("  Trà   CÀ gai LEO ") == ["tra", "ca", "gai", "leo"]


@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " ", max_size=40))
def test_folded_vietnamese_is_plain_lower_case_latin(text):
    folded = fold(text)
    assert folded == fold(text.upper()) == fold(text.lower()) == fold(folded)
    assert set(folded) <= set(string.ascii_lowercase + " ")


def test_the_search_columns_of_a_product():
    columns = product_search_columns(
        name="Muối tôm", producer="HTX Muối tôm Bạc Liêu", province="Cà Mau", former_province="Bạc Liêu",
        group="Thực phẩm", description="Muối hạt to, ít mặn.", story="Đồng muối ven biển Đông Hải.",
    )
    assert columns == {
        "search_name": "muoi tom",
        "search_text": "muoi tom htx muoi tom bac lieu ca mau bac lieu thuc pham",
        "search_story": "muoi hat to, it man. dong muoi ven bien dong hai.",
    }


# Matching ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "query, expected",
    [
        ("ga tien yen", ["Gà Tiên Yên"]),
        ("Gà Tiên Yên", ["Gà Tiên Yên"]),
        ("GA TIEN YEN", ["Gà Tiên Yên"]),
        ("duong", ["Mật mía đường non", "ĐƯỜNG PHÈN hạt"]),  # both in the name: more stars first
        ("Đường", ["Mật mía đường non", "ĐƯỜNG PHÈN hạt"]),
        ("duong phen hat", ["ĐƯỜNG PHÈN hạt"]),
        ("duong phen", ["ĐƯỜNG PHÈN hạt", "Mật mía đường non"]),  # both words in the name first
        ("tra ca gai leo", ["Trà túi lọc Cà gai leo"]),
        ("leo gai", ["Trà túi lọc Cà gai leo"]),  # every word, in any order
        ("tra xanh", []),
        ("bac lieu", ["Muối tôm"]),  # the province as written on the certificate
        ("ca mau", ["Muối tôm"]),  # the province it belongs to now
        ("con cuong", ["Nấm linh chi đỏ", "Trà túi lọc Cà gai leo"]),  # the producer's name
        ("quang ninh", ["Gà Tiên Yên"]),
        ("thao duoc", ["Nấm linh chi đỏ", "Trà túi lọc Cà gai leo"]),  # the group, in Vietnamese
        ("herbal", []),  # not in English: the page is searched in the language of the products
        ("duc", []),  # or "products" in "Herbal and medicinal products" would match every herbal product
        ("giao co lam", []),  # an expired certificate is left out
        ("yen", ["Gà Tiên Yên"]),  # part of a word
        # Two letters, shorter than the trigram index: "gai" has them, and so has Quảng Ngãi, the
        # province of the last two.
        ("ga", ["Gà Tiên Yên", "Trà túi lọc Cà gai leo", "Mật mía đường non", "ĐƯỜNG PHÈN hạt"]),
    ],
)
async def test_search(shelf, query, expected):
    assert await names(q=query) == expected


async def test_like_wildcards_are_plain_text(shelf):
    assert await names(q="_a") == await names(q="a")
    assert await names(q="100%") == []
    assert await names(q='"tra"') == []  # quotes are text too, not a phrase of the full-text query
    assert len(await names(q="%")) == 6  # nothing left to search for: every valid product


async def test_the_description_and_the_story_are_searched(clean_db):
    producer = await make_producer("HTX Mía Quảng Ngãi", province="Quảng Ngãi")
    await catalogue_product(producer, "Mứt gừng", stars=4, description="Mứt gừng dẻo, ít đường.")
    await catalogue_product(producer, "Kẹo mạch nha", stars=3, story="Nghề nấu mạch nha Đức Phổ từ thế kỷ XIX.")
    assert await names(q="duong") == ["Mứt gừng"]
    assert await names(q="it duong") == ["Mứt gừng"]
    assert await names(q="gung it duong") == ["Mứt gừng"]  # a word of the name with words of the description
    assert await names(q="duc pho") == ["Kẹo mạch nha"]
    assert await names(q="the ky xix") == ["Kẹo mạch nha"]


# Ranking ----------------------------------------------------------------------------------------------

@pytest.fixture
async def teas(clean_db):
    co = await make_producer("HTX Trà Cổ Hùng", province="Phú Thọ")
    other = await make_producer("HTX Nông sản Đồi Mây", province="Lào Cai")
    await catalogue_product(other, "Trà xanh Thái Nguyên", stars=3, group="beverages")
    await catalogue_product(co, "Bánh đa vừng", stars=5)  # "tra" in the producer's name
    await catalogue_product(other, "Mật ong rừng", stars=5, story="Ong hút mật hoa trà trên đồi.")  # in the story
    await catalogue_product(other, "Trà sen", stars=5, group="beverages")
    await catalogue_product(other, "Trà búp", stars=5, group="beverages")
    await catalogue_product(co, "Trà hoa vàng", stars=4, group="beverages")


async def test_name_matches_first_then_stars_then_name(teas):
    assert await names(q="tra") == [
        "Trà búp", "Trà sen",  # in the name, five stars, by name
        "Trà hoa vàng",  # in the name, four stars
        "Trà xanh Thái Nguyên",  # in the name, three stars
        "Bánh đa vừng",  # in the producer's name
        "Mật ong rừng",  # only in the story
    ]
    # Each word counts: two words in the name beat one in the name and one in the producer's name.
    assert await names(q="tra hung") == ["Trà hoa vàng", "Bánh đa vừng"]
    assert await names(q="tra hoa") == ["Trà hoa vàng", "Mật ong rừng"]


def expected_by_rule(rows: list[dict], words: list[str]) -> list[str]:
    """The search rule in Python: every word in the search text or the story; each word scores 0 in
    the name, 1 in the card's other facts, 2 in the story only; then stars, then the folded name."""
    found = [row for row in rows if all(w in row["search_text"] or w in row["search_story"] for w in words)]

    def score(row: dict) -> int:
        return sum(0 if w in row["search_name"] else 1 if w in row["search_text"] else 2 for w in words)

    found.sort(key=lambda row: (score(row), -row["stars"], row["search_name"].encode(), row["id"]))
    return [row["name"] for row in found]


async def test_the_engine_answers_as_the_rule_says(shelf, teas):
    """Queries made of pieces of what the products say, the same on both engines as the rule in Python."""
    rows = await Product.select(
        Product.id, Product.name, Product.stars, Product.search_name, Product.search_text, Product.search_story
    ).where(Product.valid_until >= today())
    pieces = sorted({word for row in rows for word in (row["search_text"] + " " + row["search_story"]).split()})
    chooser = random.Random(20261201)
    queries = ["tra", "ga", "ong", "hoa tra", "muoi", "a", "an", "ang", "zzz"]
    for _ in range(40):
        words = chooser.sample(pieces, chooser.choice([1, 1, 2, 3]))
        # A whole word, or a piece of it as short as one letter, with its tone marks and capitals back.
        words = [w[chooser.randrange(len(w)):][: chooser.randrange(1, 6)] for w in words]
        queries.append(" ".join(w.upper() if chooser.random() < 0.3 else w for w in words))
    for query in queries:
        words = search_terms(query)
        assert await names(q=query) == expected_by_rule(rows, words), query


async def test_a_typed_word_with_tone_marks_or_d_stroke_finds_the_same(shelf):
    for typed, plain in [("đường", "duong"), ("ĐƯỜNG", "duong"), ("Cà Mau", "ca mau"), ("muối", "muoi")]:
        assert await names(q=typed) == await names(q=plain) != []


async def test_the_migration_gives_existing_products_the_new_search_columns(clean_db):
    """Rows searched by the former recipe (English group names, no story) are recomputed, and the
    index answers for them; running the step again changes nothing."""
    from importlib import import_module

    from events_app.directory.services import refresh_search_text

    producer = await make_producer("HTX Dược liệu Con Cuông", province="Nghệ An")
    await catalogue_product(producer, "Cao cà gai leo", group="herbal", story="Lá cà gai leo phơi khô, ít đường.")
    await Product.update({
        Product.search_name: "",
        Product.search_text: "cao ca gai leo htx duoc lieu con cuong nghe an thao duoc herbal and medicinal products",
        Product.search_story: "",
    }).where(Product.producer == producer.id)
    assert await names(q="duc") == ["Cao cà gai leo"] and await names(q="duong") == []

    migration = import_module("events_app.directory.piccolo_migrations.directory_2026_12_02t09_00_01_000000")
    for step in (await migration.forwards()).raw:
        await step()
    row = await Product.select(Product.search_name, Product.search_text, Product.search_story).first()
    assert row == {
        "search_name": "cao ca gai leo",
        "search_text": "cao ca gai leo htx duoc lieu con cuong nghe an thao duoc",
        "search_story": "la ca gai leo phoi kho, it duong.",
    }
    assert await names(q="duc") == [] and await names(q="duong") == ["Cao cà gai leo"]
    assert await refresh_search_text() == 0
