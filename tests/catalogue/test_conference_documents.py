"""The printed documents of a connection conference: the programme, a participant's agenda, the
table grid staff post at the venue and the MoU document. Their text, read back with pypdf, names
the times, tables, parties and value; a party reads only its own, staff any of the event."""

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from events_app.events.services import get_event_by_id
from events_app.events.tables import Attendance, Event, Session
from events_app.mou import agenda
from events_app.mou.tables import Mou
from tests.factories import PASSWORD, make_producer, make_user
from tests.helpers import login, post_form
from tests.mou.builders import make_agenda


def pdf_text(content: bytes) -> str:
    assert content[:5] == b"%PDF-", content[:200]
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages)


def keep(name: str, content: bytes) -> None:
    """With KEEP_PDFS=folder set, the PDFs are written there to be looked at."""
    if folder := os.environ.get("KEEP_PDFS"):
        Path(folder, name).write_bytes(content)


async def _login(client, email):
    client.cookies.clear()
    await login(client, email, PASSWORD)


async def _attendance(event_id: int, *, producer=None, distributor=None) -> int:
    column = Attendance.producer if producer else Attendance.distributor
    org = producer or distributor
    return (await Attendance.select(Attendance.id).where((Attendance.event == event_id) & (column == org.id)).first())["id"]


@pytest.fixture
async def world(clean_db):
    return await make_agenda()


async def test_the_programme_pdf_lists_the_sessions_by_day_with_their_rooms(client, world):
    slug = world.cast.conference.slug
    response = await client.get(f"/events/{slug}/agenda.pdf")  # a visitor
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    keep("programme.pdf", response.content)
    text = pdf_text(response.content)
    day = world.cast.conference.plenary.starts_at.astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert "Chương trình" in text and f"Hội nghị kết nối cung cầu {slug}" in text and f"{day:%d/%m/%Y}" in text
    for expected in ("08:00–09:30", "Phiên toàn thể", "09:45–10:45", "Kết nối giao thương B2B", "Sảnh B2B",
                     "14:00–15:00", "Lễ ký kết biên bản ghi nhớ", "Hội trường A"):
        assert expected in text, expected
    assert text.index("Phiên toàn thể") < text.index("Kết nối giao thương B2B") < text.index("Lễ ký kết biên bản ghi nhớ")
    assert "HTX Trà Con Cuông" not in text  # the public programme names nobody's meetings

    assert (await client.get("/events/khong-co/agenda.pdf")).status_code == 404
    await post_form(client, "/language", {"language": "en", "next": "/"})
    english = pdf_text((await client.get(f"/events/{slug}/agenda.pdf")).content)
    assert "Programme" in english and "Connection conference" in english and "Hội trường A" in english
    await Event.update({Event.status: "draft"}).where(Event.id == world.event_id)
    assert (await client.get(f"/events/{slug}/agenda.pdf")).status_code == 404


async def test_a_producer_prints_its_agenda_with_its_meetings_tables_and_signing_slot(client, world):
    cast = world.cast
    attendance_id = await _attendance(world.event_id, producer=cast.producer)
    await _login(client, "sx1@test.example")
    page = await client.get(f"/my/agendas/{attendance_id}")
    assert page.status_code == 200
    assert f'href="/my/agendas/{attendance_id}/agenda.pdf"' in page.text
    assert f'href="/my/agendas/{attendance_id}"' in (await client.get("/my/agendas")).text

    response = await client.get(f"/my/agendas/{attendance_id}/agenda.pdf")
    assert response.status_code == 200 and "private" in response.headers["cache-control"]
    keep("agenda.pdf", response.content)
    text = pdf_text(response.content)
    assert "Chương trình làm việc của HTX Trà Con Cuông" in text
    assert "2 cuộc gặp" in text and "1 lượt ký biên bản ghi nhớ" in text
    # In time order: the plenary, Co.op at table 2, Central Retail at table 3, then the signing.
    order = ["08:00–09:30", "09:45–10:05", "Bàn số 2", "Gặp gỡ giao thương với Siêu thị Co.op Test", "10:05–10:25", "Bàn số 3",
             "Gặp gỡ giao thương với Central Retail Test", "14:10–14:15", "Ký biên bản ghi nhớ với Siêu thị Co.op Test"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions), list(zip(order, positions))
    assert "168 Nguyễn Đình Chiểu, TP Hồ Chí Minh" in text and "pp1@test.example" in text  # how to reach Co.op
    assert "Nấm linh chi" in text and "Trà linh chi" in text  # the products concerned
    assert "1.250.000.000 ₫" in text
    assert "HTX Cà phê Buôn Ma Thuột" not in text  # another producer's meeting
    assert "Bàn số 1" not in text


