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


def form_of(page: str) -> dict[str, str]:
    """The review form's fields as the page shows them (selected option, textarea text)."""
    data = {}
    for name, body in re.findall(r'<select name="(p\d+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="(-?\d*)" selected', body)
        data[name] = chosen.group(1) if chosen else ""
    for tag in re.findall(r'<input type="number" name="p\d+"[^>]*>', page):  # the deduction indicator
        value = re.search(r'value="(-?\d*)"', tag)
        data[re.search(r'name="(p\d+)"', tag).group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<textarea name="(r\d+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[name] = body.strip()
    return data


def self_points(page: str) -> dict[str, str]:
    """Every indicator's self-assessed points on a review page, as form data (p<N>: points)."""
    return {f"p{n}": p for n, p in re.findall(r'id="indicator-(\d+)".*?data-self-points>(-?\d+)<', page, re.S)}
