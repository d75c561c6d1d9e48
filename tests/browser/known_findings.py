"""What the screen walk (test_screens.py) still finds inside the apps' own templates and modules, screen by screen
(the URL route). The conversion pass fixes them and strikes them out; the tests fail on anything new, and on
anything listed that no longer shows, so these lists only shrink."""

# Screens that answer 500 (route): Wagtail's "view draft" of a region page, which has no template of its own.
SERVER_ERRORS: set[str] = {"admin/pages/<int:page_id>/view_draft/"}

# Latin words a Chinese (zh-hans) session still shows: route -> the stray words (language.py's rules).
LATIN: dict[str, set[str]] = {}

# axe-core's serious or critical WCAG 2.1 A/AA findings: route -> rule ids.
AXE: dict[str, set[str]] = {}

# Screens converted to gettext and checked in an English session too (no Chinese but names). The pass adds each
# screen here as it converts it.
CONVERTED: list[str] = []
