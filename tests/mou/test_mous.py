"""MoUs: proposed by one party, agreed by the other, withdrawn before signing, ordered into the
signing ceremony by staff, signed, and counted on the conference's page."""

import asyncio
import datetime as dt

from events_app.directory.tables import Product
from events_app.core.errors import Conflict
from events_app.events.services import get_event_by_id
from events_app.events.tables import Attendance, Session
from events_app.mou import ceremony
from events_app.mou.tables import Mou, MouParty, MouProduct
from events_app.matchmaking.scheduler import slot_key
from tests.factories import PASSWORD, make_distributor, make_producer, make_product, make_user
from tests.helpers import login, post_form, text_of
from tests.matchmaking.builders import make_cast, make_conference
from tests.mou.builders import insert_mou

FIVE = dt.timedelta(minutes=5)


async def _login(client, email):
    client.cookies.clear()
    await login(client, email, PASSWORD)


async def _page_after(client, response):
    assert response.status_code in (302, 303), response.text[:300]
    return text_of((await client.get(response.headers["location"])).text)


def _refused(response, status: int) -> str:
    """The page shown again, telling why the form was refused."""
    assert response.status_code == status, response.text[:300]
    return text_of(response.text)


async def _parties(mou_id: int) -> list[tuple]:
    rows = await MouParty.select().where(MouParty.mou == mou_id).order_by(MouParty.position)
    return [(r["position"], r["kind"], r[r["kind"]]) for r in rows]


async def _products(producer) -> list[int]:
    return await Product.select(Product.id).where(Product.producer == producer.id).order_by(Product.id).output(as_list=True)


async def _propose(client, cast, *, party, event=True, products=None, title="Cung ứng trà linh chi 2027",
                   value="150.000.000", volume="2.000 hộp/quý", terms="Giao hàng hằng tháng, thanh toán 30 ngày."):
    products = products if products is not None else (await _products(cast.producer))[:1]
    data = [("party", str(party)), ("event", cast.conference.slug if event else ""), ("title", title),
            ("value_vnd", value), ("volume", volume), ("terms", terms)]
    data += [("product_ids", str(p)) for p in products]
    return await post_form(client, "/my/mous/new", data)


async def _agreed_mou(cast, *, value=150_000_000, distributor=None, agreed_at=None) -> int:
    distributor = distributor or cast.distributor
    return await insert_mou(
        cast.producer.id, distributor.id, event=cast.conference.event.id, proposed_by="distributor",
        title=f"MoU {distributor.name}", value_vnd=value, status="agreed",
        agreed_at=agreed_at or dt.datetime.now(dt.timezone.utc),
    )


async def test_a_distributor_proposes_and_the_producer_agrees(client):
    cast = await make_cast()
    await _login(client, "pp1@test.example")
    form = text_of((await client.get(f"/my/mous/new?party={cast.producer.id}&event={cast.conference.slug}")).text)
    assert "HTX Trà Con Cuông" in form and "Trà linh chi (4★)" in form and "Nấm linh chi (5★)" in form

    page = await _page_after(client, await _propose(client, cast, party=cast.producer.id, products=await _products(cast.producer)))
    assert "Đã gửi đề xuất biên bản ghi nhớ." in page
    assert "Cung ứng trà linh chi 2027" in page and "150.000.000 ₫" in page and "Đang chờ HTX Trà Con Cuông đồng ý." in page
    mou = await Mou.objects().first()
    assert (mou.event, mou.proposed_by, mou.status, mou.value_vnd) == (
        cast.conference.event.id, "distributor", "proposed", 150_000_000)
    assert await _parties(mou.id) == [(0, "producer", cast.producer.id), (1, "distributor", cast.distributor.id)]
    assert mou.volume == "2.000 hộp/quý" and mou.terms == "Giao hàng hằng tháng, thanh toán 30 ngày."
    assert sorted(await MouProduct.select(MouProduct.product).output(as_list=True)) == await _products(cast.producer)

    # The proposer cannot agree to its own proposal.
    page = _refused(await post_form(client, f"/my/mous/{mou.id}/agree", {}), 400)
    assert "Chỉ bên kia mới có thể đồng ý biên bản ghi nhớ này." in page and "Cung ứng trà linh chi 2027" in page
    assert (await Mou.objects().first()).status == "proposed"

    await _login(client, "sx1@test.example")
    listing = text_of((await client.get("/my/mous")).text)
    assert "Cung ứng trà linh chi 2027" in listing and "Siêu thị Co.op Test" in listing and "đề xuất cho bạn" in listing
    page = await _page_after(client, await post_form(client, f"/my/mous/{mou.id}/agree", {}))
    assert "Bạn đã đồng ý biên bản ghi nhớ." in page
    mou = await Mou.objects().first()
    assert mou.status == "agreed" and mou.agreed_at is not None


