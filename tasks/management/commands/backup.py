from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tasks.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "把数据库和上传文件备份为一个带日期的 .tar.gz 文件。"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output", default=str(settings.BACKUP_DIR), help=f"备份目录（默认 {settings.BACKUP_DIR}）"
        )

    def handle(self, *args, **options) -> None:
        try:
            backup = backup_create(Path(options["output"]))
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        missing = backup.manifest["missing_files"]
        if missing:
            self.stderr.write(
                self.style.WARNING(
                    f"注意：{len(missing)} 个佐证材料的文件在备份前已经不在上传目录中，备份里也没有："
                    + "、".join(missing[:5])
                )
            )
        self.stdout.write(self.style.SUCCESS(f"已备份到 {backup.path}"))
