"""Staff see every event's booth applications in one inbox, and the dashboard's figures lead there."""

from events_app.booths import decisions, rules
from tests.booths.conftest import log_in, make_event, make_venue, add_booths, producer_with_products
from tests.factories import make_user
from tests.helpers import text_of


async def test_the_inbox_lists_applications_of_every_event_oldest_first(client, fair):
    venue, halls = await make_venue((("Khu B", 20, 10),), province="Hà Tĩnh")
    other = await make_event(venue, province="Hà Tĩnh")
    await add_booths(other, halls[0], 1, 2, "B")
    names = []
    for n, event in enumerate((fair["event"], other, fair["event"])):
        producer, products, _ = await producer_with_products(f"HTX Hộp thư {n}")
        await decisions.apply(event, producer.id, rules.ApplicationForm(product_ids=[p.id for p in products]))
        names.append(producer.name)
    staff = await make_user("staff")
    await log_in(client, staff)

    dashboard = await client.get("/staff/")
    assert 'href="/staff/applications?status=submitted"' in dashboard.text
    assert 'href="/staff/events?status=draft"' in dashboard.text
    page = await client.get("/staff/applications?status=submitted")
    text = text_of(page.text)
    assert "Đã nộp (3)" in text
    assert [text.index(name) for name in names] == sorted(text.index(name) for name in names)
    assert other["title_vi"] in text and fair["event"]["title_vi"] in text
    assert f'/staff/events/{other["id"]}/applications?status=submitted#application-' in page.text
    # An unknown status falls back to the applications waiting for review, never an error.
    assert "Đã nộp (3)" in text_of((await client.get("/staff/applications?status=%27;drop")).text)
    assert "Không có đơn nào ở trạng thái này." in text_of((await client.get("/staff/applications?status=rejected")).text)


async def test_only_staff_open_the_inbox(client, clean_db):
    await log_in(client, await make_user("producer"))
    assert (await client.get("/staff/applications")).status_code == 403
