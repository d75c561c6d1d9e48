"""A highlight report's photos, through the product's photo intake: each is checked by content within the size,
pixel and decode caps, and only its display copy and thumbnail (re-encoded, without EXIF or GPS) are kept. They
are decoded before the transaction opens, so a large one never holds a lock. While the report waits for the
province's approval it is locked, photos included."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actors import log, log_user
from checklists.photos import PhotoError, ProcessedPhoto
from checklists.photos import processed as photo_intake
from communities import policy

from ..actions import PublicationAction
from ..models import HighlightPage, HighlightPhoto
from ..page_permissions import approves, writes
from . import PublicationError

PHOTO_ADDED, PHOTO_REMOVED = "publications.photo_added", "publications.photo_removed"
MAX_PHOTOS = 20


def _require_editor(user, page: HighlightPage) -> None:
    """Refuse anyone who may not edit the report, and everyone while it waits for approval (but the approver)."""
    if not (writes(user, page) or approves(user, page)):
        raise PermissionDenied(policy.refusal(PublicationAction.WRITE_HIGHLIGHT))
    if page.permissions_for_user(user).page_locked():
        raise PublicationError(_("该亮点工作正在等待省大数据局审核，不能修改照片；如需修改，请先撤回审核"))


def _processed(photos: Sequence[tuple[str, bytes]]) -> list[tuple[str, ProcessedPhoto]]:
    done = []
    for name, data in photos:
        try:
            done.append((name, photo_intake(data)))
        except PhotoError as exc:
            raise PublicationError({"photos": f"{name}：{exc.message}"}) from exc
    return done


def highlight_photos_add(*, user, page: HighlightPage, photos: Sequence[tuple[str, bytes]],
                         caption: str = "") -> list[HighlightPhoto]:
    """Add photos to a report (all refused when one is; nothing is written then)."""
    _require_editor(user, page)
    caption = (caption or "").strip()
    if not photos:
        raise PublicationError({"photos": _("请选择照片")})
    if len(caption) > 200:
        raise PublicationError({"caption": _("图片说明不能超过200字")})
    existing = HighlightPhoto.objects.filter(page=page, removed_at__isnull=True).count()
    if existing + len(photos) > MAX_PHOTOS:
        raise PublicationError({"photos": _("每篇亮点工作最多%(n)d张照片") % {"n": MAX_PHOTOS}})
    return _write(user, page, _processed(photos), caption)


@transaction.atomic
def _write(user, page: HighlightPage, photos: list[tuple[str, ProcessedPhoto]], caption: str) -> list[HighlightPhoto]:
    page = HighlightPage.objects.select_for_update().get(pk=page.pk)
    _require_editor(user, page)  # again, under the lock: a submission may have come in meanwhile
    added = []
    for name, photo in photos:
        row = HighlightPhoto(page=page, caption=caption, original_name=name[-255:], sha256=photo.sha256,
                             added_by=log_user(user))
        stem = uuid.uuid4().hex
        row.image.save(f"{stem}.jpg", ContentFile(photo.display), save=False)
        row.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(photo.thumbnail), save=False)
        row.save()
        added.append(row)
    log(page, PHOTO_ADDED, actor=user, data={"photos": [p.pk for p in added], "sha256": [p.sha256 for p in added],
                                             "caption": caption})
    return added


@transaction.atomic
def highlight_photo_remove(*, user, photo: HighlightPhoto) -> HighlightPhoto:
    """Take a photo off its report (at once, also from the public page); the record stays."""
    page = HighlightPage.objects.select_for_update().get(pk=photo.page_id)
    _require_editor(user, page)
    photo = HighlightPhoto.objects.select_for_update().get(pk=photo.pk)
    if photo.removed_at is not None:
        raise PublicationError(_("这张照片已经移除"))
    photo.removed_at, photo.removed_by = timezone.now(), log_user(user)
    photo.save(update_fields=["removed_at", "removed_by"])
    log(page, PHOTO_REMOVED, actor=user, data={"photo": photo.pk, "sha256": photo.sha256})
    return photo
