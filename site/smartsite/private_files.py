"""One response for every private file: evidence photos, assessment files, pilot materials and visit photos, job
results. Call it only after the caller's permission check; MEDIA_URL is never served.

Every such response carries the same headers, whichever app sends it:

- `Content-Disposition`: `attachment` for downloads, `inline` otherwise, with a filename that cannot break the
  header or name a path (an uploaded name may hold quotes, slashes or line breaks);
- `X-Content-Type-Options: nosniff`, so a browser never reads a stored file as another type;
- `Content-Security-Policy: default-src 'none'; sandbox`, so a file opened on its own runs nothing;
- `Cache-Control`: `private` always (no shared cache keeps it), `no-store` unless the caller allows a private
  cache (a photo's renditions never change, so the phone may keep them).

Where the storage allows, the bytes are handed to the web server or the object store (`EVIDENCE_SERVE`):
`x-accel` (nginx), `x-sendfile` (Apache, lighttpd) or `redirect` (a short-lived signed URL of an S3-compatible
store, which then names the type and disposition itself).
"""

from __future__ import annotations

import mimetypes
import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

NO_STORE = "private, no-store"
SANDBOX = "default-src 'none'; sandbox"
MAX_NAME = 150


def safe_filename(name: str, fallback: str = "file") -> str:
    """Return `name` fit for a Content-Disposition header: its last path part, no control characters, bounded."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().strip(".")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:MAX_NAME]
    return name or fallback


def content_type_of(name: str) -> str:
    """Return the type a stored file's name suggests (job results: .xlsx, .csv, .zip), else octet-stream."""
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _local_path(file) -> str | None:
    try:
        return file.path
    except NotImplementedError:  # object storage has no local path
        return None


def _handoff(file, content_type: str, disposition: str) -> HttpResponse | None:
    """Let nginx, Apache/lighttpd or the object store send the bytes, if the deployment says so."""
    mode = settings.EVIDENCE_SERVE
    if mode == "x-accel":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.EVIDENCE_ACCEL_PREFIX.rstrip("/") + "/" + quote(file.name)
        return response
    if mode == "x-sendfile" and (path := _local_path(file)):
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = path
        return response
    if mode == "redirect" and _local_path(file) is None:
        # The redirect must not outlive the URL's signature, so it is cached for less than its expiry.
        expire = int(getattr(file.storage, "querystring_expire", 300))
        url = file.storage.url(file.name, parameters={"ResponseContentType": content_type,
                                                      "ResponseContentDisposition": disposition})
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = f"private, max-age={max(0, expire - 60)}"
        return response
    return None


def private_file_response(file, *, content_type: str = "", filename: str = "", download: bool = False,
                          cache_control: str = NO_STORE) -> HttpResponse:
    """Send a stored file (a FieldFile) with the private-file headers; 404 when it is empty or its bytes are gone."""
    if "private" not in cache_control.split(", "):
        raise ValueError(f"a private file must not be kept by shared caches: {cache_control!r}")
    if not file:
        raise Http404
    name = safe_filename(filename or file.name)
    content_type = content_type or content_type_of(name)
    disposition = content_disposition_header(download, name)
    response = _handoff(file, content_type, disposition)
    if response is None:
        try:
            handle = file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
    if not isinstance(response, HttpResponseRedirect):
        response["Content-Disposition"] = disposition
        response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    return response
