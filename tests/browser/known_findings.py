"""What the screen walk (test_screens.py) still finds inside the apps' own templates and modules, screen by screen
(the URL route; "anonymous <route>" for a logged-out visitor's page). The conversion pass fixes them and strikes
them out; the tests fail on anything new, and on anything listed that no longer shows, so these lists only shrink.
var/screen-walk-1.json and -2.json (one per share of the walk) have the texts and the elements behind each entry."""

ASSESSMENT = "admin/assessments/<str:round_code>/<str:level>/<str:code>/"

# Screens that answer 500 (route): Wagtail's "view draft" of a region page, which has no template of its own.
SERVER_ERRORS: set[str] = {"admin/pages/<int:page_id>/view_draft/"}

# Latin words a Chinese (zh-hans) session still shows: route -> the stray words (language.py's rules); {"*"}: the
# screen shows raw data (any words), listed until it shows something a person reads.
LATIN: dict[str, set[str]] = {
    "admin/standards/inspect/<int:pk>/": {"*"},  # the standard's stored data, keys and all
    # Wagtail's own, untranslatable without replacing its views: the page-type report shows each type's code
    # (communities.citypage); the sites listing's columns are labelled from field names (Port, Site name, Root
    # page).
    "admin/reports/page-types-usage/": {"communities.citypage", "communities.communitypage", "communities.provincepage",
                                        "communities.streetpage", "communities.unitpage", "pilots.pilotlistpage",
                                        "publications.highlightindexpage", "publications.highlightpage",
                                        "publications.publicationsindexpage", "publications.smartlistpage",
                                        "wagtailcore.page"},
    "admin/sites/": {"*"},  # "Port", "Site name", "Root page" (which words pass depends on the data's titles)
}

# axe-core's serious or critical WCAG 2.1 A/AA findings: route -> rule ids.
AXE: dict[str, set[str]] = {}

