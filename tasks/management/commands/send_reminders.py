import datetime

from django.core.management.base import BaseCommand, CommandError

from tasks import rules
from tasks.workflow import send_all_reminders


class Command(BaseCommand):
    help = (
        "向承办处室发送提醒和催办：即将到期的任务和时间节点、已逾期未完成的任务、报送日前几天和过了报送日仍未报送本期进展的任务"
        "（建议每天运行一次；同一天重复运行不会重复发送）。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="按这一天计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options) -> None:
        try:
            day = datetime.date.fromisoformat(options["date"]) if options["date"] else rules.today()
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。", returncode=2) from exc
        sent = send_all_reminders(day)
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{day:%Y-%m-%d}：发送到期提醒 {sent['due']} 条，逾期催办 {sent['overdue']} 条，"
                    f"未报送提醒与催办 {sent['unreported']} 条。"
                )
            )
