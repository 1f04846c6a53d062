"""CSRF, roles and security headers, through the real application."""

from events_app.accounts.tables import User
from tests.factories import PASSWORD, make_user
from tests.helpers import CSRF_COOKIE, login, text_of


async def test_form_without_csrf_token_is_refused(client):
    await make_user("staff", "staff@example.vn")
    await client.get("/login")
    response = await client.post("/login", data={"email": "staff@example.vn", "password": PASSWORD})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn hoặc được gửi từ trang khác" in text_of(response.text)
    assert (await client.get("/account")).status_code == 302  # not logged in


async def test_form_with_a_forged_token_is_refused(client):
    await client.get("/login")
    response = await client.post("/signup", data={"_csrf_token": "forged", "email": "x@example.vn"})
    assert response.status_code == 403
    assert await User.count() == 0


async def test_producer_is_refused_on_staff_pages(client):
    await make_user("producer", "producer@example.vn")
    await login(client, "producer@example.vn", PASSWORD)
    response = await client.get("/staff/")
    assert response.status_code == 403
    assert "Bạn không thể mở trang này" in text_of(response.text)


async def test_staff_sees_the_dashboard(client):
    await make_user("staff", "staff@example.vn")
    await login(client, "staff@example.vn", PASSWORD)
    response = await client.get("/staff/")
    assert response.status_code == 200
    assert "Bảng điều hành của cán bộ" in text_of(response.text)


async def test_security_headers_and_cookie_flags(client):
    response = await client.get("/login")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    csrf_cookie = response.headers["set-cookie"]
    assert "HttpOnly" in csrf_cookie and "SameSite=lax" in csrf_cookie and "Secure" not in csrf_cookie


async def test_https_site_sets_secure_cookies(clean_db, settings):
    from litestar.testing import AsyncTestClient

    from events_app.web.app import create_app

    app = create_app(settings.with_overrides(public_url="https://ocop.example"))
    async with AsyncTestClient(app=app) as client:
        client.follow_redirects = False
        await make_user("staff", "staff@example.vn")
        response = await client.get("/login")
        assert "Secure" in response.headers["set-cookie"]
        assert response.headers["strict-transport-security"].startswith("max-age=")


async def test_nul_characters_in_urls_never_reach_the_database(client):
    for path, status in [("/events/%00", 404), ("/events?province=%00", 400), ("/products/%00abc", 404),
                         ("/calendar?month=%00", 400)]:
        response = await client.get(path)
        assert response.status_code == status, path
        assert "Quản lý Hội chợ OCOP" in text_of(response.text)  # an error page in the layout, not a crash


async def test_nul_characters_in_forms_are_dropped(client):
    from events_app.accounts.tables import User
    from tests.helpers import post_form

    response = await post_form(client, "/signup", {
        "role": "distributor", "organisation": "Siêu\x00 thị", "organisation_type": "wholesaler",
        "name": "Ng\x00uyễn", "email": "nul@example.vn", "password": "mat-khau-dai", "password_confirm": "mat-khau-dai",
    })
    assert response.status_code == 302
    user = await User.objects().where(User.email == "nul@example.vn").first()
    assert user.name == "Nguyễn"


async def test_every_post_route_refuses_a_form_without_its_csrf_token(app, settings):
    """Each POST route of the app, sent by a role that may send it (as the role × route table
    says) with everything but a valid token: refused, and nothing is written."""
    from contextlib import AsyncExitStack

    from tests.web.test_route_matrix import EXPECTED, OK
    from tests.web.world import ROLES, app_routes, fill, fingerprint, make_world

    posts = [route.path for route in app_routes(app) if route.method == "POST"]
    assert len(posts) > 100
    async with AsyncExitStack() as stack:
        world = await make_world(app, stack, settings)
        await world.clients["anonymous"].get("/")  # a visitor's token cookie, as the others have from logging in
        before = await fingerprint()
        for path in posts:
            answers = EXPECTED.get(("POST", path), {})  # a route with no row fails the role × route test
            role = next((role for role in ROLES if answers.get(role) == OK), "staff")
            client, url = world.clients[role], fill(path, world.ids)
            # No token, a made-up one, and the client's own with a character changed.
            own = client.cookies.get(CSRF_COOKIE)
            for token in ([], ["forged"], [own[:-1] + ("x" if own[-1] != "x" else "y")]):
                response = await client.post(url, data={"_csrf_token": token, "name": "Thử", "email": "x@example.vn"})
                assert response.status_code == 403, (role, path, token)
                assert "Biểu mẫu đã hết hạn hoặc được gửi từ trang khác" in text_of(response.text), (role, path)
        assert await fingerprint() == before
        assert (await world.clients["staff"].get("/staff")).status_code == 200  # still signed in
