"""Helpers of the pilot screens' HTTP tests: page text, the messages shown, the move buttons on a pilot page."""

from __future__ import annotations

import io
import re

from PIL import Image

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def text(response) -> str:
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return response.content.decode()


def follow(client, response) -> str:
    """Follow a redirect and return the page it lands on."""
    assert response.status_code == 302, response.status_code
    return text(client.get(response["Location"]))


def buttons(page: str) -> list[str]:
    """The moves offered on a pilot page, in order."""
    section = re.search(r"<section data-moves>(.*?)</section>", page, re.S)
    return re.findall(r'data-move="(\w+)"', section.group(1)) if section else []


def application_url(pilot) -> str:
    return f"/admin/pilots/applications/{pilot.application_id}/"


def pilot_url(pilot) -> str:
    return f"/admin/pilots/{pilot.pk}/"


def move_url(pilot, move: str) -> str:
    return f"/admin/pilots/{pilot.pk}/moves/{move}/"


def review_url(pilot, kind: str) -> str:
    return f"/admin/pilots/reviews/{pilot.reviews.get(kind=kind).pk}/"
