"""The group form's permission labels in the reader's language (issue 20).

Two things freeze them in one language:
- Django writes each permission's name into the database at migrate time, with an English verb and the model's
  verbose name in the source language ("Can add 自评", "Can add group"). Wagtail's group form lists those names.
  `permission_label` renders a permission at request time instead: Django's own names ("Can <action>
  <verbose_name_raw>") from the action and the model's verbose name through gettext, any other name (a model's
  custom permission, "Delete pages with children") through the catalog.
- Wagtail builds its collection, image and document permission panels at import, with non-lazy `gettext`
  (wagtail/admin/forms/collections.py, wagtail/images/forms.py, wagtail/documents/forms.py): their column and
  checkbox labels and the "Collection" field label stay in the language active when the module was imported.
  `localize_wagtail_panels` (run from the app's ready()) puts lazy labels, Wagtail's own msgids, in their place.
  Wagtail's page permission panel labels its page field from the field name ("Page", untranslated) and each
  checkbox with the stored name; it gets the same treatment.

tests/site/test_permission_labels.py fails if an upgraded Wagtail changes what these rely on.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Django's default permissions: the whole label, with the model's verbose name, and the bare action (Wagtail's
# "custom permissions" column, where the row already names the model).
ACTIONS = {
    "add": (_("可以添加%(name)s"), _("可以添加")),
    "change": (_("可以修改%(name)s"), _("可以修改")),
    "delete": (_("可以删除%(name)s"), _("可以删除")),
    "view": (_("可以查看%(name)s"), _("可以查看")),
}

# Wagtail's msgids (its catalog translates them), as plain strings so that makemessages leaves them out of ours:
# the labels it freezes at import, by panel (its default prefix) and permission codename, (column heading, checkbox
# label) exactly as Wagtail's modules write them; its form fields' labels.
COLLECTION, PAGE = "Collection", "Page"
FROZEN = {
    "collection_permissions": {
        "add_collection": ("Add", "Add collections"),
        "change_collection": ("Edit", "Edit collections"),
        "delete_collection": ("Delete", "Delete collections"),
    },
    "image_permissions": {
        "add_image": ("Add", "Add/edit images you own"),
        "change_image": ("Edit", "Edit any image"),
        "choose_image": ("Choose", "Select images in choosers"),
    },
    "document_permissions": {
        "add_document": ("Add", "Add/edit documents you own"),
        "change_document": ("Edit", "Edit any document"),
        "choose_document": ("Choose", "Select documents in choosers"),
    },
}


def _default_action(permission) -> str | None:
    """Return the action of one of Django's own permissions still named as Django names it, else None."""
    model = permission.content_type.model_class()
    if model is None:
        return None
    opts = model._meta
    for action in opts.default_permissions:
        if (permission.codename == get_permission_codename(action, opts)
                and permission.name == f"Can {action} {opts.verbose_name_raw}"):
            return action
    return None


def _in_sentence(name: str) -> str:
    """Return a model's name as it reads inside a sentence: "Self-assessment" → "self-assessment", as Django's
    own verbose names are written (capitalised only where they head something); "QR sheet" stays."""
    return name[0].lower() + name[1:] if name[:1].isupper() and name[1:2].islower() else name


def _declared_name(permission) -> str:
    """Return a permission its model declares (Meta.permissions) in the active language, if its stored name is the
    declared one in a language of the site; else the stored name through the catalog (a name changed by hand is
    shown as written). The stored name is in the language active when post_migrate created the row (migrate runs
    without translations, but `flush` re-creates permissions in the active one): "可以进入管理后台" for Wagtail's
    lazily named "Can access Wagtail admin" after a flush under Chinese."""
    model = permission.content_type.model_class()
    declared = dict(model._meta.permissions).get(permission.codename) if model else None
    if declared is not None:
        stored_as = {str(declared)}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                stored_as.add(str(declared))
        if permission.name in stored_as:
            return str(declared) if isinstance(declared, Promise) else gettext(declared)
    return gettext(permission.name)


def permission_label(permission) -> str:
    """Return the permission's name in the active language."""
    action = _default_action(permission)
    if action in ACTIONS:
        name = str(permission.content_type.model_class()._meta.verbose_name)
        return ACTIONS[action][0] % {"name": _in_sentence(name)}
    return _declared_name(permission)


def permission_short_label(permission) -> str:
    """Return the permission's name without its model (for a row that names the model), in the active language."""
    action = _default_action(permission)
    if action in ACTIONS:
        return str(ACTIONS[action][1])
    return _declared_name(permission)


def page_permission_label(permission) -> str:
    """Return the label Wagtail gives a page permission in its panel's columns (lazy), else its name."""
    from wagtail.models import Page

    labels = {codename: long_label for codename, _short, long_label in Page.permission_types}
    return str(labels.get(permission.codename) or permission_label(permission))


def collection_panels() -> list:
    """Return Wagtail's collection member permission panels (the formset classes its hooks register)."""
    from wagtail.admin.forms.collections import GroupCollectionManagementPermissionFormSet
    from wagtail.documents.forms import GroupDocumentPermissionFormSet
    from wagtail.images.forms import GroupImagePermissionFormSet

    return [GroupCollectionManagementPermissionFormSet, GroupImagePermissionFormSet, GroupDocumentPermissionFormSet]


def localize_wagtail_panels() -> list[str]:
    """Give Wagtail's permission panels lazy labels; return the panels whose shape was not the expected one (left
    as they are, and named by the test that guards an upgrade)."""
    from wagtail.users.forms import PagePermissionsForm

    skipped = []
    for panel in collection_panels():
        labels = FROZEN.get(panel.default_prefix)
        fields = panel.form.base_fields
        if (labels is None or not isinstance(panel.permission_types, list) or "collection" not in fields
                or [codename for codename, *_rest in panel.permission_types] != list(labels)):
            skipped.append(panel.default_prefix)
            continue
        # In place: the permissions field's label_from_instance reads this same list (a closure in Wagtail's
        # collection_member_permission_formset_factory), the panel's template its class attribute.
        panel.permission_types[:] = [(codename, _(short), _(long)) for codename, (short, long) in labels.items()]
        fields["collection"].label = _(COLLECTION)
    page_fields = PagePermissionsForm.base_fields
    if {"page", "permissions"} <= set(page_fields):
        page_fields["page"].label = _(PAGE)
        # An instance attribute: ModelChoiceIterator calls field.label_from_instance(obj); form copies keep it.
        page_fields["permissions"].label_from_instance = page_permission_label
    else:
        skipped.append("page_permissions")
    return skipped
