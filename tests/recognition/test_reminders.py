"""Reminders: the four lists on the staff page, and the daily digest delivered to a real SMTP
server (aiosmtpd, in this process) once a day, or written to the log when none is configured."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import logging
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

from events_app.booths.tables import BoothApplication
from events_app.core.clock import now, today
from events_app.core.i18n import format_date
from events_app.events.tables import Event, Venue
from events_app.matchmaking.tables import MeetingRequest
from events_app.recognition.tables import ReminderSent
from events_app.reminders import digest
from events_app.reminders.sending import send_digest
from events_app.reference.tables import Province
from tests.factories import make_distributor, make_producer, make_user
from tests.helpers import text_of
from tests.recognition.conftest import product_ending_in, signed_in
from tests.mou.builders import insert_mou


class Inbox:
    """An aiosmtpd handler keeping every message it is handed, as the server received it."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    with socket.socket() as probe:  # a free port: the controller checks it is up by connecting to it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


async def _event() -> Event:
    province = await Province.select(Province.id, Province.region).where(Province.name == "Đắk Lắk").first()
    venue = Venue(name="Trung tâm Hội nghị tỉnh", slug="tthn-dak-lak", province=province["id"])
    await venue.save()
    starts = now() + dt.timedelta(days=7)
    event = Event(slug="hoi-nghi-ket-noi", title_vi="Hội nghị kết nối cung cầu Miền Trung – Tây Nguyên", kind="conference",
                  status="published", venue=venue.id, province=province["id"], region=province["region"],
                  starts_at=starts, ends_at=starts + dt.timedelta(hours=8))
    await event.save()
    return event


async def _something_of_each_list():
    """One row of each list, each beside rows that are not due yet (or no longer)."""
    producer = await make_producer(name="HTX Chăn nuôi gà Tiên Yên", province="Quảng Ninh")
    buyers = [await make_distributor(name=name) for name in
              ("Saigon Co.op", "Central Retail", "MM Mega Market", "WinMart", "Bách hóa Xanh")]
    product = await product_ending_in(producer, 30, name="Gà Tiên Yên")
    await product_ending_in(producer, 120, name="Trứng gà Tiên Yên")  # not yet
    event = await _event()
    await BoothApplication(event=event.id, producer=producer.id, status="submitted").save()
    await BoothApplication(event=event.id, producer=(await make_producer()).id, status="approved").save()
    day = dt.timedelta(days=1)
    for buyer, created, expires in zip(buyers, (
            now() - 2 * day, now() - 8 * day, now() - 2 * day, now() - 9 * day, now() - 2 * day), (
            now() + day, None, now() + 10 * day, now() - day, None)):
        # expiring tomorrow, a week old without expiry: due; expiring later, expired, or recent: not
        await MeetingRequest(event=event.id, producer=producer.id, distributor=buyer.id, requested_by="distributor",
                             created_at=created, expires_at=expires).save()
    for title, status, signed, due in (
            ("Cung ứng gà Tiên Yên cho Co.opmart", "signed", 20, today() + dt.timedelta(days=3)),
            ("Gà Tiên Yên cho GO!", "signed", 90, None),
            ("Trứng gà cho MM Mega Market", "signed", 40, today() - dt.timedelta(days=2)),
            ("Gà ủ muối cho WinMart", "signed", 10, today() + dt.timedelta(days=30)),
            ("Gà đã giao cho Bách hóa Xanh", "fulfilled", 90, None)):
        await insert_mou(producer.id, buyers[0].id, event=event.id, proposed_by="producer", title=title,
                         status=status, signed_at=now() - signed * day, due_on=due)
    return producer, product