async def test_the_other_side_sees_the_producer_and_how_to_reach_it(client, world):
    cast = world.cast
    attendance_id = await _attendance(world.event_id, distributor=cast.distributor)
    await _login(client, "pp1@test.example")
    text = pdf_text((await client.get(f"/my/agendas/{attendance_id}/agenda.pdf")).content)
    assert "Gặp gỡ giao thương với HTX Trà Con Cuông" in text and "Bàn số 2" in text and "0238 3871 234" in text
    assert "Gặp gỡ giao thương với HTX Cà phê Buôn Ma Thuột" in text and "Bàn số 1" in text and "Cà phê rang xay" in text
    assert text.index("Bàn số 2") < text.index("Bàn số 1")  # 09:45 before 10:05


async def test_an_agenda_is_its_partys_own_and_staff_print_any(client, world):
    cast = world.cast
    theirs = await _attendance(world.event_id, producer=cast.producer)
    for email in ("sx2@test.example", "pp2@test.example"):
        await _login(client, email)
        assert (await client.get(f"/my/agendas/{theirs}")).status_code == 404
        assert (await client.get(f"/my/agendas/{theirs}/agenda.pdf")).status_code == 404
        assert (await client.get(f"/my/mous/{world.mou}/mou.pdf")).status_code == 404
        assert (await client.get(f"/staff/events/{world.event_id}/agendas/{theirs}/agenda.pdf")).status_code == 403
    outsider = await make_producer("HTX Không tham dự")
    await make_user("producer", "ngoai@test.example", producer=outsider)
    await _login(client, "ngoai@test.example")
    assert (await client.get(f"/my/agendas/{theirs}/agenda.pdf")).status_code == 404
    client.cookies.clear()
    assert (await client.get(f"/my/agendas/{theirs}/agenda.pdf")).status_code in (401, 302, 303)

    await _login(client, "staff@test.example")
    listing = (await client.get(f"/staff/events/{world.event_id}/agendas")).text
    assert f"/staff/events/{world.event_id}/agendas/{theirs}/agenda.pdf" in listing
    response = await client.get(f"/staff/events/{world.event_id}/agendas/{theirs}/agenda.pdf")
    assert "Chương trình làm việc của HTX Trà Con Cuông" in pdf_text(response.content)
    other = await Event.select(Event.id).where(Event.id != world.event_id).first()
    assert other is None or (await client.get(f"/staff/events/{other['id']}/agendas/{theirs}/agenda.pdf")).status_code == 404
    assert (await client.get(f"/staff/events/{world.event_id}/mous/{world.mou}/mou.pdf")).status_code == 200


