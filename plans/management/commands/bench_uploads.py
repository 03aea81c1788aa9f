"""Beside `bench`: every file of the hostile corpus through the real upload pages, one fresh process
per file, reporting the answer, the time it took and the process's peak memory."""

import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.urls import reverse

from bureau.models import Bureau, Division, Membership
from plans.hostile_files import CORPUS
from tasks.models import Assignment, Plan, Task

TIME_BUDGET_S = 5.0
MEMORY_BUDGET_MB = 300
_EVIDENCE_TYPES = (".docx", ".xlsx")
_EVIDENCE_PLAN = "佐证材料测试计划"
_PASSWORD = "bench-uploads-password"  # noqa: S105 - an account in a throwaway database


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Command(BaseCommand):
    help = "用恶意构造的文件测试计划导入与佐证材料上传：每个文件在单独的进程中上传，报告结果、耗时和内存峰值。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--only", nargs="*", default=None, help="只测这些文件（名称见输出第一列）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        # The parent runs itself with these in a throwaway database.
        parser.add_argument("--child-setup", action="store_true", help="内部使用")
        parser.add_argument("--child", nargs=2, metavar=("PATH", "FILE"), help="内部使用")
        parser.add_argument("--child-build", nargs=2, metavar=("NAME", "FILE"), help="内部使用")

    def handle(self, *args, **options) -> None:
        if options["child_setup"]:
            return self._setup_world()
        if options["child"]:
            return self._upload(*options["child"])
        if options["child_build"]:
            name, file = options["child_build"]
            Path(file).write_bytes(next(case for case in CORPUS if case.name == name).build())
            return None
        cases = [case for case in CORPUS if options["only"] is None or case.name in options["only"]]
        if not cases:
            raise CommandError("没有这样的文件；可选：" + "、".join(case.name for case in CORPUS), returncode=2)
        with tempfile.TemporaryDirectory(prefix="bench-uploads-") as folder:
            results = self._run(cases, Path(folder))
        if options["json"]:
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
            return
        self.stdout.write(_table(results))
        over = [
            r for r in results if r["seconds"] > TIME_BUDGET_S or r["peak_mb"] > MEMORY_BUDGET_MB or r["status"] >= 500
        ]
        if over:
            raise CommandError("超出预算：" + "、".join(f"{r['name']}（{r['path']}）" for r in over), returncode=1)

    # ------------------------------------------------------------------ parent

    def _run(self, cases, folder: Path) -> list[dict]:
        environment = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"),
            "STATIC_ROOT": str(folder / "static"),
            # As a production worker runs: no debug pages, no debug-only static storage.
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
        }
        environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self._manage(environment, "migrate", "--noinput")
        self._manage(environment, "collectstatic", "--noinput")  # DEBUG=0 serves hashed names
        self._manage(environment, "bench_uploads", "--child-setup")
        results = []
        for case in cases:
            path = folder / f"{case.name}{Path(case.filename).suffix}"
            # Built in a process of its own: a child forked from a parent that held the file would
            # start with the parent's memory counted as its own.
            self._manage(environment, "bench_uploads", "--child-build", case.name, str(path))
            for upload_path in ("plan", "evidence") if path.suffix in _EVIDENCE_TYPES else ("plan",):
                self.stderr.write(f"{case.name} → {upload_path} …")
                result = self._measure(environment, upload_path, path)
                results.append(
                    {"name": case.name, "description": case.description, "bytes": path.stat().st_size, **result}
                )
            path.unlink()
        return results

    def _manage(self, environment: dict, *args: str) -> None:
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), *args]
        result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise CommandError(f"{' '.join(args)} 失败：{result.stderr[-2000:]}")

    def _measure(self, environment: dict, upload_path: str, path: Path) -> dict:
        command = [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "bench_uploads",
            "--child",
            upload_path,
            str(path),
        ]
        with tempfile.TemporaryFile() as output:
            child = subprocess.Popen(command, env=environment, stdout=output, stderr=subprocess.DEVNULL)  # noqa: S603
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
            output.seek(0)
            lines = output.read().decode().strip().splitlines()
        try:
            measured = json.loads(lines[-1])
        except (IndexError, ValueError):
            measured = {"status": 599, "answer": f"进程异常退出（{child.returncode}）", "seconds": 0.0, "start_mb": 0.0}
        return {"path": upload_path, **measured, "peak_mb": round(usage.ru_maxrss / 1024, 1)}

    # ------------------------------------------------------------------ children

    def _setup_world(self) -> None:
        bureau = Bureau.objects.create(name="某某市教育局", short_name="某某", level=Bureau.Level.CITY)
        division = Division.objects.create(bureau=bureau, name="基教处")
        users = get_user_model().objects
        users.create_superuser("root", password=_PASSWORD)
        clerk = users.create_user("clerk", password=_PASSWORD)
        Membership.objects.create(user=clerk, bureau=bureau, division=division, role=Membership.Role.STAFF)
        plan = Plan.objects.create(
            bureau=bureau, title=_EVIDENCE_PLAN, kind=Plan.Kind.DECOMPOSITION, year_start=2026, year_end=2026
        )
        task = Task.objects.create(plan=plan, number="1", text="推进工作。", title="推进工作", order=1)
        Assignment.objects.create(task=task, division=division, role=Assignment.Role.LEAD)

    def _upload(self, upload_path: str, file: str) -> None:
        client = Client(raise_request_exception=False)
        data = Path(file).read_bytes()
        name = f"上传{Path(file).suffix}"
        start_mb = _rss_mb()
        steps = []

        def timed(call, *args, **kwargs):
            started = time.perf_counter()
            response = call(*args, **kwargs)
            steps.append(time.perf_counter() - started)
            return response

        if upload_path == "plan":
            client.force_login(get_user_model().objects.get(username="root"))
            response = timed(
                client.post, reverse("plans:import"), {"file": SimpleUploadedFile(name, data), "year": "2026"}
            )
            if response.status_code == 302:  # the preview, then the confirm
                preview = timed(client.get, response.url)
                if preview.status_code == 200:
                    response = timed(client.post, response.url, {"action": "confirm"})
                else:
                    response = preview
        else:
            client.force_login(get_user_model().objects.get(username="clerk"))
            task = Task.objects.get(plan__title=_EVIDENCE_PLAN)
            fields = {"status": "in_progress", "percent": "10", "progress": "按计划推进。"}
            attachment = SimpleUploadedFile(name, data)
            response = timed(
                client.post, reverse("tasks:report", args=[task.pk]), {**fields, "attachments": [attachment]}
            )
        answer = _answer(response)
        self.stdout.write(
            json.dumps(
                {
                    "status": response.status_code,
                    "answer": answer,
                    "seconds": round(max(steps), 2),  # the longest a worker was held
                    "steps": [round(step, 2) for step in steps],
                    "start_mb": round(start_mb, 1),
                },
                ensure_ascii=False,
            )
        )


