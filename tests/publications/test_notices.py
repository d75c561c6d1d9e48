"""The 收回奖补 通报: only the province publishes it, only for a pilot whose subsidy was withdrawn, once; it is on the
audit trail and fixed from then on."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry

from pilots.stages import Stage
from publications.models import RevocationNotice
from publications.services import PublicationError
from publications.services.notices import notice_publish, suggested

TITLE, TEXT = "关于收回示范县四星试点奖补资金的通报", "经整改验收仍未达到建设要求，收回奖补资金，予以通报。"


def test_published_once_for_a_withdrawn_pilot_and_logged(reach, province, bureau):
    pilot = reach(Stage.REVOKED)
    with pytest.raises(PermissionDenied, match="只有省大数据局或管理员可以发布通报"):
        notice_publish(user=bureau, pilot=pilot, title=TITLE, text=TEXT)
    with pytest.raises(PublicationError) as missing:
        notice_publish(user=province, pilot=pilot, title=" ", text="")
    assert missing.value.message_dict == {"title": ["请填写通报标题"], "text": ["请填写通报内容"]}
    notice = notice_publish(user=province, pilot=pilot, title=TITLE, text=TEXT)
    with pytest.raises(PublicationError, match="通报已经发布"):
        notice_publish(user=province, pilot=pilot, title=TITLE, text="另一份")
    assert RevocationNotice.objects.get() == notice and notice.published_by == province
    entry = ModelLogEntry.objects.get(action="publications.notice_published")
    assert entry.user == province and entry.data["text"] == TEXT and entry.data["pilot"] == pilot.pk


def test_refused_for_a_pilot_whose_subsidy_was_not_withdrawn(reach, province):
    pilot = reach(Stage.RECTIFICATION)
    with pytest.raises(PublicationError, match="不是收回奖补的试点"):
        notice_publish(user=province, pilot=pilot, title=TITLE, text=TEXT)
    assert not RevocationNotice.objects.exists()
    title, text = suggested(pilot)
    assert title == "关于收回示范县四星试点奖补资金的通报" and "收回奖补资金，予以通报" in text
