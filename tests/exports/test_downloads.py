"""The downloads through the app: what each file holds is what the database holds under the
filters, in Vietnamese, with formulas neutralised; bad filter values never fail a download."""

import datetime as dt
import re

import pytest

from events_app.accounts.tables import User
from events_app.catalogue.services import catalogue, parse_filters
from events_app.core.clock import today
from events_app.core.i18n import language
from events_app.directory.tables import Distributor, Producer, Product, ProductListing
from events_app.exports.columns import PRODUCTS, sheet_columns
from events_app.reference.tables import Province
from tests.booths.conftest import log_in
from tests.catalogue.builders import catalogue_product, make_fair
from tests.exports.conftest import as_text, csv_values, unneutralised, xlsx_sheet, xlsx_values
from tests.factories import make_distributor, make_producer, make_user

ATTRIBUTE_HEADERS = [
    "Do phụ nữ làm chủ", "Chủ thể người dân tộc thiểu số", "Làng nghề", "Thanh niên khởi nghiệp", "Thành viên tổ hợp tác",
]
ATTRIBUTES = ["women_led", "ethnic_minority", "craft_village", "youth_startup", "cooperative_group"]
PRODUCT_HEADERS = [
    "Tên sản phẩm", "Chủ thể", "Tỉnh/thành", "Loại hình chủ thể", "Nhóm sản phẩm", "Số sao", "Số giấy chứng nhận",
    "Ngày cấp", "Cấp đánh giá", "Giá (đồng)", "Đơn vị", "Mô tả", "Câu chuyện sản phẩm", "Truy xuất nguồn gốc",
    "Giấy chứng nhận còn hiệu lực đến", "Vùng", "Trang sản phẩm", "Mã tem truy xuất nguồn gốc", "Mã vạch (GTIN)",
    "Bán trực tuyến", *ATTRIBUTE_HEADERS,
]
PRODUCER_HEADERS = [
    "Tên chủ thể", "Loại hình chủ thể", "Tỉnh/thành", "Địa chỉ", "Điện thoại", "Email", "Trang web", "Mô tả",
    "Vùng", "Tỉnh ghi trên giấy chứng nhận", "Sản phẩm", "Ngày đưa vào danh bạ", *ATTRIBUTE_HEADERS,
]
DISTRIBUTOR_HEADERS = [
    "Tên nhà phân phối", "Loại hình", "Tỉnh/thành", "Địa chỉ", "Trang web", "Mô tả", "Vùng", "Email tài khoản",
    "Ngày đưa vào danh bạ",
]
EXHIBITOR_HEADERS = [
    "Khu vực", "Gian hàng", "Tên chủ thể", "Loại hình chủ thể", "Tỉnh/thành", "Địa chỉ", "Điện thoại", "Email",
    "Trang web", "Sản phẩm trưng bày", "Số sản phẩm",
]
PRODUCER_TYPES = {"cooperative": "Hợp tác xã", "household": "Hộ kinh doanh, cơ sở sản xuất", "enterprise": "Doanh nghiệp"}
LEVELS = {"provincial": "Cấp tỉnh", "national": "Cấp quốc gia"}
PLATFORMS = {"shopee": "Shopee", "postmart": "Postmart"}


async def both(client, path: str) -> tuple[list[list[str]], list[list[str]]]:
    """The rows of the XLSX and of the CSV at `path` (without its extension), both as text."""
    base, _, query = path.partition("?")
    files = {}
    for fmt in ("xlsx", "csv"):
        response = await client.get(f"{base}.{fmt}" + (f"?{query}" if query else ""))
        assert response.status_code == 200, (fmt, response.text[:300])
        files[fmt] = response.content
    xlsx = [[as_text(v) for v in row] for row in xlsx_values(files["xlsx"])]
    csv_rows = [[unneutralised(v) for v in row] for row in csv_values(files["csv"])]
    assert xlsx == csv_rows  # the two formats hold the same rows
    return xlsx, csv_values(files["csv"])