async def test_the_staff_page_lists_the_four_reminders_with_counts(client):
    await _something_of_each_list()
    staff = await make_user("staff")
    await signed_in(client, staff)
    page = text_of((await client.get("/staff/reminders")).text)
    assert "Giấy chứng nhận OCOP sắp hết hạn (1)" in page and "Gà Tiên Yên" in page
    assert "Trứng gà Tiên Yên" not in page
    assert "Đơn đăng ký gian hàng chờ xét duyệt (1)" in page
    assert "Yêu cầu gặp gỡ sắp hết hạn (2)" in page
    assert "HTX Chăn nuôi gà Tiên Yên / Saigon Co.op" in page and "HTX Chăn nuôi gà Tiên Yên / Central Retail" in page
    assert "MM Mega Market" not in page.split("Yêu cầu gặp gỡ")[1].split("Biên bản")[0]
    assert "Biên bản ghi nhớ cần theo dõi (3)" in page
    for title in ("Cung ứng gà Tiên Yên cho Co.opmart", "Gà Tiên Yên cho GO!", "Trứng gà cho MM Mega Market"):
        assert title in page
    assert "Gà ủ muối cho WinMart" not in page and "Gà đã giao" not in page


async def test_the_digest_reaches_the_smtp_server_once_a_day(clean_db, settings, smtp_server):
    inbox, port = smtp_server
    producer, product = await _something_of_each_list()
    staff = await make_user("staff", email="canbo@sct.nghean.gov.vn")
    admin = await make_user("admin", email="quantri@ocop.example")
    owner = await make_user("producer", email="htx.tienyen@example.vn", producer=producer)
    await make_user("distributor", email="muahang@coop.example")
    quiet = await make_user("producer", email="htx.khac@example.vn")  # nothing ending: no e-mail
    mail = settings.with_overrides(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False,
                                   mail_from="OCOP Nghệ An <ocop@sct.nghean.gov.vn>")

    run = await send_digest(mail)
    assert sorted(run.sent) == sorted([staff.email, admin.email, owner.email])
    received = {tuple(to): message for to, message in inbox.messages}
    assert set(received) == {(staff.email,), (admin.email,), (owner.email,)}
    assert quiet.email not in str(received)

    to_staff = received[(staff.email,)]
    assert to_staff["From"] == "OCOP Nghệ An <ocop@sct.nghean.gov.vn>"
    assert to_staff["Subject"] == f"Nhắc việc ngày {format_date(today())}: 7 việc cần xem"
    text = to_staff.get_body(("plain",)).get_content()
    html = to_staff.get_body(("html",)).get_content()
    ends = format_date(product.valid_until)
    assert f"Gà Tiên Yên (HTX Chăn nuôi gà Tiên Yên, Quảng Ninh): hết hạn ngày {ends} (còn 30 ngày)" in text
    assert "== Đơn đăng ký gian hàng chờ xét duyệt: 1 ==" in text
    assert "== Yêu cầu gặp gỡ sắp hết hạn: 2 ==" in text
    assert "Chưa được trả lời, hết hạn trong vòng 2 ngày (hoặc, nếu không có hạn, đã gửi hơn 7 ngày)." in text
    assert (f"- Cung ứng gà Tiên Yên cho Co.opmart: ký ngày {format_date(now() - dt.timedelta(days=20))}, "
            f"đến hạn ngày {format_date(today() + dt.timedelta(days=3))}") in text
    assert f"{mail.public_url}/staff/reminders" in text
    assert "Giấy chứng nhận OCOP sắp hết hạn: 1" in text_of(html)

    to_owner = received[(owner.email,)]
    assert to_owner["Subject"] == f"Giấy chứng nhận OCOP của bạn sắp hết hạn ({format_date(today())})"
    owner_text = to_owner.get_body(("plain",)).get_content()
    assert f"Gà Tiên Yên (4★, {product.certificate_number}): Giấy chứng nhận OCOP hết hạn ngày {ends} (còn 30 ngày)" in owner_text
    assert "Trứng gà" not in owner_text and "Đơn đăng ký" not in owner_text
    assert sorted(await ReminderSent.select(ReminderSent.recipient).output(as_list=True)) == sorted(run.sent)

    again = await send_digest(mail)
    assert again.sent == [] and sorted(again.already) == sorted(run.sent)
    assert len(inbox.messages) == 3