async def test_a_producer_proposes_without_a_conference_choosing_the_distributor_first(client):
    cast = await make_cast()
    await _login(client, "sx1@test.example")
    choose = text_of((await client.get("/my/mous/new")).text)
    assert "Siêu thị Co.op Test" in choose and "Central Retail Test" in choose and "Tiếp tục" in choose
    response = await _propose(client, cast, party=cast.distributor2.id, event=False, value="80000000")
    assert "Đã gửi đề xuất" in await _page_after(client, response)
    mou = await Mou.objects().first()
    assert (mou.event, mou.proposed_by, mou.value_vnd) == (None, "producer", 80_000_000)
    assert await _parties(mou.id) == [(0, "producer", cast.producer.id), (1, "distributor", cast.distributor2.id)]


async def test_a_proposal_with_mistakes_is_shown_again_and_nothing_is_saved(client):
    cast = await make_cast()
    await _login(client, "pp1@test.example")
    theirs = await _products(cast.producer2)
    response = await _propose(client, cast, party=cast.producer.id, title="", value="-5", products=theirs, volume="x" * 201)
    assert response.status_code == 400
    page = text_of(response.text)
    assert "Trường này là bắt buộc." in page
    assert "Nhập số không nhỏ hơn 0." in page
    assert "Chọn trong các sản phẩm của chính chủ thể." in page
    assert "Dùng tối đa 200 ký tự." in page
    response = await _propose(client, cast, party=cast.producer.id, products=[], value="")
    page = text_of(response.text)
    assert "Chọn ít nhất một sản phẩm của chủ thể." in page and "Nhập giá trị ước tính (đồng)." in page
    response = await _propose(client, cast, party=cast.producer.id, value="một trăm triệu")
    assert "Nhập một số nguyên." in text_of(response.text)
    assert await Mou.count() == 0 and await MouProduct.count() == 0


async def test_proposals_at_a_conference_need_both_parties_attending(client):
    cast = await make_cast()
    await Attendance.update({Attendance.status: "cancelled"}).where(Attendance.producer == cast.producer2.id)
    await _login(client, "pp1@test.example")
    response = await _propose(client, cast, party=cast.producer2.id, products=await _products(cast.producer2))
    assert response.status_code == 409
    assert "HTX Cà phê Buôn Ma Thuột không tham dự hội nghị này." in text_of(response.text)

    outsider = await make_distributor("Không tham dự")
    await make_user("distributor", "ngoai@test.example", distributor=outsider)
    await _login(client, "ngoai@test.example")
    response = await client.get(f"/my/mous/new?party={cast.producer.id}&event={cast.conference.slug}")
    assert response.status_code == 403
    assert "Hãy đăng ký tham dự hội nghị này trước khi đề xuất biên bản ghi nhớ tại đây." in text_of(response.text)
    assert (await client.get("/my/mous/new?party=999999")).status_code == 404
    assert (await client.get("/my/mous/new?event=khong-co")).status_code == 404
    assert await Mou.count() == 0


async def test_only_the_parties_see_or_act_on_an_mou(client):
    cast = await make_cast()
    await _login(client, "pp1@test.example")
    await _propose(client, cast, party=cast.producer.id)
    mou_id = (await Mou.objects().first()).id
    for email in ("pp2@test.example", "sx2@test.example"):
        await _login(client, email)
        assert (await client.get(f"/my/mous/{mou_id}")).status_code == 404
        for action in ("agree", "withdraw"):
            assert (await post_form(client, f"/my/mous/{mou_id}/{action}", {})).status_code == 404
        assert "Cung ứng trà linh chi 2027" not in text_of((await client.get("/my/mous")).text)
    assert (await Mou.objects().first()).status == "proposed"


def at_the_ceremony(monkeypatch, cast, minutes: int = 30) -> dt.datetime:
    """The clock of the signing service set inside the ceremony, where signatures can be recorded."""
    moment = cast.conference.signing.starts_at + dt.timedelta(minutes=minutes)
    monkeypatch.setattr(ceremony, "now", lambda: moment)
    return moment


