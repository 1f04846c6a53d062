"""MoUs of more than two parties, and between provincial agencies: staff arrange them through a
form of party rows; every page and document that shows an MoU names all its parties; each
producer or distributor party finds it among its own; results count it by province once per
province; existing two-party rows become party rows when migrated."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest

from events_app.core.audit import AuditLog
from events_app.core.db import engine
from events_app.directory.tables import Agency, Product
from events_app.events.services import get_event_by_id
from events_app.events.tables import Attendance
from events_app.mou import ceremony
from events_app.mou.parties import PartyRef, parse_party_key, party_errors
from events_app.mou.tables import Mou, MouParty, MouProduct
from events_app.reference.tables import Province
from tests.calendars.conftest import parse
from tests.calendars.test_private_feed import token_for
from tests.catalogue.test_conference_documents import keep, pdf_text
from tests.factories import PASSWORD, make_producer
from tests.helpers import login, post_form, text_of
from tests.matchmaking.builders import make_cast, make_conference
from tests.mou.builders import insert_mou, make_agency

DAK_LAK = "Sở Công Thương tỉnh Đắk Lắk"
NGHE_AN = "Sở Công Thương tỉnh Nghệ An"
FOUR_PARTIES = "Kết nối tiêu thụ cà phê và trà OCOP Đắk Lắk – Nghệ An"


async def _login(client, email):
    client.cookies.clear()
    await login(client, email, PASSWORD)


async def _product(producer, name: str) -> int:
    return (await Product.select(Product.id).where((Product.producer == producer.id) & (Product.name == name)).first())["id"]


async def _parties(mou_id: int) -> list[tuple]:
    rows = await MouParty.select().where(MouParty.mou == mou_id).order_by(MouParty.position)
    return [(r["position"], r["kind"], r[r["kind"]], r["representative"], r["representative_title"]) for r in rows]


def _form(rows: list[tuple[str, str, str]], **fields) -> list[tuple[str, str]]:
    data = [("rows", str(len(rows)))]
    for index, (party, representative, title) in enumerate(rows):
        data += [(f"party_{index}", party), (f"representative_{index}", representative), (f"title_{index}", title)]
    for name, value in fields.items():
        data += [(name, v) for v in value] if isinstance(value, list) else [(name, value)]
    return data


@pytest.fixture
async def world(clean_db):
    cast = await make_cast()
    cast.dak_lak = await make_agency(DAK_LAK, "Đắk Lắk", representative="Trần Văn Bình", title="Giám đốc Sở")
    return cast


async def _four_party_mou(client, cast) -> int:
    """Staff arrange the Đắk Lắk agency, Co.op and both producers in one MoU, through the form."""
    await _login(client, "staff@test.example")
    base = f"/staff/events/{cast.conference.event.id}/mous"
    response = await post_form(client, f"{base}/new", _form([
        (f"agency:{cast.dak_lak}", "", ""),
        (f"distributor:{cast.distributor.id}", "Lê Thị Hoa", "Giám đốc thu mua"),
        (f"producer:{cast.producer.id}", "Nguyễn Văn Sơn", "Giám đốc HTX"),
        (f"producer:{cast.producer2.id}", "Y Điêng Niê", "Chủ nhiệm HTX"),
    ], title=FOUR_PARTIES, value_vnd="2.000.000.000", volume="40 tấn/năm",
       terms="Sở Công Thương hỗ trợ xúc tiến; Co.op bao tiêu; hai HTX cung ứng.",
       product_ids=[str(await _product(cast.producer, "Trà linh chi")), str(await _product(cast.producer2, "Cà phê rang xay"))]))
    assert response.status_code in (302, 303), text_of(response.text)[:2000]
    return (await Mou.select(Mou.id).where(Mou.title == FOUR_PARTIES).first())["id"]


def test_party_rows_are_checked_for_two_distinct_parties_and_no_duplicate():
    a, b = PartyRef("producer", 1), PartyRef("distributor", 1)
    assert party_errors([a, b]) == ({}, None)
    by_row, whole = party_errors([a, None])
    assert by_row == {} and whole.message == "An MoU needs at least two different parties."
    by_row, whole = party_errors([a, b, PartyRef("producer", 1, "someone else")])
    assert list(by_row) == [2] and whole is None
    by_row, whole = party_errors([a, a])
    assert list(by_row) == [1] and whole.message == "An MoU needs at least two different parties."
    _, whole = party_errors([PartyRef("agency", n) for n in range(1, 12)])
    assert whole.message == "An MoU has at most %(n)d parties."
    assert parse_party_key("agency:12") == ("agency", 12)
    for bad in ("agency", "agency:", "agency:0", "agency:-1", "admin:1", "producer:1e3", "producer:" + "9" * 12, ""):
        assert parse_party_key(bad) is None, bad


async def test_staff_arrange_an_mou_of_four_parties_every_party_sees_it(client, world):
    cast = world
    mou_id = await _four_party_mou(client, cast)
    assert await _parties(mou_id) == [
        (0, "agency", cast.dak_lak, "", ""),
        (1, "distributor", cast.distributor.id, "Lê Thị Hoa", "Giám đốc thu mua"),
        (2, "producer", cast.producer.id, "Nguyễn Văn Sơn", "Giám đốc HTX"),
        (3, "producer", cast.producer2.id, "Y Điêng Niê", "Chủ nhiệm HTX"),
    ]
    mou = await Mou.objects().where(Mou.id == mou_id).first()
    assert (mou.status, mou.proposed_by, mou.value_vnd, mou.event) == ("agreed", "staff", 2_000_000_000, cast.conference.event.id)
    assert await MouProduct.count().where(MouProduct.mou == mou_id) == 2
    entry = await AuditLog.objects().where(AuditLog.action == "mou.arranged").first()
    assert entry.target_id == mou_id and f"agency:{cast.dak_lak}" in entry.detail

    page = text_of((await client.get(f"/staff/events/{cast.conference.event.id}/mous/{mou_id}")).text)
    assert "Đã lưu biên bản ghi nhớ và các bên ký." in page and "4 bên" in page
    for expected in (f"Bên A {DAK_LAK} · Cơ quan cấp tỉnh: Sở Công Thương · Đắk Lắk", "người ký: Trần Văn Bình, Giám đốc Sở",
                     "Bên B Siêu thị Co.op Test", "Bên C HTX Trà Con Cuông", "Bên D HTX Cà phê Buôn Ma Thuột",
                     "người ký: Y Điêng Niê, Chủ nhiệm HTX", "ban tổ chức, cùng các bên"):
        assert expected in page, expected
    listing = text_of((await client.get(f"/staff/events/{cast.conference.event.id}/mous")).text)
    assert f"{DAK_LAK} – Siêu thị Co.op Test – HTX Trà Con Cuông – HTX Cà phê Buôn Ma Thuột" in listing

    for email, others in (("sx1@test.example", (DAK_LAK, "Siêu thị Co.op Test", "HTX Cà phê Buôn Ma Thuột")),
                          ("sx2@test.example", (DAK_LAK, "Siêu thị Co.op Test", "HTX Trà Con Cuông")),
                          ("pp1@test.example", (DAK_LAK, "HTX Trà Con Cuông", "HTX Cà phê Buôn Ma Thuột"))):
        await _login(client, email)
        mine = text_of((await client.get("/my/mous")).text)
        assert FOUR_PARTIES in mine and " ".join(others) + " do ban tổ chức sắp xếp" in mine, (email, mine)
        detail = await client.get(f"/my/mous/{mou_id}")
        assert "Ban tổ chức quản lý biên bản ghi nhớ nhiều bên này đến khi ký" in text_of(detail.text)
        assert f"/my/mous/{mou_id}/withdraw" not in detail.text and f"/my/mous/{mou_id}/agree" not in detail.text
        refused = await post_form(client, f"/my/mous/{mou_id}/withdraw", {})
        assert refused.status_code == 400
        assert "Biên bản ghi nhớ này do ban tổ chức quản lý" in text_of(refused.text)
    assert (await Mou.objects().where(Mou.id == mou_id).first()).status == "agreed"

    await _login(client, "pp2@test.example")  # Central Retail is no party of it
    assert (await client.get(f"/my/mous/{mou_id}")).status_code == 404
    assert (await client.get(f"/my/mous/{mou_id}/mou.pdf")).status_code == 404
    assert FOUR_PARTIES not in text_of((await client.get("/my/mous")).text)


async def test_the_mou_document_has_every_party_and_a_signature_block_each(client, world):
    cast = world
    mou_id = await _four_party_mou(client, cast)
    await _login(client, "sx2@test.example")
    response = await client.get(f"/my/mous/{mou_id}/mou.pdf")
    keep("mou-four-parties-vi.pdf", response.content)
    text = pdf_text(response.content)
    for expected in ("Bên A: cơ quan cấp tỉnh", DAK_LAK, "Đại diện: Trần Văn Bình, Giám đốc Sở",
                     "Bên B: nhà phân phối", "Siêu thị Co.op Test", "Đại diện: Lê Thị Hoa, Giám đốc thu mua",
                     "Bên C: chủ thể OCOP", "HTX Trà Con Cuông", "Bên D: chủ thể OCOP", "HTX Cà phê Buôn Ma Thuột",
                     "4 bên ghi nhận ý định chung", "Trà linh chi", "Cà phê rang xay", "2.000.000.000 ₫",
                     "Đại diện Bên A", "Đại diện Bên B", "Đại diện Bên C", "Đại diện Bên D", "Y Điêng Niê, Chủ nhiệm HTX"):
        assert expected in text, expected
    assert text.count("(ký, ghi rõ họ tên, đóng dấu)") == 4

    await post_form(client, "/language", {"language": "en", "next": "/"})
    english = pdf_text((await client.get(f"/my/mous/{mou_id}/mou.pdf")).content)
    for expected in ("Party A: provincial agency", "Party B: distributor", "Party C: producer", "Party D: producer",
                     "Department of Industry and Trade", "The 4 parties record", "For Party D", DAK_LAK):
        assert expected in english, expected
    assert english.count("(signature, full name, seal)") == 4


async def test_two_agencies_sign_a_cooperation_agreement_counted_in_both_provinces(client, world, monkeypatch):
    cast = world
    event_id = cast.conference.event.id
    await _login(client, "staff@test.example")
    nghe_an = (await Province.select(Province.id).where(Province.name == "Nghệ An").first())["id"]
    response = await post_form(client, f"/staff/events/{event_id}/mous/new", _form(
        [(f"agency:{cast.dak_lak}", "", ""), ("", "", "")],
        new_agency_name=NGHE_AN, new_agency_kind="industry_trade_department", new_agency_province=str(nghe_an),
        new_agency_representative="Phạm Thị Lan", new_agency_title="Phó Giám đốc Sở",
        title="Hợp tác xúc tiến thương mại Đắk Lắk – Nghệ An 2027–2029", value_vnd="0",
    ))
    assert response.status_code in (302, 303), text_of(response.text)[:1500]
    agency = await Agency.objects().where(Agency.name == NGHE_AN).first()
    assert (agency.province, agency.representative, agency.agency_kind) == (nghe_an, "Phạm Thị Lan", "industry_trade_department")
    mou_id = (await Mou.select(Mou.id).where(Mou.title.like("Hợp tác xúc tiến%")).first())["id"]
    assert await _parties(mou_id) == [(0, "agency", cast.dak_lak, "", ""),
                                      (1, "agency", agency.id, "Phạm Thị Lan", "Phó Giám đốc Sở")]
    assert await MouProduct.count().where(MouProduct.mou == mou_id) == 0

    # In the ceremony, signed; a producer-and-distributor MoU signed beside it.
    pair = await insert_mou(cast.producer.id, cast.distributor2.id, event=event_id, proposed_by="producer",
                            title="Trà cho GO!", value_vnd=400_000_000, status="agreed")
    await MouProduct.insert(MouProduct(mou=pair, product=await _product(cast.producer, "Trà linh chi")))
    event = await get_event_by_id(event_id)
    assert await ceremony.order_ceremony(event) == (2, 0)
    moment = cast.conference.signing.ends_at - dt.timedelta(minutes=1)
    monkeypatch.setattr(ceremony, "now", lambda: moment)
    for mou in (mou_id, pair):
        await ceremony.mark_signed(event, mou)

    show = text_of((await client.get(f"/staff/events/{event_id}/ceremony/run-of-show")).text)
    assert f"A. {DAK_LAK} (Đắk Lắk) Trần Văn Bình, Giám đốc Sở B. {NGHE_AN} (Nghệ An) Phạm Thị Lan, Phó Giám đốc Sở" in show
    pdf = pdf_text((await client.get(f"/staff/events/{event_id}/ceremony/run-of-show.pdf")).content)
    assert f"A. {DAK_LAK} (Đắk Lắk)" in pdf and f"B. {NGHE_AN} (Nghệ An)" in pdf and "Phạm Thị Lan, Phó Giám đốc Sở" in pdf

    document = pdf_text((await client.get(f"/staff/events/{event_id}/mous/{mou_id}/mou.pdf")).content)
    assert "Bên A: cơ quan cấp tỉnh" in document and "Bên B: cơ quan cấp tỉnh" in document
    assert "Sản phẩm" not in document.split("Giá trị ước tính")[0].split("Bên B")[1]  # no products row

    client.cookies.clear()
    results = text_of((await client.get(f"/events/{cast.conference.slug}/results")).text)
    provinces = results[results.index("Theo tỉnh, thành"):results.index("Theo nhóm sản phẩm")]
    # The agencies' MoU (no value) counts in both their provinces; the tea MoU in its producer's.
    assert "Nghệ An 2 400.000.000 ₫" in provinces and "Đắk Lắk 1 0 ₫" in provinces, provinces
    assert "2 biên bản ghi nhớ đã ký" in results.lower()


async def test_a_multi_party_mou_counts_once_per_province_of_its_producers(client, world, monkeypatch):
    cast = world
    mou_id = await _four_party_mou(client, cast)
    third = await make_producer("HTX Sen quê Bác", province="Nghệ An")
    await Attendance(event=cast.conference.event.id, producer=third.id).save()
    await MouParty.insert(MouParty(mou=mou_id, position=4, kind="producer", producer=third.id))
    event = await get_event_by_id(cast.conference.event.id)
    await ceremony.order_ceremony(event)
    monkeypatch.setattr(ceremony, "now", lambda: cast.conference.signing.ends_at)
    await ceremony.mark_signed(event, mou_id)
    client.cookies.clear()
    results = text_of((await client.get(f"/events/{cast.conference.slug}/results")).text)
    provinces = results[results.index("Theo tỉnh, thành"):results.index("Theo nhóm sản phẩm")]
    # Two producers of Nghệ An count it once there; its agency's province does not place it, its producers do.
    assert "Nghệ An 1 2.000.000.000 ₫" in provinces and "Đắk Lắk 1 2.000.000.000 ₫" in provinces, provinces
    figures = results[:results.index("Theo dõi thực hiện")]
    assert "1 biên bản ghi nhớ đã ký" in figures.lower() and "2.000.000.000 ₫ tổng giá trị đã ký" in figures


async def test_the_form_refuses_bad_parties_clearly_and_saves_nothing(client, world):
    cast = world
    base = f"/staff/events/{cast.conference.event.id}/mous"
    await _login(client, "staff@test.example")
    tea = str(await _product(cast.producer, "Trà linh chi"))
    outsider = await make_producer("HTX Không tham dự", province="Nghệ An")
    cases = [
        (_form([(f"producer:{cast.producer.id}", "", ""), ("", "", "")], title="Một bên", value_vnd="1", product_ids=[tea]),
         "Biên bản ghi nhớ cần ít nhất hai bên khác nhau."),
        (_form([(f"producer:{cast.producer.id}", "", ""), (f"producer:{cast.producer.id}", "", "")],
               title="Trùng", value_vnd="1", product_ids=[tea]),
         "Bên này đã có tên ở trên; mỗi bên chỉ ký một lần."),
        (_form([("producer:abc", "", ""), (f"distributor:{cast.distributor.id}", "", "")], title="Sai", value_vnd="1"),
         "Chọn một trong các lựa chọn."),
        (_form([(f"producer:{outsider.id}", "", ""), (f"distributor:{cast.distributor.id}", "", "")],
               title="Ngoài hội nghị", value_vnd="1"),
         "Chọn một bên trong danh sách: chủ thể hoặc nhà phân phối đã đăng ký hội nghị này, hoặc một cơ quan."),
        (_form([(f"agency:{cast.dak_lak}", "", ""), (f"distributor:{cast.distributor.id}", "", ""),
                (f"producer:{cast.producer2.id}", "", "")], title="Sản phẩm lạ", value_vnd="1", product_ids=[tea]),
         "Chọn trong các sản phẩm của các chủ thể là bên ký."),
        (_form([(f"agency:{cast.dak_lak}", "", ""), (f"producer:{cast.producer.id}", "", "")], title="Không sản phẩm",
               value_vnd="1"),
         "Chọn ít nhất một sản phẩm của các chủ thể là bên ký."),
        (_form([(f"agency:{cast.dak_lak}", "x" * 201, ""), (f"agency:{2**40}", "", "")], title="", value_vnd="-1"),
         "Dùng tối đa 200 ký tự."),
        (_form([(f"agency:{cast.dak_lak}", "", "")], new_agency_name=DAK_LAK, new_agency_kind="ministry",
               new_agency_province="999999", title="Cơ quan mới", value_vnd="0"),
         "Chọn tỉnh, thành của cơ quan."),
    ]
    for data, message in cases:
        response = await post_form(client, f"{base}/new", data)
        assert response.status_code == 400, (message, response.status_code, text_of(response.text)[:800])
        assert message in text_of(response.text), (message, text_of(response.text)[:3000])
    # A hand-made row count is bounded, and a form without its CSRF token is refused.
    response = await post_form(client, f"{base}/new", [("rows", "99999999999999999999"), ("party_0", f"agency:{cast.dak_lak}")])
    assert response.status_code == 400 and 'name="party_9"' in response.text and 'name="party_10"' not in response.text
    forged = await client.post(f"{base}/new", data={"rows": "2", "party_0": f"agency:{cast.dak_lak}",
                                                     "party_1": f"producer:{cast.producer.id}", "title": "x", "value_vnd": "0"})
    assert forged.status_code == 403, text_of(forged.text)[:600]
    assert await Mou.count() == 0 and await MouParty.count() == 0 and await Agency.count() == 1

    more = await post_form(client, f"{base}/new", _form([(f"agency:{cast.dak_lak}", "", ""), ("", "", ""), ("", "", "")],
                                                        add_row="1", title="Giữ lại"))
    assert more.status_code == 200 and 'name="party_3"' in more.text and 'value="Giữ lại"' in more.text
    assert await Mou.count() == 0

    # Not a conference, no such MoU, not staff: said, never an error page.
    fair = await make_conference("hoi-cho-ocop", kind="fair")
    response = await client.get(f"/staff/events/{fair.event.id}/mous/new")
    assert response.status_code == 400 and "không phải hội nghị kết nối" in text_of(response.text)
    assert (await client.get(f"{base}/999999/edit")).status_code == 404
    assert (await post_form(client, f"{base}/999999/edit", _form([("", "", ""), ("", "", "")]))).status_code == 404
    await _login(client, "sx1@test.example")
    assert (await client.get(f"{base}/new")).status_code == 403
    assert (await post_form(client, f"{base}/new", _form([(f"agency:{cast.dak_lak}", "", ""),
                                                          (f"producer:{cast.producer.id}", "", "")], title="x", value_vnd="0"))).status_code == 403
    assert await Mou.count() == 0


async def test_staff_change_the_parties_of_an_open_mou_but_not_of_a_signed_one(client, world, monkeypatch):
    cast = world
    event_id = cast.conference.event.id
    mou_id = await insert_mou(cast.producer.id, cast.distributor.id, event=event_id, proposed_by="distributor",
                              title="Trà cho Co.opmart", value_vnd=150_000_000, status="proposed")
    tea = await _product(cast.producer, "Trà linh chi")
    await MouProduct.insert(MouProduct(mou=mou_id, product=tea))
    await _login(client, "staff@test.example")
    form = await client.get(f"/staff/events/{event_id}/mous/{mou_id}/edit")
    assert f'<option value="producer:{cast.producer.id}" selected>' in form.text and 'value="Trà cho Co.opmart"' in form.text

    response = await post_form(client, f"/staff/events/{event_id}/mous/{mou_id}/edit", _form([
        (f"producer:{cast.producer.id}", "", ""), (f"distributor:{cast.distributor.id}", "", ""),
        (f"agency:{cast.dak_lak}", "Trần Văn Bình", "Giám đốc Sở"),
    ], title="Trà cho Co.opmart, có Sở Công Thương đồng hành", value_vnd="150.000.000", product_ids=[str(tea)]))
    assert response.status_code in (302, 303), text_of(response.text)[:1500]
    assert [p[:3] for p in await _parties(mou_id)] == [(0, "producer", cast.producer.id),
                                                      (1, "distributor", cast.distributor.id), (2, "agency", cast.dak_lak)]
    entry = await AuditLog.objects().where(AuditLog.action == "mou.changed").first()
    assert entry.target_id == mou_id and f"agency:{cast.dak_lak}" in entry.after and f"agency:{cast.dak_lak}" not in entry.before
    # The proposal, widened to an agency, is the organisers' to keep now: agreed by all, ready for the ceremony.
    changed = await Mou.objects().where(Mou.id == mou_id).first()
    assert (changed.status, changed.title) == ("agreed", "Trà cho Co.opmart, có Sở Công Thương đồng hành")
    assert '"status": "proposed"' in entry.before and '"status": "agreed"' in entry.after

    # The producer's agenda and private calendar name the MoU's other parties.
    event = await get_event_by_id(event_id)
    await ceremony.order_ceremony(event)
    attendance = (await Attendance.select(Attendance.id).where(
        (Attendance.event == event_id) & (Attendance.producer == cast.producer.id)).first())["id"]
    await _login(client, "sx1@test.example")
    agenda = text_of((await client.get(f"/my/agendas/{attendance}")).text)
    assert f"Ký biên bản ghi nhớ với Siêu thị Co.op Test, {DAK_LAK}" in agenda, agenda
    feed = parse((await client.get(f"/feeds/{await token_for(cast.producer_user)}.ics")).content)
    summaries = [str(e["SUMMARY"]) for e in feed.events if str(e["UID"]).startswith("mou-")]
    assert summaries == [f"Ký biên bản ghi nhớ với Siêu thị Co.op Test, {DAK_LAK}"], summaries

    monkeypatch.setattr(ceremony, "now", lambda: cast.conference.signing.ends_at)
    await ceremony.mark_signed(event, mou_id)
    await _login(client, "staff@test.example")
    assert (await client.get(f"/staff/events/{event_id}/mous/{mou_id}/edit")).status_code == 409
    late = await post_form(client, f"/staff/events/{event_id}/mous/{mou_id}/edit", _form(
        [(f"producer:{cast.producer.id}", "", ""), (f"distributor:{cast.distributor2.id}", "", "")],
        title="Đổi sau khi ký", value_vnd="1", product_ids=[str(tea)]))
    assert late.status_code == 409 and "Không thể sửa biên bản ghi nhớ đã ký hoặc đã kết thúc." in text_of(late.text)
    assert len(await _parties(mou_id)) == 3


async def test_the_migration_makes_party_rows_of_two_party_mous(clean_db):
    """The columns the MoU had before its parties had rows, put back for the test, then removed."""
    migration = importlib.import_module("events_app.mou.piccolo_migrations.mou_2026_12_03t10_00_01_000000")
    cast = await make_cast()
    db = engine()
    await db.run_ddl("ALTER TABLE mou ADD COLUMN producer INTEGER")
    await db.run_ddl("ALTER TABLE mou ADD COLUMN distributor INTEGER")
    try:
        ids = []
        for producer, distributor in ((cast.producer, cast.distributor), (cast.producer2, cast.distributor2)):
            rows = await Mou.insert(Mou(event=cast.conference.event.id, proposed_by="producer", title=producer.name))
            ids.append(rows[0]["id"])
            await db.run_ddl(f"UPDATE mou SET producer = {producer.id}, distributor = {distributor.id} WHERE id = {ids[-1]}")
        await migration.parties_from_columns()
    finally:
        for column in ("producer", "distributor"):
            await db.run_ddl(f"ALTER TABLE mou DROP COLUMN {column}")
    assert [p[:3] for p in await _parties(ids[0])] == [(0, "producer", cast.producer.id), (1, "distributor", cast.distributor.id)]
    assert [p[:3] for p in await _parties(ids[1])] == [(0, "producer", cast.producer2.id), (1, "distributor", cast.distributor2.id)]
    # The party rows' rules hold on both engines: one organisation per row, none twice in an MoU.
    for bad in (MouParty(mou=ids[0], position=2, kind="producer", producer=cast.producer.id),
                MouParty(mou=ids[0], position=2, kind="agency"),
                MouParty(mou=ids[0], position=2, kind="producer", producer=cast.producer2.id, distributor=cast.distributor.id)):
        with pytest.raises(Exception):
            await MouParty.insert(bad)
    assert await MouParty.count() == 4
