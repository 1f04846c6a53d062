"""Scoring producers against distributors' interests: pure functions, real sentences."""

import datetime as dt

from events_app.core.i18n import language
from events_app.matchmaking import matching
from events_app.matchmaking.matching import Interest, Offer

NGHE_AN, DAK_LAK, BAC_TRUNG_BO, TAY_NGUYEN = 1, 2, 10, 20
FOOD, BEVERAGES, HERBAL = 100, 200, 300
CONFERENCE_DAY = dt.date(2026, 11, 29)


def offer(product_id=1, producer_id=1, name="Trà linh chi", group=BEVERAGES, group_name="Đồ uống", stars=4,
          province=NGHE_AN, region=BAC_TRUNG_BO, province_name="Nghệ An", valid_until=dt.date(2028, 1, 1)):
    return Offer(product_id, producer_id, name, group, group_name, stars, province, region, province_name, valid_until)


def beverages(min_stars=4, **extra):
    return Interest(id=1, distributor_id=1, min_stars=min_stars, group_id=BEVERAGES, group_name="Đồ uống", **extra)


def test_the_reason_says_what_fits_and_why_in_the_readers_language():
    fits = matching.fits([beverages()], [offer()], CONFERENCE_DAY)
    candidate = matching.Candidate(1, "HTX Trà Con Cuông", fits)
    with language("vi"):
        assert matching.reasons(candidate, reader_is_producer=False) == [
            "Trà linh chi: Đồ uống 4★ từ Nghệ An, phù hợp nhu cầu của bạn về đồ uống từ 4★ trở lên"
        ]
    english = Interest(id=1, distributor_id=1, min_stars=4, group_id=BEVERAGES, group_name="Beverages")
    with language("en"):
        fits = matching.fits([english], [offer(group_name="Beverages")], CONFERENCE_DAY)
        assert matching.reasons(matching.Candidate(1, "x", fits), reader_is_producer=False) == [
            "Trà linh chi: 4★ Beverages from Nghệ An, matches your interest in beverages ≥ 4★"
        ]


def test_the_producer_reads_the_distributors_interest_with_its_volume_and_place():
    wanted = Interest(id=7, distributor_id=3, min_stars=3, group_id=None, region_id=BAC_TRUNG_BO,
                      place_name="Bắc Trung Bộ và Duyên hải miền Trung", volume="2 tấn/tháng")
    fits = matching.fits([wanted], [offer(name="Cam Vinh", group=FOOD, group_name="Food", stars=3)], CONFERENCE_DAY)
    with language("en"):
        assert matching.reasons(matching.Candidate(3, "Saigon Co.op", fits), reader_is_producer=True) == [
            "Your Cam Vinh (3★ Food) matches their interest in any product ≥ 3★ from "
            "Bắc Trung Bộ và Duyên hải miền Trung, volume 2 tấn/tháng"
        ]


def test_an_interest_fits_by_group_stars_and_place():
    assert matching.points(beverages(), offer()) > 0
    assert matching.points(beverages(), offer(group=FOOD)) == 0  # another group
    assert matching.points(beverages(min_stars=5), offer(stars=4)) == 0  # too few stars
    in_highlands = beverages(region_id=TAY_NGUYEN, place_name="Tây Nguyên")
    assert matching.points(in_highlands, offer()) == 0  # Nghệ An is not in the Highlands
    assert matching.points(in_highlands, offer(province=DAK_LAK, region=TAY_NGUYEN)) > 0
    only_dak_lak = beverages(province_id=DAK_LAK, place_name="Đắk Lắk")
    assert matching.points(only_dak_lak, offer()) == 0
    anything = Interest(id=2, distributor_id=1, min_stars=3)
    assert matching.points(anything, offer(group=HERBAL, stars=3)) > 0


def test_precise_interests_and_better_products_score_higher():
    anything = Interest(id=2, distributor_id=1, min_stars=3)
    assert matching.points(beverages(), offer()) > matching.points(anything, offer())
    province = beverages(province_id=NGHE_AN, place_name="Nghệ An")
    region = beverages(region_id=BAC_TRUNG_BO, place_name="Bắc Trung Bộ")
    assert matching.points(province, offer()) > matching.points(region, offer()) > matching.points(beverages(), offer())
    assert matching.points(anything, offer(stars=5)) > matching.points(anything, offer(stars=4))


def test_expired_certificates_do_not_count_and_each_product_counts_once():
    two_interests = [beverages(), Interest(id=2, distributor_id=1, min_stars=3)]
    fits = matching.fits(two_interests, [offer(), offer(product_id=2, valid_until=dt.date(2026, 11, 28))], CONFERENCE_DAY)
    assert [fit.offer.product_id for fit in fits] == [1]
    assert fits[0].interest.id == 1  # the interest it fits best
    assert matching.fits(two_interests, [offer(valid_until=CONFERENCE_DAY)], CONFERENCE_DAY)  # valid on the day


def test_producers_are_ranked_by_score_then_name_and_non_matches_left_out():
    interests = [beverages(min_stars=3), Interest(id=2, distributor_id=1, min_stars=3, group_id=HERBAL, group_name="Thảo dược")]
    producers = [
        (1, "Bình Minh", [offer(producer_id=1, stars=3)]),
        (2, "An Phú", [offer(producer_id=2, stars=3)]),
        (3, "Đông Hải", [offer(producer_id=3, stars=5), offer(product_id=9, producer_id=3, group=HERBAL, stars=4)]),
        (4, "Ế Hàng", [offer(producer_id=4, group=FOOD)]),
    ]
    ranked = matching.producers_for(interests, producers, CONFERENCE_DAY)
    assert [c.name for c in ranked] == ["Đông Hải", "An Phú", "Bình Minh"]
    assert ranked[0].score > ranked[1].score == ranked[2].score
    assert len(ranked[0].fits) == 2


def test_distributors_are_ranked_for_a_producer_with_the_same_score():
    offers = [offer(), offer(product_id=2, name="Nấm linh chi", group=HERBAL, group_name="Thảo dược", stars=5)]
    distributors = [
        (1, "Saigon Co.op", [beverages()]),
        (2, "Central Retail", [Interest(id=3, distributor_id=2, min_stars=4, group_id=HERBAL, group_name="Thảo dược",
                                        region_id=BAC_TRUNG_BO, place_name="Bắc Trung Bộ")]),
        (3, "Không quan tâm", [Interest(id=4, distributor_id=3, min_stars=5, group_id=FOOD, group_name="Thực phẩm")]),
        (4, "Không có nhu cầu", []),
    ]
    ranked = matching.distributors_for(offers, distributors, CONFERENCE_DAY)
    assert [c.name for c in ranked] == ["Central Retail", "Saigon Co.op"]
    seen_by_distributor = matching.producers_for([beverages()], [(1, "HTX", offers)], CONFERENCE_DAY)[0]
    assert seen_by_distributor.score == ranked[1].score  # one score, whichever side looks
