"""An MoU's answers and its life after the ceremony: the party a proposal was made to declines it
with a reason while the proposer withdraws it; a signature is recorded when it happens and never
before its slot; progress notes, fulfilment, and the lapse of an MoU past its due date, found on read."""

import datetime as dt
import re

import pytest

from events_app.core.audit import AuditLog
from events_app.core.errors import Conflict
from events_app.directory.tables import Product
from events_app.events.services import get_event_by_id
from events_app.mou import ceremony, rules
from events_app.mou.tables import Mou, MouNote
from tests.factories import PASSWORD
from tests.helpers import login, post_form, text_of
from tests.matchmaking.builders import make_cast, make_conference
from tests.mou.builders import insert_mou

UTC = dt.timezone.utc


async def _login(client, email):
    client.cookies.clear()
    await login(client, email, PASSWORD)


async def _mou(cast, *, status="proposed", proposed_by="distributor", **values) -> int:
    return await insert_mou(
        cast.producer.id, cast.distributor.id, event=cast.conference.event.id,
        proposed_by=proposed_by, title="Cung ứng nấm linh chi cho Co.op", value_vnd=320_000_000, status=status, **values,
    )


def _forms(html: str) -> set[str]:
    """The actions of the MoU's forms on a page, by their last path segment."""
    return {action.rsplit("/", 1)[-1] for action in re.findall(r'<form method="post" action="([^"]*/mous/[^"]+)"', html)}


# The status machine -----------------------------------------------------------------------------------

def test_who_may_answer_a_proposal():
    assert rules.answers("proposed", proposed_by_me=False) == ["agree", "decline"]
    assert rules.answers("proposed", proposed_by_me=True) == ["withdraw"]
    assert rules.answers("agreed", proposed_by_me=False) == ["withdraw"]
    assert rules.answers("signed", proposed_by_me=True) == []
    assert rules.after("decline", "proposed") == "declined"
    with pytest.raises(Conflict):
        rules.after("decline", "agreed")


def test_signing_is_recorded_from_the_start_of_the_slot():
    slot = dt.datetime(2027, 5, 20, 7, 0, tzinfo=UTC)
    assert rules.check_signing("agreed", slot, slot) == "signed"
    assert rules.check_signing("agreed", slot, slot + dt.timedelta(days=1)) == "signed"
    with pytest.raises(Conflict) as refused:
        rules.check_signing("agreed", slot, slot - dt.timedelta(seconds=1))
    assert "slot" in refused.value.message
    with pytest.raises(Conflict):
        rules.check_signing("agreed", None, slot)  # no slot, no signature
    with pytest.raises(Conflict):
        rules.check_signing("proposed", slot, slot)


def test_a_signed_mou_lapses_the_day_after_its_due_date():
    due = dt.date(2027, 8, 31)
    assert not rules.overdue("signed", due, due)
    assert rules.overdue("signed", due, due + dt.timedelta(days=1))
    assert not rules.overdue("fulfilled", due, due + dt.timedelta(days=1))
    assert not rules.overdue("signed", None, due)
    assert rules.check_due_date(dt.date(2020, 1, 1), due) is not None and rules.check_due_date(due, due) is None


# Answers -----------------------------------------------------------------------------------------------