def _answer(response) -> str:
    """The message the user reads: the form error, or where a success leads."""
    if response.status_code == 302:
        return f"已接受（转到 {response.url}）"
    text = response.content.decode(errors="replace")
    for pattern in (
        r'class="invalid-feedback[^"]*"[^>]*>\s*([^<]+)',
        r'class="alert[^"]*"[^>]*>\s*([^<]+)',
        r"<h1[^>]*>([^<]+)",
    ):
        if found := re.search(pattern, text):
            return found.group(1).strip()[:80]
    return text[:80]


def _table(results: list[dict]) -> str:
    lines = [
        "| 文件 | 内容 | 大小 | 途径 | 状态 | 回答 | 最长一次请求（各步） | 内存峰值（起始） |",
        "| --- | --- | ---: | --- | ---: | --- | ---: | ---: |",
    ]
    for r in results:
        path = "计划导入" if r["path"] == "plan" else "佐证材料"
        lines.append(
            f"| {r['name']} | {r['description']} | {r['bytes'] / 1024 / 1024:.1f} MB | {path} | {r['status']} | "
            f"{r['answer']} | {r['seconds']:.2f} s（{' + '.join(f'{step:.2f}' for step in r['steps'])}） | "
            f"{r['peak_mb']:.0f} MB（{r['start_mb']:.0f}） |"
        )
    return "\n".join(lines) + "\n"
