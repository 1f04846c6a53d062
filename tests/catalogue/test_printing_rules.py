"""The pure parts of printing: sharing a limit out among groups, a hall's grid, page numbers, job states."""

import datetime as dt

from events_app.booths.floorplan import HallPlan, PlacedBooth, grid
from events_app.catalogue.documents import plan_grid, share_out, short_story
from events_app.catalogue.pdf import RenderedSection
from events_app.catalogue.printing import page_map
from events_app.catalogue.rules import JOBS, can_retry, seen_status


def test_a_limit_is_shared_out_so_every_group_keeps_some():
    assert share_out(100, [3, 4]) == [3, 4]  # all fit
    assert share_out(10, [3, 50, 2, 0, 7]) == [2, 3, 2, 0, 3]
    assert sum(share_out(5_000, [4_000, 3_000, 10, 1])) == 5_000
    assert share_out(5_000, [4_000, 3_000, 10, 1])[2:] == [10, 1]


def test_a_story_is_cut_at_a_word():
    assert short_story("  Gà   đồi\nTiên Yên ") == "Gà đồi Tiên Yên"
    cut = short_story("một hai ba bốn năm", length=10)
    assert cut == "một hai ba…"


def test_a_hall_grid_keeps_rows_columns_and_aisles():
    booths = tuple(PlacedBooth(i, s.code, "standard", s.x, s.y, s.width, s.depth, 0, "free")
                   for i, s in enumerate(grid(4, 3, "A")))
    plan = plan_grid(HallPlan("Khu A", 40, 30, booths), {"A-01": "HTX Một", "A-12": "HTX Mười hai"}, columns=2)
    first, second = plan["bands"]
    assert [[c and c["code"] for c in row["cells"]] for row in first] == [["A-01", "A-02"], ["A-04", "A-05"],
                                                                           ["A-07", "A-08"], ["A-10", "A-11"]]
    assert [row["aisle"] for row in first] == [False, False, True, False]  # rows back to back, then an aisle
    assert first[0]["cells"][0]["name"] == "HTX Một" and second[3]["cells"][0] == {"code": "A-12", "name": "HTX Mười hai"}


def test_pages_of_sections_and_their_anchors():
    sections = [RenderedSection("plan", "", b"", 2, {"plan": 0}), RenderedSection("hall-1", "", b"", 5, {"ex-1": 0, "ex-2": 3})]
    pages, after = page_map(sections)
    assert pages == {"plan": 1, "hall-1": 3, "ex-1": 3, "ex-2": 6} and after == 8


def test_a_job_left_alone_is_failed_and_may_be_retried():
    at = dt.datetime(2026, 12, 1, 12, tzinfo=dt.timezone.utc)
    assert seen_status("running", at - dt.timedelta(minutes=1), at) == "running"
    assert seen_status("running", at - dt.timedelta(minutes=7), at) == "failed"
    assert seen_status("queued", at - dt.timedelta(minutes=11), at) == "failed"
    assert seen_status("done", at - dt.timedelta(days=1), at) == "done"
    assert can_retry("failed", at, at) and can_retry("running", at - dt.timedelta(hours=1), at)
    assert not can_retry("running", at, at) and not can_retry("done", at, at)
    assert JOBS.after("retry", "failed") == "queued" and not JOBS.allows("finish", "queued")