async def test_the_receiving_party_declines_with_a_reason_and_the_proposer_withdraws(client):
    cast = await make_cast()
    mou_id = await _mou(cast)  # proposed by the distributor to the producer

    await _login(client, "pp1@test.example")  # the proposer
    page = await client.get(f"/my/mous/{mou_id}")
    assert _forms(page.text) == {"withdraw"} and "Rút lại" in text_of(page.text) and "Từ chối" not in text_of(page.text)
    refused = await post_form(client, f"/my/mous/{mou_id}/decline", {"reason": "Đổi ý"})
    assert refused.status_code == 400
    assert "Chỉ bên nhận đề xuất mới có thể từ chối biên bản ghi nhớ" in text_of(refused.text)

    await _login(client, "sx1@test.example")  # the party it was proposed to
    page = await client.get(f"/my/mous/{mou_id}")
    assert _forms(page.text) == {"agree", "decline"}
    assert "Từ chối" in text_of(page.text) and "Rút lại" not in text_of(page.text)
    listing = (await client.get("/my/mous")).text
    assert f'href="/my/mous/{mou_id}#f-reason"' in listing and "Từ chối…" in text_of(listing)
    assert f'/my/mous/{mou_id}/withdraw' not in listing
    refused = await post_form(client, f"/my/mous/{mou_id}/withdraw", {})
    assert "Đề xuất gửi đến bạn thì từ chối, không rút lại." in text_of(refused.text)
    empty = await post_form(client, f"/my/mous/{mou_id}/decline", {"reason": "  "})
    assert empty.status_code == 400 and "Hãy nêu lý do từ chối để bên kia được biết." in text_of(empty.text)
    assert (await Mou.objects().where(Mou.id == mou_id).first()).status == "proposed"

    response = await post_form(client, f"/my/mous/{mou_id}/decline", {"reason": "Sản lượng vụ này đã bán hết."})
    assert response.status_code in (302, 303)
    row = await Mou.objects().where(Mou.id == mou_id).first()
    assert (row.status, row.decline_reason) == ("declined", "Sản lượng vụ này đã bán hết.") and row.closed_at is not None
    entry = await AuditLog.objects().where(AuditLog.action == "mou.declined").first()
    assert entry.target_id == mou_id and "Sản lượng vụ này đã bán hết." in entry.detail

    await _login(client, "pp1@test.example")  # the proposer reads why
    page = text_of((await client.get(f"/my/mous/{mou_id}")).text)
    assert "Đã từ chối" in page and "Sản lượng vụ này đã bán hết." in page
    assert _forms((await client.get(f"/my/mous/{mou_id}")).text) == set()


# Signing -------------------------------------------------------------------------------------------------

async def test_a_signature_before_the_slot_is_refused_and_leaves_the_mou_as_it_was(client, monkeypatch):
    cast = await make_cast()
    signing = cast.conference.signing
    mou_id = await _mou(cast, status="agreed", agreed_at=dt.datetime(2026, 11, 1, tzinfo=UTC))
    event = await get_event_by_id(cast.conference.event.id)
    slot = signing.starts_at + dt.timedelta(minutes=10)
    await ceremony.assign_slot(event, mou_id, signing.id, slot)
    before = await Mou.select().where(Mou.id == mou_id).first()

    await _login(client, "staff@test.example")
    base = f"/staff/events/{event['id']}/mous"
    refused = await post_form(client, f"{base}/{mou_id}/sign", {})  # the conference is ten days away
    assert refused.status_code == 409
    assert "Chỉ ghi nhận được việc ký từ khi bắt đầu giờ ký của biên bản" in text_of(refused.text)
    assert await Mou.select().where(Mou.id == mou_id).first() == before
    assert await AuditLog.count().where(AuditLog.action == "mou.signed") == 0

    monkeypatch.setattr(ceremony, "now", lambda: slot - dt.timedelta(minutes=1))  # a minute early
    assert (await post_form(client, f"{base}/{mou_id}/sign", {})).status_code == 409
    assert (await Mou.objects().where(Mou.id == mou_id).first()).status == "agreed"

    happened = slot + dt.timedelta(minutes=3, seconds=17)  # signed a little late: that moment is kept
    monkeypatch.setattr(ceremony, "now", lambda: happened)
    response = await post_form(client, f"{base}/{mou_id}/sign", {})
    assert response.status_code in (302, 303)
    row = await Mou.objects().where(Mou.id == mou_id).first()
    assert (row.status, row.signed_at, row.signing_at) == ("signed", happened, slot)
    page = text_of((await client.get(f"{base}/{mou_id}")).text)
    local = happened.astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert f"Ngày ký {local:%d/%m/%Y} {local:%H:%M}" in page
    await _login(client, "sx1@test.example")
    assert f"ký lúc {local:%d/%m/%Y} {local:%H:%M}" in text_of((await client.get("/my/mous")).text)


