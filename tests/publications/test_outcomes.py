"""What the public is told of a listed pilot, from its stage records alone (pure: no database)."""

from __future__ import annotations

import datetime

from pilots.stages import Stage
from publications.outcomes import Kind, Outcome, Record, outcome_of

CST = datetime.timezone(datetime.timedelta(hours=8))


def at(day: int) -> datetime.datetime:
    return datetime.datetime(2028, 3, day, 10, tzinfo=CST)


LISTED = [Record(Stage.ONSITE, Stage.LISTED, at(1), None), Record(Stage.LISTED, Stage.MIDTERM, at(2), None),
          Record(Stage.MIDTERM, Stage.FINAL, at(3), None)]
FAILED = Record(Stage.FINAL, Stage.RECTIFICATION, at(5), datetime.date(2028, 6, 30))
EXTENDED = Record(Stage.RECTIFICATION, Stage.RECTIFICATION, at(9), datetime.date(2028, 8, 31))  # 延长整改期限
RECTIFIED = Record(Stage.RECTIFICATION, Stage.RECHECK, at(12), datetime.date(2028, 9, 30))


def test_under_way_until_an_outcome():
    for stage in (Stage.LISTED, Stage.MIDTERM, Stage.FINAL):
        assert outcome_of(stage, LISTED) == Outcome(Kind.PILOTING)
    assert Outcome(Kind.PILOTING).label == "试点建设中"


def test_a_granted_star_is_dated_by_its_move_in_shanghai_time():
    late_utc = datetime.datetime(2028, 3, 19, 17, tzinfo=datetime.UTC)  # 2028-03-20 01:00 in Shanghai
    granted = outcome_of(Stage.GRANTED, [*LISTED, Record(Stage.FINAL, Stage.GRANTED, late_utc, None)],
                         granted_star=5)
    assert granted == Outcome(Kind.GRANTED, on=datetime.date(2028, 3, 20), star=5)
    assert (granted.label, granted.star_words, granted.star_marks) == ("授星", "五星", "★★★★★")


def test_rectification_keeps_its_decision_day_and_shows_the_latest_deadline():
    assert outcome_of(Stage.RECTIFICATION, [*LISTED, FAILED]) == \
        Outcome(Kind.RECTIFYING, on=datetime.date(2028, 3, 5), deadline=datetime.date(2028, 6, 30))
    extended = outcome_of(Stage.RECHECK, [*LISTED, FAILED, EXTENDED, RECTIFIED])
    assert (extended.on, extended.deadline) == (datetime.date(2028, 3, 5), datetime.date(2028, 8, 31))
    granted = [*LISTED, FAILED, RECTIFIED, Record(Stage.RECHECK, Stage.GRANTED, at(25), None)]
    assert outcome_of(Stage.GRANTED, granted, granted_star=4).on == datetime.date(2028, 3, 25)


def test_withdrawal_only_with_the_notice():
    records = [*LISTED, FAILED, RECTIFIED, Record(Stage.RECHECK, Stage.REVOKED, at(28), None)]
    before = outcome_of(Stage.REVOKED, records)
    assert before.kind == Kind.RECTIFYING and before.on == datetime.date(2028, 3, 5)
    after = outcome_of(Stage.REVOKED, records, notice=(7, at(30)))
    assert after == Outcome(Kind.REVOKED, on=datetime.date(2028, 3, 30), notice_id=7) and after.label == "收回奖补"
