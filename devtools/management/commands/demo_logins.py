"""Print the address the development server answers at and the six demo logins: the last lines of `make run`.

With --wait it first waits until the server accepts connections, so the lines come after everything the start-up
printed (the server's own output and the background worker's go to var/log/)."""

import socket
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...demo import DEMO_USERS
from ...demo_pilots import DEMO_USERS as PILOT_USERS

LOG_DIR = "var/log"


def address(host: str) -> tuple[str, int]:
    """Return (the host to open, port) for runserver's HOST argument ("8080", "0.0.0.0:8080", "[::1]:8000")."""
    name, _sep, port = host.rpartition(":")
    name = name.strip("[]") or "127.0.0.1"
    if name in {"0.0.0.0", "::"}:
        name = "127.0.0.1"  # the server listens everywhere; this machine reaches it here
    try:
        return name, int(port)
    except ValueError:
        message = _("无法识别的地址：%(host)s（例如 127.0.0.1:8000 或 0.0.0.0:8080）") % {"host": host}
        raise CommandError(message) from None


def answers(name: str, port: int) -> bool:
    try:
        with socket.create_connection((name, port), timeout=1):
            return True
    except OSError:
        return False


def logins() -> list[tuple[str, str, str]]:
    """Return (username, password, who) for each demo account, in the order people look for them."""
    who = {"worker": _("社区工作人员（手机）"), "verifier": _("区县审核人员"), "bureau": _("市大数据局"),
           "admin": _("管理员"), "province": _("省大数据局"), "expert": _("评估专家")}
    passwords = {name: password for name, (password, _role) in DEMO_USERS.items()} | PILOT_USERS
    return [(name, passwords[name], who[name]) for name in who]


class Command(BaseCommand):
    help = "打印开发服务器地址与六个演示账号（make run 的最后几行）/ Print the address and the demo logins"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1:8000", help="runserver 的地址（make run HOST=…）")
        parser.add_argument("--wait", type=float, default=0, help="先等待服务器可连接，最多等待的秒数")

    def handle(self, *args, host, wait, **options):
        name, port = address(host)
        deadline = time.monotonic() + wait
        while wait and not answers(name, port):
            if time.monotonic() > deadline:
                raise CommandError(_("开发服务器 %(host)s 在 %(seconds)s 秒内没有响应，请查看 %(log)s/runserver.log")
                                   % {"host": host, "seconds": f"{wait:g}", "log": LOG_DIR})
            time.sleep(0.3)
        shown = f"[{name}]" if ":" in name else name
        base = f"http://{shown}:{port}/"
        write = self.stdout.write
        write(_("服务器与后台任务的输出：%(log)s/runserver.log、%(log)s/db_worker.log；按 Ctrl-C 停止。")
              % {"log": LOG_DIR})
        write(_("演示账号仅供开发使用；工作人员在手机上打开 %(url)s，其他角色进入管理后台 %(admin)s")
              % {"url": f"{base}c/379902001001/", "admin": f"{base}admin/"})
        write(self.style.SUCCESS(_("智慧社区达标核查已启动：%(url)s") % {"url": base}))
        for username, password, who in logins():
            write(f"  {username:<9} {password:<20} {who}")
