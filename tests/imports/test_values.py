"""Reading cells as Vietnamese files write them, without a database."""

import datetime as dt

import pytest

from events_app.imports import columns, values
from events_app.imports.columns import Kind
from events_app.imports.values import CellError


@pytest.mark.parametrize("raw, expected", [
    ("120.000", 120_000), ("120,000", 120_000), ("1.500.000", 1_500_000), ("1 500 000", 1_500_000),
    ("120000", 120_000), ("120.000 đ", 120_000), ("85.000đ", 85_000), ("50000 VND", 50_000), ("120000.00", 120_000),
    ("120.000,00", 120_000), (120000, 120_000), (120000.0, 120_000), ("", None), (None, None),
])
def test_whole_numbers_as_written_in_vietnam(raw, expected):
    assert values.whole_number(raw) == expected


@pytest.mark.parametrize("raw", ["12.5", "abc", "1.20.000", "-5", 12.5, float("nan"), "9" * 50, True])
def test_what_is_not_a_whole_number_is_refused(raw):
    with pytest.raises(CellError):
        values.whole_number(raw)


def test_numbers_are_bounded():
    with pytest.raises(CellError) as refused:
        values.whole_number("10.000.000.000.000.000")
    assert refused.value.message == "Enter a number of at most %(n)d."


@pytest.mark.parametrize("raw, expected", [
    ("01/02/2024", dt.date(2024, 2, 1)),  # day first, as Vietnam writes it
    ("1/2/2024", dt.date(2024, 2, 1)),
    ("2024-02-01", dt.date(2024, 2, 1)),
    ("01-02-2024", dt.date(2024, 2, 1)),
    ("01.02.2024", dt.date(2024, 2, 1)),
    ("2024-02-01 00:00:00", dt.date(2024, 2, 1)),
    (45323, dt.date(2024, 2, 1)),  # Excel's day number
    ("45323", dt.date(2024, 2, 1)),
    (45323.0, dt.date(2024, 2, 1)),
    (dt.datetime(2024, 2, 1, 0, 0), dt.date(2024, 2, 1)),
    (dt.date(2024, 2, 1), dt.date(2024, 2, 1)),
])
def test_dates_as_text_as_excel_numbers_and_as_dates(raw, expected):
    assert values.date(raw) == expected


@pytest.mark.parametrize("raw", ["32/13/2024", "tomorrow", 12, "01/02/1850", dt.date(1850, 1, 1)])
def test_what_is_not_a_date_is_refused(raw):
    with pytest.raises(CellError):
        values.date(raw)


@pytest.mark.parametrize("raw, expected", [(4, 4), ("4", 4), ("4 sao", 4), ("5 SAO", 5), ("3 stars", 3),
                                           ("★★★★", 4), (5.0, 5), ("", None)])
def test_star_ratings(raw, expected):
    assert values.stars(raw) == expected


def test_formulas_are_refused_and_long_text_too():
    with pytest.raises(CellError) as formula:
        values.text("=HYPERLINK(\"http://x\")", 200)
    assert formula.value.message.startswith("Formulas are not imported")
    with pytest.raises(CellError):
        values.text("x" * 201, 200)
    assert values.text("  Gà Tiên Yên \x00", 200) == "Gà Tiên Yên"
    assert values.text(84912345678.0, 40) == "84912345678"
    # Text an export kept from being read as a formula comes back as it was.
    assert values.text("'+84 912 345 678", 40) == "+84 912 345 678"
    assert values.text("'=not a formula", 40) == "=not a formula"
    assert values.text("'quoted'", 40) == "'quoted'"


def test_choices_by_any_of_their_names():
    assert values.choice("Hợp tác xã", values.PRODUCER_TYPES) == "cooperative"
    assert values.choice("HTX", values.PRODUCER_TYPES) == "cooperative"
    assert values.choice("ho kinh doanh", values.PRODUCER_TYPES) == "household"
    assert values.choice("Sàn TMĐT", values.DISTRIBUTOR_TYPES) == "ecommerce"
    assert values.choice("Cấp quốc gia", values.EVALUATION_LEVELS) == "national"
    assert values.choice("", values.PRODUCER_TYPES) == ""
    assert values.choice("Hội quán", values.PRODUCER_TYPES) is None
    assert values.producer_type_of_name("HTX Gà Tiên Yên") == "cooperative"
    assert values.producer_type_of_name("Công ty TNHH Tảo Quỳnh Lưu") == "enterprise"
    assert values.producer_type_of_name("Nguyễn Văn A") == ""


def test_headers_are_guessed_by_folded_names_synonyms_and_english():
    headers = ["STT", "TÊN SẢN PHẨM", "producer", "Tinh", "Nhóm", "Sao", "Số GCN", "Ngày công nhận", "Giá bán", "ĐVT"]
    mapping = columns.guess_mapping(Kind.products, headers)
    assert mapping == {1: "name", 2: "producer", 3: "province", 4: "group", 5: "stars", 6: "certificate_number",
                       7: "certified_on", 8: "price", 9: "unit"}
    assert not columns.is_template_layout(Kind.products, headers, mapping)
    template = [c.header for c in columns.COLUMNS[Kind.products]]
    assert columns.is_template_layout(Kind.products, template, columns.guess_mapping(Kind.products, template))
    assert [c.key for c in columns.missing_required(Kind.products, {0: "name"})] == [
        "producer", "province", "group", "stars", "certificate_number", "certified_on"]


def test_the_template_header_wins_over_a_synonym():
    assert columns.guess_mapping(Kind.products, ["Tên", "Tên sản phẩm"]) == {1: "name"}
