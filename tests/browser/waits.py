"""Waits for what a person would see, shared by the browser tests.

A locator's `wait_for` returns once the element is in the DOM: an image may not have arrived yet, and a long
form may still be parsing below it. These helpers wait for the finished thing, and still fail when it never
comes (a broken image answers 0, a page that never loads times out).
"""

from __future__ import annotations

# An image that is lazy-loaded starts only once on screen; `complete` is also true for a broken image, whose
# naturalWidth is 0, so a failed load is still reported as 0 rather than hanging.
_LOADED_WIDTH = """img => img.complete ? img.naturalWidth : new Promise(done => {
    img.addEventListener("load", () => done(img.naturalWidth), {once: true});
    img.addEventListener("error", () => done(0), {once: true});
})"""


def loaded_width(img) -> int:
    """The image's natural width once it has loaded or failed (0 when it is broken)."""
    img.wait_for()
    img.scroll_into_view_if_needed()
    return img.evaluate(_LOADED_WIDTH)


def parsed(page) -> None:
    """Wait until the whole document is parsed and loaded: every card of a 49/52-indicator form, not the first."""
    page.wait_for_load_state("load")
