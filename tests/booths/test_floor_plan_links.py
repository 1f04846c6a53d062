from events_app.demo.data import DEMO_PASSWORD, FAIR
from events_app.demo.loader import load_demo
from tests.helpers import login


async def test_floor_plan_offers_the_form_only_to_producers_who_have_not_applied(client):
    await load_demo()
    await login(client, "producer2@ocop.example", DEMO_PASSWORD)  # has not applied to the fair
    html = (await client.get(f"/events/{FAIR}/floor-plan")).text
    assert f'href="/events/{FAIR}/apply"' in html

    await client.post("/logout", data={"_csrf_token": client.cookies.get("ocop_csrf")})
    await login(client, "producer@ocop.example", DEMO_PASSWORD)  # confirmed at A-05
    html = (await client.get(f"/events/{FAIR}/floor-plan")).text
    assert f'href="/events/{FAIR}/apply"' not in html
    assert 'href="/my/applications"' in html
