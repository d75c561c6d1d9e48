"""Forms of the region pages in Wagtail's page editor."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class UnitPageForm(WagtailAdminPageForm):
    """A 区县 page: its kind is chosen when the unit is created; after that only its city's 主城区确认 screen
    changes it (communities.main_urban: asks the policy, logs from what to what), so here it is read-only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "kind" in self.fields:
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = _(
                "区县类型由所属设区市在“主城区确认”中确认或修改（有记录）；此处不能修改。")
