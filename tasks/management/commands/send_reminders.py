import datetime

from django.core.management.base import BaseCommand, CommandError

from tasks import rules
from tasks.workflow import send_due_reminders


class Command(BaseCommand):
    help = "向即将到期的任务和时间节点的承办处室发送提醒（建议每天运行一次；同一天重复运行不会重复发送）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="按这一天计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options) -> None:
        try:
            day = datetime.date.fromisoformat(options["date"]) if options["date"] else rules.today()
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。", returncode=2) from exc
        sent = send_due_reminders(day)
        self.stdout.write(self.style.SUCCESS(f"{day:%Y-%m-%d}：发送到期提醒 {sent} 条。"))
