from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.two_factor import reset
from audit.actors import system


class Command(BaseCommand):
    help = "重置用户的二次验证（手机丢失或更换时）；该用户下次登录管理后台时重新绑定。"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户 {username}")
        count = reset(user, by=system("reset_two_factor"))
        self.stdout.write(f"已删除 {user.username} 的 {count} 个身份验证器；下次登录时重新绑定。")
