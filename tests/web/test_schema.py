"""The OpenAPI schema lists every staff route: it is served only in debug mode."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from events_app.web.app import create_app


async def test_no_schema_unless_debug(client):
    for path in ("/schema", "/schema/openapi.json", "/schema/swagger"):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert "/staff/" not in response.text


async def test_debug_serves_the_schema_with_the_staff_routes(clean_db, settings):
    app = create_app(settings.with_overrides(debug=True))
    async with AsyncTestClient(app=app) as debug_client:
        schema = (await debug_client.get("/schema/openapi.json")).json()
    assert schema["info"]["title"] == "OCOP Fair Manager"
    assert any(path.startswith("/staff/") for path in schema["paths"])
