"""The staff import pages through the real application: upload, mapping, check, preview, confirm."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json

from openpyxl import load_workbook

from events_app.core.audit import AuditLog
from events_app.core.clock import now
from events_app.directory.tables import Distributor, Producer, Product
from events_app.imports import writing
from events_app.imports.tables import ImportBatch
from events_app.reference.tables import Province
from tests.factories import PASSWORD, make_producer, make_product, make_user
from tests.helpers import login, post_form, text_of
from tests.imports.conftest import chosen_columns, confirm, counts, csv_file, product_row, uploaded, xlsx_file


async def test_a_file_is_checked_and_previewed_and_nothing_is_written_until_confirmed(staff_client):
    address = await uploaded(staff_client, csv_file([
        product_row(),
        product_row("Muối tôm", "Hộ Nguyễn Văn A", "Bạc Liêu", "Hộ kinh doanh", "food", "3", "125/QĐ", "2024-03-05",
                    price="50000"),
        product_row("Sai", "HTX Sai", "Atlantis", stars="7", certified_on="32/13/2024", price="abc"),
    ]))
    preview = await staff_client.get(address)
    text = text_of(preview.text)
    assert "Xem trước khi nhập" in text
    assert "4 Số sao Chọn 3, 4 hoặc 5 sao." in text  # row, column, reason
    assert "4 Ngày cấp Nhập ngày theo dạng dd/mm/yyyy." in text
    assert "4 Giá (đồng) Nhập một số nguyên." in text
    assert "“Atlantis” không phải tỉnh, thành phố của Việt Nam" in text
    assert await counts(staff_client, address) == {"new": 2, "existing": 0, "repeat": 0, "error": 1}
    assert await Product.count() == 0 and await Producer.count() == 0

    refused = await confirm(staff_client, address)
    assert refused.status_code == 409
    assert "1 dòng có lỗi" in text_of(refused.text)
    assert await Product.count() == 0

    done = await confirm(staff_client, address, valid_only=True)
    assert done.status_code in (302, 303)
    rows = await Product.select(Product.name, Product.price, Product.certified_on, Product.valid_until,
                                Product.evaluation_level, Product.search_text).order_by(Product.name)
    assert [(r["name"], r["price"], r["certified_on"], r["valid_until"], r["evaluation_level"]) for r in rows] == [
        ("Gà Tiên Yên", 120_000, dt.date(2024, 2, 1), dt.date(2027, 2, 1), "provincial"),
        ("Muối tôm", 50_000, dt.date(2024, 3, 5), dt.date(2027, 3, 5), "provincial"),
    ]
    assert "bac lieu" in rows[1]["search_text"] and "ca mau" in rows[1]["search_text"]
    # A former province is the current one, and kept as written.
    household = await Producer.select(Producer.name, Producer.province.name.as_alias("province"),
                                      Producer.province_as_written, Producer.producer_type).where(
        Producer.name == "Hộ Nguyễn Văn A").first()
    assert household == {"name": "Hộ Nguyễn Văn A", "province": "Cà Mau", "province_as_written": "Bạc Liêu",
                         "producer_type": "household"}
    result = text_of((await staff_client.get(address)).text)
    assert "Đã nhập xong" in result
    staff = await AuditLog.select(AuditLog.action, AuditLog.actor).where(AuditLog.action.like("%import%"))
    assert sorted(r["action"] for r in staff) == ["import.products"] + ["producer.import_create"] * 2 + [
        "product.import_create"] * 2
    assert len({r["actor"] for r in staff}) == 1 and staff[0]["actor"] is not None


async def test_an_xlsx_made_from_the_downloaded_template_round_trips(staff_client):
    response = await staff_client.get("/staff/imports/templates/products.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Dữ liệu", "Hướng dẫn", "Danh mục"]
    sheet = workbook["Dữ liệu"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["Tên sản phẩm", "Chủ thể", "Tỉnh/thành"] and "Câu chuyện sản phẩm" in headers
    notes = " ".join(str(c.value) for row in workbook["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "nhập thêm chủ thể" in notes or "thêm chủ thể" in notes
    row = dict.fromkeys(headers, None) | {
        "Tên sản phẩm": "Tảo xoắn Quỳnh Lưu", "Chủ thể": "Công ty TNHH Tảo Quỳnh Lưu", "Tỉnh/thành": "Nghệ An",
        "Nhóm sản phẩm": "Thực phẩm", "Số sao": 5, "Số giấy chứng nhận": "01/QĐ-TTg",
        "Ngày cấp": dt.datetime(2023, 11, 20), "Giá (đồng)": 350000, "Đơn vị": "hộp",
        "Câu chuyện sản phẩm": "Từ vùng biển Quỳnh Lưu",
    }
    sheet.append(list(row.values()))
    second = row | {"Tên sản phẩm": "Trà tảo", "Số giấy chứng nhận": "02/QĐ", "Ngày cấp": 45323, "Số sao": "4 sao",
                    "Giá (đồng)": "85.000"}
    sheet.append(list(second.values()))
    out = io.BytesIO()
    workbook.save(out)
    address = await uploaded(staff_client, out.getvalue(), "tao.xlsx")
    assert (await counts(staff_client, address))["new"] == 2
    assert (await confirm(staff_client, address)).status_code in (302, 303)
    rows = await Product.select(Product.name, Product.stars, Product.evaluation_level, Product.certified_on,
                                Product.price, Product.story, Product.producer.producer_type.as_alias("type")
                                ).order_by(Product.id)
    assert rows == [
        {"name": "Tảo xoắn Quỳnh Lưu", "stars": 5, "evaluation_level": "national", "certified_on": dt.date(2023, 11, 20),
         "price": 350_000, "story": "Từ vùng biển Quỳnh Lưu", "type": "enterprise"},
        {"name": "Trà tảo", "stars": 4, "evaluation_level": "provincial", "certified_on": dt.date(2024, 2, 1),
         "price": 85_000, "story": "Từ vùng biển Quỳnh Lưu", "type": "enterprise"},
    ]
    assert await Producer.count() == 1  # named by both rows, added once


async def test_the_csv_template_is_utf8_with_a_bom(staff_client):
    response = await staff_client.get("/staff/imports/templates/producers.csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.content.decode("utf-8-sig").splitlines()[0].startswith("Tên chủ thể,Loại hình chủ thể,Tỉnh/thành")
    assert (await staff_client.get("/staff/imports/templates/nothing.pdf")).status_code == 404


async def test_rows_already_in_the_directory_are_updated_or_skipped_as_chosen(staff_client):
    producer = await make_producer("HTX Gà Tiên Yên", province="Quảng Ninh")
    product = await make_product(producer, "Gà Tiên Yên", price=100_000)
    await Product.update({Product.certificate_number: "123/QĐ-UBND"}).where(Product.id == product.id)
    rows = [product_row(price="150.000"), product_row(name="Gà Tiên Yên ủ muối", certificate="123/qđ-ubnd ")]
    address = await uploaded(staff_client, csv_file(rows))
    assert await counts(staff_client, address) == {"new": 0, "existing": 1, "repeat": 1, "error": 0}
    assert "Trùng với dòng 2" in text_of((await staff_client.get(address)).text)
    await confirm(staff_client, address, policy="skip")
    assert await Product.select(Product.price).output(as_list=True) == [100_000]

    address = await uploaded(staff_client, csv_file(rows))
    await confirm(staff_client, address, policy="update")
    assert await Product.select(Product.price, Product.slug).first() == {"price": 150_000, "slug": product.slug}
    assert await Product.count() == 1 and await Producer.count() == 1


async def test_a_file_with_other_headers_is_mapped_by_staff(staff_client):
    headers = ["STT", "Product name", "Producer", "Tỉnh", "Nhóm", "Hạng sao", "Số GCN", "Ngày", "Ghi chú"]
    content = csv_file([["1", "Cam Vinh", "HTX Cam Xã Đoài", "Nghệ An", "food", "4", "77/QĐ", "10/10/2024",
                         "Hộ gia đình"]], headers)
    address = await uploaded(staff_client, content, "khac.csv")
    page = await staff_client.get(address)
    assert "Các cột của tệp" in text_of(page.text)
    chosen = chosen_columns(page.text)
    assert chosen == {"name": 1, "producer": 2, "province": 3, "group": 4, "stars": 5,
                                      "certificate_number": 6, "certified_on": 7}
    fields = {f"column_{key}": str(position) for key, position in chosen.items()}
    # Two fields from one column, and a required one left out, are refused with the reason.
    refused = await post_form(staff_client, f"{address}/mapping", fields | {"column_unit": "1", "column_stars": ""},
                              page=address)
    assert refused.status_code == 400
    text = text_of(refused.text)
    assert "Cột này của tệp đã được chọn cho “Tên sản phẩm”." in text
    assert "Chọn cột của tệp chứa “Số sao”." in text
    mapped = await post_form(staff_client, f"{address}/mapping", fields | {"column_producer_type": "8"}, page=address)
    assert mapped.status_code in (302, 303)
    from events_app.imports.services import settle

    await settle()
    assert (await counts(staff_client, address))["new"] == 1
    await confirm(staff_client, address)
    assert await Producer.select(Producer.name, Producer.producer_type).first() == {
        "name": "HTX Cam Xã Đoài", "producer_type": "household"}  # the mapped column says so, not the name


async def test_two_confirmations_at_once_import_once(staff_client):
    address = await uploaded(staff_client, csv_file([product_row(), product_row("Gà ủ muối", certificate="9/QĐ")]))
    first, second = await asyncio.gather(confirm(staff_client, address), confirm(staff_client, address))
    assert {first.status_code, second.status_code} <= {302, 303}
    assert await Product.count() == 2
    assert await AuditLog.count().where(AuditLog.action == "import.products") == 1
    again = await confirm(staff_client, address)
    assert again.status_code in (302, 303) and await Product.count() == 2


async def test_a_database_error_mid_way_rolls_the_whole_import_back(staff_client, monkeypatch):
    rows = [product_row(f"Sản phẩm {n}", producer=f"HTX số {n % 7}", certificate=f"{n}/QĐ") for n in range(620)]
    address = await uploaded(staff_client, csv_file(rows))
    real = writing.unique_slugs

    async def clashing(table, texts):
        slugs = await real(table, texts)
        # The second batch of products repeats a slug of the first: the database refuses it
        # after 500 products and 7 producers were inserted in the same transaction.
        return slugs[:600] + slugs[:len(slugs) - 600] if table is Product else slugs

    monkeypatch.setattr(writing, "unique_slugs", clashing)
    refused = await confirm(staff_client, address)
    assert refused.status_code == 409
    assert "không có dòng nào được nhập" in text_of(refused.text)
    assert (await Product.count(), await Producer.count()) == (0, 0)
    assert await AuditLog.count().where(AuditLog.action.like("%import%")) == 0
    monkeypatch.setattr(writing, "unique_slugs", real)
    assert (await confirm(staff_client, address)).status_code in (302, 303)
    assert (await Product.count(), await Producer.count()) == (620, 7)


async def test_errors_are_paginated_and_shown_in_english_too(staff_client):
    rows = [product_row(f"Sai {n}", certificate=f"{n}", stars="9") for n in range(60)]
    address = await uploaded(staff_client, csv_file(rows))
    first = text_of((await staff_client.get(address)).text)
    assert "51 Số sao" in first and "52 Số sao" not in first
    second = text_of((await staff_client.get(address, params={"page": "2"})).text)
    assert "52 Số sao" in second and "61 Số sao" in second
    await post_form(staff_client, "/language", {"language": "en", "next": address}, page=address)
    english = text_of((await staff_client.get(address)).text)
    assert "Choose 3, 4 or 5 stars." in english


async def test_producers_and_distributors_files(staff_client):
    producers = csv_file([["HTX Chè Thanh Chương", "", "Nghệ An", "0238 3821 111", "CHE@example.vn"],
                          ["Tổ hợp tác Nhút", "Tổ hợp tác", "Hà Tĩnh", "", ""]],
                         ["Tên chủ thể", "Loại hình chủ thể", "Tỉnh/thành", "Điện thoại", "Email"])
    await confirm(staff_client, await uploaded(staff_client, producers, "p.csv", "producers"))
    assert await Producer.select(Producer.name, Producer.producer_type, Producer.email).order_by(Producer.name) == [
        {"name": "HTX Chè Thanh Chương", "producer_type": "cooperative", "email": "che@example.vn"},
        {"name": "Tổ hợp tác Nhút", "producer_type": "cooperative_group", "email": ""},
    ]
    distributors = xlsx_file([["Siêu thị Đà Nẵng", "Chuỗi siêu thị", "Đà Nẵng"], ["Sàn Việt", "Sàn TMĐT", None],
                              ["Không rõ", "Chợ", None]], ["Tên nhà phân phối", "Loại hình", "Tỉnh/thành"])
    address = await uploaded(staff_client, distributors, "d.xlsx", "distributors")
    assert "“Chợ” không thuộc" in text_of((await staff_client.get(address)).text)
    await confirm(staff_client, address, valid_only=True)
    assert await Distributor.select(Distributor.name, Distributor.distributor_type).order_by(Distributor.name) == [
        {"name": "Siêu thị Đà Nẵng", "distributor_type": "supermarket_chain"},
        {"name": "Sàn Việt", "distributor_type": "ecommerce"},
    ]


async def test_the_progress_page_refreshes_and_a_stalled_check_is_reported(staff_client):
    user = await make_user("staff", "canbo2@example.vn")
    await login(staff_client, "canbo2@example.vn", PASSWORD)
    await ImportBatch.insert(ImportBatch(token="t" * 32, kind="products", owner=user.id, filename="lon.xlsx",
                                         status="checking", rows_read=1200, rows_total=20000))
    page = await staff_client.get("/staff/imports/" + "t" * 32)
    assert '<meta http-equiv="refresh" content="2">' in page.text
    assert "Đã đọc 1.200 / 20.000 dòng" in text_of(page.text)
    await ImportBatch.update({ImportBatch.updated_at: now() - dt.timedelta(minutes=10)}).where(ImportBatch.owner == user.id)
    assert "bị gián đoạn" in text_of((await staff_client.get("/staff/imports/" + "t" * 32)).text)
    await ImportBatch.update({ImportBatch.created_at: now() - dt.timedelta(days=2)}).where(ImportBatch.owner == user.id)
    assert (await staff_client.get("/staff/imports/" + "t" * 32)).status_code == 404


async def test_only_the_uploader_sees_an_import(staff_client, client):
    address = await uploaded(staff_client, csv_file([product_row()]))
    from tests.helpers import SameLoopTestClient

    async with SameLoopTestClient(app=client.app) as other:
        other.follow_redirects = False
        await make_user("staff", "canbo3@example.vn")
        await login(other, "canbo3@example.vn", PASSWORD)
        assert (await other.get(address)).status_code == 404
        assert (await post_form(other, f"{address}/confirm", {"policy": "update"}, page="/staff/")).status_code == 404
    assert await Product.count() == 0


async def test_anonymous_visitors_log_in_and_producers_are_refused(client):
    response = await client.get("/staff/imports/")
    assert response.status_code in (302, 303) and response.headers["location"].startswith("/login")
    await make_user("producer", "chuthe@example.vn")
    await login(client, "chuthe@example.vn", PASSWORD)
    assert (await client.get("/staff/imports/")).status_code == 403
    assert (await client.get("/staff/imports/templates/products.xlsx")).status_code == 403
    refused = await post_form(client, "/staff/imports/", {"kind": "products"},
                              files={"file": ("a.csv", csv_file([product_row()]), "text/csv")})
    assert refused.status_code == 403
    assert await ImportBatch.count() == 0


async def test_the_forms_need_their_csrf_token(staff_client):
    await staff_client.get("/staff/imports/")
    response = await staff_client.post("/staff/imports/", data={"kind": "products"},
                                       files={"file": ("a.csv", csv_file([product_row()]), "text/csv")})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in text_of(response.text)
    assert await ImportBatch.count() == 0
    address = await uploaded(staff_client, csv_file([product_row()]))
    assert (await staff_client.post(f"{address}/confirm", data={"policy": "update"})).status_code == 403
    assert await Product.count() == 0


async def test_the_dashboard_links_to_imports(staff_client):
    page = await staff_client.get("/staff/")
    assert 'href="/staff/imports"' in page.text


async def test_an_uploaded_file_is_kept_until_confirmed_then_removed(staff_client, settings):
    address = await uploaded(staff_client, csv_file([product_row()]))
    token = address.rsplit("/", 1)[1]
    folder = settings.data_dir / "imports" / token
    assert sorted(p.name for p in folder.iterdir()) == ["issues.json", "rows.json", "source.csv"]
    saved = json.loads((folder / "rows.json").read_text(encoding="utf-8"))
    assert saved[0][0] == 2 and saved[0][1]["name"] == "Gà Tiên Yên"
    await confirm(staff_client, address)
    assert not folder.exists()
    assert await Province.count() == 34
