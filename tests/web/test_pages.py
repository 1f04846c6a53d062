import json

from tests.helpers import CSRF_COOKIE, post_form, text_of


async def test_healthz_reports_database_and_version(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert json.loads(response.text) == {"status": "ok", "database": True, "version": "0.1.0"}


async def test_home_page_in_vietnamese_by_default_and_english_on_request(client):
    response = await client.get("/")
    assert '<html lang="vi">' in response.text
    assert "Sự kiện sắp tới" in text_of(response.text)
    response = await post_form(client, "/language", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.headers["location"] == "/"
    response = await client.get("/")
    assert '<html lang="en">' in response.text and "Upcoming events" in text_of(response.text)


async def test_unknown_page_is_a_404_in_the_layout(client):
    response = await client.get("/no/such/page")
    assert response.status_code == 404
    text = text_of(response.text)
    assert "Không tìm thấy trang" in text and "Quản lý Hội chợ OCOP" in text


async def test_language_switch_never_redirects_off_site(client):
    response = await post_form(client, "/language", {"language": "en", "next": "//evil.example/x"})
    assert response.headers["location"] == "/"


def _language_next(html: str) -> str:
    import re
    from html import unescape

    match = re.search(r'action="/language".*?name="next" value="([^"]*)"', html, re.S)
    assert match, "no language switch on the page"
    return unescape(match.group(1))


async def test_the_language_switch_returns_to_the_page_or_to_the_page_a_refused_form_was_on(client):
    page = await client.get("/products?q=ga+tien+yen")
    assert _language_next(page.text) == "/products?q=ga+tien+yen"

    await client.get("/login")
    token = client.cookies.get(CSRF_COOKIE)
    refused = await client.post(
        "/login", data={"_csrf_token": token, "email": "nobody@example.vn", "password": "wrong-password"},
        headers={"Referer": "http://testserver.local/login?next=/my/products"},
    )
    assert refused.status_code == 400
    # The POST address cannot be opened again: back to the page the form was on.
    assert _language_next(refused.text) == "/login?next=/my/products"

    elsewhere = await client.post(
        "/login", data={"_csrf_token": token, "email": "nobody@example.vn", "password": "wrong-password"},
        headers={"Referer": "https://evil.example/phish"},
    )
    assert _language_next(elsewhere.text) == "/"
