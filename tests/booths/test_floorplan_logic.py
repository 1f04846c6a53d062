"""Pure logic of floor plans and rental periods."""

import datetime as dt

from events_app.booths import floorplan
from events_app.booths.periods import Period, month_of, months_from, rental_price, shift_month
from events_app.booths.services import booth_choices, free_booths, placed_booths

D = dt.date


def test_grid_numbers_row_by_row_with_an_aisle_after_every_second_row():
    spots = floorplan.grid(3, 2, "B", width=2.5, depth=3, aisle=2, origin=(1, 1))
    assert [s.code for s in spots] == ["B-01", "B-02", "B-03", "B-04", "B-05", "B-06"]
    assert [(s.x, s.y) for s in spots] == [(1, 1), (3.5, 1), (1, 4), (3.5, 4), (1, 9), (3.5, 9)]
    assert floorplan.grid(10, 10, "C", first_number=1)[-1].code == "C-100"
    assert floorplan.grid(1, 2, "D", first_number=41)[0].code == "D-41"


def test_outside_lists_the_booths_past_the_walls():
    spots = floorplan.grid(2, 5, "A", width=3, depth=3, origin=(1, 1))  # x up to 16, y up to 7
    assert floorplan.outside(spots, 16, 7) == []
    assert floorplan.outside(spots, 15, 7) == ["A-05", "A-10"]
    assert floorplan.outside(spots, 16, 6) == ["A-06", "A-07", "A-08", "A-09", "A-10"]
    assert floorplan.outside([floorplan.BoothSpot("X", -1, 0, 1, 1)], 10, 10) == ["X"]


def test_status_of_a_booth():
    assert floorplan.status_of(True, "active", "confirmed") == floorplan.BLOCKED
    assert floorplan.status_of(False, None, None) == floorplan.FREE
    assert floorplan.status_of(False, "cancelled", "cancelled") == floorplan.FREE
    assert floorplan.status_of(False, "held", "submitted") == floorplan.HELD
    assert floorplan.status_of(False, "active", "approved") == floorplan.HELD  # awaiting the producer's confirmation
    assert floorplan.status_of(False, "active", "confirmed") == floorplan.TAKEN


def _booth(id, code, hall=1, blocked=False, x=1.0):
    return {"id": id, "code": code, "hall": hall, "booth_type": "standard", "x": x, "y": 1.0, "width": 3.0,
            "depth": 3.0, "price": 100, "is_blocked": blocked}


def _rental(booth, application, producer, status="active", app_status="confirmed", start=D(2026, 12, 1), end=D(2026, 12, 31)):
    return {"booth": booth, "application": application, "producer": producer, "producer_name": f"HTX {producer}",
            "status": status, "application_status": app_status, "starts_on": start, "ends_on": end}


def test_placed_booths_and_hall_plans():
    booths = [_booth(1, "A-02"), _booth(2, "A-01"), _booth(3, "A-03", blocked=True), _booth(4, "Z-01", hall=None, x=50)]
    rentals = [_rental(1, 10, 7), _rental(2, 11, 8, status="held", app_status="submitted")]
    placed = placed_booths(booths, rentals, viewer_producer_id=7)
    plans = floorplan.hall_plans([{"id": 1, "name": "Khu A", "width": 40, "depth": 24}], placed)
    assert [p.name for p in plans] == ["Khu A", ""]
    hall = plans[0]
    assert [b.code for b in hall.booths] == ["A-01", "A-02", "A-03"]
    by_code = {b.code: b for b in hall.booths}
    assert by_code["A-02"].status == "taken" and by_code["A-02"].own and by_code["A-02"].holder == "HTX 7"
    assert by_code["A-02"].outline == floorplan.OWN_OUTLINE
    # Who merely asked is not shown publicly; staff see it.
    assert by_code["A-01"].status == "held" and by_code["A-01"].holder == "" and not by_code["A-01"].own
    assert placed_booths(booths, rentals, None, all_holders=True)[1][1].holder == "HTX 8"
    assert by_code["A-03"].status == "blocked" and by_code["A-03"].fill == floorplan.COLOURS["blocked"][0]
    assert (hall.count("free"), hall.count("held"), hall.count("taken"), hall.count("blocked")) == (0, 1, 1, 1)
    assert hall.view_box == "-1 -1 42 26"
    # A booth placed past the hall's walls widens the drawing rather than disappearing.
    loose = plans[1]
    assert loose.view_width == 50 + 3 + 2


def test_font_size_fits_the_code_in_the_booth():
    narrow = floorplan.PlacedBooth(1, "A-100", "standard", 0, 0, 2.0, 3.0, 0, "free")
    assert narrow.font_size * 0.7 * 5 <= 2.0
    assert floorplan.PlacedBooth(1, "A-1", "standard", 0, 0, 6.0, 2.0, 0, "free").font_size == 0.6


def test_periods():
    assert months_from(D(2026, 12, 15), 1) == Period(D(2026, 12, 1), D(2026, 12, 31))
    assert months_from(D(2026, 12, 1), 3) == Period(D(2026, 12, 1), D(2027, 2, 28))
    assert month_of(D(2028, 2, 10)) == Period(D(2028, 2, 1), D(2028, 2, 29))
    assert shift_month(D(2026, 1, 31), -1) == D(2025, 12, 1)
    december = Period(D(2026, 12, 1), D(2026, 12, 31))
    assert december.overlaps(Period(D(2026, 12, 31), D(2027, 1, 31)))  # the last day counts
    assert not december.overlaps(Period(D(2027, 1, 1), D(2027, 1, 31)))
    assert december.whole_months() == 1
    assert Period(D(2026, 12, 1), D(2027, 2, 28)).whole_months() == 3
    assert Period(D(2026, 12, 2), D(2026, 12, 31)).whole_months() is None
    assert Period(D(2026, 12, 1), D(2026, 12, 30)).whole_months() is None
    assert december.within(Period(D(2026, 1, 1), D(2027, 12, 31)))
    assert not december.within(Period(D(2026, 12, 5), D(2027, 12, 31)))


def test_rental_price_per_month_or_per_day():
    assert rental_price(1_500_000, Period(D(2026, 12, 1), D(2027, 2, 28))) == 4_500_000
    assert rental_price(1_500_000, Period(D(2026, 12, 1), D(2026, 12, 15))) == 750_000


def test_free_booths_and_the_choices_staff_get():
    booths = [_booth(1, "A-01"), _booth(2, "A-02"), _booth(3, "A-03"), _booth(4, "A-04", blocked=True)]
    december = Period(D(2026, 12, 1), D(2026, 12, 31))
    rentals = [_rental(1, 10, 7), _rental(2, 11, 8, start=D(2027, 1, 1), end=D(2027, 1, 31))]
    assert [b["code"] for b in free_booths(booths, rentals, december)] == ["A-02", "A-03"]
    assert [b["code"] for b in free_booths(booths, rentals, december, except_application=10)] == ["A-01", "A-02", "A-03"]
    application = {"id": 12, "live_rental": None,
                   "preferences": [{"booth": 1, "code": "A-01", "rank": 1}, {"booth": 3, "code": "A-03", "rank": 2}]}
    choices = booth_choices(application, booths, rentals, december)
    # The taken first choice is left out; the free second choice comes first.
    assert [(c["code"], c["note"]) for c in choices] == [("A-03", "preference"), ("A-02", "")]
    holder = {"id": 10, "live_rental": {"booth": 1}, "preferences": []}
    assert [c["code"] for c in booth_choices(holder, booths, rentals, december)][0] == "A-01"