# Screens converted to gettext and checked in an English session too (no Chinese but names). The pass adds each
# screen here as it converts it.
CONVERTED: list[str] = [
    # the phone (issue 20): the worker's home, the checklist and an item; the login page and the visitor's home
    "", "c/<community:code>/", "c/<community:code>/items/<int:number>/", "anonymous ", "anonymous login/",
    # the bureau's coverage dashboard and its drill-down, the printable sheet (issue 20)
    "admin/coverage/", "admin/coverage/city/<str:code>/", "admin/coverage/unit/<str:code>/",
    "admin/coverage/street/<str:code>/", "admin/coverage/community/<str:code>/",
    "admin/coverage/sheet/<str:level>/<str:code>/",
    # the verifiers' and administrators' own screens (issue 20): the review queue and an item, the standards, the
    # rounds, the role assignments, the admin home's panels, the account page
    "admin/review/", "admin/review/<int:pk>/",
    "admin/standards/", "admin/standards/new/", "admin/standards/edit/<int:pk>/", "admin/standards/inspect/<int:pk>/",
    "admin/standards/history/<int:pk>/", "admin/standards/usage/<int:pk>/",
    "admin/rounds/", "admin/rounds/new/", "admin/rounds/edit/<int:pk>/", "admin/rounds/history/<int:pk>/",
    "admin/rounds/usage/<int:pk>/",
    "admin/assignments/", "admin/assignments/new/", "admin/assignments/edit/<int:pk>/",
    "admin/assignments/delete/<int:pk>/", "admin/assignments/history/<int:pk>/", "admin/assignments/usage/<int:pk>/",
    "admin/", "admin/account/", "admin/reports/site-history/",
    # the city and county self-assessment: the list, one assessment, its sheet, departments, an indicator and its
    # communities, the province overview (issue 20)
    "admin/assessments/", ASSESSMENT, ASSESSMENT + "sheet/", ASSESSMENT + "departments/",
    ASSESSMENT + "indicators/<int:number>/", ASSESSMENT + "indicators/<int:number>/communities/",
    "admin/assessments/overview/",
    # the printable QR sheets (one community, a street's, a unit's) and the account activation page (issue 20)
    "c/<community:code>/qr-sheet/", "c/sheets/street/<street:code>/", "c/sheets/unit/<unit:code>/",
    "anonymous activate/<uidb64>/<token>/",
    # the pilots (issue 20): the province's, the cities' and the experts' screens
    "admin/pilots/", "admin/pilots/batches/", "admin/pilots/batches/new/", "admin/pilots/batches/<int:pk>/",
    "admin/pilots/batches/<int:pk>/publish/", "admin/pilots/experts/", "admin/pilots/experts/new/",
    "admin/pilots/experts/<int:pk>/", "admin/pilots/applications/<int:pk>/",
    "admin/pilots/applications/<int:pk>/submit/",
    "admin/pilots/applications/<int:pk>/experts/<int:user_pk>/remove/", "admin/pilots/<int:pk>/",
    "admin/pilots/<int:pk>/moves/<str:move>/", "admin/pilots/<int:pk>/visits/", "admin/pilots/reviews/<int:pk>/",
    "admin/pilots/reviews/<int:pk>/indicators/<int:number>/communities/",
    # what the public sees and the province publishes; the background jobs
    "anonymous publications/", "publications/", "admin/publications/", "admin/publications/smart-lists/<int:pk>/",
    "admin/jobs/",
    # Wagtail's own screens (issue 20): the page explorer and editor (the region and publication pages' names and
    # labels), users, sites, collections, the reports, login lockouts, the two imports, the main urban area, the
    # admin's login and password reset; the group form (permissions named at render time, Wagtail's frozen panel
    # labels made lazy: smartsite.permission_labels) and the page search (the walk searches for a region's title;
    # the count of matches supplied in locale/zh_Hans, the results named: smartsite.page_search). Still Chinese in
    # English: the site history (other apps' model names).
    "admin/pages/", "admin/pages/<int:parent_page_id>/", "admin/pages/<int:parent_page_id>/add_subpage/",
    "admin/pages/<int:page_id>/edit/", "admin/pages/<int:page_to_move_id>/move/", "admin/pages/<int:page_id>/copy/",
    "admin/pages/<int:page_id>/delete/", "admin/pages/<int:page_id>/unpublish/", "admin/pages/<int:page_id>/history/",
    "admin/pages/<int:page_id>/usage/", "admin/pages/<int:page_id>/workflow_history/",
    "admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/<int:parent_page_id>/",
    "admin/pages/create/<slug:app_label>/<slug:model_name>",
    "admin/pages/usage/<slug:content_type_app_name>/<slug:content_type_model_name>/", "admin/pages/search/",
    "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/",
    "admin/users/", "admin/users/new/", "admin/users/edit/<int:pk>/", "admin/users/copy/<int:pk>/",
    "admin/users/delete/<int:pk>/", "admin/users/history/<int:pk>/", "admin/users/usage/<int:pk>/",
    "admin/groups/", "admin/groups/new/", "admin/groups/edit/<int:pk>/", "admin/groups/delete/<int:pk>/",
    "admin/groups/history/<int:pk>/", "admin/groups/usage/<int:pk>/",
    "admin/sites/", "admin/sites/new/", "admin/sites/edit/<int:pk>/", "admin/sites/copy/<int:pk>/",
    "admin/sites/delete/<int:pk>/", "admin/sites/history/<int:pk>/", "admin/sites/usage/<int:pk>/",
    "admin/collections/", "admin/collections/add/",
    "admin/reports/locked/", "admin/reports/workflow/", "admin/reports/workflow_tasks/", "admin/reports/aging-pages/",
    "admin/reports/page-types-usage/", "admin/lockouts/",
    "admin/register/import/", "admin/people/import/", "admin/main-urban/<str:code>/",
    "anonymous admin/login/", "anonymous admin/password_reset/",
]
