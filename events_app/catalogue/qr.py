"""QR codes that lead from a printed label or catalogue to a product's page."""

from __future__ import annotations

import segno


def product_url(public_url: str, slug: str) -> str:
    """The absolute address of a product page, as printed QR codes carry it."""
    return f"{public_url.rstrip('/')}/products/{slug}"


def qr_svg(url: str, *, scale: int = 4) -> str:
    """An inline SVG QR code for `url`, sized by CSS (a viewBox, no width); error correction M."""
    return segno.make(url, error="m", micro=False).svg_inline(scale=scale, border=2, svgclass="qr", title=url, omitsize=True)
