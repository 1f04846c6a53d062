"""Visitors who are not logged in start only so many catalogues nobody printed before, per
network: past that they get 429, a page that says why in their language, and Retry-After.
Printed catalogues stay open to everyone, and logged-in accounts are not limited. Proven with
thirty requests at once on a live server with two worker processes, on both engines."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

import httpx
from events_app.catalogue.rules import AT_ONCE_WAIT, RenderAllowance, cold_render_wait
from events_app.catalogue.tables import CatalogueJob, JobStatus
from events_app.core.clock import now
from tests.catalogue.printed import fetch_pdf, pdf_text
from tests.factories import PASSWORD, make_user
from tests.helpers import form_token, login, post_form, text_of
from tests.live import live_server

ALLOWED = RenderAllowance(renders=6, window=dt.timedelta(minutes=10), at_once=2)
MOMENT = dt.datetime(2026, 12, 3, 5, 0, tzinfo=dt.timezone.utc)
TITLE_VI = "Quá nhiều danh mục mới cùng lúc"
LIMIT_VI = re.compile(r"Danh mục chưa được in trước đó cần thời gian để tạo, và mạng của bạn vừa yêu cầu nhiều "
                      r"danh mục như vậy\. Vui lòng thử lại sau (\d+) phút \(lúc \d\d:\d\d\); các danh mục đã in "
                      r"sẵn vẫn mở được ngay, và khi đăng nhập thì không bị giới hạn này\.")


def _done(minutes_ago: float) -> tuple[dt.datetime, str, dt.datetime]:
    at = MOMENT - dt.timedelta(minutes=minutes_ago)
    return at, JobStatus.done.value, at


def _going(minutes_ago: float, status: str = JobStatus.running.value) -> tuple[dt.datetime, str, dt.datetime]:
    at = MOMENT - dt.timedelta(minutes=minutes_ago)
    return at, status, MOMENT - dt.timedelta(seconds=5)


def test_the_allowance_counts_recent_starts_and_those_still_going():
    assert cold_render_wait([], ALLOWED, MOMENT) is None
    assert cold_render_wait([_done(m) for m in (1, 2, 3, 4, 5)], ALLOWED, MOMENT) is None
    # The sixth start in ten minutes is the last: the next waits until the oldest of six is ten minutes old.
    six = [_done(m) for m in (1, 2, 3, 4, 5, 7)]
    assert cold_render_wait(six, ALLOWED, MOMENT) == dt.timedelta(minutes=3)
    assert cold_render_wait(six + [_done(9)], ALLOWED, MOMENT) == dt.timedelta(minutes=3)
    assert cold_render_wait([_done(m) for m in (1, 2, 3, 4, 5, 11)], ALLOWED, MOMENT) is None  # one left the window
    # Two being printed at once: wait for one to finish, however few were started.
    assert cold_render_wait([_going(0.5), _going(1, JobStatus.queued.value)], ALLOWED, MOMENT) == AT_ONCE_WAIT
    assert cold_render_wait([_going(0.5), _done(1)], ALLOWED, MOMENT) is None
    # A job nobody moved for long has lost its worker: it no longer holds a place.
    lost = (MOMENT - dt.timedelta(minutes=30), JobStatus.running.value, MOMENT - dt.timedelta(minutes=20))
    assert cold_render_wait([_going(0.5), lost], ALLOWED, MOMENT) is None


async def _network_of_the_test_client(client) -> str:
    await client.get("/catalogue.pdf?q=tim-mang")
    [row] = await CatalogueJob.select(CatalogueJob.requested_from)
    await CatalogueJob.delete(force=True)
    return row["requested_from"]


async def test_past_the_allowance_the_page_says_why_and_logged_in_readers_go_on(app, client, shelf, monkeypatch):
    from events_app.catalogue import jobs

    monkeypatch.setattr(jobs, "INLINE_WAIT_SECONDS", 0)
    monkeypatch.setattr(jobs, "enqueue", _no_printing)
    network = await _network_of_the_test_client(client)
    assert network
    # Two of this network's catalogues are being printed.
    for n in range(2):
        await CatalogueJob.insert(CatalogueJob(key=f"going-{n}", kind="products", subject=f"q=x{n}", language="vi",
                                               status="running", requested_from=network, created_at=now(),
                                               updated_at=now()))
    refused = await client.get("/catalogue.pdf?stars=5")
    assert refused.status_code == 429 and refused.headers["retry-after"] == "30"
    assert refused.headers["content-type"].startswith("text/html")
    page = text_of(refused.text)
    assert TITLE_VI in page and LIMIT_VI.search(page)[1] == "1"
    assert "script-src 'self'" in refused.headers["content-security-policy"]
    assert await CatalogueJob.count() == 2

    await post_form(client, "/language", {"language": "en", "next": "/"})
    english = text_of((await client.get("/catalogue.pdf?stars=5")).text)
    assert "Too many new catalogues at once" in english
    assert re.search(r"Please try again in 1 min \(at \d\d:\d\d\); catalogues already printed open at once, and "
                     r"logging in lifts this limit\.", english), english

    # Posing as another network through X-Forwarded-For changes nothing without a configured proxy.
    other = await client.get("/catalogue.pdf?stars=4", headers={"X-Forwarded-For": "203.0.113.9"})
    assert other.status_code == 429

    # Logged in, the same reader prints what it likes, and is not counted.
    staff = await make_user("staff", "canbo@example.vn")
    await login(client, staff.email, PASSWORD)
    accepted = await client.get("/catalogue.pdf?stars=5")
    assert accepted.status_code == 202
    started = await CatalogueJob.select(CatalogueJob.subject, CatalogueJob.requested_from).where(
        CatalogueJob.subject == "stars=5")
    assert started == [{"subject": "stars=5", "requested_from": ""}]


async def _no_printing(job_id, key, settings) -> None:
    """The job stays queued: what is tested is who may start one."""


async def test_thirty_new_catalogues_at_once_from_one_network_start_six(clean_db):
    """Two worker processes take thirty requests for thirty catalogues nobody printed: six jobs
    start, every other request is refused with 429; the count holds across the workers because
    it is made under the network's lock. A printed one opens at once for anyone, and logged-in
    staff print while the network is held back."""
    staff = await make_user("staff", "canbo@example.vn")
    environment = {"JOB_QUEUE": "local", "ANONYMOUS_PDF_RENDERS": "6", "ANONYMOUS_PDF_AT_ONCE": "100"}
    with live_server(workers=2, environment=environment) as base:
        limits = httpx.Limits(max_connections=40, max_keepalive_connections=40)
        async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as visitor, \
                httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as officer:
            urls = [f"/catalogue.pdf?q=khong-co-{n}" for n in range(30)]
            answers = await asyncio.gather(*(visitor.get(url) for url in urls))
            statuses = [a.status_code for a in answers]
            admitted = [url for url, a in zip(urls, answers) if a.status_code != 429]
            assert sorted(statuses).count(429) == 24 and len(admitted) == 6, statuses
            assert set(statuses) <= {200, 202, 429}
            jobs = await CatalogueJob.select(CatalogueJob.subject, CatalogueJob.requested_from)
            assert sorted(j["subject"] for j in jobs) == sorted(url.split("?")[1] for url in admitted)
            assert {j["requested_from"] for j in jobs} == {"127.0.0.1"}

            refused = next(a for a in answers if a.status_code == 429)
            assert 1 <= int(refused.headers["retry-after"]) <= 600
            shown = LIMIT_VI.search(text_of(refused.text))
            assert shown and 1 <= int(shown[1]) <= 10
            assert TITLE_VI in text_of(refused.text)

            # A catalogue printed already opens for the same network, however held back it is.
            printed = await fetch_pdf(visitor, admitted[0])
            assert printed.status_code == 200 and printed.content.startswith(b"%PDF")
            assert "Danh mục sản phẩm OCOP" in pdf_text(printed.content)
            assert (await visitor.get(f"/catalogue.pdf?q=khong-co-{30}")).status_code == 429

            # Logged in, staff start new ones at once, however busy the network.
            page = await officer.get("/login")
            await officer.post("/login", data={"_csrf_token": form_token(page.text), "email": staff.email,
                                               "password": PASSWORD})
            own = await asyncio.gather(*(officer.get(f"/catalogue.pdf?q=can-bo-{n}") for n in range(5)))
            assert [a.status_code for a in own].count(429) == 0, [a.status_code for a in own]
            assert await CatalogueJob.count().where(CatalogueJob.requested_from == "") == 5
            # Let the jobs finish before the server stops, so none is cut off mid-write.
            for _ in range(1200):
                if not await CatalogueJob.exists().where(CatalogueJob.status.is_in(["queued", "running"])):
                    break
                await asyncio.sleep(0.1)
