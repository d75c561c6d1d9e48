"""The verdicts of the evaluation engine and the words every screen, export and the phone's script show."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext, gettext_noop


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    INCOMPLETE = "incomplete"
    INVALID = "invalid"

    @property
    def label(self) -> str:
        """Return the word every screen, export and the phone's script show for this verdict."""
        return gettext(VERDICT_LABELS[self])  # in the reader's language (the stored summary re-labels on read)


VERDICT_LABELS = {Verdict.PASS: gettext_noop("达标"), Verdict.FAIL: gettext_noop("未达标"),
                  Verdict.INCOMPLETE: gettext_noop("未填完"), Verdict.INVALID: gettext_noop("有误")}
