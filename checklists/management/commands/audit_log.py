import json
from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from communities.models import CommunityPage
from smartsite.spreadsheet import SafeDictWriter
from standards.models import Round

from ...models import ChecklistLogEntry
from ...selectors.audit import COLUMNS, audit_events


def parse_since(text: str) -> datetime:
    """Parse an ISO date or date-time; a date means its local midnight, a naive time is local."""
    try:
        moment = parse_datetime(text) or (parse_date(text) and datetime.combine(parse_date(text), time()))
    except ValueError:
        moment = None
    if not moment:
        raise CommandError(f"--since 不是有效的 ISO 时间：{text}（例如 2026-05-01 或 2026-05-01T08:00:00+08:00）")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "导出核查审计日志（最早的在前）/ Export the audit trail, oldest first"

    def add_arguments(self, parser):
        parser.add_argument("--community", help="社区代码（12位）")
        parser.add_argument("--round", dest="round_code", help="轮次代码")
        parser.add_argument("--since", help="只导出此时间之后的记录（ISO 日期或时间）")
        parser.add_argument("--format", dest="fmt", choices=["json", "csv"], default="json")

    def handle(self, *args, community, round_code, since, fmt, **options):
        if community and not (
            CommunityPage.objects.filter(code=community).exists()
            or ChecklistLogEntry.objects.filter(community_code=community).exists()
        ):
            raise CommandError(f"找不到社区 {community} / unknown community")
        if round_code and not Round.objects.filter(code=round_code).exists():
            raise CommandError(f"找不到轮次 {round_code} / unknown round")
        events = audit_events(community=community, round_code=round_code, since=since and parse_since(since))
        if fmt == "csv":
            writer = SafeDictWriter(self.stdout, fieldnames=COLUMNS, lineterminator="\n", extrasaction="ignore")
            writer.writeheader()
            writer.writerows(events)
            return
        # Streamed as one JSON array, so a long trail is never held in memory at once.
        self.stdout.write("[", ending="")
        for n, event in enumerate(events):
            self.stdout.write(("," if n else "") + "\n  " + json.dumps(event, ensure_ascii=False), ending="")
        self.stdout.write("\n]")