async def product_rows_in_db(names: list[str], public_url: str) -> list[list[str]]:
    """The exported columns of these products, read from the database, in the order given."""
    rows = await Product.select(
        Product.name, Product.producer.name, Product.producer.province.name, Product.producer.producer_type,
        Product.group.name_vi, Product.stars, Product.certificate_number, Product.certified_on,
        Product.evaluation_level, Product.price, Product.unit, Product.description, Product.story,
        Product.traceability_url, Product.valid_until, Product.producer.province.region.name, Product.slug,
        Product.traceability_code, Product.barcode, Product.id,
        *(getattr(Product.producer, name) for name in ATTRIBUTES),
    ).output(as_list=False)
    listings: dict[int, list[str]] = {}
    for row in await ProductListing.select().order_by(ProductListing.position):
        listings.setdefault(row["product"], []).append(f"{PLATFORMS[row['platform']]}: {row['url']}")
    by_name = {r["name"]: r for r in rows}
    out = []
    for name in names:
        r = by_name[name]
        out.append([as_text(v) for v in (
            r["name"], r["producer.name"], r["producer.province.name"], PRODUCER_TYPES[r["producer.producer_type"]],
            r["group.name_vi"], r["stars"], r["certificate_number"], r["certified_on"], LEVELS[r["evaluation_level"]],
            r["price"], r["unit"], r["description"], r["story"], r["traceability_url"], r["valid_until"],
            r["producer.province.region.name"], f"{public_url}/products/{r['slug']}",
            r["traceability_code"], r["barcode"], "; ".join(listings.get(r["id"], [])),
            *("có" if r[f"producer.{name}"] else "" for name in ATTRIBUTES),
        )])
    return out


async def catalogue_names(**params) -> list[str]:
    result = await catalogue(await parse_filters(**params), 1, per_page=1000)
    return [p["name"] for p in result.page.items]


# The product catalogue ----------------------------------------------------------------------------

@pytest.mark.parametrize("params, expected", [
    ({}, ["Nấm linh chi đỏ", "Gà Tiên Yên", "Mật mía đường non", "Trà túi lọc Cà gai leo", "ĐƯỜNG PHÈN hạt", "Muối tôm"]),
    ({"q": "ga tien yen"}, ["Gà Tiên Yên"]),
    ({"q": "duong"}, ["Mật mía đường non", "ĐƯỜNG PHÈN hạt"]),
    ({"stars": "4"}, ["Nấm linh chi đỏ", "Gà Tiên Yên", "Mật mía đường non", "Trà túi lọc Cà gai leo"]),
    ({"group": "herbal"}, ["Nấm linh chi đỏ", "Trà túi lọc Cà gai leo"]),
    ({"province": "ca-mau"}, ["Muối tôm"]),
    ({"province": "bac-lieu"}, ["Muối tôm"]),  # a former province: its current one
    ({"region": "dong-bang-song-hong"}, ["Gà Tiên Yên"]),
    ({"region": "bac-trung-bo-va-duyen-hai-mien-trung", "stars": "4", "group": "herbal"},
     ["Nấm linh chi đỏ", "Trà túi lọc Cà gai leo"]),
])
async def test_the_catalogue_file_holds_what_products_lists(client, settings, shelf, params, expected):
    # Some products with a stamp code, a barcode and listings; some producers with attributes.
    await Product.update({Product.traceability_code: "TX-QN-0031", Product.barcode: "8938501234568"}).where(
        Product.id == shelf.ga.id)
    await ProductListing.insert(
        ProductListing(product=shelf.ga.id, platform="postmart", url="https://postmart.vn/ga-tien-yen", position=0),
        ProductListing(product=shelf.ga.id, platform="shopee", url="https://shopee.vn/ga-tien-yen", position=1),
    )
    await Producer.update({Producer.women_led: True, Producer.ethnic_minority: True}).where(
        Producer.id == shelf.producers.duoc.id)
    query = "&".join(f"{k}={v}" for k, v in params.items())
    rows, _ = await both(client, f"/catalogue?{query}")
    assert rows[0] == PRODUCT_HEADERS
    assert [r[0] for r in rows[1:]] == expected == await catalogue_names(**params)
    assert rows[1:] == await product_rows_in_db(expected, settings.public_url)


async def test_the_event_filter_lists_the_exhibitors_products(client, settings, shelf, fair):
    rows, _ = await both(client, f"/catalogue?event={fair.event['slug']}")
    expected = ["Nấm linh chi đỏ", "Gà Tiên Yên", "Mật mía đường non", "Trà túi lọc Cà gai leo", "ĐƯỜNG PHÈN hạt"]
    assert [r[0] for r in rows[1:]] == expected == await catalogue_names(event=fair.event["slug"])


