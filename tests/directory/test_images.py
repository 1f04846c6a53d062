"""Product photos: checked by their content, re-encoded, stored under the media directory, served."""

import io

import pytest
from PIL import Image

from events_app.directory.images import ImageRefused, ImageStore, prepare_image
from events_app.directory.tables import Product
from tests.directory.conftest import MAX_UPLOAD, image_bytes, noise_png
from tests.directory.test_products import product_form
from tests.helpers import post_form, text_of

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def stored_files(settings) -> list:
    folder = settings.media_dir / "products"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


async def add_with_image(client, filename: str, content: bytes, content_type: str = "image/jpeg"):
    return await post_form(
        client, "/my/products/new", await product_form(), page="/my/products/new",
        files={"image": (filename, content, content_type)},
    )


async def test_a_good_photo_is_re_encoded_stored_and_served(producer_client, producer, settings):
    response = await add_with_image(producer_client, "che.jpg", image_bytes("JPEG", exif=True))
    assert response.status_code == 302
    row = await Product.objects().where(Product.producer == producer.id).first()
    assert row.image.startswith("products/") and row.image.endswith(".jpg")
    assert len(row.image.split("/")[1]) == 32 + 4  # a random name, not the uploaded one
    stored = (settings.media_dir / row.image).read_bytes()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (120, 90)
        assert not image.getexif()  # metadata is not kept

    served = await producer_client.get(f"/media/{row.image}")
    assert served.status_code == 200 and served.content == stored
    assert served.headers["content-type"] == "image/jpeg"
    page = await producer_client.get(f"/products/{row.slug}")
    assert f'src="/media/{row.image}"' in page.text


@pytest.mark.parametrize("image_format, extension", [("PNG", "png"), ("WEBP", "webp")])
async def test_png_and_webp_keep_their_format(producer_client, producer, settings, image_format, extension):
    await add_with_image(producer_client, f"anh.{extension}", image_bytes(image_format), f"image/{extension}")
    row = await Product.objects().where(Product.producer == producer.id).first()
    assert row.image.endswith(f".{extension}")
    with Image.open(settings.media_dir / row.image) as image:
        assert image.format == image_format


@pytest.mark.parametrize(
    "filename, content, message",
    [
        ("che.jpg", b"This is not an image at all", "Tệp này không phải ảnh JPEG, PNG hoặc WebP."),
        ("che.jpg", PDF_BYTES, "Tệp này không phải ảnh JPEG, PNG hoặc WebP."),
        ("che.gif", image_bytes("GIF"), "Tệp này không phải ảnh JPEG, PNG hoặc WebP."),
        ("che.png", image_bytes("PNG")[:60], "Tệp này không phải ảnh JPEG, PNG hoặc WebP."),
        ("che.jpg", b"", "Tệp trống. Hãy chọn ảnh JPEG, PNG hoặc WebP."),
        ("che.png", noise_png(400, 400), "Ảnh lớn hơn 300 KB. Hãy chọn ảnh nhỏ hơn."),
    ],
    ids=["text", "pdf-renamed-jpg", "gif", "truncated-png", "empty", "too-large"],
)
async def test_bad_uploads_are_refused_with_a_message_and_nothing_saved(
    producer_client, settings, filename, content, message
):
    response = await add_with_image(producer_client, filename, content)
    assert response.status_code == 400
    text = text_of(response.text)
    assert message in text
    assert 'value="Chè xanh Thanh Chương"' in response.text  # the rest of the form is kept
    assert await Product.count() == 0
    assert stored_files(settings) == []


async def test_a_bad_new_photo_loses_nothing_already_saved(producer_client, producer, settings):
    await add_with_image(producer_client, "che.jpg", image_bytes("JPEG"))
    row = await Product.objects().where(Product.producer == producer.id).first()
    before = stored_files(settings)

    data = await product_form(name="Tên mới không được lưu")
    response = await post_form(
        producer_client, f"/my/products/{row.id}/edit", data, page="/my/products",
        files={"image": ("moi.jpg", PDF_BYTES, "image/jpeg")},
    )
    assert response.status_code == 400
    assert "Tệp này không phải ảnh JPEG, PNG hoặc WebP." in text_of(response.text)
    after = await Product.objects().where(Product.id == row.id).first()
    assert after.name == "Chè xanh Thanh Chương" and after.image == row.image
    assert stored_files(settings) == before


async def test_replacing_and_removing_a_photo_cleans_up_the_old_file(producer_client, producer, settings):
    await add_with_image(producer_client, "che.jpg", image_bytes("JPEG"))
    row = await Product.objects().where(Product.producer == producer.id).first()
    first = row.image

    await post_form(
        producer_client, f"/my/products/{row.id}/edit", await product_form(), page="/my/products",
        files={"image": ("moi.png", image_bytes("PNG", color=(10, 120, 40)), "image/png")},
    )
    row = await Product.objects().where(Product.id == row.id).first()
    assert row.image != first and row.image.endswith(".png")
    assert stored_files(settings) == [row.image.split("/")[1]]

    # Editing without a file keeps the photo; ticking "remove" takes it away.
    await post_form(producer_client, f"/my/products/{row.id}/edit", await product_form(), page="/my/products")
    assert (await Product.objects().where(Product.id == row.id).first()).image == row.image
    await post_form(
        producer_client, f"/my/products/{row.id}/edit", await product_form(remove_image="1"), page="/my/products"
    )
    assert (await Product.objects().where(Product.id == row.id).first()).image == ""
    assert stored_files(settings) == []