# Follow-up ------------------------------------------------------------------------------------------------

async def test_parties_and_staff_record_progress_and_mark_fulfilled(client):
    cast = await make_cast()
    signed = dt.datetime.now(UTC) - dt.timedelta(days=3)
    mou_id = await _mou(cast, status="signed", signed_at=signed, due_on=dt.date.today() + dt.timedelta(days=60))

    await _login(client, "sx1@test.example")
    empty = await post_form(client, f"/my/mous/{mou_id}/notes", {"body": ""})
    assert empty.status_code == 400 and "Hãy ghi điều đã diễn ra." in text_of(empty.text)
    long = await post_form(client, f"/my/mous/{mou_id}/notes", {"body": "x" * 2001})
    assert long.status_code == 400 and "Dùng tối đa 2000 ký tự." in text_of(long.text)
    response = await post_form(client, f"/my/mous/{mou_id}/notes", {"body": "Đã gửi mẫu 50 hộp cho Co.op."})
    assert response.status_code in (302, 303)
    page = text_of((await client.get(f"/my/mous/{mou_id}")).text)
    assert "Đã gửi mẫu 50 hộp cho Co.op." in page and "HTX Trà Con Cuông" in page

    for email in ("sx2@test.example", "pp2@test.example"):  # not a party: nothing to see or write
        await _login(client, email)
        assert (await post_form(client, f"/my/mous/{mou_id}/notes", {"body": "?"})).status_code == 404
        assert (await client.get(f"/my/mous/{mou_id}")).status_code == 404

    await _login(client, "staff@test.example")
    url = f"/staff/events/{cast.conference.event.id}/mous/{mou_id}"
    response = await post_form(client, f"{url}/notes", {"body": "Đơn hàng đầu tiên 2.000 hộp đã giao.", "fulfilled": "1"})
    assert response.status_code in (302, 303)
    row = await Mou.objects().where(Mou.id == mou_id).first()
    assert row.status == "fulfilled" and row.fulfilled_at is not None
    assert [n.body for n in await MouNote.objects().order_by(MouNote.id)] == [
        "Đã gửi mẫu 50 hộp cho Co.op.", "Đơn hàng đầu tiên 2.000 hộp đã giao."]
    assert await AuditLog.count().where(AuditLog.action.is_in(["mou.note_added", "mou.fulfilled"])) == 2
    page = text_of((await client.get(url)).text)
    assert "Đã thực hiện" in page and "Đơn hàng đầu tiên 2.000 hộp đã giao." in page
    again = await post_form(client, f"{url}/notes", {"body": "Thêm", "fulfilled": "1"})
    assert again.status_code == 409 and "Chỉ biên bản ghi nhớ đã ký mới được đánh dấu là đã thực hiện." in text_of(again.text)
    other = (await make_conference("hoi-nghi-khac")).event.id  # staff write on an MoU from its own event's page
    assert (await post_form(client, f"/staff/events/{other}/mous/{mou_id}/notes", {"body": "?"})).status_code == 404


