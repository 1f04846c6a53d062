"""Barcodes checked by their last digit, and the listing addresses a product form accepts."""

import pytest
from hypothesis import given, strategies as st

from events_app.directory.codes import gtin_check_digit, is_valid_gtin, normalise_barcode
from events_app.directory.products import listing_errors


@pytest.mark.parametrize("code", ["96385074", "036000291452", "4006381333931", "8934563138165", "8938501234568"])
def test_real_barcodes_are_valid(code):
    assert is_valid_gtin(code)


@pytest.mark.parametrize("code", [
    "", "4006381333932", "400638133393", "40063813339311", "4006 381333931", "400638133393a", "٤٠٠٦٣٨١٣٣٣٩٣١",
])
def test_wrong_lengths_digits_and_check_digits_are_refused(code):
    assert not is_valid_gtin(code)


def test_spaces_and_dashes_people_type_are_dropped():
    assert normalise_barcode("893 8501-234568") == "8938501234568"


bodies = st.sampled_from([7, 11, 12]).flatmap(lambda n: st.text("0123456789", min_size=n, max_size=n))


@given(body=bodies, data=st.data())
def test_a_valid_code_with_one_digit_changed_is_refused(body, data):
    code = body + str(gtin_check_digit(body))
    assert is_valid_gtin(code)
    at = data.draw(st.integers(0, len(code) - 1))
    digit = data.draw(st.sampled_from([d for d in "0123456789" if d != code[at]]))
    assert not is_valid_gtin(code[:at] + digit + code[at + 1:])


WEB_ADDRESS = "Nhập địa chỉ web bắt đầu bằng http:// hoặc https://."


def test_listing_addresses():
    assert listing_errors([("shopee", "https://shopee.vn/ga-tien-yen"), ("postmart", "http://postmart.vn/p/1")]) == {}
    errors = listing_errors([
        ("shopee", "javascript:alert(1)"),
        ("lazada", "ftp://lazada.vn/x"),
        ("tiki", "https://"),
        ("sendo", "https://sendo.vn/" + "a" * 500),
        ("amazon", "https://amazon.com/x"),
        ("voso", ""),
        ("other", "https://shop.example.vn/a b"),
    ])
    assert {key: str(error) for key, error in errors.items()} == {
        "listing_url_0": WEB_ADDRESS,
        "listing_url_1": WEB_ADDRESS,
        "listing_url_2": WEB_ADDRESS,
        "listing_url_3": "Dùng tối đa 500 ký tự.",
        "listing_platform_4": "Chọn một trong các lựa chọn.",
        "listing_url_5": "Nhập địa chỉ trang sản phẩm trên sàn này.",
        "listing_url_6": WEB_ADDRESS,
    }
    assert "listings" in listing_errors([("shopee", "https://shopee.vn/x")] * 9)
