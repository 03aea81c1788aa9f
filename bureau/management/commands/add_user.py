from django.core.management.base import BaseCommand, CommandError

from bureau.models import Membership
from bureau.services import AccountError, account_save


class Command(BaseCommand):
    help = "创建或更新一个账号及其所属教育局、处室和角色。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--bureau", required=True, help="教育局全称，如 台州市教育局")
        parser.add_argument("--division", help="处室/单位名称（局领导和管理员可不填）")
        parser.add_argument("--role", required=True, help="|".join(Membership.Role.values))
        parser.add_argument("--password", help="密码；不填则新账号无法用密码登录")

    def handle(self, *args, **options) -> None:
        try:
            result = account_save(
                username=options["username"],
                bureau_name=options["bureau"],
                division_name=options["division"],
                role=options["role"],
                password=options["password"],
            )
        except AccountError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        verb = "已创建" if result.created else "已更新"
        self.stdout.write(self.style.SUCCESS(f"{verb}账号 {result.user.username}"))
