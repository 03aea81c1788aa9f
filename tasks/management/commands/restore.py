from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tasks.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "用 `backup` 生成的备份文件替换当前数据库和上传文件。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="备份文件（.tar.gz）")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive", help="不再确认")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if options["interactive"]:
            answer = input(f"将用 {path.name} 替换当前的全部数据和上传文件，确定吗？输入 yes 继续：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消，未做任何改动。", returncode=2)
        try:
            manifest = backup_restore(path)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        # An archive from an earlier version holds an earlier schema: bring it to this one (models that
        # moved between apps take their permissions along).
        connection.close()
        call_command("migrate", interactive=False, verbosity=0)
        counts = manifest["counts"]
        self.stdout.write(
            self.style.SUCCESS(
                f"已恢复 {manifest['created_at'][:19]} 的备份：任务 {counts['tasks']} 项，"
                f"报送 {counts['reports']} 条，佐证材料 {counts['attachments']} 个。"
            )
        )
        missing = manifest.get("missing_files", [])
        if missing:
            self.stderr.write(
                self.style.WARNING(
                    f"注意：{len(missing)} 个佐证材料的文件在备份时已经缺失，未能恢复：" + "、".join(missing[:5])
                )
            )