async def test_the_table_grid_puts_each_pair_at_its_slot_and_table(client, world):
    b2b = world.cast.conference.b2b
    await Session.update({Session.tables_count: 8}).where(Session.id == b2b.id)  # wider than an A4 page takes
    await _login(client, "staff@test.example")
    listing = (await client.get(f"/staff/events/{world.event_id}/agendas")).text
    url = f"/staff/events/{world.event_id}/sessions/{b2b.id}/tables.pdf"
    assert f'href="{url}"' in listing
    response = await client.get(url)
    assert response.status_code == 200
    keep("grid.pdf", response.content)
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height) and round(float(box.width)) == 1191  # A3 landscape, in points
    text = pdf_text(response.content)
    assert "Kết nối giao thương B2B" in text and "Bàn số 1" in text and "Bàn số 8" in text
    assert "09:45–10:05" in text and "10:05–10:25" in text and "10:25–10:45" in text
    first_row = text[text.index("09:45–10:05"):text.index("10:05–10:25")]
    assert "HTX Trà Con Cuông × Siêu thị Co.op Test" in first_row
    second_row = text[text.index("10:05–10:25"):text.index("10:25–10:45")]
    assert second_row.index("HTX Cà phê Buôn Ma Thuột × Siêu thị Co.op Test") < second_row.index(
        "HTX Trà Con Cuông × Central Retail Test")  # table 1 before table 3
    assert "Central Retail Test" not in text[text.index("10:25–10:45"):]  # the cancelled meeting is left out

    grid = await agenda.table_grid(await get_event_by_id(world.event_id), b2b.id, "http://x")
    [sheet] = grid["pages"]
    assert [[bool(c) for c in row["cells"]] for row in sheet["rows"]] == [
        [False, True] + [False] * 6, [True, False, True] + [False] * 5, [False] * 8]

    # Twenty tables: two sheets of ten across, each with every slot.
    await Session.update({Session.tables_count: 20}).where(Session.id == b2b.id)
    wide = await agenda.table_grid(await get_event_by_id(world.event_id), b2b.id, "http://x")
    assert [s["tables"] for s in wide["pages"]] == [list(range(1, 11)), list(range(11, 21))]
    assert [len(s["rows"]) for s in wide["pages"]] == [3, 3]
    content = (await client.get(url)).content
    keep("grid-wide.pdf", content)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 2
    assert "Bàn số 10" in reader.pages[0].extract_text() and "Bàn số 11" in reader.pages[1].extract_text()

    plenary = world.cast.conference.plenary.id
    assert (await client.get(f"/staff/events/{world.event_id}/sessions/{plenary}/tables.pdf")).status_code == 404
    await Session.update({Session.tables_count: 3}).where(Session.id == b2b.id)
    narrow = PdfReader(io.BytesIO((await client.get(url)).content)).pages[0].mediabox
    assert round(float(narrow.width)) == 842 and round(float(narrow.height)) == 595  # A4 landscape


async def test_the_mou_document_names_the_parties_products_value_and_signing(client, world):
    await _login(client, "sx1@test.example")
    detail = await client.get(f"/my/mous/{world.mou}")
    assert f'href="/my/mous/{world.mou}/mou.pdf"' in detail.text
    response = await client.get(f"/my/mous/{world.mou}/mou.pdf")
    assert response.status_code == 200 and "private" in response.headers["cache-control"]
    keep("mou-vi.pdf", response.content)
    text = pdf_text(response.content)
    reference = f"BBGN-{world.event_id:04d}-{world.mou:06d}"
    for expected in ("Biên bản ghi nhớ", reference, "Cung ứng trà linh chi cho hệ thống Co.opmart",
                     "Bên A: chủ thể OCOP", "HTX Trà Con Cuông", "0238 3871 234", "Xã Môn Sơn, huyện Con Cuông",
                     "Bên B: nhà phân phối", "Siêu thị Co.op Test", "168 Nguyễn Đình Chiểu", "pp1@test.example",
                     "Trà linh chi", "1.250.000.000 ₫", "tính bằng đồng Việt Nam", "2.000 hộp mỗi quý",
                     "Giao hàng hằng tháng tại kho Bình Dương.", "Lễ ký kết biên bản ghi nhớ", "14:10",
                     "Đại diện Bên A", "Đại diện Bên B", "Trạng thái: Đã đồng ý"):
        assert expected in text, expected
    due = (await Mou.objects().where(Mou.id == world.mou).first()).due_on
    assert f"Hạn giao hàng hoặc đặt hàng lần đầu {due:%d/%m/%Y}" in text

    await post_form(client, "/language", {"language": "en", "next": "/"})  # the reader's language
    english = await client.get(f"/my/mous/{world.mou}/mou.pdf")
    keep("mou-en.pdf", english.content)
    text = pdf_text(english.content)
    for expected in ("Memorandum of understanding", reference, "Party A: producer", "Party B: distributor",
                     "HTX Trà Con Cuông", "Siêu thị Co.op Test", "in Vietnamese đồng", "For Party A", "Agreed"):
        assert expected in text, expected
    assert "Bên A" not in text
