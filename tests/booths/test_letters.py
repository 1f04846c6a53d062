"""The confirmation letter of a booth: a PDF whose text names the booth, hall, fee, dates and
set-up times; the producer's own, or any for staff, and only once the booth is confirmed."""

import datetime as dt
import io

from pypdf import PdfReader

from events_app.booths import decisions, letters, rules
from events_app.booths.tables import Booth
from events_app.events.tables import Event
from tests.booths.conftest import log_in, producer_with_products, today
from tests.factories import make_user
from tests.helpers import post_form


def pdf_text(content: bytes) -> str:
    assert content[:5] == b"%PDF-", content[:200]
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


async def _confirmed(fair, name="HTX Thư xác nhận"):
    event, booths = fair["event"], fair["booths"]
    await Event.update({Event.organiser: "Sở Công Thương Nghệ An"}).where(Event.id == event["id"])
    await Booth.update({Booth.price: 4_200_000, Booth.booth_type: "corner"}).where(Booth.id == booths["A-06"])
    producer, products, user = await producer_with_products(name)
    application = await decisions.apply(event, producer.id, rules.ApplicationForm(product_ids=[p.id for p in products]))
    staff = await make_user("staff")
    await decisions.approve(application, booths["A-06"], staff_id=staff.id)
    return producer, products, user, staff, application


def test_set_up_is_the_day_before_and_tear_down_follows_the_closing():
    opens = dt.datetime(2027, 3, 10, 8, 0)
    set_up, tear_down = letters.windows(opens, dt.datetime(2027, 3, 14, 20, 0))
    assert (set_up.day, set_up.starts, set_up.ends) == (dt.date(2027, 3, 9), dt.time(8), dt.time(17))
    assert (tear_down.day, tear_down.starts, tear_down.ends) == (dt.date(2027, 3, 14), dt.time(20), dt.time(23))
    late = letters.windows(opens, dt.datetime(2027, 3, 14, 22, 30))[1]
    assert (late.starts, late.ends) == (dt.time(22, 30), dt.time(23, 59))  # not past midnight
    assert letters.reference(12, 345) == "XN-0012-000345"


async def test_the_producer_downloads_the_letter_of_its_confirmed_booth(client, fair):
    event = fair["event"]
    producer, products, user, _, application = await _confirmed(fair)
    await log_in(client, user)
    url = f"/my/applications/{application}/letter.pdf"
    assert (await client.get(url)).status_code == 404  # approved, not yet confirmed: no letter
    assert "Thư xác nhận (PDF)" not in (await client.get("/my/applications")).text

    await post_form(client, f"/my/applications/{application}/confirm", {}, page="/my/applications")
    page = await client.get("/my/applications")
    assert f'href="{url}"' in page.text
    assert f'href="{url}"' in (await client.get(f"/events/{event['slug']}")).text  # the booth panel too

    response = await client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "private" in response.headers["cache-control"]
    text = pdf_text(response.content)
    first, last = today() + dt.timedelta(days=30), today() + dt.timedelta(days=34)
    for expected in (
        "Thư xác nhận gian hàng",
        f"Số XN-{event['id']:04d}-{application:06d}",
        f"Kính gửi: {producer.name}",
        event["title_vi"],
        "Sở Công Thương Nghệ An",
        "Khu vực Khu A",
        "Gian hàng A-06",
        "Loại và kích thước Góc · 3 × 3 m (9 m²)",
        "Phí gian hàng 4.200.000 ₫",
        f"Thời gian sự kiện {first.strftime('%d/%m/%Y')} – {last.strftime('%d/%m/%Y')}, từ 08:00 đến 20:00",
        f"Dàn dựng (nhận gian hàng) {(first - dt.timedelta(days=1)).strftime('%d/%m/%Y')}, từ 08:00 đến 17:00",
        f"Tháo dỡ {last.strftime('%d/%m/%Y')}, từ 20:00 đến 23:00",
        products[0].name,
        f"events/{event['slug']}",  # the address of the QR code, printed under it
    ):
        assert expected in text, (expected, text)


async def test_another_producer_finds_no_letter_and_staff_find_any(client, fair):
    event = fair["event"]
    producer, _, user, staff, application = await _confirmed(fair)
    await decisions.confirm(application, producer_id=producer.id)
    _, _, stranger = await producer_with_products("HTX Tò mò")
    await log_in(client, stranger)
    response = await client.get(f"/my/applications/{application}/letter.pdf")
    assert response.status_code == 404
    assert "%PDF" not in response.text[:10]
    assert (await client.get(f"/staff/events/{event['id']}/applications/{application}/letter.pdf")).status_code == 403

    await log_in(client, staff)
    page = await client.get(f"/staff/events/{event['id']}/applications")
    url = f"/staff/events/{event['id']}/applications/{application}/letter.pdf"
    assert f'href="{url}"' in page.text
    text = pdf_text((await client.get(url)).content)
    assert "Gian hàng A-06" in text and producer.name in text
    # The letter in English, for a reader who switched.
    await post_form(client, "/language", {"language": "en", "next": "/"}, page="/")
    text = pdf_text((await client.get(url)).content)
    assert "Booth confirmation letter" in text and "Booth fee 4,200,000 VND" in text
    # Another fair's page does not reach it.
    assert (await client.get(f"/staff/events/{event['id'] + 99}/applications/{application}/letter.pdf")).status_code == 404