async def test_either_party_withdraws_before_signing_but_not_after(client, monkeypatch):
    cast = await make_cast()
    first = await _agreed_mou(cast)
    second = await _agreed_mou(cast, distributor=cast.distributor2)
    event = await get_event_by_id(cast.conference.event.id)
    await ceremony.assign_slot(event, first, cast.conference.signing.id, cast.conference.signing.starts_at)
    await ceremony.assign_slot(event, second, cast.conference.signing.id, cast.conference.signing.starts_at + FIVE)
    at_the_ceremony(monkeypatch, cast)

    await _login(client, "sx1@test.example")
    page = await _page_after(client, await post_form(client, f"/my/mous/{first}/withdraw", {}))
    assert "Đã rút biên bản ghi nhớ." in page
    row = await Mou.objects().where(Mou.id == first).first()
    assert (row.status, row.signing_session, row.signing_at) == ("withdrawn", None, None)  # the slot is free again

    await ceremony.mark_signed(event, second)
    await _login(client, "pp2@test.example")
    page = _refused(await post_form(client, f"/my/mous/{second}/withdraw", {}), 409)
    assert "Không thể rút biên bản ghi nhớ đã ký hoặc đã kết thúc." in page
    assert (await Mou.objects().where(Mou.id == second).first()).status == "signed"


async def test_staff_order_the_ceremony_sign_and_the_event_page_counts(client, monkeypatch):
    cast = await make_cast()
    event_id = cast.conference.event.id
    signing = cast.conference.signing  # 14:00–15:00, no slot length: five minutes each
    early = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=2)
    first = await _agreed_mou(cast, value=150_000_000, agreed_at=early)
    second = await _agreed_mou(cast, value=2_500_000_000, distributor=cast.distributor2)
    proposed = [{"id": await insert_mou(cast.producer2.id, cast.distributor.id, event=event_id,
                                        proposed_by="producer", title="Cà phê", value_vnd=9_000_000)}]
    await _login(client, "staff@test.example")
    page = text_of((await client.get(f"/staff/events/{event_id}/mous")).text)
    assert "Đã thống nhất, chưa có giờ ký" in page and "MoU Siêu thị Co.op Test" in page

    base = f"/staff/events/{event_id}/mous"
    outside = await post_form(client, f"{base}/{first}/slot", {"slot": slot_key(signing.id, signing.ends_at)})
    assert "15:00 nằm ngoài phiên lễ ký kết (14:00–15:00)." in _refused(outside, 400)
    # Told in that MoU's row, above its slot form.
    form_at = outside.text.index(f'action="{base}/{first}/slot"')
    row = outside.text[outside.text.rindex("<tr>", 0, form_at):outside.text.index("</tr>", form_at)]
    assert "MoU Siêu thị Co.op Test" in row and '<p class="error" role="alert">15:00 nằm ngoài phiên lễ ký kết' in row
    before = await post_form(client, f"{base}/{first}/slot", {"slot": slot_key(signing.id, signing.starts_at - FIVE)})
    assert "13:55 nằm ngoài phiên lễ ký kết" in _refused(before, 400)
    askew = await post_form(client, f"{base}/{first}/slot", {"slot": slot_key(signing.id, signing.starts_at + dt.timedelta(minutes=3))})
    assert "Giờ ký bắt đầu cách nhau 5 phút, từ 14:00." in _refused(askew, 400)
    unchosen = await post_form(client, f"{base}/{first}/slot", {"slot": ""})
    assert "Chọn một khung giờ." in _refused(unchosen, 400)
    wrong_session = await post_form(client, f"{base}/{first}/slot", {"slot": slot_key(cast.conference.b2b.id, signing.starts_at)})
    assert wrong_session.status_code == 404
    not_agreed = await post_form(client, f"{base}/{proposed[0]['id']}/slot", {"slot": slot_key(signing.id, signing.starts_at)})
    assert "Chỉ biên bản ghi nhớ đã thống nhất mới được ký tại lễ ký kết." in _refused(not_agreed, 409)
    assert await Mou.count().where(Mou.signing_at.is_not_null()) == 0

    page = await _page_after(client, await post_form(client, f"{base}/{second}/slot", {"slot": slot_key(signing.id, signing.starts_at)}))
    assert "Đã xếp biên bản ghi nhớ vào lễ ký kết." in page
    taken = await post_form(client, f"{base}/{first}/slot", {"slot": slot_key(signing.id, signing.starts_at)})
    assert "Giờ ký 14:00 đã dành cho biên bản ghi nhớ khác." in _refused(taken, 409)

    page = await _page_after(client, await post_form(client, f"{base}/order", {}))
    assert "Đã xếp giờ ký cho 1 biên bản ghi nhớ." in page
    assert (await Mou.objects().where(Mou.id == first).first()).signing_at == signing.starts_at + FIVE
    assert page.index("14:00") < page.index("MoU Central Retail Test") < page.index("14:05") < page.index("MoU Siêu thị Co.op Test")

    public = text_of((await client.get(f"/events/{cast.conference.slug}")).text)
    assert "0 biên bản ghi nhớ đã ký" in public and "2 đã thống nhất, chờ lễ ký kết" in public

    signed_at = at_the_ceremony(monkeypatch, cast)
    for mou_id in (first, second):
        page = await _page_after(client, await post_form(client, f"{base}/{mou_id}/sign", {}))
        assert "Đã ghi nhận biên bản ghi nhớ được ký." in page
    again = await post_form(client, f"{base}/{first}/sign", {})
    assert "Chỉ ký được biên bản ghi nhớ đã thống nhất." in _refused(again, 409)
    assert await Mou.count().where((Mou.status == "signed") & (Mou.signed_at == signed_at)) == 2

    client.cookies.clear()  # a visitor reads the totals
    public = text_of((await client.get(f"/events/{cast.conference.slug}")).text)
    assert "2 biên bản ghi nhớ đã ký" in public
    assert "2.650.000.000 ₫ tổng giá trị đã ký" in public
    assert "0 đã thống nhất, chờ lễ ký kết" in public

    await _login(client, "sx1@test.example")
    page = text_of((await client.get("/my/mous")).text)
    assert page.count("Đã ký") >= 2 and page.count("ký lúc") == 2 and "14:30" in page  # when it happened


