"""Log-in throttling against the real database: attempts are counted before the password is checked,
the history is kept, the wait expires, and the owner's own browser is not shut out."""

import asyncio
import datetime as dt

import pytest

from events_app.accounts import services, throttling
from events_app.accounts.tables import LoginAttempt
from events_app.core.audit import AuditLog
from events_app.core.clock import now
from events_app.core.i18n import format_time
from tests.factories import PASSWORD, make_user
from tests.helpers import post_form, text_of

KEY = "test-secret-key-not-for-production"  # the tests' SECRET_KEY, which the app signs device cookies with
HOME = "203.0.113.7"


async def log_in(email: str, password: str, ip: str = HOME, device_token: str = ""):
    return await services.authenticate(email, password, ip, secret_key=KEY, device_token=device_token)


async def outcome(email: str, password: str, ip: str = HOME, device_token: str = "") -> str:
    try:
        await log_in(email, password, ip, device_token)
    except services.LoginFailed:
        return "failed"
    except services.TooManyAttempts:
        return "throttled"
    return "ok"


async def rows() -> list[dict]:
    return await LoginAttempt.select(
        LoginAttempt.email, LoginAttempt.ip, LoginAttempt.network, LoginAttempt.device, LoginAttempt.succeeded
    ).order_by(LoginAttempt.id)


async def seed_failures(where: list[tuple[str, str]], ago: dt.timedelta = dt.timedelta(0)) -> None:
    """Failed attempts on record, as earlier log-ins left them: (e-mail, network) each."""
    at = now() - ago
    await LoginAttempt.insert(*[LoginAttempt(email=email, ip=network, network=network, at=at) for email, network in where])


async def test_parallel_guesses_are_counted_before_the_password_is_checked(clean_db):
    user = await make_user("staff", "owner@example.vn")
    results = await asyncio.gather(*[outcome(user.email, f"guess {n}") for n in range(30)])
    assert sorted(results) == ["failed"] * 5 + ["throttled"] * 25
    assert await LoginAttempt.count() == 5
    assert await AuditLog.count().where(AuditLog.action == "login.failed") == 5
    # The right password is refused as well while the guesser waits, and is not checked.
    assert await outcome(user.email, PASSWORD) == "throttled"
    assert await LoginAttempt.count() == 5


async def test_a_success_keeps_the_failures_and_ends_their_count(clean_db):
    user = await make_user("producer", "an@example.vn")
    assert [await outcome("An@Example.vn ", "wrong") for _ in range(3)] == ["failed"] * 3
    assert await outcome(user.email, PASSWORD) == "ok"
    history = await rows()
    assert [r["succeeded"] for r in history] == [False, False, False, True]
    assert {(r["email"], r["ip"], r["network"], r["device"]) for r in history} == {("an@example.vn", HOME, HOME, "")}
    # The failures before the success no longer count against the account: five more before a wait.
    assert [await outcome(user.email, "wrong") for _ in range(6)] == ["failed"] * 5 + ["throttled"]
    assert await LoginAttempt.count() == 9


async def test_the_wait_expires_and_grows_with_each_further_failure(clean_db):
    user = await make_user("staff", "staff@example.vn")
    # Five failures two minutes ago: their one-minute wait is over.
    await seed_failures([(user.email, HOME)] * 5, ago=dt.timedelta(minutes=2))
    assert await outcome(user.email, "wrong again") == "failed"
    with pytest.raises(services.TooManyAttempts) as refused:
        await log_in(user.email, PASSWORD)
    last = (await LoginAttempt.select(LoginAttempt.at).order_by(LoginAttempt.at, ascending=False).first())["at"]
    assert 115 <= refused.value.retry_after <= 120
    assert refused.value.status_code == 429
    assert str(refused.value) == (
        f"Đăng nhập sai quá nhiều lần. Để bảo vệ tài khoản, vui lòng thử lại sau 2 phút "
        f"(lúc {format_time(last + dt.timedelta(minutes=2))}). Mỗi lần nhập sai mật khẩu tiếp theo sẽ "
        f"khiến thời gian chờ dài hơn, tối đa 15 phút."
    )


