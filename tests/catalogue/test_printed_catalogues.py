"""Printed catalogues end to end: what they show (floor plan, stories, every group), their
version key (ETag, 304, a change moves it), and the job flow (progress page, then the file;
one job for two people; a lost job tried again), on SQLite and on PostgreSQL with procrastinate."""

from __future__ import annotations

import asyncio
import datetime as dt
import io

import pytest
from pypdf import PdfReader

from events_app.catalogue import documents, jobs
from events_app.catalogue.tables import CatalogueJob, JobStatus
from events_app.core.clock import now
from events_app.directory.images import ImageStore
from events_app.directory.products import ProductInput, update_product
from events_app.directory.tables import Product
from events_app.reference.services import PRODUCT_GROUPS
from tests.catalogue.builders import catalogue_product, exhibit, make_fair
from tests.catalogue.printed import fetch_pdf, pdf_text
from tests.factories import make_producer
from tests.helpers import post_form, text_of

STORY = "Gà được thả đồi dưới tán rừng keo, ăn ngô và thóc của bà con Tiên Yên."


BOOTHS_BY_FAIR: dict[int, dict[str, int]] = {}


@pytest.fixture
async def fair(shelf):
    fair, booths = await make_fair(title="Hội chợ OCOP Bắc Trung Bộ")
    BOOTHS_BY_FAIR[fair["id"]] = booths
    p = shelf.producers
    await Product.update({Product.story: STORY}).where(Product.id == shelf.ga.id)
    await exhibit(fair, p.duoc, [shelf.ca_gai_leo, shelf.linh_chi], status="confirmed", booth_id=booths["A-02"])
    await exhibit(fair, p.ga, [shelf.ga], status="approved", booth_id=booths["A-01"])
    await exhibit(fair, p.duong, [shelf.duong, shelf.mia], status="approved", booth_id=booths["B-01"])
    return fair


def url_of(fair: dict) -> str:
    return f"/events/{fair['slug']}/catalogue.pdf"


@pytest.fixture
def no_wait(monkeypatch):
    """Requests answer with the progress page at once instead of waiting for a small catalogue."""
    monkeypatch.setattr(jobs, "INLINE_WAIT_SECONDS", 0)


async def test_the_floor_plan_page_the_stories_and_the_contents(client, fair, pdf_worker):
    response = await fetch_pdf(client, url_of(fair))
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    pages = [page.extract_text() for page in reader.pages]

    # The floor plan: a page for each hall, its booths with their exhibitors (names in lines that fit).
    [first] = [n for n, text in enumerate(pages) if text.startswith("Sơ đồ gian hàng")]
    hall_a, hall_b = (" ".join(text.split()) for text in pages[first:first + 2])
    assert hall_a.startswith("Sơ đồ gian hàng") and "Khu A · 6 gian hàng" in hall_a
    assert hall_b.startswith("Khu B · 4 gian hàng")
    for code in ("A-01", "A-02", "A-03", "A-06"):  # free booths too
        assert code in hall_a, code
    assert "B-01 Cơ sở Đường phèn Bình Sơn" in hall_b and "B-04" in hall_b
    assert hall_a.index("A-01 HTX Chăn nuôi gà Tiên Yên") < hall_a.index("A-02 HTX Dược liệu Con Cuông")

    text = "\n".join(pages)
    assert STORY in text
    # The contents list the halls, the provinces and the groups with the printed page numbers.
    contents = pages[1]
    assert contents.startswith("Mục lục") and "Sơ đồ gian hàng 1" in contents
    assert "Khu A (2 đơn vị trưng bày) A-01 – A-02 3" in contents and "Quảng Ninh (1 đơn vị trưng bày) 4" in contents
    assert "Gà Tiên Yên — HTX Chăn nuôi gà Tiên Yên · A-01 · tr. 3" in text  # the index gives the page
    assert pages[2].rstrip().endswith("1 / 4")  # page numbers printed on the numbered pages
    assert [item.title for item in reader.outline] == ["Sơ đồ gian hàng", "Khu A", "Tra cứu theo tỉnh, thành phố"]


