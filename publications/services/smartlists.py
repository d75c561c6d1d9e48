"""Publishing a round's 智慧社区名单: the coverage roll-up's smart communities frozen into a new public version; the
earlier versions stay where they were published."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.actors import log
from communities import policy
from communities.policy import EVERYWHERE
from standards.models import Round

from .. import smartlist
from ..actions import PublicationAction
from ..models import SmartListPage
from . import PublicationError
from .tree import public_index, publish_new

PUBLISHED = "publications.smart_list_published"


@transaction.atomic
def smart_list_publish(*, user, round_: Round) -> SmartListPage:
    """Freeze the round's smart communities as they stand into a new published version of its 名单."""
    policy.require(user, PublicationAction.PUBLISH_SMART_LIST, EVERYWHERE)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)  # versions are numbered one at a time
    # What is frozen and published is in the source language, whatever the language of the person publishing.
    with translation.override(settings.LANGUAGE_CODE):
        document = smartlist.build(round_)
    latest = SmartListPage.objects.filter(round=round_).order_by("-version").first()
    if latest is not None and smartlist.same(latest.data, document):
        raise PublicationError(_("与已公布的第%(version)d版相同，无需重新公布") % {"version": latest.version})
    version = latest.version + 1 if latest else 1
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(round)s智慧社区名单（第%(version)d版）") % {"round": round_.name, "version": version}
    slug = slugify(f"smart-communities-{round_.code}-v{version}", allow_unicode=True)
    page = SmartListPage(title=title, slug=slug, round=round_, version=version, data=document)
    publish_new(public_index(actor=user), page, actor=user)
    log(page, PUBLISHED, actor=user, data={"round": round_.code, "version": version,
                                           "smart_communities": document["smart_communities"]})
    return page
