"""The report pages: the numbers in the table and the bars of the charts are what the database
holds; filters change them; bad filter values are explained, not refused."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from events_app.directory.tables import Producer, Product, ProductListing
from events_app.recognition.tables import Dossier
from tests.helpers import text_of
from tests.reports.conftest import YEAR, chart_bars, chart_value_texts, narrow_charts, number, table, wide_charts

BAC_TRUNG_BO = "bac-trung-bo-va-duyen-hai-mien-trung"


async def _page(client, path: str) -> tuple[str, dict]:
    response = await client.get(path)
    assert response.status_code == 200, response.text[:500]
    return response.text, table(response.text)


async def _stars_in_db(**where) -> dict[str, Counter]:
    """Products per current province and rating, read row by row with the ORM."""
    rows = await Product.select(Product.stars, Product.producer.province.name.as_alias("province"),
                                Product.producer.province.region.slug.as_alias("region"),
                                Product.group.code.as_alias("group"), Product.certified_on)
    counts: dict[str, Counter] = {}
    for row in rows:
        if all(row[k] == v for k, v in where.items() if k != "year") and (
                "year" not in where or row["certified_on"].year == where["year"]):
            counts.setdefault(row["province"], Counter())[row["stars"]] += 1
    return counts


async def test_products_by_star_and_province_match_the_database(staff, programme):
    html, sections = await _page(staff, "/staff/reports/products-by-star")
    assert sections["thead"] == [["Tỉnh, thành phố", "Vùng", "3★", "4★", "5★", "Tổng cộng"]]
    expected = await _stars_in_db()
    assert expected == {"Nghệ An": Counter({3: 2, 4: 1, 5: 1}), "Quảng Ninh": Counter({4: 1}), "Cà Mau": Counter({3: 2})}
    body = sections["tbody"]
    assert [row[0] for row in body] == ["Nghệ An", "Cà Mau", "Quảng Ninh"]  # most products first
    for row in body:
        counts = expected[row[0]]
        assert [number(c) for c in row[2:]] == [counts[3], counts[4], counts[5], sum(counts.values())]
    assert body[0][1] == "Bắc Trung Bộ và Duyên hải miền Trung"
    assert sections["tfoot"] == [["Tổng cộng", "", "4", "2", "1", "7"]]

    # The chart, wide and narrow, draws the same numbers: a bar per province, a part per rating.
    for chart in (wide_charts(html)[0], narrow_charts(html)[0]):
        bars = chart_bars(chart)
        assert bars == {name: [float(counts[s]) for s in (3, 4, 5)] for name, counts in expected.items()}
        assert chart_value_texts(chart) == {"Nghệ An": "4", "Cà Mau": "2", "Quảng Ninh": "1"}
    assert "Sản phẩm theo hạng sao và tỉnh, thành phố" in text_of(html)


async def test_filters_change_the_numbers(staff, programme):
    _, by_region = await _page(staff, f"/staff/reports/products-by-star?region={BAC_TRUNG_BO}")
    assert by_region["tbody"] == [["Nghệ An", "Bắc Trung Bộ và Duyên hải miền Trung", "2", "1", "1", "4"]]

    _, herbal = await _page(staff, "/staff/reports/products-by-star?group=herbal")
    assert [[r[0], *r[2:]] for r in herbal["tbody"]] == [["Nghệ An", "0", "1", "1", "2"]]

    html, in_2024 = await _page(staff, "/staff/reports/products-by-star?year=2024")
    expected = await _stars_in_db(year=2024)
    assert {r[0]: [number(c) for c in r[2:5]] for r in in_2024["tbody"]} == {
        name: [c[3], c[4], c[5]] for name, c in expected.items()}
    assert in_2024["tfoot"] == [["Tổng cộng", "", "2", "1", "0", "3"]]
    assert "Sản phẩm có giấy chứng nhận hiện hành được cấp trong năm 2024." in text_of(html)
    assert 'option value="2024" selected' in html

    _, province = await _page(staff, "/staff/reports/products-by-star?province=quang-ninh")
    assert [r[0] for r in province["tbody"]] == ["Quảng Ninh"]


async def test_former_units_follow_the_certificate(staff, programme):
    html, sections = await _page(staff, "/staff/reports/products-by-star?units=former")
    assert sections["thead"][0][:2] == ["Tỉnh cũ", "Nay thuộc"]
    rows = {r[0]: [number(c) for c in r[2:]] for r in sections["tbody"]}
    # Nghệ An and Quảng Ninh were never merged; in Cà Mau one producer's certificate names Bạc Liêu,
    # the other names no former unit, so it is not guessed.
    assert rows == {"Nghệ An": [2, 1, 1, 4], "Quảng Ninh": [0, 1, 0, 1], "Bạc Liêu": [1, 0, 0, 1],
                    "Cà Mau (chưa ghi đơn vị cũ)": [1, 0, 0, 1]}
    assert {r[0]: r[1] for r in sections["tbody"]} == {"Nghệ An": "Nghệ An", "Quảng Ninh": "Quảng Ninh", "Bạc Liêu": "Cà Mau",
                                                       "Cà Mau (chưa ghi đơn vị cũ)": "Cà Mau"}
    assert set(chart_bars(wide_charts(html)[0])) == set(rows)
    assert "Đơn vị cũ là các tỉnh, thành phố trước ngày 1/7/2025" in text_of(html)


async def test_bad_filter_values_are_explained_and_everything_counted(staff, programme):
    html, sections = await _page(staff, "/staff/reports/products-by-star?year=20x5&province=atlantis&region=%3Cb%3E&group=gold&units=moon")
    text = text_of(html)
    assert "“20x5” không phải là một năm: tính tất cả các năm." in text
    assert "Không có tỉnh, thành phố “atlantis”: tính tất cả các tỉnh, thành phố." in text
    assert "Không có vùng “<b>”" in text and "<b>”" not in html  # escaped
    assert "Không có nhóm sản phẩm “gold”" in text
    assert sections["tfoot"] == [["Tổng cộng", "", "4", "2", "1", "7"]]
    # A former province's name stands for the unit it belongs to now.
    html, sections = await _page(staff, "/staff/reports/products-by-star?province=bac-lieu")
    assert [r[0] for r in sections["tbody"]] == ["Cà Mau"]
    assert "Bạc Liêu nay thuộc Cà Mau: tính số liệu của Cà Mau." in text_of(html)


async def test_new_recognitions_and_re_recognitions_per_year(staff, programme):
    # The salt of Bạc Liêu, first recognised in 2022, is re-recognised on 20/10/2025 through a dossier.
    salt = await Product.select(Product.id).where(Product.name == "Muối tôm Bạc Liêu").first()
    await Dossier(product=salt["id"], status="recognised", new_stars=4, new_certificate_number="OCOP-CM-2025-11",
                  new_certified_on=dt.date(2025, 10, 20), new_valid_until=dt.date(2028, 10, 20)).save()
    await Product.update({Product.stars: 4, Product.certified_on: dt.date(2025, 10, 20),
                          Product.valid_until: dt.date(2028, 10, 20)}).where(Product.id == salt["id"])
    html, sections = await _page(staff, "/staff/reports/recognitions")
    assert sections["thead"] == [["Năm", "Công nhận mới", "Công nhận lại", "Giấy chứng nhận hết hạn"]]
    rows = {r[0]: [number(c) for c in r[1:]] for r in sections["tbody"]}
    # First recognitions by the earliest certificate of each product; certificates run 36 months.
    assert rows == {"2022": [1, 0, 0], "2023": [1, 0, 0], "2024": [3, 0, 0], "2025": [2, 1, 0], "2026": [0, 0, 1],
                    "2027": [0, 0, 3], "2028": [0, 0, 3]}
    assert sections["tfoot"] == [["Tổng cộng", "7", "1", "7"]]
    [chart] = wide_charts(html)
    periods = {g.get("data-label"): [float(r.get("data-value")) for r in g.iter() if r.get("class") == "bar"]
               for g in chart.iter() if g.get("class") == "period"}
    assert periods == {year: [float(v) for v in values] for year, values in rows.items()}
    _, ca_mau = await _page(staff, "/staff/reports/recognitions?province=ca-mau")
    assert {r[0]: [number(c) for c in r[1:]] for r in ca_mau["tbody"]} == {
        "2022": [1, 0, 0], "2025": [1, 1, 0], "2028": [0, 0, 2]}


async def test_producers_by_type(staff, programme):
    _, sections = await _page(staff, "/staff/reports/producers")
    assert sections["thead"][0][2:] == ["Hợp tác xã", "Tổ hợp tác", "Doanh nghiệp", "Hộ kinh doanh, cơ sở sản xuất",
                                        "Tổng cộng"]
    rows = {r[0]: [number(c) for c in r[2:]] for r in sections["tbody"]}
    assert rows == {"Nghệ An": [1, 0, 1, 0, 2], "Cà Mau": [0, 1, 0, 1, 2], "Quảng Ninh": [1, 0, 0, 0, 1]}


async def test_participation_per_event(staff, programme):
    html, sections = await _page(staff, f"/staff/reports/participation?year={YEAR}")
    rows = {r[0]: r[1:] for r in sections["tbody"]}
    fair, conference = programme.fair["title_vi"], programme.conference["title_vi"]
    assert set(rows) == {fair, conference}  # the draft is no event yet; the other conference was the year before
    # Fair: applications bar the cancelled one (3); producers exhibiting: the confirmed and the approved.
    assert rows[fair] == ["Hội chợ, triển lãm", f"10/04/{YEAR}", "Nghệ An", "3", "2", "0", "2"]
    assert rows[conference] == ["Hội nghị kết nối cung cầu", f"20/03/{YEAR}", "Đắk Lắk", "0", "2", "1", "3"]
    assert chart_bars(wide_charts(html)[0]) == {conference: [2.0, 1.0], fair: [2.0, 0.0]}
    _, fairs = await _page(staff, f"/staff/reports/participation?year={YEAR}&kind=fair")
    assert [r[0] for r in fairs["tbody"]] == [fair]
    _, before = await _page(staff, f"/staff/reports/participation?year={YEAR - 1}")
    assert [r[0] for r in before["tbody"]] == [programme.earlier["title_vi"]]


async def test_booth_occupancy_and_fees(staff, programme):
    html, sections = await _page(staff, "/staff/reports/booths")
    fair = programme.fair["title_vi"]
    assert sections["thead"][0][4:] == ["Gian hàng có thể thuê", "Gian hàng đã thuê", "Tỷ lệ lấp đầy", "Lượt thuê", "Phí thu"]
    # Three booths offered (one blocked), two rented (a cancelled rental holds nothing), 7 million đồng.
    assert sections["tbody"] == [[fair, "Hội chợ, triển lãm", f"10/04/{YEAR}", "Nghệ An", "3", "2", "66,7 %", "2",
                                  "7.000.000 ₫"]]
    occupancy, fees = wide_charts(html)
    assert chart_bars(occupancy) == {fair: [66.7]}
    assert chart_value_texts(occupancy) == {fair: "2/3 · 66,7 %"}
    assert chart_bars(fees) == {fair: [7_000_000.0]} and chart_value_texts(fees) == {fair: "7 triệu"}
    _, showrooms = await _page(staff, "/staff/reports/booths?kind=showroom")
    assert showrooms["tbody"] == []


async def test_mous_per_conference_and_over_time(staff, programme):
    html, sections = await _page(staff, "/staff/reports/mous")
    conference, earlier = programme.conference["title_vi"], programme.earlier["title_vi"]
    rows = {r[0]: r[4:] for r in sections["tbody"]}
    # Signed counts the fulfilled one; the agreed one is in negotiation; the withdrawn one is left out.
    assert rows == {conference: ["2", "2.050.000.000 ₫", "1", "300.000.000 ₫"],
                    earlier: ["1", "500.000.000 ₫", "0", "0 ₫"]}
    assert chart_value_texts(wide_charts(html)[0]) == {conference: "2 biên bản · 2,05 tỷ", earlier: "1 biên bản · 500 triệu"}
    _, this_year = await _page(staff, f"/staff/reports/mous?year={YEAR}")
    assert [r[0] for r in this_year["tbody"]] == [conference]

    html, by_year = await _page(staff, "/staff/reports/mous-over-time")
    assert by_year["tbody"] == [[str(YEAR - 1), "1", "500.000.000 ₫"], [str(YEAR), "2", "2.050.000.000 ₫"]]
    html, by_month = await _page(staff, f"/staff/reports/mous-over-time?year={YEAR}")
    assert len(by_month["tbody"]) == 12 and by_month["tbody"][2] == [f"03/{YEAR}", "2", "2.050.000.000 ₫"]
    assert by_month["tfoot"] == [["Tổng cộng", "2", "2.050.000.000 ₫"]]
    value_chart, count_chart = wide_charts(html)
    values = [float(r.get("data-value")) for r in value_chart.iter() if r.get("class") == "bar"]
    assert values == [0.0, 0.0, 2_050_000_000.0] + [0.0] * 9
    points = [float(c.get("data-value")) for c in count_chart.iter() if c.get("class") == "point"]
    assert points == [0.0, 0.0, 2.0] + [0.0] * 9
    _, quang_ninh = await _page(staff, "/staff/reports/mous-over-time?province=quang-ninh")
    assert quang_ninh["tbody"] == [[str(YEAR - 1), "1", "500.000.000 ₫"]]


async def test_listings_online_are_not_yet_recorded_while_there_is_none(staff, programme):
    html, sections = await _page(staff, "/staff/reports/online")
    text = text_of(html)
    assert "Chưa có số liệu" in text and "Chưa sản phẩm nào có thông tin bán trực tuyến" in text
    assert sections["tbody"] == [] and "<svg" not in html and ".xlsx" not in html


async def test_share_of_products_listed_online_per_province(staff, programme):
    products = {row["name"]: row["id"] for row in await Product.select(Product.id, Product.name)}
    for name, platform in (("Chè xanh Thanh Chương", "shopee"), ("Chè xanh Thanh Chương", "postmart"),
                           ("Gà Tiên Yên", "own_website")):
        await ProductListing(product=products[name], platform=platform, url=f"https://{platform}.example/{products[name]}").save()
    html, sections = await _page(staff, "/staff/reports/online")
    assert sections["thead"] == [["Tỉnh, thành phố", "Vùng", "Sản phẩm", "Bán trực tuyến", "Tỷ lệ bán trực tuyến",
                                  "Gian hàng trực tuyến"]]
    # Nghệ An: one of four products listed (twice); Quảng Ninh: its one; Cà Mau: neither of two.
    assert [[r[0], *r[2:]] for r in sections["tbody"]] == [
        ["Quảng Ninh", "1", "1", "100,0 %", "1"], ["Nghệ An", "4", "1", "25,0 %", "2"], ["Cà Mau", "2", "0", "0,0 %", "0"]]
    assert sections["tfoot"] == [["Tổng cộng", "", "7", "2", "28,6 %", "3"]]
    [chart] = wide_charts(html)
    assert chart_bars(chart) == {"Quảng Ninh": [100.0], "Nghệ An": [25.0], "Cà Mau": [0.0]}
    assert chart_value_texts(chart)["Nghệ An"] == "1/4 · 25,0 %"
    _, food = await _page(staff, "/staff/reports/online?group=food")
    assert [[r[0], *r[2:]] for r in food["tbody"]] == [["Quảng Ninh", "1", "1", "100,0 %", "1"],
                                                        ["Cà Mau", "2", "0", "0,0 %", "0"]]


async def test_producers_by_attribute(staff, programme):
    for producer, fields in ((programme.tra, {Producer.women_led: True}),
                             (programme.muoi, {Producer.women_led: True, Producer.craft_village: True}),
                             (programme.ga, {Producer.ethnic_minority: True})):
        await Producer.update(fields).where(Producer.id == producer.id)
    html, sections = await _page(staff, "/staff/reports/producer-attributes")
    assert sections["thead"][0][:3] == ["Tỉnh, thành phố", "Vùng", "Chủ thể"]
    assert sections["thead"][0][3] == "Do phụ nữ làm chủ"
    rows = {r[0]: [number(c) for c in r[2:]] for r in sections["tbody"]}
    assert rows == {"Nghệ An": [2, 1, 0, 0, 0, 0], "Cà Mau": [2, 1, 0, 1, 0, 0], "Quảng Ninh": [1, 0, 1, 0, 0, 0]}
    assert sections["tfoot"] == [["Tổng cộng", "", "5", "2", "1", "1", "0", "0"]]
    [chart] = wide_charts(html)
    assert list(chart_bars(chart).values()) == [[2.0], [1.0], [1.0], [0.0], [0.0]]
    assert chart_value_texts(chart)["Do phụ nữ làm chủ"] == "2 · 40,0 %"
    _, ca_mau = await _page(staff, "/staff/reports/producer-attributes?province=ca-mau")
    assert [r[0] for r in ca_mau["tbody"]] == ["Cà Mau"]


async def test_the_list_links_every_report_and_the_dashboard_links_the_list(staff, programme):
    html, _ = await _page(staff, "/staff/reports/")
    for name in ("products-by-star", "recognitions", "producers", "producer-attributes", "participation", "booths", "mous",
                 "mous-over-time", "online"):
        assert f'href="/staff/reports/{name}"' in html
    assert "Báo cáo" in text_of(html)
    report, _ = await _page(staff, f"/staff/reports/booths?year={YEAR}")
    assert f'href="/staff/reports/booths.xlsx?year={YEAR}"' in report and f'href="/staff/reports/booths.pdf?year={YEAR}"' in report
    assert 'href="/staff/reports"' in (await staff.get("/staff/")).text


async def test_an_unknown_report_or_format_is_not_found(staff, programme):
    for path in ("/staff/reports/nothing", "/staff/reports/booths.docx", "/staff/reports/booths?format=exe"):
        response = await staff.get(path)
        assert response.status_code == 404, path
        assert "Không có báo cáo này." in text_of(response.text)


async def test_hostile_filter_values_never_break_a_report(staff, programme):
    values = [" ", "9" * 40, "-1", "２０２５", "' OR 1=1 --", "<script>x</script>", "ä" * 500, "%", "nghe-an%", "2101"]
    for name in ("products-by-star", "participation", "booths", "mous-over-time"):
        for value in values:
            for field in ("year", "kind", "region", "province", "group", "units", "format"):
                response = await staff.get(f"/staff/reports/{name}", params={field: value})
                where = f"{name} {field}={value[:20]!r}"
                if field == "format" and value.strip() not in ("", "html", "xlsx", "pdf"):
                    assert response.status_code == 404, where
                    continue
                assert response.status_code == 200, where
                assert "<script>x</script>" not in response.text, where


async def test_a_report_reads_in_english(staff, programme):
    from tests.helpers import post_form

    await post_form(staff, "/language", {"language": "en", "next": "/staff/reports/booths"}, page="/staff/reports/")
    html, sections = await _page(staff, "/staff/reports/booths")
    assert sections["thead"][0][4:] == ["Booths offered", "Booths rented", "Occupancy", "Rentals", "Fees"]
    assert sections["tbody"][0][6] == "66.7 %" and sections["tbody"][0][8] == "7,000,000 VND"
    assert chart_value_texts(wide_charts(html)[1]) == {programme.fair["title_vi"]: "7 m"}
    assert "Booth occupancy and fees" in text_of(html)