async def test_every_group_appears_and_a_cut_catalogue_says_so(client, clean_db, monkeypatch, pdf_worker):
    producer = await make_producer("HTX Tổng hợp Quỳnh Lưu")
    for code, name_vi, _ in PRODUCT_GROUPS:
        for n in range(3):
            await catalogue_product(producer, f"Sản phẩm {code} {n}", group=code, stars=3 + n)
    whole = pdf_text((await fetch_pdf(client, "/catalogue.pdf")).content)
    for _, name_vi, _ in PRODUCT_GROUPS:
        assert name_vi in whole, name_vi
    assert "trên 18 sản phẩm phù hợp" not in whole

    # Fewer may be printed than match: every group keeps its best-rated ones, and the contents say so.
    monkeypatch.setattr(documents, "PDF_PRODUCT_LIMIT", len(PRODUCT_GROUPS) * 2)
    cut = pdf_text((await fetch_pdf(client, "/catalogue.pdf?stars=3")).content)
    assert "Danh mục này in 12 trên 18 sản phẩm phù hợp" in cut
    for code, name_vi, _ in PRODUCT_GROUPS:
        assert f"{name_vi} (2 sản phẩm trên 3)" in " ".join(cut.split()), name_vi
        assert f"Sản phẩm {code} 2" in cut and f"Sản phẩm {code} 0" not in cut  # 5 stars kept, 3 stars left out


