"""Check the audit chain against the log entries as they are now, and name the first entry that is not.

What shows: an entry edited (its content no longer gives its link's digest), an entry deleted (a link with no
entry, or a missing number when its link went too), links re-ordered or a link inserted (the previous digest no
longer matches), the newest entries cut off (the head says more), an entry written behind the product's back
(an entry with no link, or a link never sealed that is older than the newest sealed one), and time going
backwards along the chain (a seal time earlier than the one before it, an entry later than its own seal).

Verifying never writes: a pending link is reported, never sealed here (see audit.pending).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from .chain import chained_digest, content_digest, in_chunks, label, log_models, rows_of
from .models import ChainHead, ChainLink
from .pending import newest_seal, pending_links

KEEP = 1000  # problems kept in detail; the rest are only counted
FUTURE = timedelta(minutes=5)  # a link written later than this from now was not written by this system's clock


@dataclass(frozen=True)
class Problem:
    seq: int | None
    entry: str
    message: str

    def __str__(self) -> str:
        where = f"第 {self.seq} 号链节，" if self.seq else ""
        return f"{self.entry}：{where}{self.message}"


@dataclass
class Verdict:
    checked: int = 0
    head_seq: int = 0
    head_digest: str = ""
    problems: list[Problem] = field(default_factory=list)
    count: int = 0
    in_flight: int = 0  # links written a moment ago whose sealer has not run yet: not a problem

    @property
    def ok(self) -> bool:
        return self.count == 0

    def add(self, problem: Problem) -> None:
        self.count += 1
        if len(self.problems) < KEEP:
            self.problems.append(problem)


def describe(model, pk, row: dict | None) -> str:
    """Name an entry the way an auditor would look it up: kind, number, time and action."""
    name = f"{model._meta.verbose_name if model else '未知日志'} #{pk}"
    if row is None:
        return name
    moment = timezone.localtime(row["timestamp"]).strftime("%Y-%m-%d %H:%M:%S") if row.get("timestamp") else ""
    return f"{name}（{moment} {row.get('action', '')}）"


def _rows(chunk: list[ChainLink], models: dict, using: str) -> dict:
    wanted: dict[str, list[int]] = {}
    for link in chunk:
        wanted.setdefault(link.log_model, []).append(link.entry_id)
    rows = {}
    for model_label, ids in wanted.items():
        model = models.get(model_label)
        if model is not None:
            fields = sorted(f.attname for f in model._meta.concrete_fields)
            rows.update({(model_label, pk): row for pk, row in rows_of(model, ids, fields, using).items()})
    return rows


def _check_link(verdict: Verdict, link: ChainLink, model, row: dict | None) -> None:
    name = describe(model, link.entry_id, row)
    if chained_digest(link.prev_digest, link.seq, link.content_digest, link.sealed_at) != link.digest:
        verdict.add(Problem(link.seq, name, "链节哈希被改写"))
    if model is None:
        verdict.add(Problem(link.seq, name, f"日志模型 {link.log_model} 已不存在"))
    elif row is None:
        verdict.add(Problem(link.seq, name, "日志已被删除"))
    else:
        fields = link.fields.split(",")
        missing = [f for f in fields if f not in row]
        if missing:
            verdict.add(Problem(link.seq, name, f"字段 {'、'.join(missing)} 已不存在"))
        elif content_digest(link.log_model, row, fields) != link.content_digest:
            verdict.add(Problem(link.seq, name, "内容被修改"))


def _check_time(verdict: Verdict, link: ChainLink, name: str, row: dict | None, previous: datetime | None) -> None:
    """Time only goes forward along the chain, and nothing is written after it was sealed."""
    if link.sealed_at is None:
        if previous is not None:
            verdict.add(Problem(link.seq, name, "缺少封存时间：此后的链节都应有封存时间"))
        return
    if previous is not None and link.sealed_at < previous:
        verdict.add(Problem(link.seq, name, f"封存时间 {_moment(link.sealed_at)} 早于前一链节的 "
                                            f"{_moment(previous)}：链上的时间倒退了"))
    written = max([link.created_at, *([row["timestamp"]] if row and row.get("timestamp") else [])])
    if written > link.sealed_at:
        verdict.add(Problem(link.seq, name, f"日志时间 {_moment(written)} 晚于它的封存时间 {_moment(link.sealed_at)}"))


def _moment(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


def _walk(verdict: Verdict, head: ChainHead, models: dict, using: str) -> None:
    expected, prev, before, previous_seal = head.base_seq + 1, head.base_digest, "链的起点", None
    links = ChainLink.objects.using(using).filter(seq__isnull=False).order_by("seq")
    for chunk in in_chunks(links):
        rows = _rows(chunk, models, using)
        for link in chunk:
            model = models.get(link.log_model)
            row = rows.get((link.log_model, link.entry_id))
            name = describe(model, link.entry_id, row)
            if link.seq != expected:
                gap = f"第 {expected} 号" if link.seq == expected + 1 else f"第 {expected}–{link.seq - 1} 号"
                verdict.add(Problem(None, f"{gap}链节（{before}之后、{name}之前）", "日志连同其链节被删除"))
            elif link.prev_digest != prev:
                verdict.add(Problem(link.seq, name, "与前一链节接不上：记录被重排，或在中间插入了记录"))
            _check_link(verdict, link, model, row)
            _check_time(verdict, link, name, row, previous_seal)
            verdict.checked += 1
            expected, prev, before = link.seq + 1, link.digest, name
            previous_seal = link.sealed_at or previous_seal
    if expected - 1 != head.seq or prev != head.digest:
        verdict.add(Problem(None, f"链尾（{before}之后）",
                            f"链头记到第 {head.seq} 号，链上最后是第 {expected - 1} 号：最新的日志被删除或链头被改动"))


def _unlinked(verdict: Verdict, models: dict, using: str) -> None:
    for model_label, model in models.items():
        linked = ChainLink.objects.using(using).filter(log_model=model_label).values("entry_id")
        strays = model._base_manager.using(using).exclude(pk__in=linked).order_by("timestamp", "pk")
        for row in strays.values("pk", "timestamp", "action").iterator():
            verdict.add(Problem(None, describe(model, row["pk"], row), "不在审计链上：绕过系统直接写入了数据库"))


def _pending(verdict: Verdict, using: str) -> list[tuple[int, Problem]]:
    """Pending links that cannot be in flight: older than the newest sealed link, or written in the future."""
    newest, now, found = newest_seal(using), timezone.now(), []
    for pending in pending_links(using):
        name = describe(pending.model, pending.link.entry_id, pending.row)
        if newest is not None and pending.earliest < newest:
            found.append((pending.link.pk, Problem(None, name, (
                f"未封存，且早于链上最新一节（{_moment(newest)} 封存）：写入后没有进入链，可能是进程中断留下的，"
                "也可能是绕过系统伪造的；核实后可用 seal_audit --confirm 封存"))))
        elif pending.link.created_at > now + FUTURE:
            found.append((pending.link.pk, Problem(None, name, f"未封存，写入时间 {_moment(pending.link.created_at)} "
                                                               "在将来：不是本系统写入的")))
        else:
            verdict.in_flight += 1
    return found


def verify_chain(using: str = "default", anchor: tuple[int, str] | None = None) -> Verdict:
    """Check every link and entry, reading only; `anchor` is a (seq, digest) recorded earlier."""
    suspects = _pending(verdict := Verdict(), using)
    head = ChainHead.objects.using(using).filter(pk=1).first() or ChainHead(pk=1)
    verdict.head_seq, verdict.head_digest = head.seq, head.digest
    models = {label(model): model for model in log_models()}
    _walk(verdict, head, models, using)
    _unlinked(verdict, models, using)
    # A link whose transaction committed a moment before the read above is sealed by now: not a problem.
    still = set(ChainLink.objects.using(using).filter(pk__in=[pk for pk, _ in suspects], seq__isnull=True)
                .values_list("pk", flat=True))
    for pk, problem in suspects:
        if pk in still:
            verdict.add(problem)
    if anchor is not None:
        seq, digest = anchor
        link = ChainLink.objects.using(using).filter(seq=seq).first()
        if link is None or link.digest != digest:
            verdict.add(Problem(seq, "核对点", f"链上第 {seq} 号的哈希不是记录下的 {digest[:16]}…：链被整体改写"))
    return verdict
