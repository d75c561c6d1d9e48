"""The screen walker: every admin and phone screen each role can reach, found from the URL resolver, the admin menu
and the links on each page, with real object ids from the demo data.

How the list is built (for each role, HTTP through Django's test client, which is fast):
1. start at the role's entry points (/, /admin/) and follow every same-site link on each HTML page and every
   entry of the admin sidebar's menu; one address per URL route (the route is the screen; ids and query strings
   only pick what it shows);
2. then try SAMPLES, an address with real ids for every route no link reaches (screens behind a POST form's
   button, a state, or a typed address);
3. every route of the resolver must end up walked by some role, or be EXCUSED with its reason (JSON and fragments
   for the admin's scripts, POST-only actions, downloads, Wagtail features the product does not use). A new route
   that is neither makes `test_every_route_is_walked_or_excused` fail, naming it.
The screens a role reached (HTML, 200) are then opened in Chromium (tests/browser/test_screens.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

# role -> (username, where the role starts, whether it works on the phone); least privileged first: Chromium opens
# each screen once, as the first role here that reaches it.
ROLES = {
    "anonymous": (None, ["/", "/login/", "/admin/login/", "/admin/password_reset/"], True),
    "worker": ("worker", ["/"], True),
    "verifier": ("verifier", ["/", "/admin/"], False),
    "bureau": ("bureau", ["/", "/admin/"], False),
    "expert": ("expert", ["/", "/admin/"], False),
    "province": ("province", ["/", "/admin/"], False),
    "admin": ("admin", ["/", "/admin/"], False),
}
NOT_FOLLOWED = re.compile(r"^/(static|media)/|logout|^/i18n/|^/jsi18n/|^/admin/jsi18n/|^/sw\.js")

# Addresses with real ids (filled from `sample_ids`) for routes no link reaches.
SAMPLES = {
    "account/2fa/": "/account/2fa/",
    "account/2fa/setup/": "/account/2fa/setup/",
    "account/2fa/verify/": "/account/2fa/verify/",
    "c/sheets/street/<street:code>/": "/c/sheets/street/{street}/",
    "c/sheets/unit/<unit:code>/": "/c/sheets/unit/{unit}/",
    "c/<community:code>/qr.png": "/c/{community}/qr.png",
    "c/<community:code>/qr.svg": "/c/{community}/qr.svg",
    "c/<community:code>/items/<int:number>/qr.png": "/c/{community}/items/1/qr.png",
    "c/<community:code>/items/<int:number>/qr.svg": "/c/{community}/items/1/qr.svg",
    "c/offline/": "/c/offline/",
    "api/coverage/": "/api/coverage/?round=2026",
    # A region's title: Wagtail echoes the query back ("no pages match «q»"), and a name reads the same in English.
    "admin/pages/search/": "/admin/pages/search/?q=示范中心区",
    "admin/snippets/": "/admin/snippets/",
    "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/":
        "/admin/bulk/wagtailcore/page/unpublish/?next=/admin/pages/&id={page}",
    "admin/pages/<int:page_id>/workflow_history/": "/admin/pages/{page}/workflow_history/",
    "admin/pages/<int:page_id>/privacy/": "/admin/pages/{page}/privacy/",
    "admin/pages/<int:page_id>/view_draft/": "/admin/pages/{page}/view_draft/",
    "admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/<int:parent_page_id>/":
        "/admin/pages/add/communities/communitypage/{street_page}/",
    "admin/collections/<int:pk>/": "/admin/collections/{collection}/",
    "admin/collections/<int:pk>/delete/": "/admin/collections/{collection}/delete/",
    "admin/images/add/": "/admin/images/add/",
    "admin/documents/add/": "/admin/documents/add/",
    "admin/groups/usage/<int:pk>/": "/admin/groups/usage/{group}/",
    "admin/sites/history/<int:pk>/": "/admin/sites/history/{site}/",
    "admin/sites/usage/<int:pk>/": "/admin/sites/usage/{site}/",
    "admin/rounds/delete/<int:pk>/": "/admin/rounds/delete/{round}/",
    "admin/standards/delete/<int:pk>/": "/admin/standards/delete/{standard}/",
    "admin/coverage/snapshots/new/": "/admin/coverage/snapshots/new/?round=2026",
    "admin/review/<int:pk>/approve/": "/admin/review/{result}/approve/",
    "admin/review/<int:pk>/return/": "/admin/review/{result}/return/",
    "admin/review/<int:pk>/reopen/": "/admin/review/{result}/reopen/",
    "admin/review/approve-all/<int:round_pk>/<int:community_pk>/":
        "/admin/review/approve-all/{round}/{community_page}/",
    "admin/rounds/<int:pk>/close/": "/admin/rounds/{round}/close/",
    "admin/rounds/<int:pk>/reopen/": "/admin/rounds/{round}/reopen/",
    "admin/lockouts/unlock/": "/admin/lockouts/unlock/",
    "admin/jobs/<int:pk>/status/": "/admin/jobs/{job}/status/",
    "admin/jobs/<int:pk>/retry/": "/admin/jobs/{job}/retry/",
    "admin/jobs/<int:pk>/download/": "/admin/jobs/{job}/download/",
    "admin/assessments/files/<int:pk>/": "/admin/assessments/files/{evidence_file}/",
    "admin/assessments/files/<int:pk>/remove/": "/admin/assessments/files/{evidence_file}/remove/",
    "admin/assessments/<str:round_code>/<str:level>/<str:code>/snapshots/":
        "/admin/assessments/2026/city/{city}/snapshots/",
    "admin/assessments/<str:round_code>/<str:level>/<str:code>/indicators/<int:number>/files/":
        "/admin/assessments/2026/city/{city}/indicators/1/files/",
    "admin/assessments/<str:round_code>/<str:level>/<str:code>/departments/<int:pk>/delete/":
        "/admin/assessments/2026/city/{city}/departments/{department}/delete/",
    "admin/assessments/<str:round_code>/<str:level>/<str:code>/departments/<int:pk>/template/":
        "/admin/assessments/2026/city/{city}/departments/{department}/template/",
    "admin/assessments/<str:round_code>/<str:level>/<str:code>/departments/<int:pk>/import/":
        "/admin/assessments/2026/city/{city}/departments/{department}/import/",
    "admin/pilots/<int:pk>/moves/<str:move>/": "/admin/pilots/{pilot}/moves/reject/",
    "admin/pilots/<int:pk>/refresh/": "/admin/pilots/{pilot}/refresh/",
    "admin/pilots/<int:pk>/remove/": "/admin/pilots/{pilot}/remove/",
    "admin/pilots/<int:pk>/visits/": "/admin/pilots/{pilot}/visits/",
    "admin/pilots/applications/<int:pk>/experts/": "/admin/pilots/applications/{application}/experts/",
    "admin/pilots/applications/<int:pk>/experts/<int:user_pk>/remove/":
        "/admin/pilots/applications/{application}/experts/{expert}/remove/",
    "admin/pilots/applications/<int:pk>/materials/": "/admin/pilots/applications/{application}/materials/",
    "admin/pilots/applications/<int:pk>/pilots/": "/admin/pilots/applications/{application}/pilots/",
    "admin/pilots/applications/<int:pk>/report/": "/admin/pilots/applications/{application}/report/",
    "admin/pilots/applications/<int:pk>/submit/": "/admin/pilots/applications/{application}/submit/",
    "admin/pilots/batches/<int:batch_pk>/apply/<int:city_pk>/": "/admin/pilots/batches/{batch}/apply/{city_page}/",
    "admin/pilots/reviews/<int:pk>/indicators/<int:number>/": "/admin/pilots/reviews/{review}/indicators/1/",
    # POST only, refused before the object is looked up: any id shows it.
    "admin/pilots/materials/<int:pk>/remove/": "/admin/pilots/materials/0/remove/",
    "admin/pilots/tasks/<int:pk>/report/": "/admin/pilots/tasks/0/report/",
    "admin/pilots/reviews/<int:pk>/selfcheck/": "/admin/pilots/reviews/{review}/selfcheck/",
    "admin/pilots/reviews/<int:pk>/sign/": "/admin/pilots/reviews/{review}/sign/",
    "c/<community:code>/items/<int:number>/save/": "/c/{community}/items/1/save/",
    "c/<community:code>/items/<int:number>/submit/": "/c/{community}/items/1/submit/",
    "c/<community:code>/items/<int:number>/withdraw/": "/c/{community}/items/1/withdraw/",
    "c/<community:code>/items/<int:number>/photos/": "/c/{community}/items/1/photos/",
    "c/<community:code>/items/<int:number>/photos/<int:pk>/remove/": "/c/{community}/items/1/photos/{evidence}/remove/",
    "c/<community:code>/items/<int:number>/photos/<int:pk>/original/":
        "/c/{community}/items/1/photos/{evidence}/original/",
    "c/<community:code>/submit-all/": "/c/{community}/submit-all/",
    "admin/main-urban/<str:code>/": "/admin/main-urban/{city}/",
    "activate/<uidb64>/<token>/": "/activate/MA/0-0/",  # a dead link: the page that says so
    # POST only, refused before the object is looked up: any id shows it.
    "admin/people/sheets/": "/admin/people/sheets/",
    "admin/pilots/experts/<int:pk>/active/": "/admin/pilots/experts/0/active/",
    "admin/publications/highlights/new/": "/admin/publications/highlights/new/",
    "admin/publications/highlights/photos/<int:pk>/remove/": "/admin/publications/highlights/photos/0/remove/",
}

# Routes that are not screens a person reads, each with why; matched against the route (re.search).
EXCUSED = [
    (r"^publications/.+|^admin/publications/(highlights/<int:pk>/photos|notices)/|^pilots/<int:year>/list/$",
     "published pages, a report's photos and a 通报 need published data: walked with it, axe-core included, in "
     "test_public_walk.py"),
    (r"(^|/)(history-)?results/|/results/<", "a listing's results fragment, fetched by the listing itself"),
    (r"^admin/api/|^api/|^c/offline/$|/status/$|^admin/editing-sessions/|^admin/dismissibles/|^admin/sprite/",
     "JSON or SVG for scripts, not a screen"),
    (r"chooser|^admin/choose-|^admin/tag-autocomplete/|^admin/block-preview/",
     "a chooser's modal fragment or a field's suggestions (JSON), opened inside an editing screen"),
    (r"^admin/\^\.\*/\$$|^admin/test404/$|^admin/failwhale/$", "Wagtail's error pages (404 and 500)"),
    (r"jsi18n|^sw\.js$|^i18n/setlang/$|logout/$", "scripts, the language switch and logout (POST)"),
    (r"qr\.(png|svg)$|/download/$|/template/$|^admin/assessments/files/<int:pk>/$|^admin/pilots/materials/<int:pk>/$"
     r"|^admin/pilots/photos/|/evidence/|/preview/", "a file (image, spreadsheet, evidence) or a preview"),
    (r"^admin/(images|documents)/|^admin/collections/<int:collection_id>/privacy/",
     "Wagtail's images and documents: the product keeps its files elsewhere (evidence, materials)"),
    (r"^admin/workflows/|^admin/pages/workflow/|/workflow_history/detail/|/revisions/<int:revision_id>/(unschedule|revert)/"
     r"|/revisions/compare/", "Wagtail's moderation workflows and scheduled publishing, not used by the product"),
    (r"^admin/settings/", "Wagtail settings models: the product registers none"),
    (r"^admin/password_reset/(confirm|complete|done)", "steps of a password reset that need a mailed token"),
    (r"/(lock|unlock|convert_alias|set_position)/$|/move/<int:destination_id>/confirm/$",
     "page tree actions posted from the explorer (the move and its confirmation are walked)"),
    (r"^admin/pages/<int:page_id>/revisions/", "a page's revisions: region pages have one only once edited in the "
     "admin (their history is walked)"),
    (r"^pilots/<int:year>/$", "the public pilot list exists once a batch is published, after on-site reviews "
     "(tests/browser/test_pilot_walk.py opens it); to do: walk it here too"),
]


@dataclass
class Visit:
    """One address one role asked for: the route it belongs to, the answer's status and type."""

    role: str
    url: str
    route: str
    status: int
    content_type: str

    @property
    def screen(self) -> bool:
        return self.status == 200 and self.content_type == "text/html"

    @property
    def key(self) -> str:
        """The screen: its route (a logged-out visitor's pages apart, as "/" and the login pages differ)."""
        return f"anonymous {self.route}" if self.role == "anonymous" else self.route