async def test_an_unchanged_catalogue_is_answered_by_its_version(client, fair, settings, pdf_worker):
    first = await fetch_pdf(client, url_of(fair))
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag.startswith('"')

    unchanged = await client.get(url_of(fair), headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged.headers["etag"] == etag
    again = await client.get(url_of(fair))
    assert again.status_code == 200 and again.content == first.content and again.headers["etag"] == etag
    assert await CatalogueJob.count() == 1  # answered from the kept file: no new job, no rendering

    # A product changed through the directory's own service: a new version, with the new story.
    row = await Product.select().where(Product.name == "Gà Tiên Yên").first()
    await update_product(
        row["producer"], row["id"],
        ProductInput(name=row["name"], group_id=row["group"], stars=row["stars"], certificate_number=row["certificate_number"],
                     certified_on=row["certified_on"], evaluation_level=row["evaluation_level"], price=row["price"],
                     unit=row["unit"], story="Gà đồi Tiên Yên, nuôi thả tự nhiên."),
        upload=None, remove_image=False, store=ImageStore(settings.media_dir, settings.max_upload_bytes), actor_id=None,
    )
    changed = await fetch_pdf(client, url_of(fair), headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert "Gà đồi Tiên Yên, nuôi thả tự nhiên." in pdf_text(changed.content) and STORY not in pdf_text(changed.content)
    assert await CatalogueJob.count() == 2


async def test_a_booking_moves_its_fairs_catalogue_and_no_other(client, fair, shelf, settings, pdf_worker):
    other, other_booths = await make_fair(title="Hội chợ OCOP Tây Nguyên")  # a new fair is a new choice of filter
    first = await fetch_pdf(client, url_of(fair))
    etag = first.headers["etag"]
    await exhibit(other, shelf.producers.duoc, [shelf.linh_chi], status="confirmed", booth_id=other_booths["A-01"])

    unchanged = await client.get(url_of(fair), headers={"If-None-Match": etag})
    assert unchanged.status_code == 304  # another fair's booking leaves this one's catalogue

    await exhibit(fair, shelf.producers.duoc, [shelf.mia], status="confirmed", booth_id=fair_booth(fair, "B-02"))
    changed = await fetch_pdf(client, url_of(fair), headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert "B-02" in pdf_text(changed.content)


def fair_booth(fair: dict, code: str) -> int:
    return BOOTHS_BY_FAIR[fair["id"]][code]


async def _finish(settings) -> None:
    """What a worker does with the jobs waiting: procrastinate's worker on PostgreSQL; on SQLite the
    web process has started them already, so wait for them."""
    if settings.job_queue == jobs.PROCRASTINATE:
        from events_app.catalogue import queue

        await queue.run_worker(settings, wait=False, install_signal_handlers=False)
        return
    for _ in range(1200):
        if not await CatalogueJob.exists().where(CatalogueJob.status.is_in([JobStatus.queued, JobStatus.running])):
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the job did not finish")


async def test_a_long_catalogue_shows_its_progress_then_the_file(client, fair, settings, no_wait):
    waiting = await client.get(url_of(fair))
    assert waiting.status_code == 202 and waiting.headers["content-type"].startswith("text/html")
    assert waiting.headers["cache-control"] == "no-store"
    assert '<meta http-equiv="refresh" content="2">' in waiting.text
    page = text_of(waiting.text)
    assert "Danh mục đang được chuẩn bị…" in page and "Ai yêu cầu cùng danh mục" in page
    if settings.job_queue == jobs.PROCRASTINATE:  # queued for a worker, which nobody runs yet
        assert "Đang chờ đến lượt in…" in page
        [waiting_job] = await CatalogueJob.select(CatalogueJob.status).output(as_list=True) or [None]
        assert waiting_job == JobStatus.queued

    await _finish(settings)
    [job] = await CatalogueJob.select(CatalogueJob.status, CatalogueJob.done, CatalogueJob.total, CatalogueJob.attempts)
    assert job == {"status": "done", "done": job["total"], "total": job["total"], "attempts": 1} and job["total"] >= 2
    ready = await client.get(url_of(fair))
    assert ready.status_code == 200 and "HTX Chăn nuôi gà Tiên Yên" in pdf_text(ready.content)


async def test_two_people_asking_at_once_share_one_job(client, fair, settings, no_wait):
    first, second = await asyncio.gather(client.get(url_of(fair)), client.get(url_of(fair)))
    assert first.status_code == second.status_code == 202
    assert await CatalogueJob.count() == 1
    if settings.job_queue == jobs.PROCRASTINATE:
        from events_app.catalogue.queue import queue_app

        rows = await queue_app(settings.database_url).connector.execute_query_all_async(
            "SELECT id FROM procrastinate_jobs WHERE task_name = 'render_catalogue'"
        )
        assert len(rows) == 1
    await _finish(settings)
    [job] = await CatalogueJob.select(CatalogueJob.status, CatalogueJob.attempts)
    assert job == {"status": "done", "attempts": 1}  # rendered once
    one, two = await asyncio.gather(client.get(url_of(fair)), client.get(url_of(fair)))
    assert one.content == two.content and one.content.startswith(b"%PDF")


async def test_a_lost_job_says_so_and_can_be_tried_again(client, fair, settings, pdf_worker):
    # A worker took the job and died: its row says running, and nobody has moved it for ten minutes.
    wanted = jobs.CatalogueRequest.event(fair, "vi")
    key = await jobs.version_key(wanted)
    await CatalogueJob.insert(CatalogueJob(
        key=key, kind=wanted.kind, subject=wanted.subject, language="vi", status=JobStatus.running.value,
        done=1, total=3, attempts=1, updated_at=now() - dt.timedelta(minutes=10),
    ))
    lost = await client.get(url_of(fair))
    assert lost.status_code == 202 and "http-equiv" not in lost.text  # nothing to wait for
    page = text_of(lost.text)
    assert "Không chuẩn bị được danh mục" in page and "Danh mục không được chuẩn bị xong kịp thời." in page
    [job_id] = await CatalogueJob.select(CatalogueJob.id).output(as_list=True)
    assert f'action="/catalogue-jobs/{job_id}/retry"' in lost.text

    retried = await post_form(client, f"/catalogue-jobs/{job_id}/retry", {}, page=url_of(fair))
    assert retried.status_code in (302, 303) and retried.headers["location"] == url_of(fair)
    ready = await fetch_pdf(client, url_of(fair))
    assert ready.status_code == 200 and "HTX Chăn nuôi gà Tiên Yên" in pdf_text(ready.content)
    [job] = await CatalogueJob.select(CatalogueJob.status, CatalogueJob.attempts)
    assert job == {"status": "done", "attempts": 2}


async def test_retrying_an_unknown_job_is_a_clear_404(client, clean_db):
    response = await post_form(client, "/catalogue-jobs/999/retry", {})
    assert response.status_code == 404
    assert "Danh mục này không còn được chuẩn bị nữa. Hãy yêu cầu lại." in text_of(response.text)
