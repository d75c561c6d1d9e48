from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.actors import system

from ...pending import pending_links, pending_seal
from ...verify import describe


def _line(pending) -> str:
    written = timezone.localtime(pending.link.created_at).strftime("%Y-%m-%d %H:%M:%S")
    state = "" if pending.intact else "（日志已被删除或内容与写入时不符：不会封存）"
    return f"  {describe(pending.model, pending.link.entry_id, pending.row)}，链节写入于 {written}{state}"


class Command(BaseCommand):
    help = ("列出写入后未进入审计链的日志；核实后加 --confirm 封存，并记入审计日志 / "
            "List audit entries whose link was never sealed; seal them with --confirm after checking")

    def add_arguments(self, parser):
        parser.add_argument("--confirm", action="store_true",
                            help="确认这些日志是本系统写入的（例如进程中断留下的），把它们接入审计链")

    def handle(self, *args, confirm, **options):
        found = pending_links()
        if not found:
            self.stdout.write("没有待封存的日志：每条日志都已在审计链上")
            return
        self.stdout.write(f"待封存的日志 {len(found)} 条：")
        for pending in found:
            self.stdout.write(_line(pending))
        if not confirm:
            self.stdout.write("未做任何改动。核实这些日志确由本系统写入后，加 --confirm 封存（封存本身记入审计日志）")
            return
        outcome = pending_seal(actor=system("seal_audit"))
        self.stdout.write(f"已封存 {len(outcome.sealed)} 条，并记入审计日志")
        if outcome.refused:
            raise CommandError(f"{len(outcome.refused)} 条日志已被删除或内容与写入时不符，未封存：请查明原因")
