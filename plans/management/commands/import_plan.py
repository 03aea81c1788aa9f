import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.importers import PlanFileError
from plans.services import NEW, UPDATE, import_file, preview_file_safely
from tasks.models import Plan


class Command(BaseCommand):
    help = "导入工作计划文件（.docx / .xlsx / .txt）。教育局和年度未指定时从文件中识别。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument("--bureau", help="教育局全称；不填则从文件中识别")
        parser.add_argument("--year", type=int, help="计划年度；不填则从文件中识别")
        parser.add_argument("--dry-run", action="store_true", help="只解析并显示结果，不写入数据库")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出解析结果")
        choice = parser.add_mutually_exclusive_group()
        choice.add_argument("--update", action="store_true", help="文件是已有计划的新版本时，在原计划上更新")
        choice.add_argument("--new", action="store_true", help="即使与已有计划同名同年，也作为新计划导入")

    def handle(self, *args, **options) -> None:
        path = Path(options["path"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror}", returncode=2) from exc
        try:
            preview = preview_file_safely(data, bureau_name=options["bureau"], year=options["year"])
            revising = [item for item in preview.plans if item.existing]
            mode = UPDATE if options["update"] else NEW if options["new"] else None
            if not options["dry_run"]:
                if revising and mode is None and not preview.already_imported:
                    # Never update a stored plan without being told to.
                    for item in revising:
                        self._write_diff(item)
                    titles = "、".join(f"《{item.existing.title}》" for item in revising)
                    raise PlanFileError(
                        f"文件与已有计划{titles}同类同年：加 --update 作为其新版本更新，或加 --new 作为新计划导入。"
                    )
                modes = dict.fromkeys(range(len(preview.plans)), mode) if mode else None
                import_file(
                    data=data, filename=path.name, bureau_name=options["bureau"], year=options["year"], modes=modes
                )
        except PlanFileError as exc:
            raise CommandError(str(exc), returncode=2) from exc

        if options["json"]:
            payload = {"plans": [item.parsed.as_json() for item in preview.plans]}
            sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
            return
        verb = "解析结果（未写入）" if options["dry_run"] else "已导入"
        for item in preview.plans:
            parsed = item.parsed
            action = "更新" if item.existing and not options["new"] else "新建"
            self.stdout.write(
                self.style.SUCCESS(f"{verb}：《{parsed.title}》（{action}）")
                + f" {parsed.bureau_name} {Plan.Kind(parsed.kind).label}"
                f" {parsed.year_start}—{parsed.year_end}，{len(parsed.sections)} 个部分，"
                f"{len(parsed.leaf_tasks)} 项任务，{len(parsed.duties)} 项职责"
            )
            if item.unassigned_count:
                self.stdout.write(f"  {item.unassigned_count} 项任务未写明责任单位")
            if parsed.ignored_columns:
                self.stdout.write(f"  未识别的列：{'、'.join(parsed.ignored_columns)}")
            with_leader = sum(1 for t in parsed.leaf_tasks if t.leader)
            milestones = sum(len(t.milestones) for t in parsed.tasks)
            if with_leader or milestones:
                self.stdout.write(f"  {with_leader} 项任务写明责任领导，{milestones} 个时间节点")
            if item.existing and options["dry_run"]:
                self._write_diff(item)
            if options["verbosity"] > 1:
                for warning in parsed.warnings + item.unit_problems:
                    self.stdout.write(f"  提示：{warning}")

    def _write_diff(self, item) -> None:
        diff = item.diff
        self.stdout.write(
            f"《{item.parsed.title}》是已有计划《{item.existing.title}》的新版本"
            f"{'' if item.revision_certain else '（仅标题相近，请确认）'}：新增 {len(diff.added)} 项、"
            f"修改 {len(diff.changed)} 项、移除 {len(diff.removed)} 项"
        )
        for match in diff.uncertain:
            self.stdout.write(
                f"  第{match.parsed.number}项 ← 原第{match.task.number}项（相似度 {match.confidence:.0%}）"
            )
        for change in diff.changed:
            self.stdout.write(f"  修改 第{change.number}项 {change.title}（{'、'.join(change.fields)}）")
        for task in diff.removed:
            self.stdout.write(f"  移除 第{task.number}项 {task.title}")