async def test_an_mou_past_its_due_date_is_lapsed_when_read(client):
    cast = await make_cast()
    overdue = await _mou(cast, status="signed", signed_at=dt.datetime.now(UTC) - dt.timedelta(days=90),
                         due_on=dt.date.today() - dt.timedelta(days=1))
    on_time = await _mou(cast, status="signed", signed_at=dt.datetime.now(UTC), due_on=dt.date.today())
    assert (await Mou.objects().where(Mou.id == overdue).first()).status == "signed"  # no job moved it

    await _login(client, "sx1@test.example")
    page = text_of((await client.get(f"/my/mous/{overdue}")).text)
    assert "Hết hiệu lực" in page and "đã hết hiệu lực" in page
    assert (await Mou.objects().where(Mou.id == overdue).first()).status == "lapsed"
    assert (await Mou.objects().where(Mou.id == on_time).first()).status == "signed"  # due today: still on time
    entry = await AuditLog.objects().where(AuditLog.action == "mou.lapsed").first()
    assert entry.target_id == overdue and '"lapsed"' in entry.after

    refused = await post_form(client, f"/my/mous/{overdue}/notes", {"body": "Giao muộn", "fulfilled": "1"})
    assert refused.status_code == 409
    assert (await Mou.objects().where(Mou.id == overdue).first()).status == "lapsed"

    # The conference counts it no longer, as the reports do not; the staff page lists it as closed.
    totals = await ceremony.totals(cast.conference.event.id)
    assert totals["signed_count"] == 1 and totals["signed_value"] == 320_000_000
    await _login(client, "staff@test.example")
    page = text_of((await client.get(f"/staff/events/{cast.conference.event.id}/mous")).text)
    assert "Hết hiệu lực" in page[page.index("Đã đề xuất, đã rút và đã kết thúc"):]


async def test_a_proposal_carries_a_due_date_not_in_the_past(client):
    cast = await make_cast()
    await _login(client, "pp1@test.example")
    product_id = (await Product.select(Product.id).where(Product.producer == cast.producer.id).first())["id"]
    data = [("party", str(cast.producer.id)), ("event", cast.conference.slug), ("title", "Trà túi lọc"),
            ("value_vnd", "90000000"), ("product_ids", str(product_id))]
    past = await post_form(client, "/my/mous/new", data + [("due_on", "2020-01-01")])
    assert past.status_code == 400 and "Hạn không được ở trong quá khứ." in text_of(past.text)
    far = await post_form(client, "/my/mous/new", data + [("due_on", "3000-01-01")])
    assert far.status_code == 400 and "Nhập ngày trong khoảng từ 01/01/2000 đến 31/12/2100." in text_of(far.text)
    assert await Mou.count() == 0
    due = dt.date.today() + dt.timedelta(days=90)
    response = await post_form(client, "/my/mous/new", data + [("due_on", due.isoformat())])
    assert response.status_code in (302, 303)
    assert (await Mou.objects().first()).due_on == due


@pytest.mark.parametrize("value, kept", [
    ("\x00", None), ("x" * 70_000, None), (" \t\n", None), ("😀" * 1001, None),
    ("a\x00b", "ab"), ("' OR 1=1 --", "' OR 1=1 --"), ("😀" * 600, "😀" * 600),
])
async def test_hostile_reasons_and_notes_never_break_the_page(client, value, kept):
    """Empty once NULs and spaces are dropped, or too long: refused and nothing changes; odd text
    is text, kept as typed (without NUL)."""
    cast = await make_cast()
    proposed = await _mou(cast)
    signed = await _mou(cast, status="signed", signed_at=dt.datetime.now(UTC), proposed_by="producer")
    before = await Mou.select().order_by(Mou.id)
    await _login(client, "sx1@test.example")
    decline = await post_form(client, f"/my/mous/{proposed}/decline", {"reason": value})
    note = await post_form(client, f"/my/mous/{signed}/notes", {"body": value, "fulfilled": value})
    for response in (decline, note):
        assert response.status_code < 500
    if kept is not None:
        assert decline.status_code in (302, 303) and note.status_code in (302, 303)
        assert (await Mou.objects().where(Mou.id == proposed).first()).decline_reason == kept
        assert [n.body for n in await MouNote.objects()] == [kept]
        return
    assert decline.status_code == 400
    assert note.status_code == 400 or len(value) <= 2000  # 1001 emoji are a note, not a reason
    if note.status_code == 400:
        assert await MouNote.count() == 0
    assert (await Mou.select().where(Mou.id == proposed).first()) == before[0]
