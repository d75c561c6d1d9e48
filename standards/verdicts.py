"""The verdicts of the evaluation engine and the words every screen, export and the phone's script show."""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    INCOMPLETE = "incomplete"
    INVALID = "invalid"

    @property
    def label(self) -> str:
        """Return the word every screen, export and the phone's script show for this verdict."""
        return VERDICT_LABELS[self]


VERDICT_LABELS = {Verdict.PASS: "达标", Verdict.FAIL: "未达标", Verdict.INCOMPLETE: "未填完", Verdict.INVALID: "有误"}
