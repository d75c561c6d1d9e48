from django.core.management.base import BaseCommand, CommandError

from ...verify import verify_chain

SHOWN = 20


class Command(BaseCommand):
    help = ("核验审计日志哈希链（只读），指出第一条被改动、删除、重排或插入的日志 / "
            "Verify the tamper-evident audit chain (writes nothing)")

    def add_arguments(self, parser):
        parser.add_argument("--anchor", help="以前记下的链头“序号:哈希”，核对链没有被整体改写")

    def handle(self, *args, anchor, **options):
        verdict = verify_chain(anchor=parse_anchor(anchor) if anchor else None)
        if not verdict.ok:
            lines = [f"审计链被破坏：共 {verdict.count} 处问题。第一处：{verdict.problems[0]}"]
            lines += [f"  {problem}" for problem in verdict.problems[1:SHOWN]]
            raise CommandError("\n".join(lines))
        self.stdout.write(f"审计链完整：核验 {verdict.checked} 条日志。链头 {verdict.head_seq}:{verdict.head_digest}")
        if verdict.in_flight:
            self.stdout.write(f"另有 {verdict.in_flight} 条日志刚写入、正在封存，下次核验时在链上")


def parse_anchor(text: str) -> tuple[int, str]:
    seq, _, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise CommandError(f"--anchor 应为“序号:64位哈希”，例如 verify_audit 输出的链头：{text}")
    return int(seq), digest.lower()
