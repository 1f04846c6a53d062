"""Sessions end when unused for a while and at a deadline by role; an account logs out everywhere,
by itself or by an administrator; log-in and log-out give the browser a new CSRF token."""

import datetime as dt
import json

import pytest

from events_app.accounts.sessions import DEADLINE
from events_app.accounts.tables import WebSession
from events_app.core.audit import AuditLog
from events_app.core.clock import now
from events_app.core.settings import Settings
from tests.accounts.test_administration import _client
from tests.factories import PASSWORD, make_user
from tests.helpers import CSRF_COOKIE, SESSION_COOKIE, login, post_form, text_of

ENDED_VI = ("Bạn đã bị đăng xuất: phiên đăng nhập đã kết thúc vì lâu không hoạt động, hoặc đã được kết thúc "
            "từ thiết bị khác. Hãy đăng nhập lại để quay về trang bạn đang xem.")
ENDED_EN = ("You were logged out: your session ended after a time without activity, or it was ended on another "
            "device. Log in again to go back to the page you were on.")


def main_text(html: str) -> str:
    """What the page's main part says (not its title or menus)."""
    return text_of(html[html.index("<main"):html.index("</main>")])


async def _session_row(client) -> dict:
    return await WebSession.select().where(WebSession.key == client.cookies.get(SESSION_COOKIE)).first()


async def test_an_idle_session_ends_and_the_reader_comes_back_to_the_page_after_logging_in(client, settings):
    staff = await make_user("staff", "canbo@example.vn")
    await login(client, staff.email, PASSWORD)
    row = await _session_row(client)
    idle = row["expires_at"] - now()
    assert dt.timedelta(minutes=119) < idle <= dt.timedelta(minutes=120)

    await WebSession.update({WebSession.expires_at: now() - dt.timedelta(seconds=1)}).where(WebSession.id == row["id"])
    response = await client.get("/staff/users/?q=an")
    assert response.status_code == 302
    assert response.headers["location"] == "/login?next=/staff/users%3Fq%3Dan&ended=1"
    assert not await WebSession.exists().where(WebSession.user_id == staff.id)

    page = await client.get(response.headers["location"])
    assert ENDED_VI in main_text(page.text)
    assert 'name="next" value="/staff/users?q=an"' in page.text
    back = await post_form(client, "/login", {"email": staff.email, "password": PASSWORD, "next": "/staff/users?q=an"})
    assert back.headers["location"] == "/staff/users?q=an"


async def test_the_message_is_in_the_readers_language_and_only_for_an_ended_session(client):
    await make_user("producer", "htx@example.vn")
    assert "ended=1" not in (await client.get("/account")).headers["location"]  # never logged in
    await post_form(client, "/language", {"language": "en", "next": "/"})
    await login(client, "htx@example.vn", PASSWORD)
    await WebSession.update({WebSession.expires_at: now() - dt.timedelta(seconds=1)}).where(
        WebSession.key == client.cookies.get(SESSION_COOKIE))
    response = await client.get("/account")
    page = await client.get(response.headers["location"])
    assert ENDED_EN in main_text(page.text)
    assert "ended=1" not in (await client.get("/account")).headers["location"]  # said once: the cookie is gone


async def test_use_moves_the_idle_deadline_forward_without_writing_on_every_request(client):
    user = await make_user("distributor", "buyer@example.vn")
    await login(client, user.email, PASSWORD)
    await client.get("/account")  # shows the welcome message, which leaves the session
    row = await _session_row(client)
    await client.get("/account")
    assert (await _session_row(client))["expires_at"] == row["expires_at"]  # a moment later: nothing written

    almost = now() + dt.timedelta(minutes=5)  # as if unused for an hour and 55 minutes
    await WebSession.update({WebSession.expires_at: almost}).where(WebSession.id == row["id"])
    assert (await client.get("/account")).status_code == 200
    moved = (await _session_row(client))["expires_at"] - now()
    assert dt.timedelta(minutes=119) < moved <= dt.timedelta(minutes=120)


@pytest.mark.parametrize("role, hours", [("producer", 7 * 24), ("staff", 12), ("admin", 12)])
async def test_a_session_ends_at_its_deadline_however_busy(client, role, hours):
    user = await make_user(role, f"{role}@example.vn")
    await login(client, user.email, PASSWORD)
    row = await _session_row(client)
    data = json.loads(row["data"])
    assert data["user_id"] == user.id
    assert abs(data[DEADLINE] - (now() + dt.timedelta(hours=hours)).timestamp()) < 60
    page = await client.get("/account")
    assert f"chậm nhất {hours} giờ sau khi đăng nhập" in main_text(page.text)

    data[DEADLINE] = int(now().timestamp()) - 1
    await WebSession.update({WebSession.data: json.dumps(data).encode()}).where(WebSession.id == row["id"])
    response = await client.get("/account")
    assert response.headers["location"] == "/login?next=/account&ended=1"
    assert await WebSession.count().where(WebSession.user_id == user.id) == 0


