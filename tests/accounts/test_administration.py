"""Administration of accounts: accounts of every role created with a one-time link to set their
password, deactivated and reactivated, given another role, their sessions ended; the sign-in history."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import re

import pytest
from litestar.testing import AsyncTestClient

from events_app.accounts.tables import LoginAttempt, PasswordReset, User, WebSession
from events_app.core.audit import AuditLog
from events_app.core.clock import now
from tests.factories import PASSWORD, make_distributor, make_producer, make_user
from tests.helpers import login, post_form, text_of

NEW_PASSWORD = "mật-khẩu-mới-2026"


def _link(html: str) -> str:
    found = re.search(r'id="reset-link"[^>]*value="([^"]+)"', html)
    assert found, text_of(html)[:500]
    return found.group(1)


def _path(link: str) -> str:
    return "/password/" + link.rsplit("/password/", 1)[1]


async def _client(app) -> AsyncTestClient:
    client = AsyncTestClient(app=app)
    await client.__aenter__()
    client.follow_redirects = False
    return client


async def test_admin_creates_a_producer_account_which_sets_its_password_through_a_one_time_link(app, client):
    admin = await make_user("admin", "admin@example.vn")
    producer = await make_producer("HTX Chè Thanh Chương")
    await login(client, admin.email, PASSWORD)
    form = await client.get("/staff/users/new")
    assert "HTX Chè Thanh Chương" in form.text

    response = await post_form(client, "/staff/users/new", {
        "email": "Chu.Tich@ThanhChuong.vn", "name": "Nguyễn Văn Chè", "role": "producer", "producer_id": str(producer.id),
    })
    assert response.status_code == 201
    shown = text_of(response.text)
    assert "Đã tạo tài khoản" in shown and "24 giờ" in shown
    link = _link(response.text)
    user = await User.objects().where(User.email == "chu.tich@thanhchuong.vn").first()
    assert (user.role, user.producer, user.distributor, user.name) == ("producer", producer.id, None, "Nguyễn Văn Chè")
    token = link.rsplit("/", 1)[1]
    [reset] = await PasswordReset.select().where(PasswordReset.user == user.id)
    assert reset["token_hash"] == hashlib.sha256(token.encode()).hexdigest() and token not in json.dumps(reset, default=str)
    assert dt.timedelta(hours=23, minutes=59) < reset["expires_at"] - now() <= dt.timedelta(hours=24)
    created = await AuditLog.select().where(AuditLog.action == "user.created").first()
    assert created["actor"] == admin.id and created["target_id"] == user.id
    assert json.loads(created["after"])["role"] == "producer" and json.loads(created["after"])["producer"] == producer.id

    async with AsyncTestClient(app=app) as owner:
        owner.follow_redirects = False
        page = await owner.get(_path(link))
        assert page.status_code == 200 and "chu.tich@thanhchuong.vn" in text_of(page.text)
        short = await post_form(owner, _path(link), {"password": "ngắn", "password_confirm": "ngắn"}, page=_path(link))
        assert short.status_code == 400 and "Dùng ít nhất 8 ký tự." in text_of(short.text)
        done = await post_form(owner, _path(link), {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
                               page=_path(link))
        assert done.status_code == 302 and done.headers["location"] == "/login"
        await login(owner, "chu.tich@thanhchuong.vn", NEW_PASSWORD)
        again = await owner.get(_path(link))
        assert again.status_code == 404 and "đã được dùng" in text_of(again.text)
    assert (await User.select(User.password_hash).where(User.id == user.id).first())["password_hash"].startswith("$argon2id$")
    assert await AuditLog.exists().where((AuditLog.action == "user.password_set") & (AuditLog.target_id == user.id))


async def test_an_account_of_another_role_needs_its_organisation(client):
    admin = await make_user("admin")
    await make_distributor("Saigon Co.op")
    await login(client, admin.email, PASSWORD)
    response = await post_form(client, "/staff/users/new", {"email": "buyer@coop.vn", "role": "distributor"})
    assert response.status_code == 400
    assert "Chọn nhà phân phối mà tài khoản này thuộc về." in text_of(response.text)
    taken = await post_form(client, "/staff/users/new", {"email": admin.email, "role": "staff"})
    assert taken.status_code == 400 and "Đã có tài khoản với địa chỉ e-mail này." in text_of(taken.text)
    odd = await post_form(client, "/staff/users/new", {"email": "x@y.vn", "role": "king", "producer_id": "9" * 30})
    assert odd.status_code == 400
    assert await User.count() == 1


async def test_deactivation_ends_the_sessions_and_reactivation_lets_the_account_in_again(app, client):
    admin = await make_user("admin", "admin@example.vn")
    staff = await make_user("staff", "canbo@example.vn")
    other = await _client(app)
    try:
        await login(other, staff.email, PASSWORD)
        assert await WebSession.exists().where(WebSession.user_id == staff.id)
        await login(client, admin.email, PASSWORD)
        page = await client.get(f"/staff/users/{staff.id}")
        assert 'data-confirm="Khóa canbo@example.vn? Tài khoản sẽ không đăng nhập được nữa' in page.text
        response = await post_form(client, f"/staff/users/{staff.id}", {"action": "deactivate", "from_account": "1"})
        assert response.status_code == 302 and response.headers["location"] == f"/staff/users/{staff.id}"
        assert not await WebSession.exists().where(WebSession.user_id == staff.id)
        assert (await other.get("/staff/")).status_code == 302
        refused = await post_form(other, "/login", {"email": staff.email, "password": PASSWORD})
        assert refused.status_code == 400
        assert "Tài khoản này đã bị khóa. Hãy nhờ quản trị viên của chương trình mở lại." in text_of(refused.text)
        guessed = await post_form(other, "/login", {"email": staff.email, "password": "not-the-password"})
        assert guessed.status_code == 400  # a wrong password learns nothing of the account
        assert "Địa chỉ e-mail hoặc mật khẩu không đúng." in text_of(guessed.text) and "bị khóa" not in text_of(guessed.text)

        twice = await post_form(client, f"/staff/users/{staff.id}", {"action": "deactivate", "from_account": "1"})
        assert twice.status_code == 409 and "Tài khoản đã bị khóa rồi." in text_of(twice.text)
        await post_form(client, f"/staff/users/{staff.id}", {"action": "activate", "from_account": "1"})
        await login(other, staff.email, PASSWORD)
    finally:
        await other.__aexit__(None, None, None)
    rows = await AuditLog.select(AuditLog.action, AuditLog.before, AuditLog.after, AuditLog.actor).where(
        (AuditLog.target_type == "user") & (AuditLog.target_id == staff.id)).order_by(AuditLog.id)
    assert [(r["action"], json.loads(r["before"]), json.loads(r["after"]), r["actor"]) for r in rows] == [
        ("user.deactivate", {"is_active": True}, {"is_active": False}, admin.id),
        ("user.activate", {"is_active": False}, {"is_active": True}, admin.id),
    ]


async def test_a_new_role_ends_the_sessions_and_links_the_organisation(app, client):
    admin = await make_user("admin")
    staff = await make_user("staff", "canbo@example.vn")
    producer = await make_producer("HTX Gà Tiên Yên")
    other = await _client(app)
    try:
        await login(other, staff.email, PASSWORD)
        await login(client, admin.email, PASSWORD)
        missing = await post_form(client, f"/staff/users/{staff.id}/role", {"role": "producer"})
        assert missing.status_code == 400 and "Chọn chủ thể sản xuất mà tài khoản này thuộc về." in text_of(missing.text)
        response = await post_form(client, f"/staff/users/{staff.id}/role", {"role": "producer", "producer_id": str(producer.id)})
        assert response.status_code == 302
        assert (await other.get("/staff/")).status_code == 302  # logged out
        await login(other, staff.email, PASSWORD)
        assert (await other.get("/staff/")).status_code == 403
    finally:
        await other.__aexit__(None, None, None)
    user = await User.objects().where(User.id == staff.id).first()
    assert (user.role, user.producer) == ("producer", producer.id)
    entry = await AuditLog.select().where(AuditLog.action == "user.role").first()
    assert json.loads(entry["before"]) == {"role": "staff", "producer": None}
    assert json.loads(entry["after"]) == {"role": "producer", "producer": producer.id}
    assert "Chủ thể sản xuất" in text_of((await client.get(f"/staff/users/{staff.id}")).text)
    # The list's buttons move accounts between staff and admin only.
    refused = await post_form(client, f"/staff/users/{staff.id}", {"action": "make_admin"})
    assert refused.status_code == 409


async def test_an_admin_does_not_change_their_own_access(client):
    admin = await make_user("admin")
    await login(client, admin.email, PASSWORD)
    response = await post_form(client, f"/staff/users/{admin.id}/role", {"role": "staff"})
    assert response.status_code == 403
    assert (await User.select(User.role).where(User.id == admin.id).first())["role"] == "admin"


async def test_a_new_password_link_replaces_the_earlier_one_and_an_expired_link_does_not_work(client):
    admin = await make_user("admin")
    staff = await make_user("staff", "canbo@example.vn")
    await login(client, admin.email, PASSWORD)
    first = _link((await post_form(client, f"/staff/users/{staff.id}/reset-link", {})).text)
    second = _link((await post_form(client, f"/staff/users/{staff.id}/reset-link", {})).text)
    assert first != second
    assert (await client.get(_path(first))).status_code == 404
    assert (await client.get(_path(second))).status_code == 200
    await PasswordReset.update({PasswordReset.expires_at: now() - dt.timedelta(seconds=1)}, force=True)
    expired = await client.get(_path(second))
    assert expired.status_code == 404 and "đã hết hạn" in text_of(expired.text)
    assert (await client.get("/password/" + "x" * 5000)).status_code == 404
    assert await AuditLog.count().where(AuditLog.action == "user.reset_link") == 2


async def test_a_link_used_twice_at_the_same_moment_sets_one_password(app, client):
    admin = await make_user("admin")
    staff = await make_user("staff", "canbo@example.vn")
    await login(client, admin.email, PASSWORD)
    path = _path(_link((await post_form(client, f"/staff/users/{staff.id}/reset-link", {})).text))
    clients = [await _client(app) for _ in range(4)]
    try:
        for one in clients:
            await one.get(path)
        responses = await asyncio.gather(*[
            post_form(one, path, {"password": f"{NEW_PASSWORD}-{n}", "password_confirm": f"{NEW_PASSWORD}-{n}"}, page=path)
            for n, one in enumerate(clients)
        ])
    finally:
        for one in clients:
            await one.__aexit__(None, None, None)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [302, 404, 404, 404], statuses
    winner = next(n for n, r in enumerate(responses) if r.status_code == 302)
    assert await AuditLog.count().where(AuditLog.action == "user.password_set") == 1
    async with AsyncTestClient(app=app) as fresh:
        fresh.follow_redirects = False
        await login(fresh, staff.email, f"{NEW_PASSWORD}-{winner}")
    assert (await PasswordReset.select(PasswordReset.used_at).first())["used_at"] is not None


async def test_the_sign_in_history_shows_successes_and_failures_with_address_and_browser(app, client):
    admin = await make_user("admin", "admin@example.vn")
    staff = await make_user("staff", "canbo@example.vn")
    async with AsyncTestClient(app=app) as other:
        other.follow_redirects = False
        other.headers["User-Agent"] = "Mozilla/5.0 (iPhone) Safari/605"
        wrong = await post_form(other, "/login", {"email": staff.email, "password": "sai-mat-khau"}, page="/login")
        assert wrong.status_code == 400
        await login(other, staff.email, PASSWORD)
    rows = await LoginAttempt.select(LoginAttempt.succeeded, LoginAttempt.user_agent).where(
        LoginAttempt.email == staff.email).order_by(LoginAttempt.id)
    assert rows == [{"succeeded": False, "user_agent": "Mozilla/5.0 (iPhone) Safari/605"},
                    {"succeeded": True, "user_agent": "Mozilla/5.0 (iPhone) Safari/605"}]
    await login(client, admin.email, PASSWORD)
    account = text_of((await client.get(f"/staff/users/{staff.id}")).text)
    assert "2 lượt đăng nhập" in account
    assert account.count("Mozilla/5.0 (iPhone) Safari/605") == 2 and "Thất bại" in account and "Thành công" in account
    overall = text_of((await client.get("/staff/sign-ins")).text)
    assert "3 lượt đăng nhập" in overall and "canbo@example.vn" in overall and "admin@example.vn" in overall
    failed = text_of((await client.get("/staff/sign-ins", params={"outcome": "failed"})).text)
    assert "1 lượt đăng nhập" in failed and "admin@example.vn" not in failed


@pytest.mark.parametrize("role", ["staff", "producer", "distributor"])
async def test_only_administrators_reach_the_administration(client, role):
    user = await make_user(role)
    other = await make_user("staff", "canbo@example.vn")
    await login(client, user.email, PASSWORD)
    for path in ("/staff/users/new", f"/staff/users/{other.id}", "/staff/sign-ins"):
        assert (await client.get(path)).status_code == 403, path
    response = await post_form(client, f"/staff/users/{other.id}/reset-link", {})
    assert response.status_code == 403
    assert not await PasswordReset.exists()


async def test_a_link_opened_twice_on_a_live_server_sets_one_password(live_url):
    """Two worker processes, each with its own connections, take the same link at the same moment."""
    import httpx

    from events_app.accounts import administration
    from tests.helpers import form_token

    admin = await make_user("admin")
    staff = await make_user("staff", "canbo@example.vn")
    path = "/password/" + await administration.make_reset_link(admin.id, staff.id)
    clients = [httpx.AsyncClient(base_url=live_url, follow_redirects=False, timeout=60) for _ in range(4)]
    try:
        tokens = [form_token((await client.get(path)).text) for client in clients]
        responses = await asyncio.gather(*[
            client.post(path, data={"_csrf_token": token, "password": f"{NEW_PASSWORD}-{n}",
                                    "password_confirm": f"{NEW_PASSWORD}-{n}"})
            for n, (client, token) in enumerate(zip(clients, tokens))
        ])
    finally:
        for client in clients:
            await client.aclose()
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [302, 404, 404, 404], statuses
    for response in responses:
        if response.status_code == 404:
            assert "đã được dùng" in text_of(response.text)
    assert await AuditLog.count().where(AuditLog.action == "user.password_set") == 1
    assert await PasswordReset.count().where(PasswordReset.used_at.is_not_null()) == 1


async def test_sessions_begun_before_they_knew_their_user_learn_it(clean_db):
    import importlib

    migration = importlib.import_module("events_app.accounts.piccolo_migrations.accounts_2026_12_01t16_30_01_000000")
    staff = await make_user("staff")
    await WebSession.insert(
        WebSession(key="a" * 32, data=json.dumps({"user_id": staff.id, "lang": "vi"}).encode()),
        WebSession(key="b" * 32, data=b'{"lang": "en"}'),
        WebSession(key="c" * 32, data=b"\xff not json"),
    )
    await migration._sessions_know_their_user()
    rows = await WebSession.select(WebSession.key, WebSession.user_id).order_by(WebSession.key)
    assert [row["user_id"] for row in rows] == [staff.id, None, None]
