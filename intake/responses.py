"""The one refusal the pages' JavaScript understands: {ok: false, message, …} with an HTTP status, and the one
test of whether a caller is that JavaScript."""

from __future__ import annotations

from django.http import JsonResponse


def wants_json(request) -> bool:
    """Whether the caller is a page's JavaScript (it asks for JSON) rather than a browser navigation or a form."""
    return "application/json" in request.headers.get("Accept", "")


def json_refusal(message: str, status: int, **extra) -> JsonResponse:
    """Return {ok: false, message, …extra} (Chinese kept readable) with the status."""
    return JsonResponse({"ok": False, "message": message, **extra}, status=status,
                        json_dumps_params={"ensure_ascii": False})