async def test_ordering_the_ceremony_says_how_many_found_no_slot(client):
    cast = await make_cast()
    await Session.update({Session.slot_minutes: 30}).where(Session.id == cast.conference.signing.id)  # two slots
    for _ in range(3):
        await _agreed_mou(cast)
    await _login(client, "staff@test.example")
    page = _refused(await post_form(client, f"/staff/events/{cast.conference.event.id}/mous/order", {}), 409)
    assert "Đã xếp giờ ký cho 2 biên bản ghi nhớ. 1 biên bản ghi nhớ đã thống nhất chưa có giờ ký trống." in page
    assert page.count("Hết giờ trống") == 1  # the one left is listed, every slot taken
    assert await Mou.count().where(Mou.signing_at.is_not_null()) == 2


async def test_staff_pages_refuse_other_events_mous_and_non_conferences(client):
    cast = await make_cast()
    mou_id = await _agreed_mou(cast)
    other = await make_conference("hoi-nghi-khac")
    fair = await make_conference("hoi-cho", kind="fair")
    await _login(client, "staff@test.example")
    assert (await post_form(client, f"/staff/events/{other.event.id}/mous/{mou_id}/sign", {})).status_code == 404
    response = await client.get(f"/staff/events/{fair.event.id}/mous")
    assert response.status_code == 400
    assert "không phải hội nghị kết nối" in text_of(response.text)
    assert (await client.get("/staff/events/999999/mous")).status_code == 404
    assert (await Mou.objects().first()).status == "agreed"


async def test_two_mous_given_the_same_slot_at_once_one_wins(clean_db):
    cast = await make_cast()
    event = await get_event_by_id(cast.conference.event.id)
    a = await _agreed_mou(cast)
    b = await _agreed_mou(cast, distributor=cast.distributor2)
    at = cast.conference.signing.starts_at + 2 * FIVE
    results = await asyncio.gather(
        ceremony.assign_slot(event, a, cast.conference.signing.id, at),
        ceremony.assign_slot(event, b, cast.conference.signing.id, at),
        return_exceptions=True,
    )
    assert sum(r is None for r in results) == 1 and sum(isinstance(r, Conflict) for r in results) == 1, results
    assert await Mou.count().where(Mou.signing_at == at) == 1


async def test_a_producer_without_products_cannot_be_offered_an_mou(client):
    cast = await make_cast()
    empty = await make_producer("HTX Chưa có sản phẩm", province="Nghệ An")
    await make_product(cast.producer, "Sản phẩm thêm")
    await make_user("producer", "trong@test.example", producer=empty)
    await _login(client, "pp1@test.example")
    page = text_of((await client.get(f"/my/mous/new?party={empty.id}")).text)
    assert "Chủ thể này chưa có sản phẩm; biên bản ghi nhớ cần ít nhất một sản phẩm." in page