async def test_catalogue_cells_are_typed(client, shelf):
    await Product.update({Product.price: 1_250_000}).where(Product.id == shelf.ga.id)
    ws = xlsx_sheet((await client.get("/catalogue.xlsx?q=ga+tien+yen")).content)
    assert ws.title == "Sản phẩm OCOP"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:Y2"
    row = {h: cell for h, cell in zip(PRODUCT_HEADERS, ws[2])}
    assert row["Giá (đồng)"].value == 1_250_000 and row["Giá (đồng)"].number_format == "#,##0"
    assert row["Số sao"].value == 4 and row["Số sao"].data_type == "n"
    for header in ("Ngày cấp", "Giấy chứng nhận còn hiệu lực đến"):
        assert row[header].is_date and row[header].number_format == "dd/mm/yyyy", header
    assert row["Ngày cấp"].value == dt.datetime(2025, 6, 1)
    assert row["Giấy chứng nhận còn hiệu lực đến"].value == dt.datetime(2028, 6, 1)
    assert ws.column_dimensions["A"].width >= len("Tên sản phẩm")


async def test_file_names_say_the_list_the_day_and_the_filters(client, shelf):
    response = await client.get("/catalogue.xlsx?q=Gà Tiên Yên&stars=4&group=food&province=quang-ninh")
    disposition = response.headers["content-disposition"]
    assert disposition == f'attachment; filename="san-pham-ocop-{today().isoformat()}-ga-tien-yen-4-sao-food-quang-ninh.xlsx"'
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["x-total-count"] == "1"
    csv_response = await client.get("/catalogue.csv")
    assert re.fullmatch(r'attachment; filename="san-pham-ocop-\d{4}-\d{2}-\d{2}\.csv"', csv_response.headers["content-disposition"])
    assert csv_response.headers["content-type"] == "text/csv; charset=utf-8"


async def test_formulas_typed_into_products_are_neutralised(client, shelf):
    producer = await make_producer("=HYPERLINK(\"http://evil.example\",\"Bấm vào\")", province="Nghệ An")
    await catalogue_product(producer, "+cmd|' /C calc'!A0", stars=5)
    await catalogue_product(producer, "@SUM(1+1)*cmd|' /C calc'!A0", stars=5)
    ws = xlsx_sheet((await client.get("/catalogue.xlsx?stars=5")).content)
    cells = {ws.cell(row=r, column=1).value: (ws.cell(row=r, column=1), ws.cell(row=r, column=2)) for r in range(2, ws.max_row + 1)}
    for name in ("+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"):
        name_cell, producer_cell = cells[name]
        assert (name_cell.data_type, name_cell.quotePrefix) == ("s", True)
        assert (producer_cell.value, producer_cell.data_type, producer_cell.quotePrefix) == (
            "=HYPERLINK(\"http://evil.example\",\"Bấm vào\")", "s", True)
    assert cells["Nấm linh chi đỏ"][0].quotePrefix is False

    rows = csv_values((await client.get("/catalogue.csv?stars=5")).content)
    by_name = {row[0]: row for row in rows[1:]}
    assert "'+cmd|' /C calc'!A0" in by_name and "'@SUM(1+1)*cmd|' /C calc'!A0" in by_name
    assert by_name["'+cmd|' /C calc'!A0"][1] == "'=HYPERLINK(\"http://evil.example\",\"Bấm vào\")"
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


@pytest.mark.parametrize("query", [
    "stars=9", "stars=-1", "stars=abc", "stars=4.5", "group=khong-co", "province=atlantis", "region=%3Cscript%3E",
    "event=khong-co-hoi-cho", "q=" + "gà" * 3000, "q=%25%25_", "stars=3&stars=4", "province=&region=&group=",
    "q=%E2%80%AE%F0%9F%90%94",
])
async def test_bad_catalogue_filters_give_a_file_never_a_500(client, shelf, query):
    for fmt in ("xlsx", "csv"):
        response = await client.get(f"/catalogue.{fmt}?{query}")
        assert response.status_code == 200, (fmt, query, response.text[:300])
        assert re.fullmatch(r'attachment; filename="[a-z0-9-]+\.' + fmt + '"', response.headers["content-disposition"])
    rows = xlsx_values(response.content if fmt == "xlsx" else (await client.get(f"/catalogue.xlsx?{query}")).content)
    assert rows[0] == PRODUCT_HEADERS


def test_english_readers_get_the_import_templates_english_headers():
    with language("en"):
        headers = [c.header for c in sheet_columns(PRODUCTS)]
    assert headers[:6] == ["Product", "Producer", "Province", "Producer type", "Product group", "Stars"]
    assert headers[14:17] == ["Certificate valid until", "Region", "Product page"]
    assert headers[17:] == ["Traceability stamp code", "Barcode (GTIN)", "Sold online", "Women-led",
                            "Ethnic-minority producer", "Craft village", "Youth start-up", "Member of a cooperative group"]


# Staff lists --------------------------------------------------------------------------------------

async def staff_client(client):
    await log_in(client, await make_user("staff"))
    return client