async def test_a_signed_in_session_without_a_deadline_is_not_believed(client):
    user = await make_user("staff")
    await WebSession.insert(WebSession(key="ab" * 16, data=json.dumps({"user_id": user.id}).encode(),
                                       expires_at=now() + dt.timedelta(hours=1), user_id=user.id))
    client.cookies.set(SESSION_COOKIE, "ab" * 16)
    response = await client.get("/staff/")
    assert response.headers["location"] == "/login?next=/staff&ended=1"
    assert await WebSession.count() == 0


async def test_log_out_everywhere_ends_every_session_of_the_account_and_only_those(app, client):
    user = await make_user("producer", "htx@example.vn")
    other_user = await make_user("distributor", "buyer@example.vn")
    phone, someone = await _client(app), await _client(app)
    try:
        await login(phone, user.email, PASSWORD)
        await login(someone, other_user.email, PASSWORD)
        await login(client, user.email, PASSWORD)
        page = await client.get("/account")
        text = main_text(page.text)
        assert "Bạn đang đăng nhập trên 2 trình duyệt hoặc thiết bị." in text
        assert 'data-confirm="Đăng xuất trên mọi thiết bị và trình duyệt, kể cả nơi này?"' in page.text
        assert 'action="/account/sessions/end"' in page.text

        response = await post_form(client, "/account/sessions/end", {})
        assert response.status_code == 302 and response.headers["location"] == "/login"
        assert await WebSession.count().where(WebSession.user_id == user.id) == 0
        assert await WebSession.count().where(WebSession.user_id == other_user.id) == 1
        login_page = await client.get("/login")
        assert "Bạn đã được đăng xuất trên mọi thiết bị và trình duyệt." in main_text(login_page.text)
        assert (await client.get("/account")).status_code == 302

        on_phone = await phone.get("/account")
        assert on_phone.headers["location"] == "/login?next=/account&ended=1"
        assert (await someone.get("/account")).status_code == 200
    finally:
        for c in (phone, someone):
            await c.__aexit__(None, None, None)
    entry = await AuditLog.select(AuditLog.actor, AuditLog.detail).where(AuditLog.action == "logout.everywhere").first()
    assert entry["actor"] == user.id and json.loads(entry["detail"]) == {"sessions_ended": 2}


async def test_log_out_everywhere_needs_the_forms_token(client):
    user = await make_user("producer", "htx@example.vn")
    await login(client, user.email, PASSWORD)
    refused = await client.post("/account/sessions/end", data={"_csrf_token": "forged"})
    assert refused.status_code == 403
    assert await WebSession.count().where(WebSession.user_id == user.id) == 1


async def test_log_in_and_log_out_give_a_new_csrf_token(client):
    user = await make_user("staff", "canbo@example.vn")
    await client.get("/login")
    before = client.cookies.get(CSRF_COOKIE)
    await login(client, user.email, PASSWORD)
    after_login = client.cookies.get(CSRF_COOKIE)
    assert before and after_login and after_login != before
    # A token read before log-in (a page left open, or one planted) no longer sends a form.
    stale = await client.post("/account/feed-token", data={"_csrf_token": before})
    assert stale.status_code == 403
    assert "Biểu mẫu đã hết hạn hoặc được gửi từ trang khác." in main_text(stale.text)
    assert (await post_form(client, "/account/feed-token", {})).status_code == 302

    await post_form(client, "/logout", {})
    after_logout = client.cookies.get(CSRF_COOKIE)
    assert after_logout not in (before, after_login)
    page = await client.get("/login")
    assert f'value="{after_logout}"' in page.text


