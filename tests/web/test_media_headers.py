"""What uploaded files and the site's own files are answered with: a file under /media/ can be
shown and nothing else, whatever it holds; error pages carry the site's security headers."""

MEDIA_POLICY = "default-src 'none'; img-src 'self'; style-src 'none'; sandbox"


async def test_media_files_are_shown_never_run(client, settings):
    folder = settings.media_dir / "products"
    folder.mkdir(parents=True, exist_ok=True)
    # A file that is a page in disguise: were it read as HTML, its script still would not run.
    (folder / "trap.html").write_bytes(b"<html><script>alert(document.cookie)</script></html>")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    for path in ("/media/products/trap.html", "/media/products/photo.jpg", "/media/products/missing.jpg"):
        response = await client.get(path)
        assert response.headers["content-security-policy"] == MEDIA_POLICY, path
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["cross-origin-resource-policy"] == "same-origin", path
        assert "set-cookie" not in response.headers, path
    missing = await client.get("/media/products/missing.jpg")
    assert missing.status_code == 404 and "Không tìm thấy trang" in missing.text
    photo = await client.get("/media/products/photo.jpg")
    assert photo.headers["content-type"] == "image/jpeg" and photo.content.startswith(b"\xff\xd8")


async def test_static_files_and_error_pages_carry_their_headers(client):
    css = await client.get("/static/css/app.css")
    assert css.status_code == 200 and css.headers["x-content-type-options"] == "nosniff"
    assert css.headers["content-type"].startswith("text/css")
    missing = await client.get("/no-such-page")
    assert missing.status_code == 404 and "Không tìm thấy trang" in missing.text
    assert missing.headers["x-frame-options"] == "DENY"
    assert missing.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in missing.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in missing.headers["content-security-policy"]
