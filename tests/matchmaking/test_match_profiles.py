"""Hard filters, soft preferences and mutual interest in the match score: pure, with properties."""

import datetime as dt

from hypothesis import given, settings, strategies as st

from events_app.core.i18n import language
from events_app.matchmaking import matching
from events_app.matchmaking.matching import Held, Interest, Offer

DAY = dt.date(2026, 12, 10)
NGHE_AN, BAC_TRUNG_BO = 1, 10
FOOD = 100


def offer(product_id=1, producer_id=1, stars=4, certs=(), channels=(), capacity=None, unit="kg",
          valid_until=dt.date(2028, 1, 1), name="Cam Vinh"):
    return Offer(product_id, producer_id, name, FOOD, "Thực phẩm", stars, NGHE_AN, BAC_TRUNG_BO, "Nghệ An",
                 valid_until, tuple(certs), frozenset(channels), capacity, unit)


def wants(min_stars=3, kinds=(), channels=(), volume=None, unit="kg", group=True, **extra):
    return Interest(id=1, distributor_id=1, min_stars=min_stars, group_id=FOOD if group else None,
                    group_name="Thực phẩm" if group else "", required_kinds=frozenset(kinds),
                    channels=frozenset(channels), min_monthly_volume=volume, volume_unit=unit, **extra)


def vietgap(valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2027, 1, 1)):
    return Held("vietgap", valid_from, valid_until, "VG-123")


def test_a_required_certification_missing_or_expired_keeps_the_product_out_with_the_reason():
    need = wants(kinds={"vietgap"})
    assert matching.fits([need], [offer()], DAY) == ()
    assert matching.fits([need], [offer(certs=[vietgap(valid_until=dt.date(2026, 12, 9))])], DAY) == ()
    assert matching.fits([need], [offer(certs=[vietgap(valid_until=DAY)])], DAY)  # valid through the day
    passing, blocked = matching.assessed([need], [offer(certs=[vietgap(valid_until=dt.date(2026, 6, 30))])], DAY)
    assert passing == () and [p.code for p in blocked[0].problems] == ["expired"]
    candidate = matching.Candidate(1, "HTX Cam Vinh", passing, blocked)
    with language("vi"):
        explained = matching.explain(candidate, reader_is_producer=False)
    assert explained.blocked == [(
        "Cam Vinh, cho nhu cầu về thực phẩm từ 3★ trở lên",
        ["chứng nhận VietGAP đã hết hạn ngày 30/06/2026"],
    )]
    with language("en"):
        _, missing = matching.assessed([wants(kinds={"haccp"}, min_stars=5)], [offer()], DAY)
        text = matching.explain(matching.Candidate(1, "x", (), missing), reader_is_producer=True).blocked[0][1]
    assert text == ["4★, below the 5★ asked for", "no HACCP certification, which is required"]


def test_a_producers_certification_counts_for_its_products_and_a_later_one_is_not_yet_valid():
    later = vietgap(valid_from=dt.date(2027, 1, 1), valid_until=dt.date(2029, 1, 1))
    _, blocked = matching.assessed([wants(kinds={"vietgap"})], [offer(certs=[later])], DAY)
    assert [p.code for p in blocked[0].problems] == ["not_yet"]
    assert matching.fits([wants(kinds={"vietgap"})], [offer(certs=[later, vietgap()])], DAY)


def test_a_standards_declaration_without_an_end_date_counts_from_its_first_day_on():
    declared = Held("standards_declaration", dt.date(2025, 3, 1), None, "02/2025/TCB")
    need = wants(kinds={"standards_declaration"})
    assert declared.valid_on(dt.date(2099, 1, 1)) and not declared.valid_on(dt.date(2025, 2, 28))
    assert matching.fits([need], [offer(certs=[declared])], DAY)
    later = Held("standards_declaration", dt.date(2027, 1, 1), None, "03/2027/TCB")
    _, blocked = matching.assessed([need], [offer(certs=[later])], DAY)
    assert [p.code for p in blocked[0].problems] == ["not_yet"]


def test_channels_and_volume_are_soft_and_named_with_their_points():
    need = wants(channels={"supermarket", "export"}, volume=2, unit="tonne")
    rich = offer(channels={"supermarket"}, capacity=3000, unit="kg")
    poor = offer(capacity=1500, unit="kg")
    assert matching.points(need, rich, DAY) == matching.points(need, poor, DAY) + matching.CHANNEL_POINTS + matching.VOLUME_POINTS
    assert matching.points(need, poor, DAY) > 0  # too little volume is no hard filter
    assert matching.points(wants(volume=10, unit="litre"), offer(capacity=1000, unit="kg"), DAY) == \
        matching.points(wants(), offer(capacity=1000, unit="kg"), DAY)  # litres and kilograms are not compared
    with language("vi"):
        fit = matching.fits([need], [rich], DAY)[0]
        lines = matching.explain(matching.Candidate(1, "x", (fit,)), reader_is_producer=False).fits[0][1]
    assert "+5 bán qua kênh cả hai cùng dùng: Siêu thị" in lines
    assert "+5 cung ứng 3.000 kg mỗi tháng, không dưới 2 tấn được yêu cầu" in lines


