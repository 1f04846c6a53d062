"""Signed-in producers and distributors, and images made in memory, for the directory tests."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from tests.factories import PASSWORD, make_distributor, make_producer, make_user
from tests.helpers import login

# Small enough that a test can send a file over the limit, large enough for real photos.
MAX_UPLOAD = 300 * 1024


@pytest.fixture
def settings(settings):
    return settings.with_overrides(max_upload_bytes=MAX_UPLOAD)


def image_bytes(image_format: str = "JPEG", size: tuple[int, int] = (120, 90), color=(180, 40, 40), exif: bool = False) -> bytes:
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "Camera maker"  # Make
        data[0x0131] = "Secret editor"  # Software
        options["exif"] = data.tobytes()
    image.save(out, image_format, **options)
    return out.getvalue()


def noise_png(width: int, height: int) -> bytes:
    """A PNG that does not compress: random pixels."""
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
async def producer(clean_db):
    return await make_producer("HTX Chè Thanh Chương", province="Nghệ An")


@pytest.fixture
async def producer_client(client, producer):
    await make_user("producer", "chuthe@example.vn", producer=producer)
    await login(client, "chuthe@example.vn", PASSWORD)
    return client


@pytest.fixture
async def distributor(clean_db):
    return await make_distributor("Siêu thị Đà Nẵng")


@pytest.fixture
async def distributor_client(client, distributor):
    await make_user("distributor", "muahang@example.vn", distributor=distributor)
    await login(client, "muahang@example.vn", PASSWORD)
    return client