async def test_the_producers_file_lists_every_producer_with_its_contacts(client, shelf):
    p = shelf.producers
    await Producer.update({
        Producer.phone: "+84 203 3876 543", Producer.email: "htx.gatienyen@example.vn", Producer.address: "Xã Đông Ngũ",
        Producer.website: "https://gatienyen.example.vn", Producer.description: "Gà đồi thả vườn.",
        Producer.women_led: True, Producer.cooperative_group: True,
    }).where(Producer.id == p.ga.id)
    await staff_client(client)
    rows, raw = await both(client, "/staff/exports/producers")
    assert rows[0] == PRODUCER_HEADERS
    # Sorted by name as read without tone marks; the producer of the staff account is listed too.
    db = await Producer.select(
        Producer.name, Producer.producer_type, Producer.province.name, Producer.address, Producer.phone, Producer.email,
        Producer.website, Producer.description, Producer.province.region.name, Producer.province_as_written,
        Producer.created_at, Producer.id, *(Producer._meta.get_column_by_name(name) for name in ATTRIBUTES),
    ).output(as_list=False)
    counts = {pid: await Product.count().where(Product.producer == pid) for pid in [r["id"] for r in db]}
    expected = sorted(db, key=lambda r: (r["name"].replace("Đ", "D").lower(), r["id"]))
    assert [r[0] for r in rows[1:]] == [r["name"] for r in expected]
    assert rows[1:] == [[as_text(v) for v in (
        r["name"], PRODUCER_TYPES[r["producer_type"]], r["province.name"], r["address"], r["phone"], r["email"],
        r["website"], r["description"], r["province.region.name"], r["province_as_written"], counts[r["id"]],
        r["created_at"].astimezone(dt.timezone(dt.timedelta(hours=7))).date(),
        *("có" if r[name] else "" for name in ATTRIBUTES),
    )] for r in expected]
    ga = next(row for row in raw if row[0] == "HTX Chăn nuôi gà Tiên Yên")
    assert ga[4] == "'+84 203 3876 543"  # a phone number starting with + is not a formula either
    assert next(row for row in raw if row[0] == "HTX Muối tôm Bạc Liêu")[9] == "Bạc Liêu"


@pytest.mark.parametrize("query, expected", [
    ("province=quang-ninh", ["HTX Chăn nuôi gà Tiên Yên"]),
    ("province=bac-lieu", ["HTX Muối tôm Bạc Liêu"]),
    ("region=tay-nguyen", []),
    ("region=khong-co-vung&type=khong-co", ["Cơ sở Đường phèn Bình Sơn", "HTX Chăn nuôi gà Tiên Yên",
                                             "HTX Dược liệu Con Cuông", "HTX Muối tôm Bạc Liêu"]),
    ("type=household", ["Cơ sở Đường phèn Bình Sơn"]),
    ("province=nghe-an&type=cooperative", ["HTX Dược liệu Con Cuông"]),
    ("region=bac-trung-bo-va-duyen-hai-mien-trung&type=household", ["Cơ sở Đường phèn Bình Sơn"]),
])
async def test_the_producers_file_follows_the_filters(client, shelf, query, expected):
    await log_in(client, await make_user("staff"))
    rows, _ = await both(client, f"/staff/exports/producers?{query}")
    assert [r[0] for r in rows[1:]] == expected


async def test_the_distributors_file(client):
    hanoi = (await Province.select(Province.id).where(Province.name == "Hà Nội").first())["id"]
    coop = await make_distributor("Saigon Co.op", distributor_type="supermarket_chain")
    await Distributor.update({Distributor.province: hanoi, Distributor.address: "199-205 Nguyễn Thái Học",
                              Distributor.website: "https://co.op.example.vn"}).where(Distributor.id == coop.id)
    await make_distributor("@Sàn Đặc sản Việt", distributor_type="ecommerce")
    await make_user("distributor", "mua.hang@coop.example.vn", distributor=coop)
    gone = await make_user("distributor", "nghi.viec@coop.example.vn", distributor=coop)
    await User.update({User.is_active: False}).where(User.id == gone.id)
    await log_in(client, await make_user("staff"))

    rows, raw = await both(client, "/staff/exports/distributors")
    assert rows[0] == DISTRIBUTOR_HEADERS
    day = today().isoformat()
    assert rows[1:] == [  # by name as read without tone marks: "@" comes before the letters
        ["@Sàn Đặc sản Việt", "Sàn thương mại điện tử", "", "", "", "", "", "", day],
        ["Saigon Co.op", "Chuỗi siêu thị", "Hà Nội", "199-205 Nguyễn Thái Học", "https://co.op.example.vn", "",
         "Đồng bằng sông Hồng", "mua.hang@coop.example.vn", day],
    ]
    assert raw[1][0] == "'@Sàn Đặc sản Việt"
    assert [r[0] for r in (await both(client, "/staff/exports/distributors?type=ecommerce"))[0][1:]] == ["@Sàn Đặc sản Việt"]
    assert [r[0] for r in (await both(client, "/staff/exports/distributors?province=ha-noi"))[0][1:]] == ["Saigon Co.op"]
    assert (await both(client, "/staff/exports/distributors?type=bogus&province=nowhere"))[0] == rows


