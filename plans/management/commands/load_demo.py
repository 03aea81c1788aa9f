import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from bureau.models import Membership
from bureau.services import demo_accounts_load, organisation_load
from plans.services import file_sha256, import_file
from tasks.demo import seed_reports
from tasks.models import Plan


class Command(BaseCommand):
    help = "载入演示数据：组织机构、fixtures/ 中的种子文件和演示账号。可重复运行，已有数据保留。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--fixtures", default=str(Path(settings.BASE_DIR) / "fixtures"))

    def handle(self, *args, **options) -> None:
        folder = Path(options["fixtures"])
        data = json.loads((folder / "organisation.json").read_text(encoding="utf-8"))
        bureaus, divisions = organisation_load(data)
        self.stdout.write(f"组织机构：新建教育局 {bureaus} 个、处室/单位 {divisions} 个。")

        for path in sorted(folder.glob("*.docx")):
            content = path.read_bytes()
            if Plan.objects.filter(source_sha256=file_sha256(content)).exists():
                self.stdout.write(f"已导入过，跳过：{path.name}")
                continue
            for plan in import_file(data=content, filename=path.name):
                leaves = plan.tasks.filter(children__isnull=True).count()
                self.stdout.write(f"已导入：《{plan.title}》 {leaves} 项任务")

        for plan in Plan.objects.exclude(kind=Plan.Kind.SUMMARY):
            count = seed_reports(plan)
            if count:
                self.stdout.write(f"演示报送：《{plan.title}》 {count} 条")

        self.stdout.write(self.style.SUCCESS(f"演示账号（密码均为 {data['demo_password']}）："))
        for account in demo_accounts_load(data):
            where = account["bureau"] + (f" {account['division']}" if account.get("division") else "")
            self.stdout.write(f"  {account['username']:<14} {where} · {Membership.Role(account['role']).label}")
