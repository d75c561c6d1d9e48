"""The one set of headers every private file is sent with (smartsite.private_files), checked on each surface."""

from smartsite.private_files import NO_STORE, SANDBOX


def assert_private_file(response, *, download: bool, filename: str | None = None, cache: str = NO_STORE) -> None:
    """Assert that `response` carries the private-file headers: disposition, nosniff, sandbox, no shared cache.
    `filename`: the name as the header spells it (quoted ASCII, or percent-encoded UTF-8); `cache`: what the
    surface lets the caller's own browser keep (never a shared cache)."""
    assert response.status_code == 200, response.status_code
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; " if download else "inline; "), disposition
    assert "\n" not in disposition and "/" not in disposition.split("filename", 1)[1], disposition
    if filename is not None:
        assert filename in disposition, disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX
    # The admin's views add Django's never_cache directives to these; nothing may drop one or add "public".
    sent = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {part.strip() for part in cache.split(",")} <= sent and "private" in sent, sent
    assert "public" not in sent, sent
