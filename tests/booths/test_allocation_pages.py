"""Staff allocate a fair's booths by its rules: set the rules, preview, pin, commit, all or nothing."""

from events_app.core.audit import AuditLog
from events_app.booths import decisions, market, rules
from events_app.booths.tables import AllocationMark, AllocationPolicy, BoothApplication, BoothRental
from tests.booths.conftest import log_in, producer_with_products
from tests.factories import make_user
from tests.helpers import post_form, text_of


async def _applicants(event, booths, count: int, *, province: str = "Nghệ An", first_choice: str = "A-01") -> list[int]:
    ids = []
    for n in range(count):
        producer, products, _ = await producer_with_products(f"HTX {province} {n + 1}", province=province)
        form = rules.ApplicationForm(product_ids=[p.id for p in products], preference_ids=[booths[first_choice]])
        ids.append(await decisions.apply(event, producer.id, form))
    return ids


async def _statuses(ids) -> dict[int, tuple]:
    rows = await BoothApplication.select(BoothApplication.id, BoothApplication.status, BoothApplication.waiting_place).where(
        BoothApplication.id.is_in(list(ids)))
    return {r["id"]: (r["status"], r["waiting_place"]) for r in rows}


RULES = {"per_star": "10", "first_time": "5", "cooperative": "0", "reserved_min_stars": "4", "quota_rows": "4",
         "quota_kind_0": "province", "quota_name_0": "Nghệ An", "quota_min_0": "", "quota_max_0": "5"}


async def test_staff_set_rules_preview_pin_and_commit(client, fair):
    event, booths = fair["event"], fair["booths"]
    nghe_an = await _applicants(event, booths, 7)
    ha_tinh = await _applicants(event, booths, 2, province="Hà Tĩnh", first_choice="A-08")
    staff = await make_user("staff")
    await log_in(client, staff)
    url = f"/staff/events/{event['id']}/allocation"

    response = await post_form(client, f"{url}/rules", RULES, page=url)
    assert response.status_code == 302
    policy = await market.policy_of(event["id"])
    assert policy.quotas == (market.QuotaRow("province", "Nghệ An", 0, 5),)

    page = text_of((await client.get(url)).text)
    assert "8 gian hàng còn trống (0 đã có đơn vị), 9 hồ sơ đang chờ: 7 sẽ được gian hàng, 2 sẽ chờ" in page
    # The first Nghệ An applicant gets its first choice; the sixth waits because of the quota.
    assert "gian hàng A-01, nguyện vọng 1" in page
    assert "hạn mức của Nghệ An đã đủ (5 gian hàng), xếp thứ 1 trong danh sách chờ" in page
    assert "gian hàng A-08, nguyện vọng 1" in page  # the first of Hà Tĩnh

    # Staff pin the last Nghệ An applicant to A-03: it is admitted, so the fifth waits instead.
    response = await post_form(client, f"{url}/applications/{nghe_an[6]}", {"action": "pin", "booth_id": str(booths["A-03"])},
                               page=url)
    assert response.status_code == 302
    assert await AllocationMark.count() == 1
    page_html = (await client.get(url)).text
    assert "Được chỉ định gian hàng A-03" in text_of(page_html)
    token = page_html.split('name="token" value="')[1].split('"')[0]

    response = await post_form(client, f"{url}/commit", {"token": token}, page=url)
    assert response.status_code == 302
    statuses = await _statuses(nghe_an + ha_tinh)
    assert [statuses[a] for a in nghe_an] == [("approved", None)] * 4 + [("waitlisted", 1), ("waitlisted", 2), ("approved", None)]
    assert all(statuses[a] == ("approved", None) for a in ha_tinh)
    pinned = await BoothRental.select(BoothRental.booth).where(BoothRental.application == nghe_an[6]).first()
    assert pinned["booth"] == booths["A-03"]
    reason = (await BoothApplication.select(BoothApplication.decision_reason).where(
        BoothApplication.id == nghe_an[4]).first())["decision_reason"]
    assert reason.endswith("hạn mức của Nghệ An đã đủ (5 gian hàng), xếp thứ 1 trong danh sách chờ")
    assert await AuditLog.count().where(AuditLog.action == "booths.allocate") == 1
    assert await AllocationMark.count() == 0  # the marks served their preview
    assert "7 hồ sơ được duyệt kèm gian hàng, 2 hồ sơ trong danh sách chờ" in text_of(
        (await client.get(f"/staff/events/{event['id']}/applications")).text)


