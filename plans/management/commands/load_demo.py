import datetime
import json
import random
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from bureau.models import Bureau, Division, Membership
from bureau.services import account_save, organisation_load
from plans.importers import ParsedPlan
from plans.services import file_sha256, import_file, plan_create, read_plans_safely
from tasks import rules
from tasks.demo import seed_reports, seed_year_so_far
from tasks.models import Plan


class Command(BaseCommand):
    help = (
        "载入演示数据：组织机构、fixtures/ 中的种子文件、按种子文件生成的今年计划及截至今天的报送、演示账号。"
        "可重复运行，已有数据保留，改过的密码不会被重置。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--fixtures", default=str(Path(settings.BASE_DIR) / "fixtures"))

    def handle(self, *args, **options) -> None:
        self.verbosity = options["verbosity"]
        folder = Path(options["fixtures"])
        data = json.loads((folder / "organisation.json").read_text(encoding="utf-8"))
        bureaus, divisions = organisation_load(data)
        self.say(f"组织机构：新建教育局 {bureaus} 个、处室/单位 {divisions} 个。")
        # Before the reports: this year's are written by the demo clerks and accepted by the demo leaders.
        accounts_load(data)

        for path in sorted(folder.glob("*.docx")):
            content = path.read_bytes()
            if Plan.objects.filter(source_sha256=file_sha256(content)).exists():
                self.say(f"已导入过，跳过：{path.name}")
                continue
            for plan in import_file(data=content, filename=path.name):
                leaves = plan.tasks.filter(children__isnull=True).count()
                self.say(f"已导入：《{plan.title}》 {leaves} 项任务")

        today = rules.today()
        # The seeds' own years are past: their reports spread over the whole of their last year.
        for plan in Plan.objects.exclude(kind=Plan.Kind.SUMMARY).filter(year_end__lt=today.year):
            count = seed_reports(plan)
            if count:
                self.say(f"演示报送：《{plan.title}》 {count} 条")

        year_file = folder / "demo_year.json"
        entries = json.loads(year_file.read_text(encoding="utf-8"))["plans"] if year_file.exists() else []
        for entry in entries:
            title = entry["title"].format(year=today.year)
            if Plan.objects.running_in(today.year).filter(bureau__name=entry["bureau"]).exists():
                self.say(f"{entry['bureau']}已有{today.year}年的计划，跳过：{entry['seed']}")
                continue
            with transaction.atomic():  # a plan without its reports would be skipped from then on
                plan = this_years_plan(
                    folder / entry["seed"], bureau_name=entry["bureau"], title=title, year=today.year
                )
                count = seed_year_so_far(plan, day=today)
            leaves = plan.tasks.filter(children__isnull=True).count()
            self.say(
                f"今年的演示计划：《{plan.title}》 {leaves} 项任务，截至{today.month}月{today.day}日报送 {count} 条"
            )

        password = data["demo_password"]
        self.say(self.style.SUCCESS(f"演示账号（初始密码均为 {password}，改过的密码保留）："))
        for account in data["accounts"]:
            where = account["bureau"] + (f" {account['division']}" if account.get("division") else "")
            self.say(f"  {account['username']:<14} {where} · {Membership.Role(account['role']).label}")

    def say(self, text: str) -> None:
        if self.verbosity:
            self.stdout.write(text)


def accounts_load(data: dict) -> None:
    """The demo accounts and their memberships; an account that exists keeps the password its user chose."""
    users = get_user_model().objects
    for account in data["accounts"]:
        user = users.filter(username=account["username"]).first()
        fresh = user is None or not user.has_usable_password()
        account_save(
            username=account["username"],
            bureau_name=account["bureau"],
            division_name=account.get("division"),
            role=account["role"],
            password=data["demo_password"] if fresh else None,
        )


def this_years_plan(seed: Path, *, bureau_name: str, title: str, year: int) -> Plan:
    """A plan for `year` imported from a seed document read for that year: the seed's sections, tasks,
    units and targets, with deadlines spread over the year and a division for each task the seed names
    none for (as an admin would choose in the preview)."""
    plans = read_plans_safely(seed.read_bytes(), bureau_name=bureau_name, year=year)
    parsed = next(p for p in plans if p.kind != Plan.Kind.SUMMARY)
    bureau = Bureau.objects.get(name=bureau_name)
    rng = random.Random(title)  # noqa: S311 - repeatable demo data, not secrets
    parsed.title, parsed.document_number, parsed.issued_on = title, "", None
    _spread_deadlines(parsed, rng)
    _share_out(parsed, list(Division.objects.filter(bureau=bureau, confirmed=True).order_by("pk")), rng)
    return plan_create(parsed=parsed, bureau=bureau)


def _spread_deadlines(parsed: ParsedPlan, rng: random.Random) -> None:
    """Half the tasks run all year; the others are due at the end of a month, as a plan's 完成时限 say."""
    year = parsed.year_end
    for task in parsed.tasks:
        if task.deadline is not None:
            continue
        month = 12 if rng.random() < 0.5 else rng.randint(1, 11)
        task.deadline = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
        task.deadline_text = "全年" if month == 12 else f"{month}月底前"


def _share_out(parsed: ParsedPlan, divisions: list[Division], rng: random.Random) -> None:
    """A lead division, in turn, for each task the seed names no unit for (the admin's choice in the preview)."""
    if not divisions:
        return
    rng.shuffle(divisions)
    groups = {task.parent for task in parsed.tasks}
    unassigned = [task for task in parsed.tasks if task.names_no_unit and task.id not in groups]
    for n, task in enumerate(unassigned):
        task.lead_units = [divisions[n % len(divisions)].name]