async def test_without_smtp_the_digest_is_logged_and_counts_as_unsent(clean_db, settings, caplog):
    producer, _ = await _something_of_each_list()
    staff = await make_user("staff", email="canbo@sct.nghean.gov.vn")
    assert settings.smtp_host == ""
    with caplog.at_level(logging.INFO, logger="events_app.reminders"):
        run = await send_digest(settings)
    assert run.logged == [staff.email] and run.sent == []
    logged = caplog.text
    assert "No SMTP_HOST set: the reminder to canbo@sct.nghean.gov.vn is not sent." in logged
    assert "Nhắc việc ngày" in logged and "Gà Tiên Yên" in logged
    assert await ReminderSent.count() == 0  # sent for real once a server is set


async def test_the_digest_links_lead_to_the_pages(app):
    for name, route in (("reminders", "staff_reminders"), ("recognition", "staff_recognition"),
                        ("applications", "staff_inbox"), ("my_recognition", "my_recognition")):
        assert app.route_reverse(route) == digest.PATHS[name]


def test_the_smtp_settings_come_from_the_environment():
    from events_app.core.settings import Settings

    env = {"DATABASE_URL": "sqlite:///x.sqlite3", "SECRET_KEY": "k", "SMTP_HOST": " mail.sct.gov.vn ", "SMTP_PORT": "2525",
           "SMTP_USER": "ocop", "SMTP_PASSWORD": "bí mật", "SMTP_STARTTLS": "false", "MAIL_FROM": "OCOP <ocop@sct.gov.vn>"}
    settings = Settings.from_env(env)
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_user, settings.smtp_password, settings.smtp_starttls,
            settings.mail_from) == ("mail.sct.gov.vn", 2525, "ocop", "bí mật", False, "OCOP <ocop@sct.gov.vn>")
    assert "bí mật" not in repr(settings)
    default = Settings.from_env({"DATABASE_URL": "sqlite:///x.sqlite3", "SECRET_KEY": "k"})
    assert (default.smtp_host, default.smtp_port, default.smtp_starttls) == ("", 587, True)
    with pytest.raises(ValueError):
        Settings.from_env({**env, "SMTP_PORT": "70000"})


async def test_two_runs_at_once_send_each_message_once(clean_db, settings, smtp_server):
    inbox, port = smtp_server
    await _something_of_each_list()
    staff = [await make_user("staff") for _ in range(3)]
    mail = settings.with_overrides(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False)
    first, second = await asyncio.gather(send_digest(mail), send_digest(mail))
    assert sorted(first.sent + second.sent) == sorted(user.email for user in staff)
    assert sorted(to[0] for to, _ in inbox.messages) == sorted(user.email for user in staff)


class RefusingInbox(Inbox):
    """A server that refuses one address, as a full mailbox would."""

    def __init__(self, refused: str) -> None:
        super().__init__()
        self.refused = refused

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.refused:
            return "550 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


async def test_a_refused_recipient_is_tried_again_on_the_next_run(clean_db, settings):
    await _something_of_each_list()
    kept, full = await make_user("staff", email="a@sct.example"), await make_user("staff", email="full@sct.example")
    inbox = RefusingInbox(full.email)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        mail = settings.with_overrides(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False)
        run = await send_digest(mail)
        assert (run.sent, run.failed) == ([kept.email], [full.email])
        assert await ReminderSent.select(ReminderSent.recipient).output(as_list=True) == [kept.email]
        inbox.refused = ""  # the mailbox has room again
        again = await send_digest(mail)
        assert (again.sent, again.already) == ([full.email], [kept.email])
    finally:
        controller.stop()
    assert [to for to, _ in inbox.messages] == [[kept.email], [full.email]]