async def test_booths_held_already_count_in_the_quota_and_as_neighbours(client, fair):
    event, booths = fair["event"], fair["booths"]
    staff = await make_user("staff")
    # A Nghệ An food producer holds A-02 from an earlier round.
    [earlier] = await _applicants(event, booths, 1, first_choice="A-02")
    await decisions.approve(earlier, booths["A-02"], staff_id=staff.id)
    newcomers = await _applicants(event, booths, 2, first_choice="A-01")
    await log_in(client, staff)
    url = f"/staff/events/{event['id']}/allocation"
    rules_form = {**RULES, "quota_max_0": "2", "separate_groups": "on"}
    assert (await post_form(client, f"{url}/rules", rules_form, page=url)).status_code == 302

    page_html = (await client.get(url)).text
    page = text_of(page_html)
    # Nghệ An's quota of two booths counts A-02: one newcomer more, the other waits.
    assert "7 gian hàng còn trống (1 đã có đơn vị), 2 hồ sơ đang chờ: 1 sẽ được gian hàng, 1 sẽ chờ" in page
    assert "hạn mức của Nghệ An đã đủ (2 gian hàng), xếp thứ 1 trong danh sách chờ" in page
    token = page_html.split('name="token" value="')[1].split('"')[0]
    assert (await post_form(client, f"{url}/commit", {"token": token}, page=url)).status_code == 302

    statuses = await _statuses(newcomers)
    assert statuses == {newcomers[0]: ("approved", None), newcomers[1]: ("waitlisted", 1)}
    given = (await BoothRental.select(BoothRental.booth).where(BoothRental.application == newcomers[0]).first())["booth"]
    # Its first choice A-01 is beside the food producer at A-02: another booth, not beside it either.
    assert given not in {booths["A-01"], booths["A-02"], booths["A-03"]}

async def test_a_commit_of_an_outdated_preview_changes_nothing(client, fair):
    event, booths = fair["event"], fair["booths"]
    ids = await _applicants(event, booths, 3)
    staff = await make_user("staff")
    await log_in(client, staff)
    url = f"/staff/events/{event['id']}/allocation"
    token = (await client.get(url)).text.split('name="token" value="')[1].split('"')[0]
    # Meanwhile another producer applies: the preview no longer says what would happen.
    await _applicants(event, booths, 1, province="Hà Tĩnh")
    response = await post_form(client, f"{url}/commit", {"token": token}, page=url)
    assert response.status_code == 409
    assert "đã thay đổi kể từ bản xem trước" in text_of(response.text)
    assert set((await _statuses(ids)).values()) == {("submitted", None)}
    assert await BoothRental.count() == 0


async def test_bad_rules_are_explained_and_not_saved(client, fair):
    event = fair["event"]
    await log_in(client, await make_user("staff"))
    url = f"/staff/events/{event['id']}/allocation"
    bad = {**RULES, "per_star": "99999999999", "quota_name_0": "Tỉnh Không Có", "quota_rows": "999999",
           "reserved_types": "stage", "quota_min_1": "x"}
    response = await post_form(client, f"{url}/rules", bad, page=url)
    assert response.status_code == 400
    text = text_of(response.text)
    assert "Nhập số không lớn hơn 1000." in text
    assert "Chọn trong các lựa chọn có sẵn." in text  # a booth type that cannot be reserved
    assert await AllocationPolicy.count() == 0
    response = await post_form(client, f"{url}/rules", {**RULES, "quota_name_0": "Tỉnh Không Có"}, page=url)
    assert response.status_code == 400
    assert "Hạn mức 1: không có tỉnh, vùng hay nhóm sản phẩm nào tên “Tỉnh Không Có”." in text_of(response.text)
    assert await AllocationPolicy.count() == 0


async def test_only_staff_allocate(client, fair):
    event, booths = fair["event"], fair["booths"]
    ids = await _applicants(event, booths, 1)
    url = f"/staff/events/{event['id']}/allocation"
    for role in ("producer", "distributor"):
        client.cookies.clear()
        await log_in(client, await make_user(role))
        assert (await client.get(url)).status_code == 403
        assert (await post_form(client, f"{url}/commit", {"token": "x"}, page="/")).status_code == 403
        assert (await post_form(client, f"{url}/applications/{ids[0]}",
                                {"action": "pin", "booth_id": str(booths["A-01"])}, page="/")).status_code == 403
    client.cookies.clear()
    response = await client.get(url)
    assert response.status_code in (302, 303) and response.headers["location"].startswith("/login")
    assert await AllocationMark.count() == 0
    assert set((await _statuses(ids)).values()) == {("submitted", None)}


async def test_hostile_values_on_the_allocation_forms_are_refused_clearly(client, fair):
    event, booths = fair["event"], fair["booths"]
    ids = await _applicants(event, booths, 1)
    await log_in(client, await make_user("staff"))
    url = f"/staff/events/{event['id']}/allocation"
    for bad in ({"quota_name_0": "x" * 10_000}, {"hold_minutes": "-5"},
                {"quota_max_0": "99999999999999999999"}, {"reserved_min_stars": "0001"}):
        response = await post_form(client, f"{url}/rules", {**RULES, **bad}, page=url)
        assert response.status_code == 400, bad
        assert "Vui lòng sửa các trường được đánh dấu." in text_of(response.text), bad
    for data in ({"action": "pin", "booth_id": "2147483648"}, {"action": "bump", "booth_id": "1"}, {"action": "pin"}):
        response = await post_form(client, f"{url}/applications/{ids[0]}", data, page=url)
        assert response.status_code == 400, data
    response = await post_form(client, f"{url}/commit", {"token": "t" * 10_000}, page=url)
    assert response.status_code == 400
    assert await AllocationPolicy.count() == 0 and await AllocationMark.count() == 0
    # NUL characters are dropped as everywhere: the rules are saved with the quota named right.
    response = await post_form(client, f"{url}/rules", {**RULES, "quota_name_0": "Nghệ\x00 An"}, page=url)
    assert response.status_code == 302
    assert (await market.policy_of(event["id"])).quotas[0].name == "Nghệ An"
