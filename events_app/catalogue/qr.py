"""QR codes that lead from a printed label or catalogue to a product's page."""

from __future__ import annotations

import segno


def product_url(public_url: str, slug: str) -> str:
    """The absolute address of a product page, as printed QR codes carry it."""
    return f"{public_url.rstrip('/')}/products/{slug}"


# Every mask pattern makes a valid code that readers decode (the symbol says which one it uses);
# scoring all eight to pick the best, as segno does by default, took five times as long, which a
# catalogue of thousands of new products paid in full.
MASK = 2


def make(url: str):
    """The QR code of `url`: error correction M, a fixed mask."""
    return segno.make(url, error="m", micro=False, mask=MASK)


def qr_svg(url: str, *, scale: int = 4) -> str:
    """An inline SVG QR code for `url`, sized by CSS (a viewBox, no width); error correction M."""
    return make(url).svg_inline(scale=scale, border=2, svgclass="qr", title=url, omitsize=True)