async def test_an_administrator_logs_an_account_out_everywhere(app, client):
    admin = await make_user("admin", "admin@example.vn")
    staff = await make_user("staff", "canbo@example.vn")
    laptop, phone = await _client(app), await _client(app)
    try:
        await login(laptop, staff.email, PASSWORD)
        await login(phone, staff.email, PASSWORD)
        await login(client, admin.email, PASSWORD)
        page = await client.get(f"/staff/users/{staff.id}")
        assert "Tài khoản đang đăng nhập trên 2 trình duyệt hoặc thiết bị." in main_text(page.text)
        assert ('data-confirm="Đăng xuất canbo@example.vn trên mọi nơi? Mọi phiên đang mở của tài khoản sẽ kết '
                'thúc ngay."') in page.text
        response = await post_form(client, f"/staff/users/{staff.id}/sessions/end", {})
        assert response.headers["location"] == f"/staff/users/{staff.id}"
        shown = main_text((await client.get(response.headers["location"])).text)
        assert "canbo@example.vn đã được đăng xuất khỏi 2 phiên." in shown
        assert "Tài khoản đang đăng nhập trên 0 trình duyệt hoặc thiết bị." in shown
        assert await WebSession.count().where(WebSession.user_id == staff.id) == 0
        assert await WebSession.count().where(WebSession.user_id == admin.id) == 1
        assert (await laptop.get("/staff/")).headers["location"] == "/login?next=/staff&ended=1"

        # Its own sessions an administrator ends from the account page, not here.
        own = await post_form(client, f"/staff/users/{admin.id}/sessions/end", {})
        assert own.status_code == 403 and await WebSession.count().where(WebSession.user_id == admin.id) == 1
        # A role change ends the sessions too: the account logs in again into what it may now see.
        await login(phone, staff.email, PASSWORD)
        await post_form(client, f"/staff/users/{staff.id}", {"action": "make_admin", "from_account": "1"})
        assert await WebSession.count().where(WebSession.user_id == staff.id) == 0
        assert (await phone.get("/staff/")).headers["location"] == "/login?next=/staff&ended=1"
    finally:
        for c in (laptop, phone):
            await c.__aexit__(None, None, None)
    entry = await AuditLog.select(AuditLog.actor, AuditLog.detail).where(AuditLog.action == "user.sessions_ended").first()
    assert entry["actor"] == admin.id and json.loads(entry["detail"]) == {"sessions_ended": 2}


def test_session_lifetimes_come_from_the_environment_within_bounds():
    settings = Settings.from_env({"SECRET_KEY": "k", "SESSION_IDLE_MINUTES": "30", "SESSION_MAX_HOURS": "48",
                                  "SESSION_STAFF_MAX_HOURS": "8"})
    assert (settings.session_idle_minutes, settings.session_max_hours, settings.session_staff_max_hours) == (30, 48, 8)
    defaults = Settings.from_env({"SECRET_KEY": "k"})
    assert (defaults.session_idle_minutes, defaults.session_max_hours, defaults.session_staff_max_hours) == (120, 168, 12)
    for name, value in [("SESSION_IDLE_MINUTES", "0"), ("SESSION_MAX_HOURS", "99999999999"), ("SESSION_STAFF_MAX_HOURS", "x")]:
        with pytest.raises(ValueError, match=name):
            Settings.from_env({"SECRET_KEY": "k", name: value})


async def test_log_in_clears_away_sessions_no_browser_can_still_bring(client):
    user = await make_user("producer")
    await WebSession.insert(
        WebSession(key="c" * 32, data=b'{"lang": "en"}', expires_at=now() - dt.timedelta(days=8)),
        WebSession(key="d" * 32, data=b'{"user_id": 1}', expires_at=now() - dt.timedelta(hours=1)),
    )
    await login(client, user.email, PASSWORD)
    assert sorted(r["key"] for r in await WebSession.select(WebSession.key)) == sorted(
        ["d" * 32, client.cookies.get(SESSION_COOKIE)])


async def test_a_request_still_under_way_does_not_bring_an_ended_session_back(client):
    from events_app.accounts.sessions import DatabaseStore, end_sessions

    user = await make_user("producer", "htx@example.vn")
    await login(client, user.email, PASSWORD)
    key = client.cookies.get(SESSION_COOKIE)
    data = bytes((await _session_row(client))["data"])
    assert await end_sessions(user.id) == 1
    # The request that loaded the session before writes it as it ends (a message shown, say).
    await DatabaseStore().set(key, data, expires_in=7200)
    row = await WebSession.select(WebSession.user_id, WebSession.expires_at).where(WebSession.key == key).first()
    assert row["user_id"] is None and row["expires_at"] <= now()
    assert (await client.get("/account")).headers["location"] == "/login?next=/account&ended=1"
    # A live session is written as before.
    await login(client, user.email, PASSWORD)
    fresh = client.cookies.get(SESSION_COOKIE)
    await DatabaseStore().set(fresh, b'{"user_id": %d, "until": 9999999999, "lang": "en"}' % user.id, expires_in=60)
    assert json.loads((await _session_row(client))["data"])["lang"] == "en"