# Properties -------------------------------------------------------------------------------------

kinds = st.frozensets(st.sampled_from(["vietgap", "haccp", "organic"]), max_size=2)
dates = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2028, 12, 31))


@st.composite
def offers(draw, producer_id):
    count = draw(st.integers(1, 3))
    out = []
    for n in range(count):
        held = []
        for kind in draw(kinds):
            start = draw(dates)
            held.append(Held(kind, start, start + dt.timedelta(days=draw(st.integers(0, 900)))))
        out.append(offer(
            product_id=producer_id * 10 + n, producer_id=producer_id, stars=draw(st.integers(3, 5)), certs=held,
            channels=draw(st.frozensets(st.sampled_from(["supermarket", "export", "ecommerce"]))),
            capacity=draw(st.none() | st.integers(1, 5000)), unit=draw(st.sampled_from(["kg", "tonne", "litre"])),
            valid_until=draw(dates), name=draw(st.sampled_from(["Cam", "Bưởi", "Gà", "Trà"])),
        ))
    return out


interests = st.builds(
    wants, min_stars=st.integers(3, 5), kinds=kinds,
    channels=st.frozensets(st.sampled_from(["supermarket", "export"])),
    volume=st.none() | st.integers(1, 3000), unit=st.sampled_from(["kg", "tonne", "litre"]), group=st.booleans(),
)


@st.composite
def markets(draw):
    wanted = draw(st.lists(interests, min_size=1, max_size=2))
    producers = [(pid, draw(st.sampled_from(["An", "Bình", "Cường", "Dũng"])), draw(offers(pid))) for pid in range(1, draw(st.integers(2, 6)))]
    mutual = draw(st.sets(st.sampled_from([pid for pid, _, _ in producers])))
    return wanted, producers, mutual


@settings(max_examples=150, deadline=None)
@given(markets())
def test_a_hard_filtered_producer_never_ranks_above_one_that_passes(market):
    wanted, producers, mutual = market
    ranked = matching.producers_for(wanted, producers, DAY, mutual)
    seen_blocked = False
    for candidate in ranked:
        if not candidate.passes:
            seen_blocked = True
            assert candidate.score == 0 and candidate.blocked
        else:
            assert not seen_blocked, [c.passes for c in ranked]
            assert all(fit.passes for fit in candidate.fits)


@settings(max_examples=150, deadline=None)
@given(markets())
def test_mutual_interest_comes_first_among_those_that_pass(market):
    wanted, producers, mutual = market
    ranked = [c for c in matching.producers_for(wanted, producers, DAY, mutual) if c.passes]
    flags = [c.mutual for c in ranked]
    assert flags == sorted(flags, reverse=True)
    assert {c.id for c in ranked if c.mutual} == {c.id for c in ranked} & mutual
    for a, b in zip(ranked, ranked[1:]):  # among equals in mutuality, the score decides
        if a.mutual == b.mutual:
            assert a.score >= b.score


@settings(max_examples=150, deadline=None)
@given(markets())
def test_the_reasons_name_every_factor_that_moved_the_score(market):
    wanted, producers, mutual = market
    for candidate in matching.producers_for(wanted, producers, DAY, mutual):
        with language("en"):
            explained = matching.explain(candidate, reader_is_producer=False)
        shown = sum(int(line.split(" ", 1)[0]) for _, lines in explained.fits for line in lines)
        assert shown == candidate.score
        assert len(explained.fits) == len(candidate.fits)
        for (_, lines), fit in zip(explained.fits, candidate.fits):
            assert len(lines) == len([f for f in fit.factors if f.points])
        for (_, lines), fit in zip(explained.blocked, candidate.blocked):
            assert len(lines) == len(fit.problems) > 0
        assert bool(explained.mutual) == candidate.mutual


@settings(max_examples=100, deadline=None)
@given(markets())
def test_one_score_whichever_side_looks(market):
    wanted, producers, _ = market
    for pid, name, found in producers:
        by_distributor = matching.producers_for(wanted, [(pid, name, found)], DAY)
        by_producer = matching.distributors_for(found, [(1, "Co.op", wanted)], DAY)
        assert [c.score for c in by_distributor] == [c.score for c in by_producer]
