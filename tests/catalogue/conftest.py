"""A small shelf of certified products from several provinces and groups, for the catalogue tests."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from events_app.directory.tables import Producer
from tests.catalogue.builders import catalogue_product
from tests.factories import make_producer
from tests.helpers import catalogue_worker


@pytest.fixture
async def shelf(clean_db) -> SimpleNamespace:
    ga = await make_producer("HTX Chăn nuôi gà Tiên Yên", province="Quảng Ninh")
    muoi = await make_producer("HTX Muối tôm Bạc Liêu", province="Cà Mau")
    await Producer.update({Producer.province_as_written: "Bạc Liêu"}).where(Producer.id == muoi.id)
    duong = await make_producer("Cơ sở Đường phèn Bình Sơn", province="Quảng Ngãi", producer_type="household")
    duoc = await make_producer("HTX Dược liệu Con Cuông", province="Nghệ An")
    return SimpleNamespace(
        producers=SimpleNamespace(ga=ga, muoi=muoi, duong=duong, duoc=duoc),
        ga=await catalogue_product(ga, "Gà Tiên Yên", stars=4),
        muoi=await catalogue_product(muoi, "Muối tôm", stars=3),
        duong=await catalogue_product(duong, "ĐƯỜNG PHÈN hạt", stars=3),
        mia=await catalogue_product(duong, "Mật mía đường non", stars=4, group="beverages"),
        ca_gai_leo=await catalogue_product(duoc, "Trà túi lọc Cà gai leo", stars=4, group="herbal"),
        linh_chi=await catalogue_product(duoc, "Nấm linh chi đỏ", stars=5, group="herbal"),
        expired=await catalogue_product(duoc, "Trà Giảo cổ lam cũ", stars=4, group="herbal",
                                        certified_on=dt.date(2023, 1, 10)),
    )


@pytest.fixture
async def pdf_worker(settings):
    """On PostgreSQL, a procrastinate worker taking catalogue jobs while the test runs."""
    async with catalogue_worker(settings) as task:
        yield task
