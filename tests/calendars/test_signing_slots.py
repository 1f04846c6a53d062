"""The ceremony's signing slots and the calendar entries of the MoUs in them count with one length."""

from __future__ import annotations

import datetime as dt

from events_app.calendars.services import signing_end
from events_app.matchmaking.scheduler import DEFAULT_SIGNING_MINUTES
from events_app.mou import ceremony as mou_ceremony
from tests.calendars.conftest import local, make_event, make_mou, make_session, parse
from tests.calendars.test_private_feed import token_for
from tests.factories import make_distributor, make_producer, make_user

FIVE = dt.timedelta(minutes=5)


def test_a_signing_slot_lasts_the_slot_length_within_its_session():
    at = local(2027, 5, 20, 14, 0)
    assert signing_end(at, 5, local(2027, 5, 20, 15, 0)) == local(2027, 5, 20, 14, 5)
    assert signing_end(at, 0, None) == at + dt.timedelta(minutes=DEFAULT_SIGNING_MINUTES) == local(2027, 5, 20, 14, 5)
    assert signing_end(local(2027, 5, 20, 14, 57), 5, local(2027, 5, 20, 15, 0)) == local(2027, 5, 20, 15, 0)
    # A slot placed after its session's end keeps its own length rather than ending before it starts.
    assert signing_end(local(2027, 5, 20, 15, 30), 5, local(2027, 5, 20, 15, 0)) == local(2027, 5, 20, 15, 35)


async def test_consecutive_signing_slots_do_not_overlap_in_the_feed(client):
    conference = await make_event(title="Hội nghị kết nối", kind="conference", starts=local(2027, 5, 20, 8, 0))
    # No slot length: the ceremony gives each MoU the default.
    ceremony = await make_session(conference, "Lễ ký kết", "signing", local(2027, 5, 20, 14, 0), 30, room="Hội trường A")
    producer = await make_producer("HTX Chè Thái Nguyên")
    for n in range(3):
        await make_mou(conference, producer, await make_distributor(f"Nhà phân phối {n + 1}"), title=f"MoU {n + 1}")
    assert await mou_ceremony.order_ceremony(conference) == (3, 0)

    user = await make_user("producer", producer=producer)
    calendar = parse((await client.get(f"/feeds/{await token_for(user)}.ics")).content)
    signings = sorted((entry for entry in calendar.events if str(entry["UID"]).startswith("mou-")),
                      key=lambda entry: entry.start)
    assert [(entry.start, entry.end) for entry in signings] == [
        (local(2027, 5, 20, 14, 0) + n * FIVE, local(2027, 5, 20, 14, 0) + (n + 1) * FIVE) for n in range(3)
    ]
    assert all(before.end <= after.start for before, after in zip(signings, signings[1:]))
    assert ceremony.slot_minutes == 0