async def test_one_network_trying_many_accounts_is_slowed_down(clean_db):
    await seed_failures([(f"nobody{n}@example.vn", HOME) for n in range(19)])
    assert [await outcome("nobody19@example.vn", "123456") for _ in range(2)] == ["failed", "throttled"]
    assert await outcome("nobody20@example.vn", "123456") == "throttled"
    # Another network is not slowed down.
    assert await outcome("nobody0@example.vn", "123456", ip="198.51.100.1") == "failed"
    # An IPv6 client is one network with its /64, whichever address of it it takes.
    await seed_failures([(f"v6-{n}@example.vn", "2001:db8:7:7::/64") for n in range(19)])
    assert await outcome("v6@example.vn", "x", ip="2001:db8:7:7:1::1") == "failed"
    assert await outcome("v6@example.vn", "x", ip="2001:db8:7:7:ffff::2") == "throttled"
    assert await outcome("v6@example.vn", "x", ip="2001:db8:7:8::1") == "failed"
    assert [r["network"] for r in await rows() if r["email"] == "v6@example.vn"] == [
        "2001:db8:7:7::/64", "2001:db8:7:8::/64"]


async def test_strangers_slow_the_account_down_but_not_its_owners_browser(client):
    owner = await make_user("producer", "owner@example.vn")
    response = await post_form(client, "/login", {"email": owner.email, "password": PASSWORD}, page="/login")
    assert response.status_code == 302
    cookie = next(c for c in client.cookies.jar if c.name == throttling.DEVICE_COOKIE)
    assert cookie.path == "/login" and cookie.has_nonstandard_attr("HttpOnly")
    assert throttling.trusted_device(KEY, owner.email, cookie.value)
    await post_form(client, "/logout", {})

    # Guessers at ten addresses, one failure each: the account is slowed down for every client it does not know...
    await seed_failures([(owner.email, f"198.51.100.{n}") for n in range(9)])
    assert await outcome(owner.email, "guess", ip="198.51.100.9") == "failed"
    assert await outcome(owner.email, PASSWORD, ip="192.0.2.1") == "throttled"
    # A device cookie made for another account does not count for this one.
    other = services.new_device_token(KEY, "someone@example.vn")
    assert await outcome(owner.email, PASSWORD, ip="192.0.2.1", device_token=other) == "throttled"
    # ...but the owner's browser, which logged in before, still gets in.
    response = await post_form(client, "/login", {"email": owner.email, "password": PASSWORD}, page="/login")
    assert response.status_code == 302 and response.headers["location"] == "/account"
    trusted = [r for r in await rows() if r["device"]]
    assert [r["succeeded"] for r in trusted] == [True]
    # The owner has been by: the strangers' failures before that no longer count.
    assert await outcome(owner.email, PASSWORD, ip="192.0.2.1") == "ok"


async def test_the_refusal_page_says_when_to_try_again(client):
    await make_user("staff", "staff@example.vn")
    for _ in range(5):
        response = await post_form(client, "/login", {"email": "staff@example.vn", "password": "wrong"})
        assert response.status_code == 400
    response = await post_form(client, "/login", {"email": "staff@example.vn", "password": PASSWORD})
    assert response.status_code == 429
    assert 55 <= int(response.headers["retry-after"]) <= 60
    assert "Đăng nhập sai quá nhiều lần. Để bảo vệ tài khoản, vui lòng thử lại sau 1 phút (lúc " in text_of(response.text)
    assert 'value="staff@example.vn"' in response.text
    assert "/account" not in response.headers.get("location", "")


async def test_a_password_is_checked_as_typed(client):
    await make_user("staff", "spaces@example.vn", password="  dấu cách ở hai đầu  ")
    response = await post_form(client, "/login", {"email": "spaces@example.vn", "password": "dấu cách ở hai đầu"})
    assert response.status_code == 400
    response = await post_form(client, "/login", {"email": "spaces@example.vn", "password": "  dấu cách ở hai đầu  "})
    assert response.status_code == 302


async def test_an_overlong_address_is_refused_like_any_wrong_one(clean_db):
    assert await outcome("a" * 300 + "@example.vn", "x", ip="x" * 100) == "failed"
    [row] = await rows()
    assert len(row["email"]) == 254 and len(row["ip"]) == 64