@dataclass
class Walk:
    visits: list[Visit] = field(default_factory=list)

    def screens(self, role: str) -> list[Visit]:
        return [v for v in self.visits if v.role == role and v.screen]

    def to_open(self) -> dict[str, Visit]:
        """Return the screens to open in Chromium by key: every screen of the logged-out visitor, and each other
        screen once, as the first role (in ROLES order) that reached it."""
        first = {}
        for role in ROLES:
            for visit in self.screens(role):
                first.setdefault(visit.key, visit)
        return first

    def walked_routes(self) -> set[str]:
        """Routes some role got an answer from: a screen, a file, a redirect, or "POST only" (405)."""
        return {v.route for v in self.visits if v.status in (200, 301, 302, 405)}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.menu, self._menu = [], "", False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        self._menu = tag == "script" and attrs.get("id") == "wagtail-sidebar-props"

    def handle_data(self, data):
        if self._menu:
            self.menu += data


def links_of(html: str) -> list[str]:
    """Return the page's link targets and the admin sidebar's menu addresses."""
    parser = _Links()
    parser.feed(html)
    return parser.links + re.findall(r'"url": ?"([^"]+)"', parser.menu)


def all_routes() -> list[str]:
    """Return every route of the URL resolver, as Django spells it (ResolverMatch.route)."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return sorted(set(walk(get_resolver().url_patterns)))


def route_of(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).route
    except Resolver404:
        return None


def excuse(route: str) -> str | None:
    """Return why `route` is not a screen, or None."""
    return next((reason for pattern, reason in EXCUSED if re.search(pattern, route)), None)


def _get(client, role: str, url: str) -> tuple[Visit, str]:
    response = client.get(url)
    kind = response.get("Content-Type", "").split(";")[0]
    body = "" if response.streaming or kind != "text/html" else response.content.decode("utf-8", "replace")
    route = route_of(url)
    return Visit(role, url, "?" if route is None else route, response.status_code, kind), body


def crawl(client, role: str, seeds: list[str], samples: dict[str, str], done: set[str]) -> list[Visit]:
    """Follow links from `seeds` (one address per route), then try the samples of routes not reached.

    `done` collects the sampled routes an earlier role already answered (a screen, a file, POST only): Chromium
    opens each screen once, as the first role that reaches it, so later roles need not ask again."""
    visits, seen, queue = [], set(), list(seeds)
    while queue:
        url = queue.pop(0).split("#")[0]
        if not url.startswith("/") or url.startswith("//") or NOT_FOLLOWED.search(url):
            continue
        route = route_of(url)
        if route is None or route in seen or excuse(route):
            continue
        seen.add(route)
        visit, body = _get(client, role, url)
        visits.append(visit)
        if visit.screen:
            queue.extend(links_of(body))
    for route, url in samples.items():
        if route not in seen and not excuse(route) and route not in done:
            visit = _get(client, role, url)[0]
            visits.append(visit)
            if visit.status in (200, 405):
                done.add(route)
    return visits


def fill_samples(ids: dict[str, object]) -> dict[str, str]:
    """Return SAMPLES with real ids; a sample whose object the data lacks is left out (and reported missing)."""
    filled = {}
    for route, template in SAMPLES.items():
        try:
            filled[route] = template.format(**ids)
        except KeyError:
            continue
    return filled
