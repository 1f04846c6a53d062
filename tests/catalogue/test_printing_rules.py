"""The pure parts of printing: sharing a limit out among groups, a hall's grid, page numbers, job states."""

import datetime as dt

from events_app.booths.floorplan import HallPlan, PlacedBooth, PlacedFeature, grid
from events_app.catalogue.documents import PLAN_PAGE_MM, plan_drawing, share_out, short_story
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


def test_a_hall_is_drawn_to_scale_to_fit_one_page():
    booths = tuple(PlacedBooth(i, s.code, "standard", s.x, s.y, s.width, s.depth, 0, "free")
                   for i, s in enumerate(grid(4, 3, "A")))
    plan = plan_drawing(HallPlan("Khu A", 40, 30, booths), {"A-01": "HTX Một", "A-12": "HTX Mười hai"})
    # The drawing keeps the hall's proportions (and its margin) and fills the page's room for it across.
    assert plan["width_mm"] == PLAN_PAGE_MM[0] and plan["height_mm"] <= PLAN_PAGE_MM[1]
    scale = PLAN_PAGE_MM[0] / 42  # millimetres a metre: 40 m and a metre's margin each side
    assert abs(plan["height_mm"] - 32 * scale) < 0.1
    assert plan["floor"]["left"] == round(scale, 2) and plan["floor"]["width_mm"] == round(40 * scale, 2)
    first, last = plan["cells"][0], plan["cells"][-1]
    assert (first["code"], first["name"], first["left"], first["width"]) == ("A-01", "HTX Một", round(2 * scale, 2), round(3 * scale, 2))
    assert (last["code"], last["name"]) == ("A-12", "HTX Mười hai")
    assert [cell["name"] for cell in plan["cells"] if cell["code"] == "A-05"] == [""]  # a free booth
    # Booths never reach past the drawing.
    assert all(c["left"] + c["width"] <= plan["width_mm"] and c["top"] + c["height"] <= plan["height_mm"] for c in plan["cells"])


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


def test_the_printed_plan_draws_the_aisles_stage_and_pillars_in_place():
    booth = PlacedBooth(1, "A-01", "standard", 0, 0, 3, 3, 0, "free")
    stage = PlacedFeature(1, "stage", "Sân khấu chính", 10, 20, 12, 5)
    pillar = PlacedFeature(2, "pillar", "", 5, 5, 0.5, 0.5)
    plan = plan_drawing(HallPlan("Khu A", 40, 30, (booth,), features=(stage, pillar)), {})
    scale = PLAN_PAGE_MM[0] / 42
    drawn = {f["kind"]: f for f in plan["features"]}
    assert drawn["stage"]["label"] == "Sân khấu chính"
    assert (drawn["stage"]["left"], drawn["stage"]["top"]) == (round(11 * scale, 2), round(21 * scale, 2))
    assert drawn["stage"]["width"] == round(12 * scale, 2) and drawn["pillar"]["width"] == round(0.5 * scale, 2)
