import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from bureau.models import Membership
from bureau.services import account_save, organisation_load


class Command(BaseCommand):
    help = "载入演示数据：种子文件中的教育局和处室，以及演示账号。可重复运行。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--fixtures", default=str(Path(settings.BASE_DIR) / "fixtures"))

    def handle(self, *args, **options) -> None:
        folder = Path(options["fixtures"])
        data = json.loads((folder / "organisation.json").read_text(encoding="utf-8"))
        bureaus, divisions = organisation_load(data)
        self.stdout.write(f"组织机构：新建教育局 {bureaus} 个、处室/单位 {divisions} 个。")

        password = data["demo_password"]
        self.stdout.write(self.style.SUCCESS(f"演示账号（密码均为 {password}）："))
        for account in data["accounts"]:
            account_save(
                username=account["username"],
                bureau_name=account["bureau"],
                division_name=account.get("division"),
                role=account["role"],
                password=password,
            )
            where = account["bureau"] + (f" {account['division']}" if account.get("division") else "")
            self.stdout.write(f"  {account['username']:<14} {where} · {Membership.Role(account['role']).label}")