async def test_deleting_a_product_removes_its_photo(producer_client, producer, settings):
    await add_with_image(producer_client, "che.jpg", image_bytes("JPEG"))
    row = await Product.objects().where(Product.producer == producer.id).first()
    await post_form(producer_client, f"/my/products/{row.id}/delete", {}, page="/my/products")
    assert stored_files(settings) == []


def test_large_photos_are_scaled_down_and_bombs_refused():
    big = image_bytes("JPEG", size=(4000, 1000))
    prepared = prepare_image(big, max_bytes=10 * 1024 * 1024)
    with Image.open(io.BytesIO(prepared.data)) as image:
        assert image.size == (2000, 500)

    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, "PNG")  # tiny file, a hundred million pixels
    with pytest.raises(ImageRefused) as refused:
        prepare_image(bomb.getvalue(), max_bytes=MAX_UPLOAD)
    assert refused.value.message == "The image has too many pixels. Choose a smaller one."


def test_the_store_deletes_only_its_own_files(tmp_path):
    store = ImageStore(media_dir=tmp_path, max_bytes=MAX_UPLOAD)
    outside = tmp_path / "secret.txt"
    outside.write_text("keep me")
    store.delete("../secret.txt")
    store.delete("products/../secret.txt")
    assert outside.exists()
    name = store.save(prepare_image(image_bytes("PNG"), max_bytes=MAX_UPLOAD))
    assert (tmp_path / name).exists()
    store.delete(name)
    assert not (tmp_path / name).exists()


SCRIPT = b"<script>alert(document.cookie)</script>"


def _segments(jpeg: bytes) -> list[tuple[int, bytes]]:
    """The marker segments of a JPEG up to its image data: (marker, content)."""
    assert jpeg[:2] == b"\xff\xd8"
    segments, at = [], 2
    while True:
        marker = jpeg[at + 1]
        length = int.from_bytes(jpeg[at + 2:at + 4], "big")
        segments.append((marker, jpeg[at + 4:at + 2 + length]))
        if marker == 0xDA:  # start of scan: the pixels follow
            return segments
        at += 2 + length


def _photo_with_everything() -> bytes:
    """A phone photo's worth of metadata, a script in a COM comment, and text after the image."""
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x013B] = "Nguyen Van Secret"  # Artist
    exif[0x8825] = {2: (21.0, 1.0, 30.0), 4: (105.0, 51.0, 0.0)}  # GPS position
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description creator="Secret XMP"/></x:xmpmeta>'
    out = io.BytesIO()
    Image.new("RGB", (120, 90), (180, 40, 40)).save(
        out, "JPEG", exif=exif.tobytes(), comment=SCRIPT, xmp=xmp, icc_profile=b"Secret ICC profile" * 4)
    data = out.getvalue()
    comment = b"\xff\xfe" + (len(SCRIPT) + 2).to_bytes(2, "big") + SCRIPT  # a second COM, first in the file
    return data[:2] + comment + data[2:] + b"<html>" + SCRIPT


async def test_a_photos_comments_and_metadata_are_not_stored(producer_client, producer, settings):
    upload = _photo_with_everything()
    markers = [marker for marker, _ in _segments(upload)]
    assert markers.count(0xFE) == 2 and 0xE1 in markers and 0xE2 in markers  # COM, APP1 (EXIF, XMP), APP2 (ICC)
    response = await add_with_image(producer_client, "anh.jpg", upload)
    assert response.status_code == 302
    row = await Product.objects().where(Product.producer == producer.id).first()
    stored = (settings.media_dir / row.image).read_bytes()
    for secret in (SCRIPT, b"script", b"Secret", b"Camera maker", b"xmpmeta", b"<html>"):
        assert secret not in stored
    kept = [marker for marker, _ in _segments(stored)]
    assert not {0xFE, 0xE1, 0xE2} & set(kept), [hex(m) for m in kept]  # no COM, EXIF, XMP or ICC segment
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (120, 90) and not image.getexif() and "comment" not in image.info

    served = await producer_client.get(f"/media/{row.image}")
    assert served.content == stored
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-security-policy"] == "default-src 'none'; img-src 'self'; style-src 'none'; sandbox"


async def test_png_text_chunks_are_not_stored(producer_client, producer, settings):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    info.add_itxt("XML:com.adobe.xmp", "Secret XMP")
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 40)).save(out, "PNG", pnginfo=info)
    await add_with_image(producer_client, "anh.png", out.getvalue(), "image/png")
    row = await Product.objects().where(Product.producer == producer.id).first()
    stored = (settings.media_dir / row.image).read_bytes()
    assert b"script" not in stored and b"Secret" not in stored
    assert b"tEXt" not in stored and b"iTXt" not in stored and b"zTXt" not in stored
