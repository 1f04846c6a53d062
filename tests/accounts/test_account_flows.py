"""Sign-up, log-in and log-out through the web pages, against the real database."""

from events_app.core.audit import AuditLog

from events_app.accounts.tables import LoginAttempt, User, WebSession
from events_app.directory.tables import Distributor, Producer
from tests.factories import PASSWORD, make_user, province_id
from tests.helpers import SESSION_COOKIE, form_token, login, post_form, text_of


async def test_sign_up_log_out_and_log_in_again(client):
    page = await client.get("/signup")
    assert page.status_code == 200
    token = form_token(page.text)
    response = await client.post(
        "/signup",
        data={
            "_csrf_token": token,
            "role": "producer",
            "organisation": "HTX Chè Thanh Chương",
            "organisation_type": "cooperative",
            "province_id": str(await province_id("Nghệ An")),
            "name": "Nguyễn Văn An",
            "email": "An@Example.VN",
            "password": "chè xanh 2026",
            "password_confirm": "chè xanh 2026",
        },
    )
    assert response.status_code == 302 and response.headers["location"] == "/account"

    user = await User.objects().where(User.email == "an@example.vn").first()
    assert user is not None and user.role == "producer"
    producer = await Producer.objects().where(Producer.id == user.producer).first()
    assert producer.name == "HTX Chè Thanh Chương" and producer.slug == "htx-che-thanh-chuong"

    account = await client.get("/account")
    assert "Nguyễn Văn An" in text_of(account.text)

    await post_form(client, "/logout", {})
    assert await WebSession.count() == 0
    after = await client.get("/account")
    assert after.status_code == 302 and after.headers["location"].startswith("/login")

    await login(client, "an@example.vn", "chè xanh 2026")
    assert "Nguyễn Văn An" in text_of((await client.get("/account")).text)


async def test_distributor_sign_up_creates_its_profile(client):
    response = await post_form(
        client,
        "/signup",
        {
            "role": "distributor",
            "organisation": "Siêu thị Đà Nẵng",
            "organisation_type": "supermarket_chain",
            "name": "Lê Thị Bình",
            "email": "binh@example.vn",
            "password": "sieuthi-2026",
            "password_confirm": "sieuthi-2026",
        },
    )
    assert response.status_code == 302
    user = await User.objects().where(User.email == "binh@example.vn").first()
    distributor = await Distributor.objects().where(Distributor.id == user.distributor).first()
    assert distributor.name == "Siêu thị Đà Nẵng" and distributor.distributor_type == "supermarket_chain"


async def test_sign_up_errors_are_shown_next_to_fields(client):
    await make_user("staff", "taken@example.vn")
    response = await post_form(
        client,
        "/signup",
        {
            "role": "producer",
            "organisation": "",
            "organisation_type": "wholesaler",
            "name": "X",
            "email": "taken@example.vn",
            "password": "short",
            "password_confirm": "short",
        },
        page="/signup",
    )
    assert response.status_code == 400
    text = text_of(response.text)
    assert "Vui lòng sửa các trường được đánh dấu." in text
    assert "Nhập tên đơn vị của bạn." in text
    assert "Dùng ít nhất 8 ký tự." in text
    assert "Chọn loại hình chủ thể." in text
    assert "Chọn tỉnh, thành phố của bạn." in text
    assert "Đã có tài khoản với địa chỉ e-mail này." in text
    assert 'value="taken@example.vn"' in response.text  # what was typed is kept
    assert await Producer.count() == 0


async def test_session_id_changes_on_log_in(client):
    user = await make_user("distributor", "buyer@example.vn")
    await post_form(client, "/language", {"language": "en", "next": "/"})
    before = client.cookies.get(SESSION_COOKIE)
    assert before and await WebSession.exists().where(WebSession.key == before)

    await login(client, "buyer@example.vn", PASSWORD)
    after = client.cookies.get(SESSION_COOKIE)
    assert after and after != before
    assert not await WebSession.exists().where(WebSession.key == before)
    # The language chosen before logging in is kept in the new session.
    assert "My account" in (await client.get("/account")).text

    # The old session id no longer opens the account.
    client.cookies.set(SESSION_COOKIE, before)
    response = await client.get("/account")
    assert response.status_code == 302
    assert user.id


async def test_wrong_password_and_throttling(client):
    await make_user("staff", "staff@example.vn")
    for _ in range(5):
        response = await post_form(client, "/login", {"email": "staff@example.vn", "password": "wrong"})
        assert response.status_code == 400
        assert "Địa chỉ e-mail hoặc mật khẩu không đúng." in text_of(response.text)
    assert await LoginAttempt.count() == 5
    # Even the right password is refused while the address is throttled.
    response = await post_form(client, "/login", {"email": "staff@example.vn", "password": PASSWORD})
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in text_of(response.text)
    assert SESSION_COOKIE not in client.cookies or "user_id" not in (await client.get("/account")).text
    assert await AuditLog.count().where(AuditLog.action == "login.failed") == 5


async def test_log_in_redirects_to_the_page_asked_for_but_never_off_site(client):
    await make_user("staff", "staff@example.vn")
    response = await client.get("/staff/")
    assert response.status_code == 302 and response.headers["location"] == "/login?next=/staff"
    response = await post_form(
        client, "/login", {"email": "staff@example.vn", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.headers["location"] == "/staff"  # the staff landing page, not the other site
