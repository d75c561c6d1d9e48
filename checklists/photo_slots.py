"""Process photos a few at a time per process (PHOTO_WORKERS), under the configured decode-memory cap.

A big picture holds a core and hundreds of MB for a second or more; without a bound, a burst of uploads in one
process would starve every other request it serves and multiply its memory. When no slot frees up within
PHOTO_WAIT_SECONDS the photo is refused as "busy" (HTTP 503 with Retry-After): the phone's queue sends it again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

from .photo_limits import MAX_DECODE_BYTES, PhotoError
from .photos import ProcessedPhoto, process_photo

DEFAULT_WORKERS = 2
DEFAULT_WAIT_SECONDS = 10.0
_guard = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


def slots() -> threading.BoundedSemaphore:
    """Return this process's semaphore for PHOTO_WORKERS photos at once (one per configured size)."""
    size = max(1, int(getattr(settings, "PHOTO_WORKERS", DEFAULT_WORKERS)))
    with _guard:
        return _slots.setdefault(size, threading.BoundedSemaphore(size))


@contextmanager
def photo_slot() -> Iterator[None]:
    """Hold one of the process's photo slots, or raise PhotoError("busy") after PHOTO_WAIT_SECONDS."""
    semaphore = slots()
    if not semaphore.acquire(timeout=float(getattr(settings, "PHOTO_WAIT_SECONDS", DEFAULT_WAIT_SECONDS))):
        raise PhotoError("busy")
    try:
        yield
    finally:
        semaphore.release()


def processed(data: bytes) -> ProcessedPhoto:
    """Check and process one photo in a slot, refusing before decoding what would exceed PHOTO_MAX_DECODE_BYTES."""
    with photo_slot():
        return process_photo(data, max_decode_bytes=getattr(settings, "PHOTO_MAX_DECODE_BYTES", MAX_DECODE_BYTES))
