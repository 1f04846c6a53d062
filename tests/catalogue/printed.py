"""Asking for a printed catalogue as a browser does: the PDF, or the progress page until it is ready."""

from __future__ import annotations

import asyncio
import io

from pypdf import PdfReader

WAIT_SECONDS = 120  # a cold worker pool on a busy machine takes a while to start


async def fetch_pdf(client, url: str, **kwargs):
    """GET `url`, looking again while the progress page answers (202), as its refresh does."""
    response = await client.get(url, **kwargs)
    deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
    while response.status_code == 202 and "http-equiv" in response.text and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.2)
        response = await client.get(url, **kwargs)
    return response


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