async def test_the_exhibitors_file_lists_a_fair_by_hall_and_booth(client, shelf, fair):
    await log_in(client, await make_user("staff"))
    rows, raw = await both(client, f"/staff/events/{fair.event['id']}/exhibitors")
    assert rows == [
        EXHIBITOR_HEADERS,
        ["Khu A", "A-03", "HTX Dược liệu Con Cuông", "Hợp tác xã", "Nghệ An", "", "", "", "",
         "Nấm linh chi đỏ; Trà túi lọc Cà gai leo", "2"],
        ["Khu B", "B-02", "HTX Chăn nuôi gà Tiên Yên", "Hợp tác xã", "Quảng Ninh", "Thôn Khe Và, xã Đông Ngũ",
         "+84 203 3876 543", "htx.gatienyen@example.vn", "", "Gà Tiên Yên", "1"],
        ["", "", "Cơ sở Đường phèn Bình Sơn", "Hộ kinh doanh, cơ sở sản xuất", "Quảng Ngãi", "", "", "", "",
         "Mật mía đường non; ĐƯỜNG PHÈN hạt", "2"],
    ]
    assert raw[2][6] == "'+84 203 3876 543"
    ws = xlsx_sheet((await client.get(f"/staff/events/{fair.event['id']}/exhibitors.xlsx")).content)
    assert ws.title == fair.event["title_vi"][:31]
    response = await client.get(f"/staff/events/{fair.event['id']}/exhibitors.csv")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="don-vi-trung-bay-{today().isoformat()}-{fair.event["slug"]}.csv"'
    )


@pytest.mark.parametrize("path, status", [
    ("/staff/events/999999/exhibitors.xlsx", 404),
    ("/staff/events/0/exhibitors.csv", 404),
    ("/staff/events/99999999999999/exhibitors.csv", 404),
    ("/staff/events/abc/exhibitors.csv", 404),
    ("/staff/exports/producers.xlsx?type=%27%3B--&province=" + "x" * 5000, 200),
    ("/staff/exports/distributors.csv?region=" + "đ" * 500, 200),
])
async def test_bad_staff_requests_are_answered_clearly(client, shelf, path, status):
    await log_in(client, await make_user("staff"))
    response = await client.get(path)
    assert response.status_code == status, response.text[:300]


async def test_a_conference_has_no_exhibitors_file(client):
    conference, _ = await make_fair(kind="conference", halls=())
    await log_in(client, await make_user("staff"))
    response = await client.get(f"/staff/events/{conference['id']}/exhibitors.xlsx")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


async def test_a_kept_file_is_never_stale(client, shelf):
    first = await client.get("/catalogue.xlsx?group=herbal")
    assert (await client.get("/catalogue.xlsx?group=herbal")).content == first.content
    await Product.update({Product.name: "Nấm linh chi đỏ Con Cuông", Product.price: 450_000}).where(
        Product.id == shelf.linh_chi.id)
    for fmt in ("xlsx", "csv"):
        response = await client.get(f"/catalogue.{fmt}?group=herbal")
        rows = xlsx_values(response.content) if fmt == "xlsx" else csv_values(response.content)
        assert [as_text(rows[1][0]), as_text(rows[1][9])] == ["Nấm linh chi đỏ Con Cuông", "450000"], fmt


async def test_a_file_holds_at_most_the_bound_and_says_how_many_match(client, shelf, monkeypatch):
    from events_app.exports import services

    monkeypatch.setattr(services, "EXPORT_ROWS", 2)
    response = await client.get("/catalogue.csv")
    assert [row[0] for row in csv_values(response.content)[1:]] == ["Nấm linh chi đỏ", "Gà Tiên Yên"]
    assert response.headers["x-total-count"] == "6"
    await log_in(client, await make_user("staff"))
    response = await client.get("/staff/exports/producers.xlsx")
    assert len(xlsx_values(response.content)) == 3 and response.headers["x-total-count"] == "4"
