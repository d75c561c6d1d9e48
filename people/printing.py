"""Printing an activation sheet: A4 pages, one block per person with the link as a QR code, as HTML or PDF.

The PDF uses reportlab with its built-in CID font STSong-Light, so Chinese needs no font file (PDF readers supply
the face); the QR codes come from the `qrcode` library either way.
"""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from .sheets import Sheet

COLUMNS, ROWS = 2, 4  # blocks per A4 page: 2 × 4 cut-outs of 105 × 74 mm


def shown_time(moment) -> str:
    """A time as people read it: 2026-12-07 14:50 (Asia/Shanghai)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _qr(link: str, **options) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=2, **options)
    code.add_data(link)
    code.make(fit=True)
    return code


def qr_svg(link: str) -> str:
    """The link as an inline SVG QR code (no inline style, so it passes the page's CSP)."""
    out = io.BytesIO()
    _qr(link, image_factory=qrcode.image.svg.SvgPathImage).make_image().save(out)
    text = out.getvalue().decode()
    return text[text.index("<svg"):]


def notice(sheet: Sheet) -> str:
    """What every sheet says about its links."""
    return _("打印于 %(issued)s。每个二维码只能使用一次，%(days)s 天内有效（至 %(expires)s）；再次打印后本单作废。"
             "本单不含密码，请只交给本人。") % {
        "issued": shown_time(sheet.issued_at), "days": sheet.days, "expires": shown_time(sheet.expires_at)}


def sheet_html(sheet: Sheet, request=None) -> str:
    """Return the sheet as a printable HTML page (A4, page breaks every COLUMNS × ROWS people)."""
    per_page = COLUMNS * ROWS
    people = [{"person": p, "qr": qr_svg(p.link)} for p in sheet.people]
    pages = [people[i:i + per_page] for i in range(0, len(people), per_page)]
    return render_to_string("people/sheet.html", {
        "sheet": sheet, "pages": pages, "notice": notice(sheet), "expires": shown_time(sheet.expires_at),
    }, request=request)


def sheet_pdf(sheet: Sheet) -> bytes:
    """Return the sheet as an A4 PDF."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    pdf.setTitle(sheet.title)
    width, height = A4
    block_w, block_h = width / COLUMNS, (height - 20 * mm) / ROWS
    per_page = COLUMNS * ROWS
    for index, person in enumerate(sheet.people or [None]):
        if index and index % per_page == 0:
            pdf.showPage()
        if index % per_page == 0:
            _pdf_header(pdf, sheet, height)
        if person is None:
            pdf.setFont("STSong-Light", 12)
            pdf.drawString(15 * mm, height - 30 * mm, _("该范围内没有需要激活的人员。"))
            break
        slot = index % per_page
        x, y = (slot % COLUMNS) * block_w, height - 20 * mm - (slot // COLUMNS + 1) * block_h
        _pdf_block(pdf, person, x, y, block_w, block_h, sheet)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _pdf_header(pdf, sheet: Sheet, height) -> None:
    pdf.setFont("STSong-Light", 13)
    pdf.drawString(10 * mm, height - 10 * mm, sheet.title)
    text = pdf.beginText(10 * mm, height - 14.5 * mm)
    text.setFont("STSong-Light", 8.5)
    for line in _wrapped(notice(sheet), "STSong-Light", 8.5, A4[0] - 20 * mm):
        text.textLine(line)
    pdf.drawText(text)


def _wrapped(text: str, font: str, size: float, width: float) -> list[str]:
    """Break `text` into lines no wider than `width` points (Chinese has no spaces to break at)."""
    lines, line = [], ""
    for char in text:
        if line and stringWidth(line + char, font, size) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines


def _pdf_block(pdf, person, x, y, w, h, sheet: Sheet) -> None:
    pdf.setDash(3, 3)
    pdf.rect(x + 3 * mm, y + 3 * mm, w - 6 * mm, h - 6 * mm)
    pdf.setDash()
    matrix = _qr(person.link).get_matrix()
    side = 40 * mm
    cell = side / len(matrix)
    left, top = x + w - side - 6 * mm, y + h - 8 * mm
    for row_index, row in enumerate(matrix):
        for col_index, dark in enumerate(row):
            if dark:
                pdf.rect(left + col_index * cell, top - (row_index + 1) * cell, cell, cell, stroke=0, fill=1)
    room = left - (x + 8 * mm) - 2 * mm
    text = pdf.beginText(x + 8 * mm, y + h - 14 * mm)
    text.setFont("STSong-Light", 15)
    text.textLine(person.name)
    text.setFont("STSong-Light", 9)
    text.moveCursor(0, 4)
    lines = [_("登录名（手机号）："), person.login, *person.roles[:3], _("手机扫码设置密码，有效至"),
             shown_time(sheet.expires_at)]
    for line in lines:
        # STSong-Light has no U+00B7 middle dot; the katakana one (U+30FB) draws the same.
        for part in _wrapped(line.replace("·", "・"), "STSong-Light", 9, room):
            text.textLine(part)
    pdf.drawText(text)
    pdf.setFont("Helvetica", 5.5)
    pdf.drawString(x + 8 * mm, y + 6 * mm, person.link)
